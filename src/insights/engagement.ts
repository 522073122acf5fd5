/**
 * Account engagement (SPEC §4.5): de-identified, differentially private aggregates per account and
 * closed calendar period.
 *
 * k-thresholds alone do not stop differencing: the same query before and after one colleague opts
 * out gave that colleague's exact counts. So every released figure is noised, and the service
 * answers repeated questions from a stored release instead of drawing new noise. The parts:
 *
 * 1. Population: a dataset is built once from *all* consented users' activities
 *    (`buildEngagementDataset`); queries take no user or people filter.
 * 2. Periods: fixed calendar cells only — year, month, and the month's four "weeks" (days 1–7,
 *    8–14, 15–21, 22–end), answered once closed.
 * 3. Bounded contribution (`measureEngagement`): each colleague counts for at most a fixed number
 *    of activities (and external people) per cell, chosen so that removing one colleague from the
 *    data changes each count by at most its sensitivity (`figureSensitivity`), whoever else is on
 *    the same mail. Counting never looks at other colleagues' caps, so one removal cannot cascade.
 * 4. Noise (`releaseEngagement`): exact discrete Laplace noise per figure, scale = sensitivity /
 *    (its share of the release's ε), so one release is ε-differentially private for each
 *    colleague's data in the cell (sequential composition over the figures). Values are clamped
 *    at 0 (post-processing, no privacy cost).
 * 5. k = 5: a figure is published only if at least k distinct colleagues stand behind it. The
 *    decision is sticky: once a figure has been published for a cell, later releases of that cell
 *    publish it too, so an opt-out never turns a figure into "suppressed" (that flip would tell
 *    who left). A suppressed figure is published once enough colleagues join.
 * 6. Engagement score: this account's noisy engagement mass ranked against other accounts' stored
 *    releases for the same period — post-processing of released numbers, no exact data.
 *
 * Not released: first engagement, days since the last email/meeting, average meeting length and
 * reply times. They are order statistics or means over a handful of people: exact, one opt-out
 * moves them (differencing again); noised within a release's ε, the noise would swamp them (one
 * colleague can move a meeting-minutes sum by hours).
 */
import {
  discreteLaplaceSd,
  sampleDiscreteLaplace,
  type NoiseScale,
  type RandomInt,
} from "./discrete-laplace";
import { dayMs } from "./time";

export const minGroupSize = 5;

export interface EngagementActivity {
  /** Stable id (the interaction's): orders activities at the same instant. */
  id: string;
  kind: "email" | "meeting";
  at: number;
  accountId: string;
  /** Consented internal users on the activity (sender, recipients, attendees), each once. */
  internalUserIds: readonly string[];
  /** People at the account on the activity (normalised addresses). */
  externalPeople: readonly string[];
  /**
   * Who sent or organised it: a colleague, someone at the account, or neither known (another
   * organisation, or a sender whose data has since been deleted).
   */
  initiator: { side: "ours"; userId: string } | { side: "theirs" } | null;
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
  for (const list of byAccount.values()) list.sort(byTimeThenId);
  return { byAccount } as unknown as EngagementDataset;
}

const byTimeThenId = (x: EngagementActivity, y: EngagementActivity): number =>
  x.at - y.at || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);

// ---------------------------------------------------------------------------------------------
// Periods

export type EngagementPeriod =
  | { unit: "year"; year: number }
  | { unit: "month"; year: number; month: number }
  | { unit: "week"; year: number; month: number; week: 1 | 2 | 3 | 4 };

export type PeriodUnit = EngagementPeriod["unit"];

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

/** The canonical text of a period (`year:2001`, `month:2001-05`, `week:2001-05-2`): the release key. */
export function periodKey(p: EngagementPeriod): string {
  const mm = (m: number) => String(m).padStart(2, "0");
  if (p.unit === "year") return `year:${p.year}`;
  if (p.unit === "month") return `month:${p.year}-${mm(p.month)}`;
  return `week:${p.year}-${mm(p.month)}-${p.week}`;
}

// ---------------------------------------------------------------------------------------------
// Figures

export type Figure =
  { value: number; noised: true; noiseSd?: number } | { value: null; reason: "suppressed" | "no_peers" };

const suppressed: Figure = Object.freeze({ value: null, reason: "suppressed" });

export const figureNames = [
  "emailsToAccount",
  "emailsFromAccount",
  "meetingsInitiatedByUs",
  "meetingsInitiatedByThem",
  "ourPeopleInvolved",
  "theirPeopleInvolved",
] as const;
export type FigureName = (typeof figureNames)[number];

export function isFigureName(value: string): value is FigureName {
  return (figureNames as readonly string[]).includes(value);
}

/**
 * The most one colleague counts for in one cell: emails each way, meetings each way, and
 * distinct people at the account. Larger cells get larger caps (they hold more activity); the
 * noise grows with the cap, so these trade clipping bias against noise.
 */
export const contributionCaps: Record<PeriodUnit, { emails: number; meetings: number; people: number }> = {
  week: { emails: 3, meetings: 2, people: 3 },
  month: { emails: 6, meetings: 3, people: 5 },
  year: { emails: 25, meetings: 10, people: 15 },
};

