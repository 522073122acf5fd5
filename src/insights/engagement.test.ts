import { randomInt } from "node:crypto";
import { describe, expect, it } from "vitest";
import { discreteLaplaceSd, type RandomInt } from "./discrete-laplace";
import {
  buildEngagementDataset,
  canSpend,
  contributionCaps,
  figureNames,
  figureNoiseScale,
  figureSensitivity,
  measureEngagement,
  microPerEpsilon,
  periodBounds,
  periodKey,
  refreshDays,
  releaseEngagement,
  releaseExpiry,
  scoreAmongPeers,
  settleDays,
  type EngagementActivity,
  type EngagementMeasurement,
  type EngagementPeriod,
  type FigureName,
} from "./engagement";
import { createSeededRng } from "./rng";

const day = 86_400_000;
const hour = 3_600_000;
/** An instant in `week` (1–4) of `month` (1–12) of 2024. */
const inWeek = (month: number, week: number, offsetHours = 10): number =>
  Date.UTC(2024, month - 1, 1 + (week - 1) * 7) + offsetHours * hour;

let seq = 0;
const email = (user: string, at: number, extra: Partial<EngagementActivity> = {}): EngagementActivity => ({
  id: `a${++seq}`,
  kind: "email",
  at,
  accountId: "acme",
  internalUserIds: [user],
  externalPeople: ["bob@acme.test"],
  initiator: { side: "ours", userId: user },
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

const measure = (acts: EngagementActivity[], period: EngagementPeriod, k?: number) =>
  measureEngagement(buildEngagementDataset(acts), "acme", period, k);
const crypto: RandomInt = (bound) => randomInt(bound);
const seeded = (seed: number): RandomInt => {
  const rng = createSeededRng(seed);
  return (bound) => Math.floor(rng() * bound);
};
const release = (m: EngagementMeasurement, publishedBefore: FigureName[] = [], epsilon = 2) =>
  releaseEngagement(m, {
    epsilonMicro: epsilon * microPerEpsilon,
    random: crypto,
    publishedBefore: new Set(publishedBefore),
  });

describe("periods", () => {
  it("are fixed calendar cells that nest: the fourth week runs to the month's end", () => {
    expect(periodBounds(week(2, 4))).toEqual({ start: Date.UTC(2024, 1, 22), end: Date.UTC(2024, 2, 1) });
    expect(periodBounds(week(2, 1))).toEqual({ start: Date.UTC(2024, 1, 1), end: Date.UTC(2024, 1, 8) });
    expect(periodBounds(month(12))).toEqual({ start: Date.UTC(2024, 11, 1), end: Date.UTC(2025, 0, 1) });
    expect(periodBounds(year)).toEqual({ start: Date.UTC(2024, 0, 1), end: Date.UTC(2025, 0, 1) });
  });

  it("have one canonical key each (the release key)", () => {
    expect([periodKey(year), periodKey(month(3)), periodKey(week(3, 2))]).toEqual([
      "year:2024",
      "month:2024-03",
      "week:2024-03-2",
    ]);
  });
});

describe("k-threshold", () => {
  it("publishes a figure behind 5 colleagues and suppresses it behind 4, whatever the noise", () => {
    const four = measure(
      users("u", 4).map((u) => email(u, inWeek(1, 1))),
      week(1, 1),
    );
    const five = measure(
      users("u", 5).map((u) => email(u, inWeek(1, 1))),
      week(1, 1),
    );
    for (let i = 0; i < 50; i++) {
      expect(release(four).figures.emailsToAccount).toEqual({ value: null, reason: "suppressed" });
      expect(release(five).figures.emailsToAccount).toMatchObject({ noised: true });
    }
  });

  it("counts distinct colleagues, not activities, and cannot be lowered below 5", () => {
    const many = users("u", 4).flatMap((u) => [email(u, inWeek(1, 1)), email(u, inWeek(1, 1, 12))]);
    expect(measure(many, week(1, 1)).passes.has("emailsToAccount")).toBe(false);
    expect(measure(many, week(1, 1), 2).passes.has("emailsToAccount")).toBe(false);
    expect(measure(many, week(1, 1), 4).passes.size).toBe(0);
  });

  it("applies per figure: meetings by 2 colleagues stay hidden while emails by 5 are shown", () => {
    const acts = [
      ...users("u", 5).map((u) => email(u, inWeek(3, 2))),
      ...users("u", 2).map((u) => email(u, inWeek(3, 2), { kind: "meeting" })),
    ];
    const r = release(measure(acts, week(3, 2)));
    expect(r.figures.emailsToAccount).toMatchObject({ noised: true });
    expect(r.figures.meetingsInitiatedByUs).toEqual({ value: null, reason: "suppressed" });
    expect(r.figures.ourPeopleInvolved).toMatchObject({ noised: true });
    expect(r.published).not.toContain("meetingsInitiatedByUs");
  });

  it("is sticky: a figure once published stays published when colleagues leave the cell", () => {
    const afterOptOuts = measure(
      users("u", 3).map((u) => email(u, inWeek(1, 1))),
      week(1, 1),
    );
    expect(afterOptOuts.passes.size).toBe(0);
    const r = release(afterOptOuts, ["emailsToAccount", "ourPeopleInvolved"]);
    expect(r.figures.emailsToAccount).toMatchObject({ noised: true });
    expect(r.figures.ourPeopleInvolved).toMatchObject({ noised: true });
    expect(r.figures.emailsFromAccount).toEqual({ value: null, reason: "suppressed" });
    expect(r.published).toEqual(["emailsToAccount", "ourPeopleInvolved"]);
  });
});

describe("bounded contributions", () => {
  it("counts a colleague's emails only up to the cap of the cell", () => {
    const busy = Array.from({ length: 40 }, (_, i) => email("busy", inWeek(5, 1) + i * 60_000));
    const crowd = users("u", 4).map((u) => email(u, inWeek(5, 2)));
    const m = measure([...busy, ...crowd], month(5));
    expect(m.counts.emailsToAccount).toBe(contributionCaps.month.emails + 4);
    expect(measure([...busy, ...crowd], year).counts.emailsToAccount).toBe(contributionCaps.year.emails + 4);
  });

  it("direction follows who started it: ours, the account's, or unknown (not counted either way)", () => {
    const acts = [
      email("a", inWeek(1, 1)),
      email("a", inWeek(1, 1), { initiator: { side: "theirs" } }),
      email("a", inWeek(1, 1), { initiator: null }),
    ];
    const m = measure(acts, week(1, 1));
    expect(m.counts).toMatchObject({ emailsToAccount: 1, emailsFromAccount: 1, ourPeopleInvolved: 1 });
  });

  it("bounds what removing any one colleague changes, for every figure (random shared mail)", () => {
    // A colleague's data removed the way an opt-out removes it: they leave every activity, mail
    // they alone were on disappears, and mail they sent keeps no sender.
    const without = (acts: EngagementActivity[], u: string): EngagementActivity[] =>
      acts.flatMap((a) => {
        const internalUserIds = a.internalUserIds.filter((x) => x !== u);
        if (internalUserIds.length === 0) return [];
        const initiator = a.initiator?.side === "ours" && a.initiator.userId === u ? null : a.initiator;
        return [{ ...a, internalUserIds, initiator }];
      });
    for (let seed = 1; seed <= 40; seed++) {
      const rng = createSeededRng(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
      const colleagues = users("c", 3 + Math.floor(rng() * 8));
      const people = users("p", 1 + Math.floor(rng() * 12)).map((p) => `${p}@acme.test`);
      const acts: EngagementActivity[] = Array.from({ length: 20 + Math.floor(rng() * 200) }, () => {
        const on = [...new Set(Array.from({ length: 1 + Math.floor(rng() * 4) }, () => pick(colleagues)))];
        const side = rng();
        return email(on[0]!, inWeek(6, 1 + Math.floor(rng() * 4)) + Math.floor(rng() * 100) * hour, {
          kind: rng() < 0.3 ? "meeting" : "email",
          internalUserIds: on,
          externalPeople: [...new Set(Array.from({ length: 1 + Math.floor(rng() * 3) }, () => pick(people)))],
          initiator: side < 0.5 ? { side: "ours", userId: pick(on) } : side < 0.9 ? { side: "theirs" } : null,
        });
      });
      for (const period of [month(6), week(6, 2), year]) {
        const full = measure(acts, period);
        for (const u of colleagues) {
          const less = measure(without(acts, u), period);
          for (const f of figureNames) {
            const change = Math.abs(full.counts[f] - less.counts[f]);
            expect(change, `seed ${seed}, ${periodKey(period)}, ${u}, ${f}`).toBeLessThanOrEqual(
              figureSensitivity(f, period.unit),
            );
          }
        }
      }
    }
  });
});

describe("release", () => {
  const crowd = users("u", 8).flatMap((u) => [
    email(u, inWeek(4, 1)),
    email(u, inWeek(4, 2), { initiator: { side: "theirs" } }),
  ]);
  const m = measure(crowd, month(4));

  it("noises every figure, never below 0, our people never below k, with the noise's sd shown", () => {
    for (let i = 0; i < 200; i++) {
      const r = release(m);
      expect(r.published).toEqual([
        "emailsToAccount",
        "emailsFromAccount",
        "ourPeopleInvolved",
        "theirPeopleInvolved",
      ]);
      for (const f of r.published) {
        const fig = r.figures[f];
        if (fig.value === null) throw new Error(`${f} published without a value`);
        expect(Number.isInteger(fig.value)).toBe(true);
        expect(fig.value).toBeGreaterThanOrEqual(f === "ourPeopleInvolved" ? 5 : 0);
        expect(fig).toMatchObject({ noised: true });
      }
    }
    const r = release(m);
    expect(r.figures.emailsToAccount).toMatchObject({
      noiseSd: Math.round(discreteLaplaceSd(figureNoiseScale("emailsToAccount", "month", 2e6)) * 10) / 10,
    });
  });

  it("centres on the clipped counts, with the spread its scale promises", () => {
    const n = 3000;
    const values = Array.from({ length: n }, () => release(m, [], 4).figures.emailsToAccount.value ?? NaN);
    const mean = values.reduce((s, x) => s + x, 0) / n;
    const sd = discreteLaplaceSd(figureNoiseScale("emailsToAccount", "month", 4e6));
    // The clamp at 0 lifts the mean a little; the exact count is 8 and the sd about 10.6.
    expect(Math.abs(mean - m.counts.emailsToAccount)).toBeLessThan(3);
    expect(new Set(values).size).toBeGreaterThan(10);
    expect(sd).toBeGreaterThan(5);
  });

  it("draws from the injected source only: the same seeded source gives the same release", () => {
    const once = (seed: number) =>
      releaseEngagement(m, { epsilonMicro: 2e6, random: seeded(seed), publishedBefore: new Set() });
    expect(once(7)).toEqual(once(7));
    expect(new Set([1, 2, 3, 4, 5, 6].map((s) => JSON.stringify(once(s).figures))).size).toBeGreaterThan(1);
  });

  it("noise scale is sensitivity over the figure's share of ε", () => {
    expect(figureNoiseScale("ourPeopleInvolved", "month", 2e6)).toEqual({
      numerator: 1e9,
      denominator: 2e6 * 250,
    });
    expect(() => figureNoiseScale("ourPeopleInvolved", "month", 0)).toThrow(RangeError);
  });
});

describe("engagement score", () => {
  it("ranks the noisy mass among other released accounts", () => {
    expect(scoreAmongPeers(10, [5, 20])).toEqual({ value: 50, noised: true });
    expect(scoreAmongPeers(10, [5, 10])).toEqual({ value: 75, noised: true });
    expect(scoreAmongPeers(10, [])).toEqual({ value: null, reason: "no_peers" });
    expect(scoreAmongPeers(null, [1])).toEqual({ value: null, reason: "suppressed" });
  });

  it("has no mass when our people are suppressed", () => {
    const few = measure(
      users("u", 2).map((u) => email(u, inWeek(1, 1))),
      week(1, 1),
    );
    expect(release(few).mass).toBeNull();
  });
});

describe("release lifetime and the ledger", () => {
  const end = periodBounds(month(4)).end;

  it("keeps a release of a settled cell for good, and lets an unsettled one be refreshed weekly", () => {
    expect(releaseExpiry(month(4), end + 3 * day, null)).toBe(end + (3 + refreshDays) * day);
    expect(releaseExpiry(month(4), end + settleDays * day, null)).toBeNull();
    // Collection that began after the period closed (backfill) settles later.
    const granted = end + 100 * day;
    expect(releaseExpiry(month(4), granted + 5 * day, granted)).toBe(granted + (5 + refreshDays) * day);
    expect(releaseExpiry(month(4), granted + settleDays * day, granted)).toBeNull();
  });

  it("spends only what fits the budget", () => {
    const ledger = { budgetMicro: 3e6, releaseEpsilonMicro: 1e6, spentMicro: 2e6, releases: 2 };
    expect(canSpend(ledger, 1e6)).toBe(true);
    expect(canSpend(ledger, 1e6 + 1)).toBe(false);
    expect(canSpend(ledger, 0)).toBe(false);
  });
});
