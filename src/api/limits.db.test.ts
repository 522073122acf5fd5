/* eslint-disable @typescript-eslint/no-unsafe-member-access -- response bodies are JSON checked by value with expect() */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachEngine } from "../../test/helpers/engines";
import { testConfig, type App } from "./api.fixture";
import { buildApp } from "./app";

/** The limits as the HTTP server answers them (the limiter alone: rate-limit.test.ts). */
describeEachEngine("HTTP limits", (h) => {
  const metricsToken = "metrics-token-for-tests-0123456789";
  let app: App;

  beforeAll(async () => {
    app = await buildApp({
      ctx: h.ctx(),
      config: testConfig({
        KITH_METRICS_TOKEN: metricsToken,
        KITH_RATE_LIMIT_SIGNIN: "3",
        KITH_RATE_LIMIT_SCIM: "2",
      }),
    });
  });
  afterAll(async () => {
    await app.close();
  });

  describe("rate limits", () => {
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
});
