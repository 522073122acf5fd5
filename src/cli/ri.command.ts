import type { Command } from "commander";
import { roleGrantedInsights } from "../domain/consent";
import { validationError } from "../domain/errors";
import { describeEnablement, type EnablementState } from "../domain/consent-policy";
import {
  consentStatus,
  isRoleGrantedInsight,
  setCollectionRoles,
  setInsightRole,
  setRelationshipIntelligence,
} from "../services/consent.service";
import { emit, resolveTenantId, tenantOption, type CommandEnv } from "./runtime";

/** The state with its words, for JSON (scripts read `state`, people read `summary` and `restore`). */
export const enablementJson = (state: EnablementState) => ({ ...state, ...describeEnablement(state) });

/** Two lines: what relationship intelligence does now, and what brings back what it withholds. */
export function enablementText(state: EnablementState): string {
  const { summary, restore } = describeEnablement(state);
  return restore
    ? `${summary}\n  to ${state.state === "awaiting_consent" ? "keep it" : "bring it back"}: ${restore}`
    : summary;
}

export function registerRiCommands(program: Command, env: CommandEnv): void {
  const ri = program.command("ri").description("relationship intelligence settings (System Administrator)");
  for (const verb of ["enable", "disable"] as const) {
    tenantOption(ri.command(verb).description(`${verb} relationship intelligence for the tenant`))
      .requiredOption("--by <email>", "the System Administrator acting")
      .option("--json", "print JSON")
      .action(async (o: { tenant?: string; by: string; json?: boolean }) => {
        const state = await env.withContext(async (ctx) =>
          setRelationshipIntelligence(
            ctx,
            await resolveTenantId(ctx, env, o.tenant),
            verb === "enable",
            o.by,
          ),
        );
        emit(env.io, o.json, enablementJson(state), () => enablementText(state));
      });
  }
  tenantOption(
    ri.command("status").description("relationship intelligence: its state, why, and what brings it back"),
  )
    .option("--json", "print JSON")
    .action(async (o: { tenant?: string; json?: boolean }) => {
      const status = await env.withContext(async (ctx) =>
        consentStatus(ctx, await resolveTenantId(ctx, env, o.tenant)),
      );
      const state = status.relationshipIntelligence;
      emit(env.io, o.json, enablementJson(state), () => enablementText(state));
    });
  tenantOption(
    ri
      .command("collect-roles")
      .description("collect only holders of these roles; --all collects every user")
      .argument("[roles...]", "security role names"),
  )
    .option("--all", "remove the restriction")
    .requiredOption("--by <email>", "the System Administrator acting")
    .option("--json", "print JSON")
    .action(async (roles: string[], o: { tenant?: string; by: string; all?: boolean; json?: boolean }) => {
      if (!o.all && roles.length === 0)
        throw validationError("name roles, or pass --all to collect every user");
      const result = await env.withContext(async (ctx) =>
        setCollectionRoles(ctx, await resolveTenantId(ctx, env, o.tenant), o.all ? null : roles, o.by),
      );
      emit(env.io, o.json, { collectionRoles: result }, () =>
        result === null ? "collecting every user" : `collecting only: ${result.join(", ")}`,
      );
    });
  for (const verb of ["grant", "revoke"] as const) {
    tenantOption(
      ri
        .command(verb)
        .description(`${verb} an identifiable insight ${verb === "grant" ? "to" : "from"} a security role`)
        .argument("<insight>", roleGrantedInsights.join(" | "))
        .argument("<role>", "security role name"),
    )
      .requiredOption("--by <email>", "the System Administrator acting")
      .option("--json", "print JSON")
      .action(async (insight: string, role: string, o: { tenant?: string; by: string; json?: boolean }) => {
        if (!isRoleGrantedInsight(insight))
          throw validationError(`unknown insight "${insight}"; use ${roleGrantedInsights.join(" or ")}`);
        const roles = await env.withContext(async (ctx) =>
          setInsightRole(
            ctx,
            await resolveTenantId(ctx, env, o.tenant),
            insight,
            role,
            verb === "grant",
            o.by,
          ),
        );
        emit(
          env.io,
          o.json,
          { insight, roles },
          () => `${insight.replaceAll("_", " ")} visible to: ${roles.join(", ") || "no role"}`,
        );
      });
  }
}
