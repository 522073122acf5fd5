import { describe, expect, it } from "vitest";
import { parseMailDate } from "./mail-date";

describe("parseMailDate on real header forms", () => {
  it.each([
    ["Mon, 14 May 2001 16:39:00 -0700 (PDT)", "2001-05-14T23:39:00.000Z"],
    ["Sun, 28 Aug 0001 00:08:57 -0800 (PST)", "2001-08-28T08:08:57.000Z"],
    ["13 Aug 0002 00:11:21 -0800", "2002-08-13T08:11:21.000Z"],
    ["Fri, 1 Jun 01 09:00:00 GMT", "2001-06-01T09:00:00.000Z"],
    ["Thu, 7 Dec 99 10:00:00 +0000", "1999-12-07T10:00:00.000Z"],
  ])("%s", (raw, iso) => {
    expect(parseMailDate(raw)?.toISOString()).toBe(iso);
  });
  it("gives null for garbage rather than a wrong date", () => {
    expect(parseMailDate("sometime last week")).toBeNull();
  });
});

describe("parseMailDate's fast path for the common form", () => {
  it.each([
    ["Tue, 29 Feb 2000 10:00:00 +0000", "2000-02-29T10:00:00.000Z"],
    ["1 Jun 2001 09:00:00 +0130", "2001-06-01T07:30:00.000Z"],
    ["Fri, 1 Jun 2001 09:00:00 -0000 (GMT)", "2001-06-01T09:00:00.000Z"],
    ["Mon, 30 Apr 2001 23:59:59 +1400", "2001-04-30T09:59:59.000Z"],
    ["Thu, 29 Feb 2001 10:00:00 -0800", null],
    ["Mon, 31 Apr 2001 09:00:00 +0000", null],
    ["Fri, 1 Jun 2001 09:00:00 +0060", null],
    ["Fri, 01 Foo 2001 09:00:00 +0000", null],
  ])("%s → %s, as the regex reads it", (raw, iso) => {
    expect(parseMailDate(raw)?.toISOString() ?? null).toBe(iso);
  });
});
