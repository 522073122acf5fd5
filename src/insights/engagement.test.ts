import { describe, expect, it } from "vitest";
import {
  buildEngagementDataset,
  createEpsilonLedger,
  periodBounds,
  queryAccountEngagement,
  sampleDiscreteLaplace,
  spendEpsilon,
  type EngagementActivity,
  type EngagementPeriod,
  type Figure,
} from "./engagement";
import { createSeededRng } from "./rng";

const day = 86_400_000;
const hour = 3_600_000;
const now = Date.UTC(2025, 5, 1);
/** An instant in `week` (1–4) of `month` (1–12) of 2024. */
const inWeek = (month: number, week: number, offsetHours = 10): number =>
  Date.UTC(2024, month - 1, 1 + (week - 1) * 7) + offsetHours * hour;

const email = (user: string, at: number, extra: Partial<EngagementActivity> = {}): EngagementActivity => ({
  kind: "email",
  at,
  accountId: "acme",
  internalUserIds: [user],
  externalPeople: ["bob@acme.test"],
  initiatedBy: "ours",
  ...extra,
});
const users = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

const month = (m: number): EngagementPeriod => ({ unit: "month", year: 2024, month: m });
const week = (m: number, w: 1 | 2 | 3 | 4): EngagementPeriod => ({
  unit: "week",
  year: 2024,
  month: m,
  week: w,
});
const year: EngagementPeriod = { unit: "year", year: 2024 };

function figure(
  activities: EngagementActivity[],
  period: EngagementPeriod,
  name = "emailsToAccount" as const,
): Figure {
  const r = queryAccountEngagement(buildEngagementDataset(activities), "acme", period, now);
  if (!r.ok) throw new Error(r.detail);
  return r.engagement.figures[name];
}
const suppressed = { value: null, reason: "suppressed" };

describe("periods", () => {
  it("are fixed calendar cells that nest: the fourth week runs to the month's end", () => {
    expect(periodBounds(week(2, 4))).toEqual({ start: Date.UTC(2024, 1, 22), end: Date.UTC(2024, 2, 1) });
    expect(periodBounds(week(2, 1))).toEqual({ start: Date.UTC(2024, 1, 1), end: Date.UTC(2024, 1, 8) });
    expect(periodBounds(month(12))).toEqual({ start: Date.UTC(2024, 11, 1), end: Date.UTC(2025, 0, 1) });
    expect(periodBounds(year)).toEqual({ start: Date.UTC(2024, 0, 1), end: Date.UTC(2025, 0, 1) });
  });

  it("refuses invalid and still-open periods", () => {
    const ds = buildEngagementDataset([]);
    expect(queryAccountEngagement(ds, "acme", { unit: "month", year: 2024, month: 13 }, now)).toMatchObject({
      ok: false,
      reason: "invalid_period",
    });
    expect(queryAccountEngagement(ds, "acme", { unit: "year", year: 2025 }, now)).toMatchObject({
      ok: false,
      reason: "period_not_closed",
    });
  });
});

