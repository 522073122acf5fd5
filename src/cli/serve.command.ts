import { InvalidArgumentError, type Command } from "commander";
import { parseDuration } from "../config/config";
import { ensureDemoTenant } from "../demo/demo";
import { runSync } from "../jobs/sync.job";
import { serverServices, startServer, type ServerService } from "../main/server";
import { createLoginLink } from "../services/auth.service";
import type { ServiceContext } from "../services/context";
import {
  createScimToken,
  listScimTokensOf,
  revokeScimTokenOf,
  type ScimTokenView,
} from "../services/scim.service";
import { emit, fmtDate, resolveTenantId, tenantOption, type CommandEnv } from "./runtime";

function parseServices(value: string): Set<ServerService> {
  const names = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(serverServices as readonly string[]).includes(n));
  if (unknown.length || names.length === 0)
    throw new InvalidArgumentError(`use a comma list of ${serverServices.join(", ")}`);
  return new Set(names as ServerService[]);
}

function parseTtl(value: string): number {
  try {
    return parseDuration(value);
  } catch {
    throw new InvalidArgumentError("a duration like 15m, 1h, 90d, 900 (seconds)");
  }
}

const linkUrl = (publicUrl: string, token: string) =>
  `${publicUrl}/auth/link?token=${encodeURIComponent(token)}`;

const renderScimToken = (t: ScimTokenView) =>
  [
    `${t.id}  ${t.status.padEnd(7)}  "${t.label}"`,
    `created ${fmtDate(t.createdAt)} by ${t.createdBy}`,
    t.expiresAt ? `expires ${fmtDate(t.expiresAt)}` : "never expires",
    `last used ${t.lastUsedAt ? fmtDate(t.lastUsedAt) : "never"}`,
    ...(t.revokedAt ? [`revoked ${fmtDate(t.revokedAt)} by ${t.revokedBy ?? "?"}`] : []),
  ].join(", ");

