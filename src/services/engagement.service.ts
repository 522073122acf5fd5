/**
 * Account engagement (SPEC §4.5): differentially private releases, one per (tenant, account,
 * period), served to every viewer until they expire.
 *
 * - A question whose release is current is answered from the stored release: the same numbers
 *   for every viewer, however often it is asked, and no ε spent. An opt-out therefore changes
 *   nothing that was published; the cell's next release (if it is ever refreshed) has fresh noise.
 * - Otherwise the dataset is built from every consented colleague's interactions (never a
 *   caller-chosen subset), measured with bounded contributions, noised from `node:crypto`, and
 *   stored together with the ε it spends, in one transaction under the tenant's ledger lock.
 * - A release expires after `refreshDays` until its cell settles (`releaseExpiry`), then is kept
 *   for good: a cell gets a handful of releases at most, which bounds averaging over fresh noise
 *   even before the budget does.
 * - Budget spent: an expired release is still served (marked stale); a cell never released is
 *   refused. Exact figures are never a fallback.
 */
import { randomInt } from "node:crypto";
import type { Viewer } from "../domain/consent-policy";
import { KithError, notFound, validationError } from "../domain/errors";
import { organisationDomain } from "../domain/identity";
import {
  buildEngagementDataset,
  canSpend,
  checkPeriod,
  measureEngagement,
  microPerEpsilon,
  periodBounds,
  periodKey,
  releaseEngagement,
  releaseExpiry,
  remainingMicro,
  scoreAmongPeers,
  type EngagementActivity,
  type EngagementMeasurement,
  type EngagementPeriod,
  type Figure,
  type FigureName,
  type PrivacyLedger,
} from "../insights/engagement";
import {
  hasPeopleAt,
  listPeerMasses,
  lockPrivacyLedger,
  readPrivacyLedger,
  readRelease,
  recordRelease,
  type StoredRelease,
} from "../store/engagement.repository";
import { accountDomainMap, findAccount } from "../store/insight.repository";
import { iterateInteractions } from "../store/interaction-read.repository";
import type { Trx } from "../store/store";
import type { ServiceContext } from "./context";
import { AccessScope } from "./insight-access";

/** A new tenant's ledger: ε 100 in all, ε 2 per release (50 releases). */
export const defaultPrivacyLedger: PrivacyLedger = Object.freeze({
  budgetMicro: 100 * microPerEpsilon,
  releaseEpsilonMicro: 2 * microPerEpsilon,
  spentMicro: 0,
  releases: 0,
});

/** Above this, one release's noise is too small to protect anyone. */
export const maxReleaseEpsilon = 10;

/** `week:2001-05-2`, `month:2001-05`, `year:2001`. */
export function parsePeriod(text: string): EngagementPeriod {
  const m = /^(week|month|year):(\d{4})(?:-(\d{1,2}))?(?:-(\d))?$/.exec(text.trim());
  if (!m) throw validationError(`period "${text}": use year:YYYY, month:YYYY-MM or week:YYYY-MM-W (W 1–4)`);
  const [, unit, y, mo, w] = m;
  const year = Number(y);
  if (unit === "year") return { unit: "year", year };
  if (!mo) throw validationError(`period "${text}" needs a month`);
  if (unit === "month") return { unit: "month", year, month: Number(mo) };
  if (!w) throw validationError(`period "${text}" needs a week 1–4`);
  return { unit: "week", year, month: Number(mo), week: Number(w) as 1 | 2 | 3 | 4 };
}

/** ε for one release, in millionths; 0, negative, non-numbers and "off" are refused. */
export function parseReleaseEpsilon(value: number): number {
  if (!(Number.isFinite(value) && value > 0 && value <= maxReleaseEpsilon))
    throw validationError(
      `ε ${String(value)}: a release's ε must be above 0 and at most ${maxReleaseEpsilon} (noise cannot be turned off)`,
    );
  return Math.max(1, Math.round(value * microPerEpsilon));
}

export interface PrivacyBudgetView {
  epsilonBudget: number;
  epsilonSpent: number;
  epsilonRemaining: number;
  /** ε a release spends unless another is chosen. */
  releaseEpsilon: number;
  releases: number;
}

export interface EngagementAnswer {
  account: { id: string; name: string };
  engagement: {
    accountId: string;
    period: string;
    figures: Record<FigureName, Figure>;
    engagementScore: Figure;
  };
  release: {
    /** 1 for the cell's first release, then +1 for each fresh one. */
    generation: number;
    releasedAt: string;
    /** When a fresh release may be made; null: this one is kept for good. */
    expiresAt: string | null;
    epsilon: number;
    /** This question made the release (and spent its ε). */
    fresh: boolean;
    /** Expired, but served because the budget cannot pay for a fresh one. */
    stale: boolean;
  };
  privacyBudget: PrivacyBudgetView;
}

