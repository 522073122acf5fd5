/**
 * Account engagement (SPEC §4.5): de-identified aggregates per account and calendar period.
 *
 * Privacy design — no combination of calls may single out one colleague:
 * 1. Population: a dataset is built once from *all* consented users' activities
 *    (`buildEngagementDataset`, called by the service after the consent policy); queries take no
 *    user or people filter, so nobody can ask "with and without X".
 * 2. Periods: only fixed calendar cells — year, month, and the month's four "weeks" (days 1–7,
 *    8–14, 15–21, 22–end). They nest exactly (year = 12 months, month = 4 weeks); ISO weeks are
 *    deliberately not offered: they straddle months, and overlapping cells can be subtracted.
 *    Only closed periods (end ≤ now) are answered, so a cell does not change as time passes.
 * 3. k-threshold per figure and cell: a figure is released only if at least k = 5 distinct
 *    internal users stand behind it; otherwise `{ value: null, reason: "suppressed" }` — never
 *    rounded, never "<5".
 * 4. Complementary suppression: a parent cell minus its released children reveals the sum of the
 *    suppressed children. A parent is released only if the users behind that derivable remainder
 *    are none or at least k; otherwise the parent is suppressed too.
 * 5. Optional differential privacy: discrete Laplace noise on the count figures, each user's
 *    contribution to a cell bounded, every query paid for from a per-tenant ε ledger.
 * Limits (documented, not solved here): a figure recomputed after one user opts out differs by
 * that user's contribution (noise is the remedy); averages, the engagement score and recency are
 * protected by thresholds and suppression, not by noise.
 */
import type { Rng } from "./rng";
import { dayMs } from "./time";

export const minGroupSize = 5;

export interface EngagementActivity {
  kind: "email" | "meeting";
  at: number;
  accountId: string;
  /** Consented internal users on the activity (sender, recipients, attendees). */
  internalUserIds: readonly string[];
  /** People at the account on the activity (normalised addresses). */
  externalPeople: readonly string[];
  initiatedBy: "ours" | "theirs";
  durationMin?: number | null;
  /** For an email that is a first response (threads.ts): hours since the turn it answers. */
  replyHours?: number | null;
}

declare const datasetBrand: unique symbol;

/** All consented users' engagement activities, grouped by account. Build with buildEngagementDataset. */
export interface EngagementDataset {
  readonly [datasetBrand]: true;
  readonly byAccount: ReadonlyMap<string, readonly EngagementActivity[]>;
}

/**
 * Contract: `consentedActivities` are the activities of *every* user whose data may be used for
 * aggregated insights — never a chosen subset. This is the only constructor.
 */
export function buildEngagementDataset(consentedActivities: Iterable<EngagementActivity>): EngagementDataset {
  const byAccount = new Map<string, EngagementActivity[]>();
  for (const a of consentedActivities) {
    if (!Number.isFinite(a.at)) continue;
    const list = byAccount.get(a.accountId);
    if (list) list.push(a);
    else byAccount.set(a.accountId, [a]);
  }
  return { byAccount } as unknown as EngagementDataset;
}

// ---------------------------------------------------------------------------------------------
// Periods

export type EngagementPeriod =
  | { unit: "year"; year: number }
  | { unit: "month"; year: number; month: number }
  | { unit: "week"; year: number; month: number; week: 1 | 2 | 3 | 4 };

type WeekCell = { unit: "week"; year: number; month: number; week: 1 | 2 | 3 | 4 };
type MonthCell = { unit: "month"; year: number; month: number };

export function checkPeriod(p: EngagementPeriod): string | null {
  if (!Number.isInteger(p.year) || p.year < 1970 || p.year > 9999)
    return "year must be a whole number 1970–9999";
  if (p.unit === "year") return null;
  if (!Number.isInteger(p.month) || p.month < 1 || p.month > 12) return "month must be 1–12";
  if (p.unit === "month") return null;
  if (![1, 2, 3, 4].includes(p.week)) return "week must be 1–4 (days 1–7, 8–14, 15–21, 22–end of the month)";
  return null;
}

