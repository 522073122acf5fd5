import type { Database } from "./database";

/**
 * Every table a backup carries, in restore order, with the column naming its tenant and what it
 * holds (README "Backups"):
 *
 * - `collected`: data derived from collected mail and meetings — exactly what a tenant's consent
 *   withdrawal deletes from the live store (purge.service.ts). A backup seals it per tenant under
 *   the tenant's data key; a destroyed key leaves nothing of it readable.
 * - `configuration`: the tenant, its directory, consent and its history, settings, audit chain,
 *   receipts, CRM imports, jobs, sessions. Written in clear, so a restored tenant keeps its record
 *   of the withdrawal.
 *
 * Collected tables of the lean schema (migration 0060) are keyed by `tenant.num`: a backup reads
 * them with their tenant's id beside each row (`numbered`; backup.repository.ts), so they are
 * split and sealed per tenant like the others, and a restore drops that column again (the tenant
 * rows come back with their numbers).
 *
 * A schema change that adds, drops or renames a table updates this list; `backup.db.test.ts` fails
 * while the list and the migrated store differ, and a backup refuses a store whose tables differ.
 */
export interface BackupTable {
  table: keyof Database;
  tenantColumn: string;
  kind: "collected" | "configuration";
  /** Keyed by `tenant_num`: `tenant_id` is joined in when read, dropped when restored. */
  numbered?: true;
}

const configuration = (table: keyof Database, tenantColumn = "tenant_id"): BackupTable => ({
  table,
  tenantColumn,
  kind: "configuration",
});
const collected = (table: keyof Database): BackupTable => ({
  table,
  tenantColumn: "tenant_id",
  kind: "collected",
});
const numbered = (table: keyof Database): BackupTable => ({ ...collected(table), numbered: true });

/**
 * Signed 64-bit key columns (fingerprints, Message-ID and thread keys): read as decimal text, since
 * a JavaScript number would round them (both engines take the text back into the integer column).
 */
export const exactIntegerColumns: Readonly<Partial<Record<keyof Database, readonly string[]>>> = {
  interaction: ["fingerprint", "message_key", "conversation_id", "in_reply_to"],
};

export const backupTables: readonly BackupTable[] = [
  configuration("tenant", "id"),
  configuration("tenant_domain"),
  configuration("app_user"),
  configuration("user_alias"),
  configuration("security_group"),
  configuration("group_membership"),
  configuration("security_role"),
  configuration("role_assignment"),
  configuration("consent"),
  configuration("consent_history"),
  configuration("tenant_settings"),
  configuration("user_privacy"),
  configuration("audit_log"),
  configuration("deletion_receipt"),
  // Deletion requests by external people (services/forget.service.ts): the keyed hashes and their
  // key come back with a restore, so a forgotten person stays out of mail imported afterwards.
  configuration("forget_key"),
  configuration("forget_request"),
  // Live mail sources (services/live-sync.service.ts): the server, its sealed secret, and per mailbox the
  // stage and cursor; restored, a mailbox goes on from its cursor (dedupe keeps an overlap harmless).
  configuration("mail_source"),
  configuration("mailbox_sync"),
  configuration("login_link"),
  configuration("web_session"),
  configuration("oidc_request"),
  configuration("scim_token"),
  configuration("scim_deletion"),
  configuration("job"),
  configuration("telemetry_rollup"),
  configuration("ingest_batch"),
  configuration("account"),
  configuration("account_domain"),
  configuration("crm_contact"),
  configuration("crm_lead"),
  configuration("crm_opportunity"),
  configuration("crm_activity"),
  configuration("partner_request"),
  configuration("partner_reviewer"),
  configuration("partner_insight_dismissal"),
  configuration("engagement_privacy"),
  numbered("address_book"),
  numbered("colleague"),
  numbered("interaction"),
  numbered("interaction_party"),
  numbered("pair_state"),
  numbered("internal_pair_state"),
  numbered("person"),
  collected("engagement_release"),
];
