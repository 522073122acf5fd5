import { describe, expect, it } from "vitest";
import {
  checkHealthConfig,
  computeHealth,
  defaultHealthConfig,
  gradeForScore,
  healthWindowDays,
  toHealthActivities,
  type HealthActivity,
  type HealthConfig,
} from "./health";

const day = 86_400_000;
const hour = 3_600_000;
const N = Date.UTC(2024, 8, 1);
const cfg = defaultHealthConfig; // weekly: interval 7, window 84 days

const act = (
  kind: HealthActivity["kind"],
  daysAgo: number,
  direction: HealthActivity["direction"],
  extra: Partial<HealthActivity> = {},
): HealthActivity => ({
  kind,
  at: N - daysAgo * day,
  direction,
  state: "completed",
  ...extra,
});

/** Each week for `weeks` weeks: we write, the customer answers 12 h later in the same thread. */
function healthyWeeks(weeks: number, endDaysAgo = 0): HealthActivity[] {
  return Array.from({ length: weeks }, (_, i) => {
    const at = N - (endDaysAgo + 7 * (i + 1)) * day;
    return [
      {
        kind: "email" as const,
        at,
        direction: "out" as const,
        state: "completed" as const,
        threadKey: `w${endDaysAgo}-${i}`,
      },
      {
        kind: "email" as const,
        at: at + 12 * hour,
        direction: "in" as const,
        state: "completed" as const,
        threadKey: `w${endDaysAgo}-${i}`,
      },
    ];
  }).flat();
}

describe("grades and bands", () => {
  it.each([
    [100, "good"],
    [60, "good"],
    [59, "fair"],
    [40, "fair"],
    [39, "poor"],
    [0, "poor"],
  ] as const)("%i → %s", (score, grade) => {
    expect(gradeForScore(score)).toBe(grade);
  });

  it("uses edited band minimums", () => {
    expect(gradeForScore(65, { good: 70, fair: 50 })).toBe("fair");
    expect(gradeForScore(45, { good: 70, fair: 50 })).toBe("poor");
  });
});

describe("checkHealthConfig", () => {
  it("accepts defaults and weights moved by up to ±50 %", () => {
    expect(checkHealthConfig(cfg)).toEqual([]);
    expect(
      checkHealthConfig({ ...cfg, typeWeightAdjustments: { email: 0.5, meeting: 1.5, call: 1, task: 1 } }),
    ).toEqual([]);
  });
  it.each<[string, Partial<HealthConfig>]>([
    ["a weight below −50 %", { typeWeightAdjustments: { email: 0.49, meeting: 1, call: 1, task: 1 } }],
    ["a weight above +50 %", { typeWeightAdjustments: { email: 1, meeting: 1.6, call: 1, task: 1 } }],
    ["fair not below good", { bands: { good: 50, fair: 50 } }],
    ["good above 100", { bands: { good: 101, fair: 40 } }],
    ["fractional bands", { bands: { good: 60.5, fair: 40 } }],
    ["unknown frequency", { expectedFrequency: "hourly" as HealthConfig["expectedFrequency"] }],
  ])("rejects %s", (_name, change) => {
    expect(checkHealthConfig({ ...cfg, ...change })).toHaveLength(1);
  });
});

describe("computeHealth states", () => {
  it("good: weekly two-way mail answered within hours", () => {
    const r = computeHealth(healthyWeeks(6), cfg, N);
    expect(r).toMatchObject({ state: "good", grade: "good", score: 100 });
    expect(r.factors?.responsiveness.value).toBe(1);
    expect(r.factors?.reciprocity.value).toBe(1);
  });

  it("fair: hand-worked, without email turns (responsiveness left out and re-weighted)", () => {
    const r = computeHealth(
      [act("meeting", 20, "out"), act("call", 13, "out"), act("call", 27, "out")],
      cfg,
      N,
    );
    const recency = Math.pow(2, -(13 - 7) / 7);
    const frequency = (3 + 2 + 2) / 12;
    const reciprocity = 3 / 7; // a meeting counts for both: ours 3+2+2, theirs 3
    const expected = Math.round((100 * (0.3 * recency + 0.3 * frequency + 0.2 * reciprocity)) / 0.8);
    expect(expected).toBe(53);
    expect(r).toMatchObject({ state: "fair", score: 53 });
    expect(r.factors?.responsiveness).toMatchObject({ value: null, weight: 0 });
    expect(r.factors?.recency.weight).toBeCloseTo(0.3 / 0.8, 12);
  });

  it("poor: hand-worked, one-way mail nobody answers", () => {
    const r = computeHealth(
      [14, 21, 28, 35].map((d) => act("email", d, "out", { threadKey: `t${d}` })),
      cfg,
      N,
    );
    // recency 2^(−7/7) = 0.5; frequency 4/12; reciprocity 0; responsiveness 0 (4 turns, none answered)
    expect(r).toMatchObject({ state: "poor", score: 25 });
    expect(r.factors?.responsiveness.explanation).toBe("the customer answered 0 of 4 email turns");
  });

  it("not enough info: no activities, or too few in the window", () => {
    expect(computeHealth([], cfg, N)).toMatchObject({
      state: "not_enough_info",
      score: null,
      trend: "not_enough_info",
    });
    expect(computeHealth([act("email", 1, "out"), act("email", 2, "in")], cfg, N).state).toBe(
      "not_enough_info",
    );
  });

  it("no closed activities: only planned ones", () => {
    const planned: HealthActivity = { kind: "meeting", at: N + day, direction: "out", state: "planned" };
    expect(computeHealth([planned], cfg, N).state).toBe("no_closed_activities");
  });

  it("older than 2 years", () => {
    expect(
      computeHealth([act("email", 731, "out"), act("email", 740, "in"), act("email", 745, "out")], cfg, N)
        .state,
    ).toBe("older_than_2_years");
  });

  it("computing, when collection is still running", () => {
    expect(computeHealth(healthyWeeks(6), cfg, N, { computing: true }).state).toBe("computing");
  });

  it("error, for an invalid configuration or instant", () => {
    const bad = computeHealth(healthyWeeks(6), { ...cfg, bands: { good: 30, fair: 40 } }, N);
    expect(bad).toMatchObject({ state: "error", score: null });
    expect(bad.reason).toMatch(/fair < good/);
    expect(computeHealth([act("email", Number.NaN, "out")], cfg, N).state).toBe("error");
  });
});

