/**
 * Connection strength between one internal user and one external person (SPEC §4.1).
 *
 * Model: every email or meeting between the two is a *touch* with a weight (by kind and direction),
 * damped by the number of people on it, and decayed exponentially with age. Two decay terms are
 * mixed: a fast one (half-life ~90 days: what the relationship is now) and a slow long-tail one
 * (half-life ~2 years: people who once worked closely stay findable). The decayed mass is mapped
 * to 0–100 by a saturating curve, and a reciprocity gate caps one-way relationships (mail only
 * sent, or only received, is not a relationship).
 *
 * Incremental: a `PairState` keeps counts, first/last instants and the decayed sums *as of the
 * latest touch* (`lastAt`). Folding a touch rescales or discounts one side, so `foldTouch` is O(1)
 * and, up to floating point, independent of order; `mergePairStates` combines partial states
 * (e.g. from monthly backfill batches). The sums are kept per kind × direction *before* weights,
 * so tenants can retune weights, saturation and the gate without recomputing; only the half-lives,
 * the damping rule and the group cap are baked in (see `accumulation`).
 *
 * All instants are epoch milliseconds.
 */
import { dayMs, isoDay } from "./time";

export const touchKinds = ["email", "meeting"] as const;
export type TouchKind = (typeof touchKinds)[number];
export const touchDirections = ["out", "in", "mutual"] as const;
/** out: the internal user wrote/invited; in: the external person did; mutual: a meeting attended together. */
export type TouchDirection = (typeof touchDirections)[number];

export interface Touch {
  at: number;
  kind: TouchKind;
  direction: TouchDirection;
  /** Participants on the message or meeting, both of the pair included (values below 2 count as 2). */
  groupSize: number;
}

export type GroupDamping = "inverse_sqrt" | "inverse_log" | "none";

export interface StrengthParams {
  halfLifeDays: number;
  longTailHalfLifeDays: number;
  /** Share (0–1) of the slow long-tail term in the decayed mass. */
  longTailShare: number;
  weights: Record<TouchKind, Record<TouchDirection, number>>;
  groupDamping: GroupDamping;
  /** Messages or meetings with more participants than this are ignored (counted as ignored only). */
  groupSizeCap: number;
  /** Decayed mass at which the score reaches 100·(1 − 1/e) ≈ 63. */
  saturation: number;
  /** Without any two-way exchange the score is multiplied by this factor (mail only sent)… */
  oneWayFactor: number;
  /**
   * …or by this one when the mail was only received: the outside person chose to write to this
   * colleague (noise filters have removed bulk mail), which says more than unanswered outreach.
   */
  inboundOnlyFactor: number;
  /** …and capped here (keep below 40 so that one-way mail is always "weak"). */
  oneWayCap: number;
}

export const defaultStrengthParams: StrengthParams = Object.freeze({
  halfLifeDays: 90,
  longTailHalfLifeDays: 730,
  longTailShare: 0.2,
  weights: Object.freeze({
    // Tuned on the Enron evaluation (README "Evaluation on real mail"): mail the outside person
    // wrote to a colleague predicts their next correspondence as well as mail the colleague wrote.
    email: Object.freeze({ out: 1, in: 1, mutual: 1 }),
    meeting: Object.freeze({ out: 2, in: 2, mutual: 3 }),
  }),
  // 1/(1 + ln(others)): a message to 10 people still counts 0.31 for each of them (1/√9 gave 0.33
  // at 10 but 0.14 at 50); milder damping ranked better on every Enron split.
  groupDamping: "inverse_log",
  groupSizeCap: 50,
  saturation: 8,
  oneWayFactor: 0.3,
  inboundOnlyFactor: 0.6,
  oneWayCap: 20,
});

