import { describe, expect, it } from "vitest";
import { defaultStrengthParams, type Touch } from "./strength";
import { applyFitChange, defaultFitGrid, fitStrengthParams, type FitTouch } from "./strength-fit";

const day = 86_400_000;
const T = Date.UTC(2024, 0, 1);
const H = 90;

const email = (at: number, direction: "in" | "out"): Touch => ({
  at,
  kind: "email",
  direction,
  groupSize: 2,
});

/**
 * One question at cut-off `c`: "old" had 20 exchanges 200 days before, "recent" 5 exchanges 5 days
 * before; `answer` is who writes with the person 10 days after the cut-off. A 90-day half-life
 * ranks "old" first, a 30-day one "recent"; counting ranks "old" first.
 */
function question(person: string, c: number, answer: "old" | "recent"): FitTouch[] {
  const out: FitTouch[] = [];
  for (let i = 0; i < 20; i++)
    for (const d of ["out", "in"] as const)
      out.push({ person, userId: "old", touch: email(c - 200 * day - i * 3_600_000, d) });
  for (let i = 0; i < 5; i++)
    for (const d of ["out", "in"] as const)
      out.push({ person, userId: "recent", touch: email(c - 5 * day - i * 3_600_000, d) });
  out.push({ person, userId: answer, touch: email(c + 10 * day, "out") });
  return out;
}

function history(choose: "old" | "recent", report: "old" | "recent", perWindow = 12): FitTouch[] {
  const reportCut = T - H * day;
  const out: FitTouch[] = [];
  for (const k of [3, 2, 1])
    for (let i = 0; i < perWindow; i++)
      out.push(...question(`p${k}-${i}@ext.example`, reportCut - k * H * day, choose));
  for (let i = 0; i < perWindow; i++) out.push(...question(`r-${i}@ext.example`, reportCut, report));
  return out;
}

describe("fitStrengthParams", () => {
  it("keeps the untuned parameters when the history is too short", () => {
    const fit = fitStrengthParams(history("recent", "recent", 5), { asOf: T });
    expect(fit.status).toBe("insufficient_history");
    expect(fit.change).toBeNull();
    expect(fit.params).toEqual(defaultStrengthParams);
    expect(fit.choose.targets).toBe(15);
  });

  it("chooses the half-life the tenant's own history rewards, and reports it on the later window", () => {
    const fit = fitStrengthParams(history("recent", "recent"), { asOf: T });
    expect(fit.status).toBe("fitted");
    expect(fit.change?.halfLifeDays).toBe(30);
    expect(fit.params.halfLifeDays).toBe(30);
    expect(fit.choose).toEqual({ targets: 36, tuned: 1, untuned: 0.5, frequency: 0.5 });
    expect(fit.report).toEqual({ targets: 12, tuned: 1, untuned: 0.5, frequency: 0.5 });
    expect(fit.chooseCutOffs).toEqual([T - 4 * H * day, T - 3 * H * day, T - 2 * H * day]);
    expect(fit.reportCutOff).toBe(T - H * day);
  });

  it("chooses on the earlier windows only: a later window that disagrees is reported, not fitted to", () => {
    const fit = fitStrengthParams(history("recent", "old"), { asOf: T });
    expect(fit.change?.halfLifeDays).toBe(30);
    expect(fit.report.tuned).toBe(0.5);
    expect(fit.report.untuned).toBe(1);
    expect(fit.report.frequency).toBe(1);
  });

  it("keeps the untuned parameters when nothing beats them", () => {
    const fit = fitStrengthParams(history("old", "old"), { asOf: T });
    expect(fit.status).toBe("untuned_kept");
    expect(fit.params).toEqual(defaultStrengthParams);
    expect(fit.choose.tuned).toBe(fit.choose.untuned);
  });

  it("only tries valid parameter sets", () => {
    const grid = defaultFitGrid();
    expect(grid).toHaveLength(96);
    const p = applyFitChange(defaultStrengthParams, {
      halfLifeDays: 30,
      emailOutWeight: 2,
      reciprocity: "lenient",
      groupDamping: "none",
      meetingWeight: 3,
    });
    expect(p.weights.email).toEqual({ out: 2, in: 1, mutual: 1 });
    expect(p.weights.meeting.mutual).toBe(3);
    expect([p.oneWayFactor, p.inboundOnlyFactor]).toEqual([0.6, 0.9]);
  });
});
