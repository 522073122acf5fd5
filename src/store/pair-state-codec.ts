/**
 * The stored form of a strength `PairState` (pair_state.state, internal_pair_state.state): a
 * binary blob of 29 float64 values followed by the UTF-8 accumulation key, instead of JSON.
 *
 * Why: bulk ingest writes one state per (person, colleague) pair touched — millions per 8M-email
 * batch. JSON.stringify/parse of a state cost ≈3 µs and ≈550 bytes; this codec costs a fraction of
 * a microsecond and 262 bytes, which also halves the pair_state B-tree the import rewrites.
 * Null instants are NaN; `lastKind` is 0 (none), 1 (email) or 2 (meeting).
 *
 * Readers go through `decodePairState` (store/insight.repository.ts); nothing outside `store/`
 * sees the bytes.
 */
import type { PairState, TouchKind } from "../insights/strength";

const cellOrder = [
  ["email", "out"],
  ["email", "in"],
  ["email", "mutual"],
  ["meeting", "out"],
  ["meeting", "in"],
  ["meeting", "mutual"],
] as const;

const numbers = 29;
const headerBytes = numbers * 8;

/**
 * Every member of PairState, so that adding one to the type without teaching this codec fails
 * to compile instead of silently dropping it.
 */
const members: Record<keyof PairState, true> = {
  accumulation: true,
  counts: true,
  ignoredLargeGroup: true,
  dampedTouches: true,
  dampingSum: true,
  firstAt: true,
  lastAt: true,
  lastKind: true,
  firstOutAt: true,
  lastOutAt: true,
  firstInAt: true,
  lastInAt: true,
  lastMutualAt: true,
  fast: true,
  slow: true,
};
void members;

const scratch = new Float64Array(numbers);
const scratchBytes = new Uint8Array(scratch.buffer);
const kinds: readonly (TouchKind | null)[] = [null, "email", "meeting"];
const orNaN = (v: number | null): number => (v === null ? Number.NaN : v);
const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

export function encodePairState(s: PairState): Buffer {
  const f = scratch;
  let i = 0;
  for (const [k, d] of cellOrder) f[i++] = s.counts[k][d];
  for (const [k, d] of cellOrder) f[i++] = s.fast[k][d];
  for (const [k, d] of cellOrder) f[i++] = s.slow[k][d];
  f[i++] = s.ignoredLargeGroup;
  f[i++] = s.dampedTouches;
  f[i++] = s.dampingSum;
  f[i++] = orNaN(s.firstAt);
  f[i++] = orNaN(s.lastAt);
  f[i++] = s.lastKind === null ? 0 : s.lastKind === "email" ? 1 : 2;
  f[i++] = orNaN(s.firstOutAt);
  f[i++] = orNaN(s.lastOutAt);
  f[i++] = orNaN(s.firstInAt);
  f[i++] = orNaN(s.lastInAt);
  f[i++] = orNaN(s.lastMutualAt);
  const keyBytes = Buffer.byteLength(s.accumulation);
  const out = Buffer.allocUnsafe(headerBytes + keyBytes);
  out.set(scratchBytes, 0);
  out.write(s.accumulation, headerBytes, "utf8");
  return out;
}

export function decodePairState(blob: Uint8Array): PairState {
  if (blob.length < headerBytes) throw new Error(`pair state blob of ${blob.length} bytes is too short`);
  scratchBytes.set(blob.subarray(0, headerBytes));
  const f = scratch;
  const cells = (from: number) => ({
    email: { out: f[from]!, in: f[from + 1]!, mutual: f[from + 2]! },
    meeting: { out: f[from + 3]!, in: f[from + 4]!, mutual: f[from + 5]! },
  });
  return {
    accumulation: Buffer.from(blob.buffer, blob.byteOffset + headerBytes, blob.length - headerBytes).toString(
      "utf8",
    ),
    counts: cells(0),
    ignoredLargeGroup: f[18]!,
    dampedTouches: f[19]!,
    dampingSum: f[20]!,
    firstAt: orNull(f[21]!),
    lastAt: orNull(f[22]!),
    lastKind: kinds[f[23]!] ?? null,
    firstOutAt: orNull(f[24]!),
    lastOutAt: orNull(f[25]!),
    firstInAt: orNull(f[26]!),
    lastInAt: orNull(f[27]!),
    lastMutualAt: orNull(f[28]!),
    fast: cells(6),
    slow: cells(12),
  };
}
