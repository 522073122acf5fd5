import { Cron } from "croner";
import type { ServiceContext } from "../services/context";
import { listTenantIds } from "../services/maintenance.service";
import type { JobQueue } from "./queue";

export interface Schedule {
  name: string;
  everyMs: number;
  /** Per tenant, or once for the deployment. */
  scope: "tenant" | "global";
}

export function defaultSchedules(syncIntervalMs: number): Schedule[] {
  return [
    { name: "ingest.sync", everyMs: syncIntervalMs, scope: "tenant" },
    { name: "consent.enablement-deadline", everyMs: 15 * 60_000, scope: "tenant" },
    { name: "purge.verify", everyMs: 60 * 60_000, scope: "tenant" },
    { name: "telemetry.rollup", everyMs: 24 * 60 * 60_000, scope: "tenant" },
    { name: "insights.fit-strength", everyMs: 7 * 24 * 60 * 60_000, scope: "tenant" },
    { name: "retention.enforce", everyMs: 24 * 60 * 60_000, scope: "tenant" },
    { name: "maintenance.cleanup", everyMs: 60 * 60_000, scope: "global" },
  ];
}

/**
 * Enqueues each schedule's job for the current time slot. The idempotency key is the schedule,
 * tenant and slot, so any number of scheduler processes, ticks or restarts enqueue a slot once.
 */
export async function enqueueDueJobs(
  ctx: ServiceContext,
  queue: JobQueue,
  schedules: readonly Schedule[],
): Promise<number> {
  const now = ctx.now().getTime();
  const tenants = await listTenantIds(ctx);
  let added = 0;
  for (const schedule of schedules) {
    const slot = Math.floor(now / schedule.everyMs);
    const slotStart = new Date(slot * schedule.everyMs).toISOString();
    for (const tenantId of schedule.scope === "tenant" ? tenants : [null]) {
      const id = await queue.enqueue({
        name: schedule.name,
        tenantId,
        payload: { slot: slotStart },
        idempotencyKey: `${schedule.name}:${tenantId ?? "*"}:${slotStart}`,
      });
      if (id) added++;
    }
  }
  return added;
}

/** Ticks every 15 seconds (croner); each tick enqueues whatever slot has begun. */
export function startScheduler(
  ctx: ServiceContext,
  queue: JobQueue,
  schedules: readonly Schedule[],
  log: (message: string, fields?: Record<string, unknown>) => void = () => undefined,
): { stop(): void } {
  const tick = async () => {
    try {
      await enqueueDueJobs(ctx, queue, schedules);
    } catch (error) {
      log("scheduler tick failed", { error: (error as Error).message });
    }
  };
  const cron = new Cron("*/15 * * * * *", { protect: true }, tick);
  void tick();
  return { stop: () => cron.stop() };
}
