import { describe, expect, it } from "vitest";
import { defaultPrivacy, emptyConsentState, type ConsentState, type PrivacySettings } from "./consent";
import {
  decideAccess,
  decideCollection,
  describeEnablement,
  evaluateEnablement,
  isSharingOn,
  type AccessSubject,
  type CollectionSubject,
  type Viewer,
} from "./consent-policy";

const t = (iso: string) => new Date(iso);
const now = t("2026-06-01T12:00:00Z");

function consent(
  overrides: Partial<ConsentState> = {},
  granted: Partial<Record<"personal" | "aggregated" | "identifiable", boolean>> = { identifiable: true },
): ConsentState {
  const base = emptyConsentState("tenant-a");
  for (const [type, on] of Object.entries(granted)) {
    base.consents[type as "personal"] = {
      granted: on,
      changedAt: t("2026-01-01T00:00:00Z"),
      changedBy: "admin@a.com",
    };
  }
  return { ...base, riEnabledAt: t("2026-01-01T00:00:00Z"), ...overrides };
}

function subject(
  overrides: Partial<CollectionSubject> = {},
  privacy: Partial<PrivacySettings> = {},
): CollectionSubject {
  return {
    userId: "u1",
    privacy: { ...defaultPrivacy, ...privacy },
    memberships: [],
    roleAssignments: [{ role: "Salesperson", from: t("2025-01-01T00:00:00Z"), to: null }],
    ...overrides,
  };
}

