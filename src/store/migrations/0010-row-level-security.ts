import type { Kysely } from "kysely";
import { appRole } from "../tenant-driver";
import { protectTenantTables, unprotectTenantTables } from "./tenant-wall";

/**
 * PostgreSQL: row level security per tenant on every tenant table, and the application role the
 * store runs as (`tenant-wall.ts`). Nothing changes on SQLite.
 */
// Typed Kysely<any> so it keeps compiling as the Database interface moves on.
/* eslint-disable @typescript-eslint/no-explicit-any */
export async function up(db: Kysely<any>): Promise<void> {
  await protectTenantTables(db, appRole);
}

export async function down(db: Kysely<any>): Promise<void> {
  await unprotectTenantTables(db, appRole);
}
