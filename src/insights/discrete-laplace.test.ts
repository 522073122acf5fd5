import { randomInt } from "node:crypto";
import { describe, expect, it } from "vitest";
import { discreteLaplaceSd, reduceScale, sampleDiscreteLaplace, type NoiseScale } from "./discrete-laplace";

const crypto = (bound: number) => randomInt(bound);

/**
 * Statistical checks on the production source (node:crypto): bounds are many standard errors
 * wide, so a correct sampler fails them with negligible probability, while a wrong scale, a bias
 * or a one-sided sampler fails them every time.
 */
describe("discrete Laplace sampler", () => {
  const draws = 20_000;

  for (const scale of [
    { numerator: 1, denominator: 2 },
    { numerator: 1, denominator: 1 },
    { numerator: 5, denominator: 2 },
    { numerator: 6_000_000_000, denominator: 400_000_007 },
  ] satisfies NoiseScale[]) {
    it(`has mean 0, variance 2p/(1−p)² and P(0) = (1−p)/(1+p) at scale ${scale.numerator}/${scale.denominator}`, () => {
      const xs = Array.from({ length: draws }, () => sampleDiscreteLaplace(scale, crypto));
      expect(xs.every(Number.isInteger)).toBe(true);
      const p = Math.exp(-scale.denominator / scale.numerator);
      const variance = (2 * p) / (1 - p) ** 2;
      const mean = xs.reduce((s, x) => s + x, 0) / draws;
      const sampleVariance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / draws;
      // Standard error of the mean is sd/√n; 8 of them.
      expect(Math.abs(mean)).toBeLessThan((8 * Math.sqrt(variance)) / Math.sqrt(draws));
      expect(sampleVariance / variance).toBeGreaterThan(0.85);
      expect(sampleVariance / variance).toBeLessThan(1.15);
      const zeros = xs.filter((x) => x === 0).length / draws;
      expect(Math.abs(zeros - (1 - p) / (1 + p))).toBeLessThan(0.025);
      const positive = xs.filter((x) => x > 0).length;
      const negative = xs.filter((x) => x < 0).length;
      expect(Math.abs(positive - negative)).toBeLessThan(8 * Math.sqrt(draws));
      expect(discreteLaplaceSd(scale)).toBeCloseTo(Math.sqrt(variance), 9);
    });
  }

  it("follows the probability of each value near 0 (scale 2)", () => {
    const scale = { numerator: 2, denominator: 1 };
    const p = Math.exp(-1 / 2);
    const counts = new Map<number, number>();
    for (let i = 0; i < draws; i++) {
      const x = sampleDiscreteLaplace(scale, crypto);
      counts.set(x, (counts.get(x) ?? 0) + 1);
    }
    for (let x = -4; x <= 4; x++) {
      const expected = ((1 - p) / (1 + p)) * p ** Math.abs(x);
      expect(Math.abs((counts.get(x) ?? 0) / draws - expected), `P(${x})`).toBeLessThan(0.02);
    }
  });

  it("reduces its scale and refuses anything but a ratio of positive integers", () => {
    expect(reduceScale({ numerator: 2_000_000_000, denominator: 500_000_000 })).toEqual({
      numerator: 4,
      denominator: 1,
    });
    for (const bad of [
      { numerator: 0, denominator: 1 },
      { numerator: 1, denominator: 0 },
      { numerator: 1.5, denominator: 1 },
      { numerator: -1, denominator: 1 },
      { numerator: Number.NaN, denominator: 1 },
    ])
      expect(() => sampleDiscreteLaplace(bad, crypto)).toThrow(RangeError);
  });
});
