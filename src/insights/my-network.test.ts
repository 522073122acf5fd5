import { describe, expect, it } from "vitest";
import { fadingRelationships, myResponseTimes, strongestTies, type Tie } from "./my-network";
import { buildPairState, type Touch } from "./strength";

const day = 86_400_000;
const hour = 3_600_000;
const T0 = Date.UTC(2024, 6, 1);

const exchanges = (n: number, lastAt: number): Touch[] =>
  Array.from({ length: n }, (_, i): Touch[] => [
    { at: lastAt - i * day - 1, kind: "email", direction: "out", groupSize: 2 },
    { at: lastAt - i * day, kind: "email", direction: "in", groupSize: 2 },
  ]).flat();

describe("strongestTies", () => {
  it("lists the user's ties strongest first", () => {
    const ties: Tie[] = [
      { personId: "a@x.test", state: buildPairState(exchanges(2, T0)) },
      { personId: "b@x.test", name: "B", state: buildPairState(exchanges(6, T0)) },
      { personId: "c@x.test", state: buildPairState(exchanges(6, T0 - 400 * day)) },
    ];
    const top = strongestTies(ties, T0, undefined, 2);
    expect(top.map((t) => t.personId)).toEqual(["b@x.test", "a@x.test"]);
    expect(top[0]).toMatchObject({ name: "B", label: "strong", lastInteraction: T0 });
  });
});

describe("fadingRelationships", () => {
  it("finds ties that dropped since 90 days ago, biggest drop first", () => {
    const quiet = buildPairState(exchanges(8, T0 - 100 * day)); // nothing since: its own past state
    const touches = [...exchanges(8, T0 - 100 * day), ...exchanges(1, T0 - day)];
    const revived = {
      state: buildPairState(touches),
      stateThen: buildPairState(touches, undefined, T0 - 90 * day),
    };
    const fresh = buildPairState(exchanges(8, T0)); // busy lately, no past state given: skipped
    const faded = fadingRelationships(
      [
        { personId: "quiet", state: quiet },
        { personId: "revived", ...revived },
        { personId: "fresh", state: fresh },
      ],
      T0,
    );
    expect(faded.map((f) => f.personId)).toEqual(["quiet"]);
    expect(faded[0]?.drop).toBe((faded[0]?.scoreThen ?? 0) - (faded[0]?.score ?? 0));
    expect(faded[0]?.drop).toBeGreaterThanOrEqual(15);
    expect(faded[0]?.explanation).toMatch(/down from \d+ 90 days ago$/);
  });
});

describe("myResponseTimes", () => {
  it("measures first responses both ways and the slowest correspondents", () => {
    const r = myResponseTimes(
      [
        { threadKey: "t1", at: T0, direction: "out", counterpart: "a" },
        { threadKey: "t1", at: T0 + 3 * hour, direction: "in", counterpart: "a" },
        { threadKey: "t2", at: T0, direction: "in", counterpart: "b" },
        { threadKey: "t2", at: T0 + hour, direction: "out", counterpart: "b" },
        { threadKey: "t2", at: T0 + 11 * hour, direction: "in", counterpart: "b" },
        { threadKey: "t3", at: T0, direction: "out", counterpart: "a" },
        { threadKey: "t3", at: T0 + 5 * hour, direction: "in", counterpart: "a" },
      ],
      T0 + 60 * day,
    );
    expect(r.mine).toEqual({ replies: 1, averageHours: 1, medianHours: 1, rate: 1 / 4 });
    expect(r.theirs).toEqual({ replies: 3, averageHours: 6, medianHours: 5, rate: 1 });
    expect(r.slowestToAnswerMe).toEqual([{ personId: "a", medianHours: 4, replies: 2 }]);
  });
});
