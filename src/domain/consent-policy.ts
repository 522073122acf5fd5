/**
 * The consent policy (SPEC §2 collection gate, §3 rules). Two pure functions that every collection
 * and every insight read goes through: `decideCollection` and `decideAccess`. Nothing here does I/O,
 * so each rule has a table test in consent-policy.test.ts.
 */
import {
  enablementDeadlineDays,
  type ConsentState,
  type InsightKind,
  type PrivacySettings,
  type RoleGrantedInsight,
} from "./consent";
import {
  groupsAt,
  rolesAt,
  wasInAnyGroupDuring,
  type GroupMembership,
  type RoleAssignment,
} from "./directory";

const dayMs = 86_400_000;

/** The facts about one internal participant that the collection gate needs. */
export interface CollectionSubject {
  /** null when the address is internal but belongs to no directory user. */
  userId: string | null;
  privacy: PrivacySettings;
  memberships: readonly GroupMembership[];
  roleAssignments: readonly RoleAssignment[];
}

export type CollectionRule =
  "consent_missing" | "not_directory_user" | "sharing_off" | "opted_out_group" | "role_restricted";

export type CollectionDecision = { collect: true } | { collect: false; rule: CollectionRule; reason: string };

/** A collection consent is in force: identifiable or aggregated (SPEC §2, gate rule 1). */
export function isCollectionConsentInForce(consent: ConsentState): boolean {
  return consent.consents.identifiable.granted || consent.consents.aggregated.granted;
}

/**
 * A user's effective data sharing: on unless they turned it off themselves, and only while a
 * collection consent is in force (a grant opts everyone in; a withdrawal opts everyone out).
 */
export function isSharingOn(privacy: PrivacySettings, consent: ConsentState): boolean {
  return privacy.sharing !== "off" && isCollectionConsentInForce(consent);
}

/**
 * May this user's interactions be collected now (`at`, the collection time)?
 *
 * `occurredAt`, when known, is when the interaction happened. Two rules also look at it, so that a
 * backfill run later cannot reach into a period the user had shielded:
 * - a user who turned sharing back on is collected only from that moment on;
 * - a user who was in an opted-out group when the interaction happened is not collected for it.
 * Data already stored before a group opt-out is never touched by this function (future collections only).
 */
export function decideCollection(
  user: CollectionSubject | null,
  consent: ConsentState,
  at: Date,
  occurredAt?: Date,
): CollectionDecision {
  if (!isCollectionConsentInForce(consent)) {
    return refuse(
      "consent_missing",
      "neither identifiable nor aggregated consent is in force for the tenant",
    );
  }
  if (user === null || user.userId === null) {
    return refuse("not_directory_user", "the address belongs to no directory user");
  }
  if (user.privacy.sharing === "off") {
    return refuse("sharing_off", "the user turned data sharing off");
  }
  if (occurredAt && user.privacy.collectFrom && occurredAt.getTime() < user.privacy.collectFrom.getTime()) {
    return refuse("sharing_off", "the interaction predates the user turning data sharing back on");
  }
  const optedOut = new Set(consent.optedOutGroupIds);
  if (optedOut.size > 0) {
    const current = groupsAt(user.memberships, at);
    const inGroupNow = [...current].find((g) => optedOut.has(g));
    if (inGroupNow !== undefined) {
      return refuse("opted_out_group", `the user is in opted-out security group ${inGroupNow}`);
    }
    if (occurredAt && wasInAnyGroupDuring(user.memberships, optedOut, occurredAt, occurredAt)) {
      return refuse(
        "opted_out_group",
        "the user was in an opted-out security group when the interaction happened",
      );
    }
  }
  if (consent.collectionRoles !== null) {
    const held = rolesAt(user.roleAssignments, at);
    if (!consent.collectionRoles.some((r) => held.has(r))) {
      return refuse("role_restricted", "collection is restricted to roles the user does not hold");
    }
  }
  return { collect: true };
}

function refuse(rule: CollectionRule, reason: string): CollectionDecision {
  return { collect: false, rule, reason };
}

/** Relationship intelligence state, including the 14-day enablement deadline (SPEC §3). */
export type EnablementState =
  | { state: "disabled" }
  | { state: "active" }
  | { state: "awaiting_consent"; deadline: Date; daysLeft: number }
  | { state: "switched_off"; deadline: Date };

