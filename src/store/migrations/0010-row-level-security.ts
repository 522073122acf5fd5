import type { Kysely } from "kysely";
import { protectTenantTables, unprotectTenantTables } from "./tenant-wall";

/**
 * PostgreSQL: row level security per tenant on every tenant table, and the roles the store runs
 * as (`tenant-wall.ts`). Nothing changes on SQLite.
 */
// Typed Kysely<any> so it keeps compiling as the Database interface moves on.
/* eslint-disable @typescript-eslint/no-explicit-any */
export async function up(db: Kysely<any>): Promise<void> {
  await protectTenantTables(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await unprotectTenantTables(db);
}
