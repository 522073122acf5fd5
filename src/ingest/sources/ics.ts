/**
 * iCalendar (.ics, RFC 5545) → meeting records, with ical.js (well kept, handles RRULE, RDATE,
 * EXDATE and RECURRENCE-ID overrides). Recurring events are expanded into one record per
 * occurrence inside the backfill window [since, until] (default: the 12 months before now);
 * single events are emitted whatever their date (filtering by date is the caller's business).
 *
 * Time zones: a TZID that is an IANA or Windows name is converted with Intl (time-zones.ts), so
 * DST follows the runtime's tz database; other TZIDs use the file's VTIMEZONE through ical.js;
 * floating times use X-WR-TIMEZONE, else UTC. An event whose zone cannot be resolved is rejected.
 */
import ICAL from "ical.js";
import { readFile } from "node:fs/promises";
import { normaliseAddress } from "../../domain/directory";
import type {
  Attendee,
  AttendeeResponse,
  AttendeeType,
  Mailbox,
  MeetingRecord,
  SourceRecord,
} from "../../domain/interaction";
import { errorMessage, rejectedRecord, stripBom } from "./common";
import type { MailSource, SourceReadOptions } from "./source";
import { resolveTimeZone, zonedTimeToUtc } from "./time-zones";

/** Upper bound on occurrences walked per recurring event (a daily event over 100 years is ~36,500). */
const maxOccurrences = 100_000;

type Component = InstanceType<typeof ICAL.Component>;
type Time = InstanceType<typeof ICAL.Time>;
type Property = InstanceType<typeof ICAL.Property>;

export function defaultWindow(now: Date): { since: Date; until: Date } {
  const since = new Date(now);
  since.setUTCFullYear(since.getUTCFullYear() - 1);
  return { since, until: now };
}

function paramText(prop: Property, name: string): string | null {
  const value: unknown = prop.getParameter(name);
  if (Array.isArray(value)) return typeof value[0] === "string" ? value[0] : null;
  return typeof value === "string" ? value : null;
}

function mailboxOf(prop: Property | null): Mailbox | null {
  if (prop === null) return null;
  const value: unknown = prop.getFirstValue();
  const raw = typeof value === "string" ? value : "";
  const name = paramText(prop, "cn")?.trim();
  const address = normaliseAddress(raw) ?? normaliseAddress(paramText(prop, "email") ?? "");
  if (address === null && !raw && !name) return null;
  const mailbox: Mailbox = { address: address ?? (raw.replace(/^mailto:/i, "") || name!) };
  if (name && name !== mailbox.address) mailbox.name = name;
  return mailbox;
}

const roles: Record<string, AttendeeType> = {
  "REQ-PARTICIPANT": "required",
  CHAIR: "required",
  "OPT-PARTICIPANT": "optional",
  "NON-PARTICIPANT": "optional",
};
const partstats: Record<string, AttendeeResponse> = {
  ACCEPTED: "accepted",
  DECLINED: "declined",
  TENTATIVE: "tentative",
};

function attendeesOf(event: Component): Attendee[] {
  const out: Attendee[] = [];
  for (const prop of event.getAllProperties("attendee")) {
    const mailbox = mailboxOf(prop);
    if (mailbox === null) continue;
    const cutype = (paramText(prop, "cutype") ?? "").toUpperCase();
    const type: AttendeeType =
      cutype === "RESOURCE" || cutype === "ROOM"
        ? "resource"
        : (roles[(paramText(prop, "role") ?? "").toUpperCase()] ?? "required");
    const response = partstats[(paramText(prop, "partstat") ?? "").toUpperCase()] ?? "none";
    out.push({ ...mailbox, type, response });
  }
  return out;
}

interface ZoneContext {
  /** Zone for floating times (X-WR-TIMEZONE), IANA/Windows name. */
  floating: string;
}

/** UTC instant of an ical.js time given the TZID its property carried. */
function instantOf(time: Time, tzid: string | null, context: ZoneContext): Date | null {
  const wall = {
    year: time.year,
    month: time.month,
    day: time.day,
    hour: time.isDate ? 0 : time.hour,
    minute: time.isDate ? 0 : time.minute,
    second: time.isDate ? 0 : time.second,
  };
  const zoneId = time.zone?.tzid;
  if (zoneId === "UTC" || zoneId === "Z")
    return new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second));
  if (tzid !== null) {
    if (resolveTimeZone(tzid) !== null) return zonedTimeToUtc(wall, tzid);
    // Not a name Intl knows: the file's own VTIMEZONE, which ical.js resolved when registered.
    if (zoneId === tzid) return time.toJSDate();
    return null;
  }
  return zonedTimeToUtc(wall, context.floating);
}

