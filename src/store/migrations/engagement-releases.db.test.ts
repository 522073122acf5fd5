import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { dropSchema, testPostgresUrl } from "../../../test/helpers/engines";
import { createMigrator, openStore, migrateToLatest, type Store } from "../store";

/**
 * Upgrading a store whose ε ledger lived as JSON in the tenant options: what was spent stays
 * spent in the new table, and the JSON copy is gone.
 */
describe.each(["sqlite", "postgres"] as const)("migration 0009 (engagement releases) [%s]", (engine) => {
  let store: Store | undefined;
  let cleanup = () => Promise.resolve();
  afterEach(async () => {
    await store?.close();
    await cleanup();
  });

  it("carries the spent ε over from the tenant options", async () => {
    if (engine === "sqlite") {
      const dir = mkdtempSync(join(tmpdir(), "kith-migrate-"));
      store = await openStore(join(dir, "kith.db"), { migrate: false });
      cleanup = () => Promise.resolve(rmSync(dir, { recursive: true, force: true }));
    } else {
      const schema = `t_${randomBytes(6).toString("hex")}`;
      store = await openStore(testPostgresUrl, { schema, migrate: false });
      cleanup = () => dropSchema(schema);
    }
    const db = store.db;
    // createMigrator names the store's schema: a bare Migrator finds another suite's lock table.
    const migrator = await createMigrator(db);
    expect((await migrator.migrateTo("0006-interaction-seq")).error).toBeUndefined();
    const legacy = {
      budget: 10,
      spent: 1.5,
      entries: [
        { label: "a", cost: 1 },
        { label: "b", cost: 0.5 },
      ],
    };
    await sql`insert into tenant_settings (tenant_id, insight_roles, options)
      values ('t1', '{}', ${JSON.stringify({ captureLevel: "subject", engagementPrivacy: legacy })}),
             ('t2', '{}', '{}')`.execute(db);

    await migrateToLatest(db);

    const ledgers = await db.selectFrom("engagement_privacy").selectAll().execute();
    expect(ledgers).toEqual([
      expect.objectContaining({
        tenant_id: "t1",
        spent_micro: 1_500_000,
        releases: 2,
        budget_micro: 100_000_000,
      }),
    ]);
    const options = await db
      .selectFrom("tenant_settings")
      .select(["tenant_id", "options"])
      .orderBy("tenant_id")
      .execute();
    expect(options.map((o) => JSON.parse(o.options) as unknown)).toEqual([{ captureLevel: "subject" }, {}]);
  });
});