describe("k-threshold", () => {
  it("suppresses a figure behind 4 users and releases it, exact, behind 5", () => {
    const four = users("u", 4).map((u) => email(u, inWeek(1, 1)));
    const five = users("u", 5).map((u) => email(u, inWeek(1, 1)));
    expect(figure(four, week(1, 1))).toEqual(suppressed);
    expect(figure(five, week(1, 1))).toEqual({ value: 5, noised: false });
  });

  it("counts distinct users, not activities", () => {
    const many = users("u", 4).flatMap((u) => [
      email(u, inWeek(1, 1)),
      email(u, inWeek(1, 1, 12)),
      email(u, inWeek(1, 1, 14)),
    ]);
    expect(figure(many, week(1, 1))).toEqual(suppressed);
  });

  it("cannot be lowered below 5", () => {
    const ds = buildEngagementDataset(users("u", 4).map((u) => email(u, inWeek(1, 1))));
    const r = queryAccountEngagement(ds, "acme", week(1, 1), now, { k: 2 });
    expect(r.ok && r.engagement.figures.emailsToAccount).toEqual(suppressed);
  });

  it("applies per figure: meetings by 2 users stay hidden while emails by 5 are shown", () => {
    const acts = [
      ...users("u", 5).map((u) => email(u, inWeek(3, 2))),
      ...users("u", 2).map((u) => email(u, inWeek(3, 2), { kind: "meeting", durationMin: 30 })),
    ];
    const r = queryAccountEngagement(buildEngagementDataset(acts), "acme", week(3, 2), now);
    expect(r.ok && r.engagement.figures.emailsToAccount).toEqual({ value: 5, noised: false });
    expect(r.ok && r.engagement.figures.meetingsInitiatedByUs).toEqual(suppressed);
    expect(r.ok && r.engagement.figures.averageMeetingMinutes).toEqual(suppressed);
    expect(r.ok && r.engagement.figures.ourPeopleInvolved).toEqual({ value: 5, noised: false });
  });

  it("releases averages exactly when enough people stand behind them", () => {
    const acts = users("u", 5).map((u, i) =>
      email(u, inWeek(3, 2), { kind: "meeting", durationMin: 30 + 15 * i, initiatedBy: "theirs" }),
    );
    const r = queryAccountEngagement(buildEngagementDataset(acts), "acme", week(3, 2), now);
    expect(r.ok && r.engagement.figures.averageMeetingMinutes).toEqual({ value: 60, noised: false });
    expect(r.ok && r.engagement.figures.meetingsInitiatedByThem).toEqual({ value: 5, noised: false });
  });
});

