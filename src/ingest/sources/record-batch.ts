/**
 * The wire format between parse worker threads (graph-worker.ts, mail-worker.ts) and the main
 * thread: a batch of source records as one flat array of primitives.
 */
import type { Attendee, Mailbox, NoiseSignals, SourcePosition, SourceRecord } from "../../domain/interaction";

/**
 * A batch crosses the thread boundary as one flat array of primitives (strings, numbers, null),
 * with the file name sent once. Measured on ~1 KB Graph message lines: JSON.stringify in the
 * worker plus JSON.parse and Date revival on the main thread cost ≈4 µs a record, close to parsing
 * the line itself; a flat array is filled with plain pushes and structured clone copies it without
 * walking objects, so the main thread — the pool's serial part — only rebuilds the records.
 * `file` is the first record's; a record from another file (a maildir batch holds one file per
 * message) carries its own name, otherwise null.
 */
export interface EncodedBatch {
  file: string;
  values: Array<string | number | boolean | null>;
}

type Value = string | number | boolean | null;

function pushMailbox(values: Value[], mailbox: Mailbox | null): void {
  if (mailbox === null) values.push(null, null);
  else values.push(mailbox.address, mailbox.name ?? null);
}

export function encodeBatch(records: SourceRecord[]): EncodedBatch {
  const file = records[0]?.position.file ?? "";
  const values: Value[] = [];
  for (const r of records) {
    const { record, line = null, offset = null } = r.position;
    const own = r.position.file === file ? null : r.position.file;
    if (r.type === "email") {
      values.push(
        0,
        own,
        record,
        line,
        offset,
        r.messageId,
        r.conversationId,
        r.inReplyTo,
        r.sentAt?.getTime() ?? null,
      );
      pushMailbox(values, r.from);
      values.push(r.to.length);
      for (const m of r.to) pushMailbox(values, m);
      values.push(r.cc.length);
      for (const m of r.cc) pushMailbox(values, m);
      const n = r.noise;
      values.push(r.subject, r.owner, r.folder);
      values.push(
        n.listId ?? null,
        n.listUnsubscribe ?? null,
        n.precedence ?? null,
        n.autoSubmitted ?? null,
        n.calendarNotification ?? null,
        n.draft ?? null,
      );
    } else if (r.type === "meeting") {
      values.push(1, own, record, line, offset, r.uid);
      pushMailbox(values, r.organizer);
      values.push(r.attendees.length);
      for (const a of r.attendees) values.push(a.address, a.name ?? null, a.type, a.response);
      values.push(r.start.getTime(), r.end.getTime(), r.isCancelled, r.subject, r.owner);
    } else {
      values.push(2, own, record, line, offset, r.reason);
    }
  }
  return { file, values };
}

/** Inverse of encodeBatch. */
export function decodeBatch(batch: EncodedBatch): SourceRecord[] {
  const { file, values } = batch;
  let i = 0;
  const str = () => values[i++] as string;
  const strOrNull = () => values[i++] as string | null;
  const num = () => values[i++] as number;
  const mailbox = (): Mailbox | null => {
    const address = strOrNull();
    const name = strOrNull();
    if (address === null) return null;
    return name === null ? { address } : { address, name };
  };
  const position = (): SourcePosition => {
    const own = strOrNull();
    const record = num();
    const line = values[i++] as number | null;
    const offset = values[i++] as number | null;
    const p: SourcePosition = { file: own ?? file, record };
    if (line !== null) p.line = line;
    if (offset !== null) p.offset = offset;
    return p;
  };
  const records: SourceRecord[] = [];
  while (i < values.length) {
    const kind = num();
    if (kind === 0) {
      const p = position();
      const messageId = strOrNull();
      const conversationId = strOrNull();
      const inReplyTo = strOrNull();
      const sent = values[i++] as number | null;
      const from = mailbox();
      const to: Mailbox[] = [];
      for (let n = num(); n > 0; n--) to.push(mailbox()!);
      const cc: Mailbox[] = [];
      for (let n = num(); n > 0; n--) cc.push(mailbox()!);
      const subject = strOrNull();
      const owner = strOrNull();
      const folder = strOrNull();
      const noise: NoiseSignals = {};
      const listId = values[i++];
      const listUnsubscribe = values[i++];
      const precedence = strOrNull();
      const autoSubmitted = strOrNull();
      const calendarNotification = values[i++];
      const draft = values[i++];
      if (draft !== null) noise.draft = draft as boolean;
      if (listId !== null) noise.listId = listId as boolean;
      if (listUnsubscribe !== null) noise.listUnsubscribe = listUnsubscribe as boolean;
      if (precedence !== null) noise.precedence = precedence;
      if (autoSubmitted !== null) noise.autoSubmitted = autoSubmitted;
      if (calendarNotification !== null) noise.calendarNotification = calendarNotification as boolean;
      records.push({
        type: "email",
        position: p,
        messageId,
        conversationId,
        inReplyTo,
        sentAt: sent === null ? null : new Date(sent),
        from,
        to,
        cc,
        subject,
        owner,
        folder,
        noise,
      });
    } else if (kind === 1) {
      const p = position();
      const uid = strOrNull();
      const organizer = mailbox();
      const attendees: Attendee[] = [];
      for (let n = num(); n > 0; n--) {
        const address = str();
        const name = strOrNull();
        const type = str() as Attendee["type"];
        const response = str() as Attendee["response"];
        attendees.push(name === null ? { address, type, response } : { address, name, type, response });
      }
      const start = new Date(num());
      const end = new Date(num());
      const isCancelled = values[i++] as boolean;
      records.push({
        type: "meeting",
        position: p,
        uid,
        organizer,
        attendees,
        start,
        end,
        isCancelled,
        subject: strOrNull(),
        owner: strOrNull(),
      });
    } else {
      const p = position();
      records.push({ type: "rejected", position: p, reason: str() });
    }
  }
  return records;
}
