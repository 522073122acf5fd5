/**
 * Exact discrete Laplace (two-sided geometric) noise: P(x) ∝ exp(−|x| / scale) over the integers,
 * for a rational scale `numerator / denominator`.
 *
 * Written by hand because no maintained npm package samples it exactly. The usual shortcut
 * (difference of two geometrics through `Math.log` of a float uniform) is not used: floating-point
 * samplers leak through the gaps in the values they can produce (Mironov, CCS 2012). This follows
 * Canonne, Kamath and Steinke, "The Discrete Gaussian for Differential Privacy" (NeurIPS 2020),
 * Algorithms 1 and 2: integer arithmetic and uniform integers only.
 *
 * Randomness is injected (`RandomInt`), so this module stays pure; production passes
 * `node:crypto`'s `randomInt`, never Math.random or a seed.
 */

/** A uniform integer in [0, bound); `bound` is a positive integer below 2^48 (crypto.randomInt's limit). */
export type RandomInt = (bound: number) => number;

const maxBound = 2 ** 48;

function bernoulli(numerator: number, denominator: number, random: RandomInt): boolean {
  if (denominator >= maxBound) throw new RangeError("noise scale needs integers below 2^48");
  return random(denominator) < numerator;
}

/** Bernoulli(exp(−numerator/denominator)), exactly (CKS Algorithm 1). */
function bernoulliExp(numerator: number, denominator: number, random: RandomInt): boolean {
  if (numerator <= denominator) {
    // P(K odd) for K the first k with Bernoulli(γ/k) = 0 is exp(−γ), γ ∈ [0, 1].
    let k = 1;
    while (bernoulli(numerator, denominator * k, random)) k += 1;
    return k % 2 === 1;
  }
  for (let i = Math.floor(numerator / denominator); i > 0; i -= 1)
    if (!bernoulliExp(1, 1, random)) return false;
  return bernoulliExp(numerator % denominator, denominator, random);
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** A noise scale as a fraction of positive integers (sensitivity / ε share). */
export interface NoiseScale {
  numerator: number;
  denominator: number;
}

export function reduceScale(scale: NoiseScale): NoiseScale {
  const { numerator, denominator } = scale;
  if (!(
    Number.isSafeInteger(numerator) &&
    Number.isSafeInteger(denominator) &&
    numerator > 0 &&
    denominator > 0
  ))
    throw new RangeError(`noise scale ${numerator}/${denominator} must be a ratio of positive integers`);
  const d = gcd(numerator, denominator);
  return { numerator: numerator / d, denominator: denominator / d };
}

/** One draw of discrete Laplace noise with scale `numerator/denominator` (CKS Algorithm 2). */
export function sampleDiscreteLaplace(scale: NoiseScale, random: RandomInt): number {
  const { numerator: t, denominator: s } = reduceScale(scale);
  for (;;) {
    const u = random(t);
    if (!bernoulliExp(u, t, random)) continue;
    let v = 0;
    while (bernoulliExp(1, 1, random)) v += 1;
    const y = Math.floor((u + t * v) / s);
    const negative = random(2) === 1;
    if (negative && y === 0) continue;
    return negative ? -y : y;
  }
}

/** Standard deviation of discrete Laplace noise: √(2p)/(1−p) with p = exp(−1/scale). */
export function discreteLaplaceSd(scale: NoiseScale): number {
  const p = Math.exp(-scale.denominator / scale.numerator);
  return Math.sqrt(2 * p) / (1 - p);
}
