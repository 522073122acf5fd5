import { describe, expect, it } from "vitest";
import { chunked, maxBoundVariables } from "./chunk";

describe("chunked", () => {
  it("keeps every chunk's variables within the budget and every item, in order", () => {
    const items = Array.from({ length: 100_003 }, (_, i) => i);
    for (const [perItem, fixed] of [
      [1, 1],
      [5, 0],
      [8, 2],
      [9, 0],
    ] as const) {
      const chunks = chunked(items, perItem, fixed);
      for (const c of chunks) expect(fixed + c.length * perItem).toBeLessThanOrEqual(maxBoundVariables);
      expect(chunks.flat()).toEqual(items);
      // Full chunks: no more statements than the budget needs.
      expect(chunks.length).toBe(Math.ceil(items.length / Math.floor((maxBoundVariables - fixed) / perItem)));
    }
  });

  it("gives no chunk for no items, and honours a cap on items per chunk", () => {
    expect(chunked([], 3)).toEqual([]);
    expect(chunked([1, 2, 3, 4, 5], 1, 0, 2)).toEqual([[1, 2], [3, 4], [5]]);
  });

  it("refuses a row wider than the budget", () => {
    expect(() => chunked([1], maxBoundVariables + 1)).toThrow(RangeError);
  });
});
