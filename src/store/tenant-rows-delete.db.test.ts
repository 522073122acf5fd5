/**
 * A tenant's purge (`deleteTenantRows` under `purgeTenantInteractions`) on both engines: the large
 * tenant's rows go (on SQLite with the secondary indexes set aside and built again), the small
 * tenant's rows and every index stay as they were, and a purge of the small tenant (the plain
 * indexed delete) leaves the other tenant's rows alone too.
 */
import { sql } from "kysely";
import { beforeAll, expect, it } from "vitest";
import { createTenantWithUsers, directoryUser } from "../../test/helpers/directory";
import { describeEachEngine, inspect } from "../../test/helpers/engines";
import { emailRecord as email } from "../../test/helpers/records";
import { grantConsent, withdrawConsent } from "../services/consent.service";
import { importRecords } from "../services/ingest.service";

const tables = [
  "interaction",
  "interaction_party",
  "pair_state",
  "person",
  "address_book",
  "colleague",
] as const;
const none = Object.fromEntries(tables.map((t) => [t, 0]));

describeEachEngine("tenant purge keeps other tenants and every index", (h) => {
  const tenants: { id: string; admin: string }[] = [];

  const indexes = async () => {
    const db = h.store().db;
    return inspect(async () =>
      h.store().engine === "sqlite"
        ? (
            await sql<{ d: string }>`select name || ': ' || sql as d from sqlite_master
              where type = 'index' and sql is not null order by name`.execute(db)
          ).rows.map((r) => r.d)
        : // The tables' own indexes, not their monthly partitions' (a month a purge leaves
          // with no tenant loses its partitions, and their indexes with them: partitions.ts).
          (
            await sql<{ d: string }>`select indexdef as d from pg_indexes x
              where schemaname = current_schema() and not exists (select 1 from pg_inherits i
                join pg_class c on c.oid = i.inhrelid
                where c.relname = x.tablename and c.relnamespace = to_regnamespace(current_schema()))
              order by indexname`.execute(db)
          ).rows.map((r) => r.d),
    );
  };
  const rows = (tenantId: string) =>
    inspect(async () => {
      const out: Record<string, number> = {};
      for (const table of tables)
        out[table] = Number(
          (
            await sql<{
              n: number;
            }>`select count(*) as n from ${sql.table(table)}
              where tenant_num = (select num from tenant where id = ${tenantId})`.execute(h.store().db)
          ).rows[0]?.n,
        );
      return out;
    });

  beforeAll(async () => {
    h.setNow("2026-06-01T00:00:00Z");
    const ctx = h.ctx();
    // A large tenant (120 emails) and a small one (3): 3 < 123 / 20, so purging the small one
    // takes the plain delete, and the large one the set-aside path on SQLite.
    for (const [slug, emails] of [
      ["big", 120],
      ["small", 3],
    ] as const) {
      const domain = `${slug}.test`;
      const admin = `admin@${domain}`;
      const seller = `seller@${domain}`;
      const id = await createTenantWithUsers(ctx, { name: slug, slug, domain, admin }, [
        directoryUser(seller),
      ]);
      await grantConsent(ctx, id, "identifiable", admin);
      const records = Array.from({ length: emails }, (_, i) =>
        email(Date.UTC(2026, 3, 1) + i * 3_600_000, i % 2 ? seller : `p${i % 40}@them.example`, [
          i % 2 ? `p${i % 40}@them.example` : seller,
        ]),
      );
      expect((await importRecords(ctx, id, [{ name: "mail", records }])).stored).toBe(emails);
      tenants.push({ id, admin });
    }
  });

  it("purges the large tenant whole; the small one's rows and every index are untouched", async () => {
    const [big, small] = tenants as [(typeof tenants)[0], (typeof tenants)[0]];
    const before = await indexes();
    const smallRows = await rows(small.id);
    expect(smallRows.interaction).toBe(3);
    const change = await withdrawConsent(h.ctx(), big.id, "identifiable", big.admin);
    expect(change.receipt?.counts).toMatchObject({ interactions: 120 });
    expect(await rows(big.id)).toEqual(none);
    expect(await rows(small.id)).toEqual(smallRows);
    expect(await indexes()).toEqual(before);
    expect(before.length).toBeGreaterThan(5);
    // The indexes still answer: a lookup by fingerprint and one by time find the small tenant's mail.
    const found = await inspect(
      async () =>
        (
          await sql<{ fingerprint: number }>`select fingerprint from interaction
          where tenant_num = (select num from tenant where id = ${small.id}) and occurred_at >= 0`.execute(
            h.store().db,
          )
        ).rows,
    );
    expect(found.length).toBe(3);
  });

  it("purges a small tenant by the plain delete, leaving the other's rows", async () => {
    const [big, small] = tenants as [(typeof tenants)[0], (typeof tenants)[0]];
    const before = await indexes();
    const bigRows = await rows(big.id);
    await withdrawConsent(h.ctx(), small.id, "identifiable", small.admin);
    expect(await rows(small.id)).toEqual(none);
    expect(await rows(big.id)).toEqual(bigRows);
    expect(await indexes()).toEqual(before);
  });
});