/** Problems with tenant-tuned parameters, in words; empty when valid. */
export function checkStrengthParams(params: StrengthParams): string[] {
  const problems: string[] = [];
  const positive = (name: string, v: number) => {
    if (!(Number.isFinite(v) && v > 0)) problems.push(`${name} must be a positive number`);
  };
  positive("halfLifeDays", params.halfLifeDays);
  positive("longTailHalfLifeDays", params.longTailHalfLifeDays);
  positive("saturation", params.saturation);
  positive("groupSizeCap", params.groupSizeCap);
  if (!(params.longTailShare >= 0 && params.longTailShare <= 1))
    problems.push("longTailShare must be within 0–1");
  if (!(params.oneWayFactor >= 0 && params.oneWayFactor <= 1))
    problems.push("oneWayFactor must be within 0–1");
  if (!(params.inboundOnlyFactor >= 0 && params.inboundOnlyFactor <= 1))
    problems.push("inboundOnlyFactor must be within 0–1");
  if (!(params.oneWayCap >= 0 && params.oneWayCap <= 100)) problems.push("oneWayCap must be within 0–100");
  for (const kind of touchKinds) {
    for (const dir of touchDirections) {
      const w = params.weights[kind][dir];
      if (!(Number.isFinite(w) && w >= 0))
        problems.push(`weights.${kind}.${dir} must be a non-negative number`);
    }
  }
  if (params.weights.meeting.mutual <= params.weights.email.out) {
    problems.push("a meeting attended together must weigh more than a sent email");
  }
  if (params.weights.email.out < params.weights.email.in) {
    problems.push("a sent email must weigh at least as much as a received one");
  }
  return problems;
}

type Cells = Record<TouchKind, Record<TouchDirection, number>>;

/** JSON-safe incremental state of one (internal user, external person) pair. */
export interface PairState {
  /** The parameters baked into `fast`/`slow`; folding or scoring with other ones throws. */
  accumulation: string;
  /** Touches counted, by kind and direction (undamped). */
  counts: Cells;
  /** Touches ignored because more than `groupSizeCap` people were on them. */
  ignoredLargeGroup: number;
  /** Counted touches whose weight was reduced by group damping, and the sum of their factors. */
  dampedTouches: number;
  dampingSum: number;
  firstAt: number | null;
  /** Latest counted touch; also the reference instant of `fast` and `slow`. */
  lastAt: number | null;
  lastKind: TouchKind | null;
  firstOutAt: number | null;
  lastOutAt: number | null;
  firstInAt: number | null;
  lastInAt: number | null;
  lastMutualAt: number | null;
  /** Σ damping·2^(−(lastAt − at)/halfLife) per cell, i.e. the decayed sums as of `lastAt`. */
  fast: Cells;
  /** The same with the long-tail half-life. */
  slow: Cells;
}

function zeroCells(): Cells {
  return { email: { out: 0, in: 0, mutual: 0 }, meeting: { out: 0, in: 0, mutual: 0 } };
}

function copyCells(c: Cells): Cells {
  return { email: { ...c.email }, meeting: { ...c.meeting } };
}

/** The last key built and what it was built from: every new state asks, with the same parameters. */
let lastKey = { h: Number.NaN, H: Number.NaN, d: "", cap: Number.NaN, key: "" };

export function accumulationKey(params: StrengthParams): string {
  const { halfLifeDays: h, longTailHalfLifeDays: H, groupDamping: d, groupSizeCap: cap } = params;
  if (h !== lastKey.h || H !== lastKey.H || d !== lastKey.d || cap !== lastKey.cap)
    lastKey = { h, H, d, cap, key: `h=${h};H=${H};d=${d};cap=${cap}` };
  return lastKey.key;
}

export function emptyPairState(params: StrengthParams = defaultStrengthParams): PairState {
  return {
    accumulation: accumulationKey(params),
    counts: zeroCells(),
    ignoredLargeGroup: 0,
    dampedTouches: 0,
    dampingSum: 0,
    firstAt: null,
    lastAt: null,
    lastKind: null,
    firstOutAt: null,
    lastOutAt: null,
    firstInAt: null,
    lastInAt: null,
    lastMutualAt: null,
    fast: zeroCells(),
    slow: zeroCells(),
  };
}

function clonePairState(s: PairState): PairState {
  return { ...s, counts: copyCells(s.counts), fast: copyCells(s.fast), slow: copyCells(s.slow) };
}

