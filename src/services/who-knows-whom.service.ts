/**
 * Who knows whom and the account view (SPEC §4.1, §4.2): pure rankings from src/insights over stored
 * strength state, behind the consent policy; intro paths through colleagues. Every user named in a
 * result passed `decideAccess` for that insight.
 */
import { normaliseAddress } from "../domain/directory";
import { notFound, validationError } from "../domain/errors";
import { domainOf } from "../domain/directory";
import { isPersonalDomain } from "../domain/identity";
import { organisationOfDomain } from "../insights/organisation";
import {
  buildPairState,
  strengthRaw,
  type PairState,
  type StrengthParams,
  type Touch,
} from "../insights/strength";
import { isoDay } from "../insights/time";
import {
  bulkEvidenceParams,
  findIntroPaths,
  rankAccountIntroducers,
  rankBulkIntroducers,
  rankCurrentAndDormant,
  rankIntroducers,
  type AccountIntroducer,
  type AccountIntroducerCandidate,
  type DormantIntroducer,
  type Introducer,
  type IntroPath,
} from "../insights/who-knows-whom";
import {
  findAccount,
  internalPairStates,
  interactionsWithAddresses,
  pairStatesForPerson,
  pairStatesForPersons,
  personsUnderDomain,
  personWithStates,
  usersByIds,
  type PairRow,
  type UserRef,
} from "../store/insight.repository";
import type { Trx } from "../store/store";
import type { ServiceContext } from "./context";
import { AccessScope, type ResolvedViewer } from "./insight-access";
import { bulkTouchesOfStored, touchesOfStored } from "./touches";
import { readTenantOptions, type TenantOptions } from "./tenant-options";
import { compileTemplate, type IntroductionTemplate } from "./introduction-template";

export interface IntroducerView {
  name: string;
  email: string;
  strength: number;
  label: Introducer["label"];
  /** direct: counted towards strength; bulk: only large-distribution mail in common (a weak lead). */
  evidence: Introducer["evidence"];
  lastInteraction: { date: string; type: string } | null;
  explanation: string;
  factors: Introducer["strength"]["factors"];
  introductionDraft: { to: string; subject: string; body: string };
}

/** A colleague who knew the person but has had no contact for over a year (`dormantAfterDays`). */
export interface DormantIntroducerView extends IntroducerView {
  /** The strength at the last interaction (`strength` is today's, decayed). */
  strengthThen: number;
  labelThen: Introducer["label"];
}

export interface IntroPathView {
  /** Names along the way: viewer, [colleague,] introducer, person. */
  via: string[];
  score: number;
  hops: { from: string; to: string; strength: number; label: string; explanation: string }[];
}

export interface WhoKnowsWhomAnswer {
  target: { email: string; name: string | null; organisation: string | null; account: string | null };
  asOf: string;
  /**
   * In the documented order (`compareEvidence`): colleagues with direct evidence; when there are
   * none, colleagues with bulk evidence only (`evidence: "bulk"`, always labelled weak).
   */
  introducers: IntroducerView[];
  /**
   * Colleagues whose direct evidence is all older than a year, strongest then first: listed below
   * the current ones, with the last interaction date. Same consent rules as `introducers`.
   */
  dormant: DormantIntroducerView[];
  /** When every introducer is weak: the viewer's best ways to reach one of them. */
  introPaths?: IntroPathView[];
  /** Only when nobody (visible) knows the target currently: another way in. */
  alternatives?: {
    accountIntroducers: (Omit<AccountIntroducer, "userId"> & {
      introductionDraft: IntroducerView["introductionDraft"];
    })[];
    introPaths: IntroPathView[];
  };
}

interface TargetInfo {
  email: string;
  name: string | null;
  organisation: string | null;
  accountName: string | null;
  accountDomains: string[];
}

/**
 * A reusable reader for many who-knows-whom questions by one viewer: consent, privacy, strength
 * parameters and user names are loaded once; each question is then one primary-key range read of
 * pair_state (plus the fallbacks when nobody knows the target).
 */
