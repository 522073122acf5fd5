import type { Command } from "commander";
import { listAuditEntries, verifyAuditChain } from "../services/audit.service";
import { emit, exitCodes, fmtDate, resolveTenantId, tenantOption, type CommandEnv } from "./runtime";

export function registerAuditCommands(program: Command, env: CommandEnv): void {
  const audit = program.command("audit").description("the tenant's hash-chained audit log");
  tenantOption(
    audit
      .command("verify")
      .description("verify the whole chain; exits 7 when an entry was edited or removed"),
  )
    .option("--json", "print JSON")
    .action(async (o: { tenant?: string; json?: boolean }) => {
      const result = await env.withContext(async (ctx) =>
        verifyAuditChain(ctx, await resolveTenantId(ctx, env, o.tenant)),
      );
      emit(env.io, o.json, result, () =>
        result.ok
          ? `audit chain intact: ${result.checked} entries, head ${result.headHash.slice(0, 16)}…`
          : [
              `AUDIT CHAIN BROKEN (${result.checked} entries checked)`,
              ...result.problems.map((p) => `  entry ${p.seq}: ${p.message}`),
            ].join("\n"),
      );
      if (!result.ok) env.setExitCode(exitCodes.integrity_failed);
    });
  tenantOption(audit.command("list").description("newest entries first"))
    .option("--limit <n>", "how many", (v) => Number.parseInt(v, 10), 50)
    .option("--action <prefix>", "only actions starting with this, e.g. consent.")
    .option("--json", "print JSON")
    .action(async (o: { tenant?: string; limit: number; action?: string; json?: boolean }) => {
      const entries = await env.withContext(async (ctx) =>
        listAuditEntries(ctx, await resolveTenantId(ctx, env, o.tenant), {
          limit: o.limit,
          ...(o.action ? { action: o.action } : {}),
        }),
      );
      emit(
        env.io,
        o.json,
        entries,
        () =>
          entries
            .map(
              (e) =>
                `${String(e.seq).padStart(6)}  ${fmtDate(e.at)}  ${e.actor.padEnd(28)} ${e.action.padEnd(32)} ${e.subject}`,
            )
            .join("\n") || "no entries",
      );
    });
}
