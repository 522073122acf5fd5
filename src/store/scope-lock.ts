import { randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { sql } from "kysely";
import type Sqlite from "better-sqlite3";
import type { Store, Trx } from "./store";

/**
 * How a change that narrows the collection scope (a consent withdrawal, a user turning sharing off,
 * an opted-out group, a role restriction, relationship intelligence turned off) and a running import
 * are serialised, so that once both have finished nothing of the withdrawn scope is stored, whatever
 * the interleaving (SPEC §3 "every rule holds under concurrency"):
 *
 * - The change announces itself before it starts ("pending"), then runs in one transaction.
 * - An import looks for a pending change between record batches; seeing one, it rolls its batch
 *   back (so the change neither waits for a long batch nor meets its row locks), waits until the
 *   change has committed, and runs the batch again with the new scope.
 * - Just before committing, an import checks once more under a lock that changes also take, and
 *   compares the scope it collected with against the scope now (ingest.service.ts).
 *
 * SQLite has one writer at a time: a change cannot write while an import's transaction is open, so
 * "pending" is a marker file beside the database (every process on the file sees it) plus an
 * in-process count for `:memory:` stores. PostgreSQL lets both write: there "pending" is a
 * transaction-scoped advisory lock per tenant that the change holds until it commits, which an
 * import tries without waiting (it never waits while holding row locks the change may need, so the
 * two cannot deadlock).
 */

/** Advisory lock classes (first key of the two-key form); the second key is hashtext(tenant id). */
const scopeLockClass = 0x4b17;
const importLockClass = 0x4b18;
/** Held shared by a live connector's request to a mail server, exclusively by a scope change. */
const mailRequestLockClass = 0x4b19;

const inProcessPending = new WeakMap<Sqlite.Database, number>();

const markerDir = (path: string) => `${path}-scope-changes`;

/**
 * Announces a scope change on `store` (SQLite). Returns the function that withdraws the
 * announcement; call it when the change's transaction has ended, committed or not.
 */
export function announceScopeChange(store: Store): () => void {
  return register(store, inProcessPending, markerDir);
}

/**
 * Counts one running thing (a scope change, a mail request) on `store` (SQLite): in this process,
 * and as a file named after this process in `dirOf(path)`, seen by every process on the file.
 * Returns the function that ends it.
 */
function register(
  store: Store,
  counts: WeakMap<Sqlite.Database, number>,
  dirOf: (path: string) => string,
): () => void {
  const database = store.sqlite;
  if (!database) return () => undefined;
  counts.set(database, (counts.get(database) ?? 0) + 1);
  let file: string | null = null;
  if (store.sqlitePath) {
    const dir = dirOf(store.sqlitePath);
    mkdirSync(dir, { recursive: true });
    file = `${dir}/${process.pid}-${randomUUID()}`;
    writeFileSync(file, "");
  }
  return () => {
    counts.set(database, (counts.get(database) ?? 1) - 1);
    if (file) rmSync(file, { force: true });
  };
}

/** Whether a registered thing is running: counted in this process, or a file of a live process in `dir`. */
function registered(
  database: Sqlite.Database,
  counts: WeakMap<Sqlite.Database, number>,
  dir: string | null,
): boolean {
  if ((counts.get(database) ?? 0) > 0) return true;
  if (!dir) return false;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return false;
  }
  let any = false;
  for (const name of names) {
    if (isProcessAlive(Number.parseInt(name, 10))) any = true;
    // A process that died while registered left its file: it is not running any more.
    else rmSync(`${dir}/${name}`, { force: true });
  }
  return any;
}

/** Inside a change's transaction (PostgreSQL): hold the tenant's scope lock until commit. */
export async function lockScopeForChange(trx: Trx, store: Store, tenantId: string): Promise<void> {
  if (store.engine !== "postgres") return;
  await sql`select pg_advisory_xact_lock(${scopeLockClass}, hashtext(${tenantId}))`.execute(trx);
  // Waits for mail-server requests already let through (holdScopeForMailRequest) to be on their way.
  await sql`select pg_advisory_xact_lock(${mailRequestLockClass}, hashtext(${tenantId}))`.execute(trx);
}

/**
 * PostgreSQL, inside the transaction that lets one live connector request go to a mail server (live
 * sync): a lock shared among such requests and exclusive to changes (lockScopeForChange), of its own
 * class, so imports asking whether a change is pending do not see requests as changes; no scope
 * change commits until the request ended, so a request either left before a withdrawal committed
 * or was checked against it. SQLite uses `beginSqliteMailRequest` instead.
 */
export async function holdScopeForMailRequest(trx: Trx, store: Store, tenantId: string): Promise<void> {
  if (store.engine !== "postgres") return;
  await sql`select pg_advisory_xact_lock_shared(${mailRequestLockClass}, hashtext(${tenantId}))`.execute(trx);
}

