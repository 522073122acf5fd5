import Sqlite from "better-sqlite3";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { sql } from "kysely";
import { backupTables, exactIntegerColumns, type BackupTable } from "./backup-tables";
import { chunked } from "./chunk";
import { ensureMonthPartitions, partitionedTables } from "./partitions";
import { cachedStatement, type Store, type Trx } from "./store";
import { acrossTenants, asOwner } from "./tenant-scope";

/**
 * The SQL side of `kith backup` / `kith restore` (services/backup.service.ts): a consistent
 * snapshot of every table, read generically (the tables come from backup-tables.ts, the columns
 * from the rows), and rows written back into a fresh store.
 */

/** Rows of one table as arrays, in the order of `columns`. */
export interface RowChunk {
  columns: string[];
  rows: unknown[][];
}

export interface Snapshot {
  /** The store's tables (Kysely's migration tables aside). */
  tables: string[];
  /** Names of the migrations the store has run. */
  migrations: string[];
  /** `table`'s rows ordered by its tenant column, at most `size` a chunk. */
  rows(table: BackupTable, size: number): AsyncIterable<RowChunk>;
}

/**
 * Runs `work` on one consistent snapshot of the store. SQLite: the online backup API copies the
 * database into `scratchDir` page by page while writers go on (a copy restarted by a write ends as
 * one consistent state), and the copy is read; it is deleted afterwards. PostgreSQL: every read
 * runs in one REPEATABLE READ, read-only transaction, as the cross-tenant role.
 */
export async function withSnapshot<T>(
  store: Store,
  scratchDir: string,
  work: (snapshot: Snapshot) => Promise<T>,
): Promise<T> {
  if (store.sqlite) return withSqliteSnapshot(store.sqlite, scratchDir, work);
  return acrossTenants("a backup reads every tenant in one snapshot", () =>
    store.db
      .transaction()
      .setIsolationLevel("repeatable read")
      .setAccessMode("read only")
      .execute((trx) => postgresSnapshot(trx, work)),
  );
}

