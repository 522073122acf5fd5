/**
 * The stored form of a strength `PairState` (pair_state.state, internal_pair_state.state): a
 * compact binary blob instead of JSON.
 *
 * Why: bulk ingest writes one state per (person, colleague) pair touched — millions per 8M-email
 * batch — first into a staging table, then sorted and merged into the pair table. JSON.stringify/
 * parse of a state cost ≈3 µs and ≈550 bytes. Most pairs hold one or two touches, so most of a
 * state's 29 numbers are zero or null: only the others are written, behind a presence mask.
 *
 * Layout (little-endian): byte 0 the format tag 1; byte 1 `lastKind` (0 none, 1 email,
 * 2 meeting); bytes 2–5 a u32 mask, bit k set when number k (in the order of `numbersOf` below) is present,
 * i.e. non-zero or non-null; then each present number as a float64, in mask order; then the UTF-8
 * accumulation key. A one-touch email pair takes about 90 bytes.
 *
 * Stores written before this layout hold 29 float64 values then the key (262 bytes). That layout
 * begins with the first count, a small integer, whose float64 low byte is always 0, so byte 0 tells
 * the two apart; old states are read as they are and rewritten compactly when next merged.
 *
 * Readers go through `decodePairState` (store/insight.repository.ts); nothing outside `store/`
 * sees the bytes.
 */
import type { PairState, TouchKind } from "../insights/strength";

/** Numbers in a state besides `lastKind` and the key (6 counts, 6 fast, 6 slow, 3 damping figures, 7 instants). */
const numbers = 28;

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

const kinds: readonly (TouchKind | null)[] = [null, "email", "meeting"];
const compactTag = 1;
const compactHeader = 6;
/** Numbers 21–27 are instants: null is NaN in `scratch`, and absent from a blob. */
const firstInstant = 21;
/** The legacy layout: 29 float64 values (lastKind at 23, among the instants), then the key. */
const legacyNumbers = 29;
const legacyKindAt = 23;
const legacyHeaderBytes = legacyNumbers * 8;

/** One state's numbers in stored order; reused (encode and decode run one state at a time). */
const scratch = new Float64Array(numbers);
const orNaN = (v: number | null): number => (v === null ? Number.NaN : v);
const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

/**
 * The last accumulation key encoded, with its UTF-8 bytes, and the last one decoded, with the
 * bytes it was read from: every state of a batch carries the same key, so it is neither encoded
 * nor decoded again per state.
 */
const encodedKey = { text: "", bytes: Buffer.alloc(0) };
const decodedKey = { text: "", bytes: Buffer.alloc(0) };

/**
 * Writes `cells` into `scratch` from `at`, in the stored cell order: email out, in, mutual, then
 * meeting out, in, mutual (the order `stateOf` reads back).
 */
function putCells(cells: PairState["counts"], at: number): void {
  const f = scratch;
  f[at] = cells.email.out;
  f[at + 1] = cells.email.in;
  f[at + 2] = cells.email.mutual;
  f[at + 3] = cells.meeting.out;
  f[at + 4] = cells.meeting.in;
  f[at + 5] = cells.meeting.mutual;
}

