import Sqlite from "better-sqlite3";
import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import {
  Kysely,
  Migrator,
  PostgresAdapter,
  SqliteDialect,
  sql,
  type ColumnMetadata,
  type DatabaseIntrospector,
  type DatabaseMetadata,
  type DatabaseMetadataOptions,
  type SchemaMetadata,
  type TableMetadata,
  type Transaction,
} from "kysely";
import pg from "pg";
import type { Database } from "./database";
import { migrationProvider } from "./migrations/index";
import { registerSqliteHandle } from "./open-transaction";
import { appRole, systemRole } from "./migrations/tenant-wall";
import { TenantScopedPostgresDialect, type RoleMode } from "./tenant-driver";
import { asOwner } from "./tenant-scope";

export type Engine = "sqlite" | "postgres";
export type Db = Kysely<Database>;
export type Trx = Transaction<Database> | Kysely<Database>;

export interface Store {
  readonly engine: Engine;
  readonly db: Db;
  /** The SQLite handle, for hot paths that use prepared statements directly (bulk ingest). */
  readonly sqlite: Sqlite.Database | null;
  /** The SQLite file (null for PostgreSQL and for `:memory:`). */
  readonly sqlitePath: string | null;
  /** Runs `work` in one transaction: everything it writes lands together or not at all. */
  transaction<T>(work: (trx: Trx) => Promise<T>, options?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
}

export interface TransactionOptions {
  /**
   * SQLite: how long to keep asking for the write lock while another process holds it (default:
   * the connection's 5 s busy timeout, then "database is locked"). Changes that must not fail
   * because an import is running (consent withdrawals, opt-outs) and imports themselves wait longer.
   */
  lockWaitMs?: number;
}

export interface OpenStoreOptions {
  /** PostgreSQL schema to use (tests isolate themselves in one); created when missing. */
  schema?: string;
  migrate?: boolean;
  /**
   * Called with the text of every statement the store runs (SQLite: with its values, as SQLite
   * expands them; PostgreSQL: with $n placeholders). For the SQL snapshots reviewers read
   * (test/sql/); never set in production.
   */
  onStatement?: (sql: string) => void;
  /** SQLite: read pages through a memory map of the file (`kith serve` with the API does). */
  mapForReads?: boolean;
}

/** How much of a SQLite file `mapForReads` maps (pages beyond it are read as usual). */
const mappedReadBytes = 1024 * 1024 * 1024;

/**
 * Opens the store named by a URL: `postgres://…` for PostgreSQL, otherwise a SQLite file path
 * (`sqlite:path`, `file:path` or a plain path; `:memory:` for a throwaway store). Migrates on open.
 */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const roleMode: RoleMode = { appRole: false };
  const store = /^postgres(ql)?:\/\//.test(url)
    ? await openPostgres(url, roleMode, options.schema, options.onStatement)
    : openSqlite(url, options);
  try {
    if (options.migrate !== false) await migrateToLatest(store.db);
    // From migration 0010 on, application statements run as its role, bound by the row policies.
    if (store.engine === "postgres") roleMode.appRole = await appRoleReady(store.db);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/**
 * Migrates `db` to the latest migration, as the connecting (owning) role on PostgreSQL. Safe when
 * several processes start at once on one store: one migrates, the others wait and then find
 * nothing left to do. PostgreSQL: Kysely's migrator holds a session advisory lock for the run and
 * migrates in one transaction. SQLite: Kysely takes no lock there and runs migrations outside a
 * transaction, so the whole run is one transaction begun IMMEDIATE, asking for the write lock
 * until the process holding it has finished (up to `migrationLockWaitMs`); a failed migration
 * then leaves nothing half-applied either.
 */
export async function migrateToLatest(db: Db): Promise<void> {
  const database = sqliteHandles.get(db);
  const run = async (on: Db) => {
    const { error } = await asOwner(async () => (await createMigrator(on)).migrateToLatest());
    if (error) throw error instanceof Error ? error : new Error(`migration failed: ${JSON.stringify(error)}`);
  };
  if (!database) return run(db);
  // Nothing to do (every start but an upgrade's): no write lock, so a process starting while an
  // import holds the lock (the CLI withdrawing consent during a batch) is not held up by it.
  if (!(await sqliteMigrationsPending(db))) return;
  await db.connection().execute(async (conn) => {
    await beginImmediate(conn, database, migrationLockWaitMs);
    try {
      await run(conn);
      await sql`commit`.execute(conn);
    } catch (error) {
      await sql`rollback`.execute(conn);
      throw error;
    }
  });
}

/**
 * Whether a SQLite store has migrations to apply, read without the write lock. Busy (another
 * process is creating the migration tables right now) counts as pending: the caller then waits
 * for the lock and looks again under it.
 */
async function sqliteMigrationsPending(db: Db): Promise<boolean> {
  try {
    return (await (await createMigrator(db)).getMigrations()).some((m) => !m.executedAt);
  } catch (error) {
    if (isBusy(error)) return true;
    throw error;
  }
}

/** How long a starting process waits for another one's SQLite migration (PostgreSQL: Kysely's 1 h). */
const migrationLockWaitMs = 60 * 60_000;

/** Whether the roles of migration 0010 exist and may use this store's schema (0010 ran here). */
async function appRoleReady(db: Db): Promise<boolean> {
  const { rows } = await asOwner(() =>
    sql<{ ready: boolean }>`select count(*) = 2 as ready from pg_roles
      where rolname in (${appRole}, ${systemRole}) and has_schema_privilege(rolname, current_schema(), 'USAGE')`.execute(
      db,
    ),
  );
  return rows[0]?.ready === true;
}

/** Kith's migrator for `db`; tests use it to stop at an older migration. */
export async function createMigrator(db: Db): Promise<Migrator> {
  // On PostgreSQL the migration tables live in the schema the store uses. Named explicitly: without
  // a schema, Kysely looks for its lock table in every schema of the database, finds another
  // store's (a test suite's, a second tenant database's) and then fails to read its own.
  const schema =
    db.getExecutor().adapter instanceof PostgresAdapter
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  // Unordered: migrations are developed in parallel branches; each is independent of the others'
  // order, and a store migrated before a lower-numbered one landed must still accept it.
  return new Migrator({
    db,
    provider: migrationProvider,
    allowUnorderedMigrations: true,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
}

function openSqlite(url: string, options: OpenStoreOptions): Store {
  const { onStatement } = options;
  const path = url.replace(/^(sqlite|file):/, "");
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const database = new Sqlite(path, onStatement ? { verbose: (text) => onStatement(String(text)) } : {});
  database.pragma("journal_mode = WAL");
  database.pragma("synchronous = NORMAL");
  database.pragma(`busy_timeout = ${busyTimeoutMs}`);
  // A bigger page cache keeps index pages of bulk ingest in memory (64 MiB; negative = KiB).
  database.pragma("cache_size = -65536");
  // Serving reads: pages through a memory map of the file instead of one pread call per page
  // missing from the page cache (a store larger than the cache, e.g. 150 MB at 1M pairs, misses
  // on most questions). Off for ingest and the CLI: mapped pages count in the process's RSS.
  if (options.mapForReads) database.pragma(`mmap_size = ${mappedReadBytes}`);
  // Bulk ingest stages rows in temp tables (interaction.repository.ts): on disk, so memory stays
  // flat however large a batch is.
  database.pragma("temp_store = FILE");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  sqliteHandles.set(db, database);
  registerSqliteHandle(db.getExecutor().adapter, database);
  return {
    engine: "sqlite",
    db,
    sqlite: database,
    sqlitePath: path === ":memory:" ? null : path,
    // BEGIN IMMEDIATE takes the write lock up front, so two processes never deadlock upgrading a read.
    transaction: (work, options) =>
      db.connection().execute(async (conn) => {
        await beginImmediate(conn, database, options?.lockWaitMs ?? 0);
        try {
          const result = await work(conn);
          await sql`commit`.execute(conn);
          return result;
        } catch (error) {
          await sql`rollback`.execute(conn);
          throw error;
        }
      }),
    close: () => db.destroy(),
  };
}

const isBusy = (error: unknown) =>
  error instanceof Error && "code" in error && String(error.code).startsWith("SQLITE_BUSY");

const busyTimeoutMs = 5000;

/**
 * BEGIN IMMEDIATE. With `waitMs`, it asks again while another connection holds the write lock until
 * `waitMs` have passed, without SQLite's busy wait, which would block this thread: the holder may
 * be this process's own job worker (`kith serve` gives it a connection of its own), which must get
 * to run to see a pending consent change and yield the lock.
 */
async function beginImmediate(
  conn: Kysely<Database>,
  database: Sqlite.Database,
  waitMs: number,
): Promise<void> {
  if (waitMs <= 0) {
    await sql`begin immediate`.execute(conn);
    return;
  }
  const deadline = performance.now() + waitMs;
  database.pragma("busy_timeout = 0");
  try {
    for (;;) {
      try {
        await sql`begin immediate`.execute(conn);
        return;
      } catch (error) {
        if (!isBusy(error) || performance.now() >= deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  } finally {
    database.pragma(`busy_timeout = ${busyTimeoutMs}`);
  }
}

const parseBigint = (value: string): number => Number(value);

function parsePgType(oid: number, format?: "text" | "binary"): (value: string) => unknown {
  if (oid === 20) return parseBigint;
  return pg.types.getTypeParser(oid, format ?? "text") as (value: string) => unknown;
}

async function openPostgres(
  url: string,
  roleMode: RoleMode,
  schema?: string,
  onStatement?: (sql: string) => void,
): Promise<Store> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
    // bigint columns hold epoch milliseconds and counts: well inside Number's exact range.
    types: {
      getTypeParser: parsePgType,
    },
  });
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const first = args[0];
      if (typeof first === "string" && first.startsWith(preparedMarker)) {
        // Kysely calls query(text, values): run it as this connection's named statement instead.
        const text = first.slice(preparedMarker.length);
        onStatement?.(text);
        return query({ name: preparedName(text), text, values: args[1] }, ...args.slice(2));
      }
      if (onStatement)
        onStatement(typeof first === "string" ? first : String((first as { text?: string }).text ?? ""));
      return query(...args);
    };
  });
  if (schema) {
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
    // Created only when missing: `create schema if not exists` needs CREATE on the database even
    // when the schema exists, which a deployment's role given its own schema may not have.
    const { rowCount } = await pool.query("select 1 from pg_namespace where nspname = $1", [schema]);
    if (!rowCount) await pool.query(`create schema if not exists ${schema}`);
  }
  const db = new Kysely<Database>({ dialect: new StorePostgresDialect({ pool }, roleMode) });
  return {
    engine: "postgres",
    db,
    sqlite: null,
    sqlitePath: null,
    transaction: (work) => db.transaction().execute(work),
    close: () => db.destroy(),
  };
}

/**
 * PostgreSQL: a statement whose text starts with this comment (`sql` template: `${sql.raw(preparedMarker)}`
 * first) runs as a named prepared statement of each pooled connection: PostgreSQL parses and
 * plans it on the connection's first call and then only binds and executes it. For the few
 * statements every API request runs (who-knows-whom's one read), where planning cost more than
 * executing (0.7 of 1.4 ms for the person, account and states). Only for fixed texts: every
 * distinct text stays prepared on every connection for its life.
 */
export const preparedMarker = "/* prepared */ ";

const preparedNames = new Map<string, string>();

function preparedName(text: string): string {
  let name = preparedNames.get(text);
  if (!name) {
    name = `kith_${createHash("sha256").update(text).digest("hex").slice(0, 24)}`;
    preparedNames.set(text, name);
  }
  return name;
}

/** PostgreSQL as Kysely speaks it, but with the catalogue read of the store's own schema only. */
class StorePostgresDialect extends TenantScopedPostgresDialect {
  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new StoreSchemaIntrospector(db);
  }
}

