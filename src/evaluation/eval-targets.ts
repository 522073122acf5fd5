/**
 * Builds the `kith eval` targets (SPEC §6) from a time-ordered list of (person, colleague) touches:
 * strengths from touches before the split, truth from touches within the horizon after it, and the
 * rankings of Kith's score and the two baselines over the same candidate pool.
 *
 * Person level: a target is an external person with any touch after the split; its candidates are
 * the colleagues with any touch before it. Account level: a target is an external organisation
 * (the domain, personal providers excluded); a colleague's candidates are their ties to anyone
 * there; Kith aggregates them with `accountAggregation`, frequency sums the counts, recency takes
 * the latest.
 */
import type { EvalTarget, Ranking } from "./evaluation";
import {
  buildPairState,
  frequencyScore,
  recencyScore,
  scoreStrength,
  type PairState,
  type StrengthParams,
  type Touch,
} from "../insights/strength";
import { dayMs } from "../insights/time";

/**
 * Ranks colleagues by key, higher first, as tie groups (equal keys, up to a relative 1e-9 for sums
 * taken in different orders, share a place); keys ≤ 0 are not listed; groups are added until 5
 * colleagues are listed.
 */
export function rankWithTies(keys: ReadonlyMap<string, number>, limit = 5): Ranking {
  const sorted = [...keys.entries()]
    .filter(([, k]) => k > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: (string | string[])[] = [];
  let listed = 0;
  for (let i = 0; i < sorted.length && listed < limit;) {
    const key = sorted[i]![1];
    let j = i + 1;
    while (j < sorted.length && Math.abs(sorted[j]![1] - key) <= 1e-9 * Math.abs(key)) j++;
    const ids = sorted.slice(i, j).map(([id]) => id);
    out.push(ids.length === 1 ? ids[0]! : ids);
    listed += ids.length;
    i = j;
  }
  return out;
}

export interface EvalTouch {
  person: string;
  userId: string;
  touch: Touch;
}

export interface EvalTargetOptions {
  split: number;
  horizonDays: number;
  level: "person" | "account";
  params: StrengthParams;
  /** Person → organisation key, or null when it has none (personal provider). Account level only. */
  organisationOf?: (person: string) => string | null;
  accountAggregation?: AccountAggregation;
}

/**
 * How one colleague's ties to several people at an organisation make one key: `best` the strongest
 * tie, `sum` the probabilistic union 100·(1 − Π(1 − s/100)), `total` the plain sum of scores.
 */
export type AccountAggregation = "best" | "sum" | "total";

export const evalRankers = ["kith", "frequency", "recency"] as const;

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

export function buildEvalTargets(touches: readonly EvalTouch[], options: EvalTargetOptions): EvalTarget[] {
  const { split, params, level } = options;
  const end = split + options.horizonDays * dayMs;
  const targetOf = level === "person" ? (p: string) => p : (p: string) => options.organisationOf?.(p) ?? null;
  // Before the split: one state per (person, colleague).
  const before = group(
    touches.filter((t) => t.touch.at < split && targetOf(t.person) !== null),
    (t) => `${t.person}\u0000${t.userId}`,
  );
  const states = new Map<string, { person: string; userId: string; state: PairState }[]>();
  for (const list of before.values()) {
    const first = list[0]!;
    const target = targetOf(first.person)!;
    const entry = {
      person: first.person,
      userId: first.userId,
      state: buildPairState(
        list.map((t) => t.touch),
        params,
        split,
      ),
    };
    const bucket = states.get(target);
    if (bucket) bucket.push(entry);
    else states.set(target, [entry]);
  }
  // Within the horizon: who corresponded with each target.
  const truth = new Map<string, Set<string>>();
  for (const t of touches) {
    if (t.touch.at < split || t.touch.at >= end) continue;
    const target = targetOf(t.person);
    if (target === null) continue;
    const set = truth.get(target) ?? new Set<string>();
    set.add(t.userId);
    truth.set(target, set);
  }
  const out: EvalTarget[] = [];
  for (const [targetId, correspondents] of truth) {
    const pairs = states.get(targetId) ?? [];
    const byUser = group(pairs, (p) => p.userId);
    const kithKey = new Map<string, number>();
    const freqKey = new Map<string, number>();
    const recKey = new Map<string, number>();
    for (const [userId, ties] of byUser) {
      const raws = ties.map((t) => scoreStrength(t.state, split, params).raw);
      kithKey.set(
        userId,
        options.accountAggregation === "sum"
          ? 100 * (1 - raws.reduce((p, r) => p * (1 - r / 100), 1))
          : options.accountAggregation === "total"
            ? raws.reduce((a, r) => a + r, 0)
            : Math.max(...raws),
      );
      freqKey.set(
        userId,
        ties.reduce((n, t) => n + frequencyScore(t.state), 0),
      );
      recKey.set(userId, Math.max(...ties.map((t) => recencyScore(t.state))));
    }
    out.push({
      targetId,
      candidateCount: byUser.size,
      truth: correspondents,
      rankings: {
        kith: rankWithTies(kithKey),
        frequency: rankWithTies(freqKey),
        recency: rankWithTies(recKey),
      },
    });
  }
  return out.sort((a, b) => (a.targetId < b.targetId ? -1 : 1));
}
