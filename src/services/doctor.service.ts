import { statfs } from "node:fs/promises";
import { dirname } from "node:path";
import type { BackupConfig } from "../config/config";
import { evaluateEnablement } from "../domain/consent-policy";
import type { Tenant } from "../domain/directory";
import { readConsentState } from "../store/consent.repository";
import { listTenants } from "../store/directory.repository";
import { checkStore } from "../store/health.repository";
import { listBatches } from "../store/ingest-batch.repository";
import { countInteractions } from "../store/interaction-read.repository";
import { countJobsByStatus } from "../store/job.repository";
import { openStore, type Store } from "../store/store";
import { readLiveKeys, resolveBackupKeys } from "./backup-keys";
import { currentDataKeys, currentKeyStore } from "./data-keys";
import { readTenantOptions } from "./tenant-options";

/**
 * `kith doctor` (issue 18): what an operator checks before and after an upgrade. Opens the store
 * without migrating it, so it reports what is there, and reads the key store without changing it. Each check says ok, warn (worth a look) or
 * fail (Kith cannot work as it should); the report is ok when nothing failed.
 */

export type CheckStatus = "ok" | "warn" | "fail";

export interface DoctorCheck {
  name: string;
  status: CheckStatus;
  message: string;
  details?: Record<string, unknown>;
}

export interface DoctorReport {
  ok: boolean;
  at: string;
  checks: DoctorCheck[];
}

export interface DoctorOptions {
  databaseUrl: string;
  now: () => Date;
  /** The configured live-sync interval: a sync older than three of them (and an hour) is late. */
  syncIntervalMs: number;
  /** Free space below which the disk check fails (default 1 GiB); below twice this it warns. */
  minFreeBytes?: number;
  /**
   * The key store and KEK of the configuration (`config.backup`): whether collected data is sealed.
   * Absent: what this process seals with (services/data-keys.ts), e.g. inside `kith serve`.
   */
  backup?: BackupConfig;
}

const gib = 1024 ** 3;

export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const checks: DoctorCheck[] = [];
  const now = options.now();
  let store: Store | null = null;
  let tenants: Tenant[] | null = null;
  try {
    store = await openStore(options.databaseUrl, { migrate: false });
    checks.push({ name: "store", status: "ok", message: `reachable (${store.engine})` });
  } catch (error) {
    checks.push({ name: "store", status: "fail", message: `not reachable: ${messageOf(error)}` });
  }
  if (store) {
    try {
      const open = store;
      await check(checks, "migrations", async () => {
        const { pendingMigrations } = await checkStore(open.db);
        return pendingMigrations.length === 0
          ? { status: "ok", message: "every migration applied" }
          : {
              status: "fail",
              message: `${pendingMigrations.length} migration(s) not applied: run kith migrate (or start kith serve once)`,
              details: { pending: pendingMigrations },
            };
      });
      if (checks.at(-1)?.status === "ok") {
        await check(checks, "queue", async () => {
          const counts = await countJobsByStatus(open.db);
          const backlog = counts.queued + counts.running;
          return {
            status: backlog > 1000 ? "warn" : "ok",
            message: `${counts.queued} queued, ${counts.running} running, ${counts.failed} failed (kept for a week)`,
            details: { ...counts },
          };
        });
        tenants = await listTenants(open.db);
        for (const tenant of tenants) {
          await check(checks, `consent ${tenant.slug}`, async () => {
            const consent = await readConsentState(open.db, tenant.id);
            const granted = Object.entries(consent.consents)
              .filter(([, r]) => r.granted)
              .map(([t]) => t);
            const ri = evaluateEnablement(consent, now);
            return {
              status: ri.state === "switched_off" || ri.state === "awaiting_consent" ? "warn" : "ok",
              message: `consents granted: ${granted.length ? granted.join(", ") : "none"}; relationship intelligence ${ri.state.replaceAll("_", " ")}`,
              details: { tenant: tenant.id, granted, relationshipIntelligence: ri.state },
            };
          });
          await check(checks, `sync ${tenant.slug}`, async () => {
            const sources = (await readTenantOptions(open.db, tenant.id)).sources;
            const [last] = await listBatches(open.db, tenant.id, { kind: "sync", limit: 1 });
            const lateAfterMs = Math.max(3 * options.syncIntervalMs, 3_600_000);
            const details = {
              tenant: tenant.id,
              sources: sources.map((s) => s.path),
              lastSync: last
                ? { at: (last.finishedAt ?? last.startedAt).toISOString(), status: last.status }
                : null,
            };
            if (sources.length === 0)
              return { status: "ok", message: "no live sync source configured", details };
            if (!last)
              return { status: "warn", message: `${sources.length} source(s), never synced`, details };
            const age = now.getTime() - (last.finishedAt ?? last.startedAt).getTime();
            const late = age > lateAfterMs || last.status === "failed";
            return {
              status: late ? "warn" : "ok",
              message: `${sources.length} source(s); last sync ${last.status} ${Math.round(age / 60_000)} min ago`,
              details,
            };
          });
        }
      }
      const listed = tenants;
      await check(checks, "encryption", () => checkEncryption(open, options.backup, listed));
    } finally {
      await store.close();
    }
  } else await check(checks, "encryption", () => checkEncryption(null, options.backup, null));
  await check(checks, "disk", async () => {
    const path = /^postgres(ql)?:\/\//.test(options.databaseUrl)
      ? process.cwd()
      : dirname(options.databaseUrl);
    const fs = await statfs(path);
    const free = fs.bavail * fs.bsize;
    const share = fs.blocks > 0 ? fs.bavail / fs.blocks : 1;
    const min = options.minFreeBytes ?? gib;
    const status: CheckStatus = free < min ? "fail" : free < 2 * min || share < 0.1 ? "warn" : "ok";
    return {
      status,
      message: `${(free / gib).toFixed(1)} GiB free (${Math.round(share * 100)} %) at ${path}`,
      details: { path, freeBytes: free, freeShare: share },
    };
  });
  return { ok: checks.every((c) => c.status !== "fail"), at: now.toISOString(), checks };
}

