/**
 * Relationship analytics KPIs for contacts, leads, opportunities and accounts (SPEC §4.3).
 *
 * Sides: an address is on *our* side when the caller's `isInternal` says so (tenant domains /
 * directory), otherwise on the *customer's* side. Each activity has an initiator side: the email
 * sender, the meeting organiser, the caller (a CRM `direction` wins for calls, and stands in when
 * `from` is missing); tasks are always ours.
 *
 * Which activities count for a record: those *regarding* it, and those with at least one external
 * person of interest and one internal participant of interest (any internal address when the
 * internal side is "all"). Requiring both sides keeps an owner's unrelated mail out of every
 * opportunity they own, which the literal "a person of interest is in From/To/Cc" would not.
 *
 * Reply matching is in threads.ts. All instants are epoch ms; days are calendar days in the zone
 * `utcOffsetMinutes` (UTC by default).
 */
import type { AttendeeResponse } from "../domain/interaction";
import { analyseTurns, threadKeysOf, type Side, type ThreadableMessage, type TurnMessage } from "./threads";
import { dayMs, isoDay, mean, startOfDay } from "./time";

export type RecordType = "contact" | "lead" | "opportunity" | "account";
export type ActivityKind = "email" | "meeting" | "call" | "task";

export interface Activity {
  id: string;
  kind: ActivityKind;
  /** Sent time, meeting start, call start, task due/completion. */
  at: number;
  end?: number | null;
  durationMin?: number | null;
  /** Sender, organiser or caller (normalised address). */
  from: string | null;
  to: readonly string[];
  cc: readonly string[];
  attendees?: readonly { address: string; response: AttendeeResponse }[];
  regarding?: { type: RecordType; id: string } | null;
  /** CRM direction: out = our side initiated. */
  direction?: "out" | "in" | null;
  state: "completed" | "planned";
  subject?: string | null;
  conversationId?: string | null;
  /** Internet-Message-ID of the email, for In-Reply-To matching (defaults to `id`). */
  messageId?: string | null;
  inReplyTo?: string | null;
}

// ---------------------------------------------------------------------------------------------
// People of interest

export type KpiRecord =
  | { type: "account"; id: string; primaryContactId: string | null }
  | { type: "contact"; id: string }
  | {
      type: "opportunity";
      id: string;
      ownerId: string;
      salesTeamIds: readonly string[];
      customerContactId: string | null;
      stakeholderContactIds: readonly string[];
      accountId: string | null;
    }
  | {
      type: "lead";
      id: string;
      ownerId: string;
      /** The lead's own email address(es). */
      emails: readonly string[];
      stakeholderContactIds: readonly string[];
    };

export interface KpiCrm {
  users: readonly { id: string; emails: readonly string[] }[];
  contacts: readonly { id: string; accountId: string | null; emails: readonly string[] }[];
  accounts: readonly { id: string; primaryContactId: string | null }[];
}

export interface PeopleOfInterest {
  /** Internal addresses of interest, or every internal address. */
  internal: ReadonlySet<string> | "all";
  external: ReadonlySet<string>;
}

/** The spec's per-record rules (SPEC §4.3), as addresses. */
export function peopleOfInterest(record: KpiRecord, crm: KpiCrm): PeopleOfInterest {
  const userEmails = (ids: readonly string[]) =>
    new Set(crm.users.filter((u) => ids.includes(u.id)).flatMap((u) => u.emails.map(lower)));
  const contactEmails = (ids: readonly (string | null)[]) =>
    crm.contacts.filter((c) => ids.includes(c.id)).flatMap((c) => c.emails.map(lower));
  const primaryOf = (accountId: string | null) =>
    accountId === null ? null : (crm.accounts.find((a) => a.id === accountId)?.primaryContactId ?? null);
  switch (record.type) {
    case "account":
      return {
        internal: "all",
        external: new Set([
          ...contactEmails([record.primaryContactId]),
          ...crm.contacts.filter((c) => c.accountId === record.id).flatMap((c) => c.emails.map(lower)),
        ]),
      };
    case "contact":
      return { internal: "all", external: new Set(contactEmails([record.id])) };
    case "opportunity":
      return {
        internal: userEmails([record.ownerId, ...record.salesTeamIds]),
        external: new Set(
          contactEmails([
            record.customerContactId,
            ...record.stakeholderContactIds,
            primaryOf(record.accountId),
          ]),
        ),
      };
    case "lead":
      return {
        internal: userEmails([record.ownerId]),
        external: new Set([...record.emails.map(lower), ...contactEmails(record.stakeholderContactIds)]),
      };
  }
}

