/**
 * Relationship health (SPEC §4.4) for active leads, open opportunities and contacts.
 *
 * Score 0–100 = weighted mean of four components, each 0–1, measured against the expected
 * communication frequency (interval I days) over a window W = clamp(12·I, 28, 180) days:
 * - recency (0.3): 1 while the last completed activity is at most I days old, then halving every
 *   further I days;
 * - frequency (0.3): type-weighted completed activities in W ÷ the W/I expected, capped at 1;
 * - reciprocity (0.2): min(ours, theirs) ÷ max(ours, theirs) of type-weighted initiated
 *   activities in W (a meeting counts for both sides; tasks are ours alone and left out);
 * - responsiveness (0.2): how the customer answers our email turns in W: half the share
 *   answered, half the speed (1 within 24 h, halving every further 48 h of the median).
 * A component without data (no two-sided activity, no email turns) is left out and the others
 * re-weighted; the factors say so.
 *
 * Type weights (email 1, meeting 3, call 2, task 0.5) may be moved by an administrator to
 * 50–150 % of their default. Trend compares with the score one window earlier, computed from the
 * activities completed by then.
 */
import { analyseTurns, assignThreadKeys, type TurnMessage } from "./threads";
import { dayMs, median } from "./time";
import { initiatorSide, type Activity, type ActivityKind } from "./kpis";

export const expectedFrequencies = [
  "daily",
  "every_few_days",
  "weekly",
  "every_couple_of_weeks",
  "monthly",
] as const;
export type ExpectedFrequency = (typeof expectedFrequencies)[number];

export const expectedIntervalDays: Record<ExpectedFrequency, number> = {
  daily: 1,
  every_few_days: 3,
  weekly: 7,
  every_couple_of_weeks: 14,
  monthly: 30,
};

export const defaultTypeWeights: Readonly<Record<ActivityKind, number>> = Object.freeze({
  email: 1,
  meeting: 3,
  call: 2,
  task: 0.5,
});

export const componentWeights = Object.freeze({
  recency: 0.3,
  frequency: 0.3,
  reciprocity: 0.2,
  responsiveness: 0.2,
});

export interface HealthActivity {
  kind: ActivityKind;
  at: number;
  /** out: our side initiated; in: the customer did; null: unknown. */
  direction: "out" | "in" | null;
  state: "completed" | "planned";
  /** Emails: the thread key from threads.assignThreadKeys, for responsiveness. */
  threadKey?: string | null;
}

/**
 * Health inputs from the KPI activities of a record (already filtered with activityCountsFor):
 * direction from the initiator side, thread keys for emails (threads.ts rules).
 */
export function toHealthActivities(
  activities: readonly Activity[],
  isInternal: (address: string) => boolean,
): HealthActivity[] {
  const keys = assignThreadKeys(
    activities
      .filter((a) => a.kind === "email")
      .map((a) => ({
        id: a.messageId ?? a.id,
        at: a.at,
        conversationId: a.conversationId ?? null,
        inReplyTo: a.inReplyTo ?? null,
        subject: a.subject ?? null,
      })),
  );
  return activities.map((a) => {
    const side = initiatorSide(a, isInternal);
    return {
      kind: a.kind,
      at: a.at,
      direction: side === "ours" ? "out" : side === "theirs" ? "in" : null,
      state: a.state,
      threadKey: a.kind === "email" ? (keys.get(a.messageId ?? a.id) ?? null) : null,
    };
  });
}

export interface HealthConfig {
  expectedFrequency: ExpectedFrequency;
  /** Administrator multipliers of the default type weights, each within 0.5–1.5. */
  typeWeightAdjustments: Record<ActivityKind, number>;
  /** Band minimums: good ≥ good, fair ≥ fair, poor below. */
  bands: { good: number; fair: number };
  /** Completed activities needed in the window to score at all. */
  minActivities: number;
  /** Score points of change that make a trend (inclusive). */
  trendThreshold: number;
}

export const defaultHealthConfig: HealthConfig = Object.freeze({
  expectedFrequency: "weekly",
  typeWeightAdjustments: Object.freeze({ email: 1, meeting: 1, call: 1, task: 1 }),
  bands: Object.freeze({ good: 60, fair: 40 }),
  minActivities: 3,
  trendThreshold: 5,
});

/** `change` over `base`; the per-type adjustments and the bands merge key by key. */
export function mergeHealthConfig(
  base: HealthConfig,
  change: Partial<Omit<HealthConfig, "typeWeightAdjustments" | "bands">> & {
    typeWeightAdjustments?: Partial<HealthConfig["typeWeightAdjustments"]>;
    bands?: Partial<HealthConfig["bands"]>;
  },
): HealthConfig {
  return {
    ...base,
    ...change,
    typeWeightAdjustments: { ...base.typeWeightAdjustments, ...(change.typeWeightAdjustments ?? {}) },
    bands: { ...base.bands, ...(change.bands ?? {}) },
  };
}

