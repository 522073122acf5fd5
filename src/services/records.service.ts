/**
 * The CRM records a seller opens (issue 17, items 3 and 4): an account with its contacts and
 * opportunities, an opportunity with its account, team and buying committee, a lead. Shown to a
 * viewer who may see relationship analytics (the insight these pages carry); the relationship
 * figures themselves come from `kpis.service.ts` and `who-knows-whom.service.ts`.
 */
import { normaliseAddress } from "../domain/directory";
import { notFound } from "../domain/errors";
import { organisationDomain } from "../domain/identity";
import {
  findContact,
  findLead,
  findOpportunity,
  listContactsOfAccount,
  listOpportunitiesOfAccount,
  type CrmOpportunity,
} from "../store/crm.repository";
import { userIdsByAddress } from "../store/directory.repository";
import { findAccount, personsAtDomains, usersByIds } from "../store/insight.repository";
import type { ServiceContext } from "./context";
import { AccessScope } from "./insight-access";

export interface OpportunityLine {
  id: string;
  name: string;
  status: "open" | "won" | "lost";
  stage: string | null;
  estimatedCloseAt: number | null;
  estimatedRevenue: number | null;
  currency: string | null;
}

export interface AccountOverview {
  account: { id: string | null; name: string; domains: string[]; inCrm: boolean };
  contacts: { id: string; name: string; email: string | null }[];
  opportunities: OpportunityLine[];
}

async function requireAnalytics(ctx: ServiceContext, tenantId: string, viewerEmail: string) {
  const scope = await AccessScope.load(ctx.store.db, tenantId, ctx.now());
  const who = await scope.resolveViewer(ctx.store.db, viewerEmail, "relationship_analytics");
  scope.requireAccess(who.viewer, "relationship_analytics");
}

const line = (o: CrmOpportunity): OpportunityLine => ({
  id: o.id,
  name: o.name,
  status: o.status,
  stage: o.stage,
  estimatedCloseAt: o.estimatedCloseAt,
  estimatedRevenue: o.estimatedRevenue,
  currency: o.currency,
});

/** An account by CRM id or domain; a domain with no CRM account but people Kith knows is an account too. */
export async function accountOverview(
  ctx: ServiceContext,
  tenantId: string,
  key: string,
  viewerEmail: string,
): Promise<AccountOverview> {
  await requireAnalytics(ctx, tenantId, viewerEmail);
  const db = ctx.store.db;
  const account = await findAccount(db, tenantId, key);
  if (!account) {
    const domain = key.trim().toLowerCase();
    if (!organisationDomain(`x@${domain}`) || (await personsAtDomains(db, tenantId, [domain])).length === 0)
      throw notFound("account", key);
    return {
      account: { id: null, name: domain, domains: [domain], inCrm: false },
      contacts: [],
      opportunities: [],
    };
  }
  const contacts = await listContactsOfAccount(db, tenantId, account.id);
  const opportunities = await listOpportunitiesOfAccount(db, tenantId, account.id);
  const order = { open: 0, won: 1, lost: 2 } as const;
  return {
    account: { id: account.id, name: account.name, domains: account.domains, inCrm: true },
    contacts: contacts
      .map((c) => ({ id: c.id, name: c.name, email: c.email }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    opportunities: opportunities
      .map(line)
      .sort(
        (a, b) =>
          order[a.status] - order[b.status] ||
          (a.estimatedCloseAt ?? Infinity) - (b.estimatedCloseAt ?? Infinity) ||
          a.name.localeCompare(b.name),
      ),
  };
}

export interface PersonLine {
  email: string;
  name: string | null;
}

export interface CommitteeMember {
  contactId: string;
  name: string;
  email: string | null;
  roles: ("customer contact" | "stakeholder" | "primary contact")[];
}

export interface OpportunityDetail extends OpportunityLine {
  account: { id: string; name: string } | null;
  owner: PersonLine | null;
  salesTeam: PersonLine[];
  buyingCommittee: CommitteeMember[];
}

export async function opportunityDetail(
  ctx: ServiceContext,
  tenantId: string,
  id: string,
  viewerEmail: string,
): Promise<OpportunityDetail> {
  await requireAnalytics(ctx, tenantId, viewerEmail);
  const db = ctx.store.db;
  const o = await findOpportunity(db, tenantId, id);
  if (!o) throw notFound("opportunity", id);
  const account = o.accountId ? await findAccount(db, tenantId, o.accountId) : undefined;
  const internal = [o.ownerEmail, ...o.salesTeam].flatMap((e) => (e ? [normaliseAddress(e) ?? e] : []));
  const ids = await userIdsByAddress(db, tenantId, internal);
  const names = new Map((await usersByIds(db, tenantId, [...ids.values()])).map((u) => [u.id, u.name]));
  const person = (email: string): PersonLine => ({ email, name: names.get(ids.get(email) ?? "") ?? null });
  const members = new Map<string, CommitteeMember>();
  const add = async (contactId: string | null | undefined, role: CommitteeMember["roles"][number]) => {
    if (!contactId) return;
    const known = members.get(contactId);
    if (known) {
      if (!known.roles.includes(role)) known.roles.push(role);
      return;
    }
    const c = await findContact(db, tenantId, contactId);
    members.set(contactId, { contactId, name: c?.name ?? contactId, email: c?.email ?? null, roles: [role] });
  };
  await add(o.customerContactId, "customer contact");
  for (const s of o.stakeholders) await add(s, "stakeholder");
  await add(account?.primaryContactId, "primary contact");
  const owner = o.ownerEmail ? (normaliseAddress(o.ownerEmail) ?? o.ownerEmail) : null;
  return {
    ...line(o),
    account: account ? { id: account.id, name: account.name } : null,
    owner: owner ? person(owner) : null,
    salesTeam: internal.filter((e) => e !== owner).map(person),
    buyingCommittee: [...members.values()],
  };
}

export interface LeadDetail {
  id: string;
  name: string;
  email: string | null;
  company: string | null;
  status: string;
  owner: PersonLine | null;
}

export async function leadDetail(
  ctx: ServiceContext,
  tenantId: string,
  id: string,
  viewerEmail: string,
): Promise<LeadDetail> {
  await requireAnalytics(ctx, tenantId, viewerEmail);
  const db = ctx.store.db;
  const l = await findLead(db, tenantId, id);
  if (!l) throw notFound("lead", id);
  let owner: PersonLine | null = null;
  if (l.ownerEmail) {
    const ids = await userIdsByAddress(db, tenantId, [l.ownerEmail]);
    const users = await usersByIds(db, tenantId, [...ids.values()]);
    owner = { email: l.ownerEmail, name: users[0]?.name ?? null };
  }
  return { id: l.id, name: l.name, email: l.email, company: l.company, status: l.status, owner };
}
