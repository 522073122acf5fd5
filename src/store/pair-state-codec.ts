/**
 * The stored form of a strength `PairState` (pair_state.state, internal_pair_state.state): a
 * compact binary blob instead of JSON.
 *
 * Why: bulk ingest writes one state per (person, colleague) pair touched — millions per 8M-email
 * batch — first into a staging table, then sorted and merged into the pair table. JSON.stringify/
 * parse of a state cost ≈3 µs and ≈550 bytes. Most pairs hold one or two touches, so most of a
 * state's 29 numbers are zero or null: only the others are written, behind a presence mask.
 *
 * Layout v2 (written since migration 0060, little-endian): byte 0 the format tag 2; byte 1
 * `lastKind` (0 none, 1 email, 2 meeting); three varint masks over the 28 numbers (bit order
 * `bitOfSlot`: an email-only pair's numbers in the low 14 bits): present (non-zero or non-null),
 * "alternative" encoding, and "same" (a float equal to the one it may repeat, `sameRef`: no bytes);
 * then each present number not repeated, `lastAt` first and the others in slot order:
 * - counts (touches, ignored, damped): a varint; alternative: float64 (a non-integer, a negative
 *   or a -0 count, which no fold makes but the codec keeps lossless);
 * - decayed sums and the damping sum: float64; alternative: float32 when that is exact;
 * - `lastAt`: a zig-zag varint; the other instants: a zig-zag varint of their distance from
 *   `lastAt`; alternative for either: float64 (a non-integer instant, or no `lastAt`);
 * then the accumulation key: byte 2 for the default parameters' key; byte 1 and its four
 * parameters (varint half-lives, a damping code, varint cap) when it has the form
 * `accumulationKey` writes with integer parameters; else byte 0 and its UTF-8 text. A one-touch
 * email pair takes about 27 bytes (v1: about 90).
 *
 * Layout v1 (stores between the JSON and the lean schema): tag 1, `lastKind`, a u32 mask, each
 * present number as a float64, the UTF-8 key. Still read.
 *
 * Stores written before this layout hold 29 float64 values then the key (262 bytes). That layout
 * begins with the first count, a small integer, whose float64 low byte is always 0, so byte 0 tells
 * the two apart; old states are read as they are and rewritten compactly when next merged.
 *
 * Readers go through `decodePairState` (store/insight.repository.ts); nothing outside `store/`
 * sees the bytes.
 */
import { accumulationKey, defaultStrengthParams, type PairState, type TouchKind } from "../insights/strength";

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
const leanTag = 2;
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
const encodedKey: { text: string; bytes: Buffer } = { text: "", bytes: Buffer.alloc(0) };
const decodedKey: { text: string; bytes: Buffer } = { text: "", bytes: Buffer.alloc(0) };

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

/** Fills `scratch` with the state's numbers in stored order. */
function putNumbers(s: PairState): void {
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
}

/** Slots holding counts (varint by default) and instants; the rest are float sums. */
const countSlot = new Uint8Array(numbers);
for (const n of [0, 1, 2, 3, 4, 5, 18, 19]) countSlot[n] = 1;
const lastAtSlot = 22;
const dampingSumSlot = 20;
/** Stream order of v2: lastAt first (the other instants are written relative to it). */
const streamOrder = [
  lastAtSlot,
  ...Array.from({ length: numbers }, (_, n) => n).filter((n) => n !== lastAtSlot),
];
/** |integers| below this are written as varints (zig-zag doubles them: still exact). */
const varintLimit = 2 ** 52;

/**
 * The mask bit of each slot: what an email-only pair holds (its email counts and sums, damping,
 * the instants but the mutual one) in the low 14 bits, so its masks take two varint bytes or one.
 */
const bitOfSlot = new Uint8Array(numbers);
[
  0, 1, 6, 7, 12, 13, 19, 20, 21, 22, 23, 24, 25, 26, 2, 3, 4, 5, 8, 9, 10, 11, 14, 15, 16, 17, 18, 27,
].forEach((slot, bit) => (bitOfSlot[slot] = bit));
/** `1 << bitOfSlot[slot]`: masks have 28 bits, so 32-bit integer operations hold them. */
const slotBit = Int32Array.from(bitOfSlot, (bit) => 1 << bit);
const has = (mask: number, slot: number) => (mask & slotBit[slot]!) !== 0;