export class WhoKnowsWhomReader {
  private readonly users = new Map<string, UserRef>();
  /**
   * Intro-path inputs: each colleague's internal (colleague ↔ colleague) states, loaded once per
   * colleague for the reader's life (the API reuses a reader for at most a few seconds, and drops
   * it when the tenant's audit head moves; decideAccess still runs on every question), and their
   * scores as of the last `asOf` asked.
   */
  private readonly internalEdges = new Map<string, InternalEdge[]>();
  private readonly loadingEdges = new Map<string, Promise<void>>();
  private readonly renderSubject: (values: Record<string, string>) => string;
  private readonly renderBody: (values: Record<string, string>) => string;
  private edgeScores: { asOf: number; scores: Map<InternalEdge, number> } = {
    asOf: Number.NaN,
    scores: new Map(),
  };

  private constructor(
    private readonly db: Trx,
    private readonly scope: AccessScope,
    private readonly who: ResolvedViewer,
    private readonly options: TenantOptions,
    private readonly template: IntroductionTemplate,
  ) {
    this.renderSubject = compileTemplate(template.subject);
    this.renderBody = compileTemplate(template.body);
  }

  static async open(
    ctx: ServiceContext,
    tenantId: string,
    viewerEmail: string | null,
  ): Promise<WhoKnowsWhomReader> {
    const db = ctx.store.db;
    const scope = await AccessScope.load(db, tenantId, ctx.now());
    const who = await scope.resolveViewer(db, viewerEmail, "who_knows_whom");
    scope.requireAccess(who.viewer, "who_knows_whom");
    const options = await readTenantOptions(db, tenantId);
    return new WhoKnowsWhomReader(db, scope, who, options, options.introductionTemplate);
  }

  private get params(): StrengthParams {
    return this.options.strength;
  }

  private async names(ids: readonly string[]): Promise<void> {
    const missing = ids.filter((id) => !this.users.has(id));
    if (missing.length === 0) return;
    for (const u of await usersByIds(this.db, this.scope.tenantId, missing)) this.users.set(u.id, u);
  }

  /**
   * The person, their account and every colleague's strength state with them as of `asOf`: one
   * read (`personWithStates`) unless a stored state is newer than `asOf` (see `statesAsOf`).
   */
  private async target(email: string, asOf: number): Promise<{ target: TargetInfo; rows: PairRow[] }> {
    // The organisation is the registrable domain (consumer providers have none); a CRM account
    // mapped to the exact host wins over one mapped to the organisation.
    const host = domainOf(email);
    const organisation = organisationOfDomain(host, isPersonalDomain);
    const accountKeys = organisation ? (host === organisation ? [host] : [host, organisation]) : [];
    const read = await personWithStates(this.db, this.scope.tenantId, email, accountKeys);
    const account = read.account;
    return {
      target: {
        email,
        name: read.person?.name ?? null,
        organisation,
        accountName: account?.name ?? null,
        accountDomains: account ? account.domains : organisation ? [organisation] : [],
      },
      rows: await this.statesAsOf([email], asOf, read.states),
    };
  }

  /**
   * Strength states as of `asOf`. Stored states hold every touch so far; when `asOf` is in the
   * past and a state is newer, the pairs are rebuilt from the stored interactions before `asOf`,
   * so an answer "as of" a date never uses later mail.
   */
  private async statesAsOf(persons: readonly string[], asOf: number, stored?: PairRow[]): Promise<PairRow[]> {
    const rows =
      stored ??
      (persons.length === 1
        ? await pairStatesForPerson(this.db, this.scope.tenantId, persons[0] ?? "")
        : await pairStatesForPersons(this.db, this.scope.tenantId, persons));
    if (!rows.some((r) => (r.state.lastAt ?? 0) > asOf)) return rows;
    const wanted = new Set(persons);
    const touches = new Map<string, { person: string; userId: string; touches: Touch[] }>();
    const interactions = await interactionsWithAddresses(this.db, this.scope.tenantId, persons, {
      to: asOf + 1,
    });
    for (const i of interactions) {
      for (const t of touchesOfStored(i, this.options.noiseFilters).touches) {
        if (!wanted.has(t.person)) continue;
        const key = `${t.person}\u0000${t.userId}`;
        const entry = touches.get(key) ?? { person: t.person, userId: t.userId, touches: [] };
        entry.touches.push(t.touch);
        touches.set(key, entry);
      }
    }
    return [...touches.values()].map((e) => ({
      person: e.person,
      userId: e.userId,
      state: buildPairState(e.touches, this.params, asOf),
    }));
  }

