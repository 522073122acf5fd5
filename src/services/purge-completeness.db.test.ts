import { createTenantWithUsers, directoryUser } from "../../test/helpers/directory";
/**
 * Purge completeness (SPEC §3): after a user turns data sharing off, no table holding collected
 * mail data still names them or an external person seen only through their mail, and no insight
 * read from what remains names them either.
 */
import { beforeAll, expect, it } from "vitest";
import { emailRecord } from "../../test/helpers/records";
import { describeEachEngine, inspect } from "../../test/helpers/engines";
import type { Db } from "../store/store";
import { grantConsent, setDataSharing, setRelationshipIntelligence } from "./consent.service";
import { importRecords } from "./ingest.service";
import { recordKpis } from "./kpis.service";
import { setCaptureLevel } from "./ri-settings.service";

const admin = "admin@contoso.com";
const alice = "alice@contoso.com";
const bob = "bob@contoso.com";
const carl = "carl@contoso.com";
const onlyAlice = "only.alice@ext.com";
const shared = "shared@ext.com";

const email = (at: string, from: string, to: string[], subject: string | null = null) =>
  emailRecord(at, from, to, { subject });

const user = directoryUser;

/**
 * Tables that may go on naming a directory user after their sharing is off, each with its reason.
 * Every other tenant table (read from the store's own catalogue, so a new table is covered the day
 * it is added) must not name the user, and no table at all may name a person seen only through
 * their mail.
 */
const mayNameTheUser: Record<string, string> = {
  app_user: "the directory itself",
  user_alias: "the directory itself",
  group_membership: "the directory itself",
  role_assignment: "the directory itself",
  user_privacy: "the sharing setting that was just turned off",
  audit_log: "the audit chain records who turned sharing off",
  deletion_receipt: "the purge's receipt (which user, when), re-verified by the maintenance job",
};

/** What a table's rows of the tenant say, bytes (pair states) left out. */
async function tableText(db: Db, table: string, tenantId: string): Promise<string> {
  const rows = await db
    .selectFrom(table as "interaction")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .execute();
  return JSON.stringify(rows, (_k, v: unknown) => (v instanceof Uint8Array ? "<state>" : v));
}

describeEachEngine("purge completeness", (h) => {
  let tenantId = "";
  let aliceId = "";
  beforeAll(async () => {
    h.setNow("2026-06-01T09:00:00Z");
    const ctx = h.ctx();
    tenantId = await createTenantWithUsers(
      ctx,
      { name: "Contoso", slug: "contoso", domain: "contoso.com", admin },
      [user(alice), user(bob), user(carl)],
    );
    for (const t of ["identifiable", "aggregated", "personal"] as const)
      await grantConsent(ctx, tenantId, t, admin);
    await setRelationshipIntelligence(ctx, tenantId, true, admin);
    const summary = await importRecords(ctx, tenantId, [
      {
        name: "generated",
        records: [
          email("2026-05-01T10:00:00Z", alice, [onlyAlice]),
          email("2026-05-01T11:00:00Z", onlyAlice, [alice]),
          // Alice writes to Bob and a shared contact: the message stays (Bob consents), Alice leaves it.
          email("2026-05-02T10:00:00Z", alice, [bob, shared]),
          email("2026-05-03T10:00:00Z", shared, [bob]),
          email("2026-05-04T10:00:00Z", bob, [shared]),
        ],
      },
    ]);
    expect(summary.stored).toBe(5);
    aliceId = (
      await inspect(() =>
        h.store().db.selectFrom("app_user").select("id").where("email", "=", alice).executeTakeFirstOrThrow(),
      )
    ).id;
    await setDataSharing(ctx, tenantId, alice, false);
  });

  it("leaves no collected row naming the user or a person seen only through their mail", async () => {
    const db = h.store().db;
    const tables = (await inspect(() => db.introspection.getTables()))
      .filter((t) => t.columns.some((c) => c.name === "tenant_id"))
      .map((t) => t.name)
      .sort();
    // The catalogue read works and covers the collected-data tables (not an empty scan).
    expect(tables).toEqual(
      expect.arrayContaining(["interaction", "interaction_party", "pair_state", "person"]),
    );
    expect(tables).toEqual(expect.arrayContaining(Object.keys(mayNameTheUser)));
    for (const table of tables) {
      const text = await inspect(() => tableText(db, table, tenantId));
      expect(text, table).not.toContain(onlyAlice);
      if (table in mayNameTheUser) continue;
      expect(text, table).not.toContain(alice);
      expect(text, table).not.toContain(aliceId);
    }
    const people = await inspect(() =>
      db.selectFrom("person").select(["address", "first_at"]).where("tenant_id", "=", tenantId).execute(),
    );
    // The shared contact stays (Bob saw them), dated by the mail that remains (Bob is on May 2).
    expect(people.map((p) => p.address)).toEqual([shared]);
    expect(Number(people[0]!.first_at)).toBe(Date.parse("2026-05-02T10:00:00Z"));
  });

  it("KPIs over the remaining mail do not name the opted-out sender", async () => {
    const answer = await recordKpis(h.ctx(), tenantId, "contact", shared, bob);
    expect(JSON.stringify(answer)).not.toContain(alice);
  });

  it("stores no subject at the default capture level", async () => {
    const rows = await inspect(() =>
      h.store().db.selectFrom("interaction").select("subject").where("tenant_id", "=", tenantId).execute(),
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.subject === null)).toBe(true);
  });

  it("shows a captured subject only to a viewer on that mail, and forgets it back at metadata", async () => {
    const ctx = h.ctx();
    await setCaptureLevel(ctx, tenantId, "subject", admin);
    const summary = await importRecords(ctx, tenantId, [
      { name: "subjects", records: [email("2026-05-20T10:00:00Z", bob, ["cfo@ext.com"], "Secret pricing")] },
    ]);
    expect(summary.stored).toBe(1);
    const asBob = await recordKpis(ctx, tenantId, "contact", "cfo@ext.com", bob);
    expect(JSON.stringify(asBob)).toContain("Secret pricing");
    // Carl may read the KPIs (the mail counts for him too) but was not on the mail.
    const asCarl = await recordKpis(ctx, tenantId, "contact", "cfo@ext.com", carl);
    expect(asCarl.kpis.lastInteraction?.kind).toBe("email");
    expect(JSON.stringify(asCarl)).not.toContain("Secret pricing");
    await setCaptureLevel(ctx, tenantId, "metadata", admin);
    const stored = await inspect(() =>
      h
        .store()
        .db.selectFrom("interaction")
        .select("subject")
        .where("tenant_id", "=", tenantId)
        .where("subject", "is not", null)
        .execute(),
    );
    expect(stored).toEqual([]);
    expect(JSON.stringify(await recordKpis(ctx, tenantId, "contact", "cfo@ext.com", bob))).not.toContain(
      "Secret pricing",
    );
  });
});