/** [start, end) in epoch ms, UTC. */
export function periodBounds(p: EngagementPeriod): { start: number; end: number } {
  if (p.unit === "year") return { start: Date.UTC(p.year, 0, 1), end: Date.UTC(p.year + 1, 0, 1) };
  const monthStart = Date.UTC(p.year, p.month - 1, 1);
  const monthEnd = Date.UTC(p.year, p.month, 1);
  if (p.unit === "month") return { start: monthStart, end: monthEnd };
  const start = monthStart + (p.week - 1) * 7 * dayMs;
  return { start, end: p.week === 4 ? monthEnd : start + 7 * dayMs };
}

function monthsOf(p: EngagementPeriod): MonthCell[] {
  if (p.unit === "year")
    return Array.from({ length: 12 }, (_, i) => ({ unit: "month", year: p.year, month: i + 1 }));
  return [{ unit: "month", year: p.year, month: p.month }];
}

function weeksOf(m: MonthCell): WeekCell[] {
  return ([1, 2, 3, 4] as const).map((week) => ({ unit: "week", year: m.year, month: m.month, week }));
}

const weekKey = (w: WeekCell): string => `${w.year}-${w.month}-${w.week}`;

function weekKeyOf(at: number): string {
  const d = new Date(at);
  const week = Math.min(4, Math.floor((d.getUTCDate() - 1) / 7) + 1);
  return `${d.getUTCFullYear()}-${d.getUTCMonth() + 1}-${week}`;
}

// ---------------------------------------------------------------------------------------------
// Figures and release

export type Figure =
  { value: number; noised: boolean } | { value: null; reason: "suppressed" | "no_peers" | "no_data" };

const suppressed: Figure = Object.freeze({ value: null, reason: "suppressed" });

export const figureNames = [
  "emailsToAccount",
  "emailsFromAccount",
  "meetingsInitiatedByUs",
  "meetingsInitiatedByThem",
  "ourPeopleInvolved",
  "theirPeopleInvolved",
  "averageMeetingMinutes",
  "averageReplyHoursByUs",
  "averageReplyHoursByThem",
] as const;
export type FigureName = (typeof figureNames)[number];

/** The activities behind each figure; the users behind a figure are their internal users. */
const selectors: Record<FigureName | "activity", (a: EngagementActivity) => boolean> = {
  emailsToAccount: (a) => a.kind === "email" && a.initiatedBy === "ours",
  emailsFromAccount: (a) => a.kind === "email" && a.initiatedBy === "theirs",
  meetingsInitiatedByUs: (a) => a.kind === "meeting" && a.initiatedBy === "ours",
  meetingsInitiatedByThem: (a) => a.kind === "meeting" && a.initiatedBy === "theirs",
  ourPeopleInvolved: () => true,
  theirPeopleInvolved: () => true,
  averageMeetingMinutes: (a) =>
    a.kind === "meeting" && a.durationMin != null && Number.isFinite(a.durationMin),
  averageReplyHoursByUs: (a) =>
    a.kind === "email" && a.initiatedBy === "ours" && a.replyHours != null && Number.isFinite(a.replyHours),
  averageReplyHoursByThem: (a) =>
    a.kind === "email" && a.initiatedBy === "theirs" && a.replyHours != null && Number.isFinite(a.replyHours),
  activity: () => true,
};

/** Figures that are counts, and get noise when noise is on. */
const countFigures: readonly FigureName[] = [
  "emailsToAccount",
  "emailsFromAccount",
  "meetingsInitiatedByUs",
  "meetingsInitiatedByThem",
  "ourPeopleInvolved",
  "theirPeopleInvolved",
];

type Buckets = ReadonlyMap<string, readonly EngagementActivity[]>;

function usersIn(
  buckets: Buckets,
  weeks: readonly WeekCell[],
  select: (a: EngagementActivity) => boolean,
): Set<string> {
  const users = new Set<string>();
  for (const w of weeks) {
    for (const a of buckets.get(weekKey(w)) ?? [])
      if (select(a)) for (const u of a.internalUserIds) users.add(u);
  }
  return users;
}

const safeCount = (n: number, k: number): boolean => n === 0 || n >= k;

/**
 * Primary plus complementary suppression for one figure of one cell (see the module comment).
 * `hidden` collects the weeks whose sum an attacker could derive from this cell and the released
 * cells below it.
 */
