/**
 * Relationship analytics and health (SPEC §4.3, §4.4) for a contact, lead, opportunity or account:
 * people of interest from the CRM records (or, without a CRM record, the address or domain itself),
 * activities from stored interactions and CRM activities, behind `decideAccess`
 * (relationship_analytics). Colleagues the viewer may not see are taken off every activity first,
 * so they appear in no figure and no top-3 list.
 */
import { normaliseAddress } from "../domain/directory";
import { notFound, validationError } from "../domain/errors";
import { organisationDomain } from "../domain/identity";
import {
  computeHealth,
  toHealthActivities,
  type HealthConfig,
  type HealthGrade,
  type HealthResult,
  type HealthTrend,
} from "../insights/health";
import {
  activityCountsFor,
  computeRecordKpis,
  peopleOfInterest,
  type Activity,
  type KpiRecord,
  type PeopleOfInterest,
  type Ranked,
  similarWonDeals,
  type OpportunitySummary,
  type RecordKpis,
  type RecordType,
  type SimilarWonDeals,
} from "../insights/kpis";
import { userIdsByAddress } from "../store/directory.repository";
import {
  crmActivitiesFor,
  findAccount,
  interactionPartiesWithAddresses,
  personsAtDomains,
  usersByIds,
  type InteractionWithParties,
} from "../store/insight.repository";
import type { Participants } from "../store/interaction-read.repository";
import {
  findContact,
  findLead,
  findOpportunity,
  listContactsOfAccount,
  listOpportunities,
  type CrmOpportunity,
} from "../store/crm.repository";
import type { ServiceContext } from "./context";
import { readTenantOptions } from "./tenant-options";
import { AccessScope } from "./insight-access";

export interface RecordKpisAnswer {
  record: { type: RecordType; id: string; name: string };
  kpis: RecordKpis;
  /** Contacts, active leads, open opportunities and (issue 17) whole accounts; null for closed records. */
  health: HealthResult | null;
  /** Opportunities only: won deals to compare with, when the tenant has ≥ 30 won and ≥ 30 lost. */
  similarWonDeals?: SimilarWonDeals;
}

/** `f` with its answers remembered per argument (for pure predicates asked about few distinct values). */
function memoisePredicate(f: (value: string) => boolean): (value: string) => boolean {
  const seen = new Map<string, boolean>();
  return (value) => {
    let answer = seen.get(value);
    if (answer === undefined) {
      answer = f(value);
      seen.set(value, answer);
    }
    return answer;
  };
}

/**
 * One string object per distinct address: `intern(address)` answers the first string seen with
 * those characters (`known` counts as seen). Every row of a KPI read brings its addresses as new
 * strings, and the figures look each address up several times (people of interest, sides, counts);
 * a map finds a key given as the very object it holds without comparing characters (about 3 ms
 * less for 10,000 activities, measured).
 */
function addressInterner(known: Iterable<string>): (address: string) => string {
  const seen = new Map<string, string>();
  for (const address of known) seen.set(address, address);
  return (address) => {
    const same = seen.get(address);
    if (same !== undefined) return same;
    seen.set(address, address);
    return address;
  };
}

const noAddresses: readonly string[] = Object.freeze([]);

/**
 * A stored interaction as a KPI activity, without the parties of users outside `visible` (null:
 * every party is visible), its addresses through `intern`.
 */
function storedToActivity(
  i: InteractionWithParties,
  visible: ReadonlySet<string> | null,
  intern: (address: string) => string,
): Activity {
  // Lists made as literals of their first element: an empty literal grown by push reserves 17
  // slots, and most mail has one recipient and no Cc (those share one empty list).
  let to: string[] | null = null;
  let cc: string[] | null = null;
  for (const p of i.parties) {
    if (visible !== null && p[2] && !visible.has(p[2])) continue;
    const role = p[1];
    if (role === "to" || role === "required") {
      if (to === null) to = [intern(p[0])];
      else to.push(intern(p[0]));
    } else if (role === "cc" || role === "optional") {
      if (cc === null) cc = [intern(p[0])];
      else cc.push(intern(p[0]));
    }
  }
  // One object shape for every activity (a conditional spread would send each through the slow
  // object-literal path); `attendees` only on meetings.
  const activity: Activity = {
    id: i.id,
    kind: i.kind,
    at: i.occurredAt,
    end: i.endedAt,
    from: i.sender === null ? null : intern(i.sender),
    to: to ?? noAddresses,
    cc: cc ?? noAddresses,
    state: "completed",
    subject: i.subject,
    conversationId: i.conversationId,
    messageId: i.id,
    inReplyTo: i.inReplyTo,
  };
  if (i.kind === "meeting") {
    const attendees: { address: string; response: "organizer" | "none" }[] = [];
    for (const p of i.parties) {
      if (visible !== null && p[2] && !visible.has(p[2])) continue;
      attendees.push({ address: intern(p[0]), response: p[1] === "organizer" ? "organizer" : "none" });
    }
    activity.attendees = attendees;
  }
  return activity;
}

