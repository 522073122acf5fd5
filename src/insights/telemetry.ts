/**
 * Telemetry insights (SPEC §5): rules over a tenant's operational telemetry — sync lag, ingest
 * failures and error rates, backfill progress, job failures, API latency and errors, slow queries.
 * The input holds counts and timings of the Kith environment itself, never personal data, so a
 * partner may see the results once the customer's reviewers allowed it. Pure.
 */

export const telemetryWindowDays = 30;
/** How many results a partner sees: the most recent ones. */
export const telemetryResultLimit = 7;

export interface TelemetryInput {
  now: Date;
  batches: readonly {
    kind: string;
    status: "running" | "done" | "failed";
    startedAt: Date;
    finishedAt: Date | null;
    read: number;
    rejected: number;
    durationMs: number;
    month: string | null;
    runId: string | null;
    plannedMonths: number | null;
  }[];
  jobs: readonly {
    name: string;
    status: string;
    attempts: number;
    createdAt: Date;
    runAt: Date;
    finishedAt: Date | null;
  }[];
  /** Daily roll-ups; optional figures (apiRequests, apiErrors, apiP95Ms, slowQueries) when recorded. */
  rollups: readonly { day: string; figures: Readonly<Record<string, number>> }[];
}

export type TelemetryImpact = "high" | "medium" | "low";
export type TelemetryCategory = "sync" | "ingest" | "backfill" | "jobs" | "api" | "database";

export interface TelemetryInsight {
  /** Stable for the same finding on the same day, so a dismissal sticks. */
  id: string;
  rule: string;
  title: string;
  description: string;
  impact: TelemetryImpact;
  category: TelemetryCategory;
  /** What part of the environment it is about (e.g. "ingest", "job insights.recompute"). */
  scope: string;
  detectedAt: Date;
  /** One point per day, oldest first, at most 30 days. */
  detail: { day: string; value: number }[];
  unit: string;
}

const hour = 3_600_000;
const day = 24 * hour;
const dayOf = (d: Date) => d.toISOString().slice(0, 10);

/** The last `days` calendar days ending today, oldest first. */
function lastDays(now: Date, days = telemetryWindowDays): string[] {
  const out: string[] = [];
  for (let i = days - 1; i >= 0; i--) out.push(dayOf(new Date(now.getTime() - i * day)));
  return out;
}

function series(now: Date, points: Iterable<[string, number]>): { day: string; value: number }[] {
  const sums = new Map<string, number>();
  for (const [d, v] of points) sums.set(d, (sums.get(d) ?? 0) + v);
  return lastDays(now).map((d) => ({ day: d, value: round(sums.get(d) ?? 0) }));
}

const round = (n: number) => Math.round(n * 100) / 100;
const inWindow = (now: Date, at: Date, ms: number) => at.getTime() > now.getTime() - ms && at <= now;

type Rule = (input: TelemetryInput) => TelemetryInsight[];

const syncLag: Rule = ({ now, batches, jobs }) => {
  const successes = [
    ...batches
      .filter((b) => b.status === "done" && b.kind !== "backfill")
      .map((b) => b.finishedAt ?? b.startedAt),
    ...jobs
      .filter((j) => j.name === "ingest.sync" && j.status === "done" && j.finishedAt)
      .map((j) => j.finishedAt!),
  ].filter((d) => d <= now);
  if (successes.length === 0 && batches.length === 0) return [];
  const last = successes.reduce<Date | null>((a, b) => (a === null || b > a ? b : a), null);
  const lagMs = last ? now.getTime() - last.getTime() : Infinity;
  if (lagMs <= 6 * hour) return [];
  const lagHours = Number.isFinite(lagMs) ? Math.round(lagMs / hour) : null;
  return [
    {
      id: `sync-lag:${dayOf(now)}`,
      rule: "sync-lag",
      title: lagHours === null ? "No successful sync in 30 days" : `Data is ${lagHours} h behind`,
      description:
        lagHours === null
          ? "Imports ran but none succeeded in the last 30 days: insights show stale data."
          : `The last successful import or sync finished ${lagHours} hours ago; insights lag behind mailboxes.`,
      impact: lagMs > day ? "high" : "medium",
      category: "sync",
      scope: "ingest",
      detectedAt: now,
      detail: series(
        now,
        successes.map((d) => [dayOf(d), 1]),
      ),
      unit: "successful imports per day",
    },
  ];
};

