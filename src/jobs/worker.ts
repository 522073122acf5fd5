import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { ServiceContext } from "../services/context";
import { kithMetrics } from "../services/metrics";
import {
  claimJob,
  finishJob,
  recordJobFailure,
  renewJobLease,
  type QueuedJob,
} from "../services/jobs.service";
import { classifyJobError, type JobDefinition, type JobHooks } from "./job";

export interface WorkerOptions {
  /** Unique per worker; defaults to host, pid and a random suffix. */
  id?: string;
  /** How long a claim lasts without a heartbeat; an expired claim is reclaimed by any worker. */
  leaseMs?: number;
  /** Pause between polls when the queue is empty. */
  pollMs?: number;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

export type JobOutcome = "done" | "retry" | "failed";

/**
 * Takes due jobs from the durable queue one at a time and runs them. Jobs survive restarts: a job
 * claimed by a worker that died is reclaimed once its lease expires; finishing requires still
 * holding the claim, so a job whose lease was taken over is not recorded twice.
 */
export class JobWorker {
  readonly id: string;
  private readonly definitions: Map<string, JobDefinition>;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    definitions: readonly JobDefinition[],
    private readonly hooks: JobHooks = {},
    private readonly options: WorkerOptions = {},
  ) {
    this.definitions = new Map(definitions.map((d) => [d.name, d]));
    this.id = options.id ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.pollMs = options.pollMs ?? 1000;
  }

  /** Claims and runs one due job; null when none was due. */
  async runOnce(): Promise<{ job: QueuedJob; outcome: JobOutcome } | null> {
    const names = [...this.definitions.keys()];
    const job = await claimJob(this.ctx, this.id, names, this.leaseMs);
    if (!job) return null;
    const definition = this.definitions.get(job.name);
    if (!definition) return null;
    const heartbeat = setInterval(
      () => {
        void renewJobLease(this.ctx, job.id, this.id, this.leaseMs).catch(() => undefined);
      },
      Math.max(50, Math.floor(this.leaseMs / 3)),
    );
    let outcome: JobOutcome;
    try {
      const result = await definition.run({ ctx: this.ctx, job, hooks: this.hooks });
      await finishJob(this.ctx, job.id, this.id, result ?? null);
      outcome = "done";
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      const retry = classifyJobError(error) === "temporary" && job.attempts < job.maxAttempts;
      const retryAt = retry ? new Date(this.ctx.now().getTime() + definition.backoffMs(job.attempts)) : null;
      await recordJobFailure(this.ctx, job.id, this.id, message, retryAt);
      outcome = retry ? "retry" : "failed";
      this.options.log?.(`job ${job.name} ${outcome}`, { jobId: job.id, error: message });
    } finally {
      clearInterval(heartbeat);
    }
    kithMetrics.jobsFinished.inc({ name: job.name, outcome });
    return { job, outcome };
  }

  /** Runs jobs until `stop()`; sleeps `pollMs` when the queue is empty. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        let ran = false;
        try {
          ran = (await this.runOnce()) !== null;
        } catch (error) {
          this.options.log?.("worker poll failed", { error: (error as Error).message });
        }
        if (!ran && this.running) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, this.pollMs);
            this.wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          this.wake = null;
        }
      }
    })();
  }

  /** Finishes the job in hand, then stops. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = null;
  }
}
