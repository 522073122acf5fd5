/**
 * No credential reaches a log line: the API's logger output is captured at trace level (every
 * request line Fastify writes) and at info level with every request counted as slow, while signing
 * in by link and calling the other routes that carry a secret; the token text must never appear.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachEngine } from "../../test/helpers/engines";
import { createLoginLink } from "../services/auth.service";
import { createContext } from "../services/context";
import { createScimToken } from "../services/scim.service";
import { openStore } from "../store/store";
import { createTenantFixture, operatorToken, testConfig, type App } from "./api.fixture";
import { buildApp, type BuildAppOptions } from "./app";

const metricsToken = "metrics-token-for-tests-0123456789";
const config = testConfig({ KITH_METRICS_TOKEN: metricsToken, KITH_RATE_LIMIT_SIGNIN: "100000" });

/** A logger destination that keeps every line it is given. */
function captureLog() {
  const lines: string[] = [];
  return { lines, stream: { write: (line: string) => void lines.push(line) } };
}

/** A made-up secret shaped like Kith's (`<tenant id>.<random>`), for routes that refuse it anyway. */
const fakeSecret = (label: string) =>
  `0f0e0d0c-0000-4000-8000-${label.padEnd(12, "0")}.${label}Zm9vYmFyYmF6cXV4`;

/** A serialized Buffer (`{ type: "Buffer", data: [...] }`) in a log line, decoded: bytes are text too. */
function decodedBuffers(value: unknown): string[] {
  if (value === null || typeof value !== "object") return [];
  const record = value as { type?: unknown; data?: unknown };
  if (record.type === "Buffer" && Array.isArray(record.data))
    return [Buffer.from(record.data as number[]).toString("latin1")];
  return Object.values(value).flatMap(decodedBuffers);
}

function expectNoSecret(lines: readonly string[], secrets: readonly string[]): void {
  const text = [...lines, ...lines.flatMap((line) => decodedBuffers(JSON.parse(line)))].join("");
  for (const secret of secrets) {
    expect(text).not.toContain(secret);
    // The random part alone is the secret too; so is its percent-encoded form.
    const random = secret.slice(secret.indexOf(".") + 1);
    expect(text).not.toContain(random);
    expect(text).not.toContain(encodeURIComponent(secret));
  }
}

