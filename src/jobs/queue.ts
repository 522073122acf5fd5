import type { ServiceContext } from "../services/context";
import { enqueueJob } from "../services/jobs.service";
import type { JobDefinition } from "./job";

export interface EnqueueRequest {
  name: string;
  tenantId: string | null;
  payload?: Record<string, unknown>;
  /** Same key, same job: a second enqueue is a no-op. Defaults to none (always enqueued). */
  idempotencyKey?: string;
  runAt?: Date;
}

export interface JobQueue {
  /** Returns the new job's id, or null when the idempotency key was already used. */
  enqueue(request: EnqueueRequest): Promise<string | null>;
}

export function createJobQueue(ctx: ServiceContext, definitions: readonly JobDefinition[]): JobQueue {
  const byName = new Map(definitions.map((d) => [d.name, d]));
  return {
    async enqueue(request) {
      const definition = byName.get(request.name);
      if (!definition) throw new Error(`unknown job: ${request.name}`);
      return enqueueJob(ctx, {
        name: request.name,
        tenantId: request.tenantId,
        payload: request.payload ?? {},
        idempotencyKey: request.idempotencyKey ?? null,
        maxAttempts: definition.maxAttempts,
        runAt: request.runAt ?? ctx.now(),
      });
    },
  };
}
