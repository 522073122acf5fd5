import {
  addressNumsOf,
  dropCachedAddresses,
  interactionKeySlices,
  interactionKeysIn,
  packParties,
  tenantNum,
  unpackParties,
  type InteractionKey,
} from "./collected-keys";
import type { Trx } from "./store";
import { withTenant } from "./tenant-scope";

/**
 * Deletion requests by external people (issue 18): removing one external address from every
 * collected and imported table of a tenant, the tenant's hash key, and the receipts. The address
 * arrives normalised; receipts hold its keyed hash only (domain/forget.ts).
 */

const sliceSize = 500;

/** The tenant's hash key (hex); created on first use, inside the caller's transaction. */
export async function readOrCreateForgetKey(
  trx: Trx,
  tenantId: string,
  fresh: () => string,
  at: Date,
): Promise<string> {
  return withTenant(tenantId, async () => {
    const existing = await readForgetKey(trx, tenantId);
    if (existing !== null) return existing;
    const key = fresh();
    await trx
      .insertInto("forget_key")
      .values({ tenant_id: tenantId, hash_key: key, created_at: at.getTime() })
      .onConflict((oc) => oc.column("tenant_id").doNothing())
      .execute();
    // Two first requests at once: the one that committed first wins, both hash under it.
    return (await readForgetKey(trx, tenantId)) ?? key;
  });
}

/** The tenant's hash key, or null before its first deletion request. */
export async function readForgetKey(db: Trx, tenantId: string): Promise<string | null> {
  return withTenant(tenantId, async () => {
    const row = await db
      .selectFrom("forget_key")
      .select("hash_key")
      .where("tenant_id", "=", tenantId)
      .executeTakeFirst();
    return row?.hash_key ?? null;
  });
}

/** Every forgotten address hash of the tenant: the collection gate's suppression list. */
export async function listForgottenHashes(db: Trx, tenantId: string): Promise<string[]> {
  return withTenant(tenantId, async () =>
    (
      await db
        .selectFrom("forget_request")
        .select("address_hash")
        .distinct()
        .where("tenant_id", "=", tenantId)
        .execute()
    ).map((r) => r.address_hash),
  );
}

export interface ForgetReceipt {
  id: string;
  addressHash: string;
  requestedBy: string;
  reason: string;
  at: Date;
  counts: Record<string, number>;
  durationMs: number;
}

export async function insertForgetReceipt(trx: Trx, tenantId: string, r: ForgetReceipt): Promise<void> {
  return withTenant(tenantId, async () => {
    await trx
      .insertInto("forget_request")
      .values({
        tenant_id: tenantId,
        id: r.id,
        address_hash: r.addressHash,
        requested_by: r.requestedBy,
        reason: r.reason,
        at: r.at.getTime(),
        counts: JSON.stringify(r.counts),
        duration_ms: Math.round(r.durationMs),
      })
      .execute();
  });
}

/** Receipts, newest first; `addressHash` narrows them to one address. */
export async function listForgetReceipts(
  db: Trx,
  tenantId: string,
  filter: { addressHash?: string; id?: string } = {},
): Promise<ForgetReceipt[]> {
  return withTenant(tenantId, async () => {
    let query = db.selectFrom("forget_request").selectAll().where("tenant_id", "=", tenantId);
    if (filter.addressHash !== undefined) query = query.where("address_hash", "=", filter.addressHash);
    if (filter.id !== undefined) query = query.where("id", "=", filter.id);
    const rows = await query.orderBy("at", "desc").orderBy("id").execute();
    return rows.map((r) => ({
      id: r.id,
      addressHash: r.address_hash,
      requestedBy: r.requested_by,
      reason: r.reason,
      at: new Date(Number(r.at)),
      counts: JSON.parse(r.counts) as Record<string, number>,
      durationMs: Number(r.duration_ms),
    }));
  });
}

/**
 * Removes one external address from the tenant's collected data: its party rows, its presence on
 * every interaction (the subject goes too, since it may name them; an interaction left with fewer
 * than two parties is deleted whole, as nothing relates any more), its connection strengths, its
 * person row, and last its address-book entry, so the sealed address itself is gone (its number is
 * never handed out again). Interactions kept keep their other parties and counts, so every other
 * stored strength state still matches the interactions behind it. Returns rows by kind.
 */