async function withSqliteSnapshot<T>(
  live: Sqlite.Database,
  scratchDir: string,
  work: (snapshot: Snapshot) => Promise<T>,
): Promise<T> {
  const copy = join(scratchDir, `snapshot-${process.pid}-${Date.now()}.db`);
  try {
    await live.backup(copy);
    const database = new Sqlite(copy, { readonly: true });
    try {
      const tables = database
        .prepare(
          "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' order by name",
        )
        .pluck()
        .all() as string[];
      const migrations = database
        .prepare("select name from kysely_migration order by name")
        .pluck()
        .all() as string[];
      return await work({
        tables,
        migrations,
        // eslint-disable-next-line @typescript-eslint/require-await
        async *rows(table, size) {
          const statement = database.prepare(selectAll(database, table)).raw(true);
          const columns = statement.columns().map((c) => c.name);
          let rows: unknown[][] = [];
          for (const row of statement.iterate() as Iterable<unknown[]>) {
            rows.push(row);
            if (rows.length >= size) {
              yield { columns, rows };
              rows = [];
            }
          }
          if (rows.length) yield { columns, rows };
        },
      });
    } finally {
      database.close();
    }
  } finally {
    for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${copy}${suffix}`, { force: true });
  }
}

async function postgresSnapshot<T>(trx: Trx, work: (snapshot: Snapshot) => Promise<T>): Promise<T> {
  const { rows: tableRows } = await sql<{ name: string }>`
    select c.relname as name from pg_catalog.pg_class c
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and c.relkind in ('r', 'p') and not c.relispartition
      and c.relname not like 'kysely_%'
    order by c.relname`.execute(trx);
  const { rows: migrationRows } = await asOwner(() =>
    sql<{ name: string }>`select name from kysely_migration order by name`.execute(trx),
  );
  return work({
    tables: tableRows.map((r) => r.name),
    migrations: migrationRows.map((r) => r.name),
    async *rows(table, size) {
      const columns = (
        await sql<{ name: string }>`select column_name as name from information_schema.columns
          where table_schema = current_schema() and table_name = ${table.table} order by ordinal_position`.execute(
          trx,
        )
      ).rows.map((r) => r.name);
      await sql`declare kith_backup_rows no scroll cursor for ${sql.raw(selectOf(table, columns, "postgres"))}`.execute(
        trx,
      );
      try {
        for (;;) {
          const { rows } = await sql<Record<string, unknown>>`fetch forward ${sql.raw(String(size))}
            from kith_backup_rows`.execute(trx);
          if (rows.length === 0) break;
          const columns = Object.keys(rows[0] ?? {});
          yield { columns, rows: rows.map((r) => columns.map((c) => r[c])) };
          if (rows.length < size) break;
        }
      } finally {
        await sql`close kith_backup_rows`.execute(trx);
      }
    },
  });
}

/**
 * The statement reading a table for a backup, ordered by its tenant: every column, 64-bit keys as
 * decimal text (`exactIntegerColumns`), and for a table keyed by `tenant_num` its tenant's id in
 * front (`tenant_id`).
 */
function selectOf(table: BackupTable, columns: readonly string[], engine: "sqlite" | "postgres"): string {
  const exact = new Set(exactIntegerColumns[table.table] ?? []);
  const list = columns
    .map((c) => (exact.has(c) ? `cast(x."${c}" as text) as "${c}"` : `x."${c}"`))
    .join(", ");
  if (!table.numbered) return `select ${list} from "${table.table}" x order by x."${table.tenantColumn}"`;
  const id = engine === "postgres" ? "t.id" : "t.id";
  return `select ${id} as tenant_id, ${list} from "${table.table}" x join tenant t on t.num = x.tenant_num
    order by t.id`;
}

function selectAll(database: Sqlite.Database, table: BackupTable): string {
  const columns = (database.pragma(`table_info("${table.table}")`) as { name: string }[]).map((c) => c.name);
  return selectOf(table, columns, "sqlite");
}

/** The store's tables and migrations, to check a restore target against a backup. */
export async function describeStore(store: Store): Promise<{ tables: string[]; migrations: string[] }> {
  if (store.sqlite) {
    const tables = store.sqlite
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' order by name",
      )
      .pluck()
      .all() as string[];
    const migrations = store.sqlite
      .prepare("select name from kysely_migration order by name")
      .pluck()
      .all() as string[];
    return { tables, migrations };
  }
  return asOwner(async () => {
    const { rows: tables } = await sql<{ name: string }>`
      select c.relname as name from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = current_schema() and c.relkind in ('r', 'p') and not c.relispartition
        and c.relname not like 'kysely_%'
      order by c.relname`.execute(store.db);
    const { rows: migrations } = await sql<{
      name: string;
    }>`select name from kysely_migration order by name`.execute(store.db);
    return { tables: tables.map((r) => r.name), migrations: migrations.map((r) => r.name) };
  });
}

/** Tables of the store that hold at least one row (a restore goes only into an empty store). */
export async function nonEmptyTables(store: Store, tables: readonly string[]): Promise<string[]> {
  return acrossTenants("a restore checks that the target store is empty", async () => {
    const found: string[] = [];
    for (const table of tables) {
      const { rows } = await sql<{ one: number }>`select 1 as one from ${sql.table(table)} limit 1`.execute(
        store.db,
      );
      if (rows.length) found.push(table);
    }
    return found;
  });
}

/**
 * Inserts rows as they were read (same columns, same values) inside the caller's transaction,
 * across tenants. SQLite: one prepared statement a row (the transaction holds the only connection);
 * PostgreSQL: multi-row inserts within the bound-variable budget.
 */
export async function insertRows(store: Store, trx: Trx, table: string, chunk: RowChunk): Promise<void> {
  if (chunk.rows.length === 0) return;
  // A table keyed by tenant_num was read with its tenant's id beside each row (selectOf).
  if (backupTables.find((t) => t.table === table)?.numbered) {
    const at = chunk.columns.indexOf("tenant_id");
    if (at >= 0)
      chunk = {
        columns: chunk.columns.filter((_, i) => i !== at),
        rows: chunk.rows.map((r) => r.filter((_, i) => i !== at)),
      };
  }
  const names = chunk.columns.map((c) => `"${c.replaceAll('"', '""')}"`).join(", ");
  if (store.sqlite) {
    const statement = cachedStatement(
      store.sqlite,
      `insert into "${table}" (${names}) values (${chunk.columns.map(() => "?").join(", ")})`,
    );
    for (const row of chunk.rows) statement.run(row);
    return;
  }
  // PostgreSQL's monthly partitions (migration 0070) of the restored rows' months.
  if (partitionedTables.some((t) => t === table)) {
    const at = chunk.columns.indexOf("occurred_at");
    await ensureMonthPartitions(
      trx,
      chunk.rows.map((r) => Number(r[at])),
    );
  }
  await acrossTenants("a restore writes every tenant's rows", async () => {
    for (const part of chunked(chunk.rows, chunk.columns.length)) {
      await sql`insert into ${sql.table(table)} (${sql.raw(names)}) values ${sql.join(
        part.map((row) => sql`(${sql.join(row)})`),
      )}`.execute(trx);
    }
  });
}

/**
 * PostgreSQL: moves every identity sequence of the store past the largest restored value, so the
 * next row inserted gets a fresh key (SQLite's integer primary keys need nothing).
 */
export async function resetIdentities(store: Store, trx: Trx): Promise<void> {
  if (store.engine !== "postgres") return;
  await asOwner(async () => {
    const { rows } = await sql<{ table: string; column: string }>`
      select table_name as "table", column_name as "column" from information_schema.columns
      where table_schema = current_schema() and is_identity = 'YES'`.execute(trx);
    for (const { table, column } of rows) {
      await sql`select setval(pg_get_serial_sequence(${table}, ${column}),
        coalesce((select max(${sql.ref(column)}) from ${sql.table(table)}), 0) + 1, false)`.execute(trx);
    }
  });
}
