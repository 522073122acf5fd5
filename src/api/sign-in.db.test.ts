/** Sign-in by link over HTTP, on both engines: where a sign-in may send the browser (no open redirect). */
import type { LightMyRequestResponse } from "fastify";
import { beforeAll, expect, it } from "vitest";
import { describeEachEngine } from "../../test/helpers/engines";
import { createLoginLink } from "../services/auth.service";
import { createTenantFixture, testConfig, type App } from "./api.fixture";
import { buildApp } from "./app";
import { returnPathCases } from "./return-path.fixture";

// Every case signs in by link; the per-address sign-in budget is not what these cases test.
const config = testConfig({ KITH_RATE_LIMIT_SIGNIN: "100000" });

function cookieOf(res: LightMyRequestResponse, name: string) {
  return res.cookies.find((c) => c.name === name);
}

describeEachEngine("sign-in, logout and stale cookies over HTTP", (h) => {
  let app: App;
  const start = new Date("2026-06-01T09:00:00Z");

  beforeAll(async () => {
    h.setNow(start);
    await createTenantFixture(h.ctx(), "alpha");
    app = await buildApp({ ctx: h.ctx(), config });
  });

  const linkFor = async (email = "seller@alpha.example") =>
    (await createLoginLink(h.ctx(), "alpha", email, 15 * 60_000)).token;

  it.each(returnPathCases(config.publicUrl))(
    "/auth/link redirects only inside the origin: $name",
    async ({ returnTo, location }) => {
      const query = new URLSearchParams({ token: await linkFor() });
      if (returnTo !== undefined) query.set("returnTo", returnTo);
      const res = await app.inject({ method: "GET", url: `/auth/link?${query.toString()}` });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe(location);
      expect(cookieOf(res, "kith_session")?.value).toBeTruthy();
    },
  );

  it("answers the reported request `returnTo=%2F%09%2Fevil.com` with Location /", async () => {
    const res = await app.inject({
      method: "GET",
      url: `/auth/link?token=${encodeURIComponent(await linkFor())}&returnTo=%2F%09%2Fevil.com`,
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe("/");
  });
});