/**
 * The slot a float slot may repeat ("same" mask: no bytes): a slow sum its fast sum (a cell
 * touched once, or only just now, holds the same weight in both); the damping sum the first fast
 * sum present (one damped touch: both are its damping factor). -1: none.
 */
function sameRef(slot: number, mask: number): number {
  if (slot >= 12 && slot < 18) return slot - 6;
  if (slot === dampingSumSlot) for (let n = 6; n < 12; n++) if (has(mask, n)) return n;
  return -1;
}

/** The output buffer of `encodePairState` (a state takes at most 17 + 28·9 bytes before its key). */
let out = Buffer.allocUnsafe(4096);

function putVarint(at: number, v: number): number {
  while (v >= 0x80) {
    out[at++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  out[at++] = v;
  return at;
}

const isVarintCount = (v: number) => Number.isInteger(v) && v >= 0 && v < varintLimit && !Object.is(v, -0);
const isZigzag = (v: number) => Number.isInteger(v) && Math.abs(v) < varintLimit && !Object.is(v, -0);
const zigzag = (v: number) => (v >= 0 ? v * 2 : -v * 2 - 1);
const unzigzag = (z: number) => (z % 2 === 0 ? z / 2 : -(z + 1) / 2);

const dampings = ["none", "inverse_sqrt", "inverse_log"];
const keyForm = /^h=(\d{1,15});H=(\d{1,15});d=([a-z_]+);cap=(\d{1,15})$/;
/** The key of the default strength parameters: one byte (most tenants never change them). */
const defaultKey = accumulationKey(defaultStrengthParams);

/** The key's bytes in v2: 2 the default; 1 and its four parameters; 0 and its text. */
function keyBytes(text: string): Buffer {
  if (text === defaultKey) return Buffer.from([2]);
  const m = keyForm.exec(text);
  const d = m ? dampings.indexOf(m[3]!) : -1;
  if (m && d >= 0 && [m[1]!, m[2]!, m[4]!].every((x) => String(Number(x)) === x)) {
    const parts = [Number(m[1]), Number(m[2]), Number(m[4])];
    const bytes: number[] = [1];
    for (const [i, v] of parts.entries()) {
      for (let x = v; ; x = Math.floor(x / 128)) {
        if (x < 0x80) {
          bytes.push(x);
          break;
        }
        bytes.push((x % 128) | 0x80);
      }
      if (i === 1) bytes.push(d);
    }
    return Buffer.from(bytes);
  }
  return Buffer.concat([Buffer.from([0]), Buffer.from(text, "utf8")]);
}

export function encodePairState(s: PairState): Buffer {
  const f = scratch;
  putNumbers(s);
  let mask = 0;
  let alt = 0;
  let same = 0;
  const lastAt = f[lastAtSlot]!;
  const lastAtInteger = !Number.isNaN(lastAt) && isZigzag(lastAt);
  for (let n = 0; n < numbers; n++) {
    const v = f[n]!;
    // An instant is present whenever it is not null, even at 0 (mail dated 1 January 1970 exists).
    if (n >= firstInstant ? Number.isNaN(v) : v === 0 && !Object.is(v, -0)) continue;
    mask |= slotBit[n]!;
  }
  for (let n = 0; n < numbers; n++) {
    if (!has(mask, n)) continue;
    const v = f[n]!;
    const bit = slotBit[n]!;
    if (n >= firstInstant) {
      if (n === lastAtSlot ? !lastAtInteger : !(lastAtInteger && isZigzag(v) && isZigzag(v - lastAt)))
        alt |= bit;
    } else if (countSlot[n] === 1) {
      if (!isVarintCount(v)) alt |= bit;
    } else {
      const ref = sameRef(n, mask);
      if (ref >= 0 && Object.is(f[ref], v)) same |= bit;
      else if (Math.fround(v) === v) alt |= bit;
    }
  }
  if (s.accumulation !== encodedKey.text) {
    encodedKey.text = s.accumulation;
    encodedKey.bytes = keyBytes(s.accumulation);
  }
  const key = encodedKey.bytes;
  if (out.length < 300 + key.length) out = Buffer.allocUnsafe(300 + key.length);
  out[0] = leanTag;
  out[1] = s.lastKind === null ? 0 : s.lastKind === "email" ? 1 : 2;
  let at = putVarint(2, mask);
  at = putVarint(at, alt);
  at = putVarint(at, same);
  for (const n of streamOrder) {
    if (!has(mask, n) || has(same, n)) continue;
    const v = f[n]!;
    const isAlt = has(alt, n);
    if (n >= firstInstant) {
      if (isAlt) at = out.writeDoubleLE(v, at);
      else at = putVarint(at, zigzag(n === lastAtSlot ? v : v - lastAt));
    } else if (countSlot[n] === 1) {
      at = isAlt ? out.writeDoubleLE(v, at) : putVarint(at, v);
    } else at = isAlt ? out.writeFloatLE(v, at) : out.writeDoubleLE(v, at);
  }
  at += key.copy(out, at);
  return Buffer.from(out.subarray(0, at));
}

/** Decodes a v2 blob (tag checked by the caller). */
function decodeLean(bytes: Buffer): PairState {
  const f = scratch;
  let at = 2;
  const varint = (): number => {
    let v = 0;
    let scale = 1;
    for (;;) {
      if (at >= bytes.length) throw new Error(`pair state blob of ${bytes.length} bytes is too short`);
      const b = bytes[at++]!;
      v += (b & 0x7f) * scale;
      if (b < 0x80) return v;
      scale *= 128;
    }
  };
  const need = (n: number) => {
    if (at + n > bytes.length) throw new Error(`pair state blob of ${bytes.length} bytes is too short`);
  };
  const mask = varint();
  const alt = varint();
  const same = varint();
  f.fill(0, 0, firstInstant);
  f.fill(Number.NaN, firstInstant);
  let lastAt = Number.NaN;
  for (const n of streamOrder) {
    if (!has(mask, n)) continue;
    let v: number;
    if (has(same, n)) {
      const ref = sameRef(n, mask);
      if (ref < 0) throw new Error("pair state blob repeats a number that has nothing to repeat");
      v = f[ref]!;
    } else if (has(alt, n) && (n >= firstInstant || countSlot[n] === 1)) {
      need(8);
      v = bytes.readDoubleLE(at);
      at += 8;
    } else if (n >= firstInstant) {
      v = unzigzag(varint()) + (n === lastAtSlot ? 0 : lastAt);
    } else if (countSlot[n] === 1) {
      v = varint();
    } else if (has(alt, n)) {
      need(4);
      v = bytes.readFloatLE(at);
      at += 4;
    } else {
      need(8);
      v = bytes.readDoubleLE(at);
      at += 8;
    }
    if (n === lastAtSlot) lastAt = v;
    f[n] = v;
  }
  if (at >= bytes.length)
    throw new Error(`pair state blob of ${bytes.length} bytes is too short for its key`);
  let accumulation: string;
  if (bytes[at] === 2) accumulation = defaultKey;
  else if (bytes[at] === 1) {
    at++;
    const h = varint();
    const H = varint();
    need(1);
    const d = dampings[bytes[at++]!];
    const cap = varint();
    if (d === undefined) throw new Error("pair state blob names an unknown damping");
    accumulation = `h=${h};H=${H};d=${d};cap=${cap}`;
    if (decodedKey.text !== accumulation) decodedKey.text = accumulation;
    accumulation = decodedKey.text;
  } else accumulation = bytes.toString("utf8", at + 1);
  return stateOf(kinds[bytes[1]!] ?? null, accumulation);
}

export function decodePairState(blob: Uint8Array): PairState {
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.length);
  const f = scratch;
  if (bytes.length >= 4 && bytes[0] === leanTag) return decodeLean(bytes);
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
