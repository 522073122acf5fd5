/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- response bodies are JSON checked by value with expect() */
/**
 * Finding anyone and opening records over HTTP (issue 17), on both engines: a search never reveals
 * a person known only through a colleague the viewer may not see (hidden as an introducer, opted
 * out) nor anything of a tenant that withdrew consent; accounts and opportunities carry what a
 * seller reads; and "email me a sign-in link" answers the same for any address, mails a link over
 * real SMTP, and is limited per address.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTenantWithUsers, directoryUser } from "../../test/helpers/directory";
import { describeEachEngine } from "../../test/helpers/engines";
import { emailRecord as email } from "../../test/helpers/records";
import { startSmtpCapture, type SmtpCapture } from "../../test/helpers/smtp";
import { startSession, type NewSession } from "../services/auth.service";
import {
  grantConsent,
  setDataSharing,
  setHideAsIntroducer,
  setRelationshipIntelligence,
  withdrawConsent,
} from "../services/consent.service";
import { importCrmFile } from "../services/crm.service";
import { importRecords } from "../services/ingest.service";
import type { ServiceContext } from "../services/context";
import { findUserByAddress } from "../store/directory.repository";
import { asSession, testConfig, type App } from "./api.fixture";
import { buildApp } from "./app";
import { linkMailsPerAddress } from "./routes/auth.routes";

const admin = "admin@contoso.com";
const seller = "seller@contoso.com";
const olga = "olga@contoso.com"; // knows Lee and Zora
const hidden = "hidden@contoso.com"; // hides as an introducer: the only one who knows Quinn
const leaver = "leaver@contoso.com"; // turns sharing off: the only one who knew Otto
const service = "service@contoso.com"; // a role without insight grants
const day = 86_400_000;

const crm = {
  format: "kith-crm/1",
  accounts: [{ id: "acc-fab", name: "Fabrikam", domains: ["fabrikam.com"], primaryContactId: "con-lee" }],
  contacts: [{ id: "con-lee", email: "lee.gu@fabrikam.com", name: "Lee Gu", accountId: "acc-fab" }],
  leads: [
    {
      id: "lead-1",
      email: "nestor@northwind.com",
      name: "Nestor Wilke",
      company: "Northwind",
      status: "active",
    },
  ],
  opportunities: [
    {
      id: "opp-1",
      name: "Fabrikam renewal",
      accountId: "acc-fab",
      ownerEmail: seller,
      salesTeam: [olga],
      stakeholders: ["con-lee"],
      customerContactId: "con-lee",
      status: "open",
      stage: "Propose",
      currency: "eur",
      estimatedCloseDate: "2026-09-30",
      estimatedRevenue: 120000,
    },
  ],
};

async function sessionOf(ctx: ServiceContext, tenantId: string, address: string): Promise<NewSession> {
  const user = await findUserByAddress(ctx.store.db, tenantId, address);
  if (!user) throw new Error(`no user ${address}`);
  return startSession(ctx, tenantId, user, "link", 3_600_000);
}

describeEachEngine("find anyone, records and sign-in by email over HTTP", (h) => {
  let app: App;
  let smtp: SmtpCapture;
  let tenantId = "";
  let sellerSession: NewSession;
  const get = (url: string, as: NewSession = sellerSession) =>
    app.inject(asSession(as, { method: "GET", url }));
  const people = (res: LightMyRequestResponse): string[] =>
    (res.json<{ people?: { rows: { email: string }[] } }>().people?.rows ?? []).map((p) => p.email);

  beforeAll(async () => {
    h.setNow("2026-06-01T09:00:00Z");
    const ctx = h.ctx();
    smtp = await startSmtpCapture();
    tenantId = await createTenantWithUsers(
      ctx,
      { name: "Contoso", slug: "contoso", domain: "contoso.com", admin },
      [
        directoryUser(seller),
        directoryUser(olga),
        directoryUser(hidden),
        directoryUser(leaver),
        directoryUser(service, ["Partner Administrator"]),
      ],
    );
    for (const t of ["identifiable", "aggregated", "personal"] as const)
      await grantConsent(ctx, tenantId, t, admin);
    await setRelationshipIntelligence(ctx, tenantId, true, admin);
    const base = Date.UTC(2026, 4, 1);
    const both = (at: number, colleague: string, person: string) => [
      email(at, colleague, [person]),
      email(at + 3_600_000, person, [colleague]),
    ];
    const summary = await importRecords(ctx, tenantId, [
      {
        name: "generated",
        records: [
          ...both(base, olga, "lee.gu@fabrikam.com"),
          ...both(base + day, olga, "zora.quist@fabrikam.com"),
          ...both(base + day, hidden, "zora.quist@fabrikam.com"),
          ...both(base + 2 * day, hidden, "quinn.hidden@fabrikam.com"),
          ...both(base + 3 * day, leaver, "otto.gone@fabrikam.com"),
        ],
      },
    ]);
    expect(summary.status).toBe("done");
    const dir = mkdtempSync(join(tmpdir(), "kith-find-"));
    writeFileSync(join(dir, "crm.json"), JSON.stringify(crm));
    expect((await importCrmFile(ctx, tenantId, join(dir, "crm.json"))).rejected).toEqual([]);
    await setHideAsIntroducer(ctx, tenantId, hidden, true);
    await setDataSharing(ctx, tenantId, leaver, false);
    sellerSession = await sessionOf(ctx, tenantId, seller);
    app = await buildApp({
      ctx,
      config: testConfig({ KITH_SMTP_URL: smtp.url, KITH_RATE_LIMIT_SIGNIN: "100000" }),
    });
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  it("finds accounts, contacts, leads, opportunities and known people by part of a name, address or domain", async () => {
    const res = await get("/api/search?q=fabri");
    expect(res.statusCode).toBe(200);
    const a =
      res.json<
        Record<
          "accounts" | "contacts" | "leads" | "opportunities" | "people",
          { rows: { id: string; knownBy?: number }[] }
        >
      >();
    expect(a.accounts.rows).toEqual([
      { id: "acc-fab", name: "Fabrikam", domains: ["fabrikam.com"], contacts: 1, openOpportunities: 1 },
    ]);
    expect(a.contacts.rows.map((c: { id: string }) => c.id)).toEqual(["con-lee"]);
    expect(a.opportunities.rows[0]).toMatchObject({
      name: "Fabrikam renewal",
      currency: "EUR",
      stage: "Propose",
    });
    // Lee is a CRM contact, listed once (as a contact); Zora is known by Olga.
    expect(people(res)).toEqual(["zora.quist@fabrikam.com"]);
    expect(a.people.rows[0]?.knownBy).toBe(1);
    expect((await get("/api/search?q=wilke")).json().leads.rows[0]).toMatchObject({ id: "lead-1" });
    // `%` and `_` are matched as themselves, not as wildcards.
    expect((await get("/api/search?q=%25%25")).json().accounts.total).toBe(0);
    // Lists: an empty term with one kind, paged.
    const list = (await get("/api/search?kind=contact&limit=1")).json();
    expect(list.contacts.total).toBe(1);
  });

  it("never reveals a person known only through a colleague the viewer may not see, nor counts that colleague", async () => {
    // Quinn is known only by a colleague hidden as an introducer; Otto only by one who turned sharing off.
    expect(people(await get("/api/search?q=quinn"))).toEqual([]);
    expect(people(await get("/api/search?q=otto"))).toEqual([]);
    expect(people(await get("/api/search?q=hidden"))).toEqual([]);
    // Zora is known by Olga and by the hidden colleague: only Olga counts.
    const zora = (await get("/api/search?q=zora")).json().people.rows;
    expect(zora).toEqual([
      { email: "zora.quist@fabrikam.com", name: null, domain: "fabrikam.com", knownBy: 1 },
    ]);
  });

  it("says a role without access may not search, instead of answering 'no match'", async () => {
    const res = await get("/api/search?q=fabri", await sessionOf(h.ctx(), tenantId, service));
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe("insufficient_privileges");
  });

  it("opens an account with its contacts, opportunities and health, and one clear 404 for an unknown account", async () => {
    const account = (await get("/api/accounts/acc-fab")).json();
    expect(account.account).toEqual({
      id: "acc-fab",
      name: "Fabrikam",
      domains: ["fabrikam.com"],
      inCrm: true,
    });
    expect(account.contacts).toEqual([{ id: "con-lee", name: "Lee Gu", email: "lee.gu@fabrikam.com" }]);
    expect(account.opportunities[0]).toMatchObject({
      id: "opp-1",
      estimatedClose: "2026-09-30",
      currency: "EUR",
    });
    const kpis = (await get("/api/kpis/account/acc-fab")).json<{
      health?: { score: number };
      kpis: { theirs: { mostContactedBy: { address: string; name: string; count: number }[] } };
    }>();
    expect(kpis.health?.score).toEqual(expect.any(Number));
    // "Most contacted by" on the customer's side names colleagues, by name.
    expect(kpis.kpis.theirs.mostContactedBy).toContainEqual({ address: olga, name: "olga", count: 2 });
    expect(kpis.kpis.theirs.mostContactedBy.map((r: { address: string }) => r.address)).not.toContain(leaver);
    const unknown = await get("/api/accounts/no-such-account.example");
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe("not_found");
  });

  it("opens an opportunity by name with amount, currency, stage, account and buying committee", async () => {
    const o = (await get("/api/opportunities/opp-1")).json();
    expect(o).toMatchObject({
      name: "Fabrikam renewal",
      estimatedRevenue: 120000,
      currency: "EUR",
      stage: "Propose",
      status: "open",
      account: { id: "acc-fab", name: "Fabrikam" },
      owner: { email: seller, name: "seller" },
      salesTeam: [{ email: olga, name: "olga" }],
    });
    expect(o.buyingCommittee).toEqual([
      {
        contactId: "con-lee",
        name: "Lee Gu",
        email: "lee.gu@fabrikam.com",
        roles: ["customer contact", "stakeholder", "primary contact"],
      },
    ]);
    expect((await get("/api/leads/lead-1")).json()).toMatchObject({
      name: "Nestor Wilke",
      company: "Northwind",
    });
  });

  it("emails a sign-in link over SMTP, answering the same for an unknown address, and no more than the per-address budget", async () => {
    const ask = (address: string) =>
      app.inject({ method: "POST", url: "/auth/link/request", payload: { email: address } });
    const unknown = await ask("nobody@contoso.com");
    const known = await ask(seller);
    expect(unknown.statusCode).toBe(200);
    expect(known.statusCode).toBe(200);
    expect(unknown.json<{ message: string }>().message.replace("nobody@contoso.com", "X")).toBe(
      known.json<{ message: string }>().message.replace(seller, "X"),
    );
    const mail = await smtp.waitFor(seller);
    expect(smtp.messages.map((m) => m.to)).toEqual([[seller]]);
    const link = /http\S+\/auth\/link\?token=\S+/.exec(mail.text)?.[0];
    expect(link).toBeDefined();
    const url = new URL(link!);
    const first = await app.inject({ method: "GET", url: `${url.pathname}${url.search}` });
    expect(first.statusCode).toBe(303);
    expect(first.cookies.find((c) => c.name === "kith_session")?.value).toBeTruthy();
    // Used again from a browser: a friendly page that offers a new link, not JSON.
    const again = await app.inject({
      method: "GET",
      url: `${url.pathname}${url.search}`,
      headers: { accept: "text/html,application/xhtml+xml" },
    });
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe("/app/signin?link=used");
    // The budget: the answer stays the same, but no more mail goes out.
    for (let i = 1; i < linkMailsPerAddress + 2; i++) expect((await ask(olga)).statusCode).toBe(200);
    await smtp.waitFor(olga);
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.messages.filter((m) => m.to.includes(olga))).toHaveLength(linkMailsPerAddress);
  });

  it("after consent is withdrawn, a search reveals nothing of the tenant", async () => {
    await withdrawConsent(h.ctx(), tenantId, "identifiable", admin);
    const res = await get("/api/search?q=fabri");
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe("consent_required");
    expect(res.json().people).toBeUndefined();
  });
});
