import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from "node:crypto";
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import type { BackupConfig } from "../config/config";
import { KithError, validationError } from "../domain/errors";

/**
 * The key store (README "Backups", "Encryption of collected data"): one JSON file, kept apart from
 * the store and from the backups, holding each tenant's data key wrapped (AES-256-GCM) by the
 * key-encryption key (KEK), and the forgetting ledger. The KEK itself is never written anywhere: it
 * comes from the environment or a key file. Destroying a tenant's data key (a consent withdrawal)
 * needs no KEK. A data key marked `live` also seals the tenant's collected data in the live store
 * (services/data-keys.ts), so one destruction makes both the live rows and every backup unreadable.
 *
 * Every change is a read-modify-write under a lock file, written to a temporary file, synced and
 * renamed over the old one: a crash leaves the old key store or the new one, never half of each.
 */

export const keyStoreFormat = "kith-keystore/1";

interface WrappedKey {
  id: string;
  tenantId: string;
  /** Epoch ms; a tenant-scope deletion receipt later than this means the key must go. */
  createdAt: number;
  /** base64 of iv (12) | ciphertext (32) | tag (16), AAD = "kith-data-key|" + tenantId + "|" + id. */
  wrapped: string;
  /**
   * Set when the key also seals the live store's collected data: only on a key made while the
   * tenant had no collected data (or for a rewrite of all of it), so its keyed hashes are stable.
   */
  live?: boolean;
}

/** A live data key that was destroyed: the tenant's live store stays sealed shut until a new one. */
interface DestroyedKey {
  id: string;
  tenantId: string;
  at: number;
}

/** What the ledger remembers: what a restore of an older backup must apply again. */
export type LedgerEntry =
  | { kind: "tenant"; tenantId: string; at: number; reason: string }
  | { kind: "user"; tenantId: string; userId: string; sharing: "off" | "on"; at: number; reason: string };

interface KeyStoreFile {
  format: typeof keyStoreFormat;
  /** The KEK's check value (a known text sealed by it); written by the first backup. */
  check: string | null;
  keys: WrappedKey[];
  ledger: LedgerEntry[];
  /** Live keys destroyed and not yet replaced (absent in key stores written before issue 18's live store). */
  destroyed?: DestroyedKey[];
}

export interface BackupKeys {
  /** The key-encryption key (32 bytes). */
  kek: Buffer;
  /** Path of the key store file. */
  keyStore: string;
}

const checkText = Buffer.from("kith backup key-encryption key check v1");

/** Reads a KEK written as base64 (44 characters) or hex (64 characters) of 32 random bytes. */
export function parseKek(text: string, origin: string): Buffer {
  const trimmed = text.trim();
  const bytes = /^[0-9a-f]{64}$/i.test(trimmed)
    ? Buffer.from(trimmed, "hex")
    : /^[A-Za-z0-9+/]{43}=?$/.test(trimmed)
      ? Buffer.from(trimmed, "base64")
      : null;
  if (bytes?.length !== 32)
    throw validationError(
      `${origin}: the key-encryption key must be 32 bytes written as base64 or hex (e.g. \`openssl rand -base64 32\`)`,
    );
  return bytes;
}

export function seal(key: Buffer, plain: Buffer, aad: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

/** Opens what `seal` made; null when the key is wrong or the bytes or AAD were altered. */
export function unseal(key: Buffer, sealed: Buffer, aad: string): Buffer | null {
  if (sealed.length < 28) return null;
  const decipher = createDecipheriv("aes-256-gcm", key, sealed.subarray(0, 12));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]);
  } catch {
    return null;
  }
}

const wrapAad = (tenantId: string, id: string) => `kith-data-key|${tenantId}|${id}`;