function tzidOf(component: Component, name: string): string | null {
  const prop = component.getFirstProperty(name);
  return prop === null ? null : paramText(prop, "tzid");
}

interface Emit {
  file: string;
  record: number;
  line: number;
  owner: string | null;
  calendarCancelled: boolean;
}

function meeting(item: Component, start: Date, end: Date, uid: string | null, emit: Emit): MeetingRecord {
  const status = String(item.getFirstPropertyValue("status") ?? "").toUpperCase();
  const summary: unknown = item.getFirstPropertyValue("summary");
  return {
    type: "meeting",
    position: { file: emit.file, record: emit.record, line: emit.line },
    uid,
    organizer: mailboxOf(item.getFirstProperty("organizer")),
    attendees: attendeesOf(item),
    start,
    end,
    isCancelled: emit.calendarCancelled || status === "CANCELLED",
    subject: typeof summary === "string" ? summary : null,
    owner: emit.owner,
  };
}

/** DTEND, else DTSTART + DURATION, else DTSTART (+1 day for all-day events), per RFC 5545 §3.6.1. */
function endOf(event: InstanceType<typeof ICAL.Event>, start: Date, context: ZoneContext): Date | null {
  const component = event.component;
  if (component.hasProperty("dtend")) return instantOf(event.endDate, tzidOf(component, "dtend"), context);
  const duration: unknown = component.getFirstPropertyValue("duration");
  if (duration instanceof ICAL.Duration) return new Date(start.getTime() + duration.toSeconds() * 1000);
  return new Date(start.getTime() + (event.startDate.isDate ? 86_400_000 : 0));
}

function* singleEvent(
  event: InstanceType<typeof ICAL.Event>,
  emit: Emit,
  context: ZoneContext,
): Generator<SourceRecord> {
  const component = event.component;
  if (!component.hasProperty("dtstart")) {
    yield rejectedRecord(emit.file, emit.record, `VEVENT ${event.uid ?? "(no UID)"} has no DTSTART`, {
      line: emit.line,
    });
    return;
  }
  const start = instantOf(event.startDate, tzidOf(component, "dtstart"), context);
  const end = start === null ? null : endOf(event, start, context);
  if (start === null || end === null) {
    const tzid = tzidOf(component, "dtstart") ?? tzidOf(component, "dtend");
    yield rejectedRecord(
      emit.file,
      emit.record,
      `VEVENT ${event.uid ?? "(no UID)"}: unknown time zone ${tzid ?? "(none)"}`,
      {
        line: emit.line,
      },
    );
    return;
  }
  const uid = event.uid ?? null;
  const recurrenceId = component.hasProperty("recurrence-id")
    ? instantOf(event.recurrenceId, tzidOf(component, "recurrence-id"), context)
    : null;
  yield meeting(
    component,
    start,
    end,
    uid !== null && recurrenceId !== null ? `${uid}/${recurrenceId.toISOString()}` : uid,
    emit,
  );
}

function* occurrences(
  event: InstanceType<typeof ICAL.Event>,
  emit: Emit,
  context: ZoneContext,
  window: { since: Date; until: Date },
): Generator<SourceRecord> {
  const masterTzid = tzidOf(event.component, "dtstart");
  const iterator = event.iterator();
  for (let i = 0; i < maxOccurrences; i++) {
    const next = iterator.next();
    if (!next) return;
    const details = event.getOccurrenceDetails(next);
    const item = details.item;
    const isOverride = item !== event;
    const start = instantOf(
      details.startDate,
      isOverride ? tzidOf(item.component, "dtstart") : masterTzid,
      context,
    );
    const original = instantOf(details.recurrenceId, masterTzid, context);
    if (start === null || original === null) {
      yield rejectedRecord(
        emit.file,
        emit.record,
        `VEVENT ${event.uid}: unknown time zone ${masterTzid ?? "(none)"}`,
        { line: emit.line },
      );
      return;
    }
    if (original.getTime() > window.until.getTime() && start.getTime() > window.until.getTime()) return;
    const end = isOverride
      ? (endOf(item, start, context) ?? start)
      : new Date(start.getTime() + details.endDate.subtractDate(details.startDate).toSeconds() * 1000);
    if (start.getTime() < window.since.getTime() || start.getTime() > window.until.getTime()) continue;
    yield meeting(item.component, start, end, `${event.uid}/${original.toISOString()}`, emit);
  }
}