  private draft(
    introducer: { name: string; email: string; label: string; score: number; lastAt: number | null },
    target: TargetInfo,
    personName: string | null,
  ): IntroducerView["introductionDraft"] {
    const values: Record<string, string> = {
      "introducer.name": introducer.name,
      "introducer.firstName": firstName(introducer.name),
      "introducer.email": introducer.email,
      "target.name": personName ?? target.name ?? target.email,
      "target.email": target.email,
      "target.atAccount": target.accountName
        ? ` at ${target.accountName}`
        : target.organisation
          ? ` at ${target.organisation}`
          : "",
      "account.name": target.accountName ?? target.organisation ?? "",
      "strength.label": introducer.label,
      "strength.score": String(introducer.score),
      lastInteraction: introducer.lastAt === null ? "some time ago" : isoDay(introducer.lastAt),
      "viewer.name": this.who.name ?? "",
      "viewer.email": this.who.email ?? "",
    };
    return {
      to: introducer.email,
      subject: this.renderSubject(values),
      body: this.renderBody(values),
    };
  }

  async ask(targetEmail: string, asOfDate?: Date): Promise<WhoKnowsWhomAnswer> {
    const email = normaliseAddress(targetEmail);
    if (!email) throw validationError(`not an email address: ${targetEmail}`);
    if (this.scope.isInternal(email))
      throw validationError(`${email} is a colleague's address: who-knows-whom is for external people`);
    const asOf = (asOfDate ?? this.scope.now).getTime();
    const { target, rows } = await this.target(email, asOf);
    const { allowed } = this.scope.allowedUsers(
      this.who.viewer,
      "who_knows_whom",
      rows.map((r) => r.userId),
    );
    const visible = rows.filter((r) => allowed.has(r.userId));
    await this.names(visible.map((r) => r.userId));
    const { current: ranked, dormant } = rankCurrentAndDormant(
      visible.map((r) => {
        const u = this.users.get(r.userId);
        return { userId: r.userId, name: u?.name ?? r.userId, email: u?.email ?? "", state: r.state };
      }),
      asOf,
      this.params,
      5,
      new Set([this.who.viewer.userId]),
    );
    const answer: WhoKnowsWhomAnswer = {
      target: {
        email,
        name: target.name,
        organisation: target.organisation,
        account: target.accountName,
      },
      asOf: new Date(asOf).toISOString(),
      introducers: ranked.map((i) => this.introducerView(i, target)),
      dormant: dormant.map((i) => this.dormantView(i, target)),
    };
    if (ranked.length === 0) {
      // Nobody has current direct evidence. With no dormant tie either: colleagues who only shared
      // bulk mail with the person (the weak tier, labelled as such). Then other ways in through
      // the organisation.
      if (dormant.length === 0) {
        const bulk = await this.bulkIntroducers(email, asOf);
        answer.introducers = bulk.map((i) => this.introducerView(i, target));
      }
      answer.alternatives = await this.alternatives(target, asOf);
    } else if (this.who.email !== null && ranked.every((i) => i.label === "weak")) {
      // Everyone who knows the target knows them only weakly: a warm path to one of them (through
      // a colleague the viewer knows well) is worth showing next to the list.
      const introPaths = await this.introPathsThrough(ranked, target, asOf);
      if (introPaths.length) answer.introPaths = introPaths;
    }
    return answer;
  }

  /**
   * Colleagues whose only evidence of the person is mail above the large-distribution cap, as of
   * `asOf`, visible to the viewer, in the documented order (`rankBulkIntroducers`). One read of the
   * person's stored interactions; asked only when nobody has direct evidence.
   */
  private async bulkIntroducers(email: string, asOf: number): Promise<Introducer[]> {
    const interactions = await interactionsWithAddresses(this.db, this.scope.tenantId, [email], {
      to: asOf + 1,
    });
    const byUser = new Map<string, { touches: Touch[]; largest: number }>();
    for (const i of interactions) {
      for (const t of bulkTouchesOfStored(i, this.options.noiseFilters)) {
        if (t.person !== email || t.touch.at > asOf) continue;
        const entry = byUser.get(t.userId) ?? { touches: [], largest: 0 };
        entry.touches.push(t.touch);
        entry.largest = Math.max(entry.largest, i.participantCount);
        byUser.set(t.userId, entry);
      }
    }
    if (byUser.size === 0) return [];
    const { allowed } = this.scope.allowedUsers(this.who.viewer, "who_knows_whom", [...byUser.keys()]);
    const visible = [...byUser.entries()].filter(([id]) => allowed.has(id));
    await this.names(visible.map(([id]) => id));
    const bulkParams = bulkEvidenceParams(this.params);
    return rankBulkIntroducers(
      visible.map(([userId, e]) => {
        const u = this.users.get(userId);
        return {
          userId,
          name: u?.name ?? userId,
          email: u?.email ?? "",
          state: buildPairState(e.touches, bulkParams, asOf),
          largestGroup: e.largest,
        };
      }),
      asOf,
      this.params,
      5,
      new Set([this.who.viewer.userId]),
    );
  }