/** Problems with an administrator's health configuration, in words; empty when valid. */
export function checkHealthConfig(config: HealthConfig): string[] {
  const problems: string[] = [];
  if (!expectedFrequencies.includes(config.expectedFrequency)) {
    problems.push(`expectedFrequency must be one of ${expectedFrequencies.join(", ")}`);
  }
  for (const kind of Object.keys(defaultTypeWeights) as ActivityKind[]) {
    const m = config.typeWeightAdjustments[kind];
    if (!(Number.isFinite(m) && m >= 0.5 && m <= 1.5)) {
      problems.push(`the ${kind} weight may move by at most ±50 % (multiplier 0.5–1.5)`);
    }
  }
  const { good, fair } = config.bands;
  if (!Number.isInteger(good) || !Number.isInteger(fair))
    problems.push("band minimums must be whole numbers");
  if (!(fair > 0 && fair < good && good <= 100))
    problems.push("band minimums must satisfy 0 < fair < good ≤ 100");
  if (!(Number.isInteger(config.minActivities) && config.minActivities >= 1)) {
    problems.push("minActivities must be a whole number of at least 1");
  }
  if (!(Number.isFinite(config.trendThreshold) && config.trendThreshold > 0)) {
    problems.push("trendThreshold must be positive");
  }
  return problems;
}

export type HealthGrade = "good" | "fair" | "poor";
export type HealthState =
  HealthGrade | "not_enough_info" | "no_closed_activities" | "computing" | "error" | "older_than_2_years";
export type HealthTrend = "improving" | "steady" | "declining" | "not_enough_info";

export interface HealthComponent {
  /** 0–1, or null when there was nothing to measure. */
  value: number | null;
  /** Effective weight after re-weighting (0 when value is null). */
  weight: number;
  explanation: string;
}

export interface HealthFactors {
  expectedIntervalDays: number;
  windowDays: number;
  daysSinceLast: number;
  completedInWindow: Record<ActivityKind, number>;
  typeWeights: Record<ActivityKind, number>;
  recency: HealthComponent;
  frequency: HealthComponent;
  reciprocity: HealthComponent;
  responsiveness: HealthComponent;
}

export interface HealthResult {
  state: HealthState;
  score: number | null;
  grade: HealthGrade | null;
  trend: HealthTrend;
  /** Score one window earlier, when there was one. */
  previousScore: number | null;
  factors: HealthFactors | null;
  /** Why there is no score (states other than good/fair/poor). */
  reason?: string;
}

export const olderThanDays = 730;

export function gradeForScore(
  score: number,
  bands: HealthConfig["bands"] = defaultHealthConfig.bands,
): HealthGrade {
  if (score >= bands.good) return "good";
  if (score >= bands.fair) return "fair";
  return "poor";
}

export function healthWindowDays(frequency: ExpectedFrequency): number {
  return Math.min(180, Math.max(28, 12 * expectedIntervalDays[frequency]));
}

function noScore(state: HealthState, reason: string, trend: HealthTrend = "not_enough_info"): HealthResult {
  return { state, score: null, grade: null, trend, previousScore: null, factors: null, reason };
}

type Scored = { score: number; factors: HealthFactors };

/**
 * Health as of `now` (epoch ms). `options.computing` marks a record whose activities are still
 * being collected (e.g. a backfill is running): the state says so instead of a premature score.
 */
export function computeHealth(
  activities: readonly HealthActivity[],
  config: HealthConfig = defaultHealthConfig,
  now: number,
  options: { computing?: boolean } = {},
): HealthResult {
  if (options.computing) return noScore("computing", "activities are still being collected");
  const problems = checkHealthConfig(config);
  if (problems.length > 0) return noScore("error", problems.join("; "));
  if (!Number.isFinite(now) || activities.some((a) => !Number.isFinite(a.at))) {
    return noScore("error", "an activity or the evaluation time is not a valid instant");
  }
  const current = scoreAt(activities, config, now);
  if (current.kind !== "scored") return noScore(current.kind, current.reason);
  const window = healthWindowDays(config.expectedFrequency) * dayMs;
  const previous = scoreAt(activities, config, now - window);
  let trend: HealthTrend = "not_enough_info";
  let previousScore: number | null = null;
  if (previous.kind === "scored") {
    previousScore = previous.score;
    const diff = current.score - previous.score;
    trend =
      diff >= config.trendThreshold ? "improving" : diff <= -config.trendThreshold ? "declining" : "steady";
  }
  const grade = gradeForScore(current.score, config.bands);
  return { state: grade, score: current.score, grade, trend, previousScore, factors: current.factors };
}