function readKeyStore(path: string): KeyStoreFile | null {
  if (!existsSync(path)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new KithError(
      "integrity_failed",
      `key store ${path} is not readable JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const file = parsed as Partial<KeyStoreFile>;
  if (file.format !== keyStoreFormat || !Array.isArray(file.keys) || !Array.isArray(file.ledger))
    throw new KithError("integrity_failed", `key store ${path} is not a ${keyStoreFormat} file`);
  return {
    format: keyStoreFormat,
    check: file.check ?? null,
    keys: file.keys,
    ledger: file.ledger,
    ...(Array.isArray(file.destroyed) && file.destroyed.length ? { destroyed: file.destroyed } : {}),
  };
}

/** Drops a tenant's keys, remembering the live ones as destroyed. */
function destroyKeys(file: KeyStoreFile, gone: readonly WrappedKey[], at: number): void {
  if (gone.length === 0) return;
  file.keys = file.keys.filter((k) => !gone.includes(k));
  const live = gone.filter((k) => k.live);
  if (live.length)
    file.destroyed = [
      ...(file.destroyed ?? []),
      ...live.map((k) => ({ id: k.id, tenantId: k.tenantId, at })),
    ];
}

function writeKeyStore(path: string, file: KeyStoreFile): void {
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, "w", 0o600);
  try {
    writeSync(fd, JSON.stringify(file, null, 1));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
  for (const listener of writeListeners) listener(path);
}

const writeListeners = new Set<(path: string) => void>();

/**
 * Calls `listener` with the key store's path after this process changed it (data-keys.ts drops
 * its cached keys at once; another process's change is seen by the file's stat).
 */
export function onKeyStoreWritten(listener: (path: string) => void): () => void {
  writeListeners.add(listener);
  return () => writeListeners.delete(listener);
}

const lockWaitMs = 10_000;
const staleLockMs = 60_000;

/** Runs `work` on the key store with its lock held (another process: waits, up to 10 s). */
async function changeKeyStore<T>(path: string, work: (file: KeyStoreFile) => T): Promise<T> {
  const lock = `${path}.lock`;
  const deadline = Date.now() + lockWaitMs;
  let fd: number | undefined;
  while (fd === undefined) {
    try {
      fd = openSync(lock, "wx", 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT")
        throw validationError(`key store directory of ${path} does not exist; create it first`);
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      // A lock left by a killed process is taken over once it is clearly stale.
      if (Date.now() - mtimeOr(lock, Date.now()) > staleLockMs) rmSync(lock, { force: true });
      else if (Date.now() > deadline)
        throw new KithError("unavailable", `key store ${path} is locked by another process (${lock})`);
      else await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  try {
    const file = readKeyStore(path) ?? { format: keyStoreFormat, check: null, keys: [], ledger: [] };
    const result = work(file);
    writeKeyStore(path, file);
    return result;
  } finally {
    closeSync(fd);
    rmSync(lock, { force: true });
  }
}

function mtimeOr(path: string, fallback: number): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return fallback;
  }
}

function checkKek(path: string, file: KeyStoreFile, kek: Buffer): void {
  if (file.check === null) return;
  const opened = unseal(kek, Buffer.from(file.check, "base64"), "kith-kek-check");
  if (!opened?.equals(checkText))
    throw validationError(
      `the key-encryption key does not open key store ${path} (a different KITH_BACKUP_KEK or KITH_BACKUP_KEK_FILE than the one it was made with)`,
    );
}

/**
 * The data key of every tenant in `tenantIds`, created where a tenant has none (a first backup, or
 * the first after a withdrawal destroyed the old one). Fails on a KEK the key store was not made
 * with. `receipts` (the store's deletion receipts) are reconciled with the key store first.
 */
export async function dataKeysFor(
  keys: BackupKeys,
  tenantIds: readonly string[],
  now: Date,
  receipts: readonly ReceiptSeen[] = [],
): Promise<Map<string, { id: string; key: Buffer }>> {
  return changeKeyStore(keys.keyStore, (file) => {
    checkKek(keys.keyStore, file, keys.kek);
    file.check ??= seal(keys.kek, checkText, "kith-kek-check").toString("base64");
    reconcile(file, receipts);
    const result = new Map<string, { id: string; key: Buffer }>();
    for (const tenantId of tenantIds) {
      // The live key when there is one: one destruction then covers the live store and the backup.
      const existing =
        file.keys.find((k) => k.tenantId === tenantId && k.live) ??
        file.keys.find((k) => k.tenantId === tenantId);
      if (existing) {
        result.set(tenantId, { id: existing.id, key: unwrapOrThrow(keys, existing) });
        continue;
      }
      const id = randomUUID();
      const key = randomBytes(32);
      const wrapped = seal(keys.kek, key, wrapAad(tenantId, id)).toString("base64");
      file.keys.push({ id, tenantId, createdAt: now.getTime(), wrapped });
      result.set(tenantId, { id, key });
    }
    return result;
  });
}

/** A deletion receipt of the store: a tenant's (userId null) or a user's. */
export interface ReceiptSeen {
  tenantId: string;
  userId: string | null;
  at: number;
  reason: string;
}

/**
 * Catches up with deletions recorded by a process that had no key store configured: a tenant
 * receipt later than a key destroys that key; a user receipt missing from the ledger is added.
 */
function reconcile(file: KeyStoreFile, receipts: readonly ReceiptSeen[]): void {
  for (const r of receipts) {
    if (r.userId === null) {
      const stale = file.keys.filter((k) => k.tenantId === r.tenantId && k.createdAt < r.at);
      if (stale.length === 0) continue;
      destroyKeys(file, stale, r.at);
      if (!file.ledger.some((e) => e.kind === "tenant" && e.tenantId === r.tenantId && e.at === r.at))
        file.ledger.push({ kind: "tenant", tenantId: r.tenantId, at: r.at, reason: r.reason });
    } else if (
      !file.ledger.some(
        (e) => e.kind === "user" && e.tenantId === r.tenantId && e.userId === r.userId && e.at === r.at,
      )
    )
      file.ledger.push({
        kind: "user",
        tenantId: r.tenantId,
        userId: r.userId,
        sharing: "off",
        at: r.at,
        reason: r.reason,
      });
  }
}

function unwrapOrThrow(keys: BackupKeys, entry: WrappedKey): Buffer {
  const key = unseal(keys.kek, Buffer.from(entry.wrapped, "base64"), wrapAad(entry.tenantId, entry.id));
  if (!key)
    throw validationError(
      `the key-encryption key does not open data key ${entry.id} of tenant ${entry.tenantId} in ${keys.keyStore}`,
    );
  return key;
}

/**
 * What a restore needs from the key store: the data keys still there (by key id; a destroyed one
 * is simply absent) and the ledger. Read-only; fails on a missing key store or a wrong KEK.
 */
export function readRestoreKeys(
  keys: BackupKeys,
  wanted: readonly { tenantId: string; keyId: string }[],
): { dataKeys: Map<string, Buffer>; ledger: LedgerEntry[] } {
  const file = readKeyStore(keys.keyStore);
  if (!file)
    throw validationError(
      `key store ${keys.keyStore} does not exist; a restore needs the key store the backup was made with`,
    );
  if (file.check === null)
    throw validationError(
      `key store ${keys.keyStore} has never been used by a backup; it holds no data keys`,
    );
  checkKek(keys.keyStore, file, keys.kek);
  const dataKeys = new Map<string, Buffer>();
  for (const { tenantId, keyId } of wanted) {
    const entry = file.keys.find((k) => k.id === keyId && k.tenantId === tenantId);
    if (entry) dataKeys.set(keyId, unwrapOrThrow(keys, entry));
  }
  return { dataKeys, ledger: file.ledger };
}

/** What the live store reads from the key store: its live data keys, and those destroyed. */
export interface LiveKeys {
  /** Per tenant, its live data key (unwrapped on demand: a tenant not used costs nothing). */
  live: Map<string, { id: string; unwrap: () => Buffer }>;
  /** Per tenant whose live key was destroyed and not replaced, when (epoch ms). */
  destroyed: Map<string, number>;
}

/**
 * The live keys in the key store, read-only (none when it does not exist yet). Fails on a key store
 * that is not one, or a KEK it was not made with. Without a KEK (`kek` null) the keys are listed
 * but cannot be unwrapped.
 */
export function readLiveKeys(keyStore: string, kek: Buffer | null): LiveKeys {
  const result: LiveKeys = { live: new Map(), destroyed: new Map() };
  const file = readKeyStore(keyStore);
  if (!file) return result;
  if (kek) checkKek(keyStore, file, kek);
  for (const entry of file.keys)
    if (entry.live)
      result.live.set(entry.tenantId, {
        id: entry.id,
        unwrap: () => {
          if (!kek)
            throw new KithError(
              "unavailable",
              `tenant ${entry.tenantId}'s collected data is sealed and this process has no key-encryption key: set KITH_BACKUP_KEK or KITH_BACKUP_KEK_FILE`,
            );
          return unwrapOrThrow({ keyStore, kek }, entry);
        },
      });
  for (const gone of file.destroyed ?? [])
    if (!result.live.has(gone.tenantId)) result.destroyed.set(gone.tenantId, gone.at);
  return result;
}

