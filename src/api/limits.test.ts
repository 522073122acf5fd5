/* eslint-disable @typescript-eslint/no-unsafe-member-access -- response bodies are JSON checked by value with expect() */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createContext, type ServiceContext } from "../services/context";
import { openStore, type Store } from "../store/store";
import { testConfig, type App } from "./api.fixture";
import { buildApp } from "./app";
import { RateLimiter, rateLimitGroupOf } from "./rate-limit";

const metricsToken = "metrics-token-for-tests-0123456789";
let dir: string;
let store: Store;
let ctx: ServiceContext;
let app: App;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "kith-limits-"));
  store = await openStore(join(dir, "kith.db"));
  ctx = createContext(store);
  app = await buildApp({
    ctx,
    config: testConfig({
      KITH_METRICS_TOKEN: metricsToken,
      KITH_RATE_LIMIT_SIGNIN: "3",
      KITH_RATE_LIMIT_SCIM: "2",
    }),
  });
});
afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

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

  it("answers 429 with Retry-After on /auth/link beyond the budget", async () => {
    const codes: number[] = [];
    for (let i = 0; i < 4; i++)
      codes.push((await app.inject({ method: "GET", url: "/auth/link?token=nope.nope" })).statusCode);
    expect(codes.slice(0, 3).every((c) => c !== 429)).toBe(true);
    const limited = await app.inject({ method: "GET", url: "/auth/link?token=nope.nope" });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers["retry-after"]).toMatch(/^\d+$/);
    expect(limited.json().error.code).toBe("rate_limited");
    // Other routes are not limited.
    expect((await app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
  });

  it("limits SCIM before looking at the token, in the SCIM error schema", async () => {
    const call = () =>
      app.inject({ method: "GET", url: "/scim/v2/Users", headers: { authorization: "Bearer kscim_x.y" } });
    expect((await call()).statusCode).toBe(401);
    expect((await call()).statusCode).toBe(401);
    const limited = await call();
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ status: "429" });
  });
});

describe("KITH_METRICS_TOKEN", () => {
  it("protects /metrics when set", async () => {
    expect((await app.inject({ method: "GET", url: "/metrics" })).statusCode).toBe(401);
    const wrong = await app.inject({
      method: "GET",
      url: "/metrics",
      headers: { authorization: "Bearer nope" },
    });
    expect(wrong.statusCode).toBe(401);
    const ok = await app.inject({
      method: "GET",
      url: "/metrics",
      headers: { authorization: `Bearer ${metricsToken}` },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain("kith_http_request_duration_seconds");
  });
});
