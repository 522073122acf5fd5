/**
 * Who knows whom (SPEC §4.2): rank colleagues as introducers to an external person, to anyone at
 * an account, and two-hop intro paths through the internal graph.
 *
 * Consent filtering (opted-out users, users hidden as introducers, the viewer) is the consent
 * policy's job and happens before; `exclude` is a second guard for callers that hold ids only.
 */
import {
  defaultStrengthParams,
  describeSpan,
  explainStrength,
  labelForScore,
  scoreStrength,
  type PairState,
  type StrengthLabel,
  type StrengthParams,
  type StrengthResult,
  type TouchKind,
} from "./strength";
import { isoDay } from "./time";

export const defaultIntroducerLimit = 5;

export interface IntroducerCandidate {
  userId: string;
  name: string;
  email: string;
  state: PairState;
}

/**
 * How an introducer knows the person. `direct`: mail or meetings Kith counts towards strength.
 * `bulk`: only mail Kith keeps out of strength (sent to more people than the large-distribution
 * cap): listed, labelled weak, only when nobody has direct evidence — never above it.
 */
export type EvidenceTier = "direct" | "bulk";

export interface Introducer {
  userId: string;
  name: string;
  email: string;
  score: number;
  label: StrengthLabel;
  evidence: EvidenceTier;
  lastInteraction: { at: number; kind: TouchKind } | null;
  explanation: string;
  strength: StrengthResult;
}

/** What the documented introducer order reads (see `compareEvidence`). */
export interface EvidenceKey {
  evidence: EvidenceTier;
  /** The score shown (integer 0–100). */
  score: number;
  twoWay: boolean;
  lastAt: number | null;
  /** Interactions counted. */
  count: number;
  /** The unrounded score. */
  raw: number;
}

export function evidenceKeyOf(strength: StrengthResult, evidence: EvidenceTier = "direct"): EvidenceKey {
  const f = strength.factors;
  return {
    evidence,
    score: strength.score,
    twoWay: f.reciprocity.twoWay,
    lastAt: f.lastInteraction?.at ?? null,
    count: f.emails.total + f.meetings.total,
    raw: strength.raw,
  };
}

/**
 * The order of introducers (who-knows-whom and `kith eval` use the same one): direct evidence
 * before bulk evidence; then the score shown; ties in the score are broken by reciprocity (a
 * two-way exchange first), then recency (the latest interaction first), then the number of
 * interactions, then the unrounded score. 0 means a true tie (the caller decides: the product
 * orders those by name and address, never by store order; the evaluation keeps them as ties).
 */
export function compareEvidence(a: EvidenceKey, b: EvidenceKey): number {
  if (a.evidence !== b.evidence) return a.evidence === "direct" ? -1 : 1;
  if (a.score !== b.score) return b.score - a.score;
  if (a.twoWay !== b.twoWay) return a.twoWay ? -1 : 1;
  const la = a.lastAt ?? Number.NEGATIVE_INFINITY;
  const lb = b.lastAt ?? Number.NEGATIVE_INFINITY;
  if (la !== lb) return lb > la ? 1 : -1;
  if (a.count !== b.count) return b.count - a.count;
  if (Math.abs(a.raw - b.raw) > 1e-9 * Math.max(Math.abs(a.raw), Math.abs(b.raw))) return b.raw - a.raw;
  return 0;
}

const byText = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

/** `compareEvidence`, then name, then address: a total order that never depends on ids or storage. */
function compareIntroducers(a: Introducer, b: Introducer): number {
  return (
    compareEvidence(evidenceKeyOf(a.strength, a.evidence), evidenceKeyOf(b.strength, b.evidence)) ||
    byText(a.name, b.name) ||
    byText(a.email, b.email) ||
    byText(a.userId, b.userId)
  );
}

/**
 * Up to `limit` introducers to one external person, in the order of `compareEvidence`. Every
 * candidate with a counted interaction is one, however weak (a score that rounds to 0 is still
 * evidence); a state holding only large distributions is not (see `rankBulkIntroducers`). A user
 * listed twice keeps the stronger entry.
 */
export function rankIntroducers(
  candidates: readonly IntroducerCandidate[],
  asOf: number,
  params: StrengthParams = defaultStrengthParams,
  limit: number = defaultIntroducerLimit,
  exclude: ReadonlySet<string> = new Set(),
): Introducer[] {
  const best = new Map<string, Introducer>();
  for (const c of candidates) {
    if (exclude.has(c.userId)) continue;
    const strength = scoreStrength(c.state, asOf, params);
    if (strength.factors.lastInteraction === null) continue;
    const intro: Introducer = {
      userId: c.userId,
      name: c.name,
      email: c.email,
      score: strength.score,
      label: strength.label,
      evidence: "direct",
      lastInteraction: strength.factors.lastInteraction,
      explanation: explainStrength(strength),
      strength,
    };
    const seen = best.get(c.userId);
    if (seen === undefined || compareIntroducers(intro, seen) < 0) best.set(c.userId, intro);
  }
  return [...best.values()].sort(compareIntroducers).slice(0, Math.max(0, limit));
}