function assertAccumulation(state: PairState, params: StrengthParams): void {
  const key = accumulationKey(params);
  if (state.accumulation !== key) {
    throw new Error(`pair state was accumulated with ${state.accumulation}, not ${key}: rebuild it`);
  }
}

/** Weight multiplier for a message or meeting with `groupSize` participants (1 for a 1:1). */
export function groupDampingFactor(groupSize: number, mode: GroupDamping): number {
  const others = Math.max(1, groupSize - 1);
  switch (mode) {
    case "none":
      return 1;
    case "inverse_sqrt":
      return 1 / Math.sqrt(others);
    case "inverse_log":
      return 1 / (1 + Math.log(others));
  }
}

const minOf = (a: number | null, b: number | null): number | null =>
  a === null ? b : b === null ? a : Math.min(a, b);
const maxOf = (a: number | null, b: number | null): number | null =>
  a === null ? b : b === null ? a : Math.max(a, b);

const decay = (ageMs: number, halfLifeDays: number): number => Math.pow(2, -ageMs / (halfLifeDays * dayMs));

function scaleCells(c: Cells, factor: number): void {
  c.email.out *= factor;
  c.email.in *= factor;
  c.email.mutual *= factor;
  c.meeting.out *= factor;
  c.meeting.in *= factor;
  c.meeting.mutual *= factor;
}

/** out = a + b, cell by cell. */
function addCellsInto(out: Cells, a: Cells, b: Cells): void {
  out.email.out = a.email.out + b.email.out;
  out.email.in = a.email.in + b.email.in;
  out.email.mutual = a.email.mutual + b.email.mutual;
  out.meeting.out = a.meeting.out + b.meeting.out;
  out.meeting.in = a.meeting.in + b.meeting.in;
  out.meeting.mutual = a.meeting.mutual + b.meeting.mutual;
}

/** out += c · factor, cell by cell. */
function addDecayedCells(out: Cells, c: Cells, factor: number): void {
  out.email.out += c.email.out * factor;
  out.email.in += c.email.in * factor;
  out.email.mutual += c.email.mutual * factor;
  out.meeting.out += c.meeting.out * factor;
  out.meeting.in += c.meeting.in * factor;
  out.meeting.mutual += c.meeting.mutual * factor;
}

/** Applies a touch to a state the caller owns (used by foldTouch on a copy and by buildPairState). */
function applyTouch(s: PairState, touch: Touch, params: StrengthParams): void {
  if (!Number.isFinite(touch.at)) throw new RangeError("touch.at must be a finite epoch-ms instant");
  const size = Math.max(2, Number.isFinite(touch.groupSize) ? touch.groupSize : 2);
  if (size > params.groupSizeCap) {
    s.ignoredLargeGroup += 1;
    return;
  }
  const damping = groupDampingFactor(size, params.groupDamping);
  s.counts[touch.kind][touch.direction] += 1;
  s.dampingSum += damping;
  if (damping < 1) s.dampedTouches += 1;

  if (s.lastAt === null || touch.at > s.lastAt) {
    // The new touch becomes the reference instant: age the existing sums to it.
    if (s.lastAt !== null) {
      scaleCells(s.fast, decay(touch.at - s.lastAt, params.halfLifeDays));
      scaleCells(s.slow, decay(touch.at - s.lastAt, params.longTailHalfLifeDays));
    }
    s.fast[touch.kind][touch.direction] += damping;
    s.slow[touch.kind][touch.direction] += damping;
    s.lastAt = touch.at;
    s.lastKind = touch.kind;
  } else {
    s.fast[touch.kind][touch.direction] += damping * decay(s.lastAt - touch.at, params.halfLifeDays);
    s.slow[touch.kind][touch.direction] += damping * decay(s.lastAt - touch.at, params.longTailHalfLifeDays);
    // Equal instants: a meeting wins, so the last kind does not depend on folding order.
    if (touch.at === s.lastAt && touch.kind === "meeting") s.lastKind = "meeting";
  }
  s.firstAt = minOf(s.firstAt, touch.at);
  if (touch.direction === "out") {
    s.firstOutAt = minOf(s.firstOutAt, touch.at);
    s.lastOutAt = maxOf(s.lastOutAt, touch.at);
  } else if (touch.direction === "in") {
    s.firstInAt = minOf(s.firstInAt, touch.at);
    s.lastInAt = maxOf(s.lastInAt, touch.at);
  } else {
    s.lastMutualAt = maxOf(s.lastMutualAt, touch.at);
  }
}

