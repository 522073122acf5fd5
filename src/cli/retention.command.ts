import { InvalidArgumentError, type Command } from "commander";
import {
  enforceRetention,
  readRetention,
  setRetention,
  type RetentionSetting,
} from "../services/retention.service";
import { emit, fmtDate, resolveTenantId, tenantOption, type CommandEnv } from "./runtime";

function monthsOrOff(value: string): number | null {
  if (value === "off") return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 240) throw new InvalidArgumentError("1–240 (months) or off");
  return n;
}

const describeSetting = (s: RetentionSetting) =>
  s.months === null
    ? "retention off: collected data is kept until deleted otherwise"
    : `retention ${s.months} months: data before ${fmtDate(s.cutoff)} is removed by the daily job`;

/** `kith retention show|set|run`: the tenant's retention window and its job. */
export function registerRetentionCommands(program: Command, env: CommandEnv): void {
  const retention = program
    .command("retention")
    .description("how long collected data is kept (default 24 months), and the job that removes older data");
  tenantOption(retention.command("show").description("the window and where its cutoff is now"))
    .option("--json", "print JSON")
    .action(async (o: { tenant?: string; json?: boolean }) => {
      const s = await env.withContext(async (ctx) =>
        readRetention(ctx, await resolveTenantId(ctx, env, o.tenant)),
      );
      emit(env.io, o.json, s, () => describeSetting(s));
    });
  tenantOption(
    retention
      .command("set")
      .description("change the window; the next run applies it")
      .argument("<months>", "1–240, or off", monthsOrOff),
  )
    .option("--by <email>", "who changes it (audit log)", "operator:cli")
    .option("--json", "print JSON")
    .action(async (months: number | null, o: { tenant?: string; by: string; json?: boolean }) => {
      const s = await env.withContext(async (ctx) =>
        setRetention(ctx, await resolveTenantId(ctx, env, o.tenant), months, o.by),
      );
      emit(env.io, o.json, s, () => describeSetting(s));
    });
  tenantOption(
    retention.command("run").description("run the retention job now (it also runs daily under kith serve)"),
  )
    .option("--json", "print JSON")
    .action(async (o: { tenant?: string; json?: boolean }) => {
      const r = await env.withContext(async (ctx) =>
        enforceRetention(ctx, await resolveTenantId(ctx, env, o.tenant)),
      );
      emit(env.io, o.json, r, () =>
        r.months === null
          ? "retention off: nothing removed"
          : `removed before ${fmtDate(r.cutoff)}: ${Object.entries(r.counts)
              .map(([k, n]) => `${k} ${n}`)
              .join(", ")} (${Math.round(r.durationMs)} ms)`,
      );
    });
}
