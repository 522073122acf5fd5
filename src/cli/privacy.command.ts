import { InvalidArgumentError, type Command } from "commander";
import {
  readMyPrivacy,
  setDataSharing,
  setHideAsIntroducer,
  setOptedOutGroups,
} from "../services/consent.service";
import { userInfo } from "node:os";
import type { PrivacyActor } from "../services/consent.service";
import { emit, fmtDate, resolveTenantId, tenantOption, type CommandEnv } from "./runtime";

/**
 * Who acts: `--by` names the user themself or a Global Administrator acting for them; without it
 * the change is the operator's (whoever runs the CLI), and the audit log says so.
 */
function actorOf(by: string | undefined): PrivacyActor {
  if (by) return { kind: "user", email: by };
  let name = "cli";
  try {
    name = userInfo().username || name;
  } catch {
    // No user database entry (containers): "operator:cli".
  }
  return { kind: "operator", name };
}

const byOption = [
  "--by <email>",
  "who acts: the user themself, or a Global Administrator acting for them (without it the audit log records the CLI operator)",
] as const;

function onOff(value: string): boolean {
  if (value === "on") return true;
  if (value === "off") return false;
  throw new InvalidArgumentError('use "on" or "off"');
}

export function registerPrivacyCommands(program: Command, env: CommandEnv): void {
  const privacy = program
    .command("privacy")
    .description("a user's own data-sharing choices, and the tenant's opted-out groups");
  tenantOption(
    privacy
      .command("set-sharing")
      .description(
        "turn a user's data sharing on or off; off deletes their collected data at once and leaves a receipt",
      )
      .argument("<email>", "the user whose setting changes")
      .argument("<state>", "on | off", onOff),
  )
    .option(...byOption)
    .option("--json", "print JSON")
    .action(async (email: string, on: boolean, o: { tenant?: string; by?: string; json?: boolean }) => {
      const change = await env.withContext(async (ctx) =>
        setDataSharing(ctx, await resolveTenantId(ctx, env, o.tenant), email, on, actorOf(o.by)),
      );
      emit(env.io, o.json, change, () => {
        if (!change.changed) return `data sharing for ${change.email} was already ${on ? "on" : "off"}`;
        const by = ` (recorded as ${change.actor})`;
        if (on) return `data sharing on for ${change.email}: collected again from now on${by}`;
        return `data sharing off for ${change.email}: nothing of theirs is read again; deleted ${JSON.stringify(change.receipt?.counts ?? {})} (receipt ${change.receipt?.id ?? "?"})${by}`;
      });
    });
  tenantOption(
    privacy
      .command("hide-introducer")
      .description("hide a user from introductions (or show again) without stopping their data sharing")
      .argument("<email>", "the user")
      .argument("<state>", "on (hidden) | off (shown)", onOff),
  )
    .option(...byOption)
    .option("--json", "print JSON")
    .action(async (email: string, hide: boolean, o: { tenant?: string; by?: string; json?: boolean }) => {
      const changed = await env.withContext(async (ctx) =>
        setHideAsIntroducer(ctx, await resolveTenantId(ctx, env, o.tenant), email, hide, actorOf(o.by)),
      );
      emit(
        env.io,
        o.json,
        { email, hidden: hide, changed },
        () => `${email} ${hide ? "hidden from" : "shown in"} introductions${changed ? "" : " (unchanged)"}`,
      );
    });
  tenantOption(
    privacy
      .command("show")
      .description("show a user's privacy settings and deletion receipts")
      .argument("<email>", "the user"),
  )
    .option("--json", "print JSON")
    .action(async (email: string, o: { tenant?: string; json?: boolean }) => {
      const view = await env.withContext(async (ctx) =>
        readMyPrivacy(ctx, await resolveTenantId(ctx, env, o.tenant), email),
      );
      emit(env.io, o.json, view, () =>
        [
          `${view.email}`,
          `  data sharing      ${view.sharingEffective ? "on" : "off"} (choice: ${view.privacy.sharing}${view.privacy.sharingChangedAt ? `, changed ${fmtDate(view.privacy.sharingChangedAt)}` : ""})`,
          `  introductions     ${view.privacy.hideAsIntroducer ? "hidden" : "shown"}`,
          `  deletion receipts ${view.receipts.length === 0 ? "none" : ""}`,
          ...view.receipts.map((r) => `    ${fmtDate(r.at)}  ${r.reason}: ${JSON.stringify(r.counts)}`),
        ].join("\n"),
      );
    });
  const groups = privacy
    .command("opt-out-groups")
    .description("security groups whose members are not collected from now on (Global Administrator)");
  tenantOption(
    groups
      .command("set")
      .description("replace the list of opted-out security group ids")
      .argument("[ids...]", "security group ids; none clears the list"),
  )
    .requiredOption("--by <email>", "the Global Administrator acting")
    .option("--json", "print JSON")
    .action(async (ids: string[], o: { tenant?: string; by: string; json?: boolean }) => {
      const result = await env.withContext(async (ctx) =>
        setOptedOutGroups(ctx, await resolveTenantId(ctx, env, o.tenant), ids, o.by),
      );
      emit(env.io, o.json, { optedOutGroupIds: result }, () =>
        result.length
          ? `opted-out security groups: ${result.join(", ")} (future collections only; data already collected stays)`
          : "no opted-out security groups",
      );
    });
}
