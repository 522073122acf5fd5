import { sql, type Kysely } from "kysely";

/*
 * Opportunities carry what a seller reads first on a deal (issue 17, item 4): the sales stage the
 * CRM names ("Propose", "Negotiate", …) and the ISO 4217 currency of the estimated revenue. Both
 * optional: rows imported before this migration have neither until their CRM file is imported again.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
export async function up(db: Kysely<any>): Promise<void> {
  // Kysely runs SQLite migrations outside a transaction: a savepoint makes both columns land together.
  await sql`savepoint kith_0050`.execute(db);
  try {
    await db.schema.alterTable("crm_opportunity").addColumn("stage", "text").execute();
    await db.schema.alterTable("crm_opportunity").addColumn("currency", "text").execute();
    await sql`release kith_0050`.execute(db);
  } catch (error) {
    await sql`rollback to kith_0050`.execute(db);
    await sql`release kith_0050`.execute(db);
    throw error;
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ["currency", "stage"])
    await db.schema.alterTable("crm_opportunity").dropColumn(column).execute();
}
