import { expect, it } from "vitest";
import { buildPairState, defaultStrengthParams, emptyPairState } from "../insights/strength";
import { decodePairState, encodePairState } from "./pair-state-codec";

it("round-trips pair states exactly, nulls and all", () => {
  const states = [
    emptyPairState(),
    buildPairState(
      [
        { at: 1_700_000_000_000, kind: "email", direction: "out", groupSize: 3 },
        { at: 1_700_000_900_123, kind: "meeting", direction: "mutual", groupSize: 2 },
        { at: 1_690_000_000_000, kind: "email", direction: "in", groupSize: 80 },
      ],
      defaultStrengthParams,
    ),
  ];
  for (const s of states) expect(decodePairState(encodePairState(s))).toEqual(s);
  const blob = encodePairState(states[1]!);
  // A blob read from a database may sit at any offset of a larger buffer.
  const shifted = Buffer.concat([Buffer.from([1, 2, 3]), blob]).subarray(3);
  expect(decodePairState(shifted)).toEqual(states[1]);
});