const lower = (s: string): string => s.trim().toLowerCase();

/** Does `activity` count for `record` (see the module comment)? */
export function activityCountsFor(
  activity: Activity,
  record: { type: RecordType; id: string },
  poi: PeopleOfInterest,
  isInternal: (address: string) => boolean,
): boolean {
  if (activity.regarding && activity.regarding.type === record.type && activity.regarding.id === record.id) {
    return true;
  }
  // Over the sender, To, Cc and attendees, without building a list or a closure per call (KPIs
  // ask this for every activity).
  if (!anyParticipant(activity, poi.external, null)) return false;
  const internal = poi.internal;
  return internal === "all"
    ? anyParticipant(activity, null, isInternal)
    : anyParticipant(activity, internal, null);
}

/** Is any participant of `a` in `set` (or, with `set` null, does `test` hold for one)? */
function anyParticipant(
  a: Activity,
  set: ReadonlySet<string> | null,
  test: ((address: string) => boolean) | null,
): boolean {
  if (a.from && (set ? set.has(a.from) : test!(a.from))) return true;
  for (const p of a.to) if (set ? set.has(p) : test!(p)) return true;
  for (const p of a.cc) if (set ? set.has(p) : test!(p)) return true;
  if (a.attendees) for (const x of a.attendees) if (set ? set.has(x.address) : test!(x.address)) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// KPIs

export const emailReadMinutes = 2.5;
export const emailWriteMinutes = 5;
export const dailySeriesDays = 60;

export interface Ranked {
  address: string;
  count: number;
  /** A colleague's display name (set by the service for our side's people). */
  name?: string;
}

export interface SideKpis {
  /** Emails this side sent. */
  emailsSent: number;
  /** Emails from the other side that reached this side. */
  emailsReceived: number;
  meetingsInitiated: number;
  callsMade: number;
  callsReceived: number;
  /** First responses this side gave to the other side's turns (see threads.ts). */
  replies: number;
  timeSpentMinutes: { meetings: number; calls: number; emails: number; tasks: number; total: number };
  /** Mean hours this side took to answer the other side's turns; null without any reply. */
  averageFirstResponseHours: number | null;
  /** Share (0–1) of the other side's turns this side answered; null when there was none. */
  responseRate: number | null;
  /** emailsSent / emailsReceived; null when nothing was received. */
  sentReceivedRatio: number | null;
  /** The other side's people this side contacted most (top 3). */
  mostContacted: Ranked[];
  /** The other side's people who contacted this side most (top 3). */
  mostContactedBy: Ranked[];
}

export interface InteractionRef {
  at: number;
  kind: ActivityKind;
  /** out: our side initiated; in: the customer did; null: unknown. */
  direction: "out" | "in" | null;
  /** Present only when the viewer may see the activity's subject. */
  subject?: string;
}

export type DirectionCounts = { out: number; in: number };
export interface DailyActivity {
  date: string;
  email: DirectionCounts;
  meeting: DirectionCounts;
  call: DirectionCounts;
  task: DirectionCounts;
}

export interface RecordKpis {
  record: { type: RecordType; id: string };
  /** Completed activities that counted. */
  activityCount: number;
  ours: SideKpis;
  theirs: SideKpis;
  lastInteraction: InteractionRef | null;
  nextInteraction: InteractionRef | null;
  /** Last 60 days, oldest first, ending with `now`'s day. */
  dailySeries: DailyActivity[];
  summary: string;
}

export interface KpiOptions {
  now: number;
  isInternal: (address: string) => boolean;
  /** Whether the viewer may see an activity's subject (default: never). */
  maySeeSubject?: boolean | ((activity: Activity) => boolean);
  utcOffsetMinutes?: number;
  /** Subject-matching window and how long a turn may wait before it counts as unanswered. */
  replyWindowDays?: number;
}

function emptySide(): SideKpis {
  return {
    emailsSent: 0,
    emailsReceived: 0,
    meetingsInitiated: 0,
    callsMade: 0,
    callsReceived: 0,
    replies: 0,
    timeSpentMinutes: { meetings: 0, calls: 0, emails: 0, tasks: 0, total: 0 },
    averageFirstResponseHours: null,
    responseRate: null,
    sentReceivedRatio: null,
    mostContacted: [],
    mostContactedBy: [],
  };
}

/** The side that started an activity, or null when neither `from` nor `direction` says. */
export function initiatorSide(a: Activity, isInternal: (address: string) => boolean): Side | null {
  if (a.kind === "task") return "ours";
  const byDirection = a.direction === "out" ? "ours" : a.direction === "in" ? "theirs" : null;
  if (a.kind === "call" && byDirection) return byDirection;
  const starter = a.from ?? a.attendees?.find((x) => x.response === "organizer")?.address ?? null;
  if (starter) return isInternal(starter) ? "ours" : "theirs";
  return byDirection;
}

function durationMinutes(a: Activity): number {
  if (a.durationMin != null && Number.isFinite(a.durationMin)) return Math.max(0, a.durationMin);
  if (a.end != null && Number.isFinite(a.end)) return Math.max(0, (a.end - a.at) / 60_000);
  return 0;
}

/** Attending participants of a meeting: the organiser and every attendee who did not decline. */
function attending(a: Activity): string[] {
  const set = new Set<string>();
  if (a.from) set.add(a.from);
  if (a.attendees) {
    for (const x of a.attendees) if (x.response !== "declined") set.add(x.address);
  } else {
    for (const x of [...a.to, ...a.cc]) set.add(x);
  }
  return [...set];
}

function top3(counts: Map<string, number>): Ranked[] {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, 3)
    .map(([address, count]) => ({ address, count }));
}