function isReleased(
  period: EngagementPeriod,
  buckets: Buckets,
  select: (a: EngagementActivity) => boolean,
  k: number,
): boolean {
  if (period.unit === "week") return usersIn(buckets, [period], select).size >= k;
  const months = monthsOf(period);
  const allWeeks = months.flatMap(weeksOf);
  if (usersIn(buckets, allWeeks, select).size < k) return false;
  const hiddenWeeks: WeekCell[] = [];
  for (const m of months) {
    if (period.unit === "year" && isReleased(m, buckets, select, k)) continue;
    for (const w of weeksOf(m)) if (usersIn(buckets, [w], select).size < k) hiddenWeeks.push(w);
  }
  return safeCount(usersIn(buckets, hiddenWeeks, select).size, k);
}

function bucketByWeek(
  activities: readonly EngagementActivity[],
  start: number,
  end: number,
): Map<string, EngagementActivity[]> {
  const buckets = new Map<string, EngagementActivity[]>();
  for (const a of activities) {
    if (a.at < start || a.at >= end) continue;
    const key = weekKeyOf(a.at);
    const list = buckets.get(key);
    if (list) list.push(a);
    else buckets.set(key, [a]);
  }
  return buckets;
}

function exactValue(name: FigureName, acts: readonly EngagementActivity[]): number | null {
  const chosen = acts.filter(selectors[name]);
  switch (name) {
    case "emailsToAccount":
    case "emailsFromAccount":
    case "meetingsInitiatedByUs":
    case "meetingsInitiatedByThem":
      return chosen.length;
    case "ourPeopleInvolved":
      return new Set(chosen.flatMap((a) => a.internalUserIds)).size;
    case "theirPeopleInvolved":
      return new Set(chosen.flatMap((a) => a.externalPeople)).size;
    case "averageMeetingMinutes":
      return chosen.length === 0
        ? null
        : chosen.reduce((s, a) => s + (a.durationMin ?? 0), 0) / chosen.length;
    case "averageReplyHoursByUs":
    case "averageReplyHoursByThem":
      return chosen.length === 0 ? null : chosen.reduce((s, a) => s + (a.replyHours ?? 0), 0) / chosen.length;
  }
}

/** Engagement mass used to compare accounts: emails both ways plus three per meeting. */
function engagementMass(acts: readonly EngagementActivity[]): number {
  let mass = 0;
  for (const a of acts) mass += a.kind === "meeting" ? 3 : 1;
  return mass;
}

// ---------------------------------------------------------------------------------------------
// Differential privacy

/**
 * One draw of discrete Laplace (two-sided geometric) noise with P(x) ∝ exp(−|x|/scale), as the
 * difference of two geometric variables. `rng` returns [0, 1).
 */
export function sampleDiscreteLaplace(scale: number, rng: Rng): number {
  if (!(scale > 0)) return 0;
  const p = Math.exp(-1 / scale);
  const geometric = () => Math.floor(Math.log(1 - rng()) / Math.log(p));
  return geometric() - geometric() + 0;
}

export interface EpsilonLedger {
  readonly budget: number;
  readonly spent: number;
  readonly entries: readonly { label: string; cost: number }[];
}

export function createEpsilonLedger(budget: number): EpsilonLedger {
  if (!(Number.isFinite(budget) && budget > 0))
    throw new RangeError("the ε budget must be a positive number");
  return { budget, spent: 0, entries: [] };
}

export type SpendResult =
  | { ok: true; ledger: EpsilonLedger }
  | { ok: false; reason: "budget_exhausted" | "invalid_cost"; ledger: EpsilonLedger };

/** A new ledger with `cost` spent, or a refusal (the given ledger unchanged) when it does not fit. */
export function spendEpsilon(ledger: EpsilonLedger, cost: number, label: string): SpendResult {
  if (!(Number.isFinite(cost) && cost > 0)) return { ok: false, reason: "invalid_cost", ledger };
  if (ledger.spent + cost > ledger.budget + 1e-12) return { ok: false, reason: "budget_exhausted", ledger };
  return {
    ok: true,
    ledger: {
      budget: ledger.budget,
      spent: ledger.spent + cost,
      entries: [...ledger.entries, { label, cost }],
    },
  };
}