/**
 * The activities of `stored` as a viewer who may see the users in `allowed` sees them: without an
 * interaction sent by a hidden user or naming no visible one, and without hidden users' parties.
 * Adds hidden users' addresses to `hidden`.
 */
function visibleActivities(
  stored: readonly InteractionWithParties[],
  allowed: ReadonlySet<string>,
  hidden: Set<string>,
  intern: (address: string) => string,
): Activity[] {
  const activities: Activity[] = [];
  for (const i of stored) {
    let sender: Participants[number] | undefined;
    let anyHidden = false;
    let anyVisibleUser = false;
    for (const p of i.parties) {
      if (sender === undefined && (p[1] === "from" || p[1] === "organizer")) sender = p;
      const userId = p[2];
      if (!userId) continue;
      if (allowed.has(userId)) anyVisibleUser = true;
      else {
        anyHidden = true;
        hidden.add(p[0]);
      }
    }
    if (sender?.[2] && !allowed.has(sender[2])) continue;
    if (!anyVisibleUser) continue;
    activities.push(storedToActivity(i, anyHidden ? allowed : null, intern));
  }
  return activities;
}

interface ResolvedRecord {
  record: KpiRecord;
  name: string;
  poi: PeopleOfInterest;
  healthApplies: boolean;
}

async function resolveRecord(
  ctx: ServiceContext,
  tenantId: string,
  type: RecordType,
  key: string,
): Promise<ResolvedRecord> {
  const db = ctx.store.db;
  const email = normaliseAddress(key);
  switch (type) {
    case "contact": {
      const c = await findContact(db, tenantId, key);
      if (c) {
        const record: KpiRecord = { type: "contact", id: c.id };
        return {
          record,
          name: c.name,
          poi: peopleOfInterest(record, {
            users: [],
            contacts: [{ id: c.id, accountId: c.accountId, emails: c.email ? [c.email] : [] }],
            accounts: [],
          }),
          healthApplies: true,
        };
      }
      if (!email) throw notFound("contact", key);
      // No CRM contact: the address itself is the contact.
      return {
        record: { type: "contact", id: email },
        name: email,
        poi: { internal: "all", external: new Set([email]) },
        healthApplies: true,
      };
    }
    case "lead": {
      const l = await findLead(db, tenantId, key);
      if (!l) throw notFound("lead", key);
      const record: KpiRecord = {
        type: "lead",
        id: l.id,
        ownerId: l.ownerEmail ?? "",
        emails: l.email ? [l.email] : [],
        stakeholderContactIds: l.stakeholders,
      };
      const contacts = await Promise.all(l.stakeholders.map((id) => findContact(db, tenantId, id)));
      return {
        record,
        name: l.name,
        poi: peopleOfInterest(record, {
          users: l.ownerEmail ? [{ id: l.ownerEmail, emails: [l.ownerEmail] }] : [],
          contacts: contacts.flatMap((c) =>
            c ? [{ id: c.id, accountId: c.accountId, emails: c.email ? [c.email] : [] }] : [],
          ),
          accounts: [],
        }),
        healthApplies: !["qualified", "disqualified", "closed", "won", "lost"].includes(l.status),
      };
    }
    case "opportunity": {
      const o = await findOpportunity(db, tenantId, key);
      if (!o) throw notFound("opportunity", key);
      const record: KpiRecord = {
        type: "opportunity",
        id: o.id,
        ownerId: o.ownerEmail ?? "",
        salesTeamIds: o.salesTeam,
        customerContactId: o.customerContactId,
        stakeholderContactIds: o.stakeholders,
        accountId: o.accountId,
      };
      const account = o.accountId ? await findAccount(db, tenantId, o.accountId) : undefined;
      const ids = [o.customerContactId, ...o.stakeholders, account?.primaryContactId ?? null].filter(
        (x): x is string => !!x,
      );
      const contacts = (await Promise.all(ids.map((id) => findContact(db, tenantId, id)))).flatMap((c) =>
        c ? [c] : [],
      );
      const users = [o.ownerEmail, ...o.salesTeam]
        .filter((x): x is string => !!x)
        .map((e) => ({ id: e, emails: [e] }));
      return {
        record,
        name: o.name,
        poi: peopleOfInterest(record, {
          users,
          contacts: contacts.map((c) => ({
            id: c.id,
            accountId: c.accountId,
            emails: c.email ? [c.email] : [],
          })),
          accounts: account ? [{ id: account.id, primaryContactId: account.primaryContactId }] : [],
        }),
        healthApplies: o.status === "open",
      };
    }
    case "account": {
      const account = await findAccount(db, tenantId, key);
      const domain = key.toLowerCase();
      if (!account && !organisationDomain(`x@${domain}`)) throw notFound("account", key);
      const domains = account ? account.domains : [domain];
      const contacts = account ? await listContactsOfAccount(db, tenantId, account.id) : [];
      const record: KpiRecord = {
        type: "account",
        id: account?.id ?? domain,
        primaryContactId: account?.primaryContactId ?? null,
      };
      const poi = peopleOfInterest(record, {
        users: [],
        contacts: contacts.map((c) => ({
          id: c.id,
          accountId: c.accountId,
          emails: c.email ? [c.email] : [],
        })),
        accounts: account ? [{ id: account.id, primaryContactId: account.primaryContactId }] : [],
      });
      // Beyond the CRM contacts: everyone Kith has seen at the account's domains.
      const people = await personsAtDomains(db, tenantId, domains);
      const external = new Set([...poi.external, ...people.map((p) => p.address)]);
      if (external.size === 0 && !account) throw notFound("account", key);
      return {
        record,
        name: account?.name ?? domain,
        poi: { internal: "all", external },
        // The account's relationship as a whole (issue 17): the same score over every activity with it.
        healthApplies: true,
      };
    }
  }
}

