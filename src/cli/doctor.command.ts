import { InvalidArgumentError, type Command } from "commander";
import { clockFrom } from "../services/context";
import { runDoctor } from "../services/doctor.service";
import { emit, type CommandEnv } from "./runtime";

const mark = { ok: "ok  ", warn: "WARN", fail: "FAIL" } as const;

function bytes(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError("a number of bytes");
  return n;
}

/** `kith doctor`: store, migrations, consent per tenant, queue, last sync, disk; non-zero on a failure. */
export function registerDoctorCommand(program: Command, env: CommandEnv): void {
  program
    .command("doctor")
    .description(
      "check the deployment: store reachable, migrations applied, consent per tenant, job queue, last sync per tenant, disk free; exits 1 when a check fails",
    )
    .option("--strict", "exit 1 on warnings too")
    .option("--min-free <bytes>", "free disk space below which the disk check fails (default 1 GiB)", bytes)
    .option("--json", "print JSON")
    .action(async (o: { strict?: boolean; minFree?: number; json?: boolean }) => {
      const config = env.config();
      const report = await runDoctor({
        databaseUrl: config.databaseUrl,
        now: clockFrom(config.clockStart),
        syncIntervalMs: config.syncIntervalMs,
        backup: config.backup,
        ...(o.minFree === undefined ? {} : { minFreeBytes: o.minFree }),
      });
      emit(env.io, o.json, report, () =>
        report.checks.map((c) => `${mark[c.status]}  ${c.name}: ${c.message}`).join("\n"),
      );
      if (!report.ok || (o.strict && report.checks.some((c) => c.status === "warn"))) env.setExitCode(1);
    });
}
