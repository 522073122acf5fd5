import { statSync } from "node:fs";
import type { BackupConfig } from "../config/config";
import { listReceipts } from "../store/consent.repository";
import {
  destroyedCipher,
  keyedCipher,
  readableCipher,
  readableFormat,
  setCipherSource,
  setRewriteSource,
  type TenantCipher,
} from "../store/field-cipher";
import { countInteractions } from "../store/interaction-read.repository";
import {
  ensureLiveKey,
  onKeyStoreWritten,
  readLiveKeys,
  resolveBackupKeys,
  type BackupKeys,
  type LiveKeys,
} from "./backup-keys";
import type { ServiceContext } from "./context";

/**
 * The live store's data keys (README "Encryption of collected data"): a tenant's live data key is
 * its backup data key in the one key store (backup-keys.ts), unwrapped with the KEK and cached per
 * process. `cipherFor` compares the key store file's stat with the one read last (at most every
 * `revalidateMs`, so a loop calling it per value does not pay a stat per value): a withdrawal or a
 * new key written by another process is seen at the next call after that; a change made by this
 * process is seen at once.
 *
 * Which cipher a tenant gets (lean-contract.md, "Mixed formats"):
 * - keyed, when its live key exists;
 * - destroyed (open null, seal and lookups refused), when its live key was destroyed and not
 *   replaced: its collection consent was withdrawn;
 * - readable otherwise: no key store configured, or a tenant that had collected data before keys
 *   were configured (its address keys must stay stable; re-keying is not built).
 * A process given the key store but no KEK keeps tenants without a live key readable and refuses a
 * keyed tenant's data (it never writes readable rows beside sealed ones).
 */

export type DataKeyState = "keyed" | "readable" | "destroyed";

/** How long a stat of the key store stands for it (a stat costs about a microsecond). */
export const revalidateMs = 2;

/** A keyed tenant's cipher in a process without the KEK: only readable rows open; the rest throws. */
function lockedCipher(tenantId: string, unwrap: () => Buffer): TenantCipher {
  const refuse = (): never => {
    unwrap();
    throw new Error(`tenant ${tenantId}: a live key unwrapped without a KEK`);
  };
  return {
    addressKey: refuse,
    domainKey: refuse,
    seal: refuse,
    open: (_field, sealed) => (sealed[0] === readableFormat ? sealed.toString("utf8", 1) : refuse()),
  };
}

class LiveDataKeys {
  /** The key store file's stat when last read; null: it did not exist; undefined: never read. */
  private seen: { ino: number; mtimeMs: number; ctimeMs: number; size: number } | null | undefined;
  /** performance.now() of the last stat. */
  private statAt = -Infinity;
  private view: LiveKeys = { live: new Map(), destroyed: new Map() };
  private readonly current = new Map<string, TenantCipher>();
  private readonly handles = new Map<string, TenantCipher>();

  /** `kek` null: the key store is read, its keys cannot be unwrapped. */
  constructor(
    readonly keyStore: string,
    readonly kek: Buffer | null,
  ) {}

  /**
   * A tenant's cipher. The object stays the tenant's: it follows the key store (a destruction this
   * process made, or one another process made and a later `cipherFor` noticed).
   */
  cipherFor(tenantId: string): TenantCipher {
    this.revalidate();
    let handle = this.handles.get(tenantId);
    if (!handle) {
      const cipher = () => this.resolve(tenantId);
      handle = {
        addressKey: (address) => cipher().addressKey(address),
        domainKey: (domain) => cipher().domainKey(domain),
        seal: (field, text) => cipher().seal(field, text),
        open: (field, sealed) => cipher().open(field, sealed),
      };
      this.handles.set(tenantId, handle);
    }
    return handle;
  }

  stateOf(tenantId: string): DataKeyState {
    this.revalidate();
    return this.view.live.has(tenantId)
      ? "keyed"
      : this.view.destroyed.has(tenantId)
        ? "destroyed"
        : "readable";
  }