interface CatalogueRow {
  table: string;
  schema: string;
  kind: string;
  column: string;
  type: string;
  type_schema: string;
  not_null: boolean;
  has_default: boolean;
  auto_incrementing: boolean;
}

/**
 * Kysely's PostgreSQL introspector reads the columns of every schema in the database and calls
 * functions (`has_schema_privilege`, `pg_get_serial_sequence`) on each row: when another schema is
 * dropped meanwhile — another store's, a test suite's — the read fails with `schema "…" does not
 * exist`, and with it the migrator, so opening the store fails. A store lives in one schema (the
 * first of its search_path): this reads that schema's tables only, by plain catalogue joins, and
 * calls functions on its own rows alone. The migrator is its main reader.
 */
class StoreSchemaIntrospector implements DatabaseIntrospector {
  constructor(private readonly db: Kysely<unknown>) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<SchemaMetadata>`
      select nspname as name from pg_catalog.pg_namespace
      where nspname !~ '^pg_' and nspname <> 'information_schema'
      order by nspname`.execute(this.db);
    return rows;
  }

  async getTables(
    options: DatabaseMetadataOptions = { withInternalKyselyTables: false },
  ): Promise<TableMetadata[]> {
    const { rows } = await sql<CatalogueRow>`
      select c.relname as "table", ns.nspname as "schema", c.relkind as kind, a.attname as "column",
        typ.typname as "type", tns.nspname as type_schema, a.attnotnull as not_null,
        a.atthasdef as has_default,
        (a.attidentity <> '' or coalesce(pg_get_expr(d.adbin, d.adrelid) like 'nextval(%', false))
          as auto_incrementing
      from pg_catalog.pg_class c
      join pg_catalog.pg_namespace ns on ns.oid = c.relnamespace
      join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      join pg_catalog.pg_type typ on typ.oid = a.atttypid
      join pg_catalog.pg_namespace tns on tns.oid = typ.typnamespace
      left join pg_catalog.pg_attrdef d on d.adrelid = c.oid and d.adnum = a.attnum
      where ns.nspname = current_schema() and c.relkind in ('r', 'v', 'p')
      order by c.relname, a.attnum`.execute(this.db);
    const internal = new Set(["kysely_migration", "kysely_migration_lock"]);
    const tables = new Map<
      string,
      { name: string; schema: string; isView: boolean; columns: ColumnMetadata[] }
    >();
    for (const row of rows) {
      if (!options.withInternalKyselyTables && internal.has(row.table)) continue;
      let table = tables.get(row.table);
      if (!table) {
        table = { name: row.table, schema: row.schema, isView: row.kind === "v", columns: [] };
        tables.set(row.table, table);
      }
      table.columns.push({
        name: row.column,
        dataType: row.type,
        dataTypeSchema: row.type_schema,
        isAutoIncrementing: row.auto_incrementing,
        isNullable: !row.not_null,
        hasDefaultValue: row.has_default,
      });
    }
    return [...tables.values()];
  }

  async getMetadata(options?: DatabaseMetadataOptions): Promise<DatabaseMetadata> {
    return { tables: await this.getTables(options) };
  }
}

