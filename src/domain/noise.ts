import type { NoiseSignals } from "./interaction";

/** Noise filters of SPEC §2, each on by default and switchable per tenant. */
export interface NoiseFilterSettings {
  automated: boolean;
  calendarNotifications: boolean;
  /** Internal-only mail is kept out of external insights; it still feeds the internal graph. */
  internalOnly: boolean;
  largeDistribution: boolean;
  /** Above this many participants edges are damped (strength's group damping). */
  largeDistributionDampAbove: number;
  /** Above this many participants a message yields no edges at all. */
  largeDistributionCap: number;
}

export const defaultNoiseFilters: NoiseFilterSettings = Object.freeze({
  automated: true,
  calendarNotifications: true,
  internalOnly: true,
  largeDistribution: true,
  largeDistributionDampAbove: 10,
  largeDistributionCap: 50,
});

export type NoiseReason = "automated" | "calendar_notification" | "draft";

const noReplySender =
  /^(no[-_.]?reply|do[-_.]?not[-_.]?reply|donotreply|mailer-daemon|postmaster|bounces?|notifications?|alerts?|newsletter|news)([-+_.].*)?@/;

/** Why a message is noise under the tenant's filters, or null to keep it. Pure. */
export function classifyNoise(
  sender: string | null,
  signals: NoiseSignals,
  filters: NoiseFilterSettings,
): NoiseReason | null {
  // A draft was never sent: always dropped, whatever the filters say.
  if (signals.draft) return "draft";
  if (filters.automated) {
    if (signals.listId || signals.listUnsubscribe) return "automated";
    if (signals.precedence && ["bulk", "list", "junk"].includes(signals.precedence)) return "automated";
    if (signals.autoSubmitted && signals.autoSubmitted !== "no") return "automated";
    if (sender && noReplySender.test(sender)) return "automated";
  }
  if (filters.calendarNotifications && signals.calendarNotification) return "calendar_notification";
  return null;
}