  private dormantView(i: DormantIntroducer, target: TargetInfo): DormantIntroducerView {
    return { ...this.introducerView(i, target), strengthThen: i.peak.score, labelThen: i.peak.label };
  }

  private introducerView(i: Introducer, target: TargetInfo): IntroducerView {
    return {
      name: i.name,
      email: i.email,
      strength: i.score,
      label: i.label,
      evidence: i.evidence,
      lastInteraction: i.lastInteraction
        ? { date: isoDay(i.lastInteraction.at), type: i.lastInteraction.kind }
        : null,
      explanation: i.explanation,
      factors: i.strength.factors,
      introductionDraft: this.draft(
        {
          name: i.name,
          email: i.email,
          label: i.label,
          score: i.score,
          lastAt: i.lastInteraction?.at ?? null,
        },
        target,
        null,
      ),
    };
  }

  /** Colleagues who know others at the target's organisation, and paths to them from the viewer. */
  private async alternatives(
    target: TargetInfo,
    asOf: number,
  ): Promise<NonNullable<WhoKnowsWhomAnswer["alternatives"]>> {
    const accountIntroducers = await this.accountIntroducersFor(target, asOf, new Set([target.email]), 5);
    let introPaths: IntroPathView[] = [];
    if (this.who.email !== null && accountIntroducers.all.length > 0) {
      introPaths = await this.introPaths(accountIntroducers.all, target, asOf);
    }
    return {
      accountIntroducers: accountIntroducers.top.map(({ userId: _userId, ...rest }) => ({
        ...rest,
        introductionDraft: this.draft(
          {
            name: rest.name,
            email: rest.email,
            label: rest.label,
            score: rest.score,
            lastAt: rest.lastInteraction?.at ?? null,
          },
          target,
          null,
        ),
      })),
      introPaths,
    };
  }

  /** Account introducers for a target's organisation (or an account), over visible colleagues. */
  async accountIntroducersFor(
    target: Pick<TargetInfo, "accountDomains" | "accountName" | "organisation">,
    asOf: number,
    excludePeople: ReadonlySet<string>,
    limit: number,
  ): Promise<{ top: AccountIntroducer[]; all: { introducer: AccountIntroducer; bestState: PairState }[] }> {
    if (target.accountDomains.length === 0) return { top: [], all: [] };
    const people = (await peopleAtDomains(this.db, this.scope.tenantId, target.accountDomains)).filter(
      (p) => !excludePeople.has(p.address),
    );
    const names = new Map(people.map((p) => [p.address, p.name]));
    const rows = await this.statesAsOf(
      people.map((p) => p.address),
      asOf,
    );
    const { allowed } = this.scope.allowedUsers(
      this.who.viewer,
      "who_knows_whom",
      rows.map((r) => r.userId),
    );
    const byUser = new Map<string, PairRow[]>();
    for (const r of rows) {
      if (!allowed.has(r.userId)) continue;
      const list = byUser.get(r.userId) ?? [];
      list.push(r);
      byUser.set(r.userId, list);
    }
    await this.names([...byUser.keys()]);
    const candidates: AccountIntroducerCandidate[] = [...byUser.entries()].map(([userId, ties]) => {
      const u = this.users.get(userId);
      return {
        userId,
        name: u?.name ?? userId,
        email: u?.email ?? "",
        ties: ties.map((t) => ({
          personId: t.person,
          ...(names.get(t.person) ? { name: names.get(t.person) ?? t.person } : {}),
          state: t.state,
        })),
      };
    });
    const accountName = target.accountName ?? target.organisation ?? undefined;
    const options = {
      exclude: new Set([this.who.viewer.userId]),
      excludePeople,
      ...(accountName ? { accountName } : {}),
    };
    const all = rankAccountIntroducers(candidates, asOf, this.params, { ...options, limit: 50 });
    const best = (userId: string): PairState => {
      const ties = byUser.get(userId) ?? [];
      let top = ties[0]?.state;
      let topScore = -1;
      for (const t of ties) {
        const s = strengthRaw(t.state, asOf, this.params);
        if (s > topScore) {
          topScore = s;
          top = t.state;
        }
      }
      return top ?? ties[0]!.state;
    };
    return {
      top: all.slice(0, limit),
      all: all.map((introducer) => ({ introducer, bestState: best(introducer.userId) })),
    };
  }

