/** Rebuilding stored strength state when baked-in parameters change, and changing them (System Administrator). */
import {
  buildPairState,
  mergePairStates,
  type PairState,
  type StrengthParams,
  type Touch,
} from "../insights/strength";
import { iterateInteractions } from "../store/interaction-read.repository";
import { clearStrengthState } from "../store/interaction-purge.repository";
import { writePairStates } from "../store/interaction.repository";
import { appendAudit } from "../store/audit.repository";
import type { Trx } from "../store/store";
import type { ServiceContext } from "./context";
import { requireSystemAdministrator } from "./insight-access";
import { touchesOfStored } from "./touches";
import {
  bakedStrengthFingerprint,
  readTenantOptions,
  recordStrengthStatesBuilt,
  updateTenantOptions,
} from "./tenant-options";

export interface RecomputeSummary {
  interactions: number;
  pairs: number;
  internalPairs: number;
  durationMs: number;
}

/**
 * Rebuilds every strength state of a tenant from its stored interactions, in one transaction
 * (after the tenant changed half-lives, group damping or the cap: weights alone need no rebuild,
 * but a rebuild is always correct). Touches are buffered and merged in slices, so memory follows
 * the number of pairs, not of interactions.
 */
export async function recomputeStrengths(ctx: ServiceContext, tenantId: string): Promise<RecomputeSummary> {
  const started = Date.now();
  return ctx.store.transaction(async (trx) => ({
    ...(await rebuildStrengthStates(trx, tenantId)),
    durationMs: Date.now() - started,
  }));
}

/**
 * The rebuild itself, inside the caller's transaction (a recompute, or retention after old
 * interactions left: the states then match exactly the interactions that remain).
 */
export async function rebuildStrengthStates(
  trx: Trx,
  tenantId: string,
  /** Only interactions from this instant on (retention rebuilds from what it will keep). */
  from?: number,
): Promise<Omit<RecomputeSummary, "durationMs">> {
  {
    const options = await readTenantOptions(trx, tenantId);
    const params = options.strength;
    await clearStrengthState(trx, tenantId);
    const pairs = new Map<string, PairState>();
    const internal = new Map<string, PairState>();
    const pending = new Map<string, Touch[]>();
    const pendingInternal = new Map<string, Touch[]>();
    let buffered = 0;
    const flush = () => {
      for (const [target, source] of [
        [pairs, pending],
        [internal, pendingInternal],
      ] as const) {
        for (const [key, touches] of source) {
          const delta = buildPairState(touches, params);
          const seen = target.get(key);
          target.set(key, seen ? mergePairStates(seen, delta, params) : delta);
        }
        source.clear();
      }
      buffered = 0;
    };
    let count = 0;
    for await (const i of iterateInteractions(trx, tenantId, undefined, from)) {
      count++;
      const derived = touchesOfStored(i, options.noiseFilters);
      for (const t of derived.touches) {
        const key = `${t.person}\u0000${t.userId}`;
        const list = pending.get(key);
        if (list) list.push(t.touch);
        else pending.set(key, [t.touch]);
        buffered++;
      }
      for (const t of derived.internalTouches) {
        const key = `${t.userA}\u0000${t.userB}`;
        const list = pendingInternal.get(key);
        if (list) list.push(t.touch);
        else pendingInternal.set(key, [t.touch]);
        buffered++;
      }
      if (buffered >= 200_000) flush();
    }
    flush();
    await writePairStates(trx, tenantId, "pair_state", pairs);
    await writePairStates(trx, tenantId, "internal_pair_state", internal);
    // What the states were built with, in the same transaction: the worker's recomputeIfStale
    // then sees them up to date and does not rebuild them again.
    await recordStrengthStatesBuilt(trx, tenantId, params);
    return { interactions: count, pairs: pairs.size, internalPairs: internal.size };
  }
}

/**
 * Changes the tenant's strength parameters (System administrator) and, when the change touches
 * what is baked into stored states (half-lives, damping, cap), recomputes them in the same run.
 */
export async function updateStrengthParams(
  ctx: ServiceContext,
  tenantId: string,
  change: Partial<StrengthParams>,
  byEmail: string,
): Promise<{ params: StrengthParams; recomputed: RecomputeSummary | null }> {
  await requireSystemAdministrator(ctx, tenantId, byEmail);
  const at = ctx.now();
  const { before, after } = await ctx.store.transaction(async (trx) => {
    const before = await readTenantOptions(trx, tenantId);
    const next: StrengthParams = {
      ...before.strength,
      ...change,
      weights: {
        email: { ...before.strength.weights.email, ...(change.weights?.email ?? {}) },
        meeting: { ...before.strength.weights.meeting, ...(change.weights?.meeting ?? {}) },
      },
    };
    // Manual settings replace any self-fit: the next scheduled fit starts from them.
    const after = await updateTenantOptions(trx, tenantId, { strength: next, strengthFit: null });
    await appendAudit(trx, ctx.store.engine, tenantId, at, {
      actor: byEmail,
      action: "settings.strength_params_changed",
      subject: tenantId,
      details: { before: { ...before.strength }, after: { ...after.strength } },
    });
    return { before, after };
  });
  // Stale when what is baked into the stored states differs from the new parameters (also after
  // an earlier change whose recompute never ran).
  const recomputed =
    bakedStrengthFingerprint(after.strength) === before.strengthStatesBuiltWith
      ? null
      : await recomputeStrengths(ctx, tenantId);
  return { params: after.strength, recomputed };
}
