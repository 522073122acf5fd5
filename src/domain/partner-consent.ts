/**
 * Partner data sharing (SPEC §5): the consent a partner tenant needs before it may see a customer
 * tenant's telemetry insights. Pure: the status machine, the request's validation, and the gate.
 * The service loads the request, asks `applyPartnerEvent` what the next state is, and stores it.
 */

export const environmentPurposes = ["production", "uat", "sandbox", "performance", "dev"] as const;
export type EnvironmentPurpose = (typeof environmentPurposes)[number];

/**
 * The request's status. The four of SPEC §5 plus `cancelled`: the partner's admin withdrew the
 * reviewer requests and may resubmit (the reviewer fields are editable again), which is neither
 * pending (nobody is asked) nor not allowed (nobody refused).
 */
export const partnerConsentStatuses = [
  "not_applicable",
  "pending",
  "not_allowed",
  "allowed",
  "cancelled",
] as const;
export type PartnerConsentStatus = (typeof partnerConsentStatuses)[number];

export const statusLabels: Record<PartnerConsentStatus, string> = {
  not_applicable: "Not Applicable",
  pending: "Pending",
  not_allowed: "Not Allowed",
  allowed: "Allowed",
  cancelled: "Cancelled",
};

/** One reviewer's part: asked (pending), answered, or withdrawn with the request (cancelled). */
export type ReviewerDecision = "pending" | "approved" | "rejected" | "cancelled";

/** Why a request ended Not Allowed. */
export type ClosedReason = "rejected" | "revoked";

export type ReviewerSlot = 1 | 2;
export const reviewerSlots: readonly ReviewerSlot[] = [1, 2];

export interface PartnerConsentState {
  status: PartnerConsentStatus;
  /** Slot 1 and slot 2; empty for a Not Applicable request. */
  reviewers: Partial<Record<ReviewerSlot, ReviewerDecision>>;
  closedReason: ClosedReason | null;
}

export type PartnerEvent =
  | { type: "decide"; slot: ReviewerSlot; decision: "approve" | "reject" }
  | { type: "cancel" }
  | { type: "replace_reviewer"; slot: ReviewerSlot }
  | { type: "resubmit" }
  | { type: "revoke" };

export type PartnerTransition =
  | { ok: true; state: PartnerConsentState }
  | { ok: false; reason: string; code: "conflict" | "validation_failed" };

/** The state a new request starts in: Not Applicable inside one tenant, else both reviewers asked. */
export function initialPartnerState(sameTenant: boolean): PartnerConsentState {
  return sameTenant
    ? { status: "not_applicable", reviewers: {}, closedReason: null }
    : { status: "pending", reviewers: { 1: "pending", 2: "pending" }, closedReason: null };
}

const refuse = (reason: string, code: "conflict" | "validation_failed" = "conflict"): PartnerTransition => ({
  ok: false,
  reason,
  code,
});

/**
 * The status machine. Not Allowed is terminal (a rejected or revoked request needs a new request);
 * Not Applicable has no reviewers and nothing to change. A rejection by either reviewer ends the
 * request at once and withdraws the other reviewer's pending request.
 */
