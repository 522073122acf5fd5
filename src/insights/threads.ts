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
  const keys = threadKeysOf(messages, subjectWindowDays);
  const byId = new Map<string, string>();
  for (let i = 0; i < messages.length; i++) byId.set(messages[i]!.id, keys[i]!);
  return byId;
}

/**
 * The thread key of each message, in the order given (`assignThreadKeys` as a list, for callers
 * that hold the messages by position). A thread's key is the smallest id in it.
 *
 * Union-find over message positions in typed arrays rather than over ids in maps: a KPI read
 * threads 10,000 mails per call, and one id lookup per message replaces a map update per
 * union-find step. Messages sharing an id are one node (the first of them), as they were by id.
 */
export function threadKeysOf(
  messages: readonly ThreadableMessage[],
  subjectWindowDays = defaultSubjectWindowDays,
): string[] {
  // Nothing to join by (mail captured without subjects or thread ids): each message is a thread of
  // its own, keyed by its id. Skips an id map over every message.
  if (!messages.some((m) => m.conversationId || m.inReplyTo || m.subject)) return messages.map((m) => m.id);
  const n = messages.length;
  const nodeById = new Map<string, number>();
  const node = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const id = messages[i]!.id;
    const first = nodeById.get(id);
    if (first === undefined) nodeById.set(id, i);
    node[i] = first ?? i;
  }
  const parent = Int32Array.from(node);
  const find = (x: number): number => {
    let root = x;
    while (parent[root] !== root) root = parent[root]!;
    // Path compression keeps repeated lookups flat.
    while (x !== root) {
      const next = parent[x]!;
      parent[x] = root;
      x = next;
    }
    return root;
  };
  // The root is the node with the smaller id, so a thread's key does not depend on message order.
  const union = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return;
    if (messages[ra]!.id < messages[rb]!.id) parent[rb] = ra;
    else parent[ra] = rb;
  };
  const replyTo = (m: ThreadableMessage): number | undefined =>
    m.inReplyTo ? nodeById.get(m.inReplyTo) : undefined;
  const byConversation = new Map<string, number>();
  // Messages an id ties to anything (their own conversation id, or an In-Reply-To we hold, on
  // either end) take no part in the subject fallback.
  const tied = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const m = messages[i]!;
    const target = replyTo(m);
    if (m.conversationId) {
      const first = byConversation.get(m.conversationId);
      if (first === undefined) byConversation.set(m.conversationId, node[i]!);
      else union(first, node[i]!);
    }
    if (target !== undefined) {
      union(node[i]!, target);
      tied[target] = 1;
    }
    if (m.conversationId || target !== undefined) tied[node[i]!] = 1;
  }
  // Subject fallback for messages that no id ties to anything.
  const loose: number[] = [];
  for (let i = 0; i < n; i++) if (tied[node[i]!] === 0 && messages[i]!.subject) loose.push(i);
  loose.sort((a, b) => {
    const x = messages[a]!;
    const y = messages[b]!;
    return x.at - y.at || (x.id < y.id ? -1 : 1);
  });
  const lastBySubject = new Map<string, { node: number; at: number }>();
  // Many messages share a subject: normalise each distinct one once.
  const normalised = new Map<string, string>();
  for (const i of loose) {
    const m = messages[i]!;
    const subject = m.subject ?? "";
    let key = normalised.get(subject);
    if (key === undefined) {
      key = normaliseSubject(subject);
      normalised.set(subject, key);
    }
    if (key === "") continue;
    const prev = lastBySubject.get(key);
    if (prev && m.at - prev.at <= subjectWindowDays * dayMs) union(prev.node, node[i]!);
    lastBySubject.set(key, { node: node[i]!, at: m.at });
  }
  const keys: string[] = [];
  for (let i = 0; i < n; i++) keys.push(messages[find(node[i]!)]!.id);
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
  // A thread of one message (most of them, in mail without replies) stays a bare message rather
  // than a list: no array per thread, and nothing to sort.
  const byThread = new Map<string, TurnMessage | TurnMessage[]>();
  for (const m of messages) {
    const held = byThread.get(m.threadKey);
    if (held === undefined) byThread.set(m.threadKey, m);
    else if (Array.isArray(held)) held.push(m);
    else byThread.set(m.threadKey, [held, m]);
  }
  const summary: TurnSummary = {
    responses: [],
    turns: { ours: 0, theirs: 0 },
    answered: { ours: 0, theirs: 0 },
  };
  const awaitMs = awaitWindowDays * dayMs;
  // Turn counts do not depend on the order threads are visited in; responses are listed by thread
  // key, so only threads with a response need sorting by key.
  const answeredThreads: { key: string; responses: ThreadResponse[] }[] = [];
  for (const held of byThread.values()) {
    if (!Array.isArray(held)) {
      if (now - held.at >= awaitMs) summary.turns[held.side] += 1;
      continue;
    }
    const key = held[0]!.threadKey;
    const list = held.sort((a, b) => a.at - b.at); // our own list: sorted in place (stable)
    const responses: ThreadResponse[] = [];
    let pending: TurnMessage | null = null;
    for (const m of list) {
      if (pending === null) {
        pending = m;
      } else if (pending.side !== m.side) {
        summary.turns[pending.side] += 1;
        summary.answered[pending.side] += 1;
        responses.push({
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
    if (pending !== null && now - pending.at >= awaitMs) summary.turns[pending.side] += 1;
    if (responses.length > 0) answeredThreads.push({ key, responses });
  }
  answeredThreads.sort((a, b) => (a.key < b.key ? -1 : 1));
  for (const t of answeredThreads) for (const r of t.responses) summary.responses.push(r);
  return summary;
}