const bump = (m: Map<string, number>, k: string, by = 1): void => {
  m.set(k, (m.get(k) ?? 0) + by);
};

/** Computes every §4.3 figure for one record from the activities the caller loaded. */
export function computeRecordKpis(
  record: { type: RecordType; id: string },
  activities: readonly Activity[],
  poi: PeopleOfInterest,
  options: KpiOptions,
): RecordKpis {
  const { now, isInternal } = options;
  const offset = options.utcOffsetMinutes ?? 0;
  const sideOf = (address: string): Side => (isInternal(address) ? "ours" : "theirs");
  const relevant = activities.filter(
    (a) => Number.isFinite(a.at) && activityCountsFor(a, record, poi, isInternal),
  );
  const done = relevant.filter((a) => a.state === "completed" && a.at <= now);
  const sides: Record<Side, SideKpis> = { ours: emptySide(), theirs: emptySide() };
  const contacted: Record<Side, Map<string, number>> = { ours: new Map(), theirs: new Map() };
  const contactedBy: Record<Side, Map<string, number>> = { ours: new Map(), theirs: new Map() };

  // Most contacted / contacted by: each distinct recipient on the other side once per activity.
  const noteContact = (a: Activity, recipients: readonly string[], init: Side | null, other: Side | null) => {
    if (init === null || other === null) return;
    let reached = false;
    for (const r of recipients.length > 1 ? new Set(recipients) : recipients) {
      if (sideOf(r) !== other) continue;
      bump(contacted[init], r);
      reached = true;
    }
    if (reached && a.from && sideOf(a.from) === init) bump(contactedBy[other], a.from);
  };
  // The initiator side of each counted activity, decided once: the figures below, the reply
  // analysis and the daily series all ask for it.
  const inits: (Side | null)[] = [];
  // Counted emails and their initiator sides, for the reply analysis.
  const emails: Activity[] = [];
  const emailSides: (Side | null)[] = [];
  for (const a of done) {
    const init = initiatorSide(a, isInternal);
    inits.push(init);
    if (a.kind === "email") {
      emails.push(a);
      emailSides.push(init);
    }
    const other = init === "ours" ? "theirs" : init === "theirs" ? "ours" : null;
    const recipients =
      a.kind === "meeting"
        ? attending(a).filter((p) => p !== a.from)
        : a.cc.length === 0
          ? a.to
          : [...a.to, ...a.cc];
    switch (a.kind) {
      case "email": {
        if (init === null || other === null) break;
        sides[init].emailsSent += 1;
        sides[init].timeSpentMinutes.emails += emailWriteMinutes;
        let internalReaders = 0;
        let externalReached = false;
        if (recipients.length === 1) {
          // Most mail has one recipient: its side, asked once, also settles the contact counts
          // (noteContact's rule; a mail with a sender was initiated by the sender's side).
          const r = recipients[0]!;
          const side = sideOf(r);
          if (side === "ours") internalReaders = 1;
          else externalReached = true;
          if (side === other) {
            bump(contacted[init], r);
            if (a.from) bump(contactedBy[other], a.from);
          }
        } else {
          internalReaders = new Set(recipients.filter((r) => sideOf(r) === "ours")).size;
          externalReached = recipients.some((r) => sideOf(r) === "theirs");
          noteContact(a, recipients, init, other);
        }
        if (other === "ours" ? internalReaders > 0 : externalReached) sides[other].emailsReceived += 1;
        sides.ours.timeSpentMinutes.emails += emailReadMinutes * internalReaders;
        if (externalReached) sides.theirs.timeSpentMinutes.emails += emailReadMinutes;
        break;
      }
      case "meeting": {
        if (init !== null) sides[init].meetingsInitiated += 1;
        const minutes = durationMinutes(a);
        const present = attending(a);
        const ourCount = present.filter((p) => sideOf(p) === "ours").length;
        sides.ours.timeSpentMinutes.meetings += minutes * ourCount;
        if (present.some((p) => sideOf(p) === "theirs")) sides.theirs.timeSpentMinutes.meetings += minutes;
        noteContact(a, recipients, init, other);
        break;
      }
      case "call": {
        if (init === null || other === null) break;
        sides[init].callsMade += 1;
        sides[other].callsReceived += 1;
        const minutes = durationMinutes(a);
        sides.ours.timeSpentMinutes.calls += minutes;
        sides.theirs.timeSpentMinutes.calls += minutes;
        noteContact(a, recipients, init, other);
        break;
      }
      case "task":
        sides.ours.timeSpentMinutes.tasks += durationMinutes(a);
        break;
    }
  }

  // Replies and response times over the counted emails.
  const windowDays = options.replyWindowDays ?? 14;
  // Activities whose message id is their id are threadable messages as they are (stored mail
  // always is): no second object per email.
  const threadKeys = threadKeysOf(
    emails.every((e) => e.messageId == null || e.messageId === e.id)
      ? emails
      : emails.map((e): ThreadableMessage => ({
          id: e.messageId ?? e.id,
          at: e.at,
          conversationId: e.conversationId ?? null,
          inReplyTo: e.inReplyTo ?? null,
          subject: e.subject ?? null,
        })),
    windowDays,
  );
  const turnMessages: TurnMessage[] = [];
  for (let i = 0; i < emails.length; i++) {
    const e = emails[i]!;
    const side = emailSides[i];
    const key = threadKeys[i];
    if (side && key) turnMessages.push({ threadKey: key, at: e.at, side, sender: e.from });
  }
  const turns = analyseTurns(turnMessages, now, windowDays);

  for (const side of ["ours", "theirs"] as const) {
    const s = sides[side];
    const other = side === "ours" ? "theirs" : "ours";
    const mine = turns.responses.filter((r) => r.by === side);
    s.replies = mine.length;
    s.averageFirstResponseHours = mean(mine.map((r) => r.hours));
    s.responseRate = turns.turns[other] === 0 ? null : turns.answered[other] / turns.turns[other];
    s.sentReceivedRatio = s.emailsReceived === 0 ? null : s.emailsSent / s.emailsReceived;
    s.mostContacted = top3(contacted[side]);
    s.mostContactedBy = top3(contactedBy[side]);
    const t = s.timeSpentMinutes;
    t.total = t.meetings + t.calls + t.emails + t.tasks;
  }

  const may = options.maySeeSubject ?? false;
  const ref = (a: Activity): InteractionRef => {
    const init = initiatorSide(a, isInternal);
    const out: InteractionRef = {
      at: a.at,
      kind: a.kind,
      direction: init === "ours" ? "out" : init === "theirs" ? "in" : null,
    };
    const allowed = typeof may === "function" ? may(a) : may;
    if (allowed && a.subject) out.subject = a.subject;
    return out;
  };
  const byTime = (a: Activity, b: Activity) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  // The latest done and the earliest planned activity (the ends of a sort by time, without sorting).
  let last: Activity | undefined;
  for (const a of done) if (last === undefined || byTime(a, last) >= 0) last = a;
  let next: Activity | undefined;
  for (const a of relevant)
    if (a.state === "planned" && a.at > now && (next === undefined || byTime(a, next) < 0)) next = a;

  return {
    record: { type: record.type, id: record.id },
    activityCount: done.length,
    ours: sides.ours,
    theirs: sides.theirs,
    lastInteraction: last ? ref(last) : null,
    nextInteraction: next ? ref(next) : null,
    dailySeries: dailySeries(done, inits, now, offset),
    summary: summariseKpis(sides.ours, sides.theirs),
  };
}

