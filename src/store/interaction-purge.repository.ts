import { PostgresAdapter, sql } from "kysely";
import {
  addressNumsOf,
  deleteUnreferencedAddresses,
  dropCachedAddresses,
  interactionKeySlices,
  interactionKeysIn,
  packParties,
  tenantNum,
  unpackParties,
  type InteractionKey,
  type PackedParty,
} from "./collected-keys";
import { nextMonthStart, partitionedMonths, truncateSoleTenantMonth } from "./partitions";
import type { Trx } from "./store";
import { withTenant } from "./tenant-scope";
import { deleteTenantRows } from "./tenant-rows-delete";

const sliceSize = 500;

/**
 * SQLite: ` indexed by pair_state_user` — without statistics its planner takes the primary key's
 * tenant prefix (every state of the tenant) over the (tenant_num, user_num) index (its key ends
 * with person_num on SQLite).
 */
function byUserIndex(db: Trx) {
  return db.getExecutor().adapter instanceof PostgresAdapter ? sql`` : sql` indexed by pair_state_user`;
}

/**
 * Removing collected data (SPEC §3): one user's part of every interaction when their sharing ends,
 * a whole tenant's, captured subjects when the capture level goes back to metadata, and strength
 * state before a full recompute. Always inside the caller's transaction.
 */

/**
 * Deletes an interaction's party rows by their full key (address number, time, seq):
 * interaction_party has no index by interaction, and needs none, since the interaction names its
 * parties.
 */
