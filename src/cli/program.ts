import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { registerAuditCommands } from "./audit.command";
import { registerConsentCommands } from "./consent.command";
import { registerDirectoryCommands } from "./directory.command";
import { registerDoctorCommand } from "./doctor.command";
import { registerForgetCommands } from "./forget.command";
import { registerRetentionCommands } from "./retention.command";
import { registerIngestCommands } from "./ingest.command";
import { registerInsightCommands } from "./insights.command";
import { registerPartnerCommands } from "./partner.command";
import { registerPrivacyCommands } from "./privacy.command";
import { registerRiCommands } from "./ri.command";
import { registerOperationCommands } from "./operations.command";
import { createCommandEnv, reportError, type CommandEnv, type Io } from "./runtime";
import { registerTenantCommands } from "./tenant.command";
import { ensureDemoTenant } from "../demo/demo";
import { migrateStore } from "../services/context";

/** Adds commands that live outside cli/ (main/ adds `kith serve`, which wires the server). */
export type CommandRegistrar = (program: Command, env: CommandEnv) => void;

/**
 * Kith's version, from the package.json two folders up: both this source (src/cli/) and the bundle
 * it becomes (dist/main/cli.js) sit two levels below the package root.
 */
function kithVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version?: string;
    };
    return pkg.version ?? "unknown";
  } catch {
    return "unknown";
  }
}

export function buildProgram(env: CommandEnv, extra: readonly CommandRegistrar[] = []): Command {
  const program = new Command("kith")
    .description("Kith: consent-first relationship intelligence")
    .version(kithVersion(), "-V, --version", "print Kith's version")
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => env.io.out(s), writeErr: (s) => env.io.err(s) });
  program
    .command("migrate")
    .description("create or upgrade the store named by KITH_DATABASE_URL")
    .action(async () => {
      const engine = await migrateStore(env.config().databaseUrl);
      env.io.out(`store ready: ${engine}`);
    });
  program
    .command("demo")
    .description(
      "create the Contoso demo tenant (directory, consent, relationship intelligence) if it is missing",
    )
    .action(async () => {
      const result = await env.withContext((ctx) => ensureDemoTenant(ctx));
      env.io.out(
        [
          result.created ? "demo tenant Contoso created" : "demo tenant Contoso already present (data kept)",
          `  store: ${env.config().databaseUrl}`,
          "  try:   npx kith consent status --tenant contoso",
          "         npx kith directory users --tenant contoso",
          "         npx kith audit verify --tenant contoso",
        ].join("\n"),
      );
    });
  registerTenantCommands(program, env);
  registerDirectoryCommands(program, env);
  registerConsentCommands(program, env);
  registerPrivacyCommands(program, env);
  registerForgetCommands(program, env);
  registerRetentionCommands(program, env);
  registerDoctorCommand(program, env);
  registerRiCommands(program, env);
  registerAuditCommands(program, env);
  for (const register of extra) register(program, env);
  registerOperationCommands(program, env);
  registerIngestCommands(program, env);
  registerInsightCommands(program, env);
  registerPartnerCommands(program, env);
  // Every subcommand inherits exitOverride and output routing, so errors come back here.
  const inherit = (cmd: Command) => {
    for (const sub of cmd.commands) {
      sub.exitOverride().configureOutput({ writeOut: (s) => env.io.out(s), writeErr: (s) => env.io.err(s) });
      inherit(sub);
    }
  };
  inherit(program);
  return program;
}

/** Runs the CLI and returns the exit code (tests call this in-process). */
export async function runCli(
  argv: readonly string[],
  io: Io,
  envVars: NodeJS.ProcessEnv = process.env,
  extra: readonly CommandRegistrar[] = [],
): Promise<number> {
  const exit = { code: 0 };
  const env = createCommandEnv(io, envVars, exit);
  const program = buildProgram(env, extra);
  try {
    await program.parseAsync(argv, { from: "user" });
    return exit.code;
  } catch (error) {
    if (
      error instanceof CommanderError &&
      (error.code === "commander.helpDisplayed" ||
        error.code === "commander.version" ||
        error.code === "commander.help")
    )
      return 0;
    return reportError(io, error, argv.includes("--json"), { debug: envVars.KITH_DEBUG === "1" });
  }
}
