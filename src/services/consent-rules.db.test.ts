/**
 * SPEC §3 rules that depend on time, order and who acts, moved through the injectable clock and
 * tried in the orders a user might take (issue 12, items 3–7 and 16). Both engines.
 */
import { hostname } from "node:os";
import { beforeAll, describe, expect, it } from "vitest";
import { directoryUser } from "../../test/helpers/directory";
import { describeEachEngine } from "../../test/helpers/engines";
import type { EmailRecord } from "../domain/interaction";
import { runCli } from "../cli/program";
import { countInteractions } from "../store/interaction-read.repository";
import { listBatches, startBatch } from "../store/ingest-batch.repository";
import {
  consentStatus,
  grantConsent,
  setDataSharing,
  setOptedOutGroups,
  setRelationshipIntelligence,
  withdrawConsent,
} from "./consent.service";
import { importDirectory } from "./directory.service";
import { accountEngagement } from "./engagement.service";
import { importRecords, markAbandonedBatches } from "./ingest.service";
import { listAuditEntries } from "./audit.service";
import { myNetwork } from "./my-network.service";
import { whoKnowsWhom } from "./who-knows-whom.service";
import { createTenant } from "./tenant.service";

const admin = "admin@contoso.com";
const sellers = ["ann", "ben", "cal", "dee", "eve", "fay"].map((n) => `${n}@contoso.com`);

let seq = 0;
function email(at: Date, from: string, to: string): EmailRecord {
  seq++;
  return {
    type: "email",
    position: { file: "rules.ndjson", record: seq },
    messageId: `<r${seq}@rules.test>`,
    conversationId: null,
    inReplyTo: null,
    sentAt: at,
    from: { address: from },
    to: [{ address: to }],
    cc: [],
    subject: `Deal ${seq}`,
    owner: null,
    folder: null,
    noise: {},
  };
}

/** Every seller writes to and hears from a customer at fabrikam.com on each of `days`. */
function trafficOn(days: Date[]): EmailRecord[] {
  return days.flatMap((d) =>
    sellers.flatMap((s, i) => [
      email(d, s, `buyer${i}@fabrikam.com`),
      email(new Date(d.getTime() + 3_600_000), `buyer${i}@fabrikam.com`, s),
    ]),
  );
}