export async function forgetAddressInteractions(
  trx: Trx,
  tenantId: string,
  address: string,
): Promise<Record<string, number>> {
  return withTenant(tenantId, async () => {
    const counts = {
      interactionsDeleted: 0,
      interactionsRedacted: 0,
      participations: 0,
      connections: 0,
      persons: 0,
    };
    const t = await tenantNum(trx, tenantId);
    // An empty address book (nothing collected, or a withdrawn tenant whose data and key are gone,
    // so its cipher refuses to hash): nothing to remove.
    const any = await trx
      .selectFrom("address_book")
      .select("num")
      .where("tenant_num", "=", t)
      .limit(1)
      .executeTakeFirst();
    if (!any) return counts;
    // Looked up in the store, not this process's cache: a deletion must find the current number.
    dropCachedAddresses(trx, tenantId, [address]);
    const num = (await addressNumsOf(trx, tenantId, [address])).get(address);
    if (num === undefined) return counts;
    // One party row per interaction of the address (its key holds the seq): each seq once.
    const keys: InteractionKey[] = (
      await trx
        .selectFrom("interaction_party")
        .select(["seq", "occurred_at"])
        .where("tenant_num", "=", t)
        .where("address_num", "=", num)
        .execute()
    ).map((r) => ({ seq: Number(r.seq), at: Number(r.occurred_at) }));
    for (const slice of interactionKeySlices(trx, keys, sliceSize)) {
      const rows = await trx
        .selectFrom("interaction")
        .select(["seq", "occurred_at", "parties", "sender"])
        .where("tenant_num", "=", t)
        .where(interactionKeysIn(trx, slice))
        .execute();
      const gone: InteractionKey[] = [];
      for (const row of rows) {
        const seq = Number(row.seq);
        const remaining = unpackParties(row.parties).filter((p) => p.address !== num);
        if (remaining.length < 2) {
          gone.push({ seq, at: Number(row.occurred_at) });
          // The one party left (the colleague) goes with its interaction.
          for (const other of remaining)
            await trx
              .deleteFrom("interaction_party")
              .where("tenant_num", "=", t)
              .where("address_num", "=", other.address)
              .where("occurred_at", "=", Number(row.occurred_at))
              .where("seq", "=", seq)
              .execute();
          continue;
        }
        await trx
          .updateTable("interaction")
          .set({
            parties: packParties(remaining),
            subject: null,
            sender: row.sender !== null && Number(row.sender) === num ? null : row.sender,
          })
          .where("tenant_num", "=", t)
          .where("seq", "=", seq)
          // The instant too: PostgreSQL then looks in that month's partition only.
          .where("occurred_at", "=", Number(row.occurred_at))
          .execute();
        counts.interactionsRedacted++;
      }
      if (gone.length > 0) {
        const r = await trx
          .deleteFrom("interaction")
          .where("tenant_num", "=", t)
          .where(interactionKeysIn(trx, gone))
          .executeTakeFirst();
        counts.interactionsDeleted += Number(r.numDeletedRows);
      }
    }
    const parties = await trx
      .deleteFrom("interaction_party")
      .where("tenant_num", "=", t)
      .where("address_num", "=", num)
      .executeTakeFirst();
    const pairs = await trx
      .deleteFrom("pair_state")
      .where("tenant_num", "=", t)
      .where("person_num", "=", num)
      .executeTakeFirst();
    const persons = await trx
      .deleteFrom("person")
      .where("tenant_num", "=", t)
      .where("num", "=", num)
      .executeTakeFirst();
    await trx.deleteFrom("address_book").where("tenant_num", "=", t).where("num", "=", num).execute();
    dropCachedAddresses(trx, tenantId, [address]);
    counts.participations = Number(parties.numDeletedRows);
    counts.connections = Number(pairs.numDeletedRows);
    counts.persons = Number(persons.numDeletedRows);
    return counts;
  });
}

