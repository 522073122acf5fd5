import type { Trx } from "./store";
import type { Participants } from "./interaction-read.repository";
import { withTenant } from "./tenant-scope";
import { deleteTenantRows } from "./tenant-rows-delete";

/**
 * Removing collected data (SPEC §3): one user's part of every interaction when their sharing ends,
 * a whole tenant's, captured subjects when the capture level goes back to metadata, and strength
 * state before a full recompute. Always inside the caller's transaction.
 */

/**
 * Deletes an interaction's party rows by their full key (address, time, seq): interaction_party has
 * no index by interaction, and needs none, since the interaction names its parties.
 */
async function deletePartyRows(
  trx: Trx,
  tenantId: string,
  seq: number,
  occurredAt: number,
  participants: Participants,
): Promise<number> {
  return withTenant(tenantId, async () => {
    const addresses = [...new Set(participants.map((p) => p[0]))];
    if (addresses.length === 0) return 0;
    const r = await trx
      .deleteFrom("interaction_party")
      .where("tenant_id", "=", tenantId)
      .where("address", "in", addresses)
      .where("occurred_at", "=", occurredAt)
      .where("seq", "=", seq)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  });
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
    const parties = addresses.length
      ? await trx
          .selectFrom("interaction_party")
          .select(["seq", "address"])
          .where("tenant_id", "=", tenantId)
          .where("address", "in", addresses)
          .where("user_id", "=", userId)
          .execute()
      : [];
    let interactionsDeleted = 0;
    // External people this user's mail may be the only trace of: checked once the user is gone.
    const externals = new Set<string>(
      (
        await trx
          .selectFrom("pair_state")
          .select("person")
          .where("tenant_id", "=", tenantId)
          .where("user_id", "=", userId)
          .execute()
      ).map((r) => r.person),
    );
    const ownAddresses = new Set(addresses);
    const seqs = [...new Set(parties.map((p) => Number(p.seq)))];
    for (let i = 0; i < seqs.length; i += 500) {
      const slice = seqs.slice(i, i + 500);
      const rows = await trx
        .selectFrom("interaction")
        .select(["seq", "occurred_at", "participants", "sender"])
        .where("tenant_id", "=", tenantId)
        .where("seq", "in", slice)
        .execute();
      for (const row of rows) {
        const participants = JSON.parse(row.participants) as Participants;
        for (const p of participants) if (p[2] === null) externals.add(p[0]);
        const remaining = participants.filter((p) => p[2] !== userId);
        if (!remaining.some((p) => p[2] !== null)) {
          await deletePartyRows(trx, tenantId, row.seq, Number(row.occurred_at), participants);
          await trx
            .deleteFrom("interaction")
            .where("tenant_id", "=", tenantId)
            .where("seq", "=", row.seq)
            .execute();
          interactionsDeleted++;
        } else {
          await trx
            .updateTable("interaction")
            .set({
              participants: JSON.stringify(remaining),
              // The sender's address is their presence too: a kept message no longer names them.
              sender: row.sender !== null && ownAddresses.has(row.sender) ? null : row.sender,
            })
            .where("tenant_id", "=", tenantId)
            .where("seq", "=", row.seq)
            .execute();
        }
      }
    }
    let participations = 0;
    if (addresses.length) {
      const r = await trx
        .deleteFrom("interaction_party")
        .where("tenant_id", "=", tenantId)
        .where("address", "in", addresses)
        .where("user_id", "=", userId)
        .executeTakeFirst();
      participations = Number(r.numDeletedRows);
    }
    const pairs = await trx
      .deleteFrom("pair_state")
      .where("tenant_id", "=", tenantId)
      .where("user_id", "=", userId)
      .executeTakeFirst();
    const links = await trx
      .deleteFrom("internal_pair_state")
      .where("tenant_id", "=", tenantId)
      .where((eb) => eb.or([eb("user_a", "=", userId), eb("user_b", "=", userId)]))
      .executeTakeFirst();
    return {
      interactions: interactionsDeleted,
      participations,
      connections: Number(pairs.numDeletedRows),
      colleagueLinks: Number(links.numDeletedRows),
      persons: await prunePersons(trx, tenantId, [...externals]),
    };
  });
}

/**
 * External people known only through purged mail leave the `person` table; the others keep their
 * first and last interaction dates as the remaining mail gives them. Returns people removed.
 */
async function prunePersons(trx: Trx, tenantId: string, addresses: string[]): Promise<number> {
  return withTenant(tenantId, async () => {
    let removed = 0;
    for (let i = 0; i < addresses.length; i += 500) {
      const slice = addresses.slice(i, i + 500);
      const seen = await trx
        .selectFrom("interaction_party")
        .select([
          "address",
          (eb) => eb.fn.min("occurred_at").as("first"),
          (eb) => eb.fn.max("occurred_at").as("last"),
        ])
        .where("tenant_id", "=", tenantId)
        .where("address", "in", slice)
        .groupBy("address")
        .execute();
      const paired = new Set(
        (
          await trx
            .selectFrom("pair_state")
            .select("person")
            .distinct()
            .where("tenant_id", "=", tenantId)
            .where("person", "in", slice)
            .execute()
        ).map((r) => r.person),
      );
      for (const r of seen)
        await trx
          .updateTable("person")
          .set({ first_at: Number(r.first), last_at: Number(r.last) })
          .where("tenant_id", "=", tenantId)
          .where("address", "=", r.address)
          .execute();
      const kept = new Set([...seen.map((r) => r.address), ...paired]);
      const gone = slice.filter((a) => !kept.has(a));
      if (gone.length === 0) continue;
      const r = await trx
        .deleteFrom("person")
        .where("tenant_id", "=", tenantId)
        .where("address", "in", gone)
        .executeTakeFirst();
      removed += Number(r.numDeletedRows);
    }
    return removed;
  });
}

/** Forgets every stored subject line of a tenant (capture level back to `metadata`). */
export async function clearInteractionSubjects(trx: Trx, tenantId: string): Promise<number> {
  return withTenant(tenantId, async () => {
    const r = await trx
      .updateTable("interaction")
      .set({ subject: null })
      .where("tenant_id", "=", tenantId)
      .where("subject", "is not", null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  });
}

/** Removes everything collected for a tenant (its last collection consent was withdrawn). */
export async function purgeTenantInteractions(trx: Trx, tenantId: string): Promise<Record<string, number>> {
  return withTenant(tenantId, async () => {
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
    return counts;
  });
}

/** Deletes all strength state of a tenant before a full recompute (weights or half-life changed). */
export async function clearStrengthState(trx: Trx, tenantId: string): Promise<void> {
  return withTenant(tenantId, async () => {
    await trx.deleteFrom("pair_state").where("tenant_id", "=", tenantId).execute();
    await trx.deleteFrom("internal_pair_state").where("tenant_id", "=", tenantId).execute();
  });
}
