import { expect, it } from "vitest";
import { legacyBlob, v1Blob } from "../../test/helpers/pair-state-blobs";
import { buildPairState, defaultStrengthParams, emptyPairState, type PairState } from "../insights/strength";
import { decodePairState, encodePairState } from "./pair-state-codec";

const states: PairState[] = [
  emptyPairState(),
  buildPairState(
    [
      { at: 1_700_000_000_000, kind: "email", direction: "out", groupSize: 3 },
      { at: 1_700_000_900_123, kind: "meeting", direction: "mutual", groupSize: 2 },
      { at: 1_690_000_000_000, kind: "email", direction: "in", groupSize: 80 },
    ],
    defaultStrengthParams,
  ),
  buildPairState(
    [{ at: 1_700_000_000_000, kind: "email", direction: "in", groupSize: 2 }],
    defaultStrengthParams,
  ),
  // An instant of 0 is a date (1 January 1970), not an absent one.
  buildPairState([{ at: 0, kind: "email", direction: "out", groupSize: 2 }], defaultStrengthParams),
];

it("round-trips pair states exactly, nulls and all", () => {
  for (const s of states) expect(decodePairState(encodePairState(s))).toEqual(s);
  const blob = encodePairState(states[1]!);
  // A blob read from a database may sit at any offset of a larger buffer.
  const shifted = Buffer.concat([Buffer.from([1, 2, 3]), blob]).subarray(3);
  expect(decodePairState(shifted)).toEqual(states[1]);
});

it("writes only what a pair holds: a one-touch pair in under 40 bytes (v1: ~90, the fixed layout 262)", () => {
  expect(encodePairState(states[2]!).length).toBeLessThan(40);
  expect(encodePairState(states[2]!).length).toBeLessThan(v1Blob(states[2]!).length / 2);
  expect(legacyBlob(states[2]!).length).toBe(232 + Buffer.byteLength(states[2]!.accumulation));
  // An empty state: tag, kind, two empty masks, and the key as its four parameters.
  expect(encodePairState(states[0]!).length).toBeLessThanOrEqual(12);
  expect(encodePairState(states[0]!)[0]).toBe(2);
});

/** A state with every number at an edge of the varint, zig-zag and float32 encodings. */
function edgeState(): PairState {
  const s = buildPairState(
    [
      { at: -86_400_000, kind: "email", direction: "out", groupSize: 3 },
      { at: 5, kind: "meeting", direction: "in", groupSize: 2 },
    ],
    defaultStrengthParams,
  );
  return {
    ...s,
    counts: {
      email: { out: 2.5, in: -1, mutual: Number.NaN },
      meeting: { out: 2 ** 60, in: -0, mutual: 7 },
    },
    fast: {
      email: { out: 1, in: 0.1, mutual: Number.POSITIVE_INFINITY },
      meeting: { out: -0, in: 3, mutual: 0 },
    },
    ignoredLargeGroup: 1e-300,
    dampedTouches: 128,
    lastMutualAt: 0.5,
    firstInAt: -(2 ** 53),
  };
}

it("v2 is lossless: NaN, -0, infinities, non-integer counts and instants, negative and far instants", () => {
  const s = edgeState();
  const back = decodePairState(encodePairState(s));
  expect(back).toEqual(s);
  expect(Object.is(back.counts.meeting.in, -0)).toBe(true);
  expect(Object.is(back.fast.meeting.out, -0)).toBe(true);
  expect(back.counts.email.mutual).toBeNaN();
  // Without lastAt, the other instants cannot be deltas: stored as they are.
  const noLast = { ...s, lastAt: null, firstAt: 0, firstOutAt: -5 };
  expect(decodePairState(encodePairState(noLast))).toEqual(noLast);
  // Keys that are not accumulationKey's form with integers are stored as text.
  for (const accumulation of ["", "h=30.5;H=180;d=none;cap=50", "h=30;H=180;d=weird;cap=50", "κ"])
    expect(decodePairState(encodePairState({ ...s, accumulation }))).toEqual({ ...s, accumulation });
});

it("writes a slow sum equal to its fast one, and a damping sum equal to the first fast sum, as no bytes", () => {
  const damped = buildPairState(
    [{ at: 1_700_000_000_000, kind: "email", direction: "out", groupSize: 3 }],
    defaultStrengthParams,
  );
  expect(damped.slow.email.out).toBe(damped.fast.email.out);
  expect(damped.dampingSum).toBe(damped.fast.email.out);
  const blob = encodePairState(damped);
  expect(decodePairState(blob)).toEqual(damped);
  expect(blob.length).toBeLessThan(30);
  // Unequal ones are written: the same state with the slow sum and the damping sum moved.
  const moved = {
    ...damped,
    dampingSum: 0.25,
    slow: { ...damped.slow, email: { ...damped.slow.email, out: 0.5 } },
  };
  expect(decodePairState(encodePairState(moved))).toEqual(moved);
  expect(encodePairState(moved).length).toBe(blob.length + 8);
});

it("reads states stored in the v1 layout", () => {
  for (const s of [...states, edgeState()].filter((x) => !Object.is(x.counts.meeting.in, -0)))
    expect(decodePairState(v1Blob(s))).toEqual(s);
  for (const s of states) expect(decodePairState(v1Blob(s))).toEqual(s);
});

it("reads states stored in the earlier fixed layout", () => {
  for (const s of states) expect(decodePairState(legacyBlob(s))).toEqual(s);
});

it("refuses a truncated blob instead of inventing a state", () => {
  const blob = encodePairState(states[1]!);
  for (let n = 4; n < blob.length - 5; n++)
    expect(() => decodePairState(blob.subarray(0, n))).toThrow(/too short/);
  expect(() => decodePairState(Buffer.alloc(40))).toThrow(/too short/);
});

it("keeps each state's own accumulation key when keys alternate (the last key is cached)", () => {
  const other = buildPairState([{ at: 1_700_000_000_000, kind: "email", direction: "out", groupSize: 2 }], {
    ...defaultStrengthParams,
    halfLifeDays: 30,
  });
  const blobs = [states[1]!, other, states[2]!, other].map(encodePairState);
  expect(blobs.map((b) => decodePairState(b).accumulation)).toEqual(
    [states[1]!, other, states[2]!, other].map((s) => s.accumulation),
  );
  expect(other.accumulation).not.toBe(states[1]!.accumulation);
  for (const [i, s] of [states[1]!, other, states[2]!, other].entries())
    expect(decodePairState(blobs[i]!)).toEqual(s);
});
