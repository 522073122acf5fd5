/** CRM records (contacts, leads, opportunities) as domain values; rows stay here. */
import type { Trx } from "./store";
import { withTenant } from "./tenant-scope";

export interface CrmContact {
  id: string;
  email: string | null;
  name: string;
  accountId: string | null;
}

export interface CrmLead {
  id: string;
  email: string | null;
  name: string;
  company: string | null;
  ownerEmail: string | null;
  stakeholders: string[];
  status: string;
}

export interface CrmOpportunity {
  id: string;
  name: string;
  accountId: string | null;
  ownerEmail: string | null;
  salesTeam: string[];
  stakeholders: string[];
  customerContactId: string | null;
  status: "open" | "won" | "lost";
  estimatedCloseAt: number | null;
  estimatedRevenue: number | null;
  stage: string | null;
  currency: string | null;
  createdAt: number | null;
  closedAt: number | null;
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

/** A contact by CRM id, or else by email address. */
export async function findContact(
  db: Trx,
  tenantId: string,
  idOrEmail: string,
): Promise<CrmContact | undefined> {
  return withTenant(tenantId, async () => {
    const q = () =>
      db
        .selectFrom("crm_contact")
        .select(["id", "email", "name", "account_id"])
        .where("tenant_id", "=", tenantId);
    const row =
      (await q().where("id", "=", idOrEmail).executeTakeFirst()) ??
      (await q().where("email", "=", idOrEmail.toLowerCase()).executeTakeFirst());
    return row ? { id: row.id, email: row.email, name: row.name, accountId: row.account_id } : undefined;
  });
}

export async function listContactsOfAccount(
  db: Trx,
  tenantId: string,
  accountId: string,
): Promise<CrmContact[]> {
  return withTenant(tenantId, async () => {
    const rows = await db
      .selectFrom("crm_contact")
      .select(["id", "email", "name", "account_id"])
      .where("tenant_id", "=", tenantId)
      .where("account_id", "=", accountId)
      .execute();
    return rows.map((r) => ({ id: r.id, email: r.email, name: r.name, accountId: r.account_id }));
  });
}

export async function findLead(db: Trx, tenantId: string, idOrEmail: string): Promise<CrmLead | undefined> {
  return withTenant(tenantId, async () => {
    const q = () => db.selectFrom("crm_lead").selectAll().where("tenant_id", "=", tenantId);
    const row =
      (await q().where("id", "=", idOrEmail).executeTakeFirst()) ??
      (await q().where("email", "=", idOrEmail.toLowerCase()).executeTakeFirst());
    return row
      ? {
          id: row.id,
          email: row.email,
          name: row.name,
          company: row.company,
          ownerEmail: row.owner_email,
          stakeholders: JSON.parse(row.stakeholders) as string[],
          status: row.status,
        }
      : undefined;
  });
}

function rowToOpportunity(row: {
  id: string;
  name: string;
  account_id: string | null;
  owner_email: string | null;
  sales_team: string;
  stakeholders: string;
  customer_contact_id: string | null;
  status: string;
  estimated_close_at: number | string | null;
  estimated_revenue: number | null;
  stage: string | null;
  currency: string | null;
  created_at: number | string | null;
  closed_at: number | string | null;
}): CrmOpportunity {
  return {
    id: row.id,
    name: row.name,
    accountId: row.account_id,
    ownerEmail: row.owner_email,
    salesTeam: JSON.parse(row.sales_team) as string[],
    stakeholders: JSON.parse(row.stakeholders) as string[],
    customerContactId: row.customer_contact_id,
    status: row.status === "won" || row.status === "lost" ? row.status : "open",
    estimatedCloseAt: num(row.estimated_close_at),
    estimatedRevenue: row.estimated_revenue,
    stage: row.stage,
    currency: row.currency,
    createdAt: num(row.created_at),
    closedAt: num(row.closed_at),
  };
}

export async function findOpportunity(
  db: Trx,
  tenantId: string,
  id: string,
): Promise<CrmOpportunity | undefined> {
  return withTenant(tenantId, async () => {
    const row = await db
      .selectFrom("crm_opportunity")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("id", "=", id)
      .executeTakeFirst();
    return row ? rowToOpportunity(row) : undefined;
  });
}

export async function listOpportunities(db: Trx, tenantId: string): Promise<CrmOpportunity[]> {
  return withTenant(tenantId, async () => {
    const rows = await db
      .selectFrom("crm_opportunity")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .execute();
    return rows.map(rowToOpportunity);
  });
}

export async function listOpportunitiesOfAccount(
  db: Trx,
  tenantId: string,
  accountId: string,
): Promise<CrmOpportunity[]> {
  return withTenant(tenantId, async () => {
    const rows = await db
      .selectFrom("crm_opportunity")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("account_id", "=", accountId)
      .execute();
    return rows.map(rowToOpportunity);
  });
}

// ---------------------------------------------------------------------------------------------
// Writes (CRM file import): idempotent upserts keyed by (tenant, CRM id).

export interface CrmAccountWrite {
  id: string;
  name: string;
  primaryContactId: string | null;
  /** The account's full set of domains: others it had are released. */
  domains: string[];
}

export async function upsertAccount(db: Trx, tenantId: string, a: CrmAccountWrite): Promise<void> {
  return withTenant(tenantId, async () => {
    await db
      .insertInto("account")
      .values({ tenant_id: tenantId, id: a.id, name: a.name, primary_contact_id: a.primaryContactId })
      .onConflict((oc) =>
        oc.columns(["tenant_id", "id"]).doUpdateSet({ name: a.name, primary_contact_id: a.primaryContactId }),
      )
      .execute();
    let release = db
      .deleteFrom("account_domain")
      .where("tenant_id", "=", tenantId)
      .where("account_id", "=", a.id);
    if (a.domains.length) release = release.where("domain", "not in", a.domains);
    await release.execute();
    for (const domain of a.domains) {
      await db
        .insertInto("account_domain")
        .values({ tenant_id: tenantId, domain, account_id: a.id })
        .onConflict((oc) => oc.columns(["tenant_id", "domain"]).doUpdateSet({ account_id: a.id }))
        .execute();
    }
  });
}

export async function upsertContact(db: Trx, tenantId: string, c: CrmContact): Promise<void> {
  return withTenant(tenantId, async () => {
    const values = { email: c.email, name: c.name, account_id: c.accountId };
    await db
      .insertInto("crm_contact")
      .values({ tenant_id: tenantId, id: c.id, ...values })
      .onConflict((oc) => oc.columns(["tenant_id", "id"]).doUpdateSet(values))
      .execute();
  });
}

export async function upsertLead(db: Trx, tenantId: string, l: CrmLead): Promise<void> {
  return withTenant(tenantId, async () => {
    const values = {
      email: l.email,
      name: l.name,
      company: l.company,
      owner_email: l.ownerEmail,
      stakeholders: JSON.stringify(l.stakeholders),
      status: l.status,
    };
    await db
      .insertInto("crm_lead")
      .values({ tenant_id: tenantId, id: l.id, ...values })
      .onConflict((oc) => oc.columns(["tenant_id", "id"]).doUpdateSet(values))
      .execute();
  });
}

/** `createdAt` and `closedAt` are set on first sight and when the status first turns won/lost. */
export async function upsertOpportunity(
  db: Trx,
  tenantId: string,
  o: Omit<CrmOpportunity, "createdAt" | "closedAt">,
  at: number,
): Promise<void> {
  return withTenant(tenantId, async () => {
    const existing = await db
      .selectFrom("crm_opportunity")
      .select(["status", "closed_at"])
      .where("tenant_id", "=", tenantId)
      .where("id", "=", o.id)
      .executeTakeFirst();
    const closed = o.status !== "open";
    const closedAt = !closed
      ? null
      : existing && existing.status === o.status && existing.closed_at !== null
        ? Number(existing.closed_at)
        : at;
    const values = {
      name: o.name,
      account_id: o.accountId,
      owner_email: o.ownerEmail,
      sales_team: JSON.stringify(o.salesTeam),
      stakeholders: JSON.stringify(o.stakeholders),
      customer_contact_id: o.customerContactId,
      status: o.status,
      estimated_close_at: o.estimatedCloseAt,
      estimated_revenue: o.estimatedRevenue,
      stage: o.stage,
      currency: o.currency,
      closed_at: closedAt,
    };
    await db
      .insertInto("crm_opportunity")
      .values({ tenant_id: tenantId, id: o.id, created_at: at, ...values })
      .onConflict((oc) => oc.columns(["tenant_id", "id"]).doUpdateSet(values))
      .execute();
  });
}

export interface CrmActivityWrite {
  id: string;
  kind: "email" | "meeting" | "call" | "task";
  regardingType: string | null;
  regardingId: string | null;
  direction: "out" | "in" | null;
  from: string | null;
  to: string[];
  startAt: number | null;
  endAt: number | null;
  durationMin: number | null;
  state: "completed" | "planned";
  subject: string | null;
}

export async function upsertActivity(db: Trx, tenantId: string, a: CrmActivityWrite): Promise<void> {
  return withTenant(tenantId, async () => {
    const values = {
      kind: a.kind,
      regarding_type: a.regardingType,
      regarding_id: a.regardingId,
      direction: a.direction,
      from_address: a.from,
      to_addresses: JSON.stringify(a.to),
      start_at: a.startAt,
      end_at: a.endAt,
      duration_min: a.durationMin,
      state: a.state,
      subject: a.subject,
    };
    await db
      .insertInto("crm_activity")
      .values({ tenant_id: tenantId, id: a.id, ...values })
      .onConflict((oc) => oc.columns(["tenant_id", "id"]).doUpdateSet(values))
      .execute();
  });
}

/** Counts of a tenant's CRM records, for import summaries and the similar-deals rule. */
export async function countOpportunitiesByStatus(
  db: Trx,
  tenantId: string,
): Promise<Record<"open" | "won" | "lost", number>> {
  return withTenant(tenantId, async () => {
    const rows = await db
      .selectFrom("crm_opportunity")
      .select(["status", db.fn.countAll<number | string>().as("n")])
      .where("tenant_id", "=", tenantId)
      .groupBy("status")
      .execute();
    const out = { open: 0, won: 0, lost: 0 };
    for (const r of rows) if (r.status in out) out[r.status as keyof typeof out] = Number(r.n);
    return out;
  });
}
