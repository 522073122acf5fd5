/**
 * Interaction values: what sources produce (SourceRecord) and what the store keeps (Interaction).
 * Bcc is deliberately absent from every type: Kith never uses it (SPEC §2).
 */

export interface Mailbox {
  /** Normalised address (see normaliseAddress), or the raw text when it could not be normalised. */
  address: string;
  name?: string;
}

/** Header signals the noise filters read (SPEC §2); parsers fill what the format carries. */
export interface NoiseSignals {
  listId?: boolean;
  listUnsubscribe?: boolean;
  /** Value of `Precedence`, lower-cased (bulk, list, junk). */
  precedence?: string;
  /** Value of `Auto-Submitted` when not `no`. */
  autoSubmitted?: string;
  /** A calendar notification mail (meeting request/response sent as mail). */
  calendarNotification?: boolean;
  /** A draft that was never sent (Graph `isDraft`): not an interaction at all. */
  draft?: boolean;
}

/** Where a record came from, so a rejection can name the file, the record and the reason. */
export interface SourcePosition {
  file: string;
  /** 1-based record number within the file. */
  record: number;
  /** Byte offset or line number within the file, when the format has one. */
  offset?: number;
  line?: number;
}

export interface EmailRecord {
  type: "email";
  position: SourcePosition;
  /** Internet-Message-ID without angle brackets; null when absent. */
  messageId: string | null;
  conversationId: string | null;
  inReplyTo: string | null;
  sentAt: Date | null;
  from: Mailbox | null;
  to: Mailbox[];
  cc: Mailbox[];
  subject: string | null;
  /** The mailbox owner when the record itself says (Graph export field, X-Origin and the like). */
  owner: string | null;
  /** Folder the copy sits in, when known (sent items vs inbox helps direction). */
  folder: string | null;
  noise: NoiseSignals;
}

export type AttendeeType = "required" | "optional" | "resource";
export type AttendeeResponse = "accepted" | "declined" | "tentative" | "none" | "organizer";

export interface Attendee extends Mailbox {
  type: AttendeeType;
  response: AttendeeResponse;
}

export interface MeetingRecord {
  type: "meeting";
  position: SourcePosition;
  /** iCalendar UID / Graph iCalUId, with the occurrence start appended for expanded recurrences. */
  uid: string | null;
  organizer: Mailbox | null;
  attendees: Attendee[];
  start: Date;
  end: Date;
  isCancelled: boolean;
  subject: string | null;
  owner: string | null;
}

export interface RejectedRecord {
  type: "rejected";
  position: SourcePosition;
  reason: string;
}

export type SourceRecord = EmailRecord | MeetingRecord | RejectedRecord;

export type InteractionKind = "email" | "meeting" | "call" | "task";
export type Direction = "out" | "in";
