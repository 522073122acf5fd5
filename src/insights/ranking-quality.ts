/**
 * Ranking quality of one ranked list against the colleagues who really corresponded: hit@1, hit@5
 * and reciprocal rank within the first 5 places, in exact expectation over the order inside tie
 * groups. Shared by the tenant's strength fit (strength-fit.ts) and `kith eval`.
 */
export interface PerTarget {
  hit1: number;
  hit5: number;
  mrr: number;
  covered: number;
}

/** Ranked colleague ids, best first; an inner array is a group of colleagues tied at that place. */
export type Ranking = readonly (string | readonly string[])[];

/** Only the first `listed` places count (who-knows-whom shows 5 introducers). */
const listed = 5;

/**
 * Metrics of one ranking against the truth, in expectation over the order inside tie groups: with
 * `t` true colleagues in a group of `g` starting after place `p`, the first true one lands on
 * place p + j with probability C(g − j, t − 1) / C(g, t).
 */
export function scoreRanking(ranking: Ranking, truth: ReadonlySet<string>): PerTarget {
  const out: PerTarget = { hit1: 0, hit5: 0, mrr: 0, covered: ranking.length > 0 ? 1 : 0 };
  let before = 0;
  for (const entry of ranking) {
    if (before >= listed) break;
    const group = typeof entry === "string" ? [entry] : entry;
    const g = group.length;
    const t = group.filter((id) => truth.has(id)).length;
    if (t === 0) {
      before += g;
      continue;
    }
    let p = t / g;
    for (let j = 1; j <= g - t + 1 && before + j <= listed; j++) {
      const place = before + j;
      if (place === 1) out.hit1 += p;
      out.hit5 += p;
      out.mrr += p / place;
      p *= (g - j - t + 1) / (g - j);
    }
    break;
  }
  return out;
}

/**
 * Ranks colleagues by a comparator (negative: the first goes first; 0: a true tie), as tie groups
 * of consecutive equal entries, until `limit` colleagues are listed. Ids only order the sort's
 * input; they never decide a place.
 */
export function rankByOrder<K>(
  entries: readonly (readonly [string, K])[],
  compare: (a: K, b: K) => number,
  limit = 5,
): Ranking {
  const sorted = [...entries].sort((a, b) => compare(a[1], b[1]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: (string | string[])[] = [];
  let listed = 0;
  for (let i = 0; i < sorted.length && listed < limit;) {
    let j = i + 1;
    while (j < sorted.length && compare(sorted[i]![1], sorted[j]![1]) === 0) j++;
    const ids = sorted.slice(i, j).map(([id]) => id);
    out.push(ids.length === 1 ? ids[0]! : ids);
    listed += ids.length;
    i = j;
  }
  return out;
}
