import type { BackupConfig } from "../config/config";
import { migrateToLatest, openStore, type Engine, type Store } from "../store/store";
import { configureDataKeys } from "./data-keys";

/**
 * What every use case needs: the store and a clock. Every rule that depends on time reads `now`
 * (SPEC §3 "time rules are testable"): tests move it, `KITH_NOW` starts it elsewhere, production
 * reads the wall clock.
 */
export interface ServiceContext {
  store: Store;
  now: () => Date;
  /**
   * The backup key store file (`KITH_BACKUP_KEYSTORE`), when configured: a withdrawal destroys the
   * tenant's data key there and an opt-out is recorded in its ledger (backup.service.ts).
   */
  backupKeyStore?: string | null;
}

/**
 * `keys`: the configuration's key store and KEK (`config.backup`), which also decide how this
 * process seals collected data (services/data-keys.ts: sealed with both set, readable otherwise;
 * a KEK that does not open the key store fails here, at start-up); or only the key store path,
 * which leaves the process-wide cipher as it is (a second context of the same process).
 */
export function createContext(
  store: Store,
  now: () => Date = () => new Date(),
  keys: BackupConfig | string | null = null,
): ServiceContext {
  if (keys !== null && typeof keys === "object") {
    configureDataKeys(keys);
    return { store, now, backupKeyStore: keys.keyStore };
  }
  return { store, now, backupKeyStore: keys };
}

/** The wall clock, or one that starts at `start` and then runs forward in real time. */
export function clockFrom(start: Date | null): () => Date {
  if (start === null) return () => new Date();
  const offset = start.getTime() - Date.now();
  return () => new Date(Date.now() + offset);
}

/** Opens the store at `databaseUrl` (migrating it) for a run of use cases; `close` releases it. */
export async function openContext(
  databaseUrl: string,
  now: () => Date = () => new Date(),
  keys: BackupConfig | string | null = null,
): Promise<{ ctx: ServiceContext; close: () => Promise<void> }> {
  const store = await openStore(databaseUrl);
  try {
    return { ctx: createContext(store, now, keys), close: () => store.close() };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** Creates or upgrades the store at `databaseUrl` (`kith migrate`); returns its engine. */
export async function migrateStore(databaseUrl: string): Promise<Engine> {
  const store = await openStore(databaseUrl, { migrate: false });
  try {
    await migrateToLatest(store.db);
  } finally {
    await store.close();
  }
  return store.engine;
}
