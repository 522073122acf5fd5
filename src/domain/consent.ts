/** Consent values (SPEC §3): the three consent types, tenant consent state and a user's privacy choices. */

export const consentTypes = ["personal", "aggregated", "identifiable"] as const;
export type ConsentType = (typeof consentTypes)[number];

export function isConsentType(value: string): value is ConsentType {
  return (consentTypes as readonly string[]).includes(value);
}

/** What each consent type allows, in the words the admin consent center and CLI show. */
export const consentTypeInfo: Record<ConsentType, { title: string; produces: string; visibleTo: string }> = {
  personal: {
    title: "Insights for each user",
    produces: "A user's own insights from their own data (My network)",
    visibleTo: "Only that user",
  },
  aggregated: {
    title: "Aggregated insights for other users",
    produces: "De-identified account-level aggregates; nothing specific to a person (account engagement)",
    visibleTo: "Everyone in the tenant, including authorised guests",
  },
  identifiable: {
    title: "Identifiable insights for other users",
    produces: "Insights naming individual users (who knows whom, relationship analytics and health)",
    visibleTo: "Everyone in the tenant with a granted role, including authorised guests",
  },
};

export const insightKinds = [
  "who_knows_whom",
  "relationship_analytics",
  "account_engagement",
  "my_network",
] as const;
export type InsightKind = (typeof insightKinds)[number];

/** Insight kinds whose visibility a System administrator grants to roles. */
export const roleGrantedInsights = ["who_knows_whom", "relationship_analytics"] as const;
export type RoleGrantedInsight = (typeof roleGrantedInsights)[number];

export const defaultInsightRoles: readonly string[] = ["Salesperson", "Sales Manager"];

export interface ConsentRecord {
  granted: boolean;
  changedAt: Date | null;
  changedBy: string | null;
}

/** Days after enabling relationship intelligence without identifiable consent before it switches off. */
export const enablementDeadlineDays = 14;

export interface ConsentState {
  tenantId: string;
  consents: Record<ConsentType, ConsentRecord>;
  /** Security group ids whose members are not collected from now on (SPEC §3, the Amber case). */
  optedOutGroupIds: readonly string[];
  /** Roles whose holders are collected; null means every user. */
  collectionRoles: readonly string[] | null;
  insightRoles: Record<RoleGrantedInsight, readonly string[]>;
  /** When a System administrator enabled relationship intelligence; null while disabled. */
  riEnabledAt: Date | null;
  /**
   * When a System administrator turned relationship intelligence off (null: never, or enabled again
   * since). Off stops collection and every insight; "never enabled" does not (consent-policy.ts).
   */
  riDisabledAt: Date | null;
  /**
   * Set when a collection consent is granted again after a withdrawal ended collection: nothing that
   * happened before it is collected (SPEC §3 "re-grant"), as for a user turning sharing back on.
   */
  collectFrom: Date | null;
}

/**
 * A user's own data-sharing choice. `default` follows the tenant's consent (auto opt-in on grant,
 * opted out on withdrawal); `off` is a personal opt-out that survives later grants; `on` is an
 * explicit choice to share again.
 */
export type SharingChoice = "default" | "on" | "off";

export interface PrivacySettings {
  sharing: SharingChoice;
  sharingChangedAt: Date | null;
  /** Set when a user turns sharing back on after an opt-out: nothing that happened earlier is collected. */
  collectFrom: Date | null;
  hideAsIntroducer: boolean;
}

export const defaultPrivacy: PrivacySettings = Object.freeze({
  sharing: "default",
  sharingChangedAt: null,
  collectFrom: null,
  hideAsIntroducer: false,
});

export function emptyConsentState(tenantId: string): ConsentState {
  const none = (): ConsentRecord => ({ granted: false, changedAt: null, changedBy: null });
  return {
    tenantId,
    consents: { personal: none(), aggregated: none(), identifiable: none() },
    optedOutGroupIds: [],
    collectionRoles: null,
    insightRoles: {
      who_knows_whom: [...defaultInsightRoles],
      relationship_analytics: [...defaultInsightRoles],
    },
    riEnabledAt: null,
    riDisabledAt: null,
    collectFrom: null,
  };
}
