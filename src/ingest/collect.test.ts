import { describe, expect, it } from "vitest";
import {
  defaultPrivacy,
  emptyConsentState,
  type ConsentState,
  type PrivacySettings,
} from "../domain/consent";
import type { GroupMembership } from "../domain/directory";
import type { EmailRecord } from "../domain/interaction";
import { defaultNoiseFilters } from "../domain/noise";
import { collectEmail, type CollectionScope, type CollectOutcome, type GateUser } from "./collect";

/**
 * collect.ts remembers gate decisions per internal address for the whole batch (one scope). These
 * cases pin what that memo must never change: the two rules that look at when an interaction
 * happened (an opted-out group membership, sharing turned back on) are still decided per
 * interaction, in one batch whose records arrive out of time order.
 */

const t = (iso: string) => new Date(iso);
const now = t("2026-12-02T00:00:00Z");

function consent(overrides: Partial<ConsentState> = {}): ConsentState {
  const base = emptyConsentState("tenant-a");
  base.consents.identifiable = { granted: true, changedAt: t("2025-01-01T00:00:00Z"), changedBy: "admin" };
  return { ...base, riEnabledAt: t("2025-01-01T00:00:00Z"), ...overrides };
}

function user(
  id: string,
  memberships: GroupMembership[] = [],
  privacy: Partial<PrivacySettings> = {},
  aliases: string[] = [],
): [string, GateUser][] {
  const primaryEmail = `${id}@contoso.com`;
  const u: GateUser = {
    userId: id,
    primaryEmail,
    privacy: { ...defaultPrivacy, ...privacy },
    memberships,
    roleAssignments: [],
  };
  return [primaryEmail, ...aliases].map((a) => [a, u]);
}

function scopeOf(users: [string, GateUser][][], consentState = consent()): CollectionScope {
  return {
    tenantId: "tenant-a",
    domains: ["contoso.com"],
    consent: consentState,
    subjects: new Map(users.flat()),
    filters: defaultNoiseFilters,
    captureLevel: "metadata",
    now,
  };
}

let n = 0;
function email(from: string, to: string[], sentAt: string): EmailRecord {
  n++;
  return {
    type: "email",
    position: { file: "test", record: n },
    messageId: `m${n}@example.com`,
    conversationId: null,
    inReplyTo: null,
    sentAt: t(sentAt),
    from: { address: from },
    to: to.map((address) => ({ address })),
    cc: [],
    subject: `subject ${n}`,
    owner: null,
    folder: null,
    noise: {},
  };
}

const outcome = (o: CollectOutcome) =>
  o.outcome === "collect"
    ? `collect:${o.interaction.parties.map((p) => p.address).join(",")}`
    : o.outcome === "refused"
      ? `refused:${o.rule}`
      : o.outcome;

