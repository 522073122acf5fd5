import type { NoiseFilterSettings } from "../domain/noise";
import { deriveTouches, type CollectedInteraction, type CollectedParty } from "../ingest/collect";
import type { StoredInteraction } from "../store/interaction-read.repository";

/**
 * The strength touches of a stored interaction, derived exactly as at collection time (same
 * large-distribution rule), so recomputation, "as of" answers and the evaluation agree with the
 * incremental state.
 */
export function touchesOfStored(
  i: StoredInteraction,
  filters: Pick<NoiseFilterSettings, "largeDistribution" | "largeDistributionCap">,
): Pick<CollectedInteraction, "touches" | "internalTouches"> {
  const large = filters.largeDistribution && i.participantCount > filters.largeDistributionCap;
  const parties = i.parties as readonly Pick<CollectedParty, "address" | "role" | "userId">[];
  return deriveTouches(i.kind, i.occurredAt, parties, i.participantCount, large);
}

/**
 * The touches of a stored interaction that Kith keeps out of strength because more people than
 * the large-distribution cap were on it: bulk evidence, the weak tier of who-knows-whom (used when
 * nobody has direct evidence). Empty for any other interaction.
 */
export function bulkTouchesOfStored(
  i: StoredInteraction,
  filters: Pick<NoiseFilterSettings, "largeDistribution" | "largeDistributionCap">,
): CollectedInteraction["touches"] {
  const large = filters.largeDistribution && i.participantCount > filters.largeDistributionCap;
  if (!large) return [];
  const parties = i.parties as readonly Pick<CollectedParty, "address" | "role" | "userId">[];
  return deriveTouches(i.kind, i.occurredAt, parties, i.participantCount, false).touches;
}
