import { randomBytes } from "node:crypto";
import { beforeAll, expect, it } from "vitest";
import { createTenantWithUsers, directoryUser } from "../../test/helpers/directory";
import { describeEachEngine } from "../../test/helpers/engines";
import { startSession, type NewSession } from "../services/auth.service";
import { findUserByAddress } from "../store/directory.repository";
import { asSession, errorCode, testConfig, type App } from "./api.fixture";
import { buildApp } from "./app";

const secret = "imap-Secret-never-shown-9";

/** /api/sources on both engines: administrators only; a secret goes in and never comes back out. */
describeEachEngine("live sources API", (h) => {
  let app: App;
  let admin: NewSession;
  let seller: NewSession;

  beforeAll(async () => {
    h.setNow("2026-06-03T09:00:00Z");
    const ctx = h.ctx();
    const tenantId = await createTenantWithUsers(
      ctx,
      { name: "Contoso", slug: "contoso", domain: "contoso.com", admin: "admin@contoso.com" },
      [directoryUser("seller@contoso.com")],
    );
    const session = async (email: string) =>
      startSession(
        ctx,
        tenantId,
        (await findUserByAddress(ctx.store.db, tenantId, email))!,
        "link",
        3_600_000,
      );
    admin = await session("admin@contoso.com");
    seller = await session("seller@contoso.com");
    app = await buildApp({
      ctx,
      config: testConfig({ KITH_SECRET_KEY: randomBytes(32).toString("base64") }),
    });
  });

  it("adds an IMAP source for an administrator, lists its mailbox pending a full fetch, and never returns the secret", async () => {
    const body = {
      kind: "imap",
      name: "Mail",
      settings: { host: "imap.contoso.com", port: 993, tls: "implicit", auth: "password" },
      mailboxes: [{ address: "Seller@Contoso.com", login: "seller", secret }],
    };
    expect(
      errorCode(await app.inject(asSession(seller, { method: "POST", url: "/api/sources", payload: body }))),
    ).toBe("insufficient_privileges");
    const added = await app.inject(asSession(admin, { method: "POST", url: "/api/sources", payload: body }));
    expect(added.statusCode, added.body).toBe(201);
    expect(added.body).not.toContain(secret);
    const listed = await app.inject(asSession(admin, { method: "GET", url: "/api/sources" }));
    expect(listed.statusCode).toBe(200);
    expect(listed.body).not.toContain(secret);
    const view = listed.json<{
      sources: { mailboxes: { mailbox: string; stage: string; hasCredential: boolean }[] }[];
    }>();
    expect(view.sources[0]!.mailboxes).toEqual([
      expect.objectContaining({
        mailbox: "seller@contoso.com",
        stage: "pending_full_fetch",
        hasCredential: true,
      }),
    ]);
    const bad = await app.inject(
      asSession(admin, {
        method: "POST",
        url: "/api/sources",
        payload: { ...body, settings: { host: "x", port: 0 } },
      }),
    );
    expect(errorCode(bad)).toBe("validation_failed");
    expect(bad.body).toMatch(/IMAP source settings/);
  });

  it("adds a Microsoft Graph source whose client secret is never returned, and refuses bad Graph settings by name", async () => {
    const clientSecret = "graph-Client-Secret-never-shown-3";
    const body = {
      kind: "graph",
      name: "Contoso 365",
      settings: { tenantId: "contoso.onmicrosoft.com", clientId: "11111111-2222-3333-4444-555555555555" },
      secret: clientSecret,
      mailboxes: [{ address: "seller@contoso.com" }],
    };
    const added = await app.inject(asSession(admin, { method: "POST", url: "/api/sources", payload: body }));
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({ kind: "graph", hasCredential: true });
    expect(added.body).not.toContain(clientSecret);
    const listed = await app.inject(asSession(admin, { method: "GET", url: "/api/sources" }));
    expect(listed.statusCode).toBe(200);
    expect(listed.body).toContain("Contoso 365");
    expect(listed.body).not.toContain(clientSecret);
    for (const [settings, problem] of [
      [{ tenantId: "contoso" }, /Microsoft Graph source settings: clientId/],
      [{ ...body.settings, graphBaseUrl: "graph" }, /graphBaseUrl: must be an http\(s\) URL/],
    ] as const) {
      const bad = await app.inject(
        asSession(admin, { method: "POST", url: "/api/sources", payload: { ...body, settings } }),
      );
      expect(errorCode(bad)).toBe("validation_failed");
      expect(bad.body).toMatch(problem);
      expect(bad.body).not.toContain(clientSecret);
    }
    const { secret: _omitted, ...noSecret } = body;
    const unsealed = await app.inject(
      asSession(admin, { method: "POST", url: "/api/sources", payload: noSecret }),
    );
    expect(errorCode(unsealed)).toBe("validation_failed");
    expect(unsealed.body).toMatch(/client secret/);
  });
});
