import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTenantWithUsers, directoryUser } from "../../test/helpers/directory";
import { describeEachEngine } from "../../test/helpers/engines";
import { asSession, testConfig, type App } from "../api/api.fixture";
import { buildApp } from "../api/app";
import { runCli } from "../cli/program";
import { findUserByAddress } from "../store/directory.repository";
import { startSession, type NewSession } from "./auth.service";
import {
  grantConsent,
  setDataSharing,
  setHideAsIntroducer,
  setRelationshipIntelligence,
} from "./consent.service";
import { importBatch } from "./ingest.service";
import { whoKnowsWhom } from "./who-knows-whom.service";

const admin = "admin@corp.test";
const seller = "sam@corp.test";
const amy = "amy@corp.test";
const carl = "carl@corp.test";
const dave = "dave@corp.test";
const eve = "eve@corp.test";
const old = "olga@acme.example";

interface Body {
  introducers: { email: string }[];
  dormant: { email: string; lastInteraction: unknown; labelThen: string }[];
  alternatives?: unknown;
}

let n = 0;
function message(date: string, from: string, to: string): string {
  n++;
  return [
    "From MAILER-DAEMON Mon Apr 18 14:23:23 2022",
    `Message-ID: <d${n}@corp.test>`,
    `Date: ${date}`,
    `From: ${from}`,
    `To: ${to}`,
    `Subject: note ${n}`,
    "",
    "(body)",
    "",
  ].join("\n");
}

/** `count` messages between a colleague and Olga, alternating direction, one a week ending on `last`. */
function thread(colleague: string, count: number, last: string): string[] {
  const end = new Date(last).getTime();
  return Array.from({ length: count }, (_, i) => {
    const at = new Date(end - (count - 1 - i) * 7 * 86_400_000).toUTCString();
    return i % 2 === 0 ? message(at, colleague, old) : message(at, old, colleague);
  });
}

/**
 * Olga at Acme: Amy wrote with her 40 times until March 2019; Carl 30 times (then turns his data
 * sharing off); Dave 20 times (then hides as an introducer); Eve twice, in May 2026.
 */
function corpus(): string {
  return [
    ...thread(amy, 40, "2019-03-04T10:00:00Z"),
    ...thread(carl, 30, "2019-05-06T10:00:00Z"),
    ...thread(dave, 20, "2019-06-03T10:00:00Z"),
    ...thread(eve, 2, "2026-05-04T10:00:00Z"),
  ].join("");
}

