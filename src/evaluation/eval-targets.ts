/**
 * Builds the `kith eval` targets (SPEC §6) from a time-ordered list of (person, colleague) touches:
 * strengths from touches before the split, truth from touches within the horizon after it, and the
 * rankings of Kith and the baselines over the same candidate pool.
 *
 * Evidence: a touch is `direct` (counted towards strength) or `bulk` (mail to more people than the
 * large-distribution cap, which Kith keeps out of strength). The candidates are the colleagues with
 * any evidence before the split, direct or bulk; the baselines count all of it, as a plain counter
 * would; Kith ranks colleagues with direct evidence in its documented order (`compareEvidence`)
 * and, after them, those with bulk evidence only (the weak tier). The truth is direct
 * correspondence within the horizon (being on a list of 200 is not corresponding).
 *
 * Person level: a target is an external person with any direct touch after the split. Account
 * level: a target is an external organisation (`organisationOf`: the registrable domain, consumer
 * providers excluded); a colleague's candidates are their ties to anyone there; Kith aggregates
 * them with `accountAggregation`, frequency sums the counts, recency takes the latest.
 */
import type { EvalTarget, Ranking } from "./evaluation";
import { rankByOrder } from "../insights/ranking-quality";

export { rankByOrder };
import {
  bulkEvidenceParams,
  compareEvidence,
  evidenceKeyOf,
  type EvidenceKey,
} from "../insights/who-knows-whom";
import { buildPairState, scoreStrength, type StrengthParams, type Touch } from "../insights/strength";
import { dayMs } from "../insights/time";

/**
 * Ranks colleagues by key, higher first, as tie groups (equal keys, up to a relative 1e-9 for sums
 * taken in different orders, share a place); keys ≤ 0 are not listed; groups are added until 5
 * colleagues are listed.
 */
export function rankWithTies(keys: ReadonlyMap<string, number>, limit = 5): Ranking {
  const entries = [...keys.entries()].filter(([, k]) => k > 0);
  return rankByOrder(
    entries,
    (a, b) => (Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) ? 0 : b - a),
    limit,
  );
}

export interface EvalTouch {
  person: string;
  userId: string;
  touch: Touch;
  /** Bulk evidence: mail above the large-distribution cap (never counted towards strength). */
  bulk?: boolean;
}

export interface EvalTargetOptions {
  split: number;
  horizonDays: number;
  level: "person" | "account";
  params: StrengthParams;
  /** Person → organisation key, or null when it has none (personal provider). Account level only. */
  organisationOf?: (person: string) => string | null;
  accountAggregation?: AccountAggregation;
  /** Rank the weak tier (bulk evidence only) after direct evidence (default true). */
  bulkTier?: boolean;
  /** More Kith rankers with other parameters, by name (e.g. "kith-untuned" beside a fitted tenant). */
  otherParams?: Readonly<Record<string, StrengthParams>>;
}

/**
 * How one colleague's ties to several people at an organisation make one key: `best` the strongest
 * tie, `sum` the probabilistic union 100·(1 − Π(1 − s/100)), `total` the plain sum of scores.
 */
export type AccountAggregation = "best" | "sum" | "total";

export const evalRankers = ["kith", "frequency", "recency", "interactions-rank"] as const;

/** Interactions-Rank baseline: Σ 2^(−age/90 d) over interactions, outgoing ones counted twice. */
export const interactionsRankHalfLifeDays = 90;