/** Returns a new state with `touch` folded in (the input is not modified). O(1). */
export function foldTouch(
  state: PairState,
  touch: Touch,
  params: StrengthParams = defaultStrengthParams,
): PairState {
  assertAccumulation(state, params);
  const next = clonePairState(state);
  applyTouch(next, touch, params);
  return next;
}

/**
 * Builds a state from many touches in one pass. Touches after `until` (epoch ms) are skipped:
 * the way to evaluate "as of a split date" exactly.
 */
export function buildPairState(
  touches: Iterable<Touch>,
  params: StrengthParams = defaultStrengthParams,
  until: number = Number.POSITIVE_INFINITY,
): PairState {
  const s = emptyPairState(params);
  for (const t of touches) if (t.at <= until) applyTouch(s, t, params);
  return s;
}

/** Combines two states of the same pair (e.g. from two backfill batches); commutative. */
export function mergePairStates(
  a: PairState,
  b: PairState,
  params: StrengthParams = defaultStrengthParams,
): PairState {
  assertAccumulation(a, params);
  assertAccumulation(b, params);
  const out = emptyPairState(params);
  const ref = maxOf(a.lastAt, b.lastAt);
  addCellsInto(out.counts, a.counts, b.counts);
  // Each cell gets a's decayed sum, then b's; a part's decay to `ref` is the same for every cell, so
  // it is computed once per part (the ingest merge runs this for every pair met in two chunks).
  for (const part of [a, b]) {
    if (part.lastAt === null || ref === null) continue;
    addDecayedCells(out.fast, part.fast, decay(ref - part.lastAt, params.halfLifeDays));
    addDecayedCells(out.slow, part.slow, decay(ref - part.lastAt, params.longTailHalfLifeDays));
  }
  out.ignoredLargeGroup = a.ignoredLargeGroup + b.ignoredLargeGroup;
  out.dampedTouches = a.dampedTouches + b.dampedTouches;
  out.dampingSum = a.dampingSum + b.dampingSum;
  out.firstAt = minOf(a.firstAt, b.firstAt);
  out.lastAt = ref;
  if (a.lastAt !== null && a.lastAt === ref) out.lastKind = a.lastKind;
  if (b.lastAt !== null && b.lastAt === ref && (out.lastKind === null || b.lastKind === "meeting")) {
    out.lastKind = b.lastKind;
  }
  out.firstOutAt = minOf(a.firstOutAt, b.firstOutAt);
  out.lastOutAt = maxOf(a.lastOutAt, b.lastOutAt);
  out.firstInAt = minOf(a.firstInAt, b.firstInAt);
  out.lastInAt = maxOf(a.lastInAt, b.lastInAt);
  out.lastMutualAt = maxOf(a.lastMutualAt, b.lastMutualAt);
  return out;
}

/**
 * The latest instant at which the relationship was two-way: a meeting attended together, or a
 * touch in one direction preceded (or matched) by one in the other. Derived from first/last per
 * direction, so it is order-independent: the latest `out` has an earlier `in` iff firstIn ≤ lastOut.
 */
export function lastTwoWayExchange(s: PairState): number | null {
  let best = s.lastMutualAt;
  if (s.lastOutAt !== null && s.firstInAt !== null && s.firstInAt <= s.lastOutAt)
    best = maxOf(best, s.lastOutAt);
  if (s.lastInAt !== null && s.firstOutAt !== null && s.firstOutAt <= s.lastInAt)
    best = maxOf(best, s.lastInAt);
  return best;
}

export type StrengthLabel = "strong" | "moderate" | "weak";

