import type { Command } from "commander";
import { environmentPurposes } from "../domain/partner-consent";
import { validationError } from "../domain/errors";
import {
  actorWithRoleOrThrow,
  cancelPartnerRequest,
  createPartnerRequest,
  listRequestsOfPartner,
  listSharedWithPartners,
  partnerMailDeps,
  replacePartnerReviewer,
  revokePartnerRequest,
  type PartnerRequestView,
  type RequestChange,
} from "../services/partner.service";
import { emit, fmtDate, resolveTenantId, tenantOption, type CommandEnv } from "./runtime";

const collect = (value: string, previous: string[] = []) => [...previous, value];

function renderRequest(r: PartnerRequestView): string {
  const lines = [
    `${r.id}  ${r.statusLabel}${r.closedReason ? ` (${r.closedReason})` : ""}`,
    `  partner   ${r.partnerName} (${r.partnerTenantId})`,
    `  customer  ${r.customerName ?? "(not resolved until Allowed)"} (${r.customerTenantId})`,
    `  environment ${r.environmentId}, ${r.purpose}${r.project ? `, project ${r.project}` : ""}`,
    `  requested by ${r.requestedBy} at ${fmtDate(r.createdAt)}`,
  ];
  for (const v of r.reviewers)
    lines.push(
      `  reviewer ${v.slot}  ${v.email.padEnd(36)} ${v.decision}${v.decidedAt ? ` ${fmtDate(v.decidedAt)}` : ""}${v.directoryUser === false ? "  (not in this tenant's directory: no link)" : ""}`,
    );
  return lines.join("\n");
}

/**
 * Prints a change that invited reviewers once its mail went out. Who was mailed is not printed:
 * only employees of the customer get a link, and that answer is the customer's (partner.service.ts).
 */
async function emitInvitation(env: CommandEnv, json: boolean | undefined, change: RequestChange) {
  await change.invitations;
  const invited = change.request.reviewers.length > 0;
  const note = !invited
    ? []
    : env.config().smtpUrl
      ? ["  reviewers who are employees of the customer are mailed a link; follow with kith partner status"]
      : [
          "  no SMTP server configured (KITH_SMTP_URL): nothing was mailed; reviewers can answer when signed in",
        ];
  emit(env.io, json, { request: change.request }, () => [renderRequest(change.request), ...note].join("\n"));
}

