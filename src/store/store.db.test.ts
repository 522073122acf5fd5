import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { asOwner } from "./tenant-scope";
import { afterAll, expect, it } from "vitest";
import { describeEachEngine, dropSchema } from "../../test/helpers/engines";

/**
 * The store's catalogue read (Kysely's introspection, which the migrator and the purge-completeness
 * check use) covers this store's own tables only. On PostgreSQL other schemas of the same database
 * belong to other stores or test suites, and may be dropped while it reads: Kysely's own
 * introspector read them all and then failed with `schema "…" does not exist`, so opening a store
 * failed now and then.
 */
describeEachEngine("the store's catalogue", (h) => {
  const other = `t_${randomBytes(6).toString("hex")}_other`;
  afterAll(async () => {
    if (h.engine === "postgres") await dropSchema(other);
  });

  it("lists this store's tables, each once, and none of another schema", async () => {
    const db = h.store().db;
    if (h.engine === "postgres") {
      // Another store's schema beside this one, with tables of the same names.
      // As the owner: the application's roles may not create schemas (migration 0010).
      await asOwner(async () => {
        await sql`create schema ${sql.id(other)}`.execute(db);
        for (const table of ["interaction", "kysely_migration_lock", "only_elsewhere"])
          await sql`create table ${sql.id(other, table)} (id text primary key, tenant_id text)`.execute(db);
      });
    }
    const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
    const names = tables.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(["interaction", "kysely_migration_lock", "tenant"]));
    expect(names).not.toContain("only_elsewhere");
    expect(new Set(names).size).toBe(names.length);
    if (h.engine === "postgres") {
      const [own] = (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows;
      expect(new Set(tables.map((t) => t.schema))).toEqual(new Set([own!.schema]));
    }
    const interaction = tables.find((t) => t.name === "interaction")!;
    // This store's interaction table (the lean layout, migration 0060), not the other schema's.
    expect(interaction.columns.map((c) => c.name)).toEqual(
      expect.arrayContaining(["tenant_num", "fingerprint"]),
    );
    expect(interaction.columns.map((c) => c.name)).not.toContain("tenant_id");
    expect(await db.introspection.getTables()).not.toContainEqual(
      expect.objectContaining({ name: "kysely_migration_lock" }),
    );
  });
});
