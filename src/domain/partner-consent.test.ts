import { describe, expect, it } from "vitest";
import {
  applyPartnerEvent,
  checkEnvironment,
  checkReviewers,
  initialPartnerState,
  isCustomerVisible,
  type PartnerConsentState,
  type PartnerEvent,
} from "./partner-consent";

const pending: PartnerConsentState = initialPartnerState(false);
const halfApproved: PartnerConsentState = {
  status: "pending",
  closedReason: null,
  reviewers: { 1: "approved", 2: "pending" },
};
const allowed: PartnerConsentState = {
  status: "allowed",
  closedReason: null,
  reviewers: { 1: "approved", 2: "approved" },
};
const cancelled: PartnerConsentState = {
  status: "cancelled",
  closedReason: null,
  reviewers: { 1: "cancelled", 2: "cancelled" },
};
const rejected: PartnerConsentState = {
  status: "not_allowed",
  closedReason: "rejected",
  reviewers: { 1: "rejected", 2: "cancelled" },
};
const revoked: PartnerConsentState = { ...allowed, status: "not_allowed", closedReason: "revoked" };
const notApplicable = initialPartnerState(true);

const approve = (slot: 1 | 2): PartnerEvent => ({ type: "decide", slot, decision: "approve" });
const reject = (slot: 1 | 2): PartnerEvent => ({ type: "decide", slot, decision: "reject" });

describe("applyPartnerEvent", () => {
  const table: [string, PartnerConsentState, PartnerEvent, PartnerConsentState | "refused"][] = [
    ["first approval keeps it pending", pending, approve(1), halfApproved],
    ["second approval allows", halfApproved, approve(2), allowed],
    ["a rejection is terminal and withdraws the other request", pending, reject(1), rejected],
    [
      "a rejection after one approval keeps that approval on record",
      halfApproved,
      reject(2),
      { status: "not_allowed", closedReason: "rejected", reviewers: { 1: "approved", 2: "rejected" } },
    ],
    ["a reviewer answers once", halfApproved, approve(1), "refused"],
    ["cancel withdraws both reviewer requests", halfApproved, { type: "cancel" }, cancelled],
    ["an allowed request can be cancelled", allowed, { type: "cancel" }, cancelled],
    ["cancel twice is refused", cancelled, { type: "cancel" }, "refused"],
    ["nobody decides a cancelled request", cancelled, approve(1), "refused"],
    ["resubmit asks both again", cancelled, { type: "resubmit" }, pending],
    ["only a cancelled request is resubmitted", pending, { type: "resubmit" }, "refused"],
    [
      "replacing a reviewer asks the new one and keeps the other's answer",
      halfApproved,
      { type: "replace_reviewer", slot: 1 },
      pending,
    ],
    [
      "replacing the pending reviewer keeps the approval",
      halfApproved,
      { type: "replace_reviewer", slot: 2 },
      halfApproved,
    ],
    ["an allowed request keeps its reviewers", allowed, { type: "replace_reviewer", slot: 1 }, "refused"],
    ["revoke ends an allowed request", allowed, { type: "revoke" }, revoked],
    ["revoke needs Allowed", pending, { type: "revoke" }, "refused"],
    ["not allowed is terminal: no approval", rejected, approve(2), "refused"],
    ["not allowed is terminal: no resubmit", rejected, { type: "resubmit" }, "refused"],
    ["not allowed is terminal: no cancel", revoked, { type: "cancel" }, "refused"],
    ["not applicable has nothing to decide", notApplicable, approve(1), "refused"],
    ["not applicable cannot be revoked", notApplicable, { type: "revoke" }, "refused"],
  ];
  it.each(table)("%s", (_name, state, event, expected) => {
    const result = applyPartnerEvent(state, event);
    if (expected === "refused") {
      expect(result.ok).toBe(false);
    } else {
      expect(result).toEqual({ ok: true, state: expected });
    }
  });
});

describe("isCustomerVisible", () => {
  it.each([
    ["allowed", true],
    ["not_applicable", true],
    ["pending", false],
    ["not_allowed", false],
    ["cancelled", false],
  ] as const)("%s → %s", (status, visible) => {
    expect(isCustomerVisible(status)).toBe(visible);
  });
});

describe("checkReviewers", () => {
  const ok = "a@customer.example";
  const ok2 = "b@customer.example";
  const table: [string, Parameters<typeof checkReviewers>[0], string[]][] = [
    [
      "two distinct addresses, confirmed",
      { reviewers: [ok, ok2], requesterEmail: "p@partner.example", confirmedEmployees: true },
      [],
    ],
    [
      "only one",
      { reviewers: [ok], requesterEmail: "p@partner.example", confirmedEmployees: true },
      ["reviewers"],
    ],
    [
      "the same address twice (case-insensitive)",
      {
        reviewers: [ok, "A@Customer.example"],
        requesterEmail: "p@partner.example",
        confirmedEmployees: true,
      },
      ["reviewers[1]"],
    ],
    [
      "the requester as reviewer",
      { reviewers: [ok, ok2], requesterEmail: "b@customer.example", confirmedEmployees: true },
      ["reviewers[1]"],
    ],
    [
      "not an address",
      { reviewers: [ok, "bob"], requesterEmail: "p@partner.example", confirmedEmployees: true },
      ["reviewers[1]"],
    ],
    [
      "checkbox not ticked",
      { reviewers: [ok, ok2], requesterEmail: "p@partner.example", confirmedEmployees: false },
      ["confirmedEmployees"],
    ],
  ];
  it.each(table)("%s", (_name, input, fields) => {
    expect(checkReviewers(input).map((p) => p.field)).toEqual(fields);
  });
  it("asks nothing of the target's directory: its answer depends on the input alone", () => {
    // Any address shape passes here; whether it is a user of the target is the customer's side.
    const input = {
      reviewers: ["someone@nowhere.example", "other@nowhere.example"],
      requesterEmail: "p@partner.example",
      confirmedEmployees: true,
    };
    expect(checkReviewers(input)).toEqual([]);
  });
});

describe("checkEnvironment", () => {
  it.each([
    [{ environmentId: "env-1", purpose: "production", project: null }, []],
    [{ environmentId: "env-1", purpose: "uat", project: "Rollout" }, []],
    [{ environmentId: "env-1", purpose: "sandbox", project: " " }, ["project"]],
    [{ environmentId: "", purpose: "staging", project: null }, ["environmentId", "purpose"]],
  ])("%j → %j", (input, fields) => {
    expect(checkEnvironment(input).map((p) => p.field)).toEqual(fields);
  });
});
