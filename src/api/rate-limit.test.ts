import { describe, expect, it } from "vitest";
import { RateLimiter, rateLimitGroupOf } from "./rate-limit";

/** The limiter itself, without a server or a store (the HTTP answers are in limits.db.test.ts). */
describe("rate limits", () => {
  it("groups sign-in and SCIM routes", () => {
    expect(rateLimitGroupOf("/auth/link")).toBe("signIn");
    expect(rateLimitGroupOf("/auth/oidc/callback")).toBe("signIn");
    expect(rateLimitGroupOf("/scim/v2/Users/:id")).toBe("scim");
    expect(rateLimitGroupOf("/api/session")).toBeNull();
  });

  it("counts per client in fixed one-minute windows", () => {
    let now = 0;
    const limiter = new RateLimiter({ signIn: 2, scim: 5 }, () => now);
    expect(limiter.hit("signIn", "a")).toBeNull();
    expect(limiter.hit("signIn", "a")).toBeNull();
    expect(limiter.hit("signIn", "a")).toBe(60);
    expect(limiter.hit("signIn", "b")).toBeNull();
    now = 45_000;
    expect(limiter.hit("signIn", "a")).toBe(15);
    now = 60_000;
    expect(limiter.hit("signIn", "a")).toBeNull();
  });
});