describeEachEngine("who knows whom: dormant relationships, through the service and the API", (h) => {
  let tenantId = "";
  let app: App;
  let session: NewSession;
  beforeAll(async () => {
    h.setNow("2019-07-01T00:00:00Z");
    const ctx = h.ctx();
    tenantId = await createTenantWithUsers(
      ctx,
      { name: "Corp", slug: "corp", domain: "corp.test", admin },
      [seller, amy, carl, dave, eve].map((e) => directoryUser(e)),
    );
    for (const t of ["identifiable", "aggregated", "personal"] as const)
      await grantConsent(ctx, tenantId, t, admin);
    await setRelationshipIntelligence(ctx, tenantId, true, admin);
    const dir = mkdtempSync(join(tmpdir(), "kith-dormant-"));
    const file = join(dir, "mail.mbox");
    writeFileSync(file, corpus());
    h.setNow("2026-06-01T00:00:00Z");
    const summary = await importBatch(ctx, tenantId, [file], {
      owners: new Map([[file, amy]]),
      format: "mbox",
    });
    expect(summary.status).toBe("done");
    app = await buildApp({ ctx, config: testConfig() });
    const user = await findUserByAddress(ctx.store.db, tenantId, seller);
    session = await startSession(ctx, tenantId, user!, "link", 3_600_000);
  });
  afterAll(async () => {
    await app?.close();
  });

  it("in 2019 the ties are current; seven years on they are dormant, with the last date, not 'nobody'", async () => {
    h.setNow("2019-07-01T00:00:00Z");
    const then = await whoKnowsWhom(h.ctx(), tenantId, old, seller);
    expect(then.introducers.map((i) => i.email).sort()).toEqual([amy, carl, dave]);
    expect(then.dormant).toEqual([]);

    h.setNow("2026-06-01T00:00:00Z");
    const now = await whoKnowsWhom(h.ctx(), tenantId, old, seller);
    // Eve's two mails last month are current; the old ties are listed below, as dormant.
    expect(now.introducers.map((i) => i.email)).toEqual([eve]);
    expect(now.dormant.map((i) => [i.email, i.lastInteraction?.date])).toEqual([
      [amy, "2019-03-04"],
      [carl, "2019-05-06"],
      [dave, "2019-06-03"],
    ]);
    const a = now.dormant[0]!;
    expect(a.strengthThen).toBeGreaterThanOrEqual(70);
    expect(a.labelThen).toBe("strong");
    expect(a.strength).toBeLessThan(a.strengthThen);
    expect(a.explanation).toMatch(/^Dormant: no contact for 7 years \(last 2019-03-04\); strong/);
    expect(a.introductionDraft.to).toBe(amy);
  });

  it("serves dormant ties over HTTP, below the current ones", async () => {
    h.setNow("2026-06-01T00:00:00Z");
    const res = await app.inject(
      asSession(session, { url: `/api/who-knows-whom?email=${encodeURIComponent(old)}` }),
    );
    expect(res.statusCode).toBe(200);
    const body = res.json<Body>();
    expect(body.introducers.map((i) => i.email)).toEqual([eve]);
    expect(body.dormant.map((i) => i.email)).toEqual([amy, carl, dave]);
    expect(body.dormant[0]).toMatchObject({
      lastInteraction: { date: "2019-03-04", type: "email" },
      labelThen: "strong",
    });
    // With only dormant ties, the answer is neither empty nor "nobody": no bulk tier, other ways in offered.
    const asOf = await app.inject(
      asSession(session, {
        url: `/api/who-knows-whom?email=${encodeURIComponent(old)}&asOf=2026-01-01T00:00:00.000Z`,
      }),
    );
    const dormantOnly = asOf.json<Body>();
    expect(dormantOnly.introducers).toEqual([]);
    expect(dormantOnly.dormant.map((i) => i.email)).toEqual([amy, carl, dave]);
    expect(dormantOnly.alternatives).toBeDefined();
  });

  it("never lists a colleague hidden as introducer or whose data is withdrawn, as dormant either", async () => {
    h.setNow("2026-06-01T00:00:00Z");
    await setHideAsIntroducer(h.ctx(), tenantId, dave, true);
    await setDataSharing(h.ctx(), tenantId, carl, false);
    const now = await whoKnowsWhom(h.ctx(), tenantId, old, seller);
    expect(now.dormant.map((i) => i.email)).toEqual([amy]);
    // As of 2019 too: Carl's deleted mail is gone, Dave stays hidden.
    const then = await whoKnowsWhom(h.ctx(), tenantId, old, seller, new Date("2019-07-01T00:00:00Z"));
    expect([...then.introducers, ...then.dormant].map((i) => i.email)).toEqual([amy]);
    // A viewer is never their own introducer, dormant or not.
    const asAmy = await whoKnowsWhom(h.ctx(), tenantId, old, amy);
    expect(asAmy.dormant).toEqual([]);
  });

  it("kith wkw prints dormant ties below the current ones, with the last date (the CLI's clock is the real one)", async () => {
    const out: string[] = [];
    const code = await runCli(
      ["wkw", old, "--tenant", "corp", "--viewer", seller],
      { out: (s) => out.push(s), err: (s) => out.push(s) },
      { KITH_DATABASE_URL: h.url() },
    );
    const text = out.join("\n");
    expect(code).toBe(0);
    expect(text).toContain("dormant (last contact over a year ago):");
    expect(text).toMatch(/- amy <amy@corp\.test> {2}dormant since 2019-03-04, was \d+ strong/);
    expect(text).not.toContain("nobody in the company knows this person");
    expect(text.indexOf("eve@corp.test")).toBeLessThan(text.indexOf("amy@corp.test"));
  });
});
