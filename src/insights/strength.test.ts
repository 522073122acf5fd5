import { describe, expect, it } from "vitest";
import { createSeededRng } from "./rng";
import {
  accumulationKey,
  buildPairState,
  checkStrengthParams,
  defaultStrengthParams,
  emptyPairState,
  explainStrength,
  foldTouch,
  frequencyScore,
  groupDampingFactor,
  labelForScore,
  lastTwoWayExchange,
  mergePairStates,
  recencyScore,
  scoreStrength,
  type PairState,
  type StrengthParams,
  type Touch,
} from "./strength";

const day = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);
const p = defaultStrengthParams;
const noTail: StrengthParams = { ...p, longTailShare: 0 };

const email = (at: number, direction: Touch["direction"], groupSize = 2): Touch => ({
  at,
  kind: "email",
  direction,
  groupSize,
});
const meeting = (at: number, groupSize = 2): Touch => ({
  at,
  kind: "meeting",
  direction: "mutual",
  groupSize,
});

const fold = (touches: Touch[], params: StrengthParams = p): PairState =>
  touches.reduce((s, t) => foldTouch(s, t, params), emptyPairState(params));

describe("labelForScore", () => {
  it.each([
    [100, "strong"],
    [70, "strong"],
    [69, "moderate"],
    [40, "moderate"],
    [39, "weak"],
    [0, "weak"],
  ] as const)("%i → %s", (score, label) => {
    expect(labelForScore(score)).toBe(label);
  });
});

describe("decay", () => {
  it("halves the fast term at the half-life", () => {
    const s = fold([meeting(T0)], noTail);
    const at0 = scoreStrength(s, T0, noTail).factors.mass;
    const atHalf = scoreStrength(s, T0 + 90 * day, noTail).factors.mass;
    expect(at0).toBeCloseTo(3, 12); // a mutual meeting weighs 3
    expect(atHalf / at0).toBeCloseTo(0.5, 12);
    expect(scoreStrength(s, T0 + 180 * day, noTail).factors.mass / at0).toBeCloseTo(0.25, 12);
  });

  it("keeps a slow long tail: mass two half-lives on is more than the fast term alone", () => {
    const s = fold([meeting(T0)]);
    const mass = scoreStrength(s, T0 + 180 * day).factors.mass;
    // 0.8·3·2^-2 + 0.2·3·2^(-180/730)
    expect(mass).toBeCloseTo(0.8 * 3 * 0.25 + 0.2 * 3 * Math.pow(2, -180 / 730), 12);
  });

  it("maps mass to score by 100·(1 − e^(−mass/saturation))", () => {
    const s = fold([meeting(T0), email(T0, "out"), email(T0, "in")]);
    const r = scoreStrength(s, T0);
    expect(r.factors.mass).toBeCloseTo(3 + 1 + 1, 12);
    expect(r.score).toBe(Math.round(100 * (1 - Math.exp(-5 / 8)))); // 46
    expect(r.score).toBe(46);
    expect(r.label).toBe("moderate");
  });
});

describe("weights", () => {
  it("values a meeting above an email and a sent email above a received one", () => {
    const withMeeting = scoreStrength(fold([meeting(T0), email(T0, "in")]), T0).raw;
    const withSent = scoreStrength(fold([email(T0, "out"), email(T0, "in")]), T0).raw;
    const withReceived = scoreStrength(fold([email(T0, "in"), email(T0 - day, "out")]), T0).raw;
    expect(withMeeting).toBeGreaterThan(withSent);
    expect(withSent).toBeGreaterThan(withReceived);
  });
});

