/**
 * The collection step (SPEC §2): one parsed record in; out, either why it is not kept (noise,
 * consent rule, bad data) or the interaction to store with its parties and the strength touches
 * it contributes. Pure: the gate facts are loaded once per batch into a `CollectionScope`.
 */
import { decideCollection, type CollectionRule, type CollectionSubject } from "../domain/consent-policy";
import type { ConsentState } from "../domain/consent";
import { isInternalDomain, domainOf, normaliseAddress } from "../domain/directory";
import { emailKeys, meetingKey, monthOf } from "../domain/identity";
import type { EmailRecord, Mailbox, MeetingRecord } from "../domain/interaction";
import { classifyNoise, type NoiseFilterSettings, type NoiseReason } from "../domain/noise";
import type { Touch } from "../insights/strength";

export type CaptureLevel = "metadata" | "subject";

export type GateUser = CollectionSubject & { userId: string; primaryEmail: string };

export interface CollectionScope {
  tenantId: string;
  domains: readonly string[];
  consent: ConsentState;
  /** Internal address (primary or alias) → the user's gate facts. */
  subjects: ReadonlyMap<string, GateUser>;
  filters: NoiseFilterSettings;
  captureLevel: CaptureLevel;
  /** Collection time. */
  now: Date;
  since?: Date;
  until?: Date;
}

export type PartyRole = "from" | "to" | "cc" | "organizer" | "required" | "optional";

export interface CollectedParty {
  address: string;
  role: PartyRole;
  /** Set for internal users who passed the gate; null for external people. */
  userId: string | null;
  name: string | null;
}

export interface CollectedInteraction {
  id: string;
  messageKey: string | null;
  kind: "email" | "meeting";
  occurredAt: number;
  endedAt: number | null;
  month: number;
  sender: string | null;
  parties: CollectedParty[];
  participantCount: number;
  internalOnly: boolean;
  subject: string | null;
  conversationId: string | null;
  inReplyTo: string | null;
  /** (external person, internal user) touches. */
  touches: { person: string; userId: string; touch: Touch }[];
  /** (user_a < user_b) touches of the internal graph; direction is user_a's. */
  internalTouches: { userA: string; userB: string; touch: Touch }[];
  largeDistribution: boolean;
}

export type CollectOutcome =
  | { outcome: "collect"; interaction: CollectedInteraction }
  | { outcome: "noise"; reason: NoiseReason | "cancelled" }
  | { outcome: "refused"; rule: CollectionRule | "no_internal_participant" }
  | { outcome: "out_of_window" }
  | { outcome: "rejected"; reason: string };

const futureSlackMs = 86_400_000;

interface Participant {
  address: string;
  name: string | null;
  role: PartyRole;
}

function toParticipant(m: Mailbox | null | undefined, role: PartyRole): Participant | null {
  if (!m) return null;
  const address = normaliseAddress(m.address);
  return address ? { address, name: m.name ?? null, role } : null;
}

type GateDecision = ReturnType<typeof decideCollection>;

/**
 * decideCollection per (scope, address), for users whose decision cannot depend on when the
 * interaction happened: no `collectFrom` (sharing turned back on) and no membership, past or
 * present, in an opted-out group. Those are the only two time-dependent rules, so the memo returns
 * exactly what decideCollection would; everyone else is decided per interaction. Keyed by the
 * scope object (one per batch), so nothing outlives the batch and the function stays pure.
 */
const gateMemo = new WeakMap<CollectionScope, Map<string, GateDecision>>();

function decideAt(
  scope: CollectionScope,
  address: string,
  subject: GateUser | null,
  occurredAt: Date,
): GateDecision {
  let memo = gateMemo.get(scope);
  if (memo === undefined) {
    memo = new Map();
    gateMemo.set(scope, memo);
  }
  const known = memo.get(address);
  if (known !== undefined) return known;
  const decision = decideCollection(subject, scope.consent, scope.now, occurredAt);
  const optedOut = scope.consent.optedOutGroupIds;
  const timeless =
    subject === null ||
    (subject.privacy.collectFrom === null &&
      (optedOut.length === 0 || !subject.memberships.some((m) => optedOut.includes(m.groupId))));
  if (timeless) memo.set(address, decision);
  return decision;
}