/*
 * SQLite: a mail-server request must not hold the write lock while it is on the wire. better-sqlite3
 * waits for a busy lock synchronously, so a write of the same process (a sign-in under `kith serve`)
 * would block the event loop that has to finish the request: both stall until the busy timeout.
 * Instead a request registers itself (a file per request beside the database, seen by every process
 * on it; an in-process count for `:memory:`), then checks that no scope change is announced; a scope
 * change announces itself, then waits (asynchronously) until every registered request has ended
 * (`waitForSqliteMailRequests`) before it writes. Whichever registers first, the other sees it: a
 * request registered before the announcement finishes before the change commits; one registered
 * after it sees the announcement and sends nothing.
 */
const inProcessMailRequests = new WeakMap<Sqlite.Database, number>();
const mailRequestDir = (path: string) => `${path}-mail-requests`;

/** Registers one mail-server request (SQLite); returns the function that ends it. */
export function beginSqliteMailRequest(store: Store): () => void {
  return register(store, inProcessMailRequests, mailRequestDir);
}

/** Is a scope change announced on this SQLite store (by any process on the file)? */
export function sqliteScopeChangePending(store: Store): boolean {
  return store.sqlite ? sqlitePending(store.sqlite, store.sqlitePath) : false;
}

/** SQLite: waits, without blocking the thread, until no registered mail-server request is running. */
export async function waitForSqliteMailRequests(store: Store): Promise<void> {
  const database = store.sqlite;
  if (!database) return;
  const dir = store.sqlitePath ? mailRequestDir(store.sqlitePath) : null;
  while (registered(database, inProcessMailRequests, dir))
    await new Promise((resolve) => setTimeout(resolve, 10));
}

/**
 * Is a scope change waiting or running? Called by an import between record batches, inside its
 * transaction. On SQLite any change counts, whatever its tenant: the write lock is the whole file's.
 */
export async function isScopeChangePending(trx: Trx, store: Store, tenantId: string): Promise<boolean> {
  if (store.sqlite) return sqlitePending(store.sqlite, store.sqlitePath);
  const row = await sql<{
    free: boolean;
  }>`select pg_try_advisory_lock(${scopeLockClass}, hashtext(${tenantId})) as free`.execute(trx);
  const free = row.rows[0]?.free === true;
  if (free) await sql`select pg_advisory_unlock(${scopeLockClass}, hashtext(${tenantId}))`.execute(trx);
  return !free;
}

/**
 * An import's last step before committing: takes the tenant's scope lock for the rest of the
 * transaction, so no change can commit between the import's final check and its commit. False
 * when a change holds it (the import then rolls back and runs again).
 */
export async function tryLockScopeForCommit(trx: Trx, store: Store, tenantId: string): Promise<boolean> {
  if (store.sqlite) return !sqlitePending(store.sqlite, store.sqlitePath);
  const row = await sql<{
    locked: boolean;
  }>`select pg_try_advisory_xact_lock(${scopeLockClass}, hashtext(${tenantId})) as locked`.execute(trx);
  return row.rows[0]?.locked === true;
}

/**
 * Imports of one tenant run one at a time on PostgreSQL (SQLite's write lock already does this):
 * two batches folding the same strength pair would otherwise each read the old state and the later
 * commit would drop the earlier's touches.
 */
export async function lockTenantImports(trx: Trx, store: Store, tenantId: string): Promise<void> {
  if (store.engine !== "postgres") return;
  await sql`select pg_advisory_xact_lock(${importLockClass}, hashtext(${tenantId}))`.execute(trx);
}

/** Waits (outside any transaction) until no scope change is pending, for at most `timeoutMs`. */
export async function waitForScopeChanges(
  store: Store,
  tenantId: string,
  timeoutMs: number,
): Promise<boolean> {
  if (store.sqlite) {
    const deadline = performance.now() + timeoutMs;
    while (sqlitePending(store.sqlite, store.sqlitePath)) {
      if (performance.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return true;
  }
  return store.db.connection().execute(async (conn) => {
    await sql`select set_config('lock_timeout', ${`${Math.max(1, Math.round(timeoutMs))}ms`}, false)`.execute(
      conn,
    );
    try {
      await sql`select pg_advisory_lock(${scopeLockClass}, hashtext(${tenantId}))`.execute(conn);
      await sql`select pg_advisory_unlock(${scopeLockClass}, hashtext(${tenantId}))`.execute(conn);
      return true;
    } catch (error) {
      if (error instanceof Error && "code" in error && error.code === "55P03") return false;
      throw error;
    } finally {
      await sql`select set_config('lock_timeout', '0', false)`.execute(conn);
    }
  });
}

/** A change announced by this process, or a marker file of a process that is still alive. */
function sqlitePending(database: Sqlite.Database, path: string | null): boolean {
  return registered(database, inProcessPending, path ? markerDir(path) : null);
}

/** Whether a process of this host is running (a marker's or a batch's owner). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
