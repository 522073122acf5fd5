import type { PairState } from "../../src/insights/strength";

/**
 * Pair-state blobs in the layouts stores held before codec v2 (store/pair-state-codec.ts), written
 * independently of the codec, for tests that check old stores still read and migrate.
 */

const kindCode = (s: PairState) => (s.lastKind === null ? 0 : s.lastKind === "email" ? 1 : 2);
const orNaN = (v: number | null) => (v === null ? Number.NaN : v);
const cells = (c: PairState["counts"]) => [
  c.email.out,
  c.email.in,
  c.email.mutual,
  c.meeting.out,
  c.meeting.in,
  c.meeting.mutual,
];

/** The 28 numbers of a state in stored order: 18 cells, 3 damping figures, 7 instants (NaN for null). */
function numbersOf(s: PairState): number[] {
  return [
    ...cells(s.counts),
    ...cells(s.fast),
    ...cells(s.slow),
    s.ignoredLargeGroup,
    s.dampedTouches,
    s.dampingSum,
    orNaN(s.firstAt),
    orNaN(s.lastAt),
    orNaN(s.firstOutAt),
    orNaN(s.lastOutAt),
    orNaN(s.firstInAt),
    orNaN(s.lastInAt),
    orNaN(s.lastMutualAt),
  ];
}

/** The v1 layout (tag 1, u32 mask, present numbers as float64, UTF-8 key), as stores before 0060 hold it. */
export function v1Blob(s: PairState): Buffer {
  let mask = 0;
  const present: number[] = [];
  numbersOf(s).forEach((v, n) => {
    if (n >= 21 ? !Number.isNaN(v) : v !== 0) {
      mask |= 1 << n;
      present.push(v);
    }
  });
  const head = Buffer.alloc(6);
  head[0] = 1;
  head[1] = kindCode(s);
  head.writeUInt32LE(mask >>> 0, 2);
  return Buffer.concat([head, Buffer.from(new Float64Array(present).buffer), Buffer.from(s.accumulation)]);
}

/** The layout stores held before v1: 29 float64 values (lastKind at 23, among the instants), then the key. */
export function legacyBlob(s: PairState): Buffer {
  const values = numbersOf(s);
  values.splice(23, 0, kindCode(s));
  return Buffer.concat([Buffer.from(new Float64Array(values).buffer), Buffer.from(s.accumulation)]);
}