/** `kith serve`, `kith sync`, `kith login-link`, `kith scim token|tokens|revoke`. */
export function registerServeCommands(program: Command, env: CommandEnv): void {
  program
    .command("serve")
    .description("run the HTTP API, job worker and scheduler (until interrupted)")
    .option("--services <list>", `comma list of ${serverServices.join(", ")} (default: all)`, parseServices)
    .option("--demo", "create the Contoso demo tenant if missing and print sign-in links")
    .action(async (o: { services?: Set<ServerService>; demo?: boolean }) => {
      const config = env.config();
      let demoLinks: string[] = [];
      const server = await startServer({
        config,
        ...(o.services ? { services: o.services } : {}),
        beforeStart: async (ctx: ServiceContext) => {
          if (!o.demo) return;
          const demo = await ensureDemoTenant(ctx);
          const seller = await createLoginLink(ctx, demo.tenantId, demo.seller, config.loginLinkTtlMs);
          const admin = await createLoginLink(ctx, demo.tenantId, demo.admin, config.loginLinkTtlMs);
          demoLinks = [
            demo.created ? "demo tenant Contoso created" : "demo tenant Contoso already present (data kept)",
            `  sign in as a seller (${demo.seller}):`,
            `    ${linkUrl(config.publicUrl, seller.token)}`,
            `  sign in as the administrator (${demo.admin}):`,
            `    ${linkUrl(config.publicUrl, admin.token)}`,
            `  links work once and expire ${fmtDate(seller.expiresAt)}; more with: npx kith login-link EMAIL --tenant contoso`,
          ];
        },
      });
      env.io.out(
        [
          `kith serving ${server.url ? `${server.url} (API docs ${config.publicUrl}/docs)` : "(no API in this process)"}`,
          `  store: ${config.databaseUrl}`,
          ...demoLinks,
        ].join("\n"),
      );
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          resolve();
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
      await server.close();
    });

  tenantOption(
    program
      .command("sync")
      .description(
        "one live sync now: import what the tenant's sources hold since the last sync (minus an overlap)",
      ),
  )
    .option("--json", "print JSON")
    .action(async (o: { tenant?: string; json?: boolean }) => {
      const outcome = await env.withContext(async (ctx) =>
        runSync(ctx, await resolveTenantId(ctx, env, o.tenant)),
      );
      emit(env.io, o.json, outcome, () =>
        outcome.status === "nothing to sync"
          ? `nothing to sync: ${outcome.reason}`
          : `synced since ${outcome.since ?? "the beginning"}: read ${outcome.read}, stored ${outcome.stored}, duplicates ${outcome.duplicates} (${outcome.durationMs} ms, batch ${outcome.batchId})`,
      );
    });

  tenantOption(
    program
      .command("login-link")
      .description("print a one-time sign-in link for a directory user")
      .argument("<email>", "the user's address or alias"),
  )
    .option("--ttl <duration>", "how long the link works (default: $KITH_LOGIN_LINK_TTL, 15m)", parseTtl)
    .option("--json", "print JSON")
    .action(async (email: string, o: { tenant?: string; ttl?: number; json?: boolean }) => {
      const config = env.config();
      const link = await env.withContext(async (ctx) =>
        createLoginLink(
          ctx,
          await resolveTenantId(ctx, env, o.tenant),
          email,
          o.ttl ?? config.loginLinkTtlMs,
        ),
      );
      const url = linkUrl(config.publicUrl, link.token);
      emit(env.io, o.json, { email: link.email, url, expiresAt: link.expiresAt }, () =>
        [url, `  for ${link.email}; works once, until ${fmtDate(link.expiresAt)}`].join("\n"),
      );
    });

  const scim = program.command("scim").description("SCIM 2.0 provisioning for identity providers");
  tenantOption(scim.command("token").description("create a tenant-scoped SCIM bearer token (shown once)"))
    .option("--label <label>", "what the token is for", "identity provider")
    .option("--ttl <duration>", "expire after this long, e.g. 90d (default: never, until revoked)", parseTtl)
    .option("--json", "print JSON")
    .action(async (o: { tenant?: string; label: string; ttl?: number; json?: boolean }) => {
      const config = env.config();
      const created = await env.withContext(async (ctx) =>
        createScimToken(ctx, await resolveTenantId(ctx, env, o.tenant), {
          label: o.label,
          ...(o.ttl === undefined ? {} : { ttlMs: o.ttl }),
        }),
      );
      const baseUrl = `${config.publicUrl}/scim/v2`;
      emit(env.io, o.json, { ...created, baseUrl }, () =>
        [
          created.token,
          `  id ${created.id}, "${created.label}", ${created.expiresAt ? `expires ${fmtDate(created.expiresAt)}` : "never expires (revoke with kith scim revoke)"}`,
          `  SCIM base URL ${baseUrl}; send as "Authorization: Bearer <token>". Stored hashed: it is shown only now.`,
        ].join("\n"),
      );
    });

  tenantOption(
    scim
      .command("tokens")
      .description("list the tenant's SCIM tokens: label, creator, expiry, last use, state"),
  )
    .option("--json", "print JSON")
    .action(async (o: { tenant?: string; json?: boolean }) => {
      const tokens = await env.withContext(async (ctx) =>
        listScimTokensOf(ctx, await resolveTenantId(ctx, env, o.tenant)),
      );
      emit(env.io, o.json, tokens, () =>
        tokens.length === 0
          ? "no SCIM tokens (create one with kith scim token)"
          : tokens.map(renderScimToken).join("\n"),
      );
    });

  tenantOption(
    scim
      .command("revoke")
      .description("revoke a SCIM token at once: every SCIM request with it is refused (401)")
      .argument("<id>", "the token's id (kith scim tokens)"),
  )
    .option("--json", "print JSON")
    .action(async (id: string, o: { tenant?: string; json?: boolean }) => {
      const revoked = await env.withContext(async (ctx) =>
        revokeScimTokenOf(ctx, await resolveTenantId(ctx, env, o.tenant), id, "operator"),
      );
      emit(env.io, o.json, revoked, () => `revoked ${renderScimToken(revoked)}`);
    });
}
