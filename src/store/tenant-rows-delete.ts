import { PostgresAdapter, sql } from "kysely";
import { tenantNum } from "./collected-keys";
import type { Trx } from "./store";
import { withTenant } from "./tenant-scope";

/**
 * Deletes every row of one tenant from `table`, inside the caller's transaction; returns rows
 * deleted. What a tenant's purge runs for each table of collected data.
 *
 * SQLite: a DELETE removes each row's entry from every secondary index one by one, and those
 * entries lie in an order unrelated to the rows' (fingerprints, Message-ID keys, times): a random
 * page per row and index, 240 s for 1M interactions. When the tenant holds a large part of the
 * table (at least 1/`rebuildShare` of its rows), the table's secondary indexes are dropped, the
 * rows deleted in storage order, and the indexes built again from their own `create index`
 * statements over the rows that remain (a sort of the other tenants' rows, which is what the
 * threshold bounds). SQLite's schema changes are transactional: a failure rolls the indexes back
 * with the rows, and no other connection ever sees the table without them (the write lock is held).
 * PostgreSQL deletes by the tenant prefix of each index as it is.
 *
 * Tables of the lean schema (migration 0060) are keyed by `tenant_num`, the others by `tenant_id`.
 */
export async function deleteTenantRows(trx: Trx, table: string, tenantId: string): Promise<number> {
  return withTenant(tenantId, async () => {
    const numbered = numberedTables.has(table);
    const filter = numbered
      ? sql`tenant_num = ${await tenantNum(trx, tenantId)}`
      : sql`tenant_id = ${tenantId}`;
    const whole = async () =>
      Number((await sql`delete from ${sql.table(table)} where ${filter}`.execute(trx)).numAffectedRows ?? 0);
    if (trx.getExecutor().adapter instanceof PostgresAdapter) return whole();
    const indexes = (
      await sql<{ name: string; definition: string }>`select name, sql as definition from sqlite_master
        where type = 'index' and tbl_name = ${table} and sql is not null`.execute(trx)
    ).rows;
    if (indexes.length === 0) return whole();
    const count = async (where: boolean) =>
      Number(
        (
          await sql<{ n: number }>`select count(*) as n from ${sql.table(table)} ${
            where ? sql`where ${filter}` : sql``
          }`.execute(trx)
        ).rows[0]?.n ?? 0,
      );
    const mine = await count(true);
    if (mine * rebuildShare < (await count(false))) return whole();
    for (const index of indexes) await sql`drop index ${sql.id(index.name)}`.execute(trx);
    const deleted = await whole();
    for (const index of indexes) await sql.raw(index.definition).execute(trx);
    return deleted;
  });
}

/** Set the indexes aside when the tenant holds at least 1/20 of the table's rows (see above). */
const rebuildShare = 20;

/** Collected-data tables keyed by `tenant.num` (migration 0060). */
export const numberedTables: ReadonlySet<string> = new Set([
  "address_book",
  "colleague",
  "interaction",
  "interaction_party",
  "pair_state",
  "internal_pair_state",
  "person",
]);