/** Gate every internal participant; return the kept parties, or the rule that refused them all. */
function gate(
  participants: Participant[],
  scope: CollectionScope,
  occurredAt: Date,
): {
  kept: CollectedParty[];
  internalPassing: number;
  refusal: CollectionRule | "no_internal_participant" | null;
  externals: number;
} {
  const kept: CollectedParty[] = [];
  const seen = new Set<string>();
  let internalPassing = 0;
  let externals = 0;
  let firstRefusal: CollectionRule | null = null;
  for (const p of participants) {
    if (seen.has(p.address)) continue;
    seen.add(p.address);
    if (!isInternalDomain(domainOf(p.address), scope.domains)) {
      kept.push({ address: p.address, role: p.role, userId: null, name: p.name });
      externals++;
      continue;
    }
    const subject = scope.subjects.get(p.address) ?? null;
    const decision = decideAt(scope, p.address, subject, occurredAt);
    if (!decision.collect) {
      firstRefusal ??= decision.rule;
      continue; // a refused user's presence is their data: not stored at all
    }
    internalPassing++;
    // Aliases fold into the user's primary address, so one person is one party.
    if (subject!.primaryEmail !== p.address) {
      if (seen.has(subject!.primaryEmail)) continue;
      seen.add(subject!.primaryEmail);
    }
    kept.push({ address: subject!.primaryEmail, role: p.role, userId: subject!.userId, name: p.name });
  }
  return {
    kept,
    internalPassing,
    refusal: internalPassing > 0 ? null : (firstRefusal ?? "no_internal_participant"),
    externals,
  };
}

function inWindow(at: Date, scope: CollectionScope): boolean {
  if (scope.since && at.getTime() < scope.since.getTime()) return false;
  if (scope.until && at.getTime() >= scope.until.getTime()) return false;
  return true;
}

export function collectEmail(record: EmailRecord, scope: CollectionScope): CollectOutcome {
  if (!record.sentAt || Number.isNaN(record.sentAt.getTime()))
    return { outcome: "rejected", reason: "no usable Date" };
  if (record.sentAt.getTime() > scope.now.getTime() + futureSlackMs) {
    return { outcome: "rejected", reason: `date ${record.sentAt.toISOString()} is in the future` };
  }
  if (!inWindow(record.sentAt, scope)) return { outcome: "out_of_window" };
  const from = toParticipant(record.from, "from");
  const noise = classifyNoise(from?.address ?? null, record.noise, scope.filters);
  if (noise) return { outcome: "noise", reason: noise };
  const participants = [
    ...(from ? [from] : []),
    ...record.to.map((m) => toParticipant(m, "to")),
    ...record.cc.map((m) => toParticipant(m, "cc")),
  ].filter((p): p is Participant => p !== null);
  if (participants.length === 0) return { outcome: "rejected", reason: "no sender or recipient address" };
  const gated = gate(participants, scope, record.sentAt);
  if (gated.refusal) return { outcome: "refused", rule: gated.refusal };

  const recipients = participants.filter((p) => p.role !== "from").map((p) => p.address);
  const keys = emailKeys({
    messageId: record.messageId,
    sentAt: record.sentAt,
    from: from?.address ?? null,
    recipients,
    subject: record.subject,
  });
  const participantCount = new Set(participants.map((p) => p.address)).size;
  const at = record.sentAt.getTime();
  const large = scope.filters.largeDistribution && participantCount > scope.filters.largeDistributionCap;
  const sender = gated.kept.find((p) => p.role === "from") ?? null;
  const { touches, internalTouches } = deriveTouches("email", at, gated.kept, participantCount, large);
  return {
    outcome: "collect",
    interaction: {
      id: keys.fingerprint,
      messageKey: keys.messageKey,
      kind: "email",
      occurredAt: at,
      endedAt: null,
      month: monthOf(at),
      sender: sender?.address ?? null,
      parties: gated.kept,
      participantCount,
      internalOnly: gated.externals === 0,
      subject: scope.captureLevel === "subject" ? record.subject : null,
      conversationId: record.conversationId,
      inReplyTo: record.inReplyTo,
      touches,
      internalTouches,
      largeDistribution: large,
    },
  };
}