async function deletePartyRows(
  trx: Trx,
  t: number,
  seq: number,
  occurredAt: number,
  parties: readonly PackedParty[],
): Promise<number> {
  const addresses = [...new Set(parties.map((p) => p.address))];
  if (addresses.length === 0) return 0;
  const r = await trx
    .deleteFrom("interaction_party")
    .where("tenant_num", "=", t)
    .where("address_num", "in", addresses)
    .where("occurred_at", "=", occurredAt)
    .where("seq", "=", seq)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/**
 * Removes one user's collected data: their strength pairs, their colleague links, and their
 * presence on every interaction. An interaction left with no consenting colleague on it is
 * deleted whole (nothing else stands behind it). Returns rows removed by kind.
 */
export async function purgeUserInteractions(
  trx: Trx,
  tenantId: string,
  userId: string,
): Promise<Record<string, number>> {
  return withTenant(tenantId, async () => {
    const t = await tenantNum(trx, tenantId);
    const user = await trx
      .selectFrom("app_user")
      .select("email")
      .where("tenant_id", "=", tenantId)
      .where("id", "=", userId)
      .executeTakeFirst();
    const aliases = await trx
      .selectFrom("user_alias")
      .select("address")
      .where("tenant_id", "=", tenantId)
      .where("user_id", "=", userId)
      .execute();
    const addresses = [...(user ? [user.email] : []), ...aliases.map((a) => a.address)];
    // From the store, not this process's cache (another process may have purged the tenant).
    const colleague = await trx
      .selectFrom("colleague")
      .select("num")
      .where("tenant_num", "=", t)
      .where("user_id", "=", userId)
      .executeTakeFirst();
    const me = colleague === undefined ? undefined : Number(colleague.num);
    const counts = { interactions: 0, participations: 0, connections: 0, colleagueLinks: 0, persons: 0 };
    // A user without a colleague number was never collected (or the tenant's collected data, numbers
    // and key are gone: its cipher would refuse to hash): nothing names them.
    if (me === undefined) return counts;
    // Looked up in the store, not this process's cache: a deletion must find the current numbers.
    dropCachedAddresses(trx, tenantId, addresses);
    const own = [...new Set((await addressNumsOf(trx, tenantId, addresses)).values())];
    const parties =
      own.length > 0
        ? await trx
            .selectFrom("interaction_party")
            .select(["seq", "occurred_at"])
            .where("tenant_num", "=", t)
            .where("address_num", "in", own)
            .where("user_num", "=", me)
            .execute()
        : [];
    // External people this user's mail may be the only trace of: checked once the user is gone.
    const externals = new Set<number>(
      (
        await sql<{
          person_num: number;
        }>`select person_num from pair_state${byUserIndex(trx)} where tenant_num = ${t} and user_num = ${me}`.execute(
          trx,
        )
      ).rows.map((r) => Number(r.person_num)),
    );
    const ownAddresses = new Set(own);
    // Each interaction once (the user may take part by several of their addresses).
    const keys = new Map<number, InteractionKey>();
    for (const p of parties) keys.set(Number(p.seq), { seq: Number(p.seq), at: Number(p.occurred_at) });
    for (const slice of interactionKeySlices(trx, [...keys.values()], sliceSize)) {
      const rows = await trx
        .selectFrom("interaction")
        .select(["seq", "occurred_at", "parties", "sender"])
        .where("tenant_num", "=", t)
        .where(interactionKeysIn(trx, slice))
        .execute();
      for (const row of rows) {
        const seq = Number(row.seq);
        const all = unpackParties(row.parties);
        for (const p of all) if (p.user === null) externals.add(p.address);
        const remaining = all.filter((p) => p.user !== me);
        if (!remaining.some((p) => p.user !== null)) {
          await deletePartyRows(trx, t, seq, Number(row.occurred_at), all);
          await trx
            .deleteFrom("interaction")
            .where("tenant_num", "=", t)
            .where("seq", "=", seq)
            .where("occurred_at", "=", Number(row.occurred_at))
            .execute();
          counts.interactions++;
        } else {
          await trx
            .updateTable("interaction")
            .set({
              parties: packParties(remaining),
              // The sender's address is their presence too: a kept message no longer names them.
              sender: row.sender !== null && ownAddresses.has(Number(row.sender)) ? null : row.sender,
            })
            .where("tenant_num", "=", t)
            .where("seq", "=", seq)
            // The instant too: PostgreSQL then looks in that month's partition only.
            .where("occurred_at", "=", Number(row.occurred_at))
            .execute();
        }
      }
    }
    if (own.length > 0) {
      const r = await trx
        .deleteFrom("interaction_party")
        .where("tenant_num", "=", t)
        .where("address_num", "in", own)
        .where("user_num", "=", me)
        .executeTakeFirst();
      counts.participations = Number(r.numDeletedRows);
    }
    const pairs =
      await sql`delete from pair_state${byUserIndex(trx)} where tenant_num = ${t} and user_num = ${me}`.execute(
        trx,
      );
    // Each end by its own key (one `or` would scan the tenant's internal states).
    const asA = await trx
      .deleteFrom("internal_pair_state")
      .where("tenant_num", "=", t)
      .where("user_a", "=", me)
      .executeTakeFirst();
    const asB = await sql`delete from internal_pair_state${
      trx.getExecutor().adapter instanceof PostgresAdapter ? sql`` : sql` indexed by internal_pair_state_b`
    } where tenant_num = ${t} and user_b = ${me}`.execute(trx);
    counts.connections = Number(pairs.numAffectedRows ?? 0);
    counts.colleagueLinks = Number(asA.numDeletedRows) + Number(asB.numAffectedRows ?? 0);
    counts.persons = await prunePersons(trx, tenantId, t, [...externals]);
    // The user's own addresses leave the address book once nothing names them (an address of
    // theirs still on a party row under another colleague number, or as a person, stays).
    if (own.length > 0) {
      await deleteUnreferencedAddresses(trx, t, own);
      dropCachedAddresses(trx, tenantId, addresses);
    }
    return counts;
  });
}

/**
 * External people known only through purged mail leave the `person` table, and their
 * address-book entries with them (no party row or strength state names the number any more); the
 * others keep their first and last interaction dates as the remaining mail gives them. Returns
 * people removed.
 */
async function prunePersons(trx: Trx, tenantId: string, t: number, nums: number[]): Promise<number> {
  let removed = 0;
  for (let i = 0; i < nums.length; i += sliceSize) {
    const slice = nums.slice(i, i + sliceSize);
    const seen = await trx
      .selectFrom("interaction_party")
      .select([
        "address_num",
        (eb) => eb.fn.min("occurred_at").as("first"),
        (eb) => eb.fn.max("occurred_at").as("last"),
      ])
      .where("tenant_num", "=", t)
      .where("address_num", "in", slice)
      .groupBy("address_num")
      .execute();
    const paired = new Set(
      (
        await trx
          .selectFrom("pair_state")
          .select("person_num")
          .distinct()
          .where("tenant_num", "=", t)
          .where("person_num", "in", slice)
          .execute()
      ).map((r) => Number(r.person_num)),
    );
    for (const r of seen)
      await trx
        .updateTable("person")
        .set({ first_at: Number(r.first), last_at: Number(r.last) })
        .where("tenant_num", "=", t)
        .where("num", "=", Number(r.address_num))
        .execute();
    const kept = new Set([...seen.map((r) => Number(r.address_num)), ...paired]);
    const gone = slice.filter((n) => !kept.has(n));
    if (gone.length === 0) continue;
    const r = await trx
      .deleteFrom("person")
      .where("tenant_num", "=", t)
      .where("num", "in", gone)
      .executeTakeFirst();
    removed += Number(r.numDeletedRows);
    await trx.deleteFrom("address_book").where("tenant_num", "=", t).where("num", "in", gone).execute();
    dropCachedAddresses(trx, tenantId);
  }
  return removed;
}

/** Forgets every stored subject line of a tenant (capture level back to `metadata`). */
export async function clearInteractionSubjects(trx: Trx, tenantId: string): Promise<number> {
  return withTenant(tenantId, async () => {
    const r = await trx
      .updateTable("interaction")
      .set({ subject: null })
      .where("tenant_num", "=", await tenantNum(trx, tenantId))
      .where("subject", "is not", null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  });
}

/**
 * Removes everything collected for a tenant (its last collection consent was withdrawn): the
 * collected tables, then its address book (every sealed address) and colleague numbers. The
 * tenant's high-water marks stay, so no number is handed out twice. Counts keep their names.
 *
 * PostgreSQL (monthly partitions, migration 0070): the months whose partitions hold this
 * tenant's rows only are counted and truncated (`soleTenantMonths`); the tenant's rows of the
 * months it shares are then deleted by its key prefix. Partitions left empty are dropped after
 * the caller commits (`dropEmptyMonthPartitions`).
 */
export async function purgeTenantInteractions(trx: Trx, tenantId: string): Promise<Record<string, number>> {
  return withTenant(tenantId, async () => {
    const sole = await truncateSoleTenantMonths(trx, await tenantNum(trx, tenantId));
    const counts: Record<string, number> = {};
    for (const table of [
      "interaction_party",
      "interaction",
      "pair_state",
      "internal_pair_state",
      "person",
    ] as const) {
      const deleted = await deleteTenantRows(trx, table, tenantId);
      counts[
        table === "interaction_party"
          ? "participations"
          : table === "pair_state"
            ? "connections"
            : table === "internal_pair_state"
              ? "colleagueLinks"
              : `${table}s`
      ] = deleted;
    }
    counts.participations! += sole.participations;
    counts.interactions! += sole.interactions;
    await deleteTenantRows(trx, "address_book", tenantId);
    await deleteTenantRows(trx, "colleague", tenantId);
    dropCachedAddresses(trx, tenantId);
    return counts;
  });
}

/**
 * PostgreSQL: truncates every month's partitions that hold rows of tenant `t` and of no other
 * tenant (`truncateSoleTenantMonth`); the rows removed. Nothing on SQLite.
 */
async function truncateSoleTenantMonths(
  trx: Trx,
  t: number,
): Promise<{ interactions: number; participations: number }> {
  const removed = { interactions: 0, participations: 0 };
  for (const month of await partitionedMonths(trx)) {
    const to = nextMonthStart(month);
    // Party rows share their interaction's instant: a month without the tenant's interactions has none of its parties.
    const any = await trx
      .selectFrom("interaction")
      .select("seq")
      .where("tenant_num", "=", t)
      .where("occurred_at", ">=", month)
      .where("occurred_at", "<", to)
      .limit(1)
      .execute();
    if (any.length === 0) continue;
    const sole = await truncateSoleTenantMonth(trx, t, month);
    if (!sole) continue;
    removed.interactions += sole.interactions;
    removed.participations += sole.participations;
  }
  return removed;
}

/** Deletes all strength state of a tenant before a full recompute (weights or half-life changed). */
export async function clearStrengthState(trx: Trx, tenantId: string): Promise<void> {
  return withTenant(tenantId, async () => {
    const t = await tenantNum(trx, tenantId);
    await trx.deleteFrom("pair_state").where("tenant_num", "=", t).execute();
    await trx.deleteFrom("internal_pair_state").where("tenant_num", "=", t).execute();
  });
}
