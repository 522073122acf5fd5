/**
 * Metrics for `kith eval` (SPEC §6): for each external target, rankers order the colleagues who
 * interacted with it before the split date; the truth is the set of colleagues who corresponded
 * with it within the horizon after the split.
 *
 * - Targets with an empty truth set cannot be hit by anyone; they are skipped (and counted).
 * - hit@k: a true colleague is among the first k; MRR: mean of 1 / rank of the first true
 *   colleague within the first 5 (0 when none is there); coverage: share of targets for which
 *   the ranker listed anyone.
 * - Ties: a ranking is a list of tie groups. Inside a group the order is uniformly random, and the
 *   metrics are their exact expectation over that order. Breaking ties by colleague id instead
 *   would make the result depend on how ids were drawn (random UUIDs differ between two set-ups of
 *   the same corpus) and favour whichever ranker ties more often, whichever way the ids fall.
 * - contested: targets with at least two candidate colleagues, where ranking actually matters.
 * - Paired differences A − B per target, with a percentile bootstrap over targets (seeded).
 */
import { scoreRanking, type PerTarget, type Ranking } from "../insights/ranking-quality";
import { createSeededRng } from "../insights/rng";

export { scoreRanking };

export interface EvalTarget {
  targetId: string;
  /** Colleagues with any interaction with the target before the split: the pool every ranker ranks. */
  candidateCount: number;
  /** Colleagues who corresponded with the target within the horizon after the split. */
  truth: ReadonlySet<string>;
  /** Ranker name → ranked colleague ids, best first; an array entry is a group of tied colleagues. */
  rankings: Readonly<Record<string, Ranking>>;
}

export interface RankerMetrics {
  targets: number;
  hit1: number | null;
  hit5: number | null;
  mrr: number | null;
  coverage: number | null;
}

export const evalMetrics = ["hit1", "hit5", "mrr"] as const;
export type EvalMetric = (typeof evalMetrics)[number];
export type EvalSubset = "all" | "contested";

export interface PairedDifference {
  a: string;
  b: string;
  subset: EvalSubset;
  metric: EvalMetric;
  targets: number;
  /** Mean of A − B over targets; null without targets. */
  meanDiff: number | null;
  ci: [number, number] | null;
}

export interface EvaluationReport {
  rankers: string[];
  evaluated: number;
  contested: number;
  /** Targets skipped because nobody corresponded with them after the split. */
  skippedNoTruth: number;
  metrics: Record<EvalSubset, Record<string, RankerMetrics>>;
  comparisons: PairedDifference[];
  resamples: number;
  confidence: number;
}

export type { Ranking } from "../insights/ranking-quality";
const average = (xs: readonly number[]): number | null =>
  xs.length === 0 ? null : xs.reduce((s, x) => s + x, 0) / xs.length;

/**
 * Percentile bootstrap interval of the mean of `values`. Deterministic for a given seed.
 */
export function bootstrapMeanInterval(
  values: readonly number[],
  seed: number,
  resamples = 2000,
  confidence = 0.95,
): [number, number] | null {
  const n = values.length;
  if (n === 0) return null;
  const rng = createSeededRng(seed);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[Math.floor(rng() * n)] ?? 0;
    means[r] = sum / n;
  }
  means.sort();
  const alpha = (1 - confidence) / 2;
  const lo = means[Math.max(0, Math.floor(alpha * resamples))] ?? Number.NaN;
  const hi = means[Math.min(resamples - 1, Math.ceil((1 - alpha) * resamples) - 1)] ?? Number.NaN;
  return [lo, hi];
}