/**
 * Gives a tenant a new live data key, when `hasCollectedData` is false; backups made from then on
 * use it too, and a withdrawal destroys it with the tenant's older backup keys. (An older backup key
 * is not adopted: a withdrawal recorded where no key store was configured may still have to destroy
 * it, and the backups made with it keep needing it.) A tenant with collected data keeps what it has
 * (readable data stays readable: its address keys must not change). `receipts` are reconciled
 * first. Returns whether the tenant has a live key now.
 */
export async function ensureLiveKey(
  keys: BackupKeys,
  tenantId: string,
  now: Date,
  receipts: readonly ReceiptSeen[],
  hasCollectedData: boolean,
): Promise<boolean> {
  const current = readKeyStore(keys.keyStore);
  if (current) checkKek(keys.keyStore, current, keys.kek);
  const live = (file: KeyStoreFile | null) =>
    file?.keys.some((k) => k.tenantId === tenantId && k.live) ?? false;
  const stale = (file: KeyStoreFile) =>
    receipts.some(
      (r) =>
        r.userId === null &&
        r.tenantId === tenantId &&
        file.keys.some((k) => k.tenantId === tenantId && k.createdAt < r.at),
    );
  if (current && live(current) && !stale(current)) return true;
  if (hasCollectedData && !(current && stale(current))) return live(current);
  return changeKeyStore(keys.keyStore, (file) => {
    checkKek(keys.keyStore, file, keys.kek);
    file.check ??= seal(keys.kek, checkText, "kith-kek-check").toString("base64");
    reconcile(file, receipts);
    if (hasCollectedData || live(file)) return live(file);
    const id = randomUUID();
    const wrapped = seal(keys.kek, randomBytes(32), wrapAad(tenantId, id)).toString("base64");
    file.keys.push({ id, tenantId, createdAt: now.getTime(), wrapped, live: true });
    file.destroyed = (file.destroyed ?? []).filter((d) => d.tenantId !== tenantId);
    if (file.destroyed.length === 0) delete file.destroyed;
    return true;
  });
}

