/**
 * RFC 5322 header block → EmailRecord. Only the header block is ever decoded; bodies stay bytes
 * in the reader and are skipped. Shared by the mbox, maildir and .eml sources.
 */
import { isAscii } from "node:buffer";
import { TextDecoder } from "node:util";
import type { EmailRecord, NoiseSignals, SourcePosition } from "../../domain/interaction";
import { normaliseAddressFast } from "../address";
import { parseAddressList, parseMailboxHeader } from "./address-list";
import { collapseWhitespace, decodeEncodedWords } from "./encoded-words";
import { parseMailDate } from "./mail-date";

/** Headers Kith reads; every other header is skipped without being unfolded or decoded. */
const wanted = new Set([
  "message-id",
  "date",
  "from",
  "sender",
  "to",
  "cc",
  "subject",
  "in-reply-to",
  "references",
  "x-origin",
  "x-folder",
  "list-id",
  "list-unsubscribe",
  "precedence",
  "auto-submitted",
  "content-type",
  "content-class",
  "x-kith-owner",
]);

export type HeaderMap = Map<string, string>;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Header bytes as text: UTF-8 when valid (8-bit headers in the wild are mostly UTF-8), else latin1. */
export function decodeHeaderBytes(bytes: Buffer): string {
  // isAscii is native; the byte loop it replaces was ~5 % of the parse (profile).
  if (isAscii(bytes)) return bytes.toString("latin1");
  try {
    return utf8.decode(bytes);
  } catch {
    return bytes.toString("latin1");
  }
}

/** The wanted header names by length, for matching a header line without slicing it. */
const wantedByLength: string[][] = [];
for (const name of wanted) (wantedByLength[name.length] ??= []).push(name);

/**
 * The wanted header whose name is text[start, colon), else null; same as looking up
 * `text.slice(start, colon).trim().toLowerCase()` in `wanted`. Names of printable ASCII (all of
 * them in real mail) are compared in place: slicing and lower-casing every header line made
 * parseHeaderBlock ~15 % slower on the Enron corpus (measured). Anything else (whitespace before
 * the colon, non-ASCII, which toLowerCase may map to ASCII) takes the slice.
 */
function wantedHeaderName(text: string, start: number, colon: number): string | null {
  for (let i = start; i < colon; i++) {
    const code = text.charCodeAt(i);
    if (code <= 32 || code >= 127) {
      const key = text.slice(start, colon).trim().toLowerCase();
      return wanted.has(key) ? key : null;
    }
  }
  const candidates = wantedByLength[colon - start];
  if (candidates === undefined) return null;
  next: for (const name of candidates) {
    for (let i = 0; i < name.length; i++) {
      let code = text.charCodeAt(start + i);
      if (code >= 65 && code <= 90) code += 32;
      if (code !== name.charCodeAt(i)) continue next;
    }
    return name;
  }
  return null;
}

function addHeader(headers: HeaderMap, name: string, value: string): void {
  const existing = headers.get(name);
  if (existing === undefined) headers.set(name, value);
  else if (name === "to" || name === "cc") headers.set(name, `${existing}, ${value}`);
}

/**
 * Parses an unfolded view of the wanted headers. The first occurrence of a header wins (as most
 * MUAs do), except To/Cc which are concatenated when repeated. Lines that are neither a header nor
 * a continuation (Notes junk) are ignored.
 */
export function parseHeaderBlock(text: string): HeaderMap {
  const headers: HeaderMap = new Map();
  let name: string | null = null;
  let value = "";
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    let lineEnd = end;
    if (lineEnd > start && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    const first = text.charCodeAt(start);
    if (first === 32 || first === 9) {
      if (name !== null) value += ` ${text.slice(start, lineEnd).trim()}`;
    } else {
      if (name !== null) addHeader(headers, name, value);
      name = null;
      const colon = text.indexOf(":", start);
      if (colon > start && colon < lineEnd) {
        name = wantedHeaderName(text, start, colon);
        if (name !== null) value = text.slice(colon + 1, lineEnd).trim();
      }
    }
    start = end + 1;
  }
  if (name !== null) addHeader(headers, name, value);
  return headers;
}

