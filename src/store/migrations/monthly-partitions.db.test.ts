/**
 * Migration 0070 on a populated PostgreSQL store (SQLite has nothing to migrate): a store left at
 * 0060 with a tenant's mail over several months is migrated, and its interactions and party rows
 * come out in monthly partitions, every row the same as before (same seq), and the store goes on
 * taking mail.
 */
import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { collectedRows } from "../../../test/helpers/collected-rows";
import { createTenantWithUsers, directoryUser } from "../../../test/helpers/directory";
import { dropSchema, inspect, testPostgresUrl } from "../../../test/helpers/engines";
import { emailRecord } from "../../../test/helpers/records";
import { grantConsent, setRelationshipIntelligence } from "../../services/consent.service";
import { createContext } from "../../services/context";
import { importRecords } from "../../services/ingest.service";
import { createMigrator, migrateToLatest, openStore, type Store } from "../store";

const admin = "admin@contoso.com";
const megan = "meganb@contoso.com";
const alex = "alexw@contoso.com";

/** Relation kind and partitions of the collected tables in `store`'s schema. */
async function layout(store: Store) {
  return inspect(
    async () =>
      (
        await sql<{ name: string; kind: string; partitions: string[] }>`
          select c.relname as name, c.relkind::text as kind,
            array(select p.relname::text from pg_inherits i join pg_class p on p.oid = i.inhrelid
              where i.inhparent = c.oid and p.relkind = 'r' order by 1) as partitions
          from pg_class c where c.relnamespace = to_regnamespace(current_schema())
            and c.relname in ('interaction', 'interaction_party') order by 1`.execute(store.db)
      ).rows,
  );
}

describe("migration 0070 (monthly partitions) [postgres]", () => {
  it("moves a populated store's interactions and party rows into monthly partitions, every row kept", async () => {
    const referenceSchema = `mp_${randomBytes(5).toString("hex")}`;
    const oldSchema = `mp_${randomBytes(5).toString("hex")}`;
    const now = () => new Date("2026-06-15T09:00:00Z");
    const reference = await openStore(testPostgresUrl, { schema: referenceSchema });
    const old = await openStore(testPostgresUrl, { schema: oldSchema, migrate: false });
    try {
      const ctx = createContext(reference, now);
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
            emailRecord("2025-02-01T00:00:00Z", alex, ["kim@northwind.com"]),
            emailRecord("2025-04-15T08:30:00Z", megan, [alex]),
          ],
        },
      ]);
      expect(summary.stored).toBe(4);

      // The same rows in a store at 0060, as a store of the previous release holds them.
      expect(
        (await (await createMigrator(old.db)).migrateTo("0060-lean-collected-data")).error,
      ).toBeUndefined();
      const client = new pg.Client({ connectionString: testPostgresUrl });
      await client.connect();
      try {
        await client.query("set session_replication_role = replica");
        const tables = await client.query<{ name: string }>(
          `select c.relname as name from pg_class c where c.relnamespace = to_regnamespace($1)
             and c.relkind in ('r', 'p') and not c.relispartition and c.relname not like 'kysely%'`,
          [referenceSchema],
        );
        for (const { name } of tables.rows) {
          const columns = await client.query<{ name: string }>(
            `select column_name as name from information_schema.columns where table_schema = $1 and table_name = $2`,
            [oldSchema, name],
          );
          const list = columns.rows.map((c) => `"${c.name}"`).join(", ");
          await client.query(
            `insert into "${oldSchema}"."${name}" (${list}) select ${list} from "${referenceSchema}"."${name}"`,
          );
        }
      } finally {
        await client.end();
      }
      expect(await layout(old)).toEqual([
        { name: "interaction", kind: "r", partitions: [] },
        { name: "interaction_party", kind: "r", partitions: [] },
      ]);
      const before = await collectedRows(reference, tenantId);
      expect(await collectedRows(old, tenantId)).toEqual(before);

      await migrateToLatest(old.db);

      const months = (table: string) => ["202501", "202502", "202504"].map((m) => `${table}_m${m}`);
      expect(await layout(old)).toEqual([
        { name: "interaction", kind: "p", partitions: months("interaction") },
        { name: "interaction_party", kind: "p", partitions: months("interaction_party") },
      ]);
      expect(await collectedRows(old, tenantId)).toEqual(before);

      // The migrated store goes on: new mail of a new month lands with the next seq, a copy of
      // stored mail does not.
      const more = await importRecords(createContext(old, now), tenantId, [
        {
          name: "later",
          records: [
            emailRecord("2025-06-02T10:00:00Z", alex, ["lee@fabrikam.com"]),
            emailRecord("2025-01-10T10:00:00Z", megan, ["lee@fabrikam.com", alex]),
          ],
        },
      ]);
      expect(more.stored).toBe(1);
      const after = await collectedRows(old, tenantId);
      expect(after.interactions).toHaveLength(5);
      expect(after.interactions.at(-1)!.seq).toBeGreaterThan(
        Math.max(...before.interactions.map((i) => i.seq)),
      );
      expect((await layout(old))[0]!.partitions).toContain("interaction_m202506");
    } finally {
      await reference.close();
      await old.close();
      await dropSchema(referenceSchema);
      await dropSchema(oldSchema);
    }
  });
});
