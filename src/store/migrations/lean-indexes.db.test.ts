/**
 * Migration 0080 on a populated PostgreSQL store (SQLite has nothing to migrate): two stores left
 * at 0070 take the same mail; one is migrated. Its indexes are the new ones, and every row and
 * every read over the changed indexes (time-ordered interactions, the oldest instant, a user's
 * ties, internal ties, a person's interactions) answers as the unmigrated store does, before and
 * after forgetting a person and purging a user (the reads of interactions by seq and instant).
 */
import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { collectedRows } from "../../../test/helpers/collected-rows";
import { createTenantWithUsers, directoryUser } from "../../../test/helpers/directory";
import { describeEachEngine, dropSchema, inspect, testPostgresUrl } from "../../../test/helpers/engines";
import { emailRecord } from "../../../test/helpers/records";
import { grantConsent, setRelationshipIntelligence } from "../../services/consent.service";
import { createContext } from "../../services/context";
import { forgetPerson } from "../../services/forget.service";
import { importRecords } from "../../services/ingest.service";
import { interactionKeySlices, type InteractionKey } from "../collected-keys";
import { internalPairStates, interactionsWithAddresses, pairStatesForUser } from "../insight.repository";
import { iterateInteractions } from "../interaction-read.repository";
import { purgeUserInteractions } from "../interaction-purge.repository";
import { oldestInteractionAt } from "../retention.repository";
import { createMigrator, migrateToLatest, openStore, type Store } from "../store";

const admin = "admin@contoso.com";
const megan = "meganb@contoso.com";
const alex = "alexw@contoso.com";
const now = () => new Date("2026-06-15T09:00:00Z");

/** The definitions of the indexes that 0080 changes (on the parents), by name. */
async function indexes(store: Store) {
  return inspect(
    async () =>
      (
        await sql<{ name: string; def: string }>`select indexname as name,
            regexp_replace(indexdef, ' ON .* USING ', ' USING ') as def
          from pg_indexes where schemaname = current_schema()
            and tablename in ('interaction', 'pair_state', 'internal_pair_state') order by 1`.execute(
          store.db,
        )
      ).rows,
  );
}

/** A store at 0070 with the tenant's mail over several months. */
async function storeAt0070(schema: string) {
  const store = await openStore(testPostgresUrl, { schema, migrate: false });
  expect((await (await createMigrator(store.db)).migrateTo("0070-monthly-partitions")).error).toBeUndefined();
  const ctx = createContext(store, now);
  const tenantId = await createTenantWithUsers(
    ctx,
    { name: "Contoso", slug: "contoso", domain: "contoso.com", admin },
    [directoryUser(megan), directoryUser(alex)],
  );
  for (const t of ["identifiable", "aggregated"] as const) await grantConsent(ctx, tenantId, t, admin);
  await setRelationshipIntelligence(ctx, tenantId, true, admin);
  const summary = await importRecords(ctx, tenantId, [
    {
      name: "mail",
      records: [
        emailRecord("2025-01-10T10:00:00Z", megan, ["lee@fabrikam.com", alex]),
        emailRecord("2025-01-31T23:59:59Z", "lee@fabrikam.com", [megan]),
        emailRecord("2025-02-01T00:00:00Z", alex, ["kim@northwind.com", "lee@fabrikam.com"]),
        emailRecord("2025-02-01T00:00:00Z", megan, ["kim@northwind.com"]),
        emailRecord("2025-04-15T08:30:00Z", megan, [alex]),
        emailRecord("2025-04-16T08:30:00Z", "kim@northwind.com", [alex, megan]),
      ],
    },
  ]);
  expect(summary.stored).toBe(6);
  return { store, ctx, tenantId };
}

