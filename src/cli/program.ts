import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { createCommandEnv, loadConfigModule, reportError, type CommandEnv, type Io } from "./runtime";

/** Adds commands that live outside cli/ (main/ adds `kith serve`, which wires the server). */
export type CommandRegistrar = (program: Command, env: CommandEnv) => void;

/**
 * A module of commands, loaded only when one of its top-level commands runs (or for help): a
 * command starts without loading the HTTP server, the mail connectors or the insights it does not
 * use. `names` must list every top-level command `load`'s registrar adds (program.test.ts checks).
 */
export interface LazyCommands {
  names: readonly string[];
  load: () => Promise<CommandRegistrar>;
}

/** The command modules of cli/, in help order; `extra` (main/'s) go after `audit`. */
export const cliCommandModules: { before: LazyCommands[]; after: LazyCommands[] } = {
  before: [
    { names: ["tenant"], load: async () => (await import("./tenant.command")).registerTenantCommands },
    {
      names: ["directory"],
      load: async () => (await import("./directory.command")).registerDirectoryCommands,
    },
    { names: ["consent"], load: async () => (await import("./consent.command")).registerConsentCommands },
    { names: ["privacy"], load: async () => (await import("./privacy.command")).registerPrivacyCommands },
    {
      names: ["forget", "forget-requests"],
      load: async () => (await import("./forget.command")).registerForgetCommands,
    },
    {
      names: ["retention"],
      load: async () => (await import("./retention.command")).registerRetentionCommands,
    },
    { names: ["doctor"], load: async () => (await import("./doctor.command")).registerDoctorCommand },
    { names: ["ri"], load: async () => (await import("./ri.command")).registerRiCommands },
    { names: ["audit"], load: async () => (await import("./audit.command")).registerAuditCommands },
  ],
  after: [
    {
      names: ["sync", "login-link", "scim"],
      load: async () => (await import("./operations.command")).registerOperationCommands,
    },
    {
      names: ["import", "backfill", "sources"],
      load: async () => (await import("./ingest.command")).registerIngestCommands,
    },
    { names: ["watch"], load: async () => (await import("./watch.command")).registerWatchCommands },
    {
      names: [
        "crm",
        "wkw",
        "account-introducers",
        "kpis",
        "opportunities",
        "engagement",
        "my-network",
        "eval",
        "eval-setup",
        "settings",
      ],
      load: async () => (await import("./insights.command")).registerInsightCommands,
    },
    { names: ["partner"], load: async () => (await import("./partner.command")).registerPartnerCommands },
    {
      names: ["backup", "restore"],
      load: async () => (await import("./backup.command")).registerBackupCommands,
    },
  ],
};

/** The top-level command `argv` runs (`help <name>` names one too), or null (help, version, none). */
export function commandNamed(argv: readonly string[]): string | null {
  const words = argv.filter((a) => !a.startsWith("-"));
  if (words[0] === "help") return words[1] ?? null;
  return argv[0] !== undefined && !argv[0].startsWith("-") ? (words[0] ?? null) : null;
}

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

/**
 * The program with the commands needed for `argv`: the module of the named command only, or every
 * module when none is named or the name is unknown (help and commander's suggestions need them all).
 */
export async function buildProgram(
  env: CommandEnv,
  extra: readonly LazyCommands[] = [],
  argv: readonly string[] = [],
): Promise<Command> {
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
      const { migrateStore } = await import("../services/context");
      const engine = await migrateStore(env.config().databaseUrl, env.config().backup);
      env.io.out(`store ready: ${engine}`);
    });
  program
    .command("demo")
    .description(
      "create the Contoso demo tenant (directory, consent, relationship intelligence) if it is missing",
    )
    .action(async () => {
      const { ensureDemoTenant } = await import("../demo/demo");
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
  const modules = [...cliCommandModules.before, ...extra, ...cliCommandModules.after];
  const name = commandNamed(argv);
  const named = modules.find((m) => name !== null && m.names.includes(name));
  const bare = name === "migrate" || name === "demo" || argv[0] === "-V" || argv[0] === "--version";
  const wanted = named ? [named] : bare ? [] : modules;
  for (const register of await Promise.all(wanted.map((m) => m.load()))) register(program, env);
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
  extra: readonly LazyCommands[] = [],
): Promise<number> {
  const exit = { code: 0 };
  const env = createCommandEnv(io, envVars, exit);
  try {
    if (argv[0] !== "-V" && argv[0] !== "--version") await loadConfigModule();
    const program = await buildProgram(env, extra, argv);
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
