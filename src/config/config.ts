import { resolve } from "node:path";
import { z } from "zod";

/**
 * Configuration from the environment, read once at start: every bad variable is reported together,
 * then the result is frozen and passed down. Documented in README "Configuration".
 */
const durationPattern = /^\d+(ms|s|m|h|d)?$/;

/** "15m" → 900000; a bare number is seconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match) throw new Error(`not a duration: ${text}`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] ?? "s"] ?? 1000;
  return Number(match[1]) * unit;
}

const schema = z.object({
  KITH_DATABASE_URL: z.string().min(1).default(".kith/kith.db"),
  KITH_HOST: z.string().min(1).default("127.0.0.1"),
  KITH_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  KITH_PUBLIC_URL: z.url().optional(),
  KITH_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  KITH_TENANT: z.string().min(1).optional(),
  // Server (issue 5): sign-in, sessions, jobs.
  KITH_OIDC_ISSUER: z.url().optional(),
  KITH_OIDC_CLIENT_ID: z.string().min(1).optional(),
  KITH_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  KITH_OIDC_TENANT: z.string().min(1).optional(),
  KITH_OIDC_AUDIENCE: z.string().min(1).optional(),
  KITH_OPERATOR_TOKEN: z.string().min(24, "use at least 24 characters").optional(),
  KITH_SESSION_TTL: z.string().regex(durationPattern, "a duration like 30s, 15m, 12h, 7d").default("12h"),
  KITH_LOGIN_LINK_TTL: z.string().regex(durationPattern, "a duration like 30s, 15m, 12h, 7d").default("15m"),
  KITH_SYNC_INTERVAL: z.string().regex(durationPattern, "a duration like 30s, 15m, 12h, 7d").default("5m"),
  KITH_METRICS_TOKEN: z.string().min(24, "use at least 24 characters").optional(),
  KITH_RATE_LIMIT_SIGNIN: z.coerce.number().int().min(1, "at least 1 request a minute").default(30),
  KITH_RATE_LIMIT_SCIM: z.coerce.number().int().min(1, "at least 1 request a minute").default(600),
  // Partner data sharing (SPEC §5): reviewer emails over SMTP.
  KITH_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/\S+$/, "an smtp:// or smtps:// URL, e.g. smtp://127.0.0.1:2525")
    .optional(),
  KITH_MAIL_FROM: z.string().min(3).default("Kith <no-reply@kith.invalid>"),
  KITH_PARTNER_LINK_TTL: z.string().regex(durationPattern, "a duration like 30s, 15m, 12h, 7d").default("7d"),
  // The clock every time rule reads (SPEC §3 "time rules are testable"): an ISO instant it starts at.
  KITH_NOW: z.iso
    .datetime({ offset: true, message: "an ISO 8601 instant like 2027-01-15T09:00:00Z" })
    .optional(),
});

export interface Config {
  /** `postgres://…` or a SQLite file path (absolute). */
  databaseUrl: string;
  host: string;
  port: number;
  publicUrl: string;
  logLevel: z.infer<typeof schema>["KITH_LOG_LEVEL"];
  /** Default tenant for CLI commands that take `--tenant`. */
  defaultTenant: string | undefined;
  /** OpenID Connect sign-in; null unless issuer, client id and tenant are all set. */
  oidc: OidcConfig | null;
  /** Bearer secret for operator-only routes (creating and listing tenants); null disables them. */
  operatorToken: string | null;
  sessionTtlMs: number;
  loginLinkTtlMs: number;
  syncIntervalMs: number;
  /** Bearer secret that `/metrics` requires; null leaves it open (scraped on a private network). */
  metricsToken: string | null;
  /** Requests per minute per client address: sign-in (`/auth/link`, `/auth/oidc/*`) and SCIM. */
  rateLimits: { signIn: number; scim: number };
  /** SMTP server for outgoing mail (reviewer links); null: nothing is sent and callers say so. */
  smtpUrl: string | null;
  mailFrom: string;
  /** How long a reviewer's approval link works. */
  partnerLinkTtlMs: number;
  /**
   * Where the clock starts (`KITH_NOW`), for trying time rules (the 14-day deadline, dated group
   * memberships, link expiry) without waiting; null: the wall clock. It then runs forward in real time.
   */
  clockStart: Date | null;
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string | null;
  /** The tenant (id or slug) whose directory users this provider signs in. */
  tenant: string;
  /** Expected `aud` of bearer access tokens; the client id when unset. */
  audience: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Readonly<Config> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map(
        (i) => `${i.path.join(".")}: ${i.message} (got ${JSON.stringify(env[String(i.path[0])])})`,
      ),
    );
  }
  const e = parsed.data;
  const oidcParts = [e.KITH_OIDC_ISSUER, e.KITH_OIDC_CLIENT_ID, e.KITH_OIDC_TENANT];
  if (oidcParts.some(Boolean) && !oidcParts.every(Boolean)) {
    throw new ConfigError([
      "KITH_OIDC_ISSUER, KITH_OIDC_CLIENT_ID and KITH_OIDC_TENANT: set all three to enable OpenID Connect, or none",
    ]);
  }
  const isPostgres = /^postgres(ql)?:\/\//.test(e.KITH_DATABASE_URL);
  const databaseUrl =
    isPostgres || e.KITH_DATABASE_URL === ":memory:"
      ? e.KITH_DATABASE_URL
      : resolve(cwd, e.KITH_DATABASE_URL.replace(/^(sqlite|file):/, ""));
  return Object.freeze({
    databaseUrl,
    host: e.KITH_HOST,
    port: e.KITH_PORT,
    publicUrl: e.KITH_PUBLIC_URL ?? `http://${e.KITH_HOST}:${e.KITH_PORT}`,
    logLevel: e.KITH_LOG_LEVEL,
    defaultTenant: e.KITH_TENANT,
    oidc:
      e.KITH_OIDC_ISSUER && e.KITH_OIDC_CLIENT_ID && e.KITH_OIDC_TENANT
        ? Object.freeze({
            issuer: e.KITH_OIDC_ISSUER,
            clientId: e.KITH_OIDC_CLIENT_ID,
            clientSecret: e.KITH_OIDC_CLIENT_SECRET ?? null,
            tenant: e.KITH_OIDC_TENANT,
            audience: e.KITH_OIDC_AUDIENCE ?? e.KITH_OIDC_CLIENT_ID,
          })
        : null,
    operatorToken: e.KITH_OPERATOR_TOKEN ?? null,
    sessionTtlMs: parseDuration(e.KITH_SESSION_TTL),
    loginLinkTtlMs: parseDuration(e.KITH_LOGIN_LINK_TTL),
    syncIntervalMs: parseDuration(e.KITH_SYNC_INTERVAL),
    metricsToken: e.KITH_METRICS_TOKEN ?? null,
    rateLimits: Object.freeze({ signIn: e.KITH_RATE_LIMIT_SIGNIN, scim: e.KITH_RATE_LIMIT_SCIM }),
    smtpUrl: e.KITH_SMTP_URL ?? null,
    mailFrom: e.KITH_MAIL_FROM,
    partnerLinkTtlMs: parseDuration(e.KITH_PARTNER_LINK_TTL),
    clockStart: e.KITH_NOW ? new Date(e.KITH_NOW) : null,
  });
}
