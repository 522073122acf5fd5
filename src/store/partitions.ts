import { PostgresAdapter, sql, type Kysely } from "kysely";
import { protectTable } from "./migrations/tenant-wall";
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
    for (const name of names) {
      // Two ranges rather than `<>`, which no index serves: the key's tenant prefix answers at once.
      const other = await sql`select 1 from ${sql.table(name)}
        where tenant_num < ${tenantNum} or tenant_num > ${tenantNum} limit 1`.execute(db);
      if (other.rows.length > 0) return null;
    }
    return names;
  });
}

/** Empties the named partitions (as the owner: truncating needs more than the application role's grants). */
export async function truncatePartitions(db: Kysely<any>, names: readonly string[]): Promise<void> {
  await asOwner(async () => {
    await sql`truncate ${sql.join(names.map((n) => sql.table(n)))}`.execute(db);
  });
}
