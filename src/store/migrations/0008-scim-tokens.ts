import { sql, type Kysely } from "kysely";

/*
 * SCIM tokens get a lifecycle (issue 12, item 10): an optional expiry, the time a token last
 * authenticated, who made it and who revoked it. Tokens made before this migration came from
 * `kith scim token`, so their creator is the operator; they keep never expiring until revoked.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
export async function up(db: Kysely<any>): Promise<void> {
  // Kysely runs SQLite migrations outside a transaction: a savepoint makes the four columns land
  // together or not at all, and nests inside PostgreSQL's transaction.
  await sql`savepoint kith_0008`.execute(db);
  try {
    // One column per statement: SQLite's ALTER TABLE adds one at a time.
    await db.schema.alterTable("scim_token").addColumn("expires_at", "bigint").execute();
    await db.schema.alterTable("scim_token").addColumn("last_used_at", "bigint").execute();
    await db.schema
      .alterTable("scim_token")
      .addColumn("created_by", "text", (c) => c.notNull().defaultTo("operator"))
      .execute();
    await db.schema.alterTable("scim_token").addColumn("revoked_by", "text").execute();
    await sql`release kith_0008`.execute(db);
  } catch (error) {
    await sql`rollback to kith_0008`.execute(db);
    await sql`release kith_0008`.execute(db);
    throw error;
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ["revoked_by", "created_by", "last_used_at", "expires_at"])
    await db.schema.alterTable("scim_token").dropColumn(column).execute();
}