export interface NoiseOptions {
  /** ε spent by one query (split evenly over the count figures). */
  epsilon: number;
  rng: Rng;
  ledger: EpsilonLedger;
  /** Each user contributes at most this many activities to a cell (bounds the sensitivity). */
  maxContributionPerUser?: number;
}

/**
 * Keeps activities in time order while every internal user on them is under the cap: the
 * sensitivity of each count to one user is then at most `cap`.
 */
function boundContributions(acts: readonly EngagementActivity[], cap: number): EngagementActivity[] {
  const used = new Map<string, number>();
  const kept: EngagementActivity[] = [];
  for (const a of [...acts].sort((x, y) => x.at - y.at)) {
    if (a.internalUserIds.some((u) => (used.get(u) ?? 0) >= cap)) continue;
    for (const u of a.internalUserIds) used.set(u, (used.get(u) ?? 0) + 1);
    kept.push(a);
  }
  return kept;
}

// ---------------------------------------------------------------------------------------------
// Query

export interface AccountEngagement {
  accountId: string;
  period: EngagementPeriod;
  figures: Record<FigureName, Figure>;
  /** 0–100: share of the tenant's other accounts (released in this period) with less engagement. */
  engagementScore: Figure;
  /** Month (YYYY-MM) of the first releasable month of engagement, up to this period's end. */
  firstEngagement: { value: string } | { value: null; reason: "suppressed" };
  /**
   * k-anonymous recency at the period's end: days since the k-th most recent colleague's last
   * email (meeting) with the account, i.e. "at least k of our people in the last N days".
   */
  daysSinceLastEmail: Figure;
  daysSinceLastMeeting: Figure;
}

export type EngagementQueryResult =
  | { ok: true; engagement: AccountEngagement; ledger: EpsilonLedger | null }
  | {
      ok: false;
      reason: "invalid_period" | "period_not_closed" | "budget_exhausted";
      detail: string;
      ledger: EpsilonLedger | null;
    };

export interface EngagementQueryOptions {
  /** Minimum group size; may be raised above 5, never lowered. */
  k?: number;
  noise?: NoiseOptions;
}

/** The only read: one account, one closed calendar cell, all consented users. */
export function queryAccountEngagement(
  dataset: EngagementDataset,
  accountId: string,
  period: EngagementPeriod,
  now: number,
  options: EngagementQueryOptions = {},
): EngagementQueryResult {
  const k = Math.max(minGroupSize, Math.floor(options.k ?? minGroupSize));
  const noise = options.noise ?? null;
  const problem = checkPeriod(period);
  if (problem !== null)
    return { ok: false, reason: "invalid_period", detail: problem, ledger: noise?.ledger ?? null };
  const { start, end } = periodBounds(period);
  if (end > now) {
    return {
      ok: false,
      reason: "period_not_closed",
      detail: "only closed periods are answered",
      ledger: noise?.ledger ?? null,
    };
  }
  let ledger: EpsilonLedger | null = null;
  if (noise) {
    const spend = spendEpsilon(
      noise.ledger,
      noise.epsilon,
      `engagement ${accountId} ${describePeriod(period)}`,
    );
    if (!spend.ok) {
      return {
        ok: false,
        reason: "budget_exhausted",
        detail: `ε budget ${noise.ledger.budget} spent`,
        ledger: spend.ledger,
      };
    }
    ledger = spend.ledger;
  }

  const all = dataset.byAccount.get(accountId) ?? [];
  const releaseSpan = periodBounds({ unit: "year", year: period.year });
  const buckets = bucketByWeek(all, releaseSpan.start, releaseSpan.end);
  const inPeriod = all.filter((a) => a.at >= start && a.at < end);
  const counted = noise ? boundContributions(inPeriod, noise.maxContributionPerUser ?? 20) : inPeriod;
  const perFigureScale = noise
    ? ((noise.maxContributionPerUser ?? 20) * countFigures.length) / noise.epsilon
    : 0;

  const figures = {} as Record<FigureName, Figure>;
  for (const name of figureNames) {
    if (!isReleased(period, buckets, selectors[name], k)) {
      figures[name] = suppressed;
      continue;
    }
    const exact = exactValue(name, counted);
    if (exact === null) {
      figures[name] = { value: null, reason: "no_data" };
    } else if (noise && countFigures.includes(name)) {
      figures[name] = {
        value: Math.max(0, exact + sampleDiscreteLaplace(perFigureScale, noise.rng)),
        noised: true,
      };
    } else {
      figures[name] = { value: exact, noised: false };
    }
  }

  return {
    ok: true,
    ledger,
    engagement: {
      accountId,
      period,
      figures,
      engagementScore: engagementScore(dataset, accountId, period, k),
      firstEngagement: firstEngagement(all, end, k),
      daysSinceLastEmail: kthRecency(all, end, k, "email"),
      daysSinceLastMeeting: kthRecency(all, end, k, "meeting"),
    },
  };
}

