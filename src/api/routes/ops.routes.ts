import { Type } from "@sinclair/typebox";
import { KithError } from "../../domain/errors";
import { secretsEqual } from "../../services/auth.service";
import { kithMetrics, metricsRegistry } from "../../services/metrics";
import { queueFigures } from "../../services/jobs.service";
import { storeHealth } from "../../services/maintenance.service";
import { defineRoute } from "../route";
import { isWebAppBuilt, webAppPrefix } from "../web";

const landingPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Kith</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}code{background:#f3f3f3;padding:0 .2em}</style>
</head><body><h1>Kith</h1>
<p>Consent-first relationship intelligence. The web app is on its way; meanwhile every capability is in the HTTP API.</p>
<ul><li><a href="/api/session">Who am I signed in as</a> (<code>GET /api/session</code>)</li>
<li><a href="/docs">API documentation</a> and the <a href="/openapi.json">OpenAPI document</a></li></ul>
<p>Sign in with a link from <code>npx kith login-link EMAIL --tenant T</code>.</p>
</body></html>`;

export const opsRoutes = [
  defineRoute({
    method: "GET",
    url: "/",
    summary: "Landing page",
    tags: ["operations"],
    access: "public",
    contentType: "text/html; charset=utf-8",
    schema: { response: Type.String() },
    // Once the web app is built, it is the landing page.
    handler: async ({ reply }) => (isWebAppBuilt() ? reply.redirect(webAppPrefix, 302) : landingPage),
  }),
  defineRoute({
    method: "GET",
    url: "/healthz",
    summary: "Liveness: the process is up",
    tags: ["operations"],
    access: "public",
    schema: { response: Type.Object({ status: Type.Literal("ok") }) },
    handler: () => Promise.resolve({ status: "ok" as const }),
  }),
  defineRoute({
    method: "GET",
    url: "/readyz",
    summary: "Readiness: the store is reachable and every migration is applied (503 otherwise)",
    tags: ["operations"],
    access: "public",
    schema: {
      response: Type.Object({ status: Type.Literal("ready"), engine: Type.String() }),
    },
    handler: async ({ ctx }) => {
      const health = await storeHealth(ctx);
      if (!health.reachable) throw new KithError("unavailable", "the store is not reachable");
      if (health.pendingMigrations.length > 0)
        throw new KithError("unavailable", "migrations are pending", { pending: health.pendingMigrations });
      return { status: "ready" as const, engine: ctx.store.engine };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/metrics",
    summary:
      "Prometheus metrics: request rate and latency by route, job queue depth, ingest counters, sync lag (Bearer KITH_METRICS_TOKEN when set)",
    tags: ["operations"],
    access: "public",
    contentType: metricsRegistry.contentType,
    schema: { response: Type.String() },
    handler: async ({ deps, ctx, request }) => {
      const token = deps.config.metricsToken;
      if (token) {
        const sent = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "")?.[1];
        if (!sent || !secretsEqual(sent, token))
          throw new KithError(
            "not_authenticated",
            "/metrics needs 'Authorization: Bearer <KITH_METRICS_TOKEN>'",
          );
      }
      try {
        const { depth, lastSuccess } = await queueFigures(ctx, "ingest.sync");
        for (const [status, n] of Object.entries(depth)) kithMetrics.jobQueueDepth.set({ status }, n);
        const now = ctx.now().getTime();
        for (const [tenant, at] of lastSuccess)
          kithMetrics.syncLagSeconds.set({ tenant }, Math.max(0, (now - at.getTime()) / 1000));
      } catch {
        // The store being down must not hide the process metrics; /readyz reports it.
      }
      return metricsRegistry.metrics();
    },
  }),
];
