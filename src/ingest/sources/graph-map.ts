/**
 * Microsoft Graph `message` and `event` resources → domain records. Input is either a JSON.parse
 * result or the scanner's projection of the same object (graph-scan.ts); both go through here so
 * the two paths cannot drift apart.
 *
 * Owner: Graph resources do not name their mailbox. Exports that do should write it in a
 * top-level `mailboxOwner` member (an address); the caller's owner (flag, manifest) wins over it.
 */
import { normaliseAddress } from "../../domain/directory";
import type {
  Attendee,
  AttendeeResponse,
  AttendeeType,
  Mailbox,
  NoiseSignals,
  SourcePosition,
  SourceRecord,
} from "../../domain/interaction";
import { rejectedRecord } from "./common";
import { parseZonedDateTime } from "./time-zones";

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

// The same few thousand addresses recur on millions of lines; normalising each once measurably
// shortens the NDJSON path. Cleared when full, so memory stays bounded.
const normalised = new Map<string, string | null>();
const maxCached = 100_000;

function normaliseCached(raw: string): string | null {
  let address = normalised.get(raw);
  if (address === undefined) {
    if (normalised.size >= maxCached) normalised.clear();
    address = normaliseAddress(raw);
    normalised.set(raw, address);
  }
  return address;
}

/** `{emailAddress: {address, name}}` → Mailbox; null when there is no address or name. */
function recipient(value: unknown): Mailbox | null {
  if (!isObject(value)) return null;
  const email = isObject(value.emailAddress) ? value.emailAddress : value;
  const rawAddress = str(email.address);
  const name = str(email.name)?.trim();
  if (rawAddress === null && !name) return null;
  const address = rawAddress === null ? null : normaliseCached(rawAddress);
  const mailbox: Mailbox = { address: address ?? rawAddress ?? name! };
  if (name && name !== mailbox.address) mailbox.name = name;
  return mailbox;
}

function recipients(value: unknown): Mailbox[] {
  if (!Array.isArray(value)) return [];
  const out: Mailbox[] = [];
  for (const item of value) {
    const mailbox = recipient(item);
    if (mailbox !== null) out.push(mailbox);
  }
  return out;
}

function stripAngles(id: string | null): string | null {
  if (id === null) return null;
  const trimmed = id.trim();
  return trimmed.startsWith("<") && trimmed.endsWith(">") ? trimmed.slice(1, -1) : trimmed;
}

function headerNoise(value: unknown, noise: NoiseSignals): void {
  if (!Array.isArray(value)) return;
  for (const header of value) {
    if (!isObject(header)) continue;
    const name = str(header.name)?.toLowerCase();
    const text = (str(header.value) ?? "").trim().toLowerCase();
    if (name === "list-id") noise.listId = true;
    else if (name === "list-unsubscribe") noise.listUnsubscribe = true;
    else if (name === "precedence" && text !== "") noise.precedence = text;
    else if (name === "auto-submitted" && text !== "" && text !== "no") noise.autoSubmitted = text;
    else if (name === "content-type" && text.startsWith("text/calendar")) noise.calendarNotification = true;
  }
}

function ownerOf(item: Json, owner: string | null): string | null {
  if (owner !== null) return owner;
  const raw = str(item.mailboxOwner);
  return raw === null ? null : (normaliseAddress(raw) ?? raw);
}

function parseInstant(value: unknown): Date | null {
  if (typeof value !== "string") return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

function zoned(value: unknown): Date | null {
  if (!isObject(value) || typeof value.dateTime !== "string") return null;
  return parseZonedDateTime(value.dateTime, str(value.timeZone));
}

const attendeeTypes: Record<string, AttendeeType> = {
  required: "required",
  optional: "optional",
  resource: "resource",
};
const responses: Record<string, AttendeeResponse> = {
  accepted: "accepted",
  declined: "declined",
  tentativelyaccepted: "tentative",
  tentative: "tentative",
  organizer: "organizer",
  none: "none",
  notresponded: "none",
};

function attendees(value: unknown): Attendee[] {
  if (!Array.isArray(value)) return [];
  const out: Attendee[] = [];
  for (const item of value) {
    const mailbox = recipient(item);
    if (mailbox === null || !isObject(item)) continue;
    const type = attendeeTypes[(str(item.type) ?? "").toLowerCase()] ?? "required";
    const status = isObject(item.status) ? str(item.status.response) : null;
    out.push({ ...mailbox, type, response: responses[(status ?? "none").toLowerCase()] ?? "none" });
  }
  return out;
}

function kindOf(item: Json): "message" | "event" | null {
  const odataType = str(item["@odata.type"])?.toLowerCase() ?? "";
  if (odataType.endsWith(".event")) return "event";
  if (odataType.includes("message")) return "message";
  if (item.start !== undefined || item.attendees !== undefined || item.organizer !== undefined)
    return "event";
  if (
    item.from !== undefined ||
    item.sender !== undefined ||
    item.toRecipients !== undefined ||
    item.sentDateTime !== undefined ||
    item.internetMessageId !== undefined
  ) {
    return "message";
  }
  return null;
}

/** Maps one Graph resource (already parsed) to a record; anything unusable becomes a rejection. */
export function graphItemToRecord(
  item: unknown,
  position: SourcePosition,
  owner: string | null,
): SourceRecord {
  const { file, record, ...where } = position;
  if (!isObject(item))
    return rejectedRecord(file, record, "expected a JSON object (a Graph message or event)", where);
  const kind = kindOf(item);
  if (kind === null) {
    return rejectedRecord(
      file,
      record,
      "neither a Graph message nor an event: no from/toRecipients/sentDateTime or start/attendees",
      where,
    );
  }
  if (kind === "message") {
    const noise: NoiseSignals = {};
    headerNoise(item.internetMessageHeaders, noise);
    if (item.isDraft === true) noise.draft = true;
    const odataType = str(item["@odata.type"]) ?? "";
    // eventMessage (meeting request/response delivered as mail) is a calendar notification.
    if (/eventmessage/i.test(odataType) || (str(item.meetingMessageType) ?? "none") !== "none") {
      noise.calendarNotification = true;
    }
    const folder = str(item.folder) ?? str(item.parentFolderId);
    return {
      type: "email",
      position,
      messageId: stripAngles(str(item.internetMessageId)),
      conversationId: str(item.conversationId),
      inReplyTo: null,
      sentAt: parseInstant(item.sentDateTime) ?? parseInstant(item.receivedDateTime),
      from: recipient(item.from) ?? recipient(item.sender),
      to: recipients(item.toRecipients),
      cc: recipients(item.ccRecipients),
      subject: typeof item.subject === "string" ? item.subject : null,
      owner: ownerOf(item, owner),
      folder,
      noise,
    };
  }
  const start = zoned(item.start);
  const end = zoned(item.end);
  if (start === null || end === null) {
    const which = start === null ? "start" : "end";
    const value = JSON.stringify(item[which]) ?? "missing";
    return rejectedRecord(
      file,
      record,
      `event ${which} is not a {dateTime, timeZone} with a known zone: ${value.slice(0, 120)}`,
      where,
    );
  }
  return {
    type: "meeting",
    position,
    uid: str(item.iCalUId) ?? str(item.id),
    organizer: recipient(item.organizer),
    attendees: attendees(item.attendees),
    start,
    end,
    isCancelled: item.isCancelled === true,
    subject: typeof item.subject === "string" ? item.subject : null,
    owner: ownerOf(item, owner),
  };
}