function scoreAt(
  activities: readonly HealthActivity[],
  config: HealthConfig,
  now: number,
):
  | ({ kind: "scored" } & Scored)
  | { kind: "not_enough_info" | "no_closed_activities" | "older_than_2_years"; reason: string } {
  const known = activities.filter((a) => a.at <= now || a.state === "planned");
  if (known.length === 0) return { kind: "not_enough_info", reason: "no activities" };
  const completed = known.filter((a) => a.state === "completed" && a.at <= now);
  if (completed.length === 0) return { kind: "no_closed_activities", reason: "only planned activities" };
  const lastAt = Math.max(...completed.map((a) => a.at));
  const daysSinceLast = (now - lastAt) / dayMs;
  if (daysSinceLast > olderThanDays) {
    return { kind: "older_than_2_years", reason: "the last completed activity is more than 2 years old" };
  }
  const interval = expectedIntervalDays[config.expectedFrequency];
  const windowDays = healthWindowDays(config.expectedFrequency);
  const from = now - windowDays * dayMs;
  const inWindow = completed.filter((a) => a.at > from);
  if (inWindow.length < config.minActivities) {
    return {
      kind: "not_enough_info",
      reason: `${inWindow.length} completed activities in the last ${windowDays} days; ${config.minActivities} needed`,
    };
  }
  const weights: Record<ActivityKind, number> = {
    email: defaultTypeWeights.email * config.typeWeightAdjustments.email,
    meeting: defaultTypeWeights.meeting * config.typeWeightAdjustments.meeting,
    call: defaultTypeWeights.call * config.typeWeightAdjustments.call,
    task: defaultTypeWeights.task * config.typeWeightAdjustments.task,
  };
  const counts: Record<ActivityKind, number> = { email: 0, meeting: 0, call: 0, task: 0 };
  let weighted = 0;
  let ours = 0;
  let theirs = 0;
  for (const a of inWindow) {
    counts[a.kind] += 1;
    weighted += weights[a.kind];
    if (a.kind === "task") continue;
    if (a.kind === "meeting") {
      ours += weights.meeting;
      theirs += weights.meeting;
    } else if (a.direction === "out") ours += weights[a.kind];
    else if (a.direction === "in") theirs += weights[a.kind];
  }

  const recencyValue = daysSinceLast <= interval ? 1 : Math.pow(2, -(daysSinceLast - interval) / interval);
  const expected = windowDays / interval;
  const frequencyValue = Math.min(1, weighted / expected);
  const reciprocityValue = ours + theirs === 0 ? null : Math.min(ours, theirs) / Math.max(ours, theirs);

  const turnMessages: TurnMessage[] = inWindow
    .filter((a) => a.kind === "email" && a.threadKey && a.direction)
    .map((a) => ({
      threadKey: a.threadKey ?? "",
      at: a.at,
      side: a.direction === "out" ? "ours" : "theirs",
    }));
  const turns = analyseTurns(turnMessages, now);
  const customerReplies = turns.responses.filter((r) => r.by === "theirs").map((r) => r.hours);
  let responsivenessValue: number | null = null;
  let responsivenessText = "no email turns to measure responsiveness";
  if (turns.turns.ours > 0) {
    const rate = turns.answered.ours / turns.turns.ours;
    const medianHours = customerReplies.length > 0 ? median(customerReplies) : null;
    const speed = medianHours === null ? 0 : Math.pow(2, -Math.max(0, medianHours - 24) / 48);
    responsivenessValue = 0.5 * rate + 0.5 * speed;
    responsivenessText =
      `the customer answered ${turns.answered.ours} of ${turns.turns.ours} email turns` +
      (medianHours === null ? "" : `, median ${medianHours.toFixed(1)} h`);
  }

  const parts = {
    recency: recencyValue,
    frequency: frequencyValue,
    reciprocity: reciprocityValue,
    responsiveness: responsivenessValue,
  };
  let totalWeight = 0;
  for (const key of Object.keys(parts) as (keyof typeof parts)[]) {
    if (parts[key] !== null) totalWeight += componentWeights[key];
  }
  let sum = 0;
  const weightOf = (key: keyof typeof parts) =>
    parts[key] === null ? 0 : componentWeights[key] / totalWeight;
  for (const key of Object.keys(parts) as (keyof typeof parts)[]) sum += (parts[key] ?? 0) * weightOf(key);
  const score = Math.round(100 * sum);

  return {
    kind: "scored",
    score,
    factors: {
      expectedIntervalDays: interval,
      windowDays,
      daysSinceLast,
      completedInWindow: counts,
      typeWeights: weights,
      recency: {
        value: recencyValue,
        weight: weightOf("recency"),
        explanation: `last activity ${Math.floor(daysSinceLast)} days ago; expected every ${interval} days`,
      },
      frequency: {
        value: frequencyValue,
        weight: weightOf("frequency"),
        explanation: `${weighted.toFixed(1)} weighted activities in ${windowDays} days; ${expected.toFixed(1)} expected`,
      },
      reciprocity: {
        value: reciprocityValue,
        weight: weightOf("reciprocity"),
        explanation:
          reciprocityValue === null
            ? "no activity with a known direction"
            : `we initiated ${ours.toFixed(1)}, the customer ${theirs.toFixed(1)} (weighted)`,
      },
      responsiveness: {
        value: responsivenessValue,
        weight: weightOf("responsiveness"),
        explanation: responsivenessText,
      },
    },
  };
}