export function labelForScore(score: number): StrengthLabel {
  if (score >= 70) return "strong";
  if (score >= 40) return "moderate";
  return "weak";
}

export interface StrengthFactors {
  emails: { sent: number; received: number; total: number };
  meetings: { together: number; organisedByUser: number; organisedByPerson: number; total: number };
  firstInteraction: number | null;
  lastInteraction: { at: number; kind: TouchKind } | null;
  lastTwoWayExchange: number | null;
  groupDamping: {
    mode: GroupDamping;
    /** Counted touches whose weight was reduced because several people were on them. */
    dampedTouches: number;
    /** Mean damping factor over counted touches (1 = all one-to-one). */
    meanFactor: number;
    ignoredAboveCap: number;
    cap: number;
  };
  decay: {
    halfLifeDays: number;
    longTailHalfLifeDays: number;
    /** Days from the last interaction to `asOf` (0 when the state holds newer touches). */
    daysSinceLast: number | null;
    /** 2^(−daysSinceLast/halfLife): how much of the recent mass is left. */
    recencyFactor: number;
  };
  /** Weighted, damped, decayed interaction mass as of `asOf`. */
  mass: number;
  reciprocity: { twoWay: boolean; gated: boolean; factor: number; cap: number };
  /** The state holds touches later than `asOf`: they count, undecayed (see scoreStrength). */
  touchesAfterAsOf: boolean;
}

export interface StrengthResult {
  /** Integer 0–100. */
  score: number;
  label: StrengthLabel;
  /** The unrounded score, for deterministic tie-breaking. */
  raw: number;
  factors: StrengthFactors;
}

const sumCells = (c: Record<TouchDirection, number>): number => c.out + c.in + c.mutual;

/**
 * The unrounded 0–100 strength of `state` as of `asOf`: `scoreStrength(...).raw`, without the
 * explanation's factors (what a caller ranking many states, such as intro paths, needs).
 */
export function strengthRaw(
  state: PairState,
  asOf: number,
  params: StrengthParams = defaultStrengthParams,
): number {
  return strengthParts(state, asOf, params).raw;
}

function strengthParts(state: PairState, asOf: number, params: StrengthParams) {
  assertAccumulation(state, params);
  const age = state.lastAt === null ? null : Math.max(0, asOf - state.lastAt);
  const fastFactor = age === null ? 0 : decay(age, params.halfLifeDays);
  const slowFactor = age === null ? 0 : decay(age, params.longTailHalfLifeDays);
  let mass = 0;
  for (const kind of touchKinds) {
    for (const dir of touchDirections) {
      const w = params.weights[kind][dir];
      mass +=
        w *
        ((1 - params.longTailShare) * state.fast[kind][dir] * fastFactor +
          params.longTailShare * state.slow[kind][dir] * slowFactor);
    }
  }
  let raw = 100 * (1 - Math.exp(-mass / params.saturation));
  const twoWayAt = lastTwoWayExchange(state);
  const twoWay = twoWayAt !== null;
  // One-way: scaled by the factor and bounded by the cap smoothly (cap·tanh(x/cap) ≈ x below the
  // cap and never reaches it), so more one-way mail still ranks above less instead of tying at the cap.
  const inboundOnly = !twoWay && state.lastOutAt === null && state.lastInAt !== null;
  const gateFactor = inboundOnly ? params.inboundOnlyFactor : params.oneWayFactor;
  if (!twoWay)
    raw = params.oneWayCap === 0 ? 0 : params.oneWayCap * Math.tanh((raw * gateFactor) / params.oneWayCap);
  return { raw, age, fastFactor, mass, twoWayAt, twoWay, gateFactor };
}

/**
 * Scores a pair as of `asOf` (epoch ms).
 *
 * Touches after `asOf`: a state cannot forget touches, so if it holds any (lastAt > asOf) they are
 * counted as if they happened at `asOf` (no decay is applied, and the clock is never run backwards,
 * which would inflate the mass) and `factors.touchesAfterAsOf` is set. For exact evaluation at a
 * split date, build the state with `buildPairState(touches, params, splitAt)`.
 */
