/**
 * A seeded pseudo-random generator for reproducible bootstraps and tests. Insights never call
 * Math.random themselves: randomness is injected as `() => number` in [0, 1).
 */
export type Rng = () => number;

/**
 * mulberry32: 32-bit state, good enough statistical quality for resampling and test noise, and
 * identical on every platform. Not for cryptographic use: production noise should be driven by
 * a cryptographically secure source (e.g. `crypto.getRandomValues`) injected by the caller.
 */
export function createSeededRng(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
