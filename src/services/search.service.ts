/**
 * Find anyone (issue 17, item 1): one search over CRM accounts, contacts, leads, opportunities and
 * the people Kith knows from mail, and the same reads as paged lists (an empty term lists a kind).
 *
 * What a viewer may see (SPEC §3):
 * - CRM records are shown to a viewer who may see relationship analytics, the insight their pages
 *   show; a refusal (no consent, relationship intelligence off, a role without the grant) is
 *   reported as such, never as "no match".
 * - A person seen in mail is shown only when a colleague the viewer may see in who knows whom knows
 *   them (sharing on, not hidden as an introducer), or the viewer knows them themself with their own
 *   sharing on. Kith keeps the person row of someone known only through a colleague who cannot be
 *   named; the search must not reveal that such a person exists. `knownBy` counts visible colleagues only.
 */
import type { InsightKind } from "../domain/consent";
import { isSharingOn } from "../domain/consent-policy";
import { KithError, validationError } from "../domain/errors";
import { pairStatesForPersons } from "../store/insight.repository";
import {
  findAccounts,
  findContacts,
  findLeads,
  findOpportunities,
  findPersons,
  type FoundAccount,
  type FoundContact,
  type FoundLead,
  type FoundOpportunity,
  type Page,
} from "../store/search.repository";
import type { ServiceContext } from "./context";
import { AccessScope } from "./insight-access";

export const searchKinds = ["person", "account", "contact", "lead", "opportunity"] as const;
export type SearchKind = (typeof searchKinds)[number];

export interface FoundKnownPerson {
  email: string;
  name: string | null;
  domain: string;
  /** Colleagues the viewer may see who know this person (the viewer included when they do). */
  knownBy: number;
}

export interface SearchSection<T> {
  rows: T[];
  total: number;
}

export interface SearchRefusal {
  kinds: SearchKind[];
  code: "consent_required" | "insufficient_privileges" | "insights_disabled";
  reason: string;
}

export interface SearchAnswer {
  query: string;
  people?: SearchSection<FoundKnownPerson>;
  accounts?: SearchSection<FoundAccount>;
  contacts?: SearchSection<FoundContact>;
  leads?: SearchSection<FoundLead>;
  opportunities?: SearchSection<FoundOpportunity>;
  /** Kinds the viewer may not search, and why. */
  refused: SearchRefusal[];
}

/** A term shorter than this finds too much to be useful (lists take an empty term instead). */
export const minimumTermLength = 2;
/** People are matched among this many of the most recently seen candidates. */
const personCandidates = 500;

function refusalOf(error: unknown): Omit<SearchRefusal, "kinds"> {
  if (
    error instanceof KithError &&
    (error.code === "consent_required" ||
      error.code === "insufficient_privileges" ||
      error.code === "insights_disabled")
  )
    return { code: error.code, reason: error.message };
  throw error;
}

export async function search(
  ctx: ServiceContext,
  tenantId: string,
  viewerEmail: string,
  options: { term: string; kinds: readonly SearchKind[]; page: Page },
): Promise<SearchAnswer> {
  const term = options.term.trim();
  const kinds = [...new Set(options.kinds)];
  if (term.length > 0 && term.length < minimumTermLength)
    throw validationError(`type at least ${minimumTermLength} characters to search`, { q: term });
  if (term === "" && kinds.includes("person"))
    throw validationError("people are found by a name, address or domain: give a search term", { q: term });
  const db = ctx.store.db;
  const scope = await AccessScope.load(db, tenantId, ctx.now());
  const who = await scope.resolveViewer(db, viewerEmail, "relationship_analytics");
  const answer: SearchAnswer = { query: term, refused: [] };
  const gate = (kind: InsightKind, wanted: SearchKind[]): boolean => {
    if (wanted.length === 0) return false;
    try {
      scope.requireAccess(who.viewer, kind);
      return true;
    } catch (error) {
      answer.refused.push({ kinds: wanted, ...refusalOf(error) });
      return false;
    }
  };
  const crmKinds = kinds.filter((k) => k !== "person");
  if (gate("relationship_analytics", crmKinds)) {
    if (crmKinds.includes("account")) answer.accounts = await findAccounts(db, tenantId, term, options.page);
    if (crmKinds.includes("contact")) answer.contacts = await findContacts(db, tenantId, term, options.page);
    if (crmKinds.includes("lead")) answer.leads = await findLeads(db, tenantId, term, options.page);
    if (crmKinds.includes("opportunity"))
      answer.opportunities = await findOpportunities(db, tenantId, term, options.page);
  }
  if (
    gate(
      "who_knows_whom",
      kinds.filter((k) => k === "person"),
    )
  )
    answer.people = await knownPeople(ctx, scope, who.viewer, term, options.page, answer);
  // Nothing at all may be searched: the refusal itself is the answer (one clear state).
  if (answer.refused.length > 0 && answer.refused.every((r) => r.code === answer.refused[0]!.code)) {
    const searched =
      answer.people ?? answer.accounts ?? answer.contacts ?? answer.leads ?? answer.opportunities;
    if (!searched)
      throw new KithError(answer.refused[0]!.code, answer.refused[0]!.reason, { insight: "search" });
  }
  return answer;
}

async function knownPeople(
  ctx: ServiceContext,
  scope: AccessScope,
  viewer: { userId: string; tenantId: string; roles: readonly string[]; isGuest: boolean },
  term: string,
  page: Page,
  crm: SearchAnswer,
): Promise<SearchSection<FoundKnownPerson>> {
  const db = ctx.store.db;
  // CRM contacts and leads are listed as such when the viewer may search them, not twice.
  const candidates = await findPersons(
    db,
    scope.tenantId,
    term,
    personCandidates,
    crm.contacts !== undefined && crm.leads !== undefined,
  );
  const pairs = await pairStatesForPersons(
    db,
    scope.tenantId,
    candidates.map((p) => p.address),
  );
  const { allowed } = scope.allowedUsers(
    viewer,
    "who_knows_whom",
    pairs.map((p) => p.userId),
  );
  // Who knows whom never lists the viewer; the viewer's own ties are theirs to find while they share.
  if (isSharingOn(scope.privacyOf(viewer.userId), scope.consent)) allowed.add(viewer.userId);
  const knownBy = new Map<string, number>();
  for (const p of pairs) if (allowed.has(p.userId)) knownBy.set(p.person, (knownBy.get(p.person) ?? 0) + 1);
  const visible = candidates.filter((p) => knownBy.has(p.address));
  return {
    total: visible.length,
    rows: visible.slice(page.offset, page.offset + page.limit).map((p) => ({
      email: p.address,
      name: p.name,
      domain: p.domain,
      knownBy: knownBy.get(p.address) ?? 0,
    })),
  };
}