async function readHealthConfig(ctx: ServiceContext, tenantId: string): Promise<HealthConfig> {
  return (await readTenantOptions(ctx.store.db, tenantId)).health;
}

/** KPIs (and health where it applies) of one record, as `viewerEmail` (null: the operator) may see them. */
export async function recordKpis(
  ctx: ServiceContext,
  tenantId: string,
  type: RecordType,
  idOrEmail: string,
  viewerEmail: string | null,
): Promise<RecordKpisAnswer> {
  if (!["contact", "lead", "opportunity", "account"].includes(type))
    throw validationError(`unknown record type ${type}`);
  const db = ctx.store.db;
  const scope = await AccessScope.load(db, tenantId, ctx.now());
  const who = await scope.resolveViewer(db, viewerEmail, "relationship_analytics");
  scope.requireAccess(who.viewer, "relationship_analytics");
  const resolved = await resolveRecord(ctx, tenantId, type, idOrEmail);
  const now = ctx.now().getTime();
  const stored = await interactionPartiesWithAddresses(db, tenantId, [...resolved.poi.external]);
  // The activities are built while the users are collected, as if the viewer may see every user
  // (the usual case), so a KPI read walks the parties once; they are built again, without the
  // hidden users, only when the access decision leaves someone out.
  const intern = addressInterner(resolved.poi.external);
  const userIds = new Set<string>();
  let activities: Activity[] = [];
  for (const i of stored) {
    let anyUser = false;
    for (const p of i.parties) {
      if (!p[2]) continue;
      userIds.add(p[2]);
      anyUser = true;
    }
    if (anyUser) activities.push(storedToActivity(i, null, intern));
  }
  // Side of an address, asked many times per activity: one domain check per distinct address.
  const isInternal = memoisePredicate(scope.isInternal);
  const crm = await crmActivitiesFor(
    db,
    tenantId,
    [{ type: resolved.record.type, id: resolved.record.id }],
    [...resolved.poi.external],
  );
  // A CRM activity names colleagues by address: they pass the same access decision as the users on
  // the mail (a colleague who turned data sharing off is in no figure, CRM-logged calls included).
  const crmAddresses = new Set<string>();
  for (const a of crm) for (const x of [a.from, ...a.to]) if (x && isInternal(x)) crmAddresses.add(x);
  const crmUsers = await userIdsByAddress(db, tenantId, [...crmAddresses]);
  for (const userId of crmUsers.values()) userIds.add(userId);
  const { allowed } = scope.allowedUsers(who.viewer, "relationship_analytics", [...userIds]);
  const hidden = new Set<string>();
  if (![...userIds].every((id) => allowed.has(id)))
    activities = visibleActivities(stored, allowed, hidden, intern);
  // The rule of the mail above: an activity logged by a hidden colleague is left out; one that
  // named colleagues and keeps none visible is left out; hidden colleagues are dropped from the rest.
  const isHiddenColleague = (address: string) => {
    const userId = crmUsers.get(address);
    return hidden.has(address) || (userId !== undefined && !allowed.has(userId));
  };
  for (const a of crm) {
    if (a.startAt === null || (a.from !== null && isHiddenColleague(a.from))) continue;
    const to = a.to.filter((x) => !isHiddenColleague(x));
    if (
      to.length < a.to.length &&
      !(a.from !== null && crmUsers.has(a.from)) &&
      !to.some((x) => crmUsers.has(x))
    )
      continue;
    activities.push({
      id: `crm:${a.id}`,
      kind: a.kind,
      at: a.startAt,
      end: a.endAt,
      durationMin: a.durationMin,
      from: a.from,
      to,
      cc: [],
      regarding:
        a.regardingType && a.regardingId ? { type: a.regardingType as RecordType, id: a.regardingId } : null,
      direction: a.direction,
      state: a.state,
      subject: a.subject,
    });
  }
  const kpis = computeRecordKpis(resolved.record, activities, resolved.poi, {
    now,
    isInternal,
    // A mail subject is the correspondents' own: shown only to a viewer on that mail. CRM activities
    // are CRM records, shown to whoever may read the record.
    maySeeSubject: (a) =>
      a.id.startsWith("crm:") ||
      (who.email !== null &&
        (a.from === who.email ||
          a.to.includes(who.email) ||
          a.cc.includes(who.email) ||
          (a.attendees ?? []).some((p) => p.address === who.email))),
  });
  await nameColleagues(db, tenantId, [...kpis.theirs.mostContacted, ...kpis.theirs.mostContactedBy]);
  let health: HealthResult | null = null;
  if (resolved.healthApplies) {
    const counted = activities.filter((a) => activityCountsFor(a, resolved.record, resolved.poi, isInternal));
    health = computeHealth(
      toHealthActivities(counted, isInternal),
      await readHealthConfig(ctx, tenantId),
      now,
    );
  }
  const answer: RecordKpisAnswer = {
    record: { type, id: resolved.record.id, name: resolved.name },
    kpis,
    health,
  };
  if (type === "opportunity") {
    const all = (await listOpportunities(db, tenantId)).map((o) => opportunitySummary(o, now));
    const self = all.find((o) => o.id === resolved.record.id);
    if (self) answer.similarWonDeals = similarWonDeals(self, all);
  }
  return answer;
}