const toEpsilon = (micro: number) => micro / microPerEpsilon;

export function describeBudget(ledger: PrivacyLedger): PrivacyBudgetView {
  return {
    epsilonBudget: toEpsilon(ledger.budgetMicro),
    epsilonSpent: toEpsilon(ledger.spentMicro),
    epsilonRemaining: toEpsilon(remainingMicro(ledger)),
    releaseEpsilon: toEpsilon(ledger.releaseEpsilonMicro),
    releases: ledger.releases,
  };
}

/**
 * Engagement of one account in one closed period. Accounts are CRM accounts (by id or domain);
 * a domain no account lists stands for its own organisation (personal providers never do).
 * `epsilon` chooses the ε of a fresh release (default: the tenant's); a current release is
 * served as it is.
 */
export async function accountEngagement(
  ctx: ServiceContext,
  tenantId: string,
  accountKey: string,
  period: EngagementPeriod,
  viewerEmail: string | null,
  options: { epsilon?: number } = {},
): Promise<EngagementAnswer> {
  const problem = checkPeriod(period);
  if (problem !== null) throw validationError(`period: ${problem}`);
  const requestedMicro = options.epsilon === undefined ? null : parseReleaseEpsilon(options.epsilon);
  const db = ctx.store.db;
  const now = ctx.now();
  const key = periodKey(period);
  if (periodBounds(period).end > now.getTime())
    throw validationError(`period ${key} is not over yet: only closed periods are answered`);
  const scope = await AccessScope.load(db, tenantId, now);
  const who = await scope.resolveViewer(db, viewerEmail, "account_engagement");
  scope.requireAccess(who.viewer, "account_engagement");
  const account = await findAccount(db, tenantId, accountKey);
  const domain = accountKey.trim().toLowerCase();
  if (!account && !organisationDomain(`x@${domain}`))
    throw validationError(`${accountKey} is neither an account nor an organisation domain`);
  // An organisation nobody at the tenant has mail with is not an account with nothing to show.
  if (!account && !(await hasPeopleAt(db, tenantId, domain)))
    throw notFound("account or organisation", accountKey);
  const accountId = account?.id ?? domain;
  const named = { id: accountId, name: account?.name ?? domain };

  const current = await readRelease(db, tenantId, accountId, key);
  if (current && isCurrent(current, now))
    return answerFrom(named, current, await readPrivacyLedger(db, tenantId, defaultPrivacyLedger), false);

  const measurement = await measureAccount(db, scope, who.viewer, tenantId, accountId, period);
  return ctx.store.transaction(async (trx) => {
    const ledger = await lockPrivacyLedger(trx, ctx.store.engine, tenantId, defaultPrivacyLedger, now);
    // Another request may have released this cell while we measured.
    const latest = await readRelease(trx, tenantId, accountId, key);
    if (latest && isCurrent(latest, now)) return answerFrom(named, latest, ledger, false);
    const epsilonMicro = requestedMicro ?? ledger.releaseEpsilonMicro;
    if (!canSpend(ledger, epsilonMicro)) {
      if (latest) return answerFrom(named, latest, ledger, false, true);
      throw budgetExhausted(named.name, key, ledger, epsilonMicro);
    }
    const release = makeRelease(measurement, {
      accountId,
      period,
      key,
      now,
      epsilonMicro,
      previous: latest,
      peers: await listPeerMasses(trx, tenantId, key, accountId),
      collectingSince: collectingSince(scope),
    });
    const spent = await recordRelease(trx, tenantId, release, ledger);
    return answerFrom(named, release, spent, true);
  });
}

function isCurrent(release: StoredRelease, now: Date): boolean {
  return release.expiresAt === null || now.getTime() < release.expiresAt.getTime();
}

function makeRelease(
  measurement: EngagementMeasurement,
  input: {
    accountId: string;
    period: EngagementPeriod;
    key: string;
    now: Date;
    epsilonMicro: number;
    previous: StoredRelease | null;
    peers: number[];
    collectingSince: number | null;
  },
): StoredRelease {
  const noised = releaseEngagement(measurement, {
    epsilonMicro: input.epsilonMicro,
    random: (bound) => randomInt(bound),
    publishedBefore: new Set(input.previous?.published ?? []),
  });
  const expiresAt = releaseExpiry(input.period, input.now.getTime(), input.collectingSince);
  return {
    accountId: input.accountId,
    period: input.key,
    generation: (input.previous?.generation ?? 0) + 1,
    releasedAt: input.now,
    expiresAt: expiresAt === null ? null : new Date(expiresAt),
    epsilonMicro: input.epsilonMicro,
    figures: noised.figures,
    // Ranked against peers as released now, and kept with the release: asking again returns it.
    engagementScore: scoreAmongPeers(noised.mass, input.peers),
    published: noised.published,
    mass: noised.mass,
  };
}