/** Every answer read over the indexes 0080 changes. */
async function answers(store: Store, tenantId: string) {
  const db = store.db;
  const streamed = [];
  for await (const i of iterateInteractions(db, tenantId, 2)) streamed.push(i);
  const userId = async (email: string) =>
    (
      await inspect(() =>
        db.selectFrom("app_user").select("id").where("email", "=", email).executeTakeFirstOrThrow(),
      )
    ).id;
  const ids = new Map([
    [await userId(megan), megan],
    [await userId(alex), alex],
    [tenantId, "tenant"],
  ]);
  const result = {
    rows: await collectedRows(store, tenantId),
    streamed,
    oldest: await oldestInteractionAt(db, tenantId),
    megan: await pairStatesForUser(db, tenantId, await userId(megan)),
    alex: await pairStatesForUser(db, tenantId, await userId(alex)),
    internal: await internalPairStates(db, tenantId, [await userId(alex)]),
    kim: await interactionsWithAddresses(db, tenantId, ["kim@northwind.com"]),
  };
  // The stores' random ids (users, tenant) named by what they stand for, to compare two stores.
  return JSON.parse(
    JSON.stringify(result).replace(
      /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g,
      (id) => ids.get(id) ?? id,
    ),
  ) as typeof result;
}

/**
 * What two stores given the same mail hold alike: each store has its own random ids (users,
 * tenant, Message-IDs of the test records) and keys, so interactions are matched by fingerprint and
 * party rows and ties by address and user. Internal ties are stored from the side of the smaller
 * user id, so they are compared within one store only.
 */
function sideBySide(a: Awaited<ReturnType<typeof answers>>) {
  const byText = <T>(rows: T[]) => rows.map((r) => JSON.stringify(r)).sort();
  return {
    interactions: byText(
      a.rows.interactions.map((i) => [i.id, i.occurred_at, i.sender, i.participants, i.participant_count]),
    ),
    parties: byText(a.rows.parties.map((p) => [p.address, p.occurred_at, p.role, p.user_id])),
    pairs: byText(a.rows.pairs),
    persons: byText(a.rows.persons),
    streamed: a.streamed.map((i) => [i.id, i.occurredAt]),
    oldest: a.oldest,
    megan: a.megan,
    alex: a.alex,
    kim: a.kim.map((i) => [i.id, i.occurredAt]),
  };
}

