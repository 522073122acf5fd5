import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { createTenantWithUsers, directoryUser } from "../../test/helpers/directory";
import { describeEachEngine } from "../../test/helpers/engines";
import { grantConsent, setRelationshipIntelligence } from "./consent.service";
import { importBatch } from "./ingest.service";
import { accountIntroducers, whoKnowsWhom } from "./who-knows-whom.service";

const admin = "admin@corp.test";
const zoe = "zoe@corp.test";
const amy = "amy@corp.test";
const bob = "bob@corp.test";

/** One mbox message (Enron style headers). */
function message(n: number, date: string, from: string, to: string[], cc: string[] = []): string {
  return [
    "From MAILER-DAEMON Mon Apr 18 14:23:23 2022",
    `Message-ID: <m${n}@corp.test>`,
    `Date: ${date}`,
    `From: ${from}`,
    `To: ${to.join(", ")}`,
    ...(cc.length ? [`Cc: ${cc.join(", ")}`] : []),
    `Subject: note ${n}`,
    "",
    "(body)",
    "",
  ].join("\n");
}

/**
 * - editor@bulk.example wrote twice to 80 people (amy and bob among them; 81 on each with the sender): bulk evidence only.
 * - twin@tie.example wrote one message to zoe and amy together: identical evidence, a true tie.
 */
function corpus(): string {
  const crowd = Array.from({ length: 78 }, (_, i) => `reader${i}@elsewhere.example`);
  return [
    message(1, "Mon, 2 Apr 2001 09:00:00 -0700", "editor@bulk.example", [amy, bob, ...crowd]),
    message(2, "Mon, 9 Apr 2001 09:00:00 -0700", "editor@bulk.example", [bob, ...crowd, amy]),
    message(3, "Tue, 3 Apr 2001 09:00:00 -0700", "twin@tie.example", [zoe, amy]),
    message(4, "Wed, 4 Apr 2001 09:00:00 -0700", "judy@ca.pwcglobal.com", [amy]),
    message(5, "Wed, 4 Apr 2001 10:00:00 -0700", amy, ["judy@ca.pwcglobal.com"]),
    message(6, "Thu, 5 Apr 2001 09:00:00 -0700", bob, ["tom@pwcglobal.com"]),
    message(7, "Thu, 5 Apr 2001 09:30:00 -0700", "tom@pwcglobal.com", [bob]),
    message(8, "Fri, 6 Apr 2001 09:00:00 -0700", zoe, ["pal@gmail.com"]),
  ].join("");
}

describeEachEngine("who knows whom: evidence tiers and the tie order, through the service", (h) => {
  let tenantId = "";
  beforeAll(async () => {
    h.setNow("2001-06-01T00:00:00Z");
    const ctx = h.ctx();
    tenantId = await createTenantWithUsers(
      ctx,
      { name: "Corp", slug: "corp", domain: "corp.test", admin },
      // Zoe is imported first: store order would put her first.
      [directoryUser(zoe), directoryUser(amy), directoryUser(bob)],
    );
    for (const t of ["identifiable", "aggregated", "personal"] as const)
      await grantConsent(ctx, tenantId, t, admin);
    await setRelationshipIntelligence(ctx, tenantId, true, admin);
    const dir = mkdtempSync(join(tmpdir(), "kith-wkw-"));
    const file = join(dir, "mail.mbox");
    writeFileSync(file, corpus());
    const owners = new Map([[file, amy]]);
    const summary = await importBatch(ctx, tenantId, [file], { owners, format: "mbox" });
    expect(summary.status).toBe("done");
  });

  it("answers from bulk mail, labelled weak, when nobody has direct evidence", async () => {
    const answer = await whoKnowsWhom(h.ctx(), tenantId, "editor@bulk.example", null);
    expect(answer.introducers.map((i) => [i.email, i.evidence, i.label])).toEqual([
      [amy, "bulk", "weak"],
      [bob, "bulk", "weak"],
    ]);
    expect(answer.introducers[0]!.strength).toBeLessThan(40);
    expect(answer.introducers[0]!.explanation).toMatch(
      /^Received their mail to up to 81 people \(2 messages/,
    );
    // The viewer is never their own introducer, in the weak tier too.
    const asAmy = await whoKnowsWhom(h.ctx(), tenantId, "editor@bulk.example", amy);
    expect(asAmy.introducers.map((i) => i.email)).toEqual([bob]);
    // Before the mail was sent there is no evidence at all.
    const before = await whoKnowsWhom(h.ctx(), tenantId, "editor@bulk.example", null, new Date("2001-03-01"));
    expect(before.introducers).toEqual([]);
  });

  it("orders identical evidence by name, not by store order, and lists direct evidence as such", async () => {
    const answer = await whoKnowsWhom(h.ctx(), tenantId, "twin@tie.example", null);
    expect(answer.introducers.map((i) => [i.name, i.evidence])).toEqual([
      ["amy", "direct"],
      ["zoe", "direct"],
    ]);
    expect(answer.introducers[0]!.strength).toBe(answer.introducers[1]!.strength);
  });

  it("groups people by registrable domain: the account view of a subdomain is its organisation", async () => {
    for (const asked of ["pwcglobal.com", "ca.pwcglobal.com", "PWCGLOBAL.COM"]) {
      const view = await accountIntroducers(h.ctx(), tenantId, asked, null);
      expect(view.account).toMatchObject({ id: null, name: "pwcglobal.com", domains: ["pwcglobal.com"] });
      // Both exchanged two mails with someone there; Bob's are a day more recent.
      expect(view.introducers.map((i) => [i.email, i.peopleKnown])).toEqual([
        [bob, 1],
        [amy, 1],
      ]);
    }
    const judy = await whoKnowsWhom(h.ctx(), tenantId, "judy@ca.pwcglobal.com", null);
    expect(judy.target.organisation).toBe("pwcglobal.com");
  });

  it("never makes a consumer mail provider an organisation", async () => {
    await expect(accountIntroducers(h.ctx(), tenantId, "gmail.com", null)).rejects.toMatchObject({
      code: "not_found",
    });
    const pal = await whoKnowsWhom(h.ctx(), tenantId, "pal@gmail.com", null);
    expect(pal.target.organisation).toBeNull();
  });
});
