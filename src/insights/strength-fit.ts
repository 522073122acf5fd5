/**
 * Strength that fits itself to the tenant: choose the strength parameters by back-testing on the
 * tenant's own history, with no labels and no outside data.
 *
 * At a cut-off, each external person someone corresponded with in the following window (the
 * horizon) is a question: rank the colleagues who had interacted with them before the cut-off,
 * and score the ranking against those who really corresponded (MRR within the 5 places shown,
 * ties in expectation: `scoreRanking`). Only contested questions count (two candidates or more:
 * otherwise every ranking is the same).
 *
 * Windows, latest first: the report window ends at `asOf` (cut-off asOf − horizon); the choosing
 * windows are the `chooseWindows` horizons before it. A small grid of parameter sets (half-life,
 * direction weights, reciprocity gate, group-size discount, meeting weight) is scored on the
 * choosing windows only, pooled; the best one is adopted only if it beats the untuned parameters
 * there. The report window — never used to choose — then says how the adopted parameters, the
 * untuned ones and plain counting rank on later mail, which is what an administrator is shown.
 * A tenant with fewer than `minTargets` contested questions in the choosing windows keeps the
 * untuned parameters (`insufficient_history`).
 *
 * Pure and deterministic: the caller supplies the touches (as collected: large distributions
 * already left out) and the instant.
 */
import { compareEvidence, evidenceKeyOf } from "./who-knows-whom";
import { rankByOrder, scoreRanking, type Ranking } from "./ranking-quality";
import {
  buildPairState,
  checkStrengthParams,
  defaultStrengthParams,
  scoreStrength,
  type GroupDamping,
  type StrengthParams,
  type Touch,
} from "./strength";
import { dayMs } from "./time";

export interface FitTouch {
  person: string;
  userId: string;
  touch: Touch;
}

/** One grid point: the parameters it changes from the untuned ones. */
export interface StrengthFitChange {
  halfLifeDays: number;
  emailOutWeight: number;
  reciprocity: "strict" | "lenient";
  groupDamping: GroupDamping;
  meetingWeight: number;
}

export interface StrengthFitOptions {
  /** The end of the report window (the fit's "now"). */
  asOf: number;
  horizonDays?: number;
  chooseWindows?: number;
  /** Contested questions needed over the choosing windows; fewer keeps the untuned parameters. */
  minTargets?: number;
  /** The untuned parameters (the tenant's own settings); the grid changes only what it names. */
  base?: StrengthParams;
  grid?: readonly StrengthFitChange[];
}

export interface FitFigures {
  /** Contested questions scored. */
  targets: number;
  /** Mean MRR@5 of the adopted parameters, the untuned ones, and plain counting; null without targets. */
  tuned: number | null;
  untuned: number | null;
  frequency: number | null;
}

export type StrengthFitStatus = "fitted" | "untuned_kept" | "insufficient_history";

export interface StrengthFit {
  status: StrengthFitStatus;
  asOf: number;
  horizonDays: number;
  /** Cut-offs of the choosing windows, earliest first. */
  chooseCutOffs: number[];
  reportCutOff: number;
  /** The grid point adopted (null when the untuned parameters are kept). */
  change: StrengthFitChange | null;
  /** The parameters to use: the untuned ones with `change` applied. */
  params: StrengthParams;
  choose: FitFigures;
  report: FitFigures;
  gridSize: number;
}

/** The grid: 4 half-lives × 2 direction weightings × 2 reciprocity gates × 3 discounts × 2 meeting weights. */
export function defaultFitGrid(): StrengthFitChange[] {
  const out: StrengthFitChange[] = [];
  for (const halfLifeDays of [30, 90, 180, 365])
    for (const emailOutWeight of [1, 2])
      for (const reciprocity of ["strict", "lenient"] as const)
        for (const groupDamping of ["inverse_log", "inverse_sqrt", "none"] as const)
          for (const meetingWeight of [3, 5])
            out.push({ halfLifeDays, emailOutWeight, reciprocity, groupDamping, meetingWeight });
  return out;
}

/** The untuned parameters with one grid point applied. */
export function applyFitChange(base: StrengthParams, c: StrengthFitChange): StrengthParams {
  const gate =
    c.reciprocity === "strict"
      ? {
          oneWayFactor: defaultStrengthParams.oneWayFactor,
          inboundOnlyFactor: defaultStrengthParams.inboundOnlyFactor,
        }
      : { oneWayFactor: 0.6, inboundOnlyFactor: 0.9 };
  return {
    ...base,
    ...gate,
    halfLifeDays: c.halfLifeDays,
    groupDamping: c.groupDamping,
    weights: {
      email: { out: c.emailOutWeight, in: base.weights.email.in, mutual: base.weights.email.mutual },
      meeting: { ...base.weights.meeting, mutual: Math.max(c.meetingWeight, c.emailOutWeight + 1) },
    },
  };
}

