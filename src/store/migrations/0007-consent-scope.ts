import type { Kysely } from "kysely";

/*
 * Consent that holds under concurrency and the clock (issue 12):
 * - tenant_settings.ri_disabled_at: when a System Administrator last turned relationship
 *   intelligence off (null: never, or enabled again since). Off stops collection and every insight;
 *   a tenant that never enabled it is "not enabled", which only withholds the identifiable insights.
 * - tenant_settings.collect_from: set when a collection consent is granted again after a withdrawal
 *   ended collection; nothing dated earlier is collected again (SPEC §3 "re-grant").
 * - ingest_batch.owner: `host:pid` of the process running a batch, so the next start can tell a
 *   batch whose process died ("abandoned") from one still running.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("tenant_settings").addColumn("ri_disabled_at", "bigint").execute();
  await db.schema.alterTable("tenant_settings").addColumn("collect_from", "bigint").execute();
  await db.schema.alterTable("ingest_batch").addColumn("owner", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("ingest_batch").dropColumn("owner").execute();
  await db.schema.alterTable("tenant_settings").dropColumn("collect_from").execute();
  await db.schema.alterTable("tenant_settings").dropColumn("ri_disabled_at").execute();
}
