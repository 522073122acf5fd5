/**
 * My network (SPEC §4.6): one user's own strongest ties, fading relationships and response
 * times, from that user's own data, for that user's eyes only (the consent policy decides who may
 * call this; nothing here names anyone but the user's own correspondents).
 */
import {
  defaultStrengthParams,
  explainStrength,
  scoreStrength,
  type PairState,
  type StrengthLabel,
  type StrengthParams,
} from "./strength";
import { analyseTurns, type TurnMessage } from "./threads";
import { dayMs, mean, median } from "./time";

export interface Tie {
  /** The other person's key (normalised address). */
  personId: string;
  name?: string;
  state: PairState;
  /**
   * The pair as it stood `lookbackDays` ago (built with buildPairState(touches, params, then)).
   * Without it, the past score is known only when nothing happened since then.
   */
  stateThen?: PairState;
}

export interface TieScore {
  personId: string;
  name?: string;
  score: number;
  label: StrengthLabel;
  lastInteraction: number | null;
  explanation: string;
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The user's strongest ties, strongest first (ties by unrounded score, then person). */
export function strongestTies(
  ties: readonly Tie[],
  asOf: number,
  params: StrengthParams = defaultStrengthParams,
  limit = 10,
): TieScore[] {
  return ties
    .map((t) => ({ t, s: scoreStrength(t.state, asOf, params) }))
    .filter((x) => x.s.score > 0)
    .sort((a, b) => b.s.raw - a.s.raw || byId(a.t.personId, b.t.personId))
    .slice(0, Math.max(0, limit))
    .map(({ t, s }) => ({
      personId: t.personId,
      ...(t.name === undefined ? {} : { name: t.name }),
      score: s.score,
      label: s.label,
      lastInteraction: s.factors.lastInteraction?.at ?? null,
      explanation: explainStrength(s),
    }));
}

export interface FadingTie extends TieScore {
  scoreThen: number;
  drop: number;
}

/**
 * Relationships whose strength fell by at least `minDrop` points compared with `lookbackDays`
 * ago, biggest drop first. The past score comes from `stateThen`, or from `state` itself when its
 * last touch is no later than then (nothing has happened since, so the state is the past state).
 */
export function fadingRelationships(
  ties: readonly Tie[],
  asOf: number,
  params: StrengthParams = defaultStrengthParams,
  options: { lookbackDays?: number; minDrop?: number; limit?: number } = {},
): FadingTie[] {
  const { lookbackDays = 90, minDrop = 15, limit = 10 } = options;
  const then = asOf - lookbackDays * dayMs;
  const out: FadingTie[] = [];
  for (const t of ties) {
    const past = t.stateThen ?? (t.state.lastAt !== null && t.state.lastAt <= then ? t.state : null);
    if (past === null) continue;
    const before = scoreStrength(past, then, params);
    const now = scoreStrength(t.state, asOf, params);
    const drop = before.score - now.score;
    if (drop < minDrop) continue;
    out.push({
      personId: t.personId,
      ...(t.name === undefined ? {} : { name: t.name }),
      score: now.score,
      label: now.label,
      lastInteraction: now.factors.lastInteraction?.at ?? null,
      explanation: `${explainStrength(now)}; down from ${before.score} ${lookbackDays} days ago`,
      scoreThen: before.score,
      drop,
    });
  }
  return out.sort((a, b) => b.drop - a.drop || byId(a.personId, b.personId)).slice(0, Math.max(0, limit));
}

export interface MyEmail {
  threadKey: string;
  at: number;
  /** out: the user sent it; in: the user received it. */
  direction: "out" | "in";
  /** The other person on the exchange (sender of an incoming mail, main recipient of an outgoing one). */
  counterpart: string;
}

export interface ResponseFigures {
  replies: number;
  averageHours: number | null;
  medianHours: number | null;
  /** Share of turns answered; null when there was nothing to answer. */
  rate: number | null;
}

export interface MyResponseTimes {
  /** How fast the user answers others. */
  mine: ResponseFigures;
  /** How fast others answer the user. */
  theirs: ResponseFigures;
  /** People who take longest to answer the user (median hours, at least 2 replies), slowest first. */
  slowestToAnswerMe: { personId: string; medianHours: number; replies: number }[];
}

/** First-response times both ways over the user's own threads (see threads.ts for turns). */
export function myResponseTimes(emails: readonly MyEmail[], now: number, limit = 5): MyResponseTimes {
  const messages: TurnMessage[] = emails.map((e) => ({
    threadKey: e.threadKey,
    at: e.at,
    side: e.direction === "out" ? "ours" : "theirs",
    sender: e.direction === "in" ? e.counterpart : null,
  }));
  const turns = analyseTurns(messages, now);
  const figures = (by: "ours" | "theirs"): ResponseFigures => {
    const hours = turns.responses.filter((r) => r.by === by).map((r) => r.hours);
    const asked = by === "ours" ? "theirs" : "ours";
    return {
      replies: hours.length,
      averageHours: mean(hours),
      medianHours: hours.length === 0 ? null : median(hours),
      rate: turns.turns[asked] === 0 ? null : turns.answered[asked] / turns.turns[asked],
    };
  };
  const perPerson = new Map<string, number[]>();
  for (const r of turns.responses) {
    if (r.by !== "theirs" || r.responder === null) continue;
    const list = perPerson.get(r.responder);
    if (list) list.push(r.hours);
    else perPerson.set(r.responder, [r.hours]);
  }
  const slowest = [...perPerson.entries()]
    .filter(([, h]) => h.length >= 2)
    .map(([personId, h]) => ({ personId, medianHours: median(h), replies: h.length }))
    .sort((a, b) => b.medianHours - a.medianHours || byId(a.personId, b.personId))
    .slice(0, Math.max(0, limit));
  return { mine: figures("ours"), theirs: figures("theirs"), slowestToAnswerMe: slowest };
}
