import type { Kysely } from "kysely";
import { protectTenantTables } from "./tenant-wall";

/**
 * Deletion requests by external people (issue 18): the tenant's key for address hashes, and one
 * receipt per request. A receipt names the address only by its keyed hash, so keeping receipts
 * (and the suppression list the collection gate reads from them) never re-creates the address.
 */
// Typed Kysely<any> so it keeps compiling as the Database interface moves on.
/* eslint-disable @typescript-eslint/no-explicit-any */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("forget_key")
    .addColumn("tenant_id", "text", (c) => c.notNull().primaryKey())
    // 32 random bytes, hex: the HMAC-SHA256 key of the tenant's address hashes.
    .addColumn("hash_key", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("forget_request")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("address_hash", "text", (c) => c.notNull())
    .addColumn("requested_by", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("at", "bigint", (c) => c.notNull())
    .addColumn("counts", "text", (c) => c.notNull())
    .addColumn("duration_ms", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("forget_request_pk", ["tenant_id", "id"])
    .execute();
  await db.schema
    .createIndex("forget_request_hash")
    .on("forget_request")
    .columns(["tenant_id", "address_hash"])
    .execute();
  await protectTenantTables(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("forget_request").execute();
  await db.schema.dropTable("forget_key").execute();
}
