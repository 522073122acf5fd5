import { sql, type Kysely } from "kysely";
import { ensureMonthPartitions, isPartitioned } from "../partitions";
import { protectTenantTables } from "./tenant-wall";

/*
 * PostgreSQL: `interaction` and `interaction_party` partitioned by calendar month on
 * `occurred_at` (issue 15; partitions.ts, ARCHITECTURE.md "Monthly partitions"), so a month's
 * retention purge empties a partition instead of deleting row by row. Every unique key of a
 * partitioned table must contain the partition key, so on PostgreSQL:
 *
 * - interaction: primary key (tenant_num, seq, occurred_at) — still found by (tenant_num, seq),
 *   one index probe per month; the fingerprint and Message-ID keys unique with `occurred_at`
 *   added. The store-wide uniqueness of both keys (as SQLite's indexes keep it) is the writer's,
 *   under the tenant's import lock (interaction-copy.ts), which every writer of the tenant takes.
 * - interaction_party: its key already held `occurred_at`.
 *
 * SQLite keeps its tables: nothing to do there. Rows are copied as they are (same seq), in one
 * transaction with the migration.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
export async function up(db: Kysely<any>): Promise<void> {
  if (!isPartitioned(db)) return;
  await sql`alter table interaction rename to interaction_flat`.execute(db);
  await sql`alter table interaction_party rename to interaction_party_flat`.execute(db);
  // Index and constraint names are the schema's: the old ones go before the new ones are made.
  for (const index of ["interaction_fingerprint", "interaction_message_key", "interaction_time"])
    await sql`drop index ${sql.id(index)}`.execute(db);
  for (const table of ["interaction_flat", "interaction_party_flat"]) {
    // 0060 made the tables under other names: their key constraints are named after those.
    const key = await sql<{ name: string }>`select conname as name from pg_constraint
      where conrelid = to_regclass(${table}) and contype = 'p'`.execute(db);
    for (const { name } of key.rows)
      await sql`alter table ${sql.table(table)} drop constraint ${sql.id(name)}`.execute(db);
  }
  await createPartitionedTables(db);
  // One instant of every month that holds a row (party rows share their interaction's instant).
  const month = sql`date_trunc('month', to_timestamp(occurred_at / 1000.0) at time zone 'UTC')`;
  const months = await sql<{
    at: string;
  }>`select min(occurred_at) as at from interaction_flat group by ${month}
    union select min(occurred_at) from interaction_party_flat group by ${month}`.execute(db);
  await ensureMonthPartitions(
    db,
    months.rows.map((r) => Number(r.at)),
  );
  await sql`insert into interaction (seq, fingerprint, message_key, occurred_at, ended_at, conversation_id,
      in_reply_to, tenant_num, sender, participant_count, kind, internal_only, parties, subject)
    select seq, fingerprint, message_key, occurred_at, ended_at, conversation_id, in_reply_to, tenant_num,
      sender, participant_count, kind, internal_only, parties, subject
    from interaction_flat order by tenant_num, occurred_at, seq`.execute(db);
  await sql`insert into interaction_party (occurred_at, seq, tenant_num, address_num, user_num, role)
    select occurred_at, seq, tenant_num, address_num, user_num, role
    from interaction_party_flat order by tenant_num, address_num, occurred_at, seq`.execute(db);
  await sql`drop table interaction_flat`.execute(db);
  await sql`drop table interaction_party_flat`.execute(db);
  await sql`select setval(pg_get_serial_sequence('interaction', 'seq'),
    coalesce((select max(seq) from interaction), 0) + 1, false)`.execute(db);
  await protectTenantTables(db);
}

export async function down(): Promise<void> {
  // One way: restore a backup to go back.
  return Promise.resolve();
}

/**
 * The partitioned parents (the columns of 0060's tables, in their order) and their partitioned
 * indexes, with no partition yet.
 */
async function createPartitionedTables(db: Kysely<any>): Promise<void> {
  await sql`create table interaction (like interaction_flat including defaults including identity)
    partition by range (occurred_at)`.execute(db);
  await sql`alter table interaction add primary key (tenant_num, seq, occurred_at)`.execute(db);
  await sql`create table interaction_party (like interaction_party_flat including defaults)
    partition by range (occurred_at)`.execute(db);
  await sql`alter table interaction_party add primary key (tenant_num, address_num, occurred_at, seq)`.execute(
    db,
  );
  await sql`create unique index interaction_fingerprint on interaction (tenant_num, fingerprint, occurred_at)`.execute(
    db,
  );
  await sql`create unique index interaction_message_key on interaction (tenant_num, message_key, occurred_at)`.execute(
    db,
  );
  await sql`create index interaction_time on interaction (tenant_num, occurred_at)`.execute(db);
}