// ---------------------------------------------------------------------------------------------
// Prepared statements for hot SQLite reads

const sqliteHandles = new WeakMap<object, Sqlite.Database>();
const statementCaches = new WeakMap<Sqlite.Database, Map<string, Sqlite.Statement>>();
const maxCachedStatements = 256;

/**
 * A prepared statement of `database` for `text`, prepared once and reused (bounded cache). `raw`
 * (true): rows come back as arrays in column order (no object per row); "pluck": each row as its
 * first column's value alone.
 */
export function cachedStatement(
  database: Sqlite.Database,
  text: string,
  raw: boolean | "pluck" = false,
): Sqlite.Statement {
  let cache = statementCaches.get(database);
  if (!cache) {
    cache = new Map();
    statementCaches.set(database, cache);
  }
  const key = raw === "pluck" ? `pluck\u0000${text}` : raw ? `raw\u0000${text}` : text;
  let statement = cache.get(key);
  if (!statement) {
    statement = database.prepare(text);
    if (raw === "pluck") statement.pluck(true);
    else if (raw) statement.raw(true);
    if (cache.size >= maxCachedStatements) cache.delete(cache.keys().next().value as string);
    cache.set(key, statement);
  }
  return statement;
}

/**
 * Runs `work` with the raw SQLite handle behind `db` when `db` is a store's own (root) SQLite
 * Kysely instance; resolves to `undefined` otherwise (PostgreSQL, or a transaction's connection:
 * the caller then takes its Kysely path). `work` runs while Kysely's single SQLite connection is
 * held (`db.connection()`), so it never interleaves with another caller's open transaction or
 * streaming read on that connection. `work` must be synchronous (better-sqlite3 is).
 */
export async function withSqliteHandle<T>(
  db: Trx,
  work: (database: Sqlite.Database) => T,
): Promise<{ value: T } | undefined> {
  const database = sqliteHandles.get(db);
  if (!database) return undefined;
  return (db as Db).connection().execute(() => Promise.resolve({ value: work(database) }));
}

/**
 * `withSqliteHandle` for several reads that belong together: `work` runs inside one deferred
 * read transaction (BEGIN … COMMIT), so its statements see one snapshot and SQLite takes and drops
 * its read lock once, not once per statement. Outside a transaction every statement is its own
 * read transaction: two lock calls and a file check, each a system call (~7 µs per statement on
 * this project's virtual machines, more than the primary-key read itself).
 */
export async function withSqliteRead<T>(
  db: Trx,
  work: (database: Sqlite.Database) => T,
): Promise<{ value: T } | undefined> {
  return withSqliteHandle(db, (database) => {
    if (database.inTransaction) return work(database);
    cachedStatement(database, "begin").run();
    try {
      return work(database);
    } finally {
      // A read transaction has nothing to keep: commit just releases it (an error may have ended it).
      if (database.inTransaction) cachedStatement(database, "commit").run();
    }
  });
}