  /** Re-reads the key store when its file changed (a rename gives it a new inode) or when forced. */
  revalidate(force = false): void {
    const at = performance.now();
    if (!force && at - this.statAt < revalidateMs) return;
    this.statAt = at;
    const stat = statSync(this.keyStore, { throwIfNoEntry: false });
    const seen = this.seen;
    if (
      !force &&
      seen !== undefined &&
      (stat
        ? seen !== null &&
          stat.ino === seen.ino &&
          stat.mtimeMs === seen.mtimeMs &&
          stat.ctimeMs === seen.ctimeMs &&
          stat.size === seen.size
        : seen === null)
    )
      return;
    // Stat first, read second: a change between the two is read now and noticed again next time.
    this.view = readLiveKeys(this.keyStore, this.kek);
    this.seen = stat
      ? { ino: stat.ino, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, size: stat.size }
      : null;
    this.current.clear();
  }

  private resolve(tenantId: string): TenantCipher {
    let cipher = this.current.get(tenantId);
    if (!cipher) {
      const live = this.view.live.get(tenantId);
      cipher = live
        ? this.kek
          ? keyedCipher(tenantId, live.unwrap())
          : lockedCipher(tenantId, live.unwrap)
        : this.view.destroyed.has(tenantId)
          ? destroyedCipher(tenantId)
          : readableCipher(tenantId);
      this.current.set(tenantId, cipher);
    }
    return cipher;
  }
}

let live: LiveDataKeys | null = null;

onKeyStoreWritten((path) => {
  if (live?.keyStore === path) live.revalidate(true);
});

/**
 * Seals the live store with `keys` (null: readable), process-wide. Reads the key store now, so a
 * KEK it was not made with fails at start-up rather than at the first write. `now`: the service
 * clock, which dates keys made for a rewrite (as deletion receipts are dated).
 */
export function useDataKeys(keys: BackupKeys | null, now: () => Date = () => new Date()): void {
  if (!keys) {
    live = null;
    setCipherSource(readableCipher);
    return;
  }
  const next = use(new LiveDataKeys(keys.keyStore, keys.kek));
  setRewriteSource(async (tenantId) => {
    // A rewrite of everything the tenant holds: as if it held nothing yet. A withdrawn tenant
    // (key destroyed) has nothing to rewrite and gets no key here.
    if (next.stateOf(tenantId) === "readable") await ensureLiveKey(keys, tenantId, now(), [], false);
    return next.cipherFor(tenantId);
  });
}

function use(next: LiveDataKeys): LiveDataKeys {
  next.revalidate(true);
  live = next;
  setCipherSource((tenantId) => next.cipherFor(tenantId));
  return next;
}

/**
 * Wires the live store's ciphers from the configuration (services/context.ts): sealed when both
 * the key store and the KEK are set, readable otherwise. Returns which.
 */
export function configureDataKeys(
  config: BackupConfig,
  now: () => Date = () => new Date(),
): "sealed" | "readable" {
  if (!config.keyStore || !config.kek) {
    if (config.keyStore) use(new LiveDataKeys(config.keyStore, null));
    else useDataKeys(null);
    return "readable";
  }
  useDataKeys(resolveBackupKeys(config), now);
  return "sealed";
}

/** The keys sealing the live store in this process; null when it is stored readable. */
export function currentDataKeys(): BackupKeys | null {
  return live?.kek ? { keyStore: live.keyStore, kek: live.kek } : null;
}

/** The key store this process reads (with or without the KEK); null when none is configured. */
export function currentKeyStore(): string | null {
  return live?.keyStore ?? null;
}

/** Which cipher the tenant's collected data is under (`kith doctor`, tests). */
export function dataKeyState(tenantId: string): DataKeyState {
  return live ? live.stateOf(tenantId) : "readable";
}

/**
 * Gives the tenant a live data key when this process seals the live store and the tenant has no
 * collected data yet: at tenant creation, and before a collection consent is granted (so nothing
 * is written readable in between). A tenant with collected data keeps its cipher. Returns the
 * tenant's state afterwards.
 */
export async function ensureDataKey(ctx: ServiceContext, tenantId: string): Promise<DataKeyState> {
  if (!live?.kek) return dataKeyState(tenantId);
  const keys = { keyStore: live.keyStore, kek: live.kek };
  const counts = await countInteractions(ctx.store.db, tenantId);
  const hasCollectedData = counts.interactions + counts.pairs + counts.persons > 0;
  const receipts = (await listReceipts(ctx.store.db, tenantId)).map((r) => ({
    tenantId,
    userId: r.userId,
    at: r.at.getTime(),
    reason: r.reason,
  }));
  await ensureLiveKey(keys, tenantId, ctx.now(), receipts, hasCollectedData);
  return dataKeyState(tenantId);
}
