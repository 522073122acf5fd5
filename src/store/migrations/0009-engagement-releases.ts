import type { Kysely } from "kysely";

/** Where 0.x kept the ledger: a JSON object inside tenant_settings.options. */
const legacyLedgerKey = "engagementPrivacy";
const defaultBudgetMicro = 100_000_000;
const defaultReleaseEpsilonMicro = 2_000_000;

// Typed Kysely<any> so it keeps compiling as the Database interface moves on.
/* eslint-disable @typescript-eslint/no-explicit-any */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("engagement_privacy")
    .addColumn("tenant_id", "text", (c) => c.notNull().primaryKey())
    .addColumn("budget_micro", "bigint", (c) => c.notNull())
    .addColumn("release_epsilon_micro", "bigint", (c) => c.notNull())
    .addColumn("spent_micro", "bigint", (c) => c.notNull())
    .addColumn("releases", "integer", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("engagement_release")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("period", "text", (c) => c.notNull())
    .addColumn("generation", "integer", (c) => c.notNull())
    .addColumn("released_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint")
    .addColumn("epsilon_micro", "bigint", (c) => c.notNull())
    .addColumn("figures", "text", (c) => c.notNull())
    .addColumn("published", "text", (c) => c.notNull())
    .addColumn("mass", "bigint")
    .addPrimaryKeyConstraint("engagement_release_pk", ["tenant_id", "account_id", "period"])
    .execute();
  // Scores rank an account against the other accounts released for the same period.
  await db.schema
    .createIndex("engagement_release_period")
    .on("engagement_release")
    .columns(["tenant_id", "period"])
    .execute();

  // ε already spent under the JSON ledger stays spent; its noise RNG is gone, its releases too.
  const rows: { tenant_id: string; options: string }[] = await db
    .selectFrom("tenant_settings")
    .select(["tenant_id", "options"])
    .execute();
  for (const row of rows) {
    const options = JSON.parse(row.options) as Record<string, unknown>;
    const legacy = options[legacyLedgerKey] as { spent?: unknown; entries?: unknown } | undefined;
    if (legacy === undefined) continue;
    const spent = typeof legacy.spent === "number" && legacy.spent > 0 ? legacy.spent : 0;
    await db
      .insertInto("engagement_privacy")
      .values({
        tenant_id: row.tenant_id,
        budget_micro: defaultBudgetMicro,
        release_epsilon_micro: defaultReleaseEpsilonMicro,
        spent_micro: Math.ceil(spent * 1_000_000),
        releases: Array.isArray(legacy.entries) ? legacy.entries.length : 0,
        updated_at: Date.now(),
      })
      .execute();
    delete options[legacyLedgerKey];
    await db
      .updateTable("tenant_settings")
      .set({ options: JSON.stringify(options) })
      .where("tenant_id", "=", row.tenant_id)
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("engagement_release").execute();
  await db.schema.dropTable("engagement_privacy").execute();
}