export function encodePairState(s: PairState): Buffer {
  const f = scratch;
  putCells(s.counts, 0);
  putCells(s.fast, 6);
  putCells(s.slow, 12);
  let i = 18;
  f[i++] = s.ignoredLargeGroup;
  f[i++] = s.dampedTouches;
  f[i++] = s.dampingSum;
  f[i++] = orNaN(s.firstAt);
  f[i++] = orNaN(s.lastAt);
  f[i++] = orNaN(s.firstOutAt);
  f[i++] = orNaN(s.lastOutAt);
  f[i++] = orNaN(s.firstInAt);
  f[i++] = orNaN(s.lastInAt);
  f[i++] = orNaN(s.lastMutualAt);
  let mask = 0;
  let present = 0;
  for (let n = 0; n < numbers; n++) {
    const v = f[n]!;
    // An instant is present whenever it is not null, even at 0 (mail dated 1 January 1970 exists).
    if (n >= firstInstant ? !Number.isNaN(v) : v !== 0) {
      mask |= 1 << n;
      present++;
    }
  }
  if (s.accumulation !== encodedKey.text) {
    encodedKey.text = s.accumulation;
    encodedKey.bytes = Buffer.from(s.accumulation, "utf8");
  }
  const keyBytes = encodedKey.bytes;
  const out = Buffer.allocUnsafe(compactHeader + present * 8 + keyBytes.length);
  out[0] = compactTag;
  out[1] = s.lastKind === null ? 0 : s.lastKind === "email" ? 1 : 2;
  out.writeUInt32LE(mask >>> 0, 2);
  let at = compactHeader;
  for (let n = 0; n < numbers; n++) {
    if ((mask & (1 << n)) === 0) continue;
    out.writeDoubleLE(f[n]!, at);
    at += 8;
  }
  keyBytes.copy(out, at);
  return out;
}

export function decodePairState(blob: Uint8Array): PairState {
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.length);
  const f = scratch;
  if (bytes.length >= compactHeader && bytes[0] === compactTag) {
    const mask = bytes.readUInt32LE(2);
    let present = 0;
    for (let m = mask; m !== 0; m >>>= 1) present += m & 1;
    if (bytes.length < compactHeader + present * 8)
      throw new Error(`pair state blob of ${bytes.length} bytes is too short for its ${present} numbers`);
    f.fill(0, 0, firstInstant);
    f.fill(Number.NaN, firstInstant);
    let at = compactHeader;
    for (let m = mask, n = 0; m !== 0; m >>>= 1, n++) {
      if ((m & 1) === 0) continue;
      f[n] = bytes.readDoubleLE(at);
      at += 8;
    }
    return stateOf(kinds[bytes[1]!] ?? null, accumulationFrom(bytes, at));
  }
  if (bytes.length < legacyHeaderBytes)
    throw new Error(`pair state blob of ${bytes.length} bytes is too short`);
  for (let n = 0, at = 0; n < legacyNumbers; n++, at += 8) {
    if (n === legacyKindAt) continue;
    f[n < legacyKindAt ? n : n - 1] = bytes.readDoubleLE(at);
  }
  const lastKind = kinds[bytes.readDoubleLE(legacyKindAt * 8)] ?? null;
  return stateOf(lastKind, accumulationFrom(bytes, legacyHeaderBytes));
}

/** bytes.toString("utf8", at), the cached string when those bytes are the last ones decoded. */
function accumulationFrom(bytes: Buffer, at: number): string {
  const last = decodedKey.bytes;
  if (bytes.length - at === last.length && bytes.compare(last, 0, last.length, at) === 0)
    return decodedKey.text;
  decodedKey.text = bytes.toString("utf8", at);
  decodedKey.bytes = Buffer.from(bytes.subarray(at));
  return decodedKey.text;
}

/** The six cells stored from `from` in `scratch` (the order `putCells` writes). */
function cells(from: number): PairState["counts"] {
  const f = scratch;
  return {
    email: { out: f[from]!, in: f[from + 1]!, mutual: f[from + 2]! },
    meeting: { out: f[from + 3]!, in: f[from + 4]!, mutual: f[from + 5]! },
  };
}

/** The state whose numbers are in `scratch`. */
function stateOf(lastKind: TouchKind | null, accumulation: string): PairState {
  const f = scratch;
  return {
    accumulation,
    counts: cells(0),
    ignoredLargeGroup: f[18]!,
    dampedTouches: f[19]!,
    dampingSum: f[20]!,
    firstAt: orNull(f[21]!),
    lastAt: orNull(f[22]!),
    lastKind,
    firstOutAt: orNull(f[23]!),
    lastOutAt: orNull(f[24]!),
    firstInAt: orNull(f[25]!),
    lastInAt: orNull(f[26]!),
    lastMutualAt: orNull(f[27]!),
    fast: cells(6),
    slow: cells(12),
  };
}