/** Our side's people in the customer's top-3 lists, by their directory names (they passed the access decision). */
async function nameColleagues(db: ServiceContext["store"]["db"], tenantId: string, ranked: Ranked[]) {
  if (ranked.length === 0) return;
  const ids = await userIdsByAddress(
    db,
    tenantId,
    ranked.map((r) => r.address),
  );
  const names = new Map((await usersByIds(db, tenantId, [...ids.values()])).map((u) => [u.id, u.name]));
  for (const r of ranked) {
    const name = names.get(ids.get(r.address) ?? "");
    if (name) r.name = name;
  }
}

function opportunitySummary(o: CrmOpportunity, now: number): OpportunitySummary {
  return {
    id: o.id,
    accountId: o.accountId,
    status: o.status,
    revenue: o.estimatedRevenue,
    // CRM files carry no creation date: the first import stands in (see upsertOpportunity).
    createdAt: o.createdAt ?? o.estimatedCloseAt ?? now,
    closedAt: o.closedAt,
    estimatedCloseAt: o.estimatedCloseAt,
  };
}

// ---------------------------------------------------------------------------------------------
// My open opportunities by relationship, and the pipeline bubble chart (SPEC §4.4)

export type OpportunitySort = "health" | "trend" | "close" | "revenue";

export interface OpportunityHealthRow {
  id: string;
  name: string;
  accountId: string | null;
  /** The account's name, for people (the id is for links). */
  accountName: string | null;
  estimatedClose: string | null;
  estimatedRevenue: number | null;
  currency: string | null;
  health: HealthResult;
}

const trendOrder: Record<HealthTrend, number> = {
  improving: 0,
  steady: 1,
  declining: 2,
  not_enough_info: 3,
};

/**
 * Sorts opportunity rows: `health` best first (unscored last), `trend` improving → declining
 * (then health), `close` soonest first, `revenue` largest first; ties by name.
 */