describe("reciprocity gate", () => {
  it("caps one-way mail however much of it there is", () => {
    const oneWay = fold(Array.from({ length: 10 }, (_, i) => email(T0 - i * 1000, "out")));
    const r = scoreStrength(oneWay, T0);
    // ungated: 100·(1 − e^(−10/8)) ≈ 71 (strong); gated: 20·tanh(0.3·71.35/20) ≈ 15.8
    expect(r.score).toBe(16);
    expect(r.label).toBe("weak");
    expect(r.factors.reciprocity).toMatchObject({ twoWay: false, gated: true, factor: 0.3 });
    const flood = fold(Array.from({ length: 400 }, (_, i) => email(T0 - i * 1000, "out")));
    expect(scoreStrength(flood, T0).raw).toBeLessThan(20);
  });

  it("still ranks more one-way mail above less (the cap is approached, never reached)", () => {
    const ten = scoreStrength(fold(Array.from({ length: 10 }, (_, i) => email(T0 - i, "out"))), T0).raw;
    const twenty = scoreStrength(fold(Array.from({ length: 20 }, (_, i) => email(T0 - i, "out"))), T0).raw;
    expect(twenty).toBeGreaterThan(ten);
  });

  it("gates mail only received less than mail only sent", () => {
    const received = scoreStrength(fold([email(T0, "in"), email(T0 - 1, "in")]), T0);
    const sent = scoreStrength(fold([email(T0, "out"), email(T0 - 1, "out")]), T0);
    expect(received.factors.reciprocity.factor).toBe(0.6);
    // mass 2 → 100·(1 − e^(−2/8)) = 22.12; 20·tanh(0.6·22.12/20) = 11.6 vs 20·tanh(0.3·22.12/20) = 6.4
    expect(received.score).toBe(12);
    expect(sent.score).toBe(6);
  });

  it("lifts the cap once the person writes back", () => {
    const base = Array.from({ length: 10 }, (_, i) => email(T0 - (i + 1) * 1000, "out"));
    const r = scoreStrength(fold([...base, email(T0, "in")]), T0);
    expect(r.factors.reciprocity.twoWay).toBe(true);
    expect(r.score).toBe(Math.round(100 * (1 - Math.exp(-(10 * 1 + 1) / 8)))); // 75
    expect(r.label).toBe("strong");
  });

  it("also gates mail only received", () => {
    const r = scoreStrength(fold([email(T0, "in"), email(T0 + 1, "in"), email(T0 + 2, "in")]), T0 + 2);
    expect(r.factors.reciprocity.gated).toBe(true);
    expect(r.score).toBeLessThanOrEqual(20);
  });

  it("counts a meeting attended together as two-way", () => {
    expect(scoreStrength(fold([meeting(T0)]), T0).factors.reciprocity.twoWay).toBe(true);
  });
});

describe("lastTwoWayExchange", () => {
  it.each([
    ["reply after a sent mail", [email(T0, "out"), email(T0 + 2 * day, "in")], T0 + 2 * day],
    ["sent after a received mail", [email(T0, "in"), email(T0 + day, "out")], T0 + day],
    [
      "latest of several",
      [email(T0, "in"), email(T0 + day, "out"), email(T0 + 5 * day, "out")],
      T0 + 5 * day,
    ],
    ["one way only", [email(T0, "in"), email(T0 + day, "in")], null],
    ["meeting", [email(T0 + 9 * day, "out"), meeting(T0 + 3 * day)], T0 + 3 * day],
  ] as const)("%s", (_name, touches, expected) => {
    expect(lastTwoWayExchange(fold([...touches]))).toBe(expected);
  });
});

describe("group-size damping", () => {
  it("damps by 1/sqrt(others) and ignores above the cap", () => {
    expect(groupDampingFactor(2, "inverse_sqrt")).toBe(1);
    expect(groupDampingFactor(5, "inverse_sqrt")).toBe(0.5);
    expect(groupDampingFactor(5, "inverse_log")).toBeCloseTo(1 / (1 + Math.log(4)), 12);
    expect(groupDampingFactor(5, "none")).toBe(1);
    const sqrt: StrengthParams = { ...p, groupDamping: "inverse_sqrt" };
    const s = fold([email(T0, "out", 5), email(T0, "in", 2), email(T0, "out", 51)], sqrt);
    const r = scoreStrength(s, T0, sqrt);
    expect(r.factors.mass).toBeCloseTo(0.5 + 1, 12);
    expect(r.factors.groupDamping).toMatchObject({ dampedTouches: 1, ignoredAboveCap: 1, meanFactor: 0.75 });
    expect(r.factors.emails.total).toBe(2);
  });

  it("treats a message with only large distributions in common as no relationship", () => {
    const s = fold([email(T0, "out", 200), email(T0, "in", 200)]);
    expect(scoreStrength(s, T0).score).toBe(0);
    expect(explainStrength(scoreStrength(s, T0))).toMatch(/large distributions/);
  });
});

