import { createTenantWithUsers, directoryUser } from "../../test/helpers/directory";
/* eslint-disable @typescript-eslint/no-unsafe-member-access -- response bodies are JSON checked by value with expect() */
/**
 * A user removed from the directory by the identity provider (SCIM DELETE, or PATCH active=false)
 * loses their collected data at once, with a receipt and an audit entry, on both engines.
 */
import { collectedRows } from "../../test/helpers/collected-rows";
import { beforeAll, expect, it } from "vitest";
import { describeEachEngine } from "../../test/helpers/engines";
import type { EmailRecord } from "../domain/interaction";
import { verifyAuditChain } from "../services/audit.service";
import { grantConsent, setRelationshipIntelligence } from "../services/consent.service";
import { importRecords } from "../services/ingest.service";
import { whoKnowsWhom } from "../services/who-knows-whom.service";
import { createScimToken } from "../services/scim.service";
import { listAudit } from "../store/audit.repository";
import { listReceipts } from "../store/consent.repository";
import { findUserByAddress } from "../store/directory.repository";
import { pairStatesForUser } from "../store/insight.repository";
import { testConfig, type App } from "./api.fixture";
import { buildApp } from "./app";

const admin = "admin@contoso.com";
const seller = "seller@contoso.com";
const kim = "kim@contoso.com";
const lou = "lou@contoso.com";
const lee = "lee.gu@fabrikam.com";
const day = 86_400_000;

let seq = 0;
function email(at: number, from: string, to: string): EmailRecord {
  seq++;
  return {
    type: "email",
    position: { file: "generated", record: seq },
    messageId: `scim-purge-${seq}@test`,
    conversationId: null,
    inReplyTo: null,
    sentAt: new Date(at),
    from: { address: from },
    to: [{ address: to }],
    cc: [],
    subject: null,
    owner: null,
    folder: null,
    noise: {},
  };
}

const user = directoryUser;

describeEachEngine("SCIM removal purges collected data", (h) => {
  let app: App;
  let token = "";
  let tenantId = "";
  const scim = (method: "PATCH" | "DELETE", url: string, payload?: object) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" },
      ...(payload ? { payload: JSON.stringify(payload) } : {}),
    });
  const userId = async (address: string) => (await findUserByAddress(h.store().db, tenantId, address))!.id;
  const introducers = async () =>
    (await whoKnowsWhom(h.ctx(), tenantId, lee, seller)).introducers.map((i) => i.email).sort();
  const partiesOf = async (id: string) =>
    (await collectedRows(h.store(), tenantId)).parties.filter((p) => p.user_id === id).length;

  beforeAll(async () => {
    h.setNow("2026-06-01T09:00:00Z");
    const ctx = h.ctx();
    tenantId = await createTenantWithUsers(
      ctx,
      { name: "Contoso", slug: "contoso", domain: "contoso.com", admin },
      [user(seller, ["Salesperson"]), user(kim, ["Salesperson"]), user(lou, ["Salesperson"])],
    );
    await grantConsent(ctx, tenantId, "identifiable", admin);
    await setRelationshipIntelligence(ctx, tenantId, true, admin);
    const base = Date.UTC(2026, 3, 1);
    const records = [kim, lou].flatMap((colleague) =>
      Array.from({ length: 4 }, (_, i) => [
        email(base + i * 3 * day, colleague, lee),
        email(base + i * 3 * day + 3_600_000, lee, colleague),
      ]).flat(),
    );
    expect((await importRecords(ctx, tenantId, [{ name: "generated", records }])).status).toBe("done");
    token = (await createScimToken(ctx, "contoso", "test idp")).token;
    app = await buildApp({ ctx, config: testConfig() });
  });

  it("DELETE purges the user's interactions and strength states with a receipt and an audit entry", async () => {
    h.setNow("2026-06-02T09:00:00Z");
    expect(await introducers()).toEqual([kim, lou]);
    const kimId = await userId(kim);
    expect(await partiesOf(kimId)).toBeGreaterThan(0);
    expect((await pairStatesForUser(h.store().db, tenantId, kimId)).length).toBe(1);

    expect((await scim("DELETE", `/scim/v2/Users/${kimId}`)).statusCode).toBe(204);

    expect(await partiesOf(kimId)).toBe(0);
    expect(await pairStatesForUser(h.store().db, tenantId, kimId)).toEqual([]);
    expect(await introducers()).toEqual([lou]);
    const receipts = await listReceipts(h.store().db, tenantId, kimId);
    expect(receipts).toHaveLength(1);
    expect(receipts[0]).toMatchObject({ scope: "user", reason: expect.stringMatching(/deleted/) as unknown });
    const [deleted] = await listAudit(h.store().db, tenantId, { limit: 1, action: "data.deleted" });
    expect(deleted).toMatchObject({ actor: "scim", subject: kim, details: { receipt: receipts[0]!.id } });
    expect((await verifyAuditChain(h.ctx(), tenantId)).ok).toBe(true);
  });

  it("PATCH active=false purges at once; reactivation collects only from then on", async () => {
    h.setNow("2026-06-03T09:00:00Z");
    const louId = await userId(lou);
    const patched = await scim("PATCH", `/scim/v2/Users/${louId}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "replace", path: "active", value: false }],
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().active).toBe(false);
    expect(await partiesOf(louId)).toBe(0);
    expect(await pairStatesForUser(h.store().db, tenantId, louId)).toEqual([]);
    expect(await introducers()).toEqual([]);
    expect(await listReceipts(h.store().db, tenantId, louId)).toHaveLength(1);
    const actions = (await listAudit(h.store().db, tenantId, { limit: 2 })).map((e) => e.action);
    expect(actions).toEqual(["data.deleted", "user.deactivated"]);

    // Re-importing the same old mail after reactivation does not bring the purged data back.
    h.setNow("2026-06-04T09:00:00Z");
    await scim("PATCH", `/scim/v2/Users/${louId}`, {
      Operations: [{ op: "replace", path: "active", value: true }],
    });
    const base = Date.UTC(2026, 3, 1);
    await importRecords(h.ctx(), tenantId, [
      { name: "again", records: [email(base, lou, lee), email(base + 3_600_000, lee, lou)] },
    ]);
    expect(await partiesOf(louId)).toBe(0);
    expect(await introducers()).toEqual([]);
    expect((await verifyAuditChain(h.ctx(), tenantId)).ok).toBe(true);
  });
});
