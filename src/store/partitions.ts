import { PostgresAdapter, sql, type Kysely } from "kysely";
import { protectTable } from "./migrations/tenant-wall";
import type { Store } from "./store";
import { asOwner } from "./tenant-scope";

/**
 * PostgreSQL's monthly partitions of `interaction` and `interaction_party` (migration 0070; issue
 * 15, ARCHITECTURE.md "Monthly partitions"). Both tables are partitioned by range on `occurred_at`,
 * one partition per calendar month (UTC) per table, named `<table>_m<YYYYMM>`, holding every
 * tenant's rows of that month. A month's partitions are created when the first row of that month
 * arrives (the writer's merge, a restore, the migration), inside the caller's transaction, so a
 * rolled-back batch leaves no empty partition behind. SQLite has no partitions: every function
 * here is a no-op there.
 *
 * Creating one: `create table … (like parent)` takes no lock on the parent, and `attach partition`
 * only SHARE UPDATE EXCLUSIVE (readers and writers of other months go on; `create table … partition
 * of` would take ACCESS EXCLUSIVE on the parent until the batch commits, stopping every reader).
 * Two transactions meeting the same new month take a transaction-scoped advisory lock and look
 * again, so the second finds the first's partition once it has committed. DDL runs as the owning
 * role (the application role owns nothing); the new partition gets the parent's row level
 * security policies (`protectTable`) and, by the schema's default privileges, its grants.
 *
 * Emptying one (a purge): `truncate` of the month's partitions when they hold one tenant's rows
 * only, after a lock that waits for other tenants' writers of the month (`soleTenantPartitions`).
 * Dropping one: only once empty, after the purge committed, in a short transaction of its own
 * that locks the parents first (`dropEmptyMonthPartitions`, which says why).
 */

export const partitionedTables = ["interaction", "interaction_party"] as const;

/** Advisory lock class (first key of the two-key form) of partition creation; see scope-lock.ts for the others. */
const partitionLockClass = 0x4b1a;

