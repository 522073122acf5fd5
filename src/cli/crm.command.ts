import type { Command } from "commander";
import { resolve } from "node:path";
import { importCrmFile, type CrmImportSummary } from "../services/crm.service";
import { emit, exitCodes, resolveTenantId, tenantOption, type CommandEnv } from "./runtime";

function renderCrmSummary(s: CrmImportSummary): string {
  if (s.status === "failed") return `FAILED (nothing kept) ${s.file}\n  reason  ${s.failure ?? "unknown"}`;
  const i = s.imported;
  return [
    `imported ${s.file}`,
    `  read ${s.read}: ${i.accounts} accounts, ${i.contacts} contacts, ${i.leads} leads, ${i.opportunities} opportunities, ${i.activities} activities`,
    ...s.skippedDomains.map(
      (d) => `  domain ${d.domain} of account ${d.account} not mapped (${d.reason.replace("_", " ")})`,
    ),
    `  rejected ${s.rejected.length}`,
    ...s.rejected.map((r) => `    ${r.file}:${r.line ?? `record ${r.record}`}  ${r.reason}`),
  ].join("\n");
}

/** `kith crm import FILE…`: one transaction per file; exit 3 when a file failed or rows were rejected. */
export function registerCrmCommands(program: Command, env: CommandEnv): void {
  const crm = program
    .command("crm")
    .description("CRM records: accounts, contacts, leads, opportunities, activities");
  tenantOption(
    crm
      .command("import")
      .description("import kith-crm/1 files (JSON, or CSV per entity); idempotent upserts by CRM id")
      .argument("<files...>", "CRM files"),
  )
    .option("--json", "print JSON")
    .action(async (files: string[], o: { tenant?: string; json?: boolean }) => {
      const summaries = await env.withContext(async (ctx) => {
        const tenantId = await resolveTenantId(ctx, env, o.tenant);
        const out: CrmImportSummary[] = [];
        for (const file of files) out.push(await importCrmFile(ctx, tenantId, resolve(file)));
        return out;
      });
      emit(env.io, o.json, summaries.length === 1 ? summaries[0] : summaries, () =>
        summaries.map(renderCrmSummary).join("\n"),
      );
      if (summaries.some((s) => s.status === "failed" || s.rejected.length > 0))
        env.setExitCode(exitCodes.validation_failed);
    });
}
