import cookie from "@fastify/cookie";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, {
  LogController,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from "fastify";
import type { Config } from "../config/config";
import type { OidcClient } from "../auth/oidc";
import type { ServiceContext } from "../services/context";
import { kithMetrics } from "../services/metrics";
import type { JobQueue } from "../jobs/queue";
import { authenticate, authorize, unsafeMethods } from "./authenticate";
import { RateLimiter, rateLimitGroupOf } from "./rate-limit";
import { ReadCache } from "./read-cache";
import { ErrorBody, errorPayload, sendError } from "./errors";
import { withSecretRedaction } from "./log-redaction";
import { describeAccess, type ApiDeps, type HandlerArgs, type Principal, type RouteSpec } from "./route";
import { apiRoutes } from "./routes/index";
import { registerScimContentType, scimRoutes } from "./scim.routes";
import { registerWebFiles, webRoutes } from "./web";

declare module "fastify" {
  interface FastifyRequest {
    principal: Principal | null;
    sessionExpiresAt: Date | null;
  }
}

export interface BuildAppOptions {
  ctx: ServiceContext;
  config: Readonly<Config>;
  auth?: { oidc?: OidcClient | null };
  jobs?: JobQueue | null;
  /** Fastify logger options; off unless given (tests stay quiet). Secrets are redacted either way. */
  logger?: FastifyServerOptions["logger"];
  readCache?: ReadCache;
  /** Requests at least this slow are logged at any level (default 1 s). */
  slowRequestMs?: number;
}

/** Every method and path an app instance serves (HEAD included), recorded as routes are added. */
const servedRoutes = new WeakMap<FastifyInstance, { method: string; url: string }[]>();
export function servedRoutesOf(app: FastifyInstance): readonly { method: string; url: string }[] {
  return servedRoutes.get(app) ?? [];
}

/** Every route the app serves, as data: what the authorization suite iterates. */
export const routeRegistry: readonly RouteSpec[] = [...apiRoutes, ...scimRoutes, ...webRoutes];

/**
 * The HTTP API: schemas in, presenters out, one error shape, an access rule on every route.
 * Only wiring here; use cases live in services.
 */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const deps: ApiDeps = {
    ctx: options.ctx,
    config: options.config,
    oidc: options.auth?.oidc ?? null,
    jobs: options.jobs ?? null,
    readCache: options.readCache ?? new ReadCache(),
  };
  const logger =
    options.logger === undefined || options.logger === false
      ? false
      : withSecretRedaction(options.logger === true ? {} : options.logger);
  const verbose = typeof logger === "object" && ["debug", "trace"].includes(String(logger.level));
  const slowRequestMs = options.slowRequestMs ?? 1000;
  const app = Fastify({
    logger,
    // Two log lines per request cost more than the who-knows-whom answer itself under load: requests
    // are logged at debug/trace only; errors and slow requests (≥ 1 s) are logged at any level.
    logController: new LogController({ disableRequestLogging: !verbose }),
    // Reject unknown properties instead of silently dropping them; keep coercion for query strings.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: "array", useDefaults: true } },
    bodyLimit: 16 * 1024 * 1024,
  });
  const served: { method: string; url: string }[] = [];
  servedRoutes.set(app, served);
  app.addHook("onRoute", (route) => {
    for (const method of [route.method].flat()) served.push({ method, url: route.url });
  });
  app.decorateRequest("principal", null);
  app.decorateRequest("sessionExpiresAt", null);
  await app.register(cookie);
  app.addSchema(ErrorBody);
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Kith API",
        version: "0.1.0",
        description:
          "Consent-first relationship intelligence. Sign in with a one-time link or OpenID Connect (session cookie; send x-csrf-token on state changes) or a bearer token. Errors: { error: { code, message, details? } }.",
      },
      components: {
        securitySchemes: {
          session: { type: "apiKey", in: "cookie", name: "kith_session" },
          bearer: { type: "http", scheme: "bearer" },
        },
      },
    },
    refResolver: {
      buildLocalReference: (json, _base, _fragment, i) => (json.$id as string | undefined) ?? `def-${i}`,
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  app.get("/openapi.json", { schema: { hide: true } }, () => app.swagger());

  app.setErrorHandler((error, request, reply) => sendError(error, request, reply));
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send(errorPayload("not_found", `no route ${request.method} ${request.url.split("?")[0]}`)),
  );
  app.addHook("onResponse", (request, reply, done) => {
    const principal = request.principal;
    if (unsafeMethods.has(request.method) && reply.statusCode < 400 && principal) {
      if (principal.kind === "user") deps.readCache.forgetTenant(principal.user.tenantId);
      else if (principal.kind === "scim") deps.readCache.forgetTenant(principal.tenantId);
      else deps.readCache.clear();
    }
    // The logger's redaction rewrites `url` (log-redaction.ts): a slow sign-in logs no link token.
    if (!verbose && reply.elapsedTime >= slowRequestMs)
      request.log.warn(
        { method: request.method, url: request.url, ms: Math.round(reply.elapsedTime) },
        "slow request",
      );
    kithMetrics.httpRequestDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? "unmatched",
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
    done();
  });

  const errorResponses = Object.fromEntries(
    [400, 401, 403, 404, 409, 429, 500, 503].map((status) => [status, { $ref: "Error#" }]),
  );
  registerScimContentType(app);
  await registerWebFiles(app);
  const limiter = new RateLimiter(options.config.rateLimits);
  for (const spec of routeRegistry) registerRoute(app, deps, spec, errorResponses, limiter);
  return app;
}

