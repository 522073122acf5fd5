import type { Kysely } from "kysely";

/**
 * Indexes for insight reads that grew with CRM import: CRM activities logged from a person of
 * interest (KPIs look them up by `from_address`), an account's domains (re-imports release the
 * ones it no longer lists), and opportunities by status (similar won deals, my open opportunities).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations stay valid as the schema moves on
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex("crm_activity_from")
    .on("crm_activity")
    .columns(["tenant_id", "from_address"])
    .execute();
  await db.schema
    .createIndex("account_domain_account")
    .on("account_domain")
    .columns(["tenant_id", "account_id"])
    .execute();
  await db.schema
    .createIndex("crm_opportunity_status")
    .on("crm_opportunity")
    .columns(["tenant_id", "status"])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up
export async function down(db: Kysely<any>): Promise<void> {
  for (const name of ["crm_opportunity_status", "account_domain_account", "crm_activity_from"])
    await db.schema.dropIndex(name).execute();
}