/** How much removing one colleague can change each clipped count (see `measureEngagement`). */
export function figureSensitivity(figure: FigureName, unit: PeriodUnit): number {
  const caps = contributionCaps[unit];
  switch (figure) {
    case "emailsToAccount":
    case "emailsFromAccount":
      return caps.emails;
    case "meetingsInitiatedByUs":
    case "meetingsInitiatedByThem":
      return caps.meetings;
    case "ourPeopleInvolved":
      return 1;
    case "theirPeopleInvolved":
      return caps.people;
  }
}

/** Each figure's share of a release's ε, in thousandths (they add up to 1000). */
export const epsilonShares: Record<FigureName, number> = {
  emailsToAccount: 200,
  emailsFromAccount: 200,
  meetingsInitiatedByUs: 100,
  meetingsInitiatedByThem: 100,
  ourPeopleInvolved: 250,
  theirPeopleInvolved: 150,
};

/** ε is handled in millionths, so budgets add up exactly. */
export const microPerEpsilon = 1_000_000;

/** Noise scale of one figure in a release of `epsilonMicro`: sensitivity / (ε × share). */
export function figureNoiseScale(figure: FigureName, unit: PeriodUnit, epsilonMicro: number): NoiseScale {
  if (!(Number.isSafeInteger(epsilonMicro) && epsilonMicro > 0))
    throw new RangeError("a release's ε must be a positive number of millionths");
  return {
    numerator: figureSensitivity(figure, unit) * 1000 * microPerEpsilon,
    denominator: epsilonMicro * epsilonShares[figure],
  };
}

const selectors: Record<FigureName, (a: EngagementActivity) => boolean> = {
  emailsToAccount: (a) => a.kind === "email" && a.initiator?.side === "ours",
  emailsFromAccount: (a) => a.kind === "email" && a.initiator?.side === "theirs",
  meetingsInitiatedByUs: (a) => a.kind === "meeting" && a.initiator?.side === "ours",
  meetingsInitiatedByThem: (a) => a.kind === "meeting" && a.initiator?.side === "theirs",
  ourPeopleInvolved: () => true,
  theirPeopleInvolved: () => true,
};

// ---------------------------------------------------------------------------------------------
// Measurement (exact, clipped): never leaves the service unnoised

/**
 * Clipped counts of one cell and which figures have k colleagues behind them. Exact: only
 * `releaseEngagement` may turn it into something a person sees.
 */
export interface EngagementMeasurement {
  readonly unit: PeriodUnit;
  readonly counts: Readonly<Record<FigureName, number>>;
  readonly passes: ReadonlySet<FigureName>;
}

/**
 * Activities a colleague started count only up to the cap, per starter: removing a colleague
 * removes at most `cap` of them and touches nobody else's.
 */
function countPerInitiator(acts: readonly EngagementActivity[], cap: number): number {
  const started = new Map<string, number>();
  for (const a of acts) {
    if (a.initiator?.side !== "ours") continue;
    started.set(a.initiator.userId, (started.get(a.initiator.userId) ?? 0) + 1);
  }
  let total = 0;
  for (const n of started.values()) total += Math.min(n, cap);
  return total;
}

/**
 * Activities the account started count when they are among the first `cap` (in time order) that
 * any one colleague on them took part in. Each colleague's rank list depends on their own
 * activities only, so removing a colleague drops at most the `cap` activities only they vouched for.
 */
function countPerParticipant(acts: readonly EngagementActivity[], cap: number): number {
  const seen = new Map<string, number>();
  let total = 0;
  for (const a of acts) {
    let counted = false;
    for (const u of a.internalUserIds) {
      const rank = (seen.get(u) ?? 0) + 1;
      seen.set(u, rank);
      if (rank <= cap) counted = true;
    }
    if (counted) total += 1;
  }
  return total;
}

/** Distinct people at the account, each colleague vouching for the first `cap` they met. */
function countExternalPeople(acts: readonly EngagementActivity[], cap: number): number {
  const metBy = new Map<string, Set<string>>();
  const counted = new Set<string>();
  for (const a of acts) {
    const people = [...a.externalPeople].sort();
    for (const u of a.internalUserIds) {
      let met = metBy.get(u);
      if (!met) metBy.set(u, (met = new Set()));
      for (const p of people) {
        if (met.size >= cap) break;
        if (met.has(p)) continue;
        met.add(p);
        counted.add(p);
      }
    }
  }
  return counted.size;
}

