import { createTenantWithUsers, directoryUser } from "../../test/helpers/directory";
/**
 * Purge completeness (SPEC §3): after a user turns data sharing off, no table holding collected
 * mail data still names them or an external person seen only through their mail, and no insight
 * read from what remains names them either.
 */
import { sql } from "kysely";
import { tenantNum } from "../store/collected-keys";
import { collectedRows } from "../../test/helpers/collected-rows";
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
  colleague: "the numbering of directory users that collected rows use (directory data, no mail)",
};

/**
 * What a table's rows of the tenant say, bytes left out (pair states; sealed texts are read through
 * `collectedRows` instead). Collected-data tables key the tenant by its number (migration 0060).
 */
async function tableText(db: Db, table: string, tenant: { id: string; num: number }): Promise<string> {
  const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}
    where ${table === "tenant" ? sql.ref("id") : sql.ref("tenant_id")} = ${tenant.id}`.execute(db);
  return JSON.stringify(rows, (_k, v: unknown) => (v instanceof Uint8Array ? "<bytes>" : v));
}

async function numberedText(db: Db, table: string, tenant: { id: string; num: number }): Promise<string> {
  const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}
    where tenant_num = ${tenant.num}`.execute(db);
  return JSON.stringify(rows, (_k, v: unknown) => (v instanceof Uint8Array ? "<bytes>" : v));
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
    const catalogue = await inspect(() => db.introspection.getTables());
    const withColumn = (column: string) =>
      catalogue
        .filter((t) => t.columns.some((c) => c.name === column))
        .map((t) => t.name)
        .sort();
    const tables = withColumn("tenant_id");
    const numbered = withColumn("tenant_num");
    // The catalogue read works and covers the collected-data tables (not an empty scan).
    expect(numbered).toEqual(
      expect.arrayContaining(["interaction", "interaction_party", "pair_state", "person", "address_book"]),
    );
    expect([...tables, ...numbered]).toEqual(expect.arrayContaining(Object.keys(mayNameTheUser)));
    const tenant = { id: tenantId, num: await inspect(() => tenantNum(db, tenantId)) };
    for (const [table, text] of [
      ...(await Promise.all(tables.map(async (t) => [t, await inspect(() => tableText(db, t, tenant))]))),
      ...(await Promise.all(
        numbered.map(async (t) => [t, await inspect(() => numberedText(db, t, tenant))]),
      )),
    ]) {
      expect(text, table).not.toContain(onlyAlice);
      if (table! in mayNameTheUser) continue;
      expect(text, table).not.toContain(alice);
      expect(text, table).not.toContain(aliceId);
    }
    // The sealed and numbered rows, opened: nothing collected names Alice or her only contact.
    const collected = await collectedRows(h.store(), tenantId);
    const opened = JSON.stringify({
      ...collected,
      pairs: collected.pairs.length,
      internal: collected.internal.length,
    });
    for (const name of [alice, aliceId, onlyAlice]) expect(opened).not.toContain(name);
    expect(collected.pairs.map((p) => p.user_id)).not.toContain(aliceId);
    expect(collected.internal.flatMap((p) => [p.user_a, p.user_b])).not.toContain(aliceId);
    // The shared contact stays (Bob saw them), dated by the mail that remains (Bob is on May 2).
    expect(collected.persons.map((p) => p.address)).toEqual([shared]);
    expect(collected.persons[0]!.first_at).toBe(Date.parse("2026-05-02T10:00:00Z"));
  });

  it("KPIs over the remaining mail do not name the opted-out sender", async () => {
    const answer = await recordKpis(h.ctx(), tenantId, "contact", shared, bob);
    expect(JSON.stringify(answer)).not.toContain(alice);
  });

  it("stores no subject at the default capture level", async () => {
    const rows = (await collectedRows(h.store(), tenantId)).interactions;
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
    const stored = (await collectedRows(h.store(), tenantId)).interactions.filter((r) => r.subject !== null);
    expect(stored).toEqual([]);
    expect(JSON.stringify(await recordKpis(ctx, tenantId, "contact", "cfo@ext.com", bob))).not.toContain(
      "Secret pricing",
    );
  });
});
