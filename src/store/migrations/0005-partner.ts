import type { Kysely } from "kysely";

// Typed Kysely<any> so it keeps compiling as the Database interface moves on.
/* eslint-disable @typescript-eslint/no-explicit-any */
export async function up(db: Kysely<any>): Promise<void> {
  // Keyed by the requesting (partner) tenant; the customer's side reads through the target index.
  await db.schema
    .createTable("partner_request")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("target_tenant_id", "text", (c) => c.notNull())
    .addColumn("environment_id", "text", (c) => c.notNull())
    .addColumn("purpose", "text", (c) => c.notNull())
    .addColumn("project", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("closed_reason", "text")
    .addColumn("requested_by", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("partner_request_pk", ["tenant_id", "id"])
    .execute();
  await db.schema
    .createIndex("partner_request_target")
    .on("partner_request")
    .columns(["target_tenant_id", "created_at"])
    .execute();

  // One row per reviewer ever asked: a replaced or cancelled reviewer keeps its row (history), and
  // only the current row of a slot has superseded_at null. Only the sha256 of a link is stored.
  await db.schema
    .createTable("partner_reviewer")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("request_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("slot", "integer", (c) => c.notNull())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("target_user_id", "text", (c) => c.notNull())
    .addColumn("decision", "text", (c) => c.notNull())
    .addColumn("link_hash", "text")
    .addColumn("link_expires_at", "bigint")
    .addColumn("link_used_at", "bigint")
    .addColumn("confirmed_by", "text", (c) => c.notNull())
    .addColumn("invited_at", "bigint", (c) => c.notNull())
    .addColumn("decided_at", "bigint")
    .addColumn("superseded_at", "bigint")
    .addPrimaryKeyConstraint("partner_reviewer_pk", ["tenant_id", "request_id", "id"])
    .execute();
  await db.schema
    .createIndex("partner_reviewer_link")
    .unique()
    .on("partner_reviewer")
    .columns(["tenant_id", "link_hash"])
    .execute();

  await db.schema
    .createTable("partner_insight_dismissal")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("request_id", "text", (c) => c.notNull())
    .addColumn("insight_id", "text", (c) => c.notNull())
    .addColumn("dismissed_by", "text", (c) => c.notNull())
    .addColumn("dismissed_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("partner_insight_dismissal_pk", ["tenant_id", "request_id", "insight_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["partner_insight_dismissal", "partner_reviewer", "partner_request"]) {
    await db.schema.dropTable(table).execute();
  }
}
