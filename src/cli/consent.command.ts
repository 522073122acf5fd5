import type { Command } from "commander";
import { consentTypes } from "../domain/consent";
import { consentStatus, grantConsent, parseConsentType, withdrawConsent } from "../services/consent.service";
import { enablementJson, enablementText } from "./ri.command";
import { emit, fmtDate, resolveTenantId, tenantOption, type CommandEnv } from "./runtime";

export function registerConsentCommands(program: Command, env: CommandEnv): void {
  const consent = program
    .command("consent")
    .description(`grant, withdraw and inspect the tenant's consents (${consentTypes.join(", ")})`);
  for (const verb of ["grant", "withdraw"] as const) {
    tenantOption(
      consent
        .command(verb)
        .description(
          verb === "grant"
            ? "grant a consent type (Global Administrator); every user is opted in except those who turned sharing off"
            : "withdraw a consent type (Global Administrator); with no collection consent left, all collected data is deleted",
        )
        .argument("<type>", `consent type: ${consentTypes.join(" | ")}`),
    )
      .requiredOption("--by <email>", "the Global Administrator acting")
      .option("--json", "print JSON")
      .action(async (typeArg: string, o: { tenant?: string; by: string; json?: boolean }) => {
        const type = parseConsentType(typeArg);
        const change = await env.withContext(async (ctx) => {
          const tenantId = await resolveTenantId(ctx, env, o.tenant);
          return verb === "grant"
            ? grantConsent(ctx, tenantId, type, o.by)
            : withdrawConsent(ctx, tenantId, type, o.by);
        });
        const json = change.relationshipIntelligence
          ? { ...change, relationshipIntelligence: enablementJson(change.relationshipIntelligence) }
          : change;
        emit(env.io, o.json, json, () => {
          if (!change.changed)
            return `${type} consent was already ${verb === "grant" ? "granted" : "withdrawn"}; nothing changed`;
          const lines = [`${type} consent ${verb === "grant" ? "granted" : "withdrawn"} by ${o.by}`];
          if (change.collectFrom)
            lines.push(
              `  granted again after a withdrawal: collected from ${fmtDate(change.collectFrom)} on; nothing dated earlier comes back`,
            );
          if (change.receipt)
            lines.push(
              `  collected data deleted: ${JSON.stringify(change.receipt.counts)} (receipt ${change.receipt.id})`,
            );
          const ri = change.relationshipIntelligence;
          if (ri && ri.state !== "disabled" && ri.state !== "active") lines.push(`  ${enablementText(ri)}`);
          return lines.join("\n");
        });
      });
  }
  tenantOption(
    consent
      .command("status")
      .description("show consents, history, opt-out groups, role grants and who shares"),
  )
    .option("--json", "print JSON")
    .action(async (o: { tenant?: string; json?: boolean }) => {
      const status = await env.withContext(async (ctx) =>
        consentStatus(ctx, await resolveTenantId(ctx, env, o.tenant)),
      );
      emit(
        env.io,
        o.json,
        { ...status, relationshipIntelligence: enablementJson(status.relationshipIntelligence) },
        () => {
          const lines = ["consents"];
          for (const c of status.consents) {
            lines.push(
              `  ${c.type.padEnd(13)} ${c.granted ? "GRANTED " : "not granted"} ${c.changedAt ? `${fmtDate(c.changedAt)} by ${c.changedBy ?? "?"}` : ""}`,
            );
            lines.push(
              `  ${"".padEnd(13)} ${c.title}: ${c.produces}; visible to ${c.visibleTo.toLowerCase()}`,
            );
          }
          const ri = status.relationshipIntelligence;
          lines.push(`relationship intelligence  ${ri.state.replaceAll("_", " ")}: ${enablementText(ri)}`);
          if (status.collectFrom)
            lines.push(
              `collection restarted  ${fmtDate(status.collectFrom)} (consent granted again after a withdrawal; nothing dated earlier is collected)`,
            );
          const u = status.users;
          lines.push(
            `users  ${u.total} in directory, ${u.sharing} sharing (collected now), ${u.optedOutByUser} opted out themselves, ${u.inOptedOutGroups} in opted-out groups, ${u.outsideCollectionRoles} outside the collection roles`,
          );
          lines.push(
            `opted-out security groups  ${status.optedOutGroupIds.length ? status.optedOutGroupIds.join(", ") : "none"}`,
          );
          lines.push(
            `collection  ${status.collectionRoles === null ? "every user" : `only roles ${status.collectionRoles.join(", ")}`}`,
          );
          lines.push(
            `who knows whom visible to  ${status.insightRoles.who_knows_whom.join(", ") || "no role"}`,
          );
          lines.push(
            `relationship analytics visible to  ${status.insightRoles.relationship_analytics.join(", ") || "no role"}`,
          );
          lines.push("history");
          if (status.history.length === 0) lines.push("  none");
          for (const h of status.history)
            lines.push(`  ${fmtDate(h.at)}  ${h.type} ${h.granted ? "granted" : "withdrawn"} by ${h.by}`);
          return lines.join("\n");
        },
      );
    });
}
