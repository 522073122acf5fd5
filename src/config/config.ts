import { resolve } from "node:path";
import { Type, type Static } from "@sinclair/typebox";
import { check, says } from "../domain/validate";

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

const duration = (fallback: string) =>
  Type.String({
    pattern: durationPattern.source,
    default: fallback,
    ...says("a duration like 30s, 15m, 12h, 7d"),
  });
const url = (example: string) =>
  Type.Optional(Type.String({ pattern: "^[a-z][a-z0-9+.-]*://\\S+$", ...says(`a URL like ${example}`) }));
const text = (minLength = 1) => Type.String({ minLength, ...says(`at least ${minLength} character(s)`) });
const secret = Type.Optional(Type.String({ minLength: 24, ...says("use at least 24 characters") }));
const perMinute = (fallback: number) =>
  Type.Integer({ minimum: 1, default: fallback, ...says("at least 1 request a minute") });
const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const schema = Type.Object({
  KITH_DATABASE_URL: Type.String({
    minLength: 1,
    default: ".kith/kith.db",
    ...says("a postgres:// URL or a file path"),
  }),
  KITH_HOST: Type.String({ minLength: 1, default: "127.0.0.1", ...says("a host name or address") }),
  KITH_PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000, ...says("a port number, 0–65535") }),
  KITH_PUBLIC_URL: url("https://kith.example.com"),
  KITH_LOG_LEVEL: Type.Union(
    logLevels.map((l) => Type.Literal(l)),
    { default: "info", ...says(`one of ${logLevels.join(", ")}`) },
  ),
  KITH_TENANT: Type.Optional(text()),
  // OpenID Connect sign-in: issuer, client and the tenant whose users it signs in (all or none).
  KITH_OIDC_ISSUER: url("https://login.example.com"),
  KITH_OIDC_CLIENT_ID: Type.Optional(text()),
  KITH_OIDC_CLIENT_SECRET: Type.Optional(text()),
  KITH_OIDC_TENANT: Type.Optional(text()),
  KITH_OIDC_AUDIENCE: Type.Optional(text()),
  KITH_OPERATOR_TOKEN: secret,
  KITH_SESSION_TTL: duration("12h"),
  KITH_LOGIN_LINK_TTL: duration("15m"),
  KITH_SYNC_INTERVAL: duration("5m"),
  KITH_SECRET_KEY: Type.Optional(
    Type.String({
      pattern: "^([A-Za-z0-9+/]{43}=|[0-9a-fA-F]{64})$",
      ...says("32 random bytes as base64 (openssl rand -base64 32) or 64 hex digits"),
    }),
  ),
  KITH_LIVE_POLL_INTERVAL: duration("60s"),
  KITH_METRICS_TOKEN: secret,
  KITH_RATE_LIMIT_SIGNIN: perMinute(30),
  KITH_RATE_LIMIT_SCIM: perMinute(600),
  KITH_SMTP_URL: Type.Optional(
    Type.String({
      pattern: "^smtps?://\\S+$",
      ...says("an smtp:// or smtps:// URL, e.g. smtp://127.0.0.1:2525"),
    }),
  ),
  KITH_MAIL_FROM: Type.String({
    minLength: 3,
    default: "Kith <no-reply@kith.invalid>",
    ...says("a sender like Kith <no-reply@example.com>"),
  }),
  KITH_PARTNER_LINK_TTL: duration("7d"),
  // The watched folder `kith serve` imports from (issue 16), the tenant it imports into, how often.
  KITH_WATCH_DIR: Type.Optional(text()),
  KITH_WATCH_TENANT: Type.Optional(text()),
  KITH_WATCH_INTERVAL: duration("30s"),
  // Backups (README "Backups"): the key store file, and the key-encryption key or a file holding it.
  KITH_BACKUP_KEYSTORE: Type.Optional(text()),
  KITH_BACKUP_KEK: Type.Optional(text()),
  KITH_BACKUP_KEK_FILE: Type.Optional(text()),
  // The folder `POST /api/backups` writes to (operator API); unset: backups over the API are off.
  KITH_BACKUP_DIR: Type.Optional(text()),
  // The clock every time rule reads (SPEC §3 "time rules are testable"): an ISO instant it starts at.
  KITH_NOW: Type.Optional(
    Type.String({
      pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})$",
      ...says("an ISO 8601 instant like 2027-01-15T09:00:00Z"),
    }),
  ),
});

