import { resolve } from "node:path";
import { z } from "zod";

/**
 * Configuration from the environment, read once at start: every bad variable is reported together,
 * then the result is frozen and passed down. Documented in README "Configuration".
 */
const schema = z.object({
  KITH_DATABASE_URL: z.string().min(1).default(".kith/kith.db"),
  KITH_HOST: z.string().min(1).default("127.0.0.1"),
  KITH_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  KITH_PUBLIC_URL: z.url().optional(),
  KITH_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  KITH_TENANT: z.string().min(1).optional(),
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
  });
}