describe("differencing attack", () => {
  const fiveInWeek1 = users("u", 5).map((u) => email(u, inWeek(1, 1)));
  const fAlone = email("F", inWeek(1, 3));

  it("month − released week would reveal F: the month is suppressed too", () => {
    const acts = [...fiveInWeek1, fAlone];
    expect(figure(acts, week(1, 1))).toEqual({ value: 5, noised: false });
    expect(figure(acts, week(1, 3))).toEqual(suppressed);
    // 6 users stand behind January, but January − week 1 = F's mail alone.
    expect(figure(acts, month(1))).toEqual(suppressed);
    expect(figure(acts, year)).toEqual(suppressed);
  });

  it("year − released months − released weeks would reveal F: the year is suppressed", () => {
    const jan = users("u", 5).flatMap((u) => [email(u, inWeek(1, 1)), email(u, inWeek(1, 2))]);
    const feb = [...users("u", 5).map((u) => email(u, inWeek(2, 1))), email("F", inWeek(2, 2))];
    const acts = [...jan, ...feb];
    expect(figure(acts, month(1))).toEqual({ value: 10, noised: false });
    expect(figure(acts, week(2, 1))).toEqual({ value: 5, noised: false });
    expect(figure(acts, month(2))).toEqual(suppressed);
    expect(figure(acts, year)).toEqual(suppressed);
  });

  it("releases the parent when F is in a crowd of 5 after all", () => {
    const acts = [...fiveInWeek1, fAlone, ...users("g", 4).map((u) => email(u, inWeek(1, 3)))];
    expect(figure(acts, month(1))).toEqual({ value: 10, noised: false });
    expect(figure(acts, year)).toEqual({ value: 10, noised: false });
  });

  it("releases the parent when the suppressed remainder has 5 users behind it", () => {
    const acts = [
      ...fiveInWeek1,
      ...["a", "b"].map((u) => email(u, inWeek(1, 2))),
      ...["c", "d", "e"].map((u) => email(u, inWeek(1, 3))),
    ];
    expect(figure(acts, week(1, 2))).toEqual(suppressed);
    expect(figure(acts, week(1, 3))).toEqual(suppressed);
    expect(figure(acts, month(1))).toEqual({ value: 10, noised: false });
  });

  it("leaves no single small week derivable from any combination of released cells (random data)", () => {
    for (let seed = 1; seed <= 25; seed++) {
      const rng = createSeededRng(seed);
      const acts: EngagementActivity[] = [];
      const usersPerWeek: number[] = [];
      for (let m = 1; m <= 12; m++) {
        for (let w = 1; w <= 4; w++) {
          const n = rng() < 0.5 ? Math.floor(rng() * 4) : Math.floor(rng() * 9);
          usersPerWeek.push(n);
          for (let i = 0; i < n; i++)
            acts.push(email(`u${Math.floor(rng() * 40)}-${m}-${w}-${i}`, inWeek(m, w)));
        }
      }
      const ds = buildEngagementDataset(acts);
      const rows: number[][] = [];
      const cells: { period: EngagementPeriod; weeks: number[] }[] = [{ period: year, weeks: range(0, 48) }];
      for (let m = 1; m <= 12; m++) {
        cells.push({ period: month(m), weeks: range((m - 1) * 4, m * 4) });
        for (const w of [1, 2, 3, 4] as const)
          cells.push({ period: week(m, w), weeks: [(m - 1) * 4 + w - 1] });
      }
      for (const c of cells) {
        const r = queryAccountEngagement(ds, "acme", c.period, now);
        if (r.ok && r.engagement.figures.emailsToAccount.value !== null) rows.push(indicator(c.weeks));
      }
      usersPerWeek.forEach((n, i) => {
        if (n >= 1 && n < 5) expect(inRowSpan(rows, indicator([i])), `seed ${seed}, week ${i}`).toBe(false);
      });
    }
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
function indicator(weeks: number[]): number[] {
  const v = new Array<number>(48).fill(0);
  for (const w of weeks) v[w] = 1;
  return v;
}
function rank(rows: number[][]): number {
  const m = rows.map((r) => [...r]);
  let r = 0;
  for (let c = 0; c < 48 && r < m.length; c++) {
    const pivot = m.findIndex((row, i) => i >= r && Math.abs(row[c] ?? 0) > 1e-9);
    if (pivot < 0) continue;
    [m[r], m[pivot]] = [m[pivot] ?? [], m[r] ?? []];
    const p = m[r] ?? [];
    for (let i = 0; i < m.length; i++) {
      const row = m[i] ?? [];
      if (i === r || Math.abs(row[c] ?? 0) < 1e-9) continue;
      const f = (row[c] ?? 0) / (p[c] ?? 1);
      for (let j = 0; j < 48; j++) row[j] = (row[j] ?? 0) - f * (p[j] ?? 0);
    }
    r++;
  }
  return r;
}
function inRowSpan(rows: number[][], target: number[]): boolean {
  return rank(rows) === rank([...rows, target]);
}

describe("noise and the ε ledger", () => {
  const acts = users("u", 8).flatMap((u) => [email(u, inWeek(4, 1)), email(u, inWeek(4, 2))]);
  const ds = buildEngagementDataset(acts);

  it("is deterministic with a seeded generator, and paid for", () => {
    const run = () =>
      queryAccountEngagement(ds, "acme", month(4), now, {
        noise: { epsilon: 0.5, rng: createSeededRng(42), ledger: createEpsilonLedger(1) },
      });
    const a = run();
    const b = run();
    expect(a).toEqual(b);
    expect(a.ok && a.engagement.figures.emailsToAccount).toMatchObject({ noised: true });
    expect(a.ledger?.spent).toBe(0.5);
    const values = [1, 2, 3, 4, 5, 6].map((seed) => {
      const r = queryAccountEngagement(ds, "acme", month(4), now, {
        noise: { epsilon: 0.5, rng: createSeededRng(seed), ledger: createEpsilonLedger(1) },
      });
      return r.ok ? r.engagement.figures.emailsToAccount.value : null;
    });
    expect(new Set(values).size).toBeGreaterThan(1);
    expect(values.every((v) => v !== null && v >= 0)).toBe(true);
  });

  it("refuses once the budget is spent, leaving the ledger unchanged", () => {
    const rng = createSeededRng(1);
    let ledger = createEpsilonLedger(1);
    for (let i = 0; i < 2; i++) {
      const r = queryAccountEngagement(ds, "acme", month(4), now, { noise: { epsilon: 0.5, rng, ledger } });
      expect(r.ok).toBe(true);
      ledger = r.ledger ?? ledger;
    }
    const refused = queryAccountEngagement(ds, "acme", month(4), now, {
      noise: { epsilon: 0.5, rng, ledger },
    });
    expect(refused).toMatchObject({ ok: false, reason: "budget_exhausted" });
    expect(refused.ledger).toBe(ledger);
    expect(ledger.entries.map((e) => e.label)).toEqual([
      "engagement acme 2024-04",
      "engagement acme 2024-04",
    ]);
  });

  it("ledger: spends, refuses over budget or invalid costs", () => {
    const l = createEpsilonLedger(1);
    const a = spendEpsilon(l, 0.7, "q1");
    expect(a).toMatchObject({ ok: true, ledger: { spent: 0.7 } });
    expect(l.spent).toBe(0);
    expect(a.ok && spendEpsilon(a.ledger, 0.4, "q2")).toMatchObject({
      ok: false,
      reason: "budget_exhausted",
    });
    expect(spendEpsilon(l, 0, "q3")).toMatchObject({ ok: false, reason: "invalid_cost" });
    expect(() => createEpsilonLedger(0)).toThrow();
  });

  it("discrete Laplace draws are centred with variance 2p/(1−p)²", () => {
    const rng = createSeededRng(9);
    const scale = 2;
    const pr = Math.exp(-1 / scale);
    const draws = Array.from({ length: 40_000 }, () => sampleDiscreteLaplace(scale, rng));
    const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
    const variance = draws.reduce((s, x) => s + (x - mean) ** 2, 0) / draws.length;
    expect(Math.abs(mean)).toBeLessThan(0.1);
    expect(variance / ((2 * pr) / (1 - pr) ** 2)).toBeGreaterThan(0.93);
    expect(variance / ((2 * pr) / (1 - pr) ** 2)).toBeLessThan(1.07);
    expect(draws.every(Number.isInteger)).toBe(true);
  });
});

describe("account-level figures", () => {
  it("engagement score is the percentile among released accounts", () => {
    const acc = (accountId: string, perUser: number, kind: "email" | "meeting" = "email") =>
      users(accountId, 5).flatMap((u) =>
        Array.from({ length: perUser }, () => email(u, inWeek(5, 1), { accountId, kind })),
      );
    const ds = buildEngagementDataset([
      ...acc("a", 1),
      ...acc("b", 2),
      ...acc("c", 1, "meeting"),
      ...users("d", 2).map((u) => email(u, inWeek(5, 1), { accountId: "d" })),
    ]);
    const score = (id: string) => {
      const r = queryAccountEngagement(ds, id, week(5, 1), now);
      return r.ok ? r.engagement.engagementScore : null;
    };
    expect(score("a")).toEqual({ value: 0, noised: false });
    expect(score("b")).toEqual({ value: 50, noised: false });
    expect(score("c")).toEqual({ value: 100, noised: false });
    expect(score("d")).toEqual(suppressed);
    const alone = queryAccountEngagement(buildEngagementDataset(acc("a", 1)), "a", week(5, 1), now);
    expect(alone.ok && alone.engagement.engagementScore).toEqual({ value: null, reason: "no_peers" });
  });

  it("days since last email is k-anonymous: the 5th most recent colleague's last email", () => {
    const end = Date.UTC(2024, 1, 1);
    const acts = [1, 2, 3, 4, 5, 6].map((d, i) => email(`u${i}`, end - d * day - hour));
    const r = queryAccountEngagement(buildEngagementDataset(acts), "acme", month(1), now);
    expect(r.ok && r.engagement.daysSinceLastEmail).toEqual({ value: 5, noised: false });
    expect(r.ok && r.engagement.daysSinceLastMeeting).toEqual(suppressed);
    const few = queryAccountEngagement(buildEngagementDataset(acts.slice(0, 4)), "acme", month(1), now);
    expect(few.ok && few.engagement.daysSinceLastEmail).toEqual(suppressed);
  });

  it("first engagement is the first month with 5 colleagues behind it", () => {
    const acts = [
      ...users("u", 2).map((u) => email(u, inWeek(1, 1))),
      ...users("v", 5).map((u) => email(u, inWeek(2, 3))),
    ];
    const r = queryAccountEngagement(buildEngagementDataset(acts), "acme", month(3), now);
    expect(r.ok && r.engagement.firstEngagement).toEqual({ value: "2024-02" });
    const before = queryAccountEngagement(buildEngagementDataset(acts), "acme", month(1), now);
    expect(before.ok && before.engagement.firstEngagement).toEqual(suppressed);
  });
});