export function applyPartnerEvent(state: PartnerConsentState, event: PartnerEvent): PartnerTransition {
  if (state.status === "not_applicable")
    return refuse("this request is for the requester's own tenant: no consent applies");
  if (state.status === "not_allowed")
    return refuse(
      state.closedReason === "revoked"
        ? "the customer revoked this request; submit a new request"
        : "a reviewer rejected this request; submit a new request",
    );
  switch (event.type) {
    case "decide": {
      if (state.status !== "pending")
        return refuse(`the request is ${statusLabels[state.status]}, not Pending`);
      const current = state.reviewers[event.slot];
      if (current !== "pending") return refuse(`this reviewer already answered (${current ?? "none"})`);
      if (event.decision === "reject") {
        return {
          ok: true,
          state: {
            status: "not_allowed",
            closedReason: "rejected",
            reviewers: withOthers(state.reviewers, event.slot, "rejected", (d) =>
              d === "pending" ? "cancelled" : d,
            ),
          },
        };
      }
      const reviewers = { ...state.reviewers, [event.slot]: "approved" as const };
      const allApproved = reviewerSlots.every((s) => reviewers[s] === "approved");
      return {
        ok: true,
        state: { status: allApproved ? "allowed" : "pending", closedReason: null, reviewers },
      };
    }
    case "cancel": {
      if (state.status === "cancelled") return refuse("the request is already cancelled");
      return {
        ok: true,
        state: {
          status: "cancelled",
          closedReason: null,
          reviewers: Object.fromEntries(reviewerSlots.map((s) => [s, "cancelled"])),
        },
      };
    }
    case "replace_reviewer": {
      if (state.status !== "pending")
        return refuse(
          state.status === "cancelled"
            ? "the request is cancelled: resubmit it with both reviewers"
            : "an Allowed request cannot change reviewers; cancel it first",
        );
      // The other reviewer's answer stands; the new reviewer is asked afresh.
      return {
        ok: true,
        state: {
          status: "pending",
          closedReason: null,
          reviewers: { ...state.reviewers, [event.slot]: "pending" },
        },
      };
    }
    case "resubmit": {
      if (state.status !== "cancelled") return refuse("only a cancelled request can be resubmitted");
      return { ok: true, state: initialPartnerState(false) };
    }
    case "revoke": {
      if (state.status !== "allowed") return refuse("only an Allowed request can be revoked");
      return {
        ok: true,
        state: {
          status: "not_allowed",
          closedReason: "revoked",
          reviewers: { ...state.reviewers },
        },
      };
    }
  }
}

function withOthers(
  reviewers: PartnerConsentState["reviewers"],
  slot: ReviewerSlot,
  value: ReviewerDecision,
  other: (d: ReviewerDecision) => ReviewerDecision,
): PartnerConsentState["reviewers"] {
  const out: PartnerConsentState["reviewers"] = {};
  for (const s of reviewerSlots) {
    const d = reviewers[s];
    if (s === slot) out[s] = value;
    else if (d !== undefined) out[s] = other(d);
  }
  return out;
}

/** Gated while not Allowed: the customer's name and its telemetry insights (Not Applicable = own tenant). */
export function isCustomerVisible(status: PartnerConsentStatus): boolean {
  return status === "allowed" || status === "not_applicable";
}

export interface ReviewerCheck {
  field: string;
  message: string;
}

/**
 * Every problem the requester can know about in a request's reviewers, reported together: exactly
 * two addresses, distinct from each other and from the requester, confirmed as real employees.
 * Whether they are users of the target tenant is deliberately not checked here: that answer belongs
 * to the customer and is never shown to the requester before consent (the service gives a reviewer
 * who is no user of the target no link, so such a request can never become Allowed).
 */
export function checkReviewers(input: {
  reviewers: readonly string[];
  requesterEmail: string;
  confirmedEmployees: boolean;
}): ReviewerCheck[] {
  const problems: ReviewerCheck[] = [];
  if (input.reviewers.length !== 2)
    problems.push({
      field: "reviewers",
      message: `name exactly two reviewers (got ${input.reviewers.length})`,
    });
  const seen = new Set<string>();
  input.reviewers.forEach((raw, i) => {
    const field = `reviewers[${i}]`;
    const email = raw.trim().toLowerCase();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
      problems.push({ field, message: `"${raw}" is not an email address` });
      return;
    }
    if (email === input.requesterEmail.trim().toLowerCase())
      problems.push({ field, message: "a reviewer cannot be the requester" });
    if (seen.has(email)) problems.push({ field, message: "the two reviewers must be different people" });
    seen.add(email);
  });
  if (!input.confirmedEmployees)
    problems.push({
      field: "confirmedEmployees",
      message: "confirm that the reviewers are employees of the target tenant (not outsourced)",
    });
  return problems;
}

export interface EnvironmentCheckInput {
  environmentId: string;
  purpose: string;
  project: string | null | undefined;
}

export function checkEnvironment(input: EnvironmentCheckInput): ReviewerCheck[] {
  const problems: ReviewerCheck[] = [];
  if (!input.environmentId.trim()) problems.push({ field: "environmentId", message: "name the environment" });
  if (!(environmentPurposes as readonly string[]).includes(input.purpose))
    problems.push({ field: "purpose", message: `purpose must be one of ${environmentPurposes.join(", ")}` });
  else if (input.purpose !== "production" && !input.project?.trim())
    problems.push({ field: "project", message: "a non-production environment needs a project name" });
  return problems;
}