/**
 * Removes one external address from the tenant's CRM copy: the contacts and leads with that
 * email, every activity from, to or regarding them, and their ids from opportunities, leads and
 * accounts that pointed at them (the opportunity itself is the customer's deal and stays).
 */
export async function forgetAddressCrm(
  trx: Trx,
  tenantId: string,
  address: string,
): Promise<Record<string, number>> {
  return withTenant(tenantId, async () => {
    const contactIds = (
      await trx
        .selectFrom("crm_contact")
        .select("id")
        .where("tenant_id", "=", tenantId)
        .where("email", "=", address)
        .execute()
    ).map((r) => r.id);
    const leadIds = (
      await trx
        .selectFrom("crm_lead")
        .select("id")
        .where("tenant_id", "=", tenantId)
        .where("email", "=", address)
        .execute()
    ).map((r) => r.id);
    // An activity names its addresses in a JSON list: candidates by text, then checked exactly.
    const candidates = await trx
      .selectFrom("crm_activity")
      .select(["id", "from_address", "to_addresses", "regarding_type", "regarding_id"])
      .where("tenant_id", "=", tenantId)
      .where((eb) =>
        eb.or([
          eb("from_address", "=", address),
          eb("to_addresses", "like", `%${JSON.stringify(address)}%`),
          ...(contactIds.length
            ? [eb.and([eb("regarding_type", "=", "contact"), eb("regarding_id", "in", contactIds)])]
            : []),
          ...(leadIds.length
            ? [eb.and([eb("regarding_type", "=", "lead"), eb("regarding_id", "in", leadIds)])]
            : []),
        ]),
      )
      .execute();
    const activityIds = candidates
      .filter(
        (a) =>
          a.from_address === address ||
          (JSON.parse(a.to_addresses) as string[]).includes(address) ||
          (a.regarding_type === "contact" && contactIds.includes(a.regarding_id ?? "")) ||
          (a.regarding_type === "lead" && leadIds.includes(a.regarding_id ?? "")),
      )
      .map((a) => a.id);
    let activities = 0;
    for (let i = 0; i < activityIds.length; i += sliceSize) {
      const r = await trx
        .deleteFrom("crm_activity")
        .where("tenant_id", "=", tenantId)
        .where("id", "in", activityIds.slice(i, i + sliceSize))
        .executeTakeFirst();
      activities += Number(r.numDeletedRows);
    }
    let references = 0;
    if (contactIds.length) {
      const drop = new Set(contactIds);
      for (const table of ["crm_opportunity", "crm_lead"] as const) {
        const rows = await trx
          .selectFrom(table)
          .select(["id", "stakeholders"])
          .where("tenant_id", "=", tenantId)
          .execute();
        for (const row of rows) {
          const stakeholders = JSON.parse(row.stakeholders) as string[];
          const kept = stakeholders.filter((s) => !drop.has(s));
          if (kept.length === stakeholders.length) continue;
          await trx
            .updateTable(table)
            .set({ stakeholders: JSON.stringify(kept) })
            .where("tenant_id", "=", tenantId)
            .where("id", "=", row.id)
            .execute();
          references++;
        }
      }
      const opp = await trx
        .updateTable("crm_opportunity")
        .set({ customer_contact_id: null })
        .where("tenant_id", "=", tenantId)
        .where("customer_contact_id", "in", contactIds)
        .executeTakeFirst();
      const acc = await trx
        .updateTable("account")
        .set({ primary_contact_id: null })
        .where("tenant_id", "=", tenantId)
        .where("primary_contact_id", "in", contactIds)
        .executeTakeFirst();
      references += Number(opp.numUpdatedRows) + Number(acc.numUpdatedRows);
    }
    const contacts = await trx
      .deleteFrom("crm_contact")
      .where("tenant_id", "=", tenantId)
      .where("email", "=", address)
      .executeTakeFirst();
    const leads = await trx
      .deleteFrom("crm_lead")
      .where("tenant_id", "=", tenantId)
      .where("email", "=", address)
      .executeTakeFirst();
    return {
      crmContacts: Number(contacts.numDeletedRows),
      crmLeads: Number(leads.numDeletedRows),
      crmActivities: activities,
      crmReferences: references,
    };
  });
}
