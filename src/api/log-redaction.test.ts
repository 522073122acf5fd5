import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { redactSecretsInText, redactUrl, withSecretRedaction } from "./log-redaction";

describe("redactUrl", () => {
  it.each([
    ["/auth/link?token=t.s3cret", "/auth/link?token=[Redacted]"],
    ["/auth/link?token=t.s3cret&returnTo=%2Fapp%2F", "/auth/link?token=[Redacted]&returnTo=%2Fapp%2F"],
    ["/auth/link?returnTo=/x&token=a&token=b", "/auth/link?returnTo=/x&token=[Redacted]&token=[Redacted]"],
    ["/auth/link?%74oken=t.s3cret", "/auth/link?%74oken=[Redacted]"],
    ["/auth/link?TOKEN=t.s3cret", "/auth/link?TOKEN=[Redacted]"],
    [
      "/auth/oidc/callback?code=c1&state=s1&iss=x",
      "/auth/oidc/callback?code=[Redacted]&state=[Redacted]&iss=x",
    ],
    ["/auth/oidc/callback?%E0=x", "/auth/oidc/callback?%E0=[Redacted]"],
    ["/app/partner-review#token=t.s3cret", "/app/partner-review#token=[Redacted]"],
    ["/app/partner-review/t.s3cret", "/app/partner-review/[Redacted]"],
    ["/api/partner/review/lookup", "/api/partner/review/lookup"],
    ["/api/partner/review/t.s3cret/decide", "/api/partner/review/[Redacted]/decide"],
    ["/api/partner/reviews/r1/decide", "/api/partner/reviews/r1/decide"],
    ["/api/who-knows-whom?email=a%40b.example", "/api/who-knows-whom?email=a%40b.example"],
    ["http://kith.example/auth/link?token=x#top", "http://kith.example/auth/link?token=[Redacted]#top"],
    ["/healthz", "/healthz"],
  ])("%s", (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});

describe("redactSecretsInText", () => {
  it("replaces URL parameters, bearer tokens and session cookies inside any text", () => {
    expect(
      redactSecretsInText(
        'Reply was already sent in the "/auth/link?token=t.s3cret&returnTo=/" route; Authorization: Bearer kscim_abc, Cookie: kith_session=t.s2; kith_csrf=c3',
      ),
    ).toBe(
      'Reply was already sent in the "/auth/link?token=[Redacted]&returnTo=/" route; Authorization: Bearer [Redacted], Cookie: kith_session=[Redacted]; kith_csrf=[Redacted]',
    );
    expect(redactSecretsInText("open https://k.example/app/partner-review#token=t.s3cret now")).toBe(
      "open https://k.example/app/partner-review#token=[Redacted] now",
    );
  });
});

describe("withSecretRedaction", () => {
  function logger(options: Parameters<typeof withSecretRedaction>[0] = {}) {
    const lines: string[] = [];
    const log = pino(withSecretRedaction({ level: "trace", ...options }), {
      write: (line: string) => void lines.push(line),
    });
    return { log, text: () => lines.join("") };
  }

  it("redacts credential headers and every url field, keeping the rest", () => {
    const { log, text } = logger();
    log.info({
      req: {
        method: "GET",
        url: "/auth/link?token=t.s3cret",
        headers: {
          authorization: "Bearer t.s4",
          cookie: "kith_session=t.s5",
          "x-csrf-token": "c6",
          "user-agent": "probe",
        },
      },
      res: { statusCode: 200, headers: { "set-cookie": "kith_session=t.s7" } },
      url: "/auth/oidc/callback?code=s8",
      headers: { authorization: "Bearer s9" },
      job: { token: "s10" },
    });
    for (const secret of ["s3cret", "s4", "s5", "c6", "s7", "s8", "s9", "s10"])
      expect(text()).not.toContain(secret);
    expect(text()).toContain('"url":"/auth/link?token=[Redacted]"');
    expect(text()).toContain('"user-agent":"probe"');
  });

  it("scrubs error messages, stacks, causes and raw request bytes, and message strings", () => {
    const { log, text } = logger();
    const error = Object.assign(
      new Error("failed at /auth/link?token=t.s3cret", { cause: new Error("Bearer s2") }),
      {
        rawPacket: Buffer.from("GET /auth/link?token=t.s4 HTTP/1.1"),
      },
    );
    log.error({ err: error }, "unexpected error");
    log.warn("Route GET:/auth/oidc/callback?state=s5&code=s6 not found");
    log.warn("%s", "/auth/link?token=s7");
    for (const secret of ["s3cret", "s2", "s4", "s5", "s6", "s7"]) expect(text()).not.toContain(secret);
    expect(text()).toContain("failed at /auth/link?token=[Redacted]");
  });

  it("keeps the caller's own redact paths", () => {
    const { log, text } = logger({ redact: ["config.password"] });
    log.info({ config: { password: "p1", host: "h" }, req: { headers: { cookie: "c2" } } });
    expect(text()).not.toContain("p1");
    expect(text()).not.toContain("c2");
    expect(text()).toContain('"host":"h"');
  });
});
