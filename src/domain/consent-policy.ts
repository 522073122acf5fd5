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
  | "consent_missing"
  | "before_regrant"
  | "ri_off"
  | "not_directory_user"
  | "sharing_off"
  | "opted_out_group"
  | "role_restricted";

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
 * `occurredAt`, when known, is when the interaction happened. Three rules also look at it, so that
 * a backfill or re-import run later cannot reach into a period that was shielded:
 * - after a re-grant that followed a withdrawal, only what happened from the re-grant on;
 * - a user who turned sharing back on is collected only from that moment on (the same rule);
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
  if (isRelationshipIntelligenceOff(evaluateEnablement(consent, at))) {
    return refuse("ri_off", describeEnablement(evaluateEnablement(consent, at)).summary);
  }
  if (occurredAt && consent.collectFrom && occurredAt.getTime() < consent.collectFrom.getTime()) {
    return refuse(
      "before_regrant",
      `the interaction predates the tenant's re-grant of consent on ${consent.collectFrom.toISOString()}`,
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

/**
 * Relationship intelligence state, including the 14-day enablement deadline (SPEC §3):
 * - `disabled`: never enabled. Consent alone governs collection (the backfill starts at the grant)
 *   and aggregated engagement; the identifiable insights wait for enablement.
 * - `active`: enabled with identifiable consent.
 * - `awaiting_consent`: enabled without identifiable consent, inside the 14 days.
 * - `switched_off`: enabled, and identifiable consent missing 14 days or more after enabling.
 * - `turned_off`: a System Administrator turned it off.
 * The last two are "off": nothing is collected and no insight is served (`isRelationshipIntelligenceOff`).
 */
export type EnablementState =
  | { state: "disabled" }
  | { state: "active" }
  | { state: "awaiting_consent"; deadline: Date; daysLeft: number }
  | { state: "switched_off"; deadline: Date }
  | { state: "turned_off"; at: Date };

/**
 * The deadline runs from enabling only: withdrawing or granting a consent never restarts it. When
 * identifiable consent is missing at `now` and `now` is 14 days or more after enabling, it is off;
 * granting identifiable consent brings it back at once, enabling again starts a new 14 days.
 */
export function evaluateEnablement(consent: ConsentState, now: Date): EnablementState {
  if (consent.riEnabledAt === null) {
    return consent.riDisabledAt === null
      ? { state: "disabled" }
      : { state: "turned_off", at: consent.riDisabledAt };
  }
  if (consent.consents.identifiable.granted) return { state: "active" };
  const deadline = new Date(consent.riEnabledAt.getTime() + enablementDeadlineDays * dayMs);
  if (now.getTime() >= deadline.getTime()) return { state: "switched_off", deadline };
  return {
    state: "awaiting_consent",
    deadline,
    daysLeft: Math.ceil((deadline.getTime() - now.getTime()) / dayMs),
  };
}

/** Off: switched off by the deadline or turned off by an administrator; collection and insights stop. */
export function isRelationshipIntelligenceOff(state: EnablementState): boolean {
  return state.state === "switched_off" || state.state === "turned_off";
}

/**
 * What the state means and, when something is withheld, what brings it back: the one wording the
 * CLI, the API and the web app show.
 */
export function describeEnablement(state: EnablementState): { summary: string; restore: string | null } {
  const stops =
    "nothing is collected and no insight is served (who knows whom, relationship analytics and health, account engagement, My network)";
  switch (state.state) {
    case "disabled":
      return {
        summary:
          "relationship intelligence is not enabled: who knows whom and relationship analytics are unavailable; collection and account engagement follow the consents alone",
        restore: "a System Administrator enables relationship intelligence (kith ri enable)",
      };
    case "active":
      return { summary: "relationship intelligence is enabled with identifiable consent", restore: null };
    case "awaiting_consent":
      return {
        summary: `relationship intelligence is enabled but identifiable consent is missing: unless a Global Administrator grants it by ${state.deadline.toISOString()} (${state.daysLeft} day(s)), relationship intelligence switches off and ${stops}`,
        restore: "a Global Administrator grants identifiable consent (kith consent grant identifiable)",
      };
    case "switched_off":
      return {
        summary: `relationship intelligence switched itself off on ${state.deadline.toISOString()}: identifiable consent was still missing 14 days after it was enabled; ${stops}`,
        restore:
          "a Global Administrator grants identifiable consent (it resumes at once), or a System Administrator enables relationship intelligence again (a new 14-day period)",
      };
    case "turned_off":
      return {
        summary: `relationship intelligence was turned off by a System Administrator on ${state.at.toISOString()}; ${stops}`,
        restore: "a System Administrator enables relationship intelligence (kith ri enable)",
      };
  }
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
  now: Date,
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
      if (enablement.state === "disabled" || isRelationshipIntelligenceOff(enablement)) {
        return deny("insights_disabled", describeEnablement(enablement).summary);
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
      const enablement = evaluateEnablement(consent, now);
      if (isRelationshipIntelligenceOff(enablement))
        return deny("insights_disabled", describeEnablement(enablement).summary);
      return allow("aggregated", subjects, sharing);
    }
    case "my_network": {
      if (!consent.consents.personal.granted) {
        return deny("consent_required", "My network needs the tenant's consent to insights for each user");
      }
      if (!isCollectionConsentInForce(consent)) {
        // Personal consent allows a user's own insights, but Kith collects mail only under a
        // collection consent: say so instead of an empty list that reads as "you know nobody".
        return deny(
          "consent_required",
          "My network is built from mail Kith collects under the tenant's aggregated or identifiable consent; neither is granted, so Kith holds no mail of yours",
        );
      }
      const enablement = evaluateEnablement(consent, now);
      if (isRelationshipIntelligenceOff(enablement))
        return deny("insights_disabled", describeEnablement(enablement).summary);
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