  private async introPaths(
    via: { introducer: AccountIntroducer; bestState: PairState }[],
    target: TargetInfo,
    asOf: number,
  ): Promise<IntroPathView[]> {
    const introducers = via.flatMap(({ introducer, bestState }) =>
      rankIntroducers(
        [{ userId: introducer.userId, name: introducer.name, email: introducer.email, state: bestState }],
        asOf,
        this.params,
      ),
    );
    return this.introPathsThrough(introducers, target, asOf);
  }

  /** Internal states with either end in `userIds` (each once), from the reader's cache. */
  private async internalEdgesOf(userIds: readonly string[]): Promise<InternalEdge[]> {
    const wanted = [...new Set(userIds)];
    const missing = wanted.filter((id) => !this.internalEdges.has(id) && !this.loadingEdges.has(id));
    if (missing.length) {
      // Concurrent questions share one load per colleague (the API asks many at once).
      const load = (async () => {
        const lists = new Map(missing.map((id) => [id, [] as InternalEdge[]]));
        for (const e of await internalPairStates(this.db, this.scope.tenantId, missing)) {
          lists.get(e.userA)?.push(e);
          if (e.userB !== e.userA) lists.get(e.userB)?.push(e);
        }
        for (const [id, list] of lists) this.internalEdges.set(id, list);
      })();
      for (const id of missing) this.loadingEdges.set(id, load);
      try {
        await load;
      } finally {
        for (const id of missing) this.loadingEdges.delete(id);
      }
    }
    const pending = new Set(wanted.flatMap((id) => this.loadingEdges.get(id) ?? []));
    for (const p of pending) await p;
    const seen = new Set<InternalEdge>();
    for (const id of wanted) for (const e of this.internalEdges.get(id) ?? []) seen.add(e);
    return [...seen];
  }

  /** Paths from the viewer to `introducers` (direct, or through one colleague), each hop explained. */
  private async introPathsThrough(
    introducers: Introducer[],
    target: TargetInfo,
    asOf: number,
  ): Promise<IntroPathView[]> {
    const viewerId = this.who.viewer.userId;
    const introducerIds = new Set(introducers.map((i) => i.userId));
    const loaded = await this.internalEdgesOf([viewerId, ...introducers.map((i) => i.userId)]);
    // Only ties a path can use: the viewer's own, and an introducer's to one of the viewer's
    // colleagues (viewer → introducer, viewer → colleague → introducer).
    const neighbours = new Set<string>([viewerId]);
    for (const e of loaded) {
      if (e.userA === viewerId) neighbours.add(e.userB);
      else if (e.userB === viewerId) neighbours.add(e.userA);
    }
    const edges = loaded.filter(
      (e) =>
        e.userA === viewerId ||
        e.userB === viewerId ||
        (introducerIds.has(e.userA) && neighbours.has(e.userB)) ||
        (introducerIds.has(e.userB) && neighbours.has(e.userA)),
    );
    const endpointIds = [...new Set(edges.flatMap((e) => [e.userA, e.userB]))];
    const { allowed } = this.scope.allowedUsers(this.who.viewer, "who_knows_whom", endpointIds);
    allowed.add(viewerId);
    if (this.edgeScores.asOf !== asOf) this.edgeScores = { asOf, scores: new Map() };
    const scores = this.edgeScores.scores;
    const graph = new Map<string, Map<string, number>>();
    for (const e of edges) {
      if (!allowed.has(e.userA) || !allowed.has(e.userB)) continue;
      let s = scores.get(e);
      if (s === undefined) {
        s = Math.round(strengthRaw(e.state, asOf, this.params));
        scores.set(e, s);
      }
      if (s <= 0) continue;
      const row = graph.get(e.userA) ?? new Map<string, number>();
      row.set(e.userB, s);
      graph.set(e.userA, row);
    }
    await this.names(endpointIds);
    const names = new Map<string, string>();
    for (const id of endpointIds) {
      const u = this.users.get(id);
      if (u) names.set(id, u.name);
    }
    names.set(viewerId, this.who.name ?? "you");
    const paths: IntroPath[] = findIntroPaths(viewerId, introducers, graph, {
      limit: 3,
      names,
      targetId: target.accountName ?? target.organisation ?? "the account",
    });
    return paths.map((p) => ({
      via: [
        names.get(viewerId) ?? "you",
        ...p.hops.slice(0, -1).map((h) => names.get(h.to) ?? h.to),
        p.hops.at(-1)?.to ?? "",
      ],
      score: Math.round(p.score),
      hops: p.hops.map((h) => ({
        from: names.get(h.from) ?? h.from,
        to: names.get(h.to) ?? h.to,
        strength: Math.round(h.score),
        label: h.label,
        explanation: h.explanation,
      })),
    }));
  }
}