export function collectMeeting(record: MeetingRecord, scope: CollectionScope): CollectOutcome {
  if (Number.isNaN(record.start.getTime())) return { outcome: "rejected", reason: "no usable start time" };
  if (!inWindow(record.start, scope)) return { outcome: "out_of_window" };
  if (record.isCancelled) return { outcome: "noise", reason: "cancelled" };
  const organizer = toParticipant(record.organizer, "organizer");
  const attendees = record.attendees
    .filter((a) => a.response !== "declined" && a.type !== "resource")
    .map((a) => toParticipant(a, a.type === "optional" ? "optional" : "required"))
    .filter((p): p is Participant => p !== null && p.address !== organizer?.address);
  const participants = [...(organizer ? [organizer] : []), ...attendees];
  if (participants.length === 0) return { outcome: "rejected", reason: "no organizer or attendee address" };
  const gated = gate(participants, scope, record.start);
  if (gated.refusal) return { outcome: "refused", rule: gated.refusal };
  const at = record.start.getTime();
  const participantCount = new Set(participants.map((p) => p.address)).size;
  const large = scope.filters.largeDistribution && participantCount > scope.filters.largeDistributionCap;
  const { touches, internalTouches } = deriveTouches("meeting", at, gated.kept, participantCount, large);
  return {
    outcome: "collect",
    interaction: {
      id: meetingKey({
        uid: record.uid,
        start: record.start,
        organizer: organizer?.address ?? null,
        subject: record.subject,
      }),
      messageKey: null,
      kind: "meeting",
      occurredAt: at,
      endedAt: record.end.getTime(),
      month: monthOf(at),
      sender: gated.kept.find((p) => p.role === "organizer")?.address ?? null,
      parties: gated.kept,
      participantCount,
      internalOnly: gated.externals === 0,
      subject: scope.captureLevel === "subject" ? record.subject : null,
      conversationId: null,
      inReplyTo: null,
      touches,
      internalTouches,
      largeDistribution: large,
    },
  };
}

/**
 * The strength touches one stored interaction contributes: for email, sender ↔ each recipient
 * (co-recipients are not a tie); for meetings, every attendee pair, as "mutual". Used at
 * collection and again when strengths are recomputed from stored interactions.
 */
export function deriveTouches(
  kind: "email" | "meeting",
  at: number,
  parties: readonly Pick<CollectedParty, "address" | "role" | "userId">[],
  participantCount: number,
  large: boolean,
): Pick<CollectedInteraction, "touches" | "internalTouches"> {
  const touches: CollectedInteraction["touches"] = [];
  const internalTouches: CollectedInteraction["internalTouches"] = [];
  if (large) return { touches, internalTouches };
  const groupSize = participantCount;
  if (kind === "email") {
    const sender = parties.find((p) => p.role === "from");
    if (!sender) return { touches, internalTouches };
    for (const r of parties) {
      if (r === sender) continue;
      if (sender.userId && !r.userId)
        touches.push({
          person: r.address,
          userId: sender.userId,
          touch: { at, kind, direction: "out", groupSize },
        });
      else if (!sender.userId && r.userId)
        touches.push({
          person: sender.address,
          userId: r.userId,
          touch: { at, kind, direction: "in", groupSize },
        });
      else if (sender.userId && r.userId && sender.userId !== r.userId) {
        const [a, b] = sender.userId < r.userId ? [sender.userId, r.userId] : [r.userId, sender.userId];
        internalTouches.push({
          userA: a,
          userB: b,
          touch: { at, kind, direction: a === sender.userId ? "out" : "in", groupSize },
        });
      }
    }
  } else {
    const internal = parties.filter((p) => p.userId);
    const external = parties.filter((p) => !p.userId);
    for (const u of internal) {
      for (const e of external)
        touches.push({
          person: e.address,
          userId: u.userId!,
          touch: { at, kind, direction: "mutual", groupSize },
        });
    }
    for (let i = 0; i < internal.length; i++) {
      for (let j = i + 1; j < internal.length; j++) {
        const [a, b] = [internal[i]!.userId!, internal[j]!.userId!].sort() as [string, string];
        if (a !== b)
          internalTouches.push({ userA: a, userB: b, touch: { at, kind, direction: "mutual", groupSize } });
      }
    }
  }
  return { touches: dedupeTouches(touches), internalTouches };
}

/** One touch per (person, user) per interaction, even when someone is on both To and Cc. */
function dedupeTouches<T extends { person: string; userId: string }>(touches: T[]): T[] {
  const seen = new Set<string>();
  return touches.filter((t) => {
    const key = `${t.person}|${t.userId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