describe("incremental folding", () => {
  const rng = createSeededRng(7);
  const touches: Touch[] = Array.from({ length: 60 }, () => ({
    at: T0 + Math.floor(rng() * 400) * day + Math.floor(rng() * day),
    kind: rng() < 0.3 ? "meeting" : "email",
    direction: (["out", "in", "mutual"] as const)[Math.floor(rng() * 3)] ?? "out",
    groupSize: 2 + Math.floor(rng() * 8),
  }));
  const asOf = T0 + 420 * day;

  it("gives the same score whatever the order", () => {
    const forward = scoreStrength(fold(touches), asOf);
    const backward = scoreStrength(fold([...touches].reverse()), asOf);
    const shuffled = [...touches].sort(() => rng() - 0.5);
    const mixed = scoreStrength(fold(shuffled), asOf);
    expect(Math.abs(forward.raw - backward.raw)).toBeLessThan(1e-9);
    expect(Math.abs(forward.raw - mixed.raw)).toBeLessThan(1e-9);
    expect(Math.abs(forward.factors.mass - mixed.factors.mass)).toBeLessThan(1e-9);
    expect(backward.factors).toMatchObject({
      emails: forward.factors.emails,
      meetings: forward.factors.meetings,
      lastTwoWayExchange: forward.factors.lastTwoWayExchange,
      lastInteraction: forward.factors.lastInteraction,
    });
  });

  it("equals batch computation and merging of partial states", () => {
    const batch = scoreStrength(buildPairState(touches), asOf);
    const a = buildPairState(touches.slice(0, 25));
    const b = buildPairState(touches.slice(25));
    const merged = scoreStrength(mergePairStates(a, b), asOf);
    const mergedOtherWay = scoreStrength(mergePairStates(b, a), asOf);
    const folded = scoreStrength(fold(touches), asOf);
    expect(Math.abs(batch.raw - folded.raw)).toBeLessThan(1e-9);
    expect(Math.abs(batch.raw - merged.raw)).toBeLessThan(1e-9);
    expect(Math.abs(merged.raw - mergedOtherWay.raw)).toBeLessThan(1e-9);
    expect(merged.factors.firstInteraction).toBe(batch.factors.firstInteraction);
  });

  it("does not modify the input state", () => {
    const s = emptyPairState();
    const next = foldTouch(s, email(T0, "out"));
    expect(s.counts.email.out).toBe(0);
    expect(next.counts.email.out).toBe(1);
  });

  it("refuses a state accumulated with other half-lives", () => {
    const s = fold([email(T0, "out")]);
    expect(() => scoreStrength(s, T0, { ...p, halfLifeDays: 30 })).toThrow(/rebuild/);
    // Weights, saturation and the gate are applied at scoring time and may change freely.
    expect(() => scoreStrength(s, T0, { ...p, saturation: 4 })).not.toThrow();
  });
});

describe("touches after asOf", () => {
  it("are flagged, counted undecayed and never inflate the mass", () => {
    const s = fold([meeting(T0), meeting(T0 + 10 * day)], noTail);
    const early = scoreStrength(s, T0, noTail);
    const atLast = scoreStrength(s, T0 + 10 * day, noTail);
    expect(early.factors.touchesAfterAsOf).toBe(true);
    expect(early.factors.mass).toBeCloseTo(atLast.factors.mass, 12);
    expect(atLast.factors.touchesAfterAsOf).toBe(false);
  });

  it("can be left out exactly with buildPairState(…, until)", () => {
    const s = buildPairState([meeting(T0), meeting(T0 + 10 * day)], noTail, T0);
    expect(scoreStrength(s, T0, noTail).factors.mass).toBeCloseTo(3, 12);
  });
});

