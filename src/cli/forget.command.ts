import { userInfo } from "node:os";
import type { Command } from "commander";
import { forgetPerson, forgetRequestsFor, listForgetRequests } from "../services/forget.service";
import type { ForgetReceipt } from "../store/forget.repository";
import { emit, fmtDate, resolveTenantId, tenantOption, type CommandEnv } from "./runtime";

/** Whoever runs the CLI, as the audit log records them without `--by`. */
function operatorName(): string {
  try {
    return `operator:${userInfo().username || "cli"}`;
  } catch {
    return "operator:cli";
  }
}

const renderCounts = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");

const renderReceipt = (r: ForgetReceipt) =>
  `${r.id}  ${fmtDate(r.at)}  by ${r.requestedBy}  (${Math.round(r.durationMs)} ms)\n  removed: ${renderCounts(r.counts)}\n  address hash: ${r.addressHash}`;

/** `kith forget <address>` and `kith forget-requests`: deletion requests by external people. */
export function registerForgetCommands(program: Command, env: CommandEnv): void {
  tenantOption(
    program
      .command("forget")
      .description(
        "forget an external person at their request: delete their address from interactions, people, connection strengths and the CRM copy, keep them out of later imports, print the receipt",
      )
      .argument("<address>", "the person's email address"),
  )
    .option("--reason <text>", "why (kept on the receipt)", "deletion request by the person")
    .option("--by <email>", "who asked for it (default: the CLI operator)")
    .option("--json", "print JSON")
    .action(async (address: string, o: { tenant?: string; reason: string; by?: string; json?: boolean }) => {
      const outcome = await env.withContext(async (ctx) =>
        forgetPerson(
          ctx,
          await resolveTenantId(ctx, env, o.tenant),
          address,
          o.by ?? operatorName(),
          o.reason,
        ),
      );
      emit(env.io, o.json, outcome, () =>
        [
          outcome.alreadyForgotten
            ? "forgotten before; removed what came in since:"
            : "forgotten; the receipt (it names the address only by its keyed hash):",
          renderReceipt(outcome.receipt),
        ].join("\n"),
      );
    });
  tenantOption(
    program
      .command("forget-requests")
      .description("list deletion requests by external people (receipts), newest first")
      .option("--address <address>", "only the receipts of this address (checked by its keyed hash)"),
  )
    .option("--json", "print JSON")
    .action(async (o: { tenant?: string; address?: string; json?: boolean }) => {
      const receipts = await env.withContext(async (ctx) => {
        const tenantId = await resolveTenantId(ctx, env, o.tenant);
        return o.address ? forgetRequestsFor(ctx, tenantId, o.address) : listForgetRequests(ctx, tenantId);
      });
      emit(env.io, o.json, receipts, () =>
        receipts.length ? receipts.map(renderReceipt).join("\n") : "no deletion requests",
      );
    });
}
