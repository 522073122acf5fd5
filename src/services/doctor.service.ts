import { statfs } from "node:fs/promises";
import { dirname } from "node:path";
import { evaluateEnablement } from "../domain/consent-policy";
import { readConsentState } from "../store/consent.repository";
import { listTenants } from "../store/directory.repository";
import { checkStore } from "../store/health.repository";
import { listBatches } from "../store/ingest-batch.repository";
import { countJobsByStatus } from "../store/job.repository";
import { openStore, type Store } from "../store/store";
import { readTenantOptions } from "./tenant-options";

/**
 * `kith doctor` (issue 18): what an operator checks before and after an upgrade. Opens the store
 * without migrating it, so it reports what is there. Each check says ok, warn (worth a look) or
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
}

const gib = 1024 ** 3;

export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const checks: DoctorCheck[] = [];
  const now = options.now();
  let store: Store | null = null;
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
        for (const tenant of await listTenants(open.db)) {
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
    } finally {
      await store.close();
    }
  }
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
