import { SqliteAdapter, sql, type Kysely } from "kysely";

/*
 * Bulk-ingest layout (docs/benchmarks.md "Ingest"): on SQLite the collected-data tables are WITHOUT ROWID,
 * so each row lives in its primary-key B-tree only instead of a rowid table plus a key index, and
 * every secondary index is one a reader or purge needs. Strength states are binary blobs
 * (store/pair-state-codec.ts).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const withoutRowid = sqlite ? sql`without rowid` : sql``;
  const blob = sqlite ? sql`blob` : sql`bytea`;
  // One row per distinct email or meeting occurrence. `id` is the fingerprint key; `message_key`
  // the Internet-Message-ID key: a copy matching either is a duplicate (both unique per tenant).
  await db.schema
    .createTable("interaction")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("message_key", "text")
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("occurred_at", "bigint", (c) => c.notNull())
    .addColumn("ended_at", "bigint")
    .addColumn("month", "integer", (c) => c.notNull())
    .addColumn("sender", "text")
    /** JSON array of [address, role, userId|null]; only gate-passing internal users and external people. */
    .addColumn("participants", "text", (c) => c.notNull())
    .addColumn("participant_count", "integer", (c) => c.notNull())
    .addColumn("internal_only", "integer", (c) => c.notNull())
    .addColumn("subject", "text")
    .addColumn("conversation_id", "text")
    .addColumn("in_reply_to", "text")
    .addColumn("batch_id", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("interaction_pk", ["tenant_id", "id"])
    .modifyEnd(withoutRowid)
    .execute();
  await db.schema
    .createIndex("interaction_message_key")
    .unique()
    .on("interaction")
    .columns(["tenant_id", "message_key"])
    .execute();
  // Time order: paging through a tenant's interactions (recompute, engagement) and month purges
  // (a month is an occurred_at range).
  await db.schema
    .createIndex("interaction_time")
    .on("interaction")
    .columns(["tenant_id", "occurred_at"])
    .execute();

  // Who took part, for per-person KPIs, per-address purges and account engagement.
  await db.schema
    .createTable("interaction_party")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("address", "text", (c) => c.notNull())
    .addColumn("occurred_at", "bigint", (c) => c.notNull())
    .addColumn("interaction_id", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("user_id", "text")
    .addPrimaryKeyConstraint("interaction_party_pk", [
      "tenant_id",
      "address",
      "occurred_at",
      "interaction_id",
    ])
    .modifyEnd(withoutRowid)
    .execute();
  // No index by interaction: purges find an interaction's party rows by their full key, from the
  // interaction's own `participants` (address) and `occurred_at`.

  // Incremental connection strength per (external person, internal user): keyed person first,
  // because who-knows-whom asks "who knows this person".
  await db.schema
    .createTable("pair_state")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("person", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("state", blob, (c) => c.notNull())
    .addColumn("last_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("pair_state_pk", ["tenant_id", "person", "user_id"])
    .modifyEnd(withoutRowid)
    .execute();
  await db.schema.createIndex("pair_state_user").on("pair_state").columns(["tenant_id", "user_id"]).execute();

  // The internal graph (colleague ↔ colleague), for two-hop introduction paths. user_a < user_b.
  await db.schema
    .createTable("internal_pair_state")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("user_a", "text", (c) => c.notNull())
    .addColumn("user_b", "text", (c) => c.notNull())
    .addColumn("state", blob, (c) => c.notNull())
    .addColumn("last_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("internal_pair_state_pk", ["tenant_id", "user_a", "user_b"])
    .modifyEnd(withoutRowid)
    .execute();
  await db.schema
    .createIndex("internal_pair_state_b")
    .on("internal_pair_state")
    .columns(["tenant_id", "user_b"])
    .execute();

  await db.schema
    .createTable("person")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("address", "text", (c) => c.notNull())
    .addColumn("name", "text")
    .addColumn("domain", "text", (c) => c.notNull())
    .addColumn("first_at", "bigint", (c) => c.notNull())
    .addColumn("last_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("person_pk", ["tenant_id", "address"])
    .modifyEnd(withoutRowid)
    .execute();
  await db.schema.createIndex("person_domain").on("person").columns(["tenant_id", "domain"]).execute();

  await db.schema
    .createTable("account")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("primary_contact_id", "text")
    .addPrimaryKeyConstraint("account_pk", ["tenant_id", "id"])
    .execute();
  await db.schema
    .createTable("account_domain")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("domain", "text", (c) => c.notNull())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("account_domain_pk", ["tenant_id", "domain"])
    .execute();

  await db.schema
    .createTable("crm_contact")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("email", "text")
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("account_id", "text")
    .addPrimaryKeyConstraint("crm_contact_pk", ["tenant_id", "id"])
    .execute();
  await db.schema
    .createIndex("crm_contact_email")
    .on("crm_contact")
    .columns(["tenant_id", "email"])
    .execute();

  await db.schema
    .createTable("crm_lead")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("email", "text")
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("company", "text")
    .addColumn("owner_email", "text")
    .addColumn("stakeholders", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("crm_lead_pk", ["tenant_id", "id"])
    .execute();

  await db.schema
    .createTable("crm_opportunity")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("account_id", "text")
    .addColumn("owner_email", "text")
    .addColumn("sales_team", "text", (c) => c.notNull())
    .addColumn("stakeholders", "text", (c) => c.notNull())
    .addColumn("customer_contact_id", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("estimated_close_at", "bigint")
    .addColumn("estimated_revenue", "real")
    .addColumn("created_at", "bigint")
    .addColumn("closed_at", "bigint")
    .addPrimaryKeyConstraint("crm_opportunity_pk", ["tenant_id", "id"])
    .execute();

  await db.schema
    .createTable("crm_activity")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("regarding_type", "text")
    .addColumn("regarding_id", "text")
    .addColumn("direction", "text")
    .addColumn("from_address", "text")
    .addColumn("to_addresses", "text", (c) => c.notNull())
    .addColumn("start_at", "bigint")
    .addColumn("end_at", "bigint")
    .addColumn("duration_min", "real")
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("subject", "text")
    .addPrimaryKeyConstraint("crm_activity_pk", ["tenant_id", "id"])
    .execute();
  await db.schema
    .createIndex("crm_activity_regarding")
    .on("crm_activity")
    .columns(["tenant_id", "regarding_type", "regarding_id"])
    .execute();

  // Import and backfill runs: one row per batch, checkpointed so a killed run resumes.
  await db.schema
    .createTable("ingest_batch")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("started_at", "bigint", (c) => c.notNull())
    .addColumn("finished_at", "bigint")
    .addColumn("summary", "text", (c) => c.notNull())
    .addColumn("checkpoint", "text")
    .addPrimaryKeyConstraint("ingest_batch_pk", ["tenant_id", "id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "ingest_batch",
    "crm_activity",
    "crm_opportunity",
    "crm_lead",
    "crm_contact",
    "account_domain",
    "account",
    "person",
    "internal_pair_state",
    "pair_state",
    "interaction_party",
    "interaction",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
