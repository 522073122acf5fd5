/**
 * Reply matching, shared by KPIs (§4.3), health (§4.4) and My network (§4.6).
 *
 * Which message answers which: messages are grouped into threads by, in order of trust,
 *   1. the same conversation / thread id;
 *   2. an In-Reply-To naming a message we hold (joined transitively, so a chain is one thread);
 *   3. only for messages that neither carry a conversation id nor reach a known message through
 *      In-Reply-To: the same normalised subject ("Re: Fwd: Pricing" → "pricing"), with each
 *      message at most `subjectWindowDays` after the previous one of that subject (a gap starts a
 *      new thread). Without a subject (capture level `metadata`) such messages stay alone and
 *      produce no reply data.
 * Within a thread, messages in time order form *turns*: consecutive messages from one side are one
 * turn; the first message from the other side after a turn is the reply to it, and the response
 * time runs from the first message of the turn (a first-response time).
 */
import { dayMs, hourMs } from "./time";

export interface ThreadableMessage {
  id: string;
  at: number;
  conversationId?: string | null;
  inReplyTo?: string | null;
  subject?: string | null;
}

const prefix =
  /^\s*(?:\[[^\]]{1,40}\]\s*)*(?:(?:re|fw|fwd|aw|sv|vs|wg|tr|antw|rif|ref)(?:\[\d+\])?\s*:\s*)+/i;

/** Lower-cased subject without reply/forward prefixes, list tags or repeated whitespace. */
export function normaliseSubject(subject: string): string {
  let s = subject;
  for (let i = 0; i < 10; i++) {
    const next = s.replace(prefix, "");
    if (next === s) break;
    s = next;
  }
  return s
    .replace(/^\s*(?:\[[^\]]{1,40}\]\s*)+/, "")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
}

export const defaultSubjectWindowDays = 14;

/** Maps each message id to a thread key (see the module comment for the rules). */
export function assignThreadKeys(
  messages: readonly ThreadableMessage[],
  subjectWindowDays = defaultSubjectWindowDays,
): Map<string, string> {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    for (let p = parent.get(root); p !== undefined && p !== root; p = parent.get(root)) root = p;
    // Path compression keeps repeated lookups flat.
    let node = x;
    while (node !== root) {
      const next = parent.get(node) ?? root;
      parent.set(node, root);
      node = next;
    }
    return root;
  };
  const union = (a: string, b: string): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  };
  const ids = new Set(messages.map((m) => m.id));
  for (const m of messages) parent.set(m.id, m.id);
  const byConversation = new Map<string, string>();
  for (const m of messages) {
    if (m.conversationId) {
      const first = byConversation.get(m.conversationId);
      if (first === undefined) byConversation.set(m.conversationId, m.id);
      else union(first, m.id);
    }
    if (m.inReplyTo && ids.has(m.inReplyTo)) union(m.id, m.inReplyTo);
  }
  // Subject fallback for messages that no id ties to anything.
  const tied = new Set<string>();
  for (const m of messages) {
    if (m.conversationId || (m.inReplyTo && ids.has(m.inReplyTo))) {
      tied.add(m.id);
      if (m.inReplyTo) tied.add(m.inReplyTo);
    }
  }
  const loose = messages
    .filter((m) => !tied.has(m.id) && m.subject)
    .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
  const lastBySubject = new Map<string, { id: string; at: number }>();
  // Many messages share a subject: normalise each distinct one once.
  const normalised = new Map<string, string>();
  for (const m of loose) {
    const subject = m.subject ?? "";
    let key = normalised.get(subject);
    if (key === undefined) {
      key = normaliseSubject(subject);
      normalised.set(subject, key);
    }
    if (key === "") continue;
    const prev = lastBySubject.get(key);
    if (prev && m.at - prev.at <= subjectWindowDays * dayMs) union(prev.id, m.id);
    lastBySubject.set(key, { id: m.id, at: m.at });
  }
  const keys = new Map<string, string>();
  for (const m of messages) keys.set(m.id, find(m.id));
  return keys;
}

export type Side = "ours" | "theirs";

export interface TurnMessage {
  threadKey: string;
  at: number;
  side: Side;
  /** Who sent it, for per-person figures. */
  sender?: string | null;
}

export interface ThreadResponse {
  /** The side that replied. */
  by: Side;
  threadKey: string;
  /** First message of the turn being answered. */
  askedAt: number;
  answeredAt: number;
  hours: number;
  responder: string | null;
}

export interface TurnSummary {
  responses: ThreadResponse[];
  /** Turns by each side that the other side had a chance to answer (answered, or older than the window). */
  turns: Record<Side, number>;
  /** Of those, answered by the other side. */
  answered: Record<Side, number>;
}

/**
 * First-response analysis. A turn still unanswered and younger than `awaitWindowDays` at `now` is
 * left out of the response-rate denominator: it may still be answered.
 */
export function analyseTurns(
  messages: readonly TurnMessage[],
  now: number,
  awaitWindowDays = defaultSubjectWindowDays,
): TurnSummary {
  const byThread = new Map<string, TurnMessage[]>();
  for (const m of messages) {
    const list = byThread.get(m.threadKey);
    if (list) list.push(m);
    else byThread.set(m.threadKey, [m]);
  }
  const summary: TurnSummary = {
    responses: [],
    turns: { ours: 0, theirs: 0 },
    answered: { ours: 0, theirs: 0 },
  };
  const threadKeys = [...byThread.keys()].sort();
  for (const key of threadKeys) {
    const list = (byThread.get(key) ?? []).slice().sort((a, b) => a.at - b.at);
    let pending: TurnMessage | null = null;
    for (const m of list) {
      if (pending === null) {
        pending = m;
      } else if (pending.side !== m.side) {
        summary.turns[pending.side] += 1;
        summary.answered[pending.side] += 1;
        summary.responses.push({
          by: m.side,
          threadKey: key,
          askedAt: pending.at,
          answeredAt: m.at,
          hours: (m.at - pending.at) / hourMs,
          responder: m.sender ?? null,
        });
        pending = m;
      }
    }
    if (pending !== null && now - pending.at >= awaitWindowDays * dayMs) summary.turns[pending.side] += 1;
  }
  return summary;
}
