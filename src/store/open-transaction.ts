import type Sqlite from "better-sqlite3";
import type { Trx } from "./store";

/**
 * Whether a Kysely instance of a store is inside an open transaction: a Kysely transaction
 * (PostgreSQL), or on SQLite the store's one connection while `Store.transaction` holds it (begun by
 * hand, so Kysely does not know; the handle does). What is read there may still roll back.
 * A module of its own so that readers below `store.ts` can ask without importing it.
 */
const sqliteByAdapter = new WeakMap<object, Sqlite.Database>();

/** Called by `openStore` for a SQLite store: its adapter is shared by the root and its connections. */
export function registerSqliteHandle(adapter: object, database: Sqlite.Database): void {
  sqliteByAdapter.set(adapter, database);
}

export function inOpenTransaction(db: Trx): boolean {
  return db.isTransaction || (sqliteByAdapter.get(db.getExecutor().adapter)?.inTransaction ?? false);
}