const ingestFailures: Rule = ({ now, batches }) => {
  const failed = batches.filter((b) => b.status === "failed");
  const recent = failed.filter((b) => inWindow(now, b.finishedAt ?? b.startedAt, day));
  if (recent.length === 0) return [];
  return [
    {
      id: `ingest-failures:${dayOf(now)}`,
      rule: "ingest-failures",
      title: `${recent.length} import batch${recent.length === 1 ? "" : "es"} failed in 24 h`,
      description: "A failed batch keeps nothing it read; the data arrives only when the batch is run again.",
      impact: recent.length >= 3 ? "high" : "medium",
      category: "ingest",
      scope: "ingest",
      detectedAt: recent.map((b) => b.finishedAt ?? b.startedAt).reduce((a, b) => (b > a ? b : a)),
      detail: series(
        now,
        failed.map((b) => [dayOf(b.finishedAt ?? b.startedAt), 1]),
      ),
      unit: "failed batches per day",
    },
  ];
};

const ingestErrorRate: Rule = ({ now, batches }) => {
  const week = batches.filter((b) => b.status === "done" && inWindow(now, b.startedAt, 7 * day));
  const read = week.reduce((a, b) => a + b.read, 0);
  const rejected = week.reduce((a, b) => a + b.rejected, 0);
  if (read < 20) return [];
  const rate = rejected / read;
  if (rate < 0.05) return [];
  const perDay = new Map<string, { read: number; rejected: number }>();
  for (const b of batches) {
    const d = dayOf(b.startedAt);
    const v = perDay.get(d) ?? { read: 0, rejected: 0 };
    perDay.set(d, { read: v.read + b.read, rejected: v.rejected + b.rejected });
  }
  return [
    {
      id: `ingest-error-rate:${dayOf(now)}`,
      rule: "ingest-error-rate",
      title: `${(rate * 100).toFixed(1)}% of records rejected in 7 days`,
      description: "Records the parsers could not read were skipped; check the source exports for defects.",
      impact: rate >= 0.2 ? "high" : "medium",
      category: "ingest",
      scope: "ingest",
      detectedAt: now,
      detail: series(
        now,
        [...perDay].map(([d, v]) => [d, v.read === 0 ? 0 : (100 * v.rejected) / v.read]),
      ),
      unit: "% of records rejected",
    },
  ];
};

const backfillProgress: Rule = ({ now, batches }) => {
  const runs = batches.filter((b) => b.kind === "backfill" && b.runId !== null);
  const latest = runs.reduce<(typeof runs)[number] | null>(
    (a, b) => (a === null || b.startedAt > a.startedAt ? b : a),
    null,
  );
  if (!latest) return [];
  const run = runs.filter((b) => b.runId === latest.runId);
  const planned = latest.plannedMonths ?? run.length;
  const done = new Set(run.filter((b) => b.status === "done").map((b) => b.month)).size;
  const failed = run.filter((b) => b.status === "failed").length;
  const lastActivity = run
    .map((b) => b.finishedAt ?? b.startedAt)
    .reduce((a, b) => (b > a ? b : a), latest.startedAt);
  const stalled = done < planned && now.getTime() - lastActivity.getTime() > day;
  const impact: TelemetryImpact = failed > 0 ? "high" : stalled ? "medium" : "low";
  return [
    {
      id: `backfill-progress:${latest.runId}:${done}`,
      rule: "backfill-progress",
      title:
        done >= planned
          ? `Backfill complete: ${planned} months`
          : `Backfill ${done} of ${planned} months${stalled ? " (stalled)" : ""}`,
      description:
        failed > 0
          ? `${failed} month${failed === 1 ? "" : "s"} failed; resume the backfill to retry them.`
          : stalled
            ? "No month finished in the last 24 h; resume the backfill."
            : "History import progress, month by month.",
      impact,
      category: "backfill",
      scope: `backfill run ${latest.runId}`,
      detectedAt: lastActivity,
      detail: series(
        now,
        run.filter((b) => b.status === "done" && b.finishedAt).map((b) => [dayOf(b.finishedAt!), 1]),
      ),
      unit: "months finished per day",
    },
  ];
};