/**
 * A relationship is dormant when its last counted interaction is older than this (days before
 * `asOf`): the strength has decayed towards 0, but the colleague did know the person. Dormant
 * introducers are listed as such, below every current one, never as "nobody knows".
 */
export const dormantAfterDays = 365;

export interface DormantIntroducer extends Introducer {
  /** The strength as of the last interaction: how well they knew each other then. */
  peak: { score: number; label: StrengthLabel };
}

export interface CurrentAndDormant {
  /** Last interaction within `dormantAfterDays`: in the order of `compareEvidence`, up to `limit`. */
  current: Introducer[];
  /** Older ties: the strongest they were first, then the latest, then name; up to `limit`. */
  dormant: DormantIntroducer[];
}

/**
 * `rankIntroducers`, split by recency: current introducers first, then dormant ones (last counted
 * interaction more than `afterDays` before `asOf`), each dormant one with the strength it had at
 * its last interaction and the date, so an old relationship reads as old, not as none.
 */
export function rankCurrentAndDormant(
  candidates: readonly IntroducerCandidate[],
  asOf: number,
  params: StrengthParams = defaultStrengthParams,
  limit: number = defaultIntroducerLimit,
  exclude: ReadonlySet<string> = new Set(),
  afterDays: number = dormantAfterDays,
): CurrentAndDormant {
  const all = rankIntroducers(candidates, asOf, params, Number.POSITIVE_INFINITY, exclude);
  const cutoff = asOf - afterDays * 86_400_000;
  const states = new Map<string, PairState>();
  for (const c of candidates) {
    const seen = states.get(c.userId);
    if (seen === undefined || (c.state.lastAt ?? 0) > (seen.lastAt ?? 0)) states.set(c.userId, c.state);
  }
  const current: Introducer[] = [];
  const dormant: DormantIntroducer[] = [];
  for (const i of all) {
    const last = i.lastInteraction;
    if (last === null || last.at >= cutoff) {
      current.push(i);
      continue;
    }
    const state = states.get(i.userId);
    const then = state ? scoreStrength(state, last.at, params) : i.strength;
    dormant.push({
      ...i,
      peak: { score: then.score, label: then.label },
      explanation: `Dormant: no contact for ${describeSpan(last.at, asOf)} (last ${isoDay(last.at)}); ${then.label} (${then.score}) then. ${i.explanation}`,
    });
  }
  dormant.sort(
    (a, b) =>
      b.peak.score - a.peak.score ||
      (b.lastInteraction?.at ?? 0) - (a.lastInteraction?.at ?? 0) ||
      compareIntroducers(a, b),
  );
  const n = Math.max(0, limit);
  return { current: current.slice(0, n), dormant: dormant.slice(0, n) };
}

/**
 * The strength parameters for bulk evidence: the tenant's, without the large-distribution cap
 * (group damping still discounts a message to 200 people to 0.16 of a one-to-one). Bulk states
 * are built and scored with these, never mixed with direct ones.
 */
export function bulkEvidenceParams(params: StrengthParams): StrengthParams {
  return { ...params, groupSizeCap: Number.POSITIVE_INFINITY };
}

/** Bulk mail between a colleague and the person, in words: "Received their mail to 120 people …". */
export function explainBulkEvidence(strength: StrengthResult, largestGroup: number | null): string {
  const f = strength.factors;
  const n = f.emails.total + f.meetings.total;
  const size = largestGroup === null ? "many" : `up to ${largestGroup}`;
  const what =
    f.emails.received > 0 && f.emails.sent === 0
      ? `Received their mail to ${size} people`
      : f.emails.sent > 0 && f.emails.received === 0
        ? `Wrote to lists of ${size} people that included them`
        : `On mail or meetings of ${size} people with them`;
  const last = f.lastInteraction ? `, last ${isoDay(f.lastInteraction.at)}` : "";
  return `${what} (${n === 1 ? "1 message" : `${n} messages`}${last}); no direct exchange — a weak lead`;
}

export interface BulkCandidate extends IntroducerCandidate {
  /** The largest number of participants on any of the bulk messages (for the explanation). */
  largestGroup?: number;
}

/**
 * Colleagues whose only evidence is bulk mail (`state` built with `bulkEvidenceParams`), in the
 * order of `compareEvidence`, labelled weak (score at most 39). Callers ask for these only when
 * `rankIntroducers` found nobody, so they never stand above direct evidence.
 */
