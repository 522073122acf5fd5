import { sql, type Kysely } from "kysely";
import { isPartitioned } from "../partitions";

/*
 * Fewer index bytes on PostgreSQL (issue 15; docs/benchmarks.md "PostgreSQL bytes audit").
 * Every table's heap and index were measured at 100k emails; two kinds of index bytes did no work:
 *
 * - interaction: the primary key becomes (tenant_num, occurred_at, seq) — it held the same three
 *   columns as (tenant_num, seq, occurred_at) — and `interaction_time (tenant_num, occurred_at)`
 *   goes: the key now serves the time-ordered reads (iterateInteractions, the oldest instant). Every
 *   read of an interaction by its seq on PostgreSQL names its instant too (party rows carry it),
 *   so a lookup probes one month's partition by the key. ~48 bytes a kept email.
 * - pair_state_user and internal_pair_state_b lose their last column ((tenant_num, user_num) and
 *   (tenant_num, user_b)): every read by them fetches the row anyway (for its state), and with
 *   repeated keys PostgreSQL's btree deduplication stores one key per colleague and a posting list
 *   of row pointers instead of one full entry per pair. ~65 bytes a kept email.
 *
 * Same answers: no column, row or table changes. SQLite keeps its tables and indexes (a WITHOUT
 * ROWID table's secondary index holds the key's columns anyway, and SQLite has no deduplication;
 * its interaction key stays (tenant_num, seq)): nothing to do there. Index names stay the schema's.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
export async function up(db: Kysely<any>): Promise<void> {
  if (!isPartitioned(db)) return;
  // On the partitioned parent: recurses to every month's partition (and so to later ones, which
  // copy the parent's indexes as they are attached).
  await sql`alter table interaction drop constraint interaction_pkey`.execute(db);
  await sql`alter table interaction add constraint interaction_pkey primary key (tenant_num, occurred_at, seq)`.execute(
    db,
  );
  await sql`drop index interaction_time`.execute(db);
  await sql`drop index pair_state_user`.execute(db);
  await sql`create index pair_state_user on pair_state (tenant_num, user_num)`.execute(db);
  await sql`drop index internal_pair_state_b`.execute(db);
  await sql`create index internal_pair_state_b on internal_pair_state (tenant_num, user_b)`.execute(db);
}

export async function down(): Promise<void> {
  // One way: restore a backup to go back.
  return Promise.resolve();
}