/** Since when the tenant has collected under its current consent (backfills land after that). */
function collectingSince(scope: AccessScope): number | null {
  const times = [scope.consent.consents.aggregated, scope.consent.consents.identifiable].flatMap((c) =>
    c.granted && c.changedAt !== null ? [c.changedAt.getTime()] : [],
  );
  return times.length ? Math.min(...times) : null;
}

function answerFrom(
  account: { id: string; name: string },
  release: StoredRelease,
  ledger: PrivacyLedger,
  fresh: boolean,
  stale = false,
): EngagementAnswer {
  return {
    account,
    engagement: {
      accountId: release.accountId,
      period: release.period,
      figures: release.figures,
      engagementScore: release.engagementScore,
    },
    release: {
      generation: release.generation,
      releasedAt: release.releasedAt.toISOString(),
      expiresAt: release.expiresAt?.toISOString() ?? null,
      epsilon: toEpsilon(release.epsilonMicro),
      fresh,
      stale,
    },
    privacyBudget: describeBudget(ledger),
  };
}

function budgetExhausted(account: string, key: string, ledger: PrivacyLedger, costMicro: number): KithError {
  const budget = describeBudget(ledger);
  return new KithError(
    "conflict",
    `account engagement of ${account} for ${key} has never been released, and the tenant's privacy budget cannot pay for a release (ε ${budget.epsilonSpent} of ${budget.epsilonBudget} spent, a release costs ε ${toEpsilon(costMicro)}); figures are never shown without noise`,
    { reason: "privacy_budget_exhausted", ...budget, epsilonRequired: toEpsilon(costMicro) },
  );
}

/**
 * The clipped, exact figures of one cell from every consented colleague's interactions. Only
 * `releaseEngagement` turns them into something shown.
 */
async function measureAccount(
  db: Trx,
  scope: AccessScope,
  viewer: Viewer,
  tenantId: string,
  accountId: string,
  period: EngagementPeriod,
): Promise<EngagementMeasurement> {
  const { start, end } = periodBounds(period);
  const domains = await accountDomainMap(db, tenantId);
  const accountOf = (address: string): string | null => {
    const d = organisationDomain(address);
    if (d === null || scope.isInternal(address)) return null;
    return domains.get(d) ?? d;
  };
  type Party = { address: string; userId: string | null };
  const raw: {
    id: string;
    kind: "email" | "meeting";
    at: number;
    users: string[];
    people: string[];
    sender?: Party;
  }[] = [];
  const users = new Set<string>();
  for await (const i of iterateInteractions(db, tenantId)) {
    if (i.internalOnly || i.occurredAt < start || i.occurredAt >= end) continue;
    const people = [
      ...new Set(
        i.parties.filter((p) => !p.userId && accountOf(p.address) === accountId).map((p) => p.address),
      ),
    ];
    if (people.length === 0) continue;
    const internal = [...new Set(i.parties.flatMap((p) => (p.userId ? [p.userId] : [])))];
    for (const u of internal) users.add(u);
    raw.push({
      id: i.id,
      kind: i.kind,
      at: i.occurredAt,
      users: internal,
      people,
      sender: i.parties.find((p) => p.role === "from" || p.role === "organizer"),
    });
  }
  // All consented colleagues: the population never depends on the viewer.
  const { allowed } = scope.allowedUsers(viewer, "account_engagement", [...users]);
  const activities: EngagementActivity[] = [];
  for (const r of raw) {
    const internalUserIds = r.users.filter((u) => allowed.has(u));
    if (internalUserIds.length === 0) continue;
    const senderId = r.sender?.userId ?? null;
    const initiator: EngagementActivity["initiator"] =
      senderId !== null
        ? allowed.has(senderId)
          ? { side: "ours", userId: senderId }
          : null
        : r.sender && accountOf(r.sender.address) === accountId
          ? { side: "theirs" }
          : null;
    activities.push({
      id: r.id,
      kind: r.kind,
      at: r.at,
      accountId,
      internalUserIds,
      externalPeople: r.people,
      initiator,
    });
  }
  return measureEngagement(buildEngagementDataset(activities), accountId, period);
}