interface Question {
  truth: Set<string>;
  /** Candidate colleague → their touches with the person before the cut-off. */
  candidates: Map<string, Touch[]>;
  cutOff: number;
}

/** The contested questions of one window: people corresponded with in [cutOff, cutOff + horizon). */
export function windowQuestions(
  touches: readonly FitTouch[],
  cutOff: number,
  horizonDays: number,
): Question[] {
  const end = cutOff + horizonDays * dayMs;
  const truth = new Map<string, Set<string>>();
  for (const t of touches) {
    if (t.touch.at < cutOff || t.touch.at >= end) continue;
    const set = truth.get(t.person) ?? new Set<string>();
    set.add(t.userId);
    truth.set(t.person, set);
  }
  const before = new Map<string, Map<string, Touch[]>>();
  for (const t of touches) {
    if (t.touch.at >= cutOff || !truth.has(t.person)) continue;
    let byUser = before.get(t.person);
    if (!byUser) before.set(t.person, (byUser = new Map<string, Touch[]>()));
    const list = byUser.get(t.userId);
    if (list) list.push(t.touch);
    else byUser.set(t.userId, [t.touch]);
  }
  const out: Question[] = [];
  for (const person of [...truth.keys()].sort()) {
    const candidates = before.get(person);
    if (candidates && candidates.size >= 2) out.push({ truth: truth.get(person)!, candidates, cutOff });
  }
  return out;
}

/** Kith's ranking of one question with `params`, in the product's order (`compareEvidence`). */
function rankWith(q: Question, params: StrengthParams): Ranking {
  const keys = [...q.candidates.entries()].map(
    ([userId, touches]) =>
      [
        userId,
        evidenceKeyOf(scoreStrength(buildPairState(touches, params, q.cutOff), q.cutOff, params)),
      ] as const,
  );
  return rankByOrder(keys, compareEvidence);
}

function rankByCount(q: Question): Ranking {
  return rankByOrder(
    [...q.candidates.entries()].map(([userId, touches]) => [userId, touches.length] as const),
    (a, b) => b - a,
  );
}

function meanMrr(questions: readonly Question[], rank: (q: Question) => Ranking): number | null {
  if (questions.length === 0) return null;
  let sum = 0;
  for (const q of questions) sum += scoreRanking(rank(q), q.truth).mrr;
  return sum / questions.length;
}

export function fitStrengthParams(touches: readonly FitTouch[], options: StrengthFitOptions): StrengthFit {
  const horizonDays = options.horizonDays ?? 90;
  const chooseWindows = options.chooseWindows ?? 3;
  const minTargets = options.minTargets ?? 30;
  const base = options.base ?? defaultStrengthParams;
  const grid = (options.grid ?? defaultFitGrid()).filter(
    (c) => checkStrengthParams(applyFitChange(base, c)).length === 0,
  );
  const h = horizonDays * dayMs;
  const reportCutOff = options.asOf - h;
  const chooseCutOffs = Array.from(
    { length: chooseWindows },
    (_, i) => reportCutOff - (chooseWindows - i) * h,
  );
  const choosing = chooseCutOffs.flatMap((c) => windowQuestions(touches, c, horizonDays));
  const reporting = windowQuestions(touches, reportCutOff, horizonDays);

  const untunedChoose = meanMrr(choosing, (q) => rankWith(q, base));
  let change: StrengthFitChange | null = null;
  let status: StrengthFitStatus = "insufficient_history";
  let tunedChoose = untunedChoose;
  if (choosing.length >= minTargets) {
    status = "untuned_kept";
    // Strictly better than the untuned parameters, and the first of equals in grid order.
    let best = untunedChoose ?? 0;
    for (const c of grid) {
      const mrr = meanMrr(choosing, (q) => rankWith(q, applyFitChange(base, c))) ?? 0;
      if (mrr > best + 1e-12) {
        best = mrr;
        change = c;
      }
    }
    if (change) {
      status = "fitted";
      tunedChoose = best;
    }
  }
  const params = change ? applyFitChange(base, change) : base;
  return {
    status,
    asOf: options.asOf,
    horizonDays,
    chooseCutOffs,
    reportCutOff,
    change,
    params,
    choose: {
      targets: choosing.length,
      tuned: tunedChoose,
      untuned: untunedChoose,
      frequency: meanMrr(choosing, rankByCount),
    },
    report: {
      targets: reporting.length,
      tuned: meanMrr(reporting, (q) => rankWith(q, params)),
      untuned: meanMrr(reporting, (q) => rankWith(q, base)),
      frequency: meanMrr(reporting, rankByCount),
    },
    gridSize: grid.length,
  };
}