/**
 * A tenant's collection consent was withdrawn: its data keys are destroyed (every backup made
 * with them can no longer yield its collected data) and the ledger records when. No KEK needed.
 */
export async function forgetTenant(
  keyStore: string,
  tenantId: string,
  at: Date,
  reason: string,
): Promise<void> {
  await changeKeyStore(keyStore, (file) => {
    destroyKeys(
      file,
      file.keys.filter((k) => k.tenantId === tenantId),
      at.getTime(),
    );
    file.ledger.push({ kind: "tenant", tenantId, at: at.getTime(), reason });
  });
}

/** A user's sharing changed (off: their data was deleted); a restore applies it again. */
export async function recordUserSharing(
  keyStore: string,
  tenantId: string,
  userId: string,
  sharing: "off" | "on",
  at: Date,
  reason: string,
): Promise<void> {
  await changeKeyStore(keyStore, (file) => {
    file.ledger.push({ kind: "user", tenantId, userId, sharing, at: at.getTime(), reason });
  });
}

/**
 * The backup keys of the configuration: the key store path and the KEK, read from the variable
 * or its file. Names the missing setting; never echoes a key.
 */
export function resolveBackupKeys(config: BackupConfig): BackupKeys {
  const missing = [
    ...(config.keyStore ? [] : ["KITH_BACKUP_KEYSTORE (the key store file)"]),
    ...(config.kek ? [] : ["KITH_BACKUP_KEK or KITH_BACKUP_KEK_FILE (the key-encryption key)"]),
  ];
  if (missing.length || !config.keyStore || !config.kek)
    throw validationError(`backup and restore need ${missing.join(" and ")}`);
  if ("text" in config.kek)
    return { keyStore: config.keyStore, kek: parseKek(config.kek.text, "KITH_BACKUP_KEK") };
  let text: string;
  try {
    text = readFileSync(config.kek.file, "utf8");
  } catch (error) {
    throw validationError(
      `KITH_BACKUP_KEK_FILE ${config.kek.file} cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return { keyStore: config.keyStore, kek: parseKek(text, `KITH_BACKUP_KEK_FILE ${config.kek.file}`) };
}