describeEachEngine("secrets in log lines", (h) => {
  let scimToken: string;
  let sessionToken: string;

  beforeAll(async () => {
    await createTenantFixture(h.ctx(), "alpha");
    scimToken = (await createScimToken(h.ctx(), "alpha", "idp")).token;
  });

  const build = async (logger: BuildAppOptions["logger"], slowRequestMs?: number): Promise<App> =>
    buildApp({ ctx: h.ctx(), config, logger, ...(slowRequestMs === undefined ? {} : { slowRequestMs }) });
  const linkToken = async () =>
    (await createLoginLink(h.ctx(), "alpha", "seller@alpha.example", 60_000)).token;

  /** Signs in by link and calls every route that carries a secret; returns the secrets sent. */
  async function exercise(app: App): Promise<string[]> {
    const link = await linkToken();
    const signedIn = await app.inject({
      method: "GET",
      url: `/auth/link?token=${encodeURIComponent(link)}&returnTo=%2Fapp%2F`,
    });
    expect(signedIn.statusCode).toBe(303);
    sessionToken = signedIn.cookies.find((c) => c.name === "kith_session")!.value;
    const csrf = signedIn.cookies.find((c) => c.name === "kith_csrf")!.value;

    // The query parser decodes parameter names, so `%74oken` is `token` to the route.
    const encodedName = await linkToken();
    const byEncodedName = await app.inject({
      method: "GET",
      url: `/auth/link?%74oken=${encodeURIComponent(encodedName)}`,
    });
    expect(byEncodedName.statusCode).toBe(303);
    const used = await app.inject({ method: "GET", url: `/auth/link?token=${encodeURIComponent(link)}` });
    expect(used.statusCode).toBe(401);

    const oidcState = fakeSecret("state");
    const oidcCode = fakeSecret("code");
    await app.inject({ method: "GET", url: `/auth/oidc/callback?state=${oidcState}&code=${oidcCode}` });

    const bearer = await app.inject({
      method: "GET",
      url: "/api/session",
      headers: { authorization: `Bearer ${sessionToken}` },
    });
    expect(bearer.statusCode).toBe(200);
    const cookie = await app.inject({
      method: "PUT",
      url: "/api/me/privacy/introducer",
      cookies: { kith_session: sessionToken },
      headers: { "x-csrf-token": csrf },
      payload: { hidden: false },
    });
    expect(cookie.statusCode).toBe(200);
    const scim = await app.inject({
      method: "GET",
      url: "/scim/v2/Users",
      headers: { authorization: `Bearer ${scimToken}` },
    });
    expect(scim.statusCode).toBe(200);
    const operator = await app.inject({
      method: "GET",
      url: "/api/tenants",
      headers: { authorization: `Bearer ${operatorToken}` },
    });
    expect(operator.statusCode).toBe(200);
    const metrics = await app.inject({
      method: "GET",
      url: "/metrics",
      headers: { authorization: `Bearer ${metricsToken}` },
    });
    expect(metrics.statusCode).toBe(200);

    const reviewInBody = fakeSecret("review1");
    await app.inject({ method: "POST", url: "/api/partner/review/lookup", payload: { token: reviewInBody } });
    const reviewInQuery = fakeSecret("review2");
    await app.inject({ method: "GET", url: `/app/partner-review?token=${reviewInQuery}` });
    const reviewInPath = fakeSecret("review3");
    await app.inject({ method: "GET", url: `/app/partner-review/${reviewInPath}` });
    const reviewInApiPath = fakeSecret("review4");
    await app.inject({ method: "GET", url: `/api/partner/review/${reviewInApiPath}` });

    const out = await app.inject({
      method: "POST",
      url: "/auth/logout",
      headers: { authorization: `Bearer ${sessionToken}` },
    });
    expect(out.statusCode).toBe(200);
    return [
      link,
      encodedName,
      sessionToken,
      csrf,
      oidcState,
      oidcCode,
      scimToken,
      operatorToken,
      metricsToken,
      reviewInBody,
      reviewInQuery,
      reviewInPath,
      reviewInApiPath,
    ];
  }

  it("at trace level, request lines carry the route and the other parameters, never a token", async () => {
    const log = captureLog();
    const app = await build({ level: "trace", stream: log.stream });
    try {
      const secrets = await exercise(app);
      expect(log.lines.some((l) => l.includes('"msg":"incoming request"'))).toBe(true);
      expect(log.lines.join("")).toContain("/auth/link?token=[Redacted]&returnTo=%2Fapp%2F");
      expect(log.lines.join("")).toContain("/auth/oidc/callback?state=[Redacted]&code=[Redacted]");
      expectNoSecret(log.lines, secrets);
    } finally {
      await app.close();
    }
  });

  it("a slow request's line (logged at any level) names the route without its token", async () => {
    const log = captureLog();
    // Every request counts as slow, so the line is written without waiting for a slow one.
    const app = await build({ level: "info", stream: log.stream }, 0);
    try {
      const secrets = await exercise(app);
      const slow = log.lines.filter((l) => l.includes('"msg":"slow request"'));
      expect(slow.some((l) => l.includes('"url":"/auth/link?token=[Redacted]&returnTo=%2Fapp%2F"'))).toBe(
        true,
      );
      expectNoSecret(log.lines, secrets);
    } finally {
      await app.close();
    }
  });

  it("a malformed request's parser error (trace) does not carry the raw request bytes", async () => {
    const log = captureLog();
    const app = await build({ level: "trace", stream: log.stream });
    try {
      const address = await app.listen({ host: "127.0.0.1", port: 0 });
      const { port } = new URL(address);
      const secret = await linkToken();
      await new Promise<void>((resolve, reject) => {
        const socket = connect(Number(port), "127.0.0.1", () => {
          socket.write(
            `GET /auth/link?token=${secret} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${sessionToken}\r\nBad Header Line\r\n\r\n`,
          );
        });
        socket.on("error", reject);
        socket.on("close", () => resolve());
        socket.resume();
      });
      expect(log.lines.some((l) => l.includes('"msg":"client error"'))).toBe(true);
      expectNoSecret(log.lines, [secret, sessionToken]);
    } finally {
      await app.close();
    }
  });
});

describe("secrets in error log lines", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "kith-log-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("an unexpected error during a link sign-in is logged without the link's token", async () => {
    const store = await openStore(join(dir, "kith.db"));
    const ctx = createContext(store, () => new Date("2026-06-01T09:00:00Z"));
    await createTenantFixture(ctx, "alpha");
    const link = (await createLoginLink(ctx, "alpha", "seller@alpha.example", 60_000)).token;
    const log = captureLog();
    const app = await buildApp({ ctx, config, logger: { level: "trace", stream: log.stream } });
    try {
      // The database goes away under the running server: the sign-in fails unexpectedly.
      await store.close();
      const res = await app.inject({ method: "GET", url: `/auth/link?token=${encodeURIComponent(link)}` });
      expect(res.statusCode).toBe(500);
      expect(log.lines.some((l) => l.includes('"msg":"unexpected error"') && l.includes('"level":50'))).toBe(
        true,
      );
      expectNoSecret(log.lines, [link]);
    } finally {
      await app.close();
    }
  });
});