describe("collection gate memo within one batch", () => {
  it("a group opt-out dated inside the batch refuses interactions in the membership and accepts those outside, in any order", () => {
    // Amber was in the opted-out M&A group from May to August 2026 and has left it since.
    const scope = scopeOf(
      [
        user("amber", [
          { groupId: "m-and-a", from: t("2026-05-01T00:00:00Z"), to: t("2026-08-01T00:00:00Z") },
        ]),
      ],
      consent({ optedOutGroupIds: ["m-and-a"] }),
    );
    const run = (sentAt: string) =>
      outcome(collectEmail(email("amber@contoso.com", ["x@ext.example"], sentAt), scope));
    // Interleaved before / inside / after, so a remembered first answer would show.
    expect(run("2026-06-15T00:00:00Z")).toBe("refused:opted_out_group");
    expect(run("2026-04-30T23:59:59Z")).toBe("collect:amber@contoso.com,x@ext.example");
    expect(run("2026-07-31T23:59:59Z")).toBe("refused:opted_out_group");
    expect(run("2026-08-01T00:00:00Z")).toBe("collect:amber@contoso.com,x@ext.example");
    expect(run("2026-05-01T00:00:00Z")).toBe("refused:opted_out_group");
    expect(run("2026-01-10T00:00:00Z")).toBe("collect:amber@contoso.com,x@ext.example");
  });

  it("a user in an opted-out group at collection time is refused whatever the interaction's date", () => {
    const scope = scopeOf(
      [user("amber", [{ groupId: "m-and-a", from: t("2026-05-01T00:00:00Z"), to: null }])],
      consent({ optedOutGroupIds: ["m-and-a"] }),
    );
    for (const sentAt of ["2026-01-10T00:00:00Z", "2026-06-15T00:00:00Z", "2026-02-10T00:00:00Z"])
      expect(outcome(collectEmail(email("amber@contoso.com", ["x@ext.example"], sentAt), scope))).toBe(
        "refused:opted_out_group",
      );
  });

  it("sharing turned back on inside the batch: refused before, collected from then on, in any order", () => {
    const scope = scopeOf([user("dan", [], { sharing: "on", collectFrom: t("2026-06-01T00:00:00Z") })]);
    const run = (sentAt: string) =>
      outcome(collectEmail(email("dan@contoso.com", ["x@ext.example"], sentAt), scope));
    expect(run("2026-07-01T00:00:00Z")).toBe("collect:dan@contoso.com,x@ext.example");
    expect(run("2026-05-31T23:59:59Z")).toBe("refused:sharing_off");
    expect(run("2026-06-01T00:00:00Z")).toBe("collect:dan@contoso.com,x@ext.example");
    expect(run("2026-03-01T00:00:00Z")).toBe("refused:sharing_off");
  });

  it("a colleague on the same mails keeps their own answer: the opted-out member is left out, not the mail", () => {
    const scope = scopeOf(
      [
        user("amber", [
          { groupId: "m-and-a", from: t("2026-05-01T00:00:00Z"), to: t("2026-08-01T00:00:00Z") },
        ]),
        user("ben", [], {}, ["b.alias@contoso.com"]),
      ],
      consent({ optedOutGroupIds: ["m-and-a"] }),
    );
    const run = (sentAt: string) =>
      outcome(
        collectEmail(email("amber@contoso.com", ["b.alias@contoso.com", "x@ext.example"], sentAt), scope),
      );
    expect(run("2026-06-15T00:00:00Z")).toBe("collect:ben@contoso.com,x@ext.example");
    expect(run("2026-04-15T00:00:00Z")).toBe("collect:amber@contoso.com,ben@contoso.com,x@ext.example");
    expect(run("2026-07-15T00:00:00Z")).toBe("collect:ben@contoso.com,x@ext.example");
  });

  it("answers are remembered per batch only: the next batch's scope sees the user's new settings", () => {
    const first = scopeOf([user("dan")]);
    const second = scopeOf([user("dan", [], { sharing: "off" })]);
    const mail = () => email("dan@contoso.com", ["x@ext.example"], "2026-06-01T00:00:00Z");
    expect(outcome(collectEmail(mail(), first))).toBe("collect:dan@contoso.com,x@ext.example");
    expect(outcome(collectEmail(mail(), second))).toBe("refused:sharing_off");
    expect(outcome(collectEmail(mail(), first))).toBe("collect:dan@contoso.com,x@ext.example");
  });

  it("an internal address of no directory user is refused, and internal means the domain or a subdomain", () => {
    const scope = scopeOf([user("dan")]);
    expect(
      outcome(collectEmail(email("ghost@contoso.com", ["x@ext.example"], "2026-06-01T00:00:00Z"), scope)),
    ).toBe("refused:not_directory_user");
    expect(
      outcome(
        collectEmail(email("ghost@eu.contoso.com", ["dan@contoso.com"], "2026-06-01T00:00:00Z"), scope),
      ),
    ).toBe("collect:dan@contoso.com");
    // Not a subdomain: "notcontoso.com" merely ends with the same letters.
    expect(
      outcome(collectEmail(email("x@notcontoso.com", ["dan@contoso.com"], "2026-06-01T00:00:00Z"), scope)),
    ).toBe("collect:x@notcontoso.com,dan@contoso.com");
  });
});

describe("what one email is stored as", () => {
  it("counts each address on the message once, an alias and its primary as two, and keeps the person once", () => {
    const scope = scopeOf([user("ben", [], {}, ["b.alias@contoso.com"]), user("dan")]);
    const collected = collectEmail(
      email(
        "x@ext.example",
        // The alias first, then its primary, the alias again, and an external address twice.
        ["b.alias@contoso.com", "ben@contoso.com", "b.alias@contoso.com", "y@ext.example", "y@ext.example"],
        "2026-06-01T00:00:00Z",
      ),
      scope,
    );
    expect(outcome(collected)).toBe("collect:x@ext.example,ben@contoso.com,y@ext.example");
    if (collected.outcome !== "collect") throw new Error("not collected");
    // x, b.alias, ben, y: the participant count is of addresses as written, before folding.
    expect(collected.interaction.participantCount).toBe(4);
    expect(collected.interaction.touches.map((t) => `${t.person}>${t.userId}:${t.touch.direction}`)).toEqual([
      "x@ext.example>ben:in",
    ]);
  });

  it("a colleague's message to many: one touch per recipient, each with the message's direction and size", () => {
    const scope = scopeOf([user("dan"), user("amy")]);
    const externals = Array.from({ length: 20 }, (_, i) => `p${i}@ext.example`);
    const collected = collectEmail(
      email("dan@contoso.com", [...externals, "amy@contoso.com"], "2026-06-01T00:00:00Z"),
      scope,
    );
    if (collected.outcome !== "collect") throw new Error("not collected");
    const { touches, internalTouches, participantCount } = collected.interaction;
    expect(participantCount).toBe(22);
    expect(touches.map((t) => t.person)).toEqual(externals);
    for (const t of touches)
      expect(t.touch).toEqual({ at: t.touch.at, kind: "email", direction: "out", groupSize: 22 });
    // amy < dan: the pair is (amy, dan), and the mail went from dan to amy.
    expect(internalTouches.map((t) => `${t.userA}-${t.userB}:${t.touch.direction}`)).toEqual(["amy-dan:in"]);
  });
});