/** UTC start of the calendar month holding `at` (ms). */
export function monthStart(at: number): number {
  const d = new Date(at);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** UTC start of the month after the one holding `at`. */
export function nextMonthStart(at: number): number {
  const d = new Date(at);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** The partition of `table` holding the month that starts at `monthStart`, e.g. `interaction_m200105`. */
export function partitionName(table: (typeof partitionedTables)[number], monthStart: number): string {
  const d = new Date(monthStart);
  const year = d.getUTCFullYear();
  const yyyy = year < 0 ? `n${String(-year).padStart(4, "0")}` : String(year).padStart(4, "0");
  return `${table}_m${yyyy}${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations pass Kysely<any>, the store a Trx */
export function isPartitioned(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Names of the partitions of `interaction` in the current schema. */
async function existingPartitions(db: Kysely<any>): Promise<Set<string>> {
  const { rows } = await sql<{ name: string }>`select c.relname as name from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    where i.inhparent = to_regclass('interaction')`.execute(db);
  return new Set(rows.map((r) => r.name));
}

/**
 * Makes sure both tables have a partition for the month of every instant in `instants` (ms), in
 * the caller's transaction. Cheap when they exist (one catalogue read).
 */
export async function ensureMonthPartitions(db: Kysely<any>, instants: Iterable<number>): Promise<void> {
  if (!isPartitioned(db)) return;
  const months = new Set<number>();
  for (const at of instants) months.add(monthStart(at));
  if (months.size === 0) return;
  await asOwner(async () => {
    // The parents' writer lock, before the partitions are looked up, held to commit: a drop of an
    // emptied month (`dropEmptyMonthPartitions`, which locks the parents exclusively) then either
    // committed before this look-up, which sees the month missing and makes it again, or waits
    // until this transaction, whose rows it will see, has ended. The caller writes the parents
    // next anyway; the lock takes nothing from other writers, readers, or `attach partition`.
    await sql`lock table ${sql.join(partitionedTables.map((t) => sql.table(t)))} in row exclusive mode`.execute(
      db,
    );
    let existing = await existingPartitions(db);
    const missing = () => [...months].filter((m) => !existing.has(partitionName("interaction", m)));
    if (missing().length === 0) return;
    await sql`select pg_advisory_xact_lock(${partitionLockClass}, hashtext(current_schema()))`.execute(db);
    existing = await existingPartitions(db);
    for (const month of missing().sort((a, b) => a - b)) {
      for (const table of partitionedTables) {
        const name = partitionName(table, month);
        await sql`create table ${sql.table(name)} (like ${sql.table(table)} including defaults including constraints)`.execute(
          db,
        );
        await protectTable(db, name, "tenant_num");
        // Matching indexes are created on the empty partition as it is attached.
        await sql`alter table ${sql.table(table)} attach partition ${sql.table(name)}
          for values from (${sql.lit(month)}) to (${sql.lit(nextMonthStart(month))})`.execute(db);
      }
    }
  });
}

/**
 * The month's partitions when they hold rows of `tenantNum` only (or none): a whole month of that
 * tenant can then be emptied by truncating them instead of deleting row by row. Read as the owner:
 * the application role would see only the tenant's own rows and miss the others'.
 *
 * Looked at twice. First without a lock: a month with another tenant's committed rows is shared,
 * and takes no lock here (the caller deletes its tenant's rows, as other tenants write theirs).
 * Then, when it looks sole, under SHARE ROW EXCLUSIVE on both partitions, held to commit: that
 * waits for every transaction writing the month to end and keeps new writers out (readers go on),
 * so rows of another tenant that were uncommitted at the first look are seen at the second, and
 * none can arrive before the truncate (which would otherwise wait for their writer, then empty
 * its committed rows with the caller's). The lock conflicts with itself: two tenants' purges of
 * one month queue instead of both upgrading to the truncate's lock and deadlocking.
 */
export async function soleTenantPartitions(
  db: Kysely<any>,
  tenantNum: number,
  monthStart: number,
): Promise<string[] | null> {
  if (!isPartitioned(db)) return null;
  return asOwner(async () => {
    const names = partitionedTables.map((t) => partitionName(t, monthStart));
    const existing = await existingPartitions(db);
    if (!existing.has(names[0]!)) return null;
    const shared = async () => {
      for (const name of names) {
        // Two ranges rather than `<>`, which no index serves: the key's tenant prefix answers at once.
        const other = await sql`select 1 from ${sql.table(name)}
          where tenant_num < ${tenantNum} or tenant_num > ${tenantNum} limit 1`.execute(db);
        if (other.rows.length > 0) return true;
      }
      return false;
    };
    if (await shared()) return null;
    await sql`lock table ${sql.join(names.map((n) => sql.table(n)))} in share row exclusive mode`.execute(db);
    return (await shared()) ? null : names;
  });
}

/**
 * A whole month of tenant `tenantNum` emptied at once when the month's partitions hold its rows
 * only (`soleTenantPartitions`): counted (the partitions' sizes are then the tenant's counts), then
 * truncated as the owner (the files are replaced at commit; no row-by-row delete, no dead rows).
 * Null when the month is shared, has no partitions, or the store is SQLite: the caller deletes.
 */
export async function truncateSoleTenantMonth(
  db: Kysely<any>,
  tenantNum: number,
  monthStart: number,
): Promise<{ interactions: number; participations: number } | null> {
  const names = await soleTenantPartitions(db, tenantNum, monthStart);
  if (!names) return null;
  return asOwner(async () => {
    const count = async (name: string) =>
      Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(name)}`.execute(db)).rows[0]!.n);
    const counts = { interactions: await count(names[0]!), participations: await count(names[1]!) };
    await sql`truncate ${sql.join(names.map((n) => sql.table(n)))}`.execute(db);
    return counts;
  });
}

