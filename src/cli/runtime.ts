import { CommanderError, type Command } from "commander";
import type * as ConfigModule from "../config/config";
import type { Config } from "../config/config";
import { isKithError, type ErrorCode } from "../domain/errors";
import type { ServiceContext } from "../services/context";

/**
 * Exit codes, stable for scripts (README "CLI"): 0 done; 1 unexpected failure; 2 usage error;
 * 3 invalid input; 4 not permitted (privileges, consent, insights disabled); 5 not found;
 * 6 conflict; 7 integrity check failed (audit chain).
 */
export const exitCodes: Record<ErrorCode | "unexpected" | "usage", number> = {
  unexpected: 1,
  usage: 2,
  validation_failed: 3,
  insufficient_privileges: 4,
  consent_required: 4,
  not_authenticated: 4,
  insights_disabled: 4,
  not_found: 5,
  conflict: 6,
  integrity_failed: 7,
  unavailable: 1,
};

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /**
   * One status line, redrawn in place ("" clears it); only on a terminal (stdout and stderr both
   * TTYs), so piped output and --json never carry it.
   */
  progress?: (line: string) => void;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
  ...(process.stdout.isTTY && process.stderr.isTTY
    ? { progress: (line: string) => process.stderr.write(`\r${line}\x1b[K`) }
    : {}),
};

export interface CommandEnv {
  io: Io;
  config: () => Readonly<Config>;
  /** Opens the configured store, runs `work`, and always closes the store. */
  withContext<T>(work: (ctx: ServiceContext) => Promise<T>): Promise<T>;
  /** Sets the process exit code without throwing (e.g. a failed verification that printed its report). */
  setExitCode(code: number): void;
}

let configModule: typeof ConfigModule | undefined;

/**
 * Loads the configuration module (TypeBox and the schema: a tenth of a second at start), which
 * `config()` needs; runCli does so before every command but `--version`.
 */
export async function loadConfigModule(): Promise<typeof ConfigModule> {
  return (configModule ??= await import("../config/config"));
}

export function createCommandEnv(io: Io, env: NodeJS.ProcessEnv, exit: { code: number }): CommandEnv {
  let config: Readonly<Config> | undefined;
  const getConfig = () => {
    if (!configModule)
      throw new Error("the configuration module is not loaded (call loadConfigModule first)");
    return (config ??= configModule.loadConfig(env));
  };
  return {
    io,
    config: getConfig,
    async withContext(work) {
      // Loaded here, not at start: `kith --version` and `--help` never open a store.
      const { clockFrom, openContext } = await import("../services/context");
      const { databaseUrl, clockStart, backup } = getConfig();
      const { ctx, close } = await openContext(databaseUrl, clockFrom(clockStart), backup);
      try {
        return await work(ctx);
      } finally {
        await close();
      }
    },
    setExitCode(code) {
      exit.code = code;
    },
  };
}

/** Prints either JSON (for scripts) or the human rendering. */
export function emit(io: Io, json: boolean | undefined, value: unknown, human: () => string): void {
  io.out(json ? JSON.stringify(value, null, 2) : human());
}

export function tenantOption(cmd: Command): Command {
  return cmd.option("-t, --tenant <tenant>", "tenant id or slug (default: $KITH_TENANT)");
}

export async function resolveTenantId(
  ctx: ServiceContext,
  env: CommandEnv,
  tenant: string | undefined,
): Promise<string> {
  const key = tenant ?? env.config().defaultTenant;
  if (!key) {
    const { validationError } = await import("../domain/errors");
    throw validationError("name a tenant with --tenant (or set KITH_TENANT)");
  }
  const { getTenantOrThrow } = await import("../services/tenant.service");
  return (await getTenantOrThrow(ctx, key)).id;
}

/**
 * Turns a thrown error into a message on stderr and a meaningful exit code. Never a stack trace
 * unless asked for (`KITH_DEBUG=1`): an operator reads one line that says what failed.
 */
export function reportError(
  io: Io,
  error: unknown,
  json: boolean,
  options: { debug?: boolean } = {},
): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : exitCodes.usage;
  if (error instanceof Error && error.name === "ConfigError") {
    io.err(`kith: ${error.message}`);
    return exitCodes.validation_failed;
  }
  if (isKithError(error)) {
    if (json)
      io.err(JSON.stringify({ error: { code: error.code, message: error.message, details: error.details } }));
    else io.err(`kith: ${error.code.replaceAll("_", " ")}: ${error.message}`);
    return exitCodes[error.code];
  }
  const message = error instanceof Error ? error.message : String(error);
  if (json) io.err(JSON.stringify({ error: { code: "unexpected", message } }));
  else io.err(`kith: unexpected error: ${message}${options.debug ? "" : " (KITH_DEBUG=1 shows where)"}`);
  if (options.debug && error instanceof Error && error.stack) io.err(error.stack);
  return exitCodes.unexpected;
}

export const fmtDate = (d: Date | null | undefined) => (d ? d.toISOString().replace(".000Z", "Z") : "—");