export function evaluateRankers(
  targets: readonly EvalTarget[],
  options: {
    rankers?: readonly string[];
    resamples?: number;
    confidence?: number;
    seed?: number;
    /** Paired differences only with these as A (default: every pair). */
    leaders?: readonly string[];
  } = {},
): EvaluationReport {
  const { resamples = 2000, confidence = 0.95, seed = 20240601 } = options;
  const rankers = options.rankers
    ? [...options.rankers]
    : [...new Set(targets.flatMap((t) => Object.keys(t.rankings)))].sort();
  const evaluable = targets.filter((t) => t.truth.size > 0);
  const subsets: Record<EvalSubset, EvalTarget[]> = {
    all: evaluable,
    contested: evaluable.filter((t) => t.candidateCount >= 2),
  };
  const per = (t: EvalTarget, ranker: string): PerTarget => scoreRanking(t.rankings[ranker] ?? [], t.truth);

  const metrics = { all: {}, contested: {} } as Record<EvalSubset, Record<string, RankerMetrics>>;
  for (const subset of ["all", "contested"] as const) {
    for (const ranker of rankers) {
      const rows = subsets[subset].map((t) => per(t, ranker));
      metrics[subset][ranker] = {
        targets: rows.length,
        hit1: average(rows.map((r) => r.hit1)),
        hit5: average(rows.map((r) => r.hit5)),
        mrr: average(rows.map((r) => r.mrr)),
        coverage: average(rows.map((r) => r.covered)),
      };
    }
  }

  const comparisons: PairedDifference[] = [];
  for (let i = 0; i < rankers.length; i++) {
    for (let j = i + 1; j < rankers.length; j++) {
      const a = rankers[i] ?? "";
      const b = rankers[j] ?? "";
      if (options.leaders && !options.leaders.includes(a)) continue;
      for (const subset of ["all", "contested"] as const) {
        for (const metric of evalMetrics) {
          const diffs = subsets[subset].map((t) => per(t, a)[metric] - per(t, b)[metric]);
          comparisons.push({
            a,
            b,
            subset,
            metric,
            targets: diffs.length,
            meanDiff: average(diffs),
            ci: bootstrapMeanInterval(diffs, seed, resamples, confidence),
          });
        }
      }
    }
  }
  return {
    rankers,
    evaluated: evaluable.length,
    contested: subsets.contested.length,
    skippedNoTruth: targets.length - evaluable.length,
    metrics,
    comparisons,
    resamples,
    confidence,
  };
}

const fmt = (x: number | null): string => (x === null ? "-" : x.toFixed(3));
const signed = (x: number | null): string => (x === null ? "-" : `${x >= 0 ? "+" : ""}${x.toFixed(3)}`);

function table(header: string[], rows: string[][], leftAligned: number): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i < leftAligned ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** A plain-text report: metrics per ranker and subset, then paired differences with intervals. */
export function formatEvaluationTable(report: EvaluationReport): string {
  const metricRows: string[][] = [];
  for (const subset of ["all", "contested"] as const) {
    for (const ranker of report.rankers) {
      const m = report.metrics[subset][ranker];
      if (!m) continue;
      metricRows.push([
        ranker,
        subset,
        String(m.targets),
        fmt(m.hit1),
        fmt(m.hit5),
        fmt(m.mrr),
        fmt(m.coverage),
      ]);
    }
  }
  const pct = Math.round(report.confidence * 100);
  const diffRows = report.comparisons.map((c) => [
    `${c.a} − ${c.b}`,
    c.subset,
    c.metric,
    String(c.targets),
    signed(c.meanDiff),
    c.ci === null ? "-" : `[${signed(c.ci[0])}, ${signed(c.ci[1])}]`,
  ]);
  return [
    `Targets evaluated: ${report.evaluated} (contested: ${report.contested}; skipped, no correspondence after the split: ${report.skippedNoTruth})`,
    "",
    table(["Ranker", "Subset", "Targets", "Hit@1", "Hit@5", "MRR", "Coverage"], metricRows, 2),
    "",
    `Paired differences (${pct} % bootstrap interval, ${report.resamples} resamples)`,
    table(["Rankers", "Subset", "Metric", "Targets", "Mean", `${pct} % interval`], diffRows, 3),
  ].join("\n");
}