/** Start (ms) of every month that has partitions, in order. */
export async function partitionedMonths(db: Kysely<any>): Promise<number[]> {
  if (!isPartitioned(db)) return [];
  return asOwner(async () => {
    const { rows } = await sql<{ bound: string }>`select pg_get_expr(c.relpartbound, c.oid) as bound
      from pg_inherits i join pg_class c on c.oid = i.inhrelid
      where i.inhparent = to_regclass('interaction')`.execute(db);
    // FOR VALUES FROM ('1767225600000') TO ('1769904000000')
    return rows
      .map((r) => Number(/FROM \('?(-?\d+)'?\)/.exec(r.bound)?.[1]))
      .filter((m) => Number.isFinite(m))
      .sort((a, b) => a - b);
  });
}

/** How long a drop waits for the parents' lock before leaving the empty partitions for a later run. */
const dropLockWaitMs = 200;

/**
 * Drops the partitions of the given months (all months when none are given) that hold no row in
 * either table: what retention and a tenant's purge call after their transaction committed, once
 * a month may have no tenant left. Returns the months dropped. A later write of such a month
 * makes its partitions again (`ensureMonthPartitions`).
 *
 * Not in the purge's own transaction: `drop table` of a partition takes ACCESS EXCLUSIVE on the
 * parent (so does `detach partition`; measured on PostgreSQL 15 with pg_locks), which stops every
 * tenant's reads and writes of every month until commit. Taken at the end of a purge it would
 * come after the purge's locks on the truncated partitions: a reader of another tenant holding the
 * parent and waiting for a truncated partition, and the purge waiting for the parent, deadlock
 * (reproduced: PostgreSQL aborts the reader with "deadlock detected"); taken at the start, every
 * tenant would wait for the whole purge (a withdrawal of a large tenant runs for tens of seconds).
 *
 * So: a transaction of its own that locks the parents first, as readers and writers do, which
 * cannot deadlock with them; with a short lock timeout (below the server's default 1 s
 * deadlock_timeout), so while it queues for the lock other sessions queue behind it for at most
 * that long, and if it does not get it (a long report, an import of another tenant holding a
 * parent), it gives up and the empty partitions stay, harmless, until the next run. Holding the
 * lock it takes the advisory lock of partition creation, looks again (an import may have written
 * the month between the purge's commit and now) and drops what is still empty: a few
 * milliseconds of catalogue work. Imports cannot slip between: `ensureMonthPartitions` takes the
 * parents' writer lock before looking the month up. Nothing on SQLite.
 */
export async function dropEmptyMonthPartitions(store: Store, months?: Iterable<number>): Promise<number[]> {
  if (!isPartitioned(store.db)) return [];
  const wanted = months === undefined ? null : new Set([...months].map(monthStart));
  // Both tables' partitions of a month are made together (ensureMonthPartitions) and dropped together.
  const empty = async (db: Kysely<any>) => {
    const found: number[] = [];
    for (const month of await partitionedMonths(db)) {
      if (wanted && !wanted.has(month)) continue;
      let rows = false;
      for (const table of partitionedTables) {
        const name = partitionName(table, month);
        rows = (await sql`select 1 from ${sql.table(name)} limit 1`.execute(db)).rows.length > 0;
        if (rows) break;
      }
      if (!rows) found.push(month);
    }
    return found;
  };
  // A first look without locks: nothing to do, nothing taken.
  if ((await asOwner(() => empty(store.db))).length === 0) return [];
  try {
    return await store.transaction((trx) =>
      asOwner(async () => {
        await sql`select set_config('lock_timeout', ${`${dropLockWaitMs}ms`}, true)`.execute(trx);
        await sql`lock table ${sql.join(partitionedTables.map((t) => sql.table(t)))} in access exclusive mode`.execute(
          trx,
        );
        await sql`select pg_advisory_xact_lock(${partitionLockClass}, hashtext(current_schema()))`.execute(
          trx,
        );
        const drop = await empty(trx);
        for (const month of drop) {
          const names = partitionedTables.map((t) => sql.table(partitionName(t, month)));
          await sql`drop table ${sql.join(names)}`.execute(trx);
        }
        return drop;
      }),
    );
  } catch (error) {
    // 55P03 lock_not_available (the timeout), 40P01 deadlock: left for a later run.
    if (error instanceof Error && "code" in error && (error.code === "55P03" || error.code === "40P01"))
      return [];
    throw error;
  }
}