export function rankBulkIntroducers(
  candidates: readonly BulkCandidate[],
  asOf: number,
  params: StrengthParams = defaultStrengthParams,
  limit: number = defaultIntroducerLimit,
  exclude: ReadonlySet<string> = new Set(),
): Introducer[] {
  const bulkParams = bulkEvidenceParams(params);
  const best = new Map<string, Introducer>();
  for (const c of candidates) {
    if (exclude.has(c.userId)) continue;
    const scored = scoreStrength(c.state, asOf, bulkParams);
    if (scored.factors.lastInteraction === null) continue;
    const score = Math.min(39, scored.score);
    const strength: StrengthResult = { ...scored, score, label: "weak", raw: Math.min(39, scored.raw) };
    const intro: Introducer = {
      userId: c.userId,
      name: c.name,
      email: c.email,
      score,
      label: "weak",
      evidence: "bulk",
      lastInteraction: strength.factors.lastInteraction,
      explanation: explainBulkEvidence(strength, c.largestGroup ?? null),
      strength,
    };
    const seen = best.get(c.userId);
    if (seen === undefined || compareIntroducers(intro, seen) < 0) best.set(c.userId, intro);
  }
  return [...best.values()].sort(compareIntroducers).slice(0, Math.max(0, limit));
}

export interface AccountPersonTie {
  /** The external person's key (normalised address). */
  personId: string;
  name?: string;
  state: PairState;
}

export interface AccountIntroducerCandidate {
  userId: string;
  name: string;
  email: string;
  /** This colleague's ties to people at the account. */
  ties: readonly AccountPersonTie[];
}

/**
 * best: the colleague's strongest tie. sum: a saturating sum, 100·(1 − Π(1 − sᵢ/100)), so knowing
 * several people counts for more than one while staying within 0–100.
 */
export type AccountAggregation = "best" | "sum";

export interface AccountIntroducer {
  userId: string;
  name: string;
  email: string;
  score: number;
  label: StrengthLabel;
  /** People at the account this colleague knows, strongest first (at most 3 named). */
  knows: { personId: string; name?: string; score: number; label: StrengthLabel }[];
  /** How many people at the account this colleague knows in all. */
  peopleKnown: number;
  lastInteraction: { at: number; kind: TouchKind } | null;
  explanation: string;
}

/** Colleagues who know anyone at an account (SPEC §4.2 account view and intro paths). */
export function rankAccountIntroducers(
  candidates: readonly AccountIntroducerCandidate[],
  asOf: number,
  params: StrengthParams = defaultStrengthParams,
  options: {
    limit?: number;
    exclude?: ReadonlySet<string>;
    /** People to leave out, e.g. the target when looking for another way in. */
    excludePeople?: ReadonlySet<string>;
    aggregation?: AccountAggregation;
    accountName?: string;
  } = {},
): AccountIntroducer[] {
  const { limit = defaultIntroducerLimit, aggregation = "best" } = options;
  const exclude = options.exclude ?? new Set<string>();
  const excludePeople = options.excludePeople ?? new Set<string>();
  const out: (AccountIntroducer & { raw: number; key: EvidenceKey })[] = [];
  for (const c of candidates) {
    if (exclude.has(c.userId)) continue;
    const scored = c.ties
      .filter((t) => !excludePeople.has(t.personId))
      .map((t) => ({ tie: t, strength: scoreStrength(t.state, asOf, params) }))
      .filter((x) => x.strength.factors.lastInteraction !== null)
      .sort(
        (a, b) =>
          b.strength.raw - a.strength.raw ||
          (a.tie.personId < b.tie.personId ? -1 : a.tie.personId > b.tie.personId ? 1 : 0),
      );
    const top = scored[0];
    if (top === undefined) continue;
    const raw =
      aggregation === "best"
        ? top.strength.raw
        : 100 * (1 - scored.reduce((p, x) => p * (1 - x.strength.raw / 100), 1));
    const score = Math.round(raw);
    const key: EvidenceKey = {
      evidence: "direct",
      score,
      twoWay: scored.some((x) => x.strength.factors.reciprocity.twoWay),
      lastAt: null,
      count: scored.reduce(
        (n, x) => n + x.strength.factors.emails.total + x.strength.factors.meetings.total,
        0,
      ),
      raw,
    };
    let last: { at: number; kind: TouchKind } | null = null;
    for (const x of scored) {
      const li = x.strength.factors.lastInteraction;
      if (li && (last === null || li.at > last.at)) last = li;
    }
    const knows = scored.slice(0, 3).map((x) => ({
      personId: x.tie.personId,
      ...(x.tie.name === undefined ? {} : { name: x.tie.name }),
      score: x.strength.score,
      label: x.strength.label,
    }));
    const names = knows.map((k) => `${k.name ?? k.personId} (${k.label}, ${k.score})`).join(", ");
    const more = scored.length > knows.length ? ` and ${scored.length - knows.length} more` : "";
    const at = options.accountName ? ` at ${options.accountName}` : "";
    out.push({
      userId: c.userId,
      name: c.name,
      email: c.email,
      score,
      label: labelForScore(score),
      knows,
      peopleKnown: scored.length,
      lastInteraction: last,
      explanation: `Knows ${scored.length === 1 ? "1 person" : `${scored.length} people`}${at}: ${names}${more}`,
      raw,
      key: { ...key, lastAt: last?.at ?? null },
    });
  }
  // The documented order (compareEvidence) over the colleague's ties together: reciprocity is any
  // two-way tie, recency the latest interaction, the count all interactions; then name, address.
  out.sort(
    (a, b) =>
      compareEvidence(a.key, b.key) ||
      byText(a.name, b.name) ||
      byText(a.email, b.email) ||
      byText(a.userId, b.userId),
  );
  return out.slice(0, Math.max(0, limit)).map(({ raw: _raw, key: _key, ...rest }) => rest);
}