describe("explainStrength", () => {
  it("says what, over how long, and the last two-way exchange", () => {
    const first = Date.UTC(2023, 0, 2);
    const last = Date.UTC(2024, 2, 2);
    const touches = [
      ...Array.from({ length: 7 }, (_, i) => email(first + i * 30 * day, "out")),
      ...Array.from({ length: 5 }, (_, i) => email(first + (i * 30 + 1) * day, "in")),
      meeting(first + 200 * day),
      meeting(last),
    ];
    const text = explainStrength(scoreStrength(fold(touches), last));
    expect(text).toBe(
      "12 emails (7 sent, 5 received) and 2 meetings over 14 months; last two-way exchange 2024-03-02",
    );
  });

  it("says when there is no two-way exchange", () => {
    const text = explainStrength(scoreStrength(fold([email(T0, "out")]), T0));
    expect(text).toBe("1 email (1 sent, 0 received) on 2024-01-01; no two-way exchange yet");
  });
});

describe("baselines", () => {
  it("rank by number of interactions and by last interaction", () => {
    const s = fold([email(T0, "out"), email(T0 + day, "in"), meeting(T0 + 2 * day), email(T0, "out", 99)]);
    expect(frequencyScore(s)).toBe(3);
    expect(recencyScore(s)).toBe(T0 + 2 * day);
    expect(recencyScore(emptyPairState())).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe("checkStrengthParams", () => {
  it("accepts the defaults and names each bad setting", () => {
    expect(checkStrengthParams(p)).toEqual([]);
    const bad = checkStrengthParams({
      ...p,
      halfLifeDays: 0,
      longTailShare: 2,
      weights: { email: { out: 0.5, in: 1, mutual: 1 }, meeting: { out: 1, in: 1, mutual: 0.2 } },
    });
    expect(bad).toHaveLength(4);
  });
});

describe("accumulation key and merge arithmetic", () => {
  it("the key follows the parameters it is built from, however they alternate", () => {
    const other: StrengthParams = { ...p, halfLifeDays: 30, groupDamping: "none" };
    expect(accumulationKey(p)).toBe("h=90;H=730;d=inverse_log;cap=50");
    expect(accumulationKey(other)).toBe("h=30;H=730;d=none;cap=50");
    expect(emptyPairState(p).accumulation).toBe(accumulationKey(p));
    expect(accumulationKey({ ...p, groupSizeCap: 12 })).toBe("h=90;H=730;d=inverse_log;cap=12");
    expect(accumulationKey(p)).toBe("h=90;H=730;d=inverse_log;cap=50");
  });

  it("merges bit for bit as the cell-by-cell definition (each part's decay, a's term then b's)", () => {
    const decayAsDefined = (age: number, halfLife: number) => Math.pow(2, -age / (halfLife * day));
    const mergeCellsAsDefined = (a: PairState, b: PairState) => {
      const ref = a.lastAt === null ? b.lastAt : b.lastAt === null ? a.lastAt : Math.max(a.lastAt, b.lastAt);
      const out = emptyPairState(p);
      for (const kind of ["email", "meeting"] as const) {
        for (const dir of ["out", "in", "mutual"] as const) {
          out.counts[kind][dir] = a.counts[kind][dir] + b.counts[kind][dir];
          for (const part of [a, b]) {
            if (part.lastAt === null || ref === null) continue;
            out.fast[kind][dir] += part.fast[kind][dir] * decayAsDefined(ref - part.lastAt, p.halfLifeDays);
            out.slow[kind][dir] +=
              part.slow[kind][dir] * decayAsDefined(ref - part.lastAt, p.longTailHalfLifeDays);
          }
        }
      }
      return { counts: out.counts, fast: out.fast, slow: out.slow };
    };
    const rng = createSeededRng(7);
    const touches = (): Touch[] =>
      Array.from({ length: 1 + Math.floor(rng() * 4) }, () => ({
        at: T0 + Math.floor(rng() * 400) * day + Math.floor(rng() * day),
        kind: rng() < 0.7 ? "email" : "meeting",
        direction: (["out", "in", "mutual"] as const)[Math.floor(rng() * 3)]!,
        groupSize: 2 + Math.floor(rng() * 60),
      }));
    for (let i = 0; i < 500; i++) {
      const a = buildPairState(touches(), p);
      const b = buildPairState(touches(), p);
      const merged = mergePairStates(a, b, p);
      expect({ counts: merged.counts, fast: merged.fast, slow: merged.slow }).toEqual(
        mergeCellsAsDefined(a, b),
      );
    }
  });
});
