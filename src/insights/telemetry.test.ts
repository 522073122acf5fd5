import { describe, expect, it } from "vitest";
import { evaluateTelemetry, type TelemetryInput } from "./telemetry";

const now = new Date("2026-06-01T12:00:00Z");
const h = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
type Batch = TelemetryInput["batches"][number];
type Job = TelemetryInput["jobs"][number];

const batch = (over: Partial<Batch>): Batch => ({
  kind: "import",
  status: "done",
  startedAt: h(1),
  finishedAt: h(1),
  read: 100,
  rejected: 0,
  durationMs: 1000,
  month: null,
  runId: null,
  plannedMonths: null,
  ...over,
});
const job = (over: Partial<Job>): Job => ({
  name: "insights.recompute",
  status: "done",
  attempts: 1,
  createdAt: h(2),
  runAt: h(2),
  finishedAt: h(2),
  ...over,
});
const input = (over: Partial<TelemetryInput>): TelemetryInput => ({
  now,
  batches: [],
  jobs: [],
  rollups: [],
  ...over,
});

describe("telemetry rules", () => {
  const table: [string, TelemetryInput, { rule: string; impact: string; scope?: string }[]][] = [
    ["a fresh, healthy environment has nothing to say", input({ batches: [batch({})] }), []],
    ["nothing recorded yet: no findings", input({}), []],
    [
      "sync 8 h behind is medium",
      input({ batches: [batch({ startedAt: h(8), finishedAt: h(8) })] }),
      [{ rule: "sync-lag", impact: "medium" }],
    ],
    [
      "sync 2 days behind is high",
      input({ batches: [batch({ startedAt: h(48), finishedAt: h(48) })] }),
      [{ rule: "sync-lag", impact: "high" }],
    ],
    [
      "a successful ingest.sync job counts as fresh",
      input({
        batches: [batch({ startedAt: h(48), finishedAt: h(48) })],
        jobs: [job({ name: "ingest.sync", finishedAt: h(1) })],
      }),
      [],
    ],
    [
      "one failed batch today is medium",
      input({ batches: [batch({}), batch({ status: "failed", startedAt: h(3), finishedAt: h(3) })] }),
      [{ rule: "ingest-failures", impact: "medium" }],
    ],
    [
      "a quarter of records rejected is high",
      input({ batches: [batch({ read: 100, rejected: 25 })] }),
      [{ rule: "ingest-error-rate", impact: "high" }],
    ],
    ["few records: no rate", input({ batches: [batch({ read: 10, rejected: 5 })] }), []],
    [
      "backfill in progress is low",
      input({
        batches: [
          batch({}),
          batch({
            kind: "backfill",
            month: "2026-05",
            runId: "r1",
            plannedMonths: 3,
            startedAt: h(2),
            finishedAt: h(2),
          }),
        ],
      }),
      [{ rule: "backfill-progress", impact: "low", scope: "backfill run r1" }],
    ],
    [
      "a failed backfill month is high",
      input({
        batches: [
          batch({}),
          batch({ kind: "backfill", month: "2026-05", runId: "r1", plannedMonths: 2, status: "failed" }),
        ],
      }),
      [
        { rule: "backfill-progress", impact: "high" },
        { rule: "ingest-failures", impact: "medium" },
      ],
    ],
    [
      "failed jobs grouped by name",
      input({
        batches: [batch({})],
        jobs: [
          job({ status: "failed", finishedAt: h(5) }),
          job({ name: "purge.verify", status: "failed", finishedAt: h(4) }),
        ],
      }),
      [
        { rule: "job-failures", impact: "high", scope: "job purge.verify" },
        { rule: "job-failures", impact: "medium", scope: "job insights.recompute" },
      ],
    ],
    [
      "API errors and latency from the roll-up",
      input({
        batches: [batch({})],
        rollups: [
          {
            day: "2026-06-01",
            figures: { apiRequests: 1000, apiErrors: 60, apiP95Ms: 1500, slowQueries: 0 },
          },
        ],
      }),
      [
        { rule: "api-errors", impact: "high" },
        { rule: "api-latency", impact: "medium" },
      ],
    ],
  ];
  it.each(table)("%s", (_name, given, expected) => {
    const found = evaluateTelemetry(given).map((i) => ({
      rule: i.rule,
      impact: i.impact,
      ...(expected.some((e) => e.scope) ? { scope: i.scope } : {}),
    }));
    expect(found).toEqual(expected);
  });

  it("gives 30 days of daily detail, oldest first", () => {
    const [insight] = evaluateTelemetry(input({ batches: [batch({ startedAt: h(30), finishedAt: h(30) })] }));
    expect(insight?.detail).toHaveLength(30);
    expect(insight?.detail.at(-1)?.day).toBe("2026-06-01");
    expect(insight?.detail.at(-2)).toEqual({ day: "2026-05-31", value: 1 });
  });

  it("keeps the last seven results and leaves out dismissed ones", () => {
    const jobs = Array.from({ length: 9 }, (_, i) =>
      job({ name: `job.${i}`, status: "failed", finishedAt: h(i + 1) }),
    );
    const all = evaluateTelemetry(input({ batches: [batch({})], jobs }));
    expect(all.map((i) => i.scope)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `job job.${i}`));
    const rest = evaluateTelemetry(input({ batches: [batch({})], jobs }), new Set([all[0]!.id]));
    expect(rest[0]?.scope).toBe("job job.1");
    expect(rest).toHaveLength(7);
  });
});