describe("weights", () => {
  it("an administrator's type weight changes the score", () => {
    const acts = [act("meeting", 20, "out"), act("call", 13, "out"), act("call", 27, "out")];
    const base = computeHealth(acts, cfg, N).score ?? 0;
    const heavier =
      computeHealth(acts, { ...cfg, typeWeightAdjustments: { email: 1, meeting: 1.5, call: 1, task: 1 } }, N)
        .score ?? 0;
    expect(heavier).toBeGreaterThan(base);
  });

  it("the expected frequency sets the bar", () => {
    const acts = [
      act("email", 10, "out", { threadKey: "a" }),
      act("email", 9, "in", { threadKey: "a" }),
      act("email", 40, "out", { threadKey: "b" }),
      act("email", 39, "in", { threadKey: "b" }),
    ];
    const monthly = computeHealth(acts, { ...cfg, expectedFrequency: "monthly" }, N).score ?? 0;
    const daily = computeHealth(acts, { ...cfg, expectedFrequency: "daily", minActivities: 1 }, N).score ?? 0;
    expect(monthly).toBeGreaterThan(daily);
    expect(healthWindowDays("daily")).toBe(28);
    expect(healthWindowDays("monthly")).toBe(180);
  });
});

describe("trend", () => {
  const windowDays = healthWindowDays("weekly");
  it("improving: this window healthier than the previous one", () => {
    const previous = [
      act("email", windowDays + 10, "out", { threadKey: "p1" }),
      act("email", windowDays + 40, "out", { threadKey: "p2" }),
      act("email", windowDays + 60, "out", { threadKey: "p3" }),
    ];
    const r = computeHealth([...previous, ...healthyWeeks(6)], cfg, N);
    expect(r.trend).toBe("improving");
    expect(r.previousScore).toBeLessThan(r.score ?? 0);
  });

  it("declining: the previous window was healthier", () => {
    const r = computeHealth(
      [
        ...healthyWeeks(6, windowDays),
        act("email", 20, "out", { threadKey: "x" }),
        act("email", 30, "out", { threadKey: "y" }),
        act("email", 50, "out", { threadKey: "z" }),
      ],
      cfg,
      N,
    );
    expect(r.trend).toBe("declining");
  });

  it("steady: the same rhythm in both windows", () => {
    const r = computeHealth([...healthyWeeks(6), ...healthyWeeks(6, windowDays)], cfg, N);
    expect(r).toMatchObject({ trend: "steady", score: 100, previousScore: 100 });
  });

  it("not enough info: nothing before this window", () => {
    expect(computeHealth(healthyWeeks(6), cfg, N).trend).toBe("not_enough_info");
  });
});

describe("toHealthActivities", () => {
  it("derives direction and thread keys from KPI activities", () => {
    const isInternal = (a: string) => a.endsWith("@kith.test");
    const out = toHealthActivities(
      [
        {
          id: "m1",
          kind: "email",
          at: N - 2 * day,
          from: "al@kith.test",
          to: ["bo@acme.test"],
          cc: [],
          state: "completed",
          subject: "Offer",
        },
        {
          id: "m2",
          kind: "email",
          at: N - day,
          from: "bo@acme.test",
          to: ["al@kith.test"],
          cc: [],
          state: "completed",
          subject: "Re: offer",
        },
        { id: "c1", kind: "call", at: N, from: null, to: [], cc: [], direction: "in", state: "planned" },
      ],
      isInternal,
    );
    expect(out.map((a) => a.direction)).toEqual(["out", "in", "in"]);
    expect(out[0]?.threadKey).toBe(out[1]?.threadKey);
    expect(out[0]?.threadKey).not.toBeNull();
    expect(out[2]).toMatchObject({ kind: "call", state: "planned", threadKey: null });
  });
});