type InternalEdge = Awaited<ReturnType<typeof internalPairStates>>[number];

/**
 * People at an account's domains: at each domain or a subdomain of it, of the same organisation
 * (registrable domain; consumer providers never), e.g. `ca.pwcglobal.com` for `pwcglobal.com`.
 */
async function peopleAtDomains(db: Trx, tenantId: string, domains: readonly string[]) {
  const out = new Map<string, Awaited<ReturnType<typeof personsUnderDomain>>[number]>();
  for (const d of new Set(domains.map((x) => x.toLowerCase()))) {
    const org = organisationOfDomain(d, isPersonalDomain);
    if (org === null) continue;
    for (const p of await personsUnderDomain(db, tenantId, d)) {
      const inside = p.domain === d || p.domain.endsWith(`.${d}`);
      if (inside && organisationOfDomain(p.domain, isPersonalDomain) === org) out.set(p.address, p);
    }
  }
  return [...out.values()].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

function firstName(name: string): string {
  const n = name.trim();
  if (n.includes(",")) return (n.split(",")[1] ?? n).trim().split(/\s+/)[0] ?? n;
  return n.split(/\s+/)[0] ?? n;
}

/** Up to 5 colleagues who know `targetEmail`, strongest first, as seen by `viewerEmail` (null: the operator). */
export async function whoKnowsWhom(
  ctx: ServiceContext,
  tenantId: string,
  targetEmail: string,
  viewerEmail: string | null,
  asOf?: Date,
): Promise<WhoKnowsWhomAnswer> {
  const reader = await WhoKnowsWhomReader.open(ctx, tenantId, viewerEmail);
  return reader.ask(targetEmail, asOf);
}

export interface AccountIntroducersAnswer {
  account: { id: string | null; name: string; domains: string[] };
  asOf: string;
  introducers: Omit<AccountIntroducer, "userId">[];
}

/** Account view (SPEC §4.2): colleagues who know anyone at an account (a CRM account id or a domain). */
export async function accountIntroducers(
  ctx: ServiceContext,
  tenantId: string,
  accountIdOrDomain: string,
  viewerEmail: string | null,
  asOf?: Date,
): Promise<AccountIntroducersAnswer> {
  const reader = await WhoKnowsWhomReader.open(ctx, tenantId, viewerEmail);
  const domain = accountIdOrDomain.toLowerCase();
  // A domain names its organisation, the registrable domain (`ca.pwcglobal.com` → `pwcglobal.com`);
  // a consumer provider (`gmail.com`, `houston.rr.com`) is never one.
  const organisation = domain.includes(".") ? organisationOfDomain(domain, isPersonalDomain) : null;
  const account =
    (await findAccount(ctx.store.db, tenantId, accountIdOrDomain)) ??
    (organisation && organisation !== domain
      ? await findAccount(ctx.store.db, tenantId, organisation)
      : undefined);
  if (!account && organisation === null) throw notFound("account", accountIdOrDomain);
  const at = (asOf ?? ctx.now()).getTime();
  const target = account
    ? { accountDomains: account.domains, accountName: account.name, organisation: account.domains[0] ?? null }
    : { accountDomains: [organisation!], accountName: null, organisation };
  const { top } = await reader.accountIntroducersFor(target, at, new Set(), 10);
  return {
    account: {
      id: account?.id ?? null,
      name: account?.name ?? organisation ?? domain,
      domains: target.accountDomains,
    },
    asOf: new Date(at).toISOString(),
    introducers: top.map(({ userId: _userId, ...rest }) => rest),
  };
}
