import { describe, expect, it } from "vitest";
import { retentionCutoff } from "./retention";

describe("retentionCutoff", () => {
  it.each([
    ["2026-06-15T09:30:00.000Z", 24, "2024-06-15T09:30:00.000Z"],
    ["2026-01-10T00:00:00.000Z", 1, "2025-12-10T00:00:00.000Z"],
    ["2026-03-31T12:00:00.000Z", 1, "2026-02-28T12:00:00.000Z"],
    ["2028-03-31T12:00:00.000Z", 1, "2028-02-29T12:00:00.000Z"],
    ["2026-05-31T23:59:59.999Z", 12, "2025-05-31T23:59:59.999Z"],
  ])("%s minus %i months is %s", (now, months, cutoff) => {
    expect(retentionCutoff(new Date(now), months).toISOString()).toBe(cutoff);
  });
});
