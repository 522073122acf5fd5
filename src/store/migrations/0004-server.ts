import type { Kysely } from "kysely";

// Typed Kysely<any> so it keeps compiling as the Database interface moves on.
/* eslint-disable @typescript-eslint/no-explicit-any */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("login_link")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("token_hash", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("used_at", "bigint")
    .addPrimaryKeyConstraint("login_link_pk", ["tenant_id", "token_hash"])
    .execute();

  await db.schema
    .createTable("web_session")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("id_hash", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("csrf_token", "text", (c) => c.notNull())
    .addColumn("method", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("revoked_at", "bigint")
    .addPrimaryKeyConstraint("web_session_pk", ["tenant_id", "id_hash"])
    .execute();

  await db.schema
    .createTable("oidc_request")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("code_verifier", "text", (c) => c.notNull())
    .addColumn("nonce", "text", (c) => c.notNull())
    .addColumn("return_to", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("oidc_request_pk", ["tenant_id", "state"])
    .execute();

  await db.schema
    .createTable("scim_token")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("token_hash", "text", (c) => c.notNull())
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("revoked_at", "bigint")
    .addPrimaryKeyConstraint("scim_token_pk", ["tenant_id", "id"])
    .execute();
  await db.schema
    .createIndex("scim_token_hash")
    .unique()
    .on("scim_token")
    .columns(["tenant_id", "token_hash"])
    .execute();

  await db.schema
    .createTable("scim_deletion")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("deleted_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("scim_deletion_pk", ["tenant_id", "user_id"])
    .execute();

  await db.schema
    .createTable("job")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("tenant_id", "text")
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("idempotency_key", "text", (c) => c.unique())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("max_attempts", "integer", (c) => c.notNull())
    .addColumn("run_at", "bigint", (c) => c.notNull())
    .addColumn("lease_until", "bigint")
    .addColumn("locked_by", "text")
    .addColumn("last_error", "text")
    .addColumn("result", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("finished_at", "bigint")
    .execute();
  await db.schema.createIndex("job_due").on("job").columns(["status", "run_at"]).execute();
  await db.schema.createIndex("job_tenant").on("job").columns(["tenant_id", "created_at"]).execute();

  await db.schema
    .createTable("telemetry_rollup")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("day", "text", (c) => c.notNull())
    .addColumn("figures", "text", (c) => c.notNull())
    .addColumn("computed_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("telemetry_rollup_pk", ["tenant_id", "day"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "telemetry_rollup",
    "job",
    "scim_token",
    "oidc_request",
    "web_session",
    "login_link",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