function lineNumbersOfEvents(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let last = 0;
  for (const match of text.matchAll(/^BEGIN:VEVENT\r?$/gim)) {
    for (let i = text.indexOf("\n", last); i >= 0 && i < match.index; i = text.indexOf("\n", i + 1)) line++;
    last = match.index;
    lines.push(line);
  }
  return lines;
}

export async function* readIcs(path: string, options: SourceReadOptions = {}): AsyncGenerator<SourceRecord> {
  const text = stripBom(await readFile(path, "utf8"));
  const fallback = defaultWindow(options.now ?? new Date());
  const window = { since: options.since ?? fallback.since, until: options.until ?? fallback.until };
  let calendar: Component;
  try {
    calendar = new ICAL.Component(ICAL.parse(text) as unknown[]);
  } catch (error) {
    yield rejectedRecord(path, 1, `not a valid iCalendar file: ${errorMessage(error)}`, { line: 1 });
    return;
  }
  const root =
    calendar.name === "vcalendar" ? calendar : (calendar.getFirstSubcomponent("vcalendar") ?? calendar);
  const floatingName = String(root.getFirstPropertyValue("x-wr-timezone") ?? "UTC");
  const context: ZoneContext = { floating: resolveTimeZone(floatingName) === null ? "UTC" : floatingName };
  const calendarCancelled = String(root.getFirstPropertyValue("method") ?? "").toUpperCase() === "CANCEL";

  // Zones the file defines, for TZIDs Intl does not know; removed again after this file.
  const registered: string[] = [];
  for (const vtimezone of root.getAllSubcomponents("vtimezone")) {
    const tzid = vtimezone.getFirstPropertyValue("tzid");
    if (typeof tzid === "string" && !ICAL.TimezoneService.has(tzid)) {
      ICAL.TimezoneService.register(new ICAL.Timezone(vtimezone));
      registered.push(tzid);
    }
  }
  try {
    // Re-parse so property values resolve the zones just registered.
    if (registered.length > 0) calendar = new ICAL.Component(ICAL.parse(text) as unknown[]);
    const rootAgain =
      calendar.name === "vcalendar" ? calendar : (calendar.getFirstSubcomponent("vcalendar") ?? calendar);
    const vevents = rootAgain.getAllSubcomponents("vevent");
    const lines = lineNumbersOfEvents(text);
    const masters = new Map<string, number>();
    vevents.forEach((vevent, index) => {
      const uid = vevent.getFirstPropertyValue("uid");
      if (typeof uid === "string" && !vevent.hasProperty("recurrence-id")) masters.set(uid, index);
    });
    const overrides = new Map<number, Component[]>();
    const orphans = new Set<number>();
    vevents.forEach((vevent, index) => {
      if (!vevent.hasProperty("recurrence-id")) return;
      const uid = vevent.getFirstPropertyValue("uid");
      const master = typeof uid === "string" ? masters.get(uid) : undefined;
      if (master === undefined) orphans.add(index);
      else overrides.set(master, [...(overrides.get(master) ?? []), vevent]);
    });
    for (let index = 0; index < vevents.length; index++) {
      const vevent = vevents[index]!;
      if (vevent.hasProperty("recurrence-id") && !orphans.has(index)) continue;
      const emit: Emit = {
        file: path,
        record: index + 1,
        line: lines[index] ?? 0,
        owner: options.owner ?? null,
        calendarCancelled,
      };
      try {
        const event = new ICAL.Event(vevent, { exceptions: overrides.get(index) ?? [] });
        if (event.isRecurring() && !orphans.has(index)) yield* occurrences(event, emit, context, window);
        else yield* singleEvent(event, emit, context);
      } catch (error) {
        yield rejectedRecord(path, index + 1, `unreadable VEVENT: ${errorMessage(error)}`, {
          line: emit.line,
        });
      }
    }
  } finally {
    for (const tzid of registered) ICAL.TimezoneService.remove(tzid);
  }
}

export const icsSource: MailSource = {
  format: "ics",
  detect: (_path, head, isDir) =>
    !isDir && /^\s*BEGIN:VCALENDAR/i.test(head.toString("utf8", 0, 256).replace(/^\uFEFF/, "")),
  read: readIcs,
};
