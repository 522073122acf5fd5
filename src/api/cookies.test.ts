import { describe, expect, it } from "vitest";
import { safeReturnPath } from "./cookies";
import { returnPathCases } from "./return-path.fixture";

describe("safeReturnPath", () => {
  const origin = "http://127.0.0.1:3000";
  it.each(returnPathCases(origin))("$name", ({ returnTo, location }) => {
    expect(safeReturnPath(returnTo, origin)).toBe(location);
  });

  it("refuses a scheme-relative value on an https origin too, where the parser would keep the host", () => {
    expect(safeReturnPath("https:evil.com", "https://kith.example")).toBe("/");
    expect(safeReturnPath("https://kith.example:443/app/", "https://kith.example")).toBe("/app/");
  });

  it("accepts only paths when the public URL has no origin", () => {
    expect(safeReturnPath("/app/", "not a url")).toBe("/app/");
    expect(safeReturnPath("http://kith.invalid/app/", "not a url")).toBe("/");
    expect(safeReturnPath("javascript:alert(1)", "about:blank")).toBe("/");
  });
});