export function sortOpportunityRows(
  rows: OpportunityHealthRow[],
  sort: OpportunitySort,
): OpportunityHealthRow[] {
  const score = (r: OpportunityHealthRow) => r.health.score ?? -1;
  const byName = (a: OpportunityHealthRow, b: OpportunityHealthRow) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1;
  const cmp: Record<OpportunitySort, (a: OpportunityHealthRow, b: OpportunityHealthRow) => number> = {
    health: (a, b) => score(b) - score(a),
    trend: (a, b) => trendOrder[a.health.trend] - trendOrder[b.health.trend] || score(b) - score(a),
    close: (a, b) =>
      (a.estimatedClose ?? "9999") < (b.estimatedClose ?? "9999")
        ? -1
        : (a.estimatedClose ?? "9999") > (b.estimatedClose ?? "9999")
          ? 1
          : 0,
    revenue: (a, b) => (b.estimatedRevenue ?? -1) - (a.estimatedRevenue ?? -1),
  };
  return [...rows].sort((a, b) => cmp[sort](a, b) || byName(a, b));
}

export interface MyOpportunitiesAnswer {
  viewer: string;
  sort: OpportunitySort;
  opportunities: OpportunityHealthRow[];
}

/**
 * "My open opportunities by relationship": the open opportunities the viewer owns or is on the
 * sales team of, each with its relationship health as the viewer may see it (colleagues who opted
 * out or whom the viewer may not see are left out of every figure, as in `recordKpis`).
 */
export async function myOpenOpportunities(
  ctx: ServiceContext,
  tenantId: string,
  viewerEmail: string,
  sort: OpportunitySort = "health",
): Promise<MyOpportunitiesAnswer> {
  const db = ctx.store.db;
  const scope = await AccessScope.load(db, tenantId, ctx.now());
  const who = await scope.resolveViewer(db, viewerEmail, "relationship_analytics");
  scope.requireAccess(who.viewer, "relationship_analytics");
  const mine = new Set([normaliseAddress(viewerEmail), who.email].filter((x): x is string => !!x));
  const open = (await listOpportunities(db, tenantId)).filter(
    (o) =>
      o.status === "open" &&
      [o.ownerEmail, ...o.salesTeam].some((e) => e !== null && mine.has(normaliseAddress(e) ?? "")),
  );
  const rows: OpportunityHealthRow[] = [];
  for (const o of open) {
    const answer = await recordKpis(ctx, tenantId, "opportunity", o.id, viewerEmail);
    if (!answer.health) continue;
    const account = o.accountId ? await findAccount(db, tenantId, o.accountId) : undefined;
    rows.push({
      id: o.id,
      name: o.name,
      accountId: o.accountId,
      accountName: account?.name ?? null,
      estimatedClose:
        o.estimatedCloseAt === null ? null : new Date(o.estimatedCloseAt).toISOString().slice(0, 10),
      estimatedRevenue: o.estimatedRevenue,
      currency: o.currency,
      health: answer.health,
    });
  }
  return { viewer: who.email ?? viewerEmail, sort, opportunities: sortOpportunityRows(rows, sort) };
}

export interface PipelineBubble {
  id: string;
  name: string;
  /** Estimated close date (YYYY-MM-DD). */
  x: string;
  /** Health score 0–100. */
  y: number;
  /** Estimated revenue (0 when unknown). */
  size: number;
  colour: HealthGrade;
}

/**
 * Pipeline bubble chart data (x: estimated close, y: health, size: revenue, colour: grade) for the
 * viewer's open opportunities; opportunities without a close date or a health score cannot be
 * placed and are counted in `unplaced`.
 */
export async function pipelineBubbles(
  ctx: ServiceContext,
  tenantId: string,
  viewerEmail: string,
): Promise<{ bubbles: PipelineBubble[]; unplaced: { id: string; name: string; reason: string }[] }> {
  const { opportunities } = await myOpenOpportunities(ctx, tenantId, viewerEmail, "close");
  const bubbles: PipelineBubble[] = [];
  const unplaced: { id: string; name: string; reason: string }[] = [];
  for (const o of opportunities) {
    if (o.estimatedClose === null)
      unplaced.push({ id: o.id, name: o.name, reason: "no estimated close date" });
    else if (o.health.score === null || o.health.grade === null)
      unplaced.push({ id: o.id, name: o.name, reason: `health ${o.health.state}` });
    else
      bubbles.push({
        id: o.id,
        name: o.name,
        x: o.estimatedClose,
        y: o.health.score,
        size: o.estimatedRevenue ?? 0,
        colour: o.health.grade,
      });
  }
  return { bubbles, unplaced };
}