export function evaluateEnablement(consent: ConsentState, now: Date): EnablementState {
  if (consent.riEnabledAt === null) return { state: "disabled" };
  const identifiable = consent.consents.identifiable;
  if (identifiable.granted) return { state: "active" };
  // The clock starts when RI was enabled, or when consent was later withdrawn, whichever is later.
  const startMs = Math.max(consent.riEnabledAt.getTime(), identifiable.changedAt?.getTime() ?? 0);
  const deadline = new Date(startMs + enablementDeadlineDays * dayMs);
  if (now.getTime() >= deadline.getTime()) return { state: "switched_off", deadline };
  return {
    state: "awaiting_consent",
    deadline,
    daysLeft: Math.ceil((deadline.getTime() - now.getTime()) / dayMs),
  };
}

export interface Viewer {
  userId: string;
  tenantId: string;
  /** Roles the viewer holds now. */
  roles: readonly string[];
  isGuest: boolean;
}

/** A user whose data an insight would draw on or name. */
export interface AccessSubject {
  userId: string;
  privacy: PrivacySettings;
}

export type AccessLevel = "identifiable" | "aggregated" | "personal";
export type AccessRefusal = "consent_required" | "insufficient_privileges" | "insights_disabled";

export type AccessDecision<S extends AccessSubject> =
  | {
      allowed: true;
      level: AccessLevel;
      /** The subjects whose data may be used, in the order given. */
      subjects: S[];
      /** How many were withheld (opted out, hidden, or the viewer themself); never who. */
      withheld: number;
    }
  | { allowed: false; code: AccessRefusal; reason: string };

/**
 * May `viewer` see an insight of `kind` drawing on `subjects`, and on whose data?
 * Refusals are explicit (never an empty list that reads as "nobody"): missing consent, a role
 * without the grant, or relationship intelligence switched off. Opted-out subjects are filtered.
 */
export function decideAccess<S extends AccessSubject>(
  viewer: Viewer,
  kind: InsightKind,
  subjects: readonly S[],
  consent: ConsentState,
  now: Date = new Date(),
): AccessDecision<S> {
  if (viewer.tenantId !== consent.tenantId) {
    return deny("insufficient_privileges", "the viewer belongs to another tenant");
  }
  const sharing = (s: S) => isSharingOn(s.privacy, consent);
  switch (kind) {
    case "who_knows_whom":
    case "relationship_analytics": {
      if (!consent.consents.identifiable.granted) {
        return deny("consent_required", "identifiable insights need the tenant's identifiable consent");
      }
      const enablement = evaluateEnablement(consent, now);
      if (enablement.state === "disabled" || enablement.state === "switched_off") {
        return deny("insights_disabled", "relationship intelligence is not enabled for this tenant");
      }
      if (!holdsGrantedRole(viewer, kind, consent)) {
        return deny(
          "insufficient_privileges",
          `none of the viewer's roles is granted ${kind.replaceAll("_", " ")}`,
        );
      }
      const keep =
        kind === "who_knows_whom"
          ? (s: S) => sharing(s) && !s.privacy.hideAsIntroducer && s.userId !== viewer.userId
          : sharing;
      return allow("identifiable", subjects, keep);
    }
    case "account_engagement": {
      if (!consent.consents.aggregated.granted && !consent.consents.identifiable.granted) {
        return deny("consent_required", "account engagement needs aggregated (or identifiable) consent");
      }
      return allow("aggregated", subjects, sharing);
    }
    case "my_network": {
      if (!consent.consents.personal.granted) {
        return deny("consent_required", "My network needs the tenant's consent to insights for each user");
      }
      if (subjects.some((s) => s.userId !== viewer.userId)) {
        return deny("insufficient_privileges", "a personal insight is visible to its own user only");
      }
      return allow("personal", subjects, (s) => s.privacy.sharing !== "off");
    }
  }
}

function holdsGrantedRole(viewer: Viewer, kind: RoleGrantedInsight, consent: ConsentState): boolean {
  const granted = consent.insightRoles[kind];
  return viewer.roles.some((r) => granted.includes(r));
}

function allow<S extends AccessSubject>(
  level: AccessLevel,
  subjects: readonly S[],
  keep: (s: S) => boolean,
): AccessDecision<S> {
  const kept = subjects.filter(keep);
  return { allowed: true, level, subjects: kept, withheld: subjects.length - kept.length };
}

function deny<S extends AccessSubject>(code: AccessRefusal, reason: string): AccessDecision<S> {
  return { allowed: false, code, reason };
}

/** Only a Global administrator grants or withdraws consent and names opt-out groups (SPEC §1). */
export function canManageConsent(roles: readonly string[]): boolean {
  return roles.includes("Global Administrator");
}

/** Only a System administrator configures relationship intelligence (SPEC §1). */
export function canConfigureInsights(roles: readonly string[]): boolean {
  return roles.includes("System Administrator");
}