describeEachEngine("consent rules through the clock and in odd orders", (h) => {
  let n = 0;
  const at = (iso: string) => new Date(iso);

  async function tenant(options: { consents: ("identifiable" | "aggregated" | "personal")[]; ri: boolean }) {
    h.setNow("2026-03-01T09:00:00Z");
    const ctx = h.ctx();
    const { id } = await createTenant(ctx, {
      name: `Rules ${++n}`,
      slug: `rules-${n}`,
      domains: ["contoso.com"],
      admin: { email: admin },
    });
    await importDirectory(
      ctx,
      id,
      {
        users: [
          directoryUser(admin, ["Global Administrator", "System Administrator"]),
          ...sellers.map((s) => ({ ...directoryUser(s), groups: s === sellers[5] ? ["board"] : [] })),
        ],
        groups: [{ id: "board", name: "Board" }],
        roles: [],
      },
      [],
      admin,
    );
    for (const type of options.consents) await grantConsent(ctx, id, type, admin);
    if (options.ri) await setRelationshipIntelligence(ctx, id, true, admin);
    return id;
  }

  const importDays = (tenantId: string, days: Date[]) =>
    importRecords(h.ctx(), tenantId, [{ name: "mail", records: trafficOn(days) }]);

  describe("the 14-day deadline and turning relationship intelligence off (item 3)", () => {
    it("switched off means no collection and no insight, and the status says why and what brings it back", async () => {
      const tenantId = await tenant({ consents: ["aggregated"], ri: true });
      h.setNow("2026-03-14T09:00:00Z");
      expect((await importDays(tenantId, [at("2026-02-10T10:00:00Z")])).stored).toBe(12);
      const monthly = { unit: "month", year: 2026, month: 2 } as const;
      await expect(accountEngagement(h.ctx(), tenantId, "fabrikam.com", monthly, null)).resolves.toBeTruthy();

      h.setNow("2026-03-15T09:00:00Z");
      const status = (await consentStatus(h.ctx(), tenantId)).relationshipIntelligence;
      expect(status.state).toBe("switched_off");
      const summary = await importDays(tenantId, [at("2026-03-15T08:00:00Z")]);
      expect(summary.stored).toBe(0);
      expect(summary.refused.ri_off).toBe(12);
      await expect(accountEngagement(h.ctx(), tenantId, "fabrikam.com", monthly, null)).rejects.toMatchObject(
        {
          code: "insights_disabled",
          message: expect.stringMatching(/switched itself off/) as string,
        },
      );
      // Who knows whom needs identifiable consent in the first place: refused, never empty.
      await expect(whoKnowsWhom(h.ctx(), tenantId, "buyer0@fabrikam.com", null)).rejects.toMatchObject({
        code: "consent_required",
      });

      // What brings it back: identifiable consent, at once.
      await grantConsent(h.ctx(), tenantId, "identifiable", admin);
      expect((await consentStatus(h.ctx(), tenantId)).relationshipIntelligence.state).toBe("active");
      expect((await importDays(tenantId, [at("2026-03-15T08:00:00Z")])).stored).toBe(12);
    });

    it("an explicit `ri disable` stops collection and every insight until it is enabled again", async () => {
      const tenantId = await tenant({ consents: ["identifiable", "aggregated", "personal"], ri: true });
      await importDays(tenantId, [at("2026-02-10T10:00:00Z")]);
      h.setNow("2026-03-02T09:00:00Z");
      expect(await setRelationshipIntelligence(h.ctx(), tenantId, false, admin)).toMatchObject({
        state: "turned_off",
      });
      expect((await importDays(tenantId, [at("2026-03-01T10:00:00Z")])).stored).toBe(0);
      const monthly = { unit: "month", year: 2026, month: 2 } as const;
      await expect(accountEngagement(h.ctx(), tenantId, "fabrikam.com", monthly, null)).rejects.toMatchObject(
        {
          code: "insights_disabled",
        },
      );
      await expect(myNetwork(h.ctx(), tenantId, sellers[0]!)).rejects.toMatchObject({
        code: "insights_disabled",
      });
      await setRelationshipIntelligence(h.ctx(), tenantId, true, admin);
      expect((await importDays(tenantId, [at("2026-03-01T10:00:00Z")])).stored).toBe(12);
    });

    it("the deadline switch-off is enforced by the CLI's clock too (KITH_NOW)", async () => {
      const tenantId = await tenant({ consents: ["aggregated"], ri: true });
      const out: string[] = [];
      const code = await runCli(
        ["ri", "status", "--tenant", tenantId, "--json"],
        { out: (s) => out.push(s), err: (s) => out.push(s) },
        { KITH_DATABASE_URL: h.url(), KITH_NOW: "2026-03-20T00:00:00Z" },
      );
      expect(code).toBe(0);
      expect(JSON.parse(out.join(""))).toMatchObject({
        state: "switched_off",
        restore: expect.stringMatching(/grants identifiable consent/) as string,
      });
    });
  });

  describe("status and order (item 7)", () => {
    it("withdrawing identifiable consent does not restart the 14 days: after them it is off at once, and it says so", async () => {
      const tenantId = await tenant({ consents: ["aggregated", "identifiable"], ri: true });
      h.setNow("2026-03-25T09:00:00Z");
      const change = await withdrawConsent(h.ctx(), tenantId, "identifiable", admin);
      expect(change.relationshipIntelligence).toMatchObject({ state: "switched_off" });
      expect((await importDays(tenantId, [at("2026-03-24T10:00:00Z")])).stored).toBe(0);
    });

    it("users in an opted-out group do not count as sharing", async () => {
      const tenantId = await tenant({ consents: ["identifiable"], ri: true });
      await setOptedOutGroups(h.ctx(), tenantId, ["board"], admin);
      await setDataSharing(h.ctx(), tenantId, sellers[0]!, false);
      expect((await consentStatus(h.ctx(), tenantId)).users).toEqual({
        total: 7,
        sharing: 5,
        optedOutByUser: 1,
        inOptedOutGroups: 1,
        outsideCollectionRoles: 0,
      });
    });

    it("engagement for an account nobody has mail with is 'not found', not an all-suppressed answer", async () => {
      const tenantId = await tenant({ consents: ["aggregated"], ri: false });
      const monthly = { unit: "month", year: 2026, month: 1 } as const;
      await expect(
        accountEngagement(h.ctx(), tenantId, "no-such-company.example", monthly, null),
      ).rejects.toMatchObject({ code: "not_found" });
    });
  });

  describe("re-grant after a withdrawal (item 4)", () => {
    it("collects from the re-grant on: mail deleted by the withdrawal or dated while withdrawn never comes back", async () => {
      const tenantId = await tenant({ consents: ["identifiable"], ri: true });
      const before = [at("2026-02-01T10:00:00Z"), at("2026-02-20T10:00:00Z")];
      expect((await importDays(tenantId, before)).stored).toBe(24);
      h.setNow("2026-03-05T09:00:00Z");
      await withdrawConsent(h.ctx(), tenantId, "identifiable", admin);
      h.setNow("2026-03-10T09:00:00Z");
      const regrant = await grantConsent(h.ctx(), tenantId, "identifiable", admin);
      expect(regrant.collectFrom).toEqual(at("2026-03-10T09:00:00Z"));
      h.setNow("2026-03-12T09:00:00Z");
      // A re-import of everything: the old months, the withdrawn days and the days since the re-grant.
      const summary = await importDays(tenantId, [
        ...before,
        at("2026-03-07T10:00:00Z"),
        at("2026-03-11T10:00:00Z"),
      ]);
      expect(summary.stored).toBe(12);
      expect(summary.refused.before_regrant).toBe(36);
      expect((await consentStatus(h.ctx(), tenantId)).collectFrom).toEqual(at("2026-03-10T09:00:00Z"));
    });

    it("a user turning sharing back on follows the same rule", async () => {
      const tenantId = await tenant({ consents: ["identifiable"], ri: true });
      h.setNow("2026-03-05T09:00:00Z");
      await setDataSharing(h.ctx(), tenantId, sellers[0]!, false);
      h.setNow("2026-03-10T09:00:00Z");
      await setDataSharing(h.ctx(), tenantId, sellers[0]!, true);
      h.setNow("2026-03-12T09:00:00Z");
      const summary = await importRecords(h.ctx(), tenantId, [
        {
          name: "ann",
          records: [
            email(at("2026-03-07T10:00:00Z"), sellers[0]!, "x@fabrikam.com"),
            email(at("2026-03-11T10:00:00Z"), sellers[0]!, "x@fabrikam.com"),
          ],
        },
      ]);
      expect(summary.stored).toBe(1);
    });
  });

  it("My network under personal consent alone says why it is empty (item 5)", async () => {
    const tenantId = await tenant({ consents: ["personal"], ri: false });
    await expect(myNetwork(h.ctx(), tenantId, sellers[0]!)).rejects.toMatchObject({
      code: "consent_required",
      message: expect.stringMatching(/aggregated or identifiable consent/) as string,
    });
  });

  it("the CLI records who turned someone's sharing off: the user, an administrator for them, or the operator (item 6)", async () => {
    const tenantId = await tenant({ consents: ["identifiable"], ri: true });
    const kith = async (...args: string[]) => {
      const err: string[] = [];
      const code = await runCli(
        [...args, "--tenant", tenantId],
        { out: () => undefined, err: (s) => err.push(s) },
        { KITH_DATABASE_URL: h.url(), KITH_NOW: "2026-03-02T00:00:00Z" },
      );
      return { code, err: err.join("") };
    };
    expect((await kith("privacy", "set-sharing", sellers[0]!, "off")).code).toBe(0);
    expect((await kith("privacy", "set-sharing", sellers[1]!, "off", "--by", sellers[1]!)).code).toBe(0);
    expect((await kith("privacy", "set-sharing", sellers[2]!, "off", "--by", admin)).code).toBe(0);
    const refused = await kith("privacy", "set-sharing", sellers[3]!, "off", "--by", sellers[4]!);
    expect(refused.code).toBe(4);
    expect(refused.err).toMatch(/only the user or a Global Administrator/);
    const entries = await listAuditEntries(h.ctx(), tenantId, { limit: 100, action: "privacy.sharing_off" });
    const actorOf = (subject: string) => entries.find((e) => e.subject === subject);
    expect(actorOf(sellers[0]!)?.actor).toMatch(/^operator:/);
    expect(actorOf(sellers[0]!)?.details).toMatchObject({ onBehalfOf: sellers[0] });
    expect(actorOf(sellers[1]!)?.actor).toBe(sellers[1]);
    expect(actorOf(sellers[2]!)?.actor).toBe(admin);
    expect(actorOf(sellers[3]!)).toBeUndefined();
  });

  describe("batches and dates (item 16)", () => {
    beforeAll(() => h.setNow("2026-03-01T09:00:00Z"));

    it("a batch whose process died is marked failed on the next start; a running one is left alone", async () => {
      const tenantId = await tenant({ consents: ["identifiable"], ri: true });
      const deadPid = 2 ** 22 + 17; // above Linux's pid_max default: never a live process
      const batch = (id: string, owner: string) =>
        startBatch(h.store().db, tenantId, {
          id,
          kind: "import",
          label: id,
          startedAt: h.ctx().now(),
          owner,
        });
      await batch("killed", `${hostname()}:${deadPid}`);
      await batch("alive", `${hostname()}:${process.ppid}`);
      expect(await markAbandonedBatches(h.ctx(), tenantId)).toEqual(["killed"]);
      const rows = await listBatches(h.store().db, tenantId);
      expect(rows.find((b) => b.id === "killed")).toMatchObject({
        status: "failed",
        summary: { failure: expect.stringMatching(/abandoned/) as string },
      });
      expect(rows.find((b) => b.id === "alive")?.status).toBe("running");
    });

    it("absurd dates are rejected with their reason, never stored", async () => {
      const tenantId = await tenant({ consents: ["identifiable"], ri: true });
      const bad = [
        new Date(Date.UTC(0, 0, 1)),
        new Date("-001000-06-01T00:00:00Z"),
        new Date(0),
        new Date("2044-01-01"),
      ];
      const summary = await importRecords(h.ctx(), tenantId, [
        { name: "dates", records: bad.map((d) => email(d, sellers[0]!, "x@fabrikam.com")) },
      ]);
      expect(summary.stored).toBe(0);
      expect(summary.rejected).toBe(4);
      expect(summary.rejections.map((r) => r.reason)).toEqual([
        expect.stringMatching(/^date 1900-01-01.* before 1990-01-01/),
        expect.stringMatching(/^date -001000-06-01.* before 1990-01-01/),
        expect.stringMatching(/^date 1970-01-01.* before 1990-01-01/),
        expect.stringMatching(/^date 2044-01-01.* in the future/),
      ]);
      expect(await countInteractions(h.store().db, tenantId)).toMatchObject({ interactions: 0 });
    });
  });
});