function registerRoute(
  app: FastifyInstance,
  deps: ApiDeps,
  spec: RouteSpec,
  errorResponses: Record<string, unknown>,
  limiter: RateLimiter,
): void {
  const json = spec.contentType === undefined;
  const limitGroup = rateLimitGroupOf(spec.url);
  app.route({
    method: spec.method,
    url: spec.url,
    schema: {
      summary: spec.summary,
      description: `${spec.description ? `${spec.description} ` : ""}Access: ${describeAccess(spec.access)}.`,
      tags: spec.tags,
      ...(spec.access === "public" ? {} : { security: [{ session: [] }, { bearer: [] }] }),
      ...(spec.schema.params ? { params: spec.schema.params } : {}),
      ...(spec.schema.querystring ? { querystring: spec.schema.querystring } : {}),
      ...(spec.schema.body ? { body: spec.schema.body } : {}),
      // SCIM answers errors in its own schema, so the API error schema does not apply there.
      response: {
        ...(json ? { [spec.status ?? 200]: spec.schema.response } : {}),
        ...(spec.errorHandler ? {} : errorResponses),
        ...spec.schema.otherResponses,
      },
      ...(spec.contentType ? { produces: [spec.contentType] } : {}),
    },
    ...(spec.errorHandler
      ? {
          errorHandler: (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
            spec.errorHandler?.(error, request, reply);
          },
        }
      : {}),
    // Authentication and authorization run before body parsing and validation.
    onRequest: (request, reply, done) => {
      const wait = limitGroup ? limiter.hit(limitGroup, request.ip) : null;
      if (wait !== null) {
        const message = `too many requests; try again in ${wait} s`;
        void reply
          .status(429)
          .header("retry-after", String(wait))
          .send(
            spec.errorHandler
              ? {
                  schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
                  status: "429",
                  detail: message,
                }
              : errorPayload("rate_limited", message, { retryAfterSeconds: wait }),
          );
        return;
      }
      // A public route reads no credential, so a stale cookie or bearer can never fail it (sign-in
      // itself, health checks, the web app's files).
      const principal = spec.access === "public" ? Promise.resolve(null) : authenticate(request, reply, deps);
      principal.then(
        (principal) => {
          request.principal = principal;
          try {
            authorize(spec.access, principal, request);
            done();
          } catch (error) {
            done(error as Error);
          }
        },
        (error: unknown) => done(error as Error),
      );
    },
    handler: async (request, reply) => {
      const principal = request.principal;
      const args = {
        deps,
        ctx: deps.ctx,
        principal,
        params: request.params,
        query: request.query,
        body: request.body,
        request,
        reply,
      } as Omit<HandlerArgs<typeof spec.schema>, "user">;
      Object.defineProperty(args, "user", {
        get() {
          if (principal?.kind !== "user")
            throw new Error(`route ${spec.url} read the user without user access`);
          return principal.user;
        },
      });
      const result = await spec.handler(args as HandlerArgs<typeof spec.schema>);
      if (result === reply || reply.sent) return reply;
      reply.status(spec.status ?? 200);
      if (!json) reply.type(spec.contentType ?? "text/plain");
      return result;
    },
  });
}