/** Exact, clipped figures of one account in one cell (see the module comment, point 3). */
export function measureEngagement(
  dataset: EngagementDataset,
  accountId: string,
  period: EngagementPeriod,
  k: number = minGroupSize,
): EngagementMeasurement {
  const threshold = Math.max(minGroupSize, Math.floor(k));
  const caps = contributionCaps[period.unit];
  const { start, end } = periodBounds(period);
  const inCell = (dataset.byAccount.get(accountId) ?? []).filter((a) => a.at >= start && a.at < end);
  const of = (name: FigureName) => inCell.filter(selectors[name]);
  const counts: Record<FigureName, number> = {
    emailsToAccount: countPerInitiator(of("emailsToAccount"), caps.emails),
    emailsFromAccount: countPerParticipant(of("emailsFromAccount"), caps.emails),
    meetingsInitiatedByUs: countPerInitiator(of("meetingsInitiatedByUs"), caps.meetings),
    meetingsInitiatedByThem: countPerParticipant(of("meetingsInitiatedByThem"), caps.meetings),
    ourPeopleInvolved: new Set(inCell.flatMap((a) => a.internalUserIds)).size,
    theirPeopleInvolved: countExternalPeople(inCell, caps.people),
  };
  const passes = new Set<FigureName>();
  for (const name of figureNames) {
    const behind = new Set(of(name).flatMap((a) => a.internalUserIds));
    if (behind.size >= threshold) passes.add(name);
  }
  return { unit: period.unit, counts, passes };
}

// ---------------------------------------------------------------------------------------------
// Release (noised)

export interface EngagementRelease {
  figures: Record<FigureName, Figure>;
  /** Figures published in this release; later releases of the cell publish them too. */
  published: FigureName[];
  /** Noisy engagement mass that ranks accounts (emails both ways + 3 per meeting); null when suppressed. */
  mass: number | null;
}

export interface ReleaseOptions {
  epsilonMicro: number;
  /** Cryptographic uniform integers (node:crypto randomInt) in production. */
  random: RandomInt;
  /** Figures an earlier release of the same cell published. */
  publishedBefore: ReadonlySet<FigureName>;
  k?: number;
}

/** The noisy figures of one release: every figure gets fresh noise, published or not. */
export function releaseEngagement(m: EngagementMeasurement, options: ReleaseOptions): EngagementRelease {
  const k = Math.max(minGroupSize, Math.floor(options.k ?? minGroupSize));
  const figures = {} as Record<FigureName, Figure>;
  const published: FigureName[] = [];
  for (const name of figureNames) {
    const scale = figureNoiseScale(name, m.unit, options.epsilonMicro);
    const noisy = m.counts[name] + sampleDiscreteLaplace(scale, options.random);
    if (!m.passes.has(name) && !options.publishedBefore.has(name)) {
      figures[name] = suppressed;
      continue;
    }
    published.push(name);
    // Post-processing only: no negative counts, and a published "our people" stood on k colleagues.
    const floor = name === "ourPeopleInvolved" ? k : 0;
    figures[name] = {
      value: Math.max(floor, noisy),
      noised: true,
      noiseSd: Math.round(discreteLaplaceSd(scale) * 10) / 10,
    };
  }
  const valueOf = (name: FigureName) => figures[name].value ?? 0;
  const mass =
    figures.ourPeopleInvolved.value === null
      ? null
      : valueOf("emailsToAccount") +
        valueOf("emailsFromAccount") +
        3 * (valueOf("meetingsInitiatedByUs") + valueOf("meetingsInitiatedByThem"));
  return { figures, published, mass };
}

/**
 * 0–100: the share of the other accounts released for the same period whose noisy mass is below
 * this one's (ties count half). Uses released numbers only.
 */
export function scoreAmongPeers(mass: number | null, peerMasses: readonly number[]): Figure {
  if (mass === null) return suppressed;
  if (peerMasses.length === 0) return { value: null, reason: "no_peers" };
  let below = 0;
  let ties = 0;
  for (const other of peerMasses) {
    if (other < mass) below += 1;
    else if (other === mass) ties += 1;
  }
  return { value: Math.round((100 * (below + 0.5 * ties)) / peerMasses.length), noised: true };
}

// ---------------------------------------------------------------------------------------------
// Release lifetime and the ε ledger

/** A closed cell may still receive mail (sync lag, backfill) for this long after it closes. */
export const settleDays = 28;
/** An unsettled cell is released again at most this often; each fresh release spends ε. */
export const refreshDays = 7;

/**
 * When a release made at `releasedAt` expires: never (null) once the cell has settled — closed,
 * and collected under the current consent, for `settleDays` — else after `refreshDays`. A cell is
 * therefore released a handful of times at most, whatever is asked.
 */
export function releaseExpiry(
  period: EngagementPeriod,
  releasedAt: number,
  collectingSince: number | null,
): number | null {
  const { end } = periodBounds(period);
  const settledAt = Math.max(end, collectingSince ?? end) + settleDays * dayMs;
  return releasedAt >= settledAt ? null : releasedAt + refreshDays * dayMs;
}

export interface PrivacyLedger {
  budgetMicro: number;
  /** ε a release spends unless a caller chooses another. */
  releaseEpsilonMicro: number;
  spentMicro: number;
  releases: number;
}

export function remainingMicro(ledger: PrivacyLedger): number {
  return Math.max(0, ledger.budgetMicro - ledger.spentMicro);
}

export function canSpend(ledger: PrivacyLedger, costMicro: number): boolean {
  return (
    Number.isSafeInteger(costMicro) && costMicro > 0 && ledger.spentMicro + costMicro <= ledger.budgetMicro
  );
}
