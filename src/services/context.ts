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
  const keyStore = keys !== null && typeof keys === "object" ? configureKeys(keys, now) : keys;
  return { store, now, backupKeyStore: keyStore };
}

function configureKeys(keys: BackupConfig, now?: () => Date): string | null {
  configureDataKeys(keys, now);
  return keys.keyStore;
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
  // Keys first: a migration that rewrites collected data seals it with them.
  const keyStore = keys !== null && typeof keys === "object" ? configureKeys(keys, now) : keys;
  const store = await openStore(databaseUrl);
  return { ctx: createContext(store, now, keyStore), close: () => store.close() };
}

/**
 * Creates or upgrades the store at `databaseUrl` (`kith migrate`); returns its engine. `keys`
 * (`config.backup`): how a migration that rewrites collected data seals it (readable without).
 */
export async function migrateStore(databaseUrl: string, keys?: BackupConfig): Promise<Engine> {
  if (keys) configureKeys(keys);
  const store = await openStore(databaseUrl, { migrate: false });
  try {
    await migrateToLatest(store.db);
  } finally {
    await store.close();
  }
  return store.engine;
}