/** `inits`: the initiator side of each of `done`. */
function dailySeries(
  done: readonly Activity[],
  inits: readonly (Side | null)[],
  now: number,
  offset: number,
): DailyActivity[] {
  const today = startOfDay(now, offset);
  const first = today - (dailySeriesDays - 1) * dayMs;
  const days: DailyActivity[] = [];
  for (let i = 0; i < dailySeriesDays; i++) {
    days.push({
      date: isoDay(first + i * dayMs, offset),
      email: { out: 0, in: 0 },
      meeting: { out: 0, in: 0 },
      call: { out: 0, in: 0 },
      task: { out: 0, in: 0 },
    });
  }
  for (let i = 0; i < done.length; i++) {
    const a = done[i]!;
    const index = Math.floor((startOfDay(a.at, offset) - first) / dayMs);
    // Most activities fall before the window: no lookup of a negative index (a slow property read).
    if (index < 0 || index >= dailySeriesDays) continue;
    const day = days[index];
    if (day === undefined) continue;
    const init = inits[i];
    if (init == null) continue;
    day[a.kind][init === "ours" ? "out" : "in"] += 1;
  }
  return days;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** One line in words comparing the sides on the figure where they differ most. */
export function summariseKpis(ours: SideKpis, theirs: SideKpis): string {
  const figures = [
    {
      diff: ours.meetingsInitiated - theirs.meetingsInitiated,
      verb: "started",
      one: "meeting",
      many: "meetings",
    },
    { diff: ours.emailsSent - theirs.emailsSent, verb: "sent", one: "email", many: "emails" },
    { diff: ours.callsMade - theirs.callsMade, verb: "made", one: "call", many: "calls" },
  ];
  const total =
    ours.meetingsInitiated +
    theirs.meetingsInitiated +
    ours.emailsSent +
    theirs.emailsSent +
    ours.callsMade +
    theirs.callsMade;
  if (total === 0) return "No interactions with the customer yet";
  let pick = figures[0];
  for (const f of figures) if (pick === undefined || Math.abs(f.diff) > Math.abs(pick.diff)) pick = f;
  if (pick === undefined || pick.diff === 0) return "You and the customer are evenly engaged";
  const n = Math.abs(pick.diff);
  const what = `${plural(n, `more ${pick.one}`, `more ${pick.many}`)}`;
  return pick.diff > 0
    ? `You ${pick.verb} ${what} than the customer`
    : `The customer ${pick.verb} ${what} than you`;
}

// ---------------------------------------------------------------------------------------------
// Similar won deals

export interface OpportunitySummary {
  id: string;
  accountId: string | null;
  status: "open" | "won" | "lost";
  revenue: number | null;
  createdAt: number;
  closedAt: number | null;
  estimatedCloseAt: number | null;
}

export interface SimilarDeal {
  id: string;
  /** 0–1; null for the top-won fallback. */
  similarity: number | null;
  reasons: string[];
}

export type SimilarWonDeals =
  | { available: false; reason: "not_open" | "not_enough_history"; won: number; lost: number }
  | { available: true; basis: "similar" | "top_won"; deals: SimilarDeal[]; won: number; lost: number };

export interface SimilarityOptions {
  minWon?: number;
  minLost?: number;
  /** Similarity (0–1) a won deal needs to count as similar. */
  threshold?: number;
  /** Fewer similar deals than this → the fallback. */
  minSimilar?: number;
  limit?: number;
  fallbackLimit?: number;
}

/**
 * Similarity of an open opportunity to a won deal, from up to three features, each 0–1, averaged
 * with weights over the features both sides have:
 * - revenue band (0.45): 1 − |log10(revenueA / revenueB)|, floored at 0 — same order of magnitude;
 * - sales cycle (0.35): created → (estimated) close; 1 − |ln(a / b)| / ln 3, floored at 0 — within 3×;
 * - account (0.2): 1 for the same account, else 0.
 * Null when neither revenue nor cycle can be compared.
 */
export function dealSimilarity(
  open: OpportunitySummary,
  won: OpportunitySummary,
): { similarity: number; reasons: string[] } | null {
  const parts: { w: number; v: number }[] = [];
  const reasons: string[] = [];
  if (open.revenue && won.revenue && open.revenue > 0 && won.revenue > 0) {
    const v = Math.max(0, 1 - Math.abs(Math.log10(open.revenue / won.revenue)));
    parts.push({ w: 0.45, v });
    if (v >= 0.7) reasons.push("similar revenue");
  }
  const openEnd = open.estimatedCloseAt;
  if (openEnd !== null && won.closedAt !== null) {
    const a = Math.max(dayMs, openEnd - open.createdAt);
    const b = Math.max(dayMs, won.closedAt - won.createdAt);
    const v = Math.max(0, 1 - Math.abs(Math.log(a / b)) / Math.log(3));
    parts.push({ w: 0.35, v });
    if (v >= 0.7) reasons.push("similar sales cycle");
  }
  if (parts.length === 0) return null;
  if (open.accountId !== null) {
    const same = open.accountId === won.accountId;
    parts.push({ w: 0.2, v: same ? 1 : 0 });
    if (same) reasons.push("same account");
  }
  const weight = parts.reduce((s, p) => s + p.w, 0);
  return { similarity: parts.reduce((s, p) => s + p.w * p.v, 0) / weight, reasons };
}

/**
 * Won deals to compare an open opportunity with (SPEC §4.3): only when the tenant has at least 30
 * won and 30 lost deals; the won deals at or above the similarity threshold, most similar first;
 * when fewer than `minSimilar` qualify, the top 100 won deals by revenue (then most recent).
 */
export function similarWonDeals(
  opportunity: OpportunitySummary,
  allOpportunities: readonly OpportunitySummary[],
  options: SimilarityOptions = {},
): SimilarWonDeals {
  const {
    minWon = 30,
    minLost = 30,
    threshold = 0.6,
    minSimilar = 5,
    limit = 10,
    fallbackLimit = 100,
  } = options;
  const others = allOpportunities.filter((o) => o.id !== opportunity.id);
  const won = others.filter((o) => o.status === "won");
  const lost = others.filter((o) => o.status === "lost").length;
  if (opportunity.status !== "open") return { available: false, reason: "not_open", won: won.length, lost };
  if (won.length < minWon || lost < minLost) {
    return { available: false, reason: "not_enough_history", won: won.length, lost };
  }
  const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const similar = won
    .map((w) => ({ w, s: dealSimilarity(opportunity, w) }))
    .filter((x): x is { w: OpportunitySummary; s: { similarity: number; reasons: string[] } } => x.s !== null)
    .filter((x) => x.s.similarity >= threshold)
    .sort(
      (a, b) =>
        b.s.similarity - a.s.similarity || (b.w.closedAt ?? 0) - (a.w.closedAt ?? 0) || byId(a.w.id, b.w.id),
    );
  if (similar.length >= minSimilar) {
    return {
      available: true,
      basis: "similar",
      deals: similar
        .slice(0, limit)
        .map((x) => ({ id: x.w.id, similarity: x.s.similarity, reasons: x.s.reasons })),
      won: won.length,
      lost,
    };
  }
  const top = [...won]
    .sort(
      (a, b) =>
        (b.revenue ?? 0) - (a.revenue ?? 0) || (b.closedAt ?? 0) - (a.closedAt ?? 0) || byId(a.id, b.id),
    )
    .slice(0, fallbackLimit);
  return {
    available: true,
    basis: "top_won",
    deals: top.map((o) => ({ id: o.id, similarity: null, reasons: ["top won deal by revenue"] })),
    won: won.length,
    lost,
  };
}
