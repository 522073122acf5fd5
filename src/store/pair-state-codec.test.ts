import { expect, it } from "vitest";
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

it("writes only what a pair holds: a one-touch pair in under 110 bytes (262 in the fixed layout)", () => {
  expect(encodePairState(states[2]!).length).toBeLessThan(110);
  expect(legacyBlob(states[2]!).length).toBe(232 + Buffer.byteLength(states[2]!.accumulation));
  expect(encodePairState(states[0]!).length).toBe(6 + Buffer.byteLength(states[0]!.accumulation));
});

/** The layout stores held before the compact one: 29 float64 values (lastKind among them), then the key. */
function legacyBlob(s: PairState): Buffer {
  const cells = (c: PairState["counts"]) => [
    c.email.out,
    c.email.in,
    c.email.mutual,
    c.meeting.out,
    c.meeting.in,
    c.meeting.mutual,
  ];
  const orNaN = (v: number | null) => (v === null ? Number.NaN : v);
  const values = [
    ...cells(s.counts),
    ...cells(s.fast),
    ...cells(s.slow),
    s.ignoredLargeGroup,
    s.dampedTouches,
    s.dampingSum,
    orNaN(s.firstAt),
    orNaN(s.lastAt),
    s.lastKind === null ? 0 : s.lastKind === "email" ? 1 : 2,
    orNaN(s.firstOutAt),
    orNaN(s.lastOutAt),
    orNaN(s.firstInAt),
    orNaN(s.lastInAt),
    orNaN(s.lastMutualAt),
  ];
  return Buffer.concat([Buffer.from(new Float64Array(values).buffer), Buffer.from(s.accumulation)]);
}

it("reads states stored in the earlier fixed layout", () => {
  for (const s of states) expect(decodePairState(legacyBlob(s))).toEqual(s);
});

it("refuses a truncated blob instead of inventing a state", () => {
  const blob = encodePairState(states[1]!);
  expect(() => decodePairState(blob.subarray(0, 10))).toThrow(/too short/);
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