const angledId = /<([^<>\s]+)>/;

/** `<id@host>` → `id@host`; the first id when several are given. */
export function parseMessageId(value: string | undefined): string | null {
  if (value === undefined) return null;
  // The usual `<id>` without the regex: the first `<`, the first `>` after it, nothing odd between.
  const open = value.indexOf("<");
  const close = open < 0 ? -1 : value.indexOf(">", open + 1);
  if (close > open + 1) {
    const id = value.slice(open + 1, close);
    if (!/[<\s]/.test(id)) return id;
  }
  const angled = angledId.exec(value);
  if (angled) return angled[1]!;
  const bare = value.trim().split(/\s+/)[0];
  return bare === undefined || bare === "" ? null : bare;
}

function noiseSignals(headers: HeaderMap, folder: string | null): NoiseSignals {
  const noise: NoiseSignals = {};
  if (headers.has("list-id")) noise.listId = true;
  if (headers.has("list-unsubscribe")) noise.listUnsubscribe = true;
  const precedence = headers.get("precedence")?.trim().toLowerCase();
  if (precedence) noise.precedence = precedence;
  const autoSubmitted = headers.get("auto-submitted")?.trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== "no") noise.autoSubmitted = autoSubmitted;
  const contentType = headers.get("content-type")?.toLowerCase() ?? "";
  const contentClass = headers.get("content-class")?.toLowerCase() ?? "";
  if (
    contentType.startsWith("text/calendar") ||
    (contentType.includes("method") && /\bmethod\s*=\s*"?(request|reply|cancel|counter)/.test(contentType)) ||
    contentClass.includes("calendarmessage") ||
    (folder !== null && /(^|[\\/.])calendar$/i.test(folder.trim()))
  ) {
    noise.calendarNotification = true;
  }
  return noise;
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 32 || code === 127) return true;
  }
  return false;
}

/** Collapses whitespace and drops control characters (Enron has `=01` inside encoded words). */
function cleanSubject(text: string): string {
  if (!hasControlCharacter(text)) return collapseWhitespace(text);
  let out = "";
  for (const char of text) {
    const code = char.charCodeAt(0);
    out += code < 32 || code === 127 ? (code === 9 || code === 10 || code === 13 ? " " : "") : char;
  }
  return out.replace(/\s+/g, " ").trim();
}

/** normaliseAddress of X-Origin / X-Kith-Owner; Enron's `Allen-P` has no @, so cannot be an address. */
function ownerAddress(raw: string): string | null {
  return raw.includes("@") ? normaliseAddressFast(raw) : null;
}

export interface HeaderContext {
  position: SourcePosition;
  /** Owner from the caller (flag, manifest); wins over X-Origin. */
  owner: string | null;
  /** Folder from the container (maildir sub-folder) when the headers carry none. */
  folder: string | null;
}

export function emailFromHeaders(headers: HeaderMap, context: HeaderContext): EmailRecord {
  const folder = headers.get("x-folder")?.trim() || context.folder;
  const subject = headers.get("subject");
  const inReplyTo = parseMessageId(headers.get("in-reply-to"));
  const references = headers.get("references");
  // Thread: the root of References, else what the message replies to (RFC 5322 §3.6.4).
  const threadRoot = references !== undefined ? parseMessageId(references) : null;
  const recordOwner = headers.get("x-kith-owner") ?? headers.get("x-origin");
  const owner = context.owner ?? (recordOwner ? (ownerAddress(recordOwner) ?? recordOwner.trim()) : null);
  return {
    type: "email",
    position: context.position,
    messageId: parseMessageId(headers.get("message-id")),
    conversationId: threadRoot ?? inReplyTo,
    inReplyTo,
    sentAt: parseMailDate(headers.get("date")),
    from: parseMailboxHeader(headers.get("from") ?? headers.get("sender")),
    to: parseAddressList(headers.get("to")),
    cc: parseAddressList(headers.get("cc")),
    subject: subject === undefined ? null : cleanSubject(decodeEncodedWords(subject)),
    owner: owner || null,
    folder: folder ?? null,
    noise: noiseSignals(headers, folder ?? null),
  };
}