describe("migration 0080 (lean indexes) [postgres]", () => {
  it("keeps every row and answer of a populated store, and the reads by seq and instant after it", async () => {
    const keptSchema = `li_${randomBytes(5).toString("hex")}`;
    const migratedSchema = `li_${randomBytes(5).toString("hex")}`;
    const kept = await storeAt0070(keptSchema);
    const migrated = await storeAt0070(migratedSchema);
    try {
      const before = await answers(migrated.store, migrated.tenantId);
      expect(before.rows.interactions).toHaveLength(6);
      expect(before.streamed.map((i) => i.occurredAt)).toEqual(
        [...before.streamed.map((i) => i.occurredAt)].sort((a, b) => a - b),
      );
      expect(before.megan.length).toBeGreaterThan(0);
      expect(before.internal.length).toBeGreaterThan(0);
      expect(before.kim).toHaveLength(3);
      expect(sideBySide(await answers(kept.store, kept.tenantId))).toEqual(sideBySide(before));
      const old = await indexes(migrated.store);

      await migrateToLatest(migrated.store.db);

      expect(await answers(migrated.store, migrated.tenantId)).toEqual(before);
      const changed = await indexes(migrated.store);
      expect(changed).not.toEqual(old);
      expect(changed).toEqual([
        {
          name: "interaction_fingerprint",
          def: "CREATE UNIQUE INDEX interaction_fingerprint USING btree (tenant_num, fingerprint, occurred_at)",
        },
        {
          name: "interaction_message_key",
          def: "CREATE UNIQUE INDEX interaction_message_key USING btree (tenant_num, message_key, occurred_at)",
        },
        {
          name: "interaction_pkey",
          def: "CREATE UNIQUE INDEX interaction_pkey USING btree (tenant_num, occurred_at, seq)",
        },
        {
          name: "internal_pair_state_b",
          def: "CREATE INDEX internal_pair_state_b USING btree (tenant_num, user_b)",
        },
        {
          name: "internal_pair_state_lean_pkey",
          def: "CREATE UNIQUE INDEX internal_pair_state_lean_pkey USING btree (tenant_num, user_a, user_b)",
        },
        {
          name: "pair_state_lean_pkey",
          def: "CREATE UNIQUE INDEX pair_state_lean_pkey USING btree (tenant_num, person_num, user_num)",
        },
        {
          name: "pair_state_user",
          def: "CREATE INDEX pair_state_user USING btree (tenant_num, user_num)",
        },
      ]);

      // Forgetting a person and purging a user read interactions by seq and instant: both stores
      // come out alike.
      for (const side of [kept, migrated]) {
        await forgetPerson(side.ctx, side.tenantId, "lee@fabrikam.com", admin);
        const alexId = (
          await inspect(() =>
            side.store.db
              .selectFrom("app_user")
              .select("id")
              .where("email", "=", alex)
              .executeTakeFirstOrThrow(),
          )
        ).id;
        await side.store.db.transaction().execute((trx) => purgeUserInteractions(trx, side.tenantId, alexId));
      }
      const after = await answers(migrated.store, migrated.tenantId);
      expect(after.rows.parties.map((p) => p.address)).not.toContain("lee@fabrikam.com");
      expect(after.rows.parties.map((p) => p.address)).not.toContain(alex);
      expect(after.rows.interactions.length).toBeLessThan(6);
      expect(after.rows.interactions.length).toBeGreaterThan(0);
      expect(sideBySide(await answers(kept.store, kept.tenantId))).toEqual(sideBySide(after));

      // The migrated store goes on taking mail; a copy of stored mail is not stored again.
      const more = await importRecords(migrated.ctx, migrated.tenantId, [
        {
          name: "later",
          records: [
            emailRecord("2025-06-02T10:00:00Z", megan, ["kim@northwind.com"]),
            emailRecord("2025-02-01T00:00:00Z", megan, ["kim@northwind.com"]),
          ],
        },
      ]);
      expect(more.stored).toBe(1);
    } finally {
      await kept.store.close();
      await migrated.store.close();
      await dropSchema(keptSchema);
      await dropSchema(migratedSchema);
    }
  });
});

describeEachEngine("interaction key slices", (h) => {
  it("PostgreSQL: time order, at most 100 a slice, never two months in one; SQLite: as given", () => {
    const db = h.store().db;
    const keys: InteractionKey[] = [];
    // 250 keys in January (out of order), one on the last instant of January, 3 in February.
    for (let i = 0; i < 250; i++) keys.push({ seq: 1000 - i, at: Date.UTC(2025, 0, 2) + (i % 7) * 1000 });
    keys.push({ seq: 1, at: Date.UTC(2025, 1, 1) - 1 });
    for (let i = 0; i < 3; i++) keys.push({ seq: 2000 + i, at: Date.UTC(2025, 1, 1) + i });
    const slices = interactionKeySlices(db, keys, 500);
    expect(
      slices
        .flat()
        .map((k) => k.seq)
        .sort(),
    ).toEqual(keys.map((k) => k.seq).sort());
    if (h.engine === "sqlite") {
      expect(slices).toEqual([keys]);
      return;
    }
    expect(slices.map((s) => s.length)).toEqual([100, 100, 51, 3]);
    const month = (at: number) => new Date(at).toISOString().slice(0, 7);
    for (const slice of slices) expect(new Set(slice.map((k) => month(k.at))).size).toBe(1);
    const flat = slices.flat();
    for (let i = 1; i < flat.length; i++)
      expect(
        flat[i]!.at > flat[i - 1]!.at || (flat[i]!.at === flat[i - 1]!.at && flat[i]!.seq > flat[i - 1]!.seq),
      ).toBe(true);
  });
});
