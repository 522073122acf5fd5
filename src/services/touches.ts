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