/**
 * Internal graph: strength 0–100 between colleagues, as scored from their internal pair states.
 * A tie may be stored in one direction only; lookups take the stronger of both directions.
 */
export type InternalGraph = ReadonlyMap<string, ReadonlyMap<string, number>>;

export interface IntroHop {
  from: string;
  to: string;
  score: number;
  label: StrengthLabel;
  explanation: string;
}

export interface IntroPath {
  /** viewer → [colleague →] introducer → target. */
  hops: IntroHop[];
  introducer: Introducer;
  /** Product of the hop strengths (each read as 0–1), times 100. */
  score: number;
  /** The weakest hop. */
  weakest: number;
}

function internalTie(graph: InternalGraph, a: string, b: string): number {
  return Math.max(graph.get(a)?.get(b) ?? 0, graph.get(b)?.get(a) ?? 0);
}

function hop(from: string, to: string, score: number, names: ReadonlyMap<string, string>): IntroHop {
  const label = labelForScore(score);
  return {
    from,
    to,
    score,
    label,
    explanation: `${names.get(from) ?? from} and ${names.get(to) ?? to} have a ${label} tie (${Math.round(score)})`,
  };
}

/**
 * Ways for `viewerId` to reach a target through colleagues: viewer → introducer (one internal hop)
 * or viewer → colleague → introducer (two), where the introducer knows the target (`introducers`,
 * from rankIntroducers or rankAccountIntroducers over all colleagues, not cut to 5). Paths are
 * ranked by the product of hop strengths, then the weakest hop, then ids.
 */
export function findIntroPaths(
  viewerId: string,
  introducers: readonly Introducer[],
  graph: InternalGraph,
  options: {
    limit?: number;
    exclude?: ReadonlySet<string>;
    names?: ReadonlyMap<string, string>;
    /** Key of the external person, used as the last hop's `to` (default "target"). */
    targetId?: string;
  } = {},
): IntroPath[] {
  const { limit = 3 } = options;
  const exclude = options.exclude ?? new Set<string>();
  const names = options.names ?? new Map<string, string>();
  const paths: IntroPath[] = [];
  const colleagues = new Set<string>();
  for (const [a, row] of graph) {
    colleagues.add(a);
    for (const b of row.keys()) colleagues.add(b);
  }
  for (const intro of introducers) {
    if (intro.userId === viewerId || exclude.has(intro.userId)) continue;
    const last: IntroHop = {
      from: intro.userId,
      to: options.targetId ?? "target",
      score: intro.score,
      label: intro.label,
      explanation: `${intro.name}: ${intro.explanation}`,
    };
    const direct = internalTie(graph, viewerId, intro.userId);
    if (direct > 0) {
      const hops = [hop(viewerId, intro.userId, direct, names), last];
      paths.push(makePath(hops, intro));
    }
    for (const middle of colleagues) {
      if (middle === viewerId || middle === intro.userId || exclude.has(middle)) continue;
      const first = internalTie(graph, viewerId, middle);
      if (first <= 0) continue;
      const second = internalTie(graph, middle, intro.userId);
      if (second <= 0) continue;
      paths.push(
        makePath(
          [hop(viewerId, middle, first, names), hop(middle, intro.userId, second, names), last],
          intro,
        ),
      );
    }
  }
  const key = (p: IntroPath) => p.hops.map((h) => h.to).join(">");
  paths.sort(
    (a, b) => b.score - a.score || b.weakest - a.weakest || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0),
  );
  return paths.slice(0, Math.max(0, limit));
}

function makePath(hops: IntroHop[], introducer: Introducer): IntroPath {
  const score = 100 * hops.reduce((p, h) => p * (h.score / 100), 1);
  const weakest = Math.min(...hops.map((h) => h.score));
  return { hops, introducer, score, weakest };
}