describe("decideCollection", () => {
  const cases: {
    name: string;
    user: CollectionSubject | null;
    state: ConsentState;
    occurredAt?: Date;
    rule: string | null;
  }[] = [
    { name: "consented user with sharing on is collected", user: subject(), state: consent(), rule: null },
    {
      name: "aggregated consent alone also allows collection (relationship intelligence never enabled)",
      user: subject(),
      state: consent({ riEnabledAt: null }, { aggregated: true }),
      rule: null,
    },
    {
      name: "aggregated consent inside the 14 days after enabling: collected",
      user: subject(),
      state: consent({ riEnabledAt: t("2026-05-25T00:00:00Z") }, { aggregated: true }),
      rule: null,
    },
    {
      name: "14 days after enabling without identifiable consent, relationship intelligence is off: refused",
      user: subject(),
      state: consent({ riEnabledAt: t("2026-05-18T12:00:00Z") }, { aggregated: true }),
      rule: "ri_off",
    },
    {
      name: "turned off by an administrator: refused, whatever the consents",
      user: subject(),
      state: consent({ riEnabledAt: null, riDisabledAt: t("2026-05-01T00:00:00Z") }, { identifiable: true }),
      rule: "ri_off",
    },
    {
      name: "after a re-grant, an interaction dated before it is refused",
      user: subject(),
      state: consent({ collectFrom: t("2026-05-01T00:00:00Z") }),
      occurredAt: t("2026-04-30T23:59:59Z"),
      rule: "before_regrant",
    },
    {
      name: "after a re-grant, an interaction dated from it on is collected",
      user: subject(),
      state: consent({ collectFrom: t("2026-05-01T00:00:00Z") }),
      occurredAt: t("2026-05-01T00:00:00Z"),
      rule: null,
    },
    { name: "no consent granted: refused", user: subject(), state: consent({}, {}), rule: "consent_missing" },
    {
      name: "personal consent alone does not allow collection",
      user: subject(),
      state: consent({}, { personal: true }),
      rule: "consent_missing",
    },
    {
      name: "consent withdrawn: refused",
      user: subject(),
      state: consent({}, { identifiable: false }),
      rule: "consent_missing",
    },
    {
      name: "internal address with no directory user: refused",
      user: null,
      state: consent(),
      rule: "not_directory_user",
    },
    {
      name: "user turned sharing off: refused",
      user: subject({}, { sharing: "off" }),
      state: consent(),
      rule: "sharing_off",
    },
    {
      name: "user who turned sharing back on: earlier interactions refused",
      user: subject({}, { sharing: "on", collectFrom: t("2026-05-01T00:00:00Z") }),
      state: consent(),
      occurredAt: t("2026-04-30T00:00:00Z"),
      rule: "sharing_off",
    },
    {
      name: "user who turned sharing back on: later interactions collected",
      user: subject({}, { sharing: "on", collectFrom: t("2026-05-01T00:00:00Z") }),
      state: consent(),
      occurredAt: t("2026-05-02T00:00:00Z"),
      rule: null,
    },
    {
      name: "member of an opted-out group now: refused",
      user: subject({ memberships: [{ groupId: "g-ma", from: t("2026-03-01T00:00:00Z"), to: null }] }),
      state: consent({ optedOutGroupIds: ["g-ma"] }),
      rule: "opted_out_group",
    },
    {
      name: "member of a group that is not opted out: collected",
      user: subject({ memberships: [{ groupId: "g-sales", from: t("2026-03-01T00:00:00Z"), to: null }] }),
      state: consent({ optedOutGroupIds: ["g-ma"] }),
      rule: null,
    },
    {
      name: "left the opted-out group: interactions from the membership period stay refused",
      user: subject({
        memberships: [{ groupId: "g-ma", from: t("2026-02-01T00:00:00Z"), to: t("2026-04-01T00:00:00Z") }],
      }),
      state: consent({ optedOutGroupIds: ["g-ma"] }),
      occurredAt: t("2026-03-01T00:00:00Z"),
      rule: "opted_out_group",
    },
    {
      name: "left the opted-out group: interactions after leaving are collected",
      user: subject({
        memberships: [{ groupId: "g-ma", from: t("2026-02-01T00:00:00Z"), to: t("2026-04-01T00:00:00Z") }],
      }),
      state: consent({ optedOutGroupIds: ["g-ma"] }),
      occurredAt: t("2026-05-01T00:00:00Z"),
      rule: null,
    },
    {
      name: "collection restricted to roles the user lacks: refused",
      user: subject(),
      state: consent({ collectionRoles: ["Sales Manager"] }),
      rule: "role_restricted",
    },
    {
      name: "collection restricted to a role the user holds: collected",
      user: subject(),
      state: consent({ collectionRoles: ["Salesperson"] }),
      rule: null,
    },
    {
      name: "role held in the past only: refused",
      user: subject({
        roleAssignments: [
          { role: "Salesperson", from: t("2025-01-01T00:00:00Z"), to: t("2026-01-01T00:00:00Z") },
        ],
      }),
      state: consent({ collectionRoles: ["Salesperson"] }),
      rule: "role_restricted",
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const decision = decideCollection(c.user, c.state, now, c.occurredAt);
      if (c.rule === null) expect(decision).toEqual({ collect: true });
      else expect(decision).toMatchObject({ collect: false, rule: c.rule });
    });
  }

  it("Amber: collected before she joins M&A, refused after (future collections only)", () => {
    const joined = t("2026-04-01T00:00:00Z");
    const amber = subject({
      memberships: [
        { groupId: "g-sales", from: t("2025-01-01T00:00:00Z"), to: joined },
        { groupId: "g-ma", from: joined, to: null },
      ],
    });
    const state = consent({ optedOutGroupIds: ["g-ma"] });
    expect(decideCollection(amber, state, t("2026-03-15T00:00:00Z"), t("2026-03-14T00:00:00Z")).collect).toBe(
      true,
    );
    expect(decideCollection(amber, state, t("2026-04-02T00:00:00Z"), t("2026-04-02T00:00:00Z")).collect).toBe(
      false,
    );
    // A backfill run after the move does not reach back into her mail either: collection time decides.
    expect(decideCollection(amber, state, t("2026-04-02T00:00:00Z"), t("2026-03-14T00:00:00Z")).collect).toBe(
      false,
    );
  });
});

describe("auto opt-in and withdrawal", () => {
  it("a grant opts in users who never chose", () => {
    expect(isSharingOn(defaultPrivacy, consent({}, {}))).toBe(false);
    expect(isSharingOn(defaultPrivacy, consent())).toBe(true);
  });
  it("a user who opted out before the grant stays out after it", () => {
    const optedOut: PrivacySettings = {
      ...defaultPrivacy,
      sharing: "off",
      sharingChangedAt: t("2025-12-01T00:00:00Z"),
    };
    expect(isSharingOn(optedOut, consent())).toBe(false);
    expect(decideCollection(subject({ privacy: optedOut }), consent(), now)).toMatchObject({
      rule: "sharing_off",
    });
  });
  it("a withdrawal opts everyone out, including users who had chosen to share", () => {
    const chose: PrivacySettings = { ...defaultPrivacy, sharing: "on" };
    expect(isSharingOn(chose, consent({}, { identifiable: false }))).toBe(false);
  });
});

