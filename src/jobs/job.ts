import { isKithError } from "../domain/errors";
import type { ServiceContext } from "../services/context";
import type { QueuedJob } from "../store/job.repository";

/**
 * A named job and its retry policy. Errors are classified by what the queue should do:
 * temporary (store unavailable, network, an unknown error) → retry with backoff until
 * `maxAttempts`; permanent (bad input, not permitted, not found) → fail at once.
 */
export interface JobDefinition {
  name: string;
  maxAttempts: number;
  /** Delay before attempt `attempt + 1` after a temporary failure. */
  backoffMs(attempt: number): number;
  run(job: JobRun): Promise<unknown>;
}

export interface JobRun {
  ctx: ServiceContext;
  job: QueuedJob;
  hooks: JobHooks;
}

/** Work that other parts of Kith plug into the worker (ingest sync, insight recomputation). */
export interface JobHooks {
  /** Live sync for one tenant; null when the tenant has no sync source configured. */
  sync?: (ctx: ServiceContext, tenantId: string) => Promise<Record<string, unknown> | null>;
  /** Recomputes a tenant's derived insights after a configuration change. */
  recompute?: (ctx: ServiceContext, tenantId: string, reason: string) => Promise<Record<string, unknown>>;
}

export class TemporaryJobError extends Error {
  override name = "TemporaryJobError";
}
export class PermanentJobError extends Error {
  override name = "PermanentJobError";
}

export function classifyJobError(error: unknown): "temporary" | "permanent" {
  if (error instanceof PermanentJobError) return "permanent";
  if (error instanceof TemporaryJobError) return "temporary";
  if (isKithError(error)) return error.code === "unavailable" ? "temporary" : "permanent";
  return "temporary";
}

/** Exponential backoff from `baseMs`, capped, so a flapping dependency is not hammered. */
export const exponentialBackoff =
  (baseMs: number, capMs = 3_600_000) =>
  (attempt: number): number =>
    Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
