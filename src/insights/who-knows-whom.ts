/**
 * Who knows whom (SPEC §4.2): rank colleagues as introducers to an external person, to anyone at
 * an account, and two-hop intro paths through the internal graph.
 *
 * Consent filtering (opted-out users, users hidden as introducers, the viewer) is the consent
 * policy's job and happens before; `exclude` is a second guard for callers that hold ids only.
 */
import {
  defaultStrengthParams,
  explainStrength,
  labelForScore,
  scoreStrength,
  type PairState,
  type StrengthLabel,
  type StrengthParams,
  type StrengthResult,
  type TouchKind,
} from "./strength";

export const defaultIntroducerLimit = 5;

export interface IntroducerCandidate {
  userId: string;
  name: string;
  email: string;
  state: PairState;
}

export interface Introducer {
  userId: string;
  name: string;
  email: string;
  score: number;
  label: StrengthLabel;
  lastInteraction: { at: number; kind: TouchKind } | null;
  explanation: string;
  strength: StrengthResult;
}

/** Strongest first; ties by unrounded score, then latest interaction, then user id (stable, total). */
function compareIntroducers(a: Introducer, b: Introducer): number {
  return (
    b.score - a.score ||
    b.strength.raw - a.strength.raw ||
    (b.lastInteraction?.at ?? -Infinity) - (a.lastInteraction?.at ?? -Infinity) ||
    (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0)
  );
}

/**
 * Up to `limit` introducers to one external person, strongest first. Candidates scoring 0 (e.g.
 * only large distributions in common) are not introducers. A user listed twice keeps the
 * stronger entry.
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
    if (strength.score <= 0) continue;
    const intro: Introducer = {
      userId: c.userId,
      name: c.name,
      email: c.email,
      score: strength.score,
      label: strength.label,
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
 * Generic ranking by any per-state key (higher first), ties by user id: how `kith eval` ranks the
 * same candidates with the baselines (`frequencyScore`, `recencyScore`) and with the model.
 * Candidates with a key ≤ `floor` are dropped.
 */
export function rankCandidatesBy(
  candidates: readonly { userId: string; state: PairState }[],
  key: (state: PairState) => number,
  limit: number = defaultIntroducerLimit,
  floor = Number.NEGATIVE_INFINITY,
): string[] {
  const bestKey = new Map<string, number>();
  for (const c of candidates) {
    const k = key(c.state);
    if (!(k > floor)) continue;
    const seen = bestKey.get(c.userId);
    if (seen === undefined || k > seen) bestKey.set(c.userId, k);
  }
  return [...bestKey.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, Math.max(0, limit))
    .map(([id]) => id);
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
  const out: (AccountIntroducer & { raw: number })[] = [];
  for (const c of candidates) {
    if (exclude.has(c.userId)) continue;
    const scored = c.ties
      .filter((t) => !excludePeople.has(t.personId))
      .map((t) => ({ tie: t, strength: scoreStrength(t.state, asOf, params) }))
      .filter((x) => x.strength.score > 0)
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
    });
  }
  out.sort(
    (a, b) => b.score - a.score || b.raw - a.raw || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0),
  );
  return out.slice(0, Math.max(0, limit)).map(({ raw: _raw, ...rest }) => rest);
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
