import type { Config } from "../config/config";
import { getTenantOrThrow } from "../services/tenant.service";
import { scanWatchedFolder } from "../services/watched-folder.service";
import { exponentialBackoff, type JobDefinition } from "./job";
import type { Schedule } from "./scheduler";

export const watchJobName = "ingest.watch";

/**
 * The watched folder under `kith serve` (KITH_WATCH_DIR): one queued job per interval slot for the
 * whole deployment, so however many scheduler and worker processes run, one scan runs at a time
 * per slot. Nothing when no folder is configured.
 */
export function watchJobs(watch: Config["watch"]): { definitions: JobDefinition[]; schedules: Schedule[] } {
  if (watch === null) return { definitions: [], schedules: [] };
  const definition: JobDefinition = {
    name: watchJobName,
    // A slot that fails is not retried: the next slot scans the folder again anyway.
    maxAttempts: 1,
    backoffMs: exponentialBackoff(watch.intervalMs),
    async run(run) {
      const tenant = await getTenantOrThrow(run.ctx, watch.tenant);
      const files = await scanWatchedFolder(run.ctx, tenant.id, watch.dir);
      return {
        dir: watch.dir,
        done: files.filter((f) => f.outcome === "done").map((f) => f.file),
        failed: files.filter((f) => f.outcome === "failed").map((f) => ({ file: f.file, reason: f.reason })),
      };
    },
  };
  return {
    definitions: [definition],
    schedules: [{ name: watchJobName, everyMs: watch.intervalMs, scope: "global" }],
  };
}