export interface Config {
  /** `postgres://…` or a SQLite file path (absolute). */
  databaseUrl: string;
  host: string;
  port: number;
  publicUrl: string;
  logLevel: Static<typeof schema>["KITH_LOG_LEVEL"];
  /** Default tenant for CLI commands that take `--tenant`. */
  defaultTenant: string | undefined;
  /** OpenID Connect sign-in; null unless issuer, client id and tenant are all set. */
  oidc: OidcConfig | null;
  /** Bearer secret for operator-only routes (creating and listing tenants); null disables them. */
  operatorToken: string | null;
  sessionTtlMs: number;
  loginLinkTtlMs: number;
  syncIntervalMs: number;
  /**
   * The key live mail sources' credentials are encrypted with (AES-256-GCM); never stored in the
   * database. Null: no IMAP or Graph source can be added or read.
   */
  secretKey: string | null;
  /** How often a live mailbox without IDLE (or an IDLE watch that missed something) is read. */
  livePollIntervalMs: number;
  /** Bearer secret that `/metrics` requires; null leaves it open (scraped on a private network). */
  metricsToken: string | null;
  /** Requests per minute per client address: sign-in (`/auth/link`, `/auth/link/request`, `/auth/oidc/*`) and SCIM. */
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
  /** The watched folder (absolute) and the tenant its files go to; null unless KITH_WATCH_DIR is set. */
  watch: { dir: string; tenant: string; intervalMs: number } | null;
  backup: BackupConfig;
}

export interface BackupConfig {
  /** The key store file (absolute): wrapped data keys and the forgetting ledger; null: not configured. */
  keyStore: string | null;
  /** The key-encryption key as written (base64 or hex), or the file holding it; read only by backup and restore. */
  kek: { text: string } | { file: string } | null;
  /** The folder (absolute) `POST /api/backups` writes to and `GET /api/backups` lists; null: not set. */
  dir?: string | null;
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
  // Only Kith's variables are read (and copied): the rest of the environment is none of its business.
  const own = Object.fromEntries(Object.entries(env).filter(([name]) => name.startsWith("KITH_")));
  const parsed = check(schema, own, { convert: true });
  if (!parsed.ok) {
    throw new ConfigError(
      parsed.problems.map((problem) => {
        const name = problem.slice(0, problem.indexOf(":"));
        // A secret is never echoed, not even a wrong one: error output ends up in logs.
        return /TOKEN|SECRET|KEK$/.test(name) ? problem : `${problem} (got ${JSON.stringify(env[name])})`;
      }),
    );
  }
  const e = parsed.value;
  if (e.KITH_NOW !== undefined && Number.isNaN(Date.parse(e.KITH_NOW)))
    throw new ConfigError([`KITH_NOW: not a real instant (got ${JSON.stringify(e.KITH_NOW)})`]);
  const oidcParts = [e.KITH_OIDC_ISSUER, e.KITH_OIDC_CLIENT_ID, e.KITH_OIDC_TENANT];
  if (oidcParts.some(Boolean) && !oidcParts.every(Boolean)) {
    throw new ConfigError([
      "KITH_OIDC_ISSUER, KITH_OIDC_CLIENT_ID and KITH_OIDC_TENANT: set all three to enable OpenID Connect, or none",
    ]);
  }
  const watchTenant = e.KITH_WATCH_TENANT ?? e.KITH_TENANT;
  if (e.KITH_WATCH_DIR !== undefined && watchTenant === undefined)
    throw new ConfigError([
      "KITH_WATCH_DIR: name the tenant its files go to with KITH_WATCH_TENANT (or KITH_TENANT)",
    ]);
  if (e.KITH_BACKUP_KEK && e.KITH_BACKUP_KEK_FILE)
    throw new ConfigError(["KITH_BACKUP_KEK and KITH_BACKUP_KEK_FILE: set one of them, not both"]);
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
    secretKey: e.KITH_SECRET_KEY ?? null,
    livePollIntervalMs: parseDuration(e.KITH_LIVE_POLL_INTERVAL),
    metricsToken: e.KITH_METRICS_TOKEN ?? null,
    rateLimits: Object.freeze({ signIn: e.KITH_RATE_LIMIT_SIGNIN, scim: e.KITH_RATE_LIMIT_SCIM }),
    smtpUrl: e.KITH_SMTP_URL ?? null,
    mailFrom: e.KITH_MAIL_FROM,
    partnerLinkTtlMs: parseDuration(e.KITH_PARTNER_LINK_TTL),
    clockStart: e.KITH_NOW ? new Date(e.KITH_NOW) : null,
    watch:
      e.KITH_WATCH_DIR !== undefined && watchTenant !== undefined
        ? Object.freeze({
            dir: resolve(cwd, e.KITH_WATCH_DIR),
            tenant: watchTenant,
            intervalMs: parseDuration(e.KITH_WATCH_INTERVAL),
          })
        : null,
    backup: Object.freeze({
      keyStore: e.KITH_BACKUP_KEYSTORE ? resolve(cwd, e.KITH_BACKUP_KEYSTORE) : null,
      kek: e.KITH_BACKUP_KEK
        ? { text: e.KITH_BACKUP_KEK }
        : e.KITH_BACKUP_KEK_FILE
          ? { file: resolve(cwd, e.KITH_BACKUP_KEK_FILE) }
          : null,
      dir: e.KITH_BACKUP_DIR ? resolve(cwd, e.KITH_BACKUP_DIR) : null,
    }),
  });
}