function group<T>(items: Iterable<T>, key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

interface Tie {
  person: string;
  userId: string;
  direct: Touch[];
  bulk: Touch[];
}

/** One colleague's evidence key over several ties (account level), aggregated like the account view. */
function aggregateKeys(keys: EvidenceKey[], aggregation: AccountAggregation): EvidenceKey {
  if (keys.length === 1) return keys[0]!;
  const raws = keys.map((k) => k.raw);
  const raw =
    aggregation === "sum"
      ? 100 * (1 - raws.reduce((p, r) => p * (1 - r / 100), 1))
      : aggregation === "total"
        ? raws.reduce((a, r) => a + r, 0)
        : Math.max(...raws);
  return {
    evidence: keys[0]!.evidence,
    score: Math.round(raw),
    twoWay: keys.some((k) => k.twoWay),
    lastAt: Math.max(...keys.map((k) => k.lastAt ?? Number.NEGATIVE_INFINITY)),
    count: keys.reduce((n, k) => n + k.count, 0),
    raw,
  };
}

export function buildEvalTargets(touches: readonly EvalTouch[], options: EvalTargetOptions): EvalTarget[] {
  const { split, params, level } = options;
  const bulkTier = options.bulkTier ?? true;
  const aggregation = options.accountAggregation ?? "best";
  const bulkParams = bulkEvidenceParams(params);
  const end = split + options.horizonDays * dayMs;
  const targetOf = level === "person" ? (p: string) => p : (p: string) => options.organisationOf?.(p) ?? null;
  // Before the split: the evidence of each (person, colleague).
  const ties = new Map<string, Tie>();
  for (const t of touches) {
    if (t.touch.at >= split || targetOf(t.person) === null) continue;
    const key = `${t.person}\u0000${t.userId}`;
    let tie = ties.get(key);
    if (!tie) ties.set(key, (tie = { person: t.person, userId: t.userId, direct: [], bulk: [] }));
    (t.bulk ? tie.bulk : tie.direct).push(t.touch);
  }
  const byTarget = group(ties.values(), (t) => targetOf(t.person)!);
  // Within the horizon: who corresponded (directly) with each target.
  const truth = new Map<string, Set<string>>();
  for (const t of touches) {
    if (t.bulk || t.touch.at < split || t.touch.at >= end) continue;
    const target = targetOf(t.person);
    if (target === null) continue;
    const set = truth.get(target) ?? new Set<string>();
    set.add(t.userId);
    truth.set(target, set);
  }
  const halfLifeMs = interactionsRankHalfLifeDays * dayMs;
  const out: EvalTarget[] = [];
  for (const [targetId, correspondents] of truth) {
    const byUser = group(byTarget.get(targetId) ?? [], (p) => p.userId);
    const kithOrders = new Map<string, { direct: [string, EvidenceKey][]; weak: [string, EvidenceKey][] }>();
    const parameterSets: [string, StrengthParams][] = [
      ["kith", params],
      ...Object.entries(options.otherParams ?? {}),
    ];
    for (const [name] of parameterSets) kithOrders.set(name, { direct: [], weak: [] });
    const freqKey = new Map<string, number>();
    const recKey = new Map<string, number>();
    const irKey = new Map<string, number>();
    for (const [userId, list] of byUser) {
      for (const [name, p] of parameterSets) {
        const order = kithOrders.get(name)!;
        const bp = p === params ? bulkParams : bulkEvidenceParams(p);
        const directKeys = list
          .filter((t) => t.direct.length > 0)
          .map((t) => evidenceKeyOf(scoreStrength(buildPairState(t.direct, p, split), split, p)));
        if (directKeys.length > 0) order.direct.push([userId, aggregateKeys(directKeys, aggregation)]);
        else if (bulkTier) {
          const bulkKeys = list.map((t) => {
            const s = scoreStrength(buildPairState(t.bulk, bp, split), split, bp);
            return evidenceKeyOf({ ...s, score: Math.min(39, s.score), raw: Math.min(39, s.raw) }, "bulk");
          });
          order.weak.push([userId, aggregateKeys(bulkKeys, aggregation)]);
        }
      }
      let count = 0;
      let last = Number.NEGATIVE_INFINITY;
      let ir = 0;
      for (const t of list) {
        for (const touch of [...t.direct, ...t.bulk]) {
          count++;
          if (touch.at > last) last = touch.at;
          ir += (touch.direction === "out" ? 2 : 1) * Math.pow(2, -(split - touch.at) / halfLifeMs);
        }
      }
      freqKey.set(userId, count);
      recKey.set(userId, last);
      irKey.set(userId, ir);
    }
    out.push({
      targetId,
      candidateCount: byUser.size,
      truth: correspondents,
      rankings: {
        ...Object.fromEntries(
          [...kithOrders].map(([name, o]) => [name, rankByOrder([...o.direct, ...o.weak], compareEvidence)]),
        ),
        frequency: rankWithTies(freqKey),
        recency: rankByOrder([...recKey.entries()], (a, b) => (a === b ? 0 : b > a ? 1 : -1)),
        "interactions-rank": rankWithTies(irKey),
      },
    });
  }
  return out.sort((a, b) => (a.targetId < b.targetId ? -1 : 1));
}

/**
 * Targets of several splits pooled into one list (each target once per split, ids prefixed with
 * the split day), as the protocol pools 2001-03-01, 06-01 and 09-01.
 */
export function buildPooledEvalTargets(
  touches: readonly EvalTouch[],
  splits: readonly number[],
  options: Omit<EvalTargetOptions, "split">,
): EvalTarget[] {
  return splits.flatMap((split) =>
    buildEvalTargets(touches, { ...options, split }).map((t) => ({
      ...t,
      targetId: `${new Date(split).toISOString().slice(0, 10)} ${t.targetId}`,
    })),
  );
}
