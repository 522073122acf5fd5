import { sql } from "kysely";
import { deleteUnreferencedAddresses, dropCachedAddresses, tenantNum } from "./collected-keys";
import { monthStart, nextMonthStart, truncateSoleTenantMonth } from "./partitions";
import type { Trx } from "./store";
import { withTenant } from "./tenant-scope";

/**
 * Retention (issue 18): removing a tenant's collected data older than its window, a calendar
 * month at a time. Every removal goes through `purgeInteractionMonth`, the one function that
 * knows how a month is stored: a ranged delete, or on PostgreSQL (monthly partitions, migration
 * 0070) a truncate of the month's partitions when they hold no other tenant's rows.
 */

/** Month arithmetic of retention: the calendar months (UTC) partitions.ts cuts PostgreSQL's tables by. */
export { monthStart, nextMonthStart } from "./partitions";

/**
 * Removes the tenant's interactions (and their party rows) that occurred in [from, to), a range
 * inside one calendar month: the whole month when `from` is its start and `to` the next one's.
 */
export async function purgeInteractionMonth(
  trx: Trx,
  tenantId: string,
  from: number,
  to: number,
): Promise<{ interactions: number; participations: number }> {
  if (monthStart(from) !== from || to > nextMonthStart(from) || to <= from)
    throw new Error(
      `not a range inside one month: ${new Date(from).toISOString()}–${new Date(to).toISOString()}`,
    );
  return withTenant(tenantId, async () => {
    const t = await tenantNum(trx, tenantId);
    // PostgreSQL, a whole month whose partitions hold this tenant's rows only: truncated.
    const sole =
      from === monthStart(from) && to === nextMonthStart(from)
        ? await truncateSoleTenantMonth(trx, t, from)
        : null;
    if (sole) return sole;
    const parties = await trx
      .deleteFrom("interaction_party")
      .where("tenant_num", "=", t)
      .where("occurred_at", ">=", from)
      .where("occurred_at", "<", to)
      .executeTakeFirst();
    const interactions = await trx
      .deleteFrom("interaction")
      .where("tenant_num", "=", t)
      .where("occurred_at", ">=", from)
      .where("occurred_at", "<", to)
      .executeTakeFirst();
    return {
      interactions: Number(interactions.numDeletedRows),
      participations: Number(parties.numDeletedRows),
    };
  });
}

/** The tenant's oldest interaction time, or null when it has none. */
export async function oldestInteractionAt(db: Trx, tenantId: string): Promise<number | null> {
  return withTenant(tenantId, async () => {
    const row = await db
      .selectFrom("interaction")
      .select((eb) => eb.fn.min("occurred_at").as("first"))
      .where("tenant_num", "=", await tenantNum(db, tenantId))
      .executeTakeFirst();
    return row?.first === null || row?.first === undefined ? null : Number(row.first);
  });
}

/**
 * After interactions left (and strength states were rebuilt from the rest): people no interaction
 * names any more leave `person`, and their address-book entries go with them (nothing refers to
 * the numbers any more: no party row, no strength state, and a sender is always a party); the
 * others start at their oldest remaining interaction. Returns people removed.
 */
export async function prunePersonsAfterRetention(
  trx: Trx,
  tenantId: string,
  cutoff: number,
): Promise<number> {
  return withTenant(tenantId, async () => {
    const t = await tenantNum(trx, tenantId);
    const unnamed = (
      await trx
        .selectFrom("person")
        .select("num")
        .where("tenant_num", "=", t)
        .where("first_at", "<", cutoff)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom("interaction_party as p")
                .select(sql`1`.as("one"))
                .whereRef("p.tenant_num", "=", "person.tenant_num")
                .whereRef("p.address_num", "=", "person.num"),
            ),
          ),
        )
        .execute()
    ).map((r) => Number(r.num));
    let removed = 0;
    for (let i = 0; i < unnamed.length; i += sliceSize) {
      const slice = unnamed.slice(i, i + sliceSize);
      const r = await trx
        .deleteFrom("person")
        .where("tenant_num", "=", t)
        .where("num", "in", slice)
        .executeTakeFirst();
      removed += Number(r.numDeletedRows);
      await deleteUnreferencedAddresses(trx, t, slice);
    }
    if (unnamed.length > 0) dropCachedAddresses(trx, tenantId);
    await trx
      .updateTable("person")
      .set((eb) => ({
        first_at: eb
          .selectFrom("interaction_party as p")
          .select((e) => e.fn.min("p.occurred_at").as("first"))
          .whereRef("p.tenant_num", "=", "person.tenant_num")
          .whereRef("p.address_num", "=", "person.num"),
      }))
      .where("tenant_num", "=", t)
      .where("first_at", "<", cutoff)
      .execute();
    return removed;
  });
}

const sliceSize = 500;

/** CRM activities (calls, meetings, mail logged in the CRM) that started before the cutoff. */
export async function purgeCrmActivitiesBefore(trx: Trx, tenantId: string, cutoff: number): Promise<number> {
  return withTenant(tenantId, async () => {
    const r = await trx
      .deleteFrom("crm_activity")
      .where("tenant_id", "=", tenantId)
      .where("start_at", "<", cutoff)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  });
}