const jobFailures: Rule = ({ now, jobs }) => {
  const failed = jobs.filter((j) => j.status === "failed" && j.finishedAt !== null);
  const byName = new Map<string, typeof failed>();
  for (const j of failed) byName.set(j.name, [...(byName.get(j.name) ?? []), j]);
  const out: TelemetryInsight[] = [];
  for (const [name, list] of byName) {
    const week = list.filter((j) => inWindow(now, j.finishedAt!, 7 * day));
    if (week.length === 0) continue;
    out.push({
      id: `job-failures:${name}:${dayOf(now)}`,
      rule: "job-failures",
      title: `${name} failed ${week.length} time${week.length === 1 ? "" : "s"} in 7 days`,
      description: "The job used up its retries; the work it does (sync, recompute, purge check) is behind.",
      impact: name.startsWith("purge") || week.length >= 3 ? "high" : "medium",
      category: "jobs",
      scope: `job ${name}`,
      detectedAt: week.map((j) => j.finishedAt!).reduce((a, b) => (b > a ? b : a)),
      detail: series(
        now,
        list.map((j) => [dayOf(j.finishedAt!), 1]),
      ),
      unit: "failed jobs per day",
    });
  }
  return out;
};

function rollupRule(
  rule: string,
  category: TelemetryCategory,
  unit: string,
  value: (f: Readonly<Record<string, number>>) => number | null,
  thresholds: { medium: number; high: number },
  title: (v: number) => string,
  description: string,
): Rule {
  return ({ now, rollups }) => {
    const points = rollups
      .map((r) => ({ day: r.day, v: value(r.figures) }))
      .filter((p): p is { day: string; v: number } => p.v !== null);
    const latest = points.filter((p) => p.day <= dayOf(now)).at(-1);
    if (!latest || latest.v < thresholds.medium) return [];
    return [
      {
        id: `${rule}:${latest.day}`,
        rule,
        title: title(latest.v),
        description,
        impact: latest.v >= thresholds.high ? "high" : "medium",
        category,
        scope: category === "database" ? "store" : "api",
        detectedAt:
          new Date(`${latest.day}T23:59:59.999Z`) > now ? now : new Date(`${latest.day}T23:59:59.999Z`),
        detail: series(
          now,
          points.map((p) => [p.day, p.v]),
        ),
        unit,
      },
    ];
  };
}

const apiErrors = rollupRule(
  "api-errors",
  "api",
  "% of API requests failing (5xx)",
  (f) =>
    f.apiRequests !== undefined && f.apiErrors !== undefined && f.apiRequests > 0
      ? (100 * f.apiErrors) / f.apiRequests
      : null,
  { medium: 1, high: 5 },
  (v) => `${v.toFixed(1)}% of API requests failed`,
  "Server errors on the API: users and connectors see failures.",
);

const apiLatency = rollupRule(
  "api-latency",
  "api",
  "p95 API latency (ms)",
  (f) => f.apiP95Ms ?? null,
  { medium: 1000, high: 3000 },
  (v) => `API p95 latency ${Math.round(v)} ms`,
  "One request in twenty takes longer than this; pages and connectors slow down.",
);

const slowQueries = rollupRule(
  "slow-queries",
  "database",
  "slow queries per day",
  (f) => f.slowQueries ?? null,
  { medium: 1, high: 50 },
  (v) => `${Math.round(v)} slow quer${v === 1 ? "y" : "ies"} in a day`,
  "Queries over the slow-query threshold: the store may need an index or more resources.",
);

const jobFailureRate = rollupRule(
  "job-failure-rate",
  "jobs",
  "% of jobs failing",
  (f) =>
    f.jobsDone !== undefined && f.jobsFailed !== undefined && f.jobsDone + f.jobsFailed >= 5
      ? (100 * f.jobsFailed) / (f.jobsDone + f.jobsFailed)
      : null,
  { medium: 10, high: 30 },
  (v) => `${v.toFixed(0)}% of background jobs failed in a day`,
  "Background work (sync, recompute, purge checks) is failing after retries.",
);

export const telemetryRules: readonly Rule[] = [
  syncLag,
  ingestFailures,
  ingestErrorRate,
  backfillProgress,
  jobFailures,
  jobFailureRate,
  apiErrors,
  apiLatency,
  slowQueries,
];

const impactRank: Record<TelemetryImpact, number> = { high: 0, medium: 1, low: 2 };

/**
 * Every rule's results, minus the dismissed ones, most recent first, at most the last seven.
 * Same input, same output: ties break on impact, then id.
 */
export function evaluateTelemetry(
  input: TelemetryInput,
  dismissed: ReadonlySet<string> = new Set(),
): TelemetryInsight[] {
  return telemetryRules
    .flatMap((rule) => rule(input))
    .filter((i) => !dismissed.has(i.id))
    .sort(
      (a, b) =>
        b.detectedAt.getTime() - a.detectedAt.getTime() ||
        impactRank[a.impact] - impactRank[b.impact] ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    )
    .slice(0, telemetryResultLimit);
}
