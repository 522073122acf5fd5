import type { FastifyInstance } from "fastify";
import { pino } from "pino";
import { buildApp } from "../api/app";
import { withSecretRedaction } from "../api/log-redaction";
import { createOidcClient } from "../auth/oidc";
import type { Config } from "../config/config";
import { jobDefinitions } from "../jobs/definitions";
import type { JobHooks } from "../jobs/job";
import { createJobQueue } from "../jobs/queue";
import { defaultSchedules, startScheduler } from "../jobs/scheduler";
import { defaultJobHooks } from "../jobs/sync.job";
import { watchJobs } from "../jobs/watch.job";
import { JobWorker } from "../jobs/worker";
import { LiveSyncLoop } from "../jobs/live-sync.loop";
import { createCredentialCipher } from "../services/credentials";
import { newWorkerId } from "../services/live-sync.service";
import { clockFrom, createContext, type ServiceContext } from "../services/context";
import { markAbandonedBatches } from "../services/ingest.service";
import { configureDataKeys } from "../services/data-keys";
import { openStore } from "../store/store";

export const serverServices = ["api", "worker", "scheduler"] as const;
export type ServerService = (typeof serverServices)[number];

export interface ServerOptions {
  config: Readonly<Config>;
  /** Which parts this process runs; all three by default, split for production. */
  services?: ReadonlySet<ServerService>;
  /** Work plugged into the worker (default: live sync and recompute from src/jobs/sync.job.ts). */
  hooks?: JobHooks;
  /** Runs once the store is open, before anything listens (e.g. creating the demo tenant). */
  beforeStart?: (ctx: ServiceContext) => Promise<void>;
}

export interface RunningServer {
  ctx: ServiceContext;
  /** Where the API listens; null when this process runs no API. */
  url: string | null;
  app: FastifyInstance | null;
  close(): Promise<void>;
}

/** Wires the real implementations: store, OpenID Connect, API, job worker and scheduler. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { config } = options;
  const services = options.services ?? new Set(serverServices);
  const log = pino(withSecretRedaction({ level: config.logLevel, name: "kith" }));
  // Keys before the store migrates: a migration that rewrites collected data seals it with them.
  configureDataKeys(config.backup, clockFrom(config.clockStart));
  const store = await openStore(config.databaseUrl, { mapForReads: services.has("api") });
  const ctx = createContext(store, clockFrom(config.clockStart), config.backup.keyStore);
  const stops: (() => Promise<void> | void)[] = [() => store.close()];
  try {
    // A batch whose process died before this start stays "running" no longer.
    const abandoned = await markAbandonedBatches(ctx);
    if (abandoned.length > 0) log.warn({ batches: abandoned }, "marked abandoned import batches failed");
    await options.beforeStart?.(ctx);
    const watch = watchJobs(config.watch);
    const definitions = [...jobDefinitions, ...watch.definitions];
    const queue = createJobQueue(ctx, definitions);
    let app: FastifyInstance | null = null;
    let url: string | null = null;
    if (services.has("api")) {
      const oidc = config.oidc ? await createOidcClient(config.oidc) : null;
      app = await buildApp({
        ctx,
        config,
        auth: { oidc },
        jobs: queue,
        logger: { level: config.logLevel, name: "kith-api" },
      });
      url = await app.listen({ host: config.host, port: config.port });
      const listening = app;
      stops.unshift(() => listening.close());
    }
    if (services.has("worker")) {
      const workerCtx = await openWorkerContext(ctx, config.databaseUrl, services.has("api"));
      if (workerCtx !== ctx) stops.push(() => workerCtx.store.close());
      const worker = new JobWorker(workerCtx, definitions, options.hooks ?? defaultJobHooks, {
        log: (message, fields) => log.warn(fields ?? {}, message),
      });
      worker.start();
      stops.unshift(() => worker.stop());
      // Live mail sources (IMAP, Microsoft Graph): their own loop, leases per mailbox.
      const live = new LiveSyncLoop(
        workerCtx,
        {
          cipher: createCredentialCipher(config.secretKey),
          workerId: newWorkerId(),
          pollIntervalMs: config.livePollIntervalMs,
        },
        { log: (message, fields) => log.warn(fields ?? {}, message) },
      );
      live.start();
      stops.unshift(() => live.stop());
    }
    if (services.has("scheduler")) {
      const scheduler = startScheduler(
        ctx,
        queue,
        [...defaultSchedules(config.syncIntervalMs), ...watch.schedules],
        (message, fields) => log.warn(fields ?? {}, message),
      );
      stops.unshift(() => scheduler.stop());
    }
    log.info({ services: [...services], url, engine: store.engine }, "kith started");
    return {
      ctx,
      url,
      app,
      async close() {
        for (const stop of stops.splice(0)) await stop();
      },
    };
  } catch (error) {
    for (const stop of stops.splice(0)) await stop();
    throw error;
  }
}

/**
 * On SQLite the worker gets its own connection when the API runs in the same process: a sync or
 * backfill batch is one long write transaction, and on a shared connection every API read would
 * queue behind it (or, worse, read its uncommitted rows). With WAL, readers on the API connection
 * keep reading the last committed state while the worker writes. PostgreSQL pools connections
 * already; an in-memory SQLite store cannot be shared between connections.
 */
async function openWorkerContext(
  ctx: ServiceContext,
  databaseUrl: string,
  apiInProcess: boolean,
): Promise<ServiceContext> {
  if (ctx.store.engine !== "sqlite" || !apiInProcess || databaseUrl === ":memory:") return ctx;
  return createContext(await openStore(databaseUrl, { migrate: false }), ctx.now, ctx.backupKeyStore);
}
