import { InvalidArgumentError, type Command } from "commander";
import { parseDuration } from "../config/config";
import { runSync } from "../jobs/sync.job";
import { createLoginLink } from "../services/auth.service";
import {
  createScimToken,
  listScimTokensOf,
  revokeScimTokenOf,
  type ScimTokenView,
} from "../services/scim.service";
import { emit, fmtDate, resolveTenantId, tenantOption, type CommandEnv } from "./runtime";

function parseTtl(value: string): number {
  try {
    return parseDuration(value);
  } catch {
    throw new InvalidArgumentError("a duration like 15m, 1h, 90d, 900 (seconds)");
  }
}

export const linkUrl = (publicUrl: string, token: string) =>
  `${publicUrl}/auth/link?token=${encodeURIComponent(token)}`;

const renderScimToken = (t: ScimTokenView) =>
  [
    `${t.id}  ${t.status.padEnd(7)}  "${t.label}"`,
    `created ${fmtDate(t.createdAt)} by ${t.createdBy}`,
    t.expiresAt ? `expires ${fmtDate(t.expiresAt)}` : "never expires",
    `last used ${t.lastUsedAt ? fmtDate(t.lastUsedAt) : "never"}`,
    ...(t.revokedAt ? [`revoked ${fmtDate(t.revokedAt)} by ${t.revokedBy ?? "?"}`] : []),
  ].join(", ");

/** `kith sync`, `kith login-link`, `kith scim token|tokens|revoke` (`kith serve` is wired in main/). */
export function registerOperationCommands(program: Command, env: CommandEnv): void {
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