/** `kith partner …`: partner data sharing (SPEC §5) for operators and scripts. */
export function registerPartnerCommands(program: Command, env: CommandEnv): void {
  const partner = program
    .command("partner")
    .description("partner data sharing: request a customer's telemetry insights, follow and manage consent");

  tenantOption(
    partner
      .command("request")
      .description(
        "ask a customer tenant for its telemetry insights; reviewers who are its employees are mailed a link",
      ),
  )
    .requiredOption("--by <email>", "the Partner Administrator of --tenant making the request")
    .requiredOption("--target <tenantId>", "the customer's tenant id")
    .requiredOption("--environment <id>", "the environment id")
    .requiredOption("--purpose <purpose>", environmentPurposes.join(" | "))
    .option("--project <name>", "project name (required unless production)")
    .option("--reviewer <email>", "a reviewer of the customer (give exactly two)", collect, [])
    .option("--confirm-employees", "confirm the reviewers are employees of the customer, not outsourced")
    .option("--json", "print JSON")
    .action(
      async (o: {
        tenant?: string;
        by: string;
        target: string;
        environment: string;
        purpose: string;
        project?: string;
        reviewer: string[];
        confirmEmployees?: boolean;
        json?: boolean;
      }) => {
        const change = await env.withContext(async (ctx) => {
          const tenantId = await resolveTenantId(ctx, env, o.tenant);
          const actor = await actorWithRoleOrThrow(ctx, tenantId, o.by, "Partner Administrator");
          return createPartnerRequest(ctx, partnerMailDeps(env.config()), actor, {
            targetTenantId: o.target,
            environmentId: o.environment,
            purpose: o.purpose,
            project: o.project ?? null,
            reviewers: o.reviewer,
            confirmedEmployees: o.confirmEmployees === true,
          });
        });
        await emitInvitation(env, o.json, change);
      },
    );

  tenantOption(
    partner
      .command("status")
      .description("requests this tenant made, and requests other tenants made for its telemetry"),
  )
    .option("--json", "print JSON")
    .action(async (o: { tenant?: string; json?: boolean }) => {
      const status = await env.withContext(async (ctx) => {
        const tenantId = await resolveTenantId(ctx, env, o.tenant);
        return {
          requests: await listRequestsOfPartner(ctx, tenantId),
          sharedWithPartners: await listSharedWithPartners(ctx, tenantId),
        };
      });
      emit(env.io, o.json, status, () =>
        [
          `requests by this tenant: ${status.requests.length}`,
          ...status.requests.map(renderRequest),
          `requests for this tenant's telemetry: ${status.sharedWithPartners.length}`,
          ...status.sharedWithPartners.map(renderRequest),
        ].join("\n"),
      );
    });

  tenantOption(
    partner
      .command("cancel")
      .description("cancel both reviewer requests of a request (their links die); reviewers become editable")
      .argument("<id>", "request id"),
  )
    .requiredOption("--by <email>", "the Partner Administrator acting")
    .option("--json", "print JSON")
    .action(async (id: string, o: { tenant?: string; by: string; json?: boolean }) => {
      const request = await env.withContext(async (ctx) => {
        const tenantId = await resolveTenantId(ctx, env, o.tenant);
        const actor = await actorWithRoleOrThrow(ctx, tenantId, o.by, "Partner Administrator");
        return cancelPartnerRequest(ctx, actor, id);
      });
      emit(env.io, o.json, request, () => renderRequest(request));
    });

  tenantOption(
    partner
      .command("edit-reviewer")
      .description(
        "replace one reviewer of a pending request; the old link dies, the new reviewer is mailed if an employee",
      )
      .argument("<id>", "request id"),
  )
    .requiredOption("--by <email>", "the Partner Administrator acting")
    .requiredOption("--slot <n>", "which reviewer: 1 or 2")
    .requiredOption("--email <email>", "the new reviewer")
    .option("--confirm-employee", "confirm the new reviewer is an employee of the customer, not outsourced")
    .option("--json", "print JSON")
    .action(
      async (
        id: string,
        o: {
          tenant?: string;
          by: string;
          slot: string;
          email: string;
          confirmEmployee?: boolean;
          json?: boolean;
        },
      ) => {
        if (o.slot !== "1" && o.slot !== "2") throw validationError("--slot is 1 or 2", { slot: o.slot });
        const change = await env.withContext(async (ctx) => {
          const tenantId = await resolveTenantId(ctx, env, o.tenant);
          const actor = await actorWithRoleOrThrow(ctx, tenantId, o.by, "Partner Administrator");
          return replacePartnerReviewer(ctx, partnerMailDeps(env.config()), actor, id, {
            slot: o.slot === "1" ? 1 : 2,
            email: o.email,
            confirmedEmployee: o.confirmEmployee === true,
          });
        });
        await emitInvitation(env, o.json, change);
      },
    );

  tenantOption(
    partner
      .command("revoke")
      .description("the customer revokes an Allowed request (--tenant is the customer)")
      .argument("<id>", "request id"),
  )
    .requiredOption("--by <email>", "the customer's Global Administrator")
    .option("--json", "print JSON")
    .action(async (id: string, o: { tenant?: string; by: string; json?: boolean }) => {
      const request = await env.withContext(async (ctx) => {
        const tenantId = await resolveTenantId(ctx, env, o.tenant);
        const actor = await actorWithRoleOrThrow(ctx, tenantId, o.by, "Global Administrator");
        return revokePartnerRequest(ctx, actor, id);
      });
      emit(env.io, o.json, request, () => renderRequest(request));
    });
}