describe("enablement deadline", () => {
  const enabledAt = t("2026-05-01T00:00:00Z");
  it("shows the banner with days left while consent is missing", () => {
    const s = evaluateEnablement(consent({ riEnabledAt: enabledAt }, {}), t("2026-05-05T00:00:00Z"));
    expect(s).toMatchObject({ state: "awaiting_consent", daysLeft: 10 });
  });
  it("switches off 14 days after enabling without identifiable consent", () => {
    expect(evaluateEnablement(consent({ riEnabledAt: enabledAt }, {}), t("2026-05-14T23:59:59Z")).state).toBe(
      "awaiting_consent",
    );
    expect(evaluateEnablement(consent({ riEnabledAt: enabledAt }, {}), t("2026-05-15T00:00:00Z")).state).toBe(
      "switched_off",
    );
  });
  it("stays active when consent is granted", () => {
    expect(evaluateEnablement(consent({ riEnabledAt: enabledAt }), t("2026-09-01T00:00:00Z")).state).toBe(
      "active",
    );
  });
  it("withdrawing identifiable consent never restarts the 14 days: they run from enabling", () => {
    const state = consent({ riEnabledAt: enabledAt }, {});
    // Granted on day 3, withdrawn on day 20: off at once, not 14 days after the withdrawal.
    state.consents.identifiable = {
      granted: false,
      changedAt: t("2026-05-21T00:00:00Z"),
      changedBy: "admin@a.com",
    };
    expect(evaluateEnablement(state, t("2026-05-21T00:00:01Z"))).toMatchObject({
      state: "switched_off",
      deadline: t("2026-05-15T00:00:00Z"),
    });
    // Withdrawn on day 3: the deadline is still day 14.
    state.consents.identifiable.changedAt = t("2026-05-04T00:00:00Z");
    expect(evaluateEnablement(state, t("2026-05-05T00:00:00Z"))).toMatchObject({
      state: "awaiting_consent",
      deadline: t("2026-05-15T00:00:00Z"),
    });
  });
  it("granting identifiable consent after the switch-off brings it back; turning off is its own state", () => {
    expect(evaluateEnablement(consent({ riEnabledAt: enabledAt }), t("2026-07-01T00:00:00Z")).state).toBe(
      "active",
    );
    const off = consent({ riEnabledAt: null, riDisabledAt: t("2026-06-01T00:00:00Z") });
    expect(evaluateEnablement(off, now)).toEqual({ state: "turned_off", at: t("2026-06-01T00:00:00Z") });
    expect(evaluateEnablement(consent({ riEnabledAt: null }), now)).toEqual({ state: "disabled" });
  });
  it("every state says what it means, and what is withheld says what brings it back", () => {
    const states = [
      evaluateEnablement(consent({ riEnabledAt: null }), now),
      evaluateEnablement(consent({ riEnabledAt: enabledAt }), now),
      evaluateEnablement(consent({ riEnabledAt: enabledAt }, {}), t("2026-05-05T00:00:00Z")),
      evaluateEnablement(consent({ riEnabledAt: enabledAt }, {}), now),
      evaluateEnablement(consent({ riEnabledAt: null, riDisabledAt: enabledAt }), now),
    ];
    expect(states.map((s) => s.state)).toEqual([
      "disabled",
      "active",
      "awaiting_consent",
      "switched_off",
      "turned_off",
    ]);
    for (const s of states) {
      const words = describeEnablement(s);
      expect(words.summary.length).toBeGreaterThan(20);
      expect(words.restore === null).toBe(s.state === "active");
    }
    expect(describeEnablement(states[3]!).summary).toMatch(/nothing is collected and no insight is served/);
    expect(describeEnablement(states[3]!).restore).toMatch(/grants identifiable consent/);
  });
  it("switched-off insights are refused as disabled, not as empty", () => {
    const state = consent({ riEnabledAt: null });
    expect(decideAccess(seller, "who_knows_whom", [], state, now)).toMatchObject({
      allowed: false,
      code: "insights_disabled",
    });
  });
});

const seller: Viewer = { userId: "seller", tenantId: "tenant-a", roles: ["Salesperson"], isGuest: false };
const subj = (userId: string, privacy: Partial<PrivacySettings> = {}): AccessSubject => ({
  userId,
  privacy: { ...defaultPrivacy, ...privacy },
});

