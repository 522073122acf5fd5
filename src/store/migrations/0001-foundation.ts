import type { Kysely } from "kysely";

// Migrations are typed Kysely<any> so they keep compiling as the Database interface moves on.
/* eslint-disable @typescript-eslint/no-explicit-any */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("tenant")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("audit_head_seq", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("audit_head_hash", "text", (c) => c.notNull().defaultTo(""))
    .execute();

  await db.schema
    .createTable("tenant_domain")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("domain", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("tenant_domain_pk", ["tenant_id", "domain"])
    .execute();

  await db.schema
    .createTable("app_user")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("is_guest", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("external_id", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("deleted_at", "bigint")
    .addPrimaryKeyConstraint("app_user_pk", ["tenant_id", "id"])
    .execute();
  await db.schema
    .createIndex("app_user_email")
    .unique()
    .on("app_user")
    .columns(["tenant_id", "email"])
    .execute();

  await db.schema
    .createTable("user_alias")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("address", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("user_alias_pk", ["tenant_id", "address"])
    .execute();
  await db.schema.createIndex("user_alias_user").on("user_alias").columns(["tenant_id", "user_id"]).execute();

  await db.schema
    .createTable("security_group")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("deleted_at", "bigint")
    .addPrimaryKeyConstraint("security_group_pk", ["tenant_id", "id"])
    .execute();

  await db.schema
    .createTable("group_membership")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("group_id", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("valid_from", "bigint", (c) => c.notNull())
    .addColumn("valid_to", "bigint")
    .addPrimaryKeyConstraint("group_membership_pk", ["tenant_id", "group_id", "user_id", "valid_from"])
    .execute();
  await db.schema
    .createIndex("group_membership_user")
    .on("group_membership")
    .columns(["tenant_id", "user_id"])
    .execute();

  await db.schema
    .createTable("security_role")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("built_in", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("security_role_pk", ["tenant_id", "name"])
    .execute();

  await db.schema
    .createTable("role_assignment")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("valid_from", "bigint", (c) => c.notNull())
    .addColumn("valid_to", "bigint")
    .addPrimaryKeyConstraint("role_assignment_pk", ["tenant_id", "user_id", "role", "valid_from"])
    .execute();

  await db.schema
    .createTable("consent")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("granted", "integer", (c) => c.notNull())
    .addColumn("changed_at", "bigint", (c) => c.notNull())
    .addColumn("changed_by", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("consent_pk", ["tenant_id", "type"])
    .execute();

  await db.schema
    .createTable("consent_history")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("seq", "bigint", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("granted", "integer", (c) => c.notNull())
    .addColumn("changed_at", "bigint", (c) => c.notNull())
    .addColumn("changed_by", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("consent_history_pk", ["tenant_id", "seq"])
    .execute();

  await db.schema
    .createTable("tenant_settings")
    .addColumn("tenant_id", "text", (c) => c.primaryKey())
    .addColumn("opted_out_group_ids", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("collection_roles", "text")
    .addColumn("insight_roles", "text", (c) => c.notNull())
    .addColumn("ri_enabled_at", "bigint")
    .addColumn("options", "text", (c) => c.notNull().defaultTo("{}"))
    .execute();

  await db.schema
    .createTable("user_privacy")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("sharing", "text", (c) => c.notNull().defaultTo("default"))
    .addColumn("sharing_changed_at", "bigint")
    .addColumn("collect_from", "bigint")
    .addColumn("hide_as_introducer", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("user_privacy_pk", ["tenant_id", "user_id"])
    .execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("seq", "bigint", (c) => c.notNull())
    .addColumn("at", "bigint", (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("details", "text", (c) => c.notNull())
    .addColumn("prev_hash", "text", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("audit_log_pk", ["tenant_id", "seq"])
    .execute();

  await db.schema
    .createTable("deletion_receipt")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("user_id", "text")
    .addColumn("scope", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("at", "bigint", (c) => c.notNull())
    .addColumn("counts", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("deletion_receipt_pk", ["tenant_id", "id"])
    .execute();
  await db.schema
    .createIndex("deletion_receipt_user")
    .on("deletion_receipt")
    .columns(["tenant_id", "user_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "deletion_receipt",
    "audit_log",
    "user_privacy",
    "tenant_settings",
    "consent_history",
    "consent",
    "role_assignment",
    "security_role",
    "group_membership",
    "security_group",
    "user_alias",
    "app_user",
    "tenant_domain",
    "tenant",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
