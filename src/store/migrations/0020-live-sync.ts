import type { Kysely } from "kysely";
import { protectTenantTables } from "./tenant-wall";

/**
 * Live mail sources (issue 16): `mail_source`, one IMAP server or Microsoft 365 tenant a tenant
 * reads, and `mailbox_sync`, its state per mailbox (stage, cursor, failures, lease). Credentials are
 * stored encrypted (services/credentials.ts); the key is never in the database.
 */
// Typed Kysely<any> so it keeps compiling as the Database interface moves on.
/* eslint-disable @typescript-eslint/no-explicit-any */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("mail_source")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("settings", "text", (c) => c.notNull())
    .addColumn("credential", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("mail_source_pk", ["tenant_id", "id"])
    .execute();
  await db.schema
    .createTable("mailbox_sync")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("source_id", "text", (c) => c.notNull())
    .addColumn("mailbox", "text", (c) => c.notNull())
    .addColumn("login", "text")
    .addColumn("credential", "text")
    .addColumn("stage", "text", (c) => c.notNull())
    .addColumn("cursor", "text")
    .addColumn("last_success_at", "bigint")
    .addColumn("failure_count", "integer", (c) => c.notNull())
    .addColumn("next_attempt_at", "bigint")
    .addColumn("lag_ms", "bigint")
    .addColumn("reason", "text")
    .addColumn("imported", "bigint", (c) => c.notNull())
    .addColumn("lease_owner", "text")
    .addColumn("lease_until", "bigint")
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("mailbox_sync_pk", ["tenant_id", "source_id", "mailbox"])
    .execute();
  // Workers look for due mailboxes across tenants.
  await db.schema.createIndex("mailbox_sync_due").on("mailbox_sync").columns(["next_attempt_at"]).execute();
  await protectTenantTables(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("mailbox_sync").execute();
  await db.schema.dropTable("mail_source").execute();
}