export function describePeriod(p: EngagementPeriod): string {
  const mm = (m: number) => String(m).padStart(2, "0");
  if (p.unit === "year") return `${p.year}`;
  if (p.unit === "month") return `${p.year}-${mm(p.month)}`;
  return `${p.year}-${mm(p.month)} week ${p.week}`;
}

function releasedMass(
  dataset: EngagementDataset,
  accountId: string,
  period: EngagementPeriod,
  k: number,
): number | null {
  const all = dataset.byAccount.get(accountId) ?? [];
  const year = periodBounds({ unit: "year", year: period.year });
  const buckets = bucketByWeek(all, year.start, year.end);
  if (!isReleased(period, buckets, selectors.activity, k)) return null;
  const { start, end } = periodBounds(period);
  return engagementMass(all.filter((a) => a.at >= start && a.at < end));
}

/** Percentile rank among the other accounts whose engagement is released in the same period. */
function engagementScore(
  dataset: EngagementDataset,
  accountId: string,
  period: EngagementPeriod,
  k: number,
): Figure {
  const mine = releasedMass(dataset, accountId, period, k);
  if (mine === null) return suppressed;
  let below = 0;
  let ties = 0;
  let peers = 0;
  for (const other of [...dataset.byAccount.keys()].sort()) {
    if (other === accountId) continue;
    const theirs = releasedMass(dataset, other, period, k);
    if (theirs === null) continue;
    peers += 1;
    if (theirs < mine) below += 1;
    else if (theirs === mine) ties += 1;
  }
  if (peers === 0) return { value: null, reason: "no_peers" };
  return { value: Math.round((100 * (below + 0.5 * ties)) / peers), noised: false };
}

function firstEngagement(
  all: readonly EngagementActivity[],
  end: number,
  k: number,
): { value: string } | { value: null; reason: "suppressed" } {
  const before = all.filter((a) => a.at < end);
  if (before.length === 0) return { value: null, reason: "suppressed" };
  const earliest = new Date(Math.min(...before.map((a) => a.at)));
  let year = earliest.getUTCFullYear();
  let month = earliest.getUTCMonth() + 1;
  let buckets = bucketByWeek(before, Date.UTC(year, 0, 1), Date.UTC(year + 1, 0, 1));
  for (;;) {
    const cell: MonthCell = { unit: "month", year, month };
    if (periodBounds(cell).end > end) return { value: null, reason: "suppressed" };
    if (isReleased(cell, buckets, selectors.activity, k)) {
      return { value: `${year}-${String(month).padStart(2, "0")}` };
    }
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
      buckets = bucketByWeek(before, Date.UTC(year, 0, 1), Date.UTC(year + 1, 0, 1));
    }
  }
}

function kthRecency(
  all: readonly EngagementActivity[],
  end: number,
  k: number,
  kind: "email" | "meeting",
): Figure {
  const lastByUser = new Map<string, number>();
  for (const a of all) {
    if (a.kind !== kind || a.at >= end) continue;
    for (const u of a.internalUserIds) lastByUser.set(u, Math.max(lastByUser.get(u) ?? -Infinity, a.at));
  }
  if (lastByUser.size < k) return suppressed;
  const kth = [...lastByUser.values()].sort((a, b) => b - a)[k - 1];
  if (kth === undefined) return suppressed;
  return { value: Math.floor((end - kth) / dayMs), noised: false };
}