export function scoreStrength(
  state: PairState,
  asOf: number,
  params: StrengthParams = defaultStrengthParams,
): StrengthResult {
  const { raw, age, fastFactor, mass, twoWayAt, twoWay, gateFactor } = strengthParts(state, asOf, params);
  const score = Math.round(raw);
  const counted = touchKinds.reduce((n, k) => n + sumCells(state.counts[k]), 0);
  return {
    score,
    label: labelForScore(score),
    raw,
    factors: {
      emails: {
        sent: state.counts.email.out,
        received: state.counts.email.in,
        total: sumCells(state.counts.email),
      },
      meetings: {
        together: state.counts.meeting.mutual,
        organisedByUser: state.counts.meeting.out,
        organisedByPerson: state.counts.meeting.in,
        total: sumCells(state.counts.meeting),
      },
      firstInteraction: state.firstAt,
      lastInteraction:
        state.lastAt === null || state.lastKind === null ? null : { at: state.lastAt, kind: state.lastKind },
      lastTwoWayExchange: twoWayAt,
      groupDamping: {
        mode: params.groupDamping,
        dampedTouches: state.dampedTouches,
        meanFactor: counted === 0 ? 1 : state.dampingSum / counted,
        ignoredAboveCap: state.ignoredLargeGroup,
        cap: params.groupSizeCap,
      },
      decay: {
        halfLifeDays: params.halfLifeDays,
        longTailHalfLifeDays: params.longTailHalfLifeDays,
        daysSinceLast: age === null ? null : age / dayMs,
        recencyFactor: fastFactor,
      },
      mass,
      reciprocity: {
        twoWay,
        gated: !twoWay && counted > 0,
        factor: gateFactor,
        cap: params.oneWayCap,
      },
      touchesAfterAsOf: state.lastAt !== null && state.lastAt > asOf,
    },
  };
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The span between two instants in words: "3 days", "14 months", "2 years". */
export function describeSpan(fromMs: number, toMs: number): string {
  const days = Math.max(0, (toMs - fromMs) / dayMs);
  if (days < 1) return "one day";
  if (days < 60) return plural(Math.round(days), "day");
  const months = Math.round(days / 30.44);
  if (months < 24) return plural(months, "month");
  return plural(Math.round(days / 365.25), "year");
}

/**
 * One sentence saying why: "12 emails (7 sent, 5 received) and 2 meetings over 14 months; last
 * two-way exchange 2024-03-02".
 */
export function explainStrength(result: StrengthResult): string {
  const f = result.factors;
  if (f.lastInteraction === null || f.firstInteraction === null) {
    return f.groupDamping.ignoredAboveCap > 0
      ? `Only large distributions (over ${f.groupDamping.cap} people) in common`
      : "No interactions";
  }
  const parts: string[] = [];
  if (f.emails.total > 0) {
    parts.push(`${plural(f.emails.total, "email")} (${f.emails.sent} sent, ${f.emails.received} received)`);
  }
  if (f.meetings.total > 0) parts.push(plural(f.meetings.total, "meeting"));
  const what = parts.join(" and ");
  const span =
    f.firstInteraction === f.lastInteraction.at
      ? `on ${isoDay(f.firstInteraction)}`
      : `over ${describeSpan(f.firstInteraction, f.lastInteraction.at)}`;
  const twoWay =
    f.lastTwoWayExchange === null
      ? "no two-way exchange yet"
      : `last two-way exchange ${isoDay(f.lastTwoWayExchange)}`;
  return `${what} ${span}; ${twoWay}`;
}

/**
 * Baseline for evaluation: the reference's basic mode, the number of interactions (counted
 * touches, i.e. after the same large-distribution cap as the model, so only the scoring differs).
 */
export function frequencyScore(state: PairState): number {
  return touchKinds.reduce((n, k) => n + sumCells(state.counts[k]), 0);
}

/** Baseline for evaluation: the instant of the last interaction (−∞ for none). */
export function recencyScore(state: PairState): number {
  return state.lastAt ?? Number.NEGATIVE_INFINITY;
}