export const readableWarning =
  "collected data stored readable: set KITH_BACKUP_KEYSTORE and KITH_BACKUP_KEK(_FILE)";

/**
 * Whether collected data is sealed (README "Encryption of collected data"), and per tenant under
 * which key: a tenant that had collected data before keys were configured stays readable (warn).
 */
async function checkEncryption(
  store: Store | null,
  backup: BackupConfig | undefined,
  tenants: readonly Tenant[] | null,
): Promise<Omit<DoctorCheck, "name">> {
  const keyStore = backup === undefined ? currentKeyStore() : backup.keyStore;
  const kek =
    backup === undefined
      ? (currentDataKeys()?.kek ?? null)
      : backup.keyStore && backup.kek
        ? resolveBackupKeys(backup).kek
        : null;
  if (!keyStore) return { status: "warn", message: readableWarning, details: { sealed: false } };
  if (!kek) {
    const sealed = readLiveKeys(keyStore, null).live.size;
    return sealed
      ? {
          status: "fail",
          message: `${sealed} tenant(s) have sealed collected data in key store ${keyStore}, but no KEK is configured: set KITH_BACKUP_KEK or KITH_BACKUP_KEK_FILE`,
          details: { sealed: true, keyStore },
        }
      : { status: "warn", message: readableWarning, details: { sealed: false, keyStore } };
  }
  const keys = { keyStore, kek };
  const view = readLiveKeys(keyStore, kek);
  const keyed: string[] = [];
  const withdrawn: string[] = [];
  const noKeyYet: string[] = [];
  const readable: string[] = [];
  for (const tenant of tenants ?? []) {
    if (view.live.has(tenant.id)) keyed.push(tenant.slug);
    else if (view.destroyed.has(tenant.id)) withdrawn.push(tenant.slug);
    else if (store) {
      const counts = await countInteractions(store.db, tenant.id);
      (counts.interactions + counts.pairs + counts.persons > 0 ? readable : noKeyYet).push(tenant.slug);
    }
  }
  const details = { sealed: true, keyStore: keys.keyStore, keyed, withdrawn, noKeyYet, readable };
  const summary = `collected data sealed per tenant (key store ${keys.keyStore}): ${keyed.length} keyed, ${withdrawn.length} withdrawn (key destroyed), ${noKeyYet.length} without data or key yet`;
  return readable.length
    ? {
        status: "warn",
        message: `${summary}; stored readable (collected before keys were configured; re-keying is not built): ${readable.join(", ")}`,
        details,
      }
    : { status: "ok", message: summary, details };
}

/** Runs one check; an error in it is that check's failure, not the report's. */
async function check(
  checks: DoctorCheck[],
  name: string,
  run: () => Promise<Omit<DoctorCheck, "name">>,
): Promise<void> {
  try {
    checks.push({ name, ...(await run()) });
  } catch (error) {
    checks.push({ name, status: "fail", message: messageOf(error) });
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