describe("decideAccess", () => {
  const people = [
    subj("u1"),
    subj("u2", { sharing: "off" }),
    subj("u3", { hideAsIntroducer: true }),
    subj("seller"),
  ];

  it("who knows whom: identifiable, opted-out, hidden and the viewer filtered out", () => {
    const d = decideAccess(seller, "who_knows_whom", people, consent(), now);
    expect(d).toMatchObject({ allowed: true, level: "identifiable", withheld: 3 });
    if (d.allowed) expect(d.subjects.map((s) => s.userId)).toEqual(["u1"]);
  });
  it("relationship analytics drops opted-out users but keeps hidden introducers", () => {
    const d = decideAccess(seller, "relationship_analytics", people, consent(), now);
    if (!d.allowed) throw new Error("expected access");
    expect(d.subjects.map((s) => s.userId)).toEqual(["u1", "u3", "seller"]);
  });
  it("a viewer without a granted role gets insufficient privileges, not an empty answer", () => {
    const clerk: Viewer = { ...seller, roles: ["Customer Service"] };
    expect(decideAccess(clerk, "who_knows_whom", people, consent(), now)).toMatchObject({
      allowed: false,
      code: "insufficient_privileges",
    });
  });
  it("a System administrator can grant who knows whom to another role", () => {
    const clerk: Viewer = { ...seller, roles: ["Customer Service"] };
    const state = consent({
      insightRoles: {
        who_knows_whom: ["Salesperson", "Customer Service"],
        relationship_analytics: ["Salesperson"],
      },
    });
    expect(decideAccess(clerk, "who_knows_whom", people, state, now).allowed).toBe(true);
    expect(decideAccess(clerk, "relationship_analytics", people, state, now)).toMatchObject({
      code: "insufficient_privileges",
    });
  });
  it("revoking the role grant removes access", () => {
    const state = consent({
      insightRoles: { who_knows_whom: ["Sales Manager"], relationship_analytics: ["Sales Manager"] },
    });
    expect(decideAccess(seller, "who_knows_whom", people, state, now)).toMatchObject({
      code: "insufficient_privileges",
    });
  });
  it("identifiable insights without identifiable consent: consent required", () => {
    expect(
      decideAccess(seller, "who_knows_whom", people, consent({}, { aggregated: true }), now),
    ).toMatchObject({ code: "consent_required" });
  });
  it("account engagement is aggregated, open to any tenant user and guests, and counts only sharing users", () => {
    const guest: Viewer = { userId: "g", tenantId: "tenant-a", roles: [], isGuest: true };
    const d = decideAccess(
      guest,
      "account_engagement",
      people,
      consent({ riEnabledAt: null }, { aggregated: true }),
      now,
    );
    expect(d).toMatchObject({ allowed: true, level: "aggregated", withheld: 1 });
  });
  it("account engagement and My network stop when relationship intelligence is off (deadline or administrator)", () => {
    const switchedOff = consent({}, { aggregated: true, personal: true });
    const turnedOff = consent(
      { riEnabledAt: null, riDisabledAt: t("2026-05-01T00:00:00Z") },
      {
        identifiable: true,
        personal: true,
      },
    );
    for (const state of [switchedOff, turnedOff]) {
      expect(decideAccess(seller, "account_engagement", people, state, now)).toMatchObject({
        code: "insights_disabled",
      });
      expect(decideAccess(seller, "my_network", [subj("seller")], state, now)).toMatchObject({
        code: "insights_disabled",
      });
      expect(decideAccess(seller, "who_knows_whom", people, state, now)).toMatchObject({ allowed: false });
    }
  });
  it("My network under personal consent alone says why it has nothing, instead of an empty list", () => {
    const d = decideAccess(
      seller,
      "my_network",
      [subj("seller")],
      consent({ riEnabledAt: null }, { personal: true }),
      now,
    );
    expect(d).toMatchObject({ allowed: false, code: "consent_required" });
    expect(d.allowed ? "" : d.reason).toMatch(/aggregated or identifiable consent/);
  });
  it("account engagement without aggregated or identifiable consent: consent required", () => {
    expect(
      decideAccess(seller, "account_engagement", people, consent({}, { personal: true }), now),
    ).toMatchObject({ code: "consent_required" });
  });
  it("my network: personal consent, own data only", () => {
    const state = consent({}, { identifiable: true, personal: true });
    expect(decideAccess(seller, "my_network", [subj("seller")], state, now)).toMatchObject({
      allowed: true,
      level: "personal",
    });
    expect(decideAccess(seller, "my_network", [subj("u1")], state, now)).toMatchObject({
      code: "insufficient_privileges",
    });
    expect(decideAccess(seller, "my_network", [subj("seller")], consent(), now)).toMatchObject({
      code: "consent_required",
    });
  });
  it("a viewer from another tenant is refused", () => {
    expect(
      decideAccess({ ...seller, tenantId: "tenant-b" }, "account_engagement", people, consent(), now),
    ).toMatchObject({ code: "insufficient_privileges" });
  });
});
