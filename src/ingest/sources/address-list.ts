/**
 * RFC 5322 address lists as they occur in real mail: quoted display names with commas
 * (`"Allen, Phillip K." <phillip.allen@enron.com>`), comments (`pallen@enron.com (Phillip Allen)`),
 * groups (`undisclosed-recipients:;`, `Team: a@x, b@x;`), encoded words, and Exchange/Notes junk
 * (`Kenneth Krasny/ENRON_DEVELOPMENT@ENRON`, `</O=ENRON/OU=NA/CN=RECIPIENTS/CN=X>`), which is kept
 * as raw text because it cannot be normalised.
 */
import type { Mailbox } from "../../domain/interaction";
import { normaliseAddressFast } from "../address";
import { collapseWhitespace, decodeEncodedWords } from "./encoded-words";

const quote = 34; // "
const openComment = 40; // (
const closeComment = 41; // )
const comma = 44;
const colon = 58;
const semicolon = 59;
const openAngle = 60; // <
const closeAngle = 62; // >
const backslash = 92;

function pushPart(parts: string[], text: string): void {
  const part = text.trim();
  if (part !== "") parts.push(part);
}

/**
 * Splits at top-level commas and group delimiters, respecting quotes, angle brackets and comments.
 * Parts are slices of the value: building them with `current += c` took over a quarter of the
 * address-list time on the Enron corpus (profile).
 */
function splitMailboxes(value: string): string[] {
  const parts: string[] = [];
  if (!/["(<:;]/.test(value)) {
    // Nothing but commas to split at, as in 99 % of Enron's lists (bare addresses): a native
    // regex test and String#split are ~15 % cheaper than the scan below (measured).
    for (const part of value.split(",")) pushPart(parts, part);
    return parts;
  }
  let start = 0; // where the current part begins
  let inQuote = false;
  let angle = 0;
  let comment = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    // An escaped character (after a backslash) is skipped over; it stays in the part as it is.
    if (inQuote) {
      if (c === backslash) i++;
      else if (c === quote) inQuote = false;
      continue;
    }
    if (comment > 0) {
      if (c === backslash) i++;
      else if (c === openComment) comment++;
      else if (c === closeComment) comment--;
      continue;
    }
    switch (c) {
      case quote:
        inQuote = true;
        break;
      case openComment:
        comment = 1;
        break;
      case openAngle:
        angle++;
        break;
      case closeAngle:
        if (angle > 0) angle--;
        break;
      case comma:
      case semicolon:
        if (angle === 0) {
          pushPart(parts, value.slice(start, i));
          start = i + 1;
        }
        break;
      case colon: {
        // A group's display name ends at a top-level colon with no @ before it; the colon inside
        // an address (`mailto:`, Exchange `/O=`) is not a group.
        if (angle > 0) break;
        const current = value.slice(start, i);
        if (!current.includes("@") && !/mailto$/i.test(current.trim())) start = i + 1;
        break;
      }
    }
  }
  pushPart(parts, value.slice(start));
  return parts;
}

/** `name.replace(/^\(|\)$/g, "")`: a comment used as the name loses its parentheses. */
function stripParentheses(name: string): string {
  const from = name.charCodeAt(0) === openComment ? 1 : 0;
  const to =
    name.length > from && name.charCodeAt(name.length - 1) === closeComment ? name.length - 1 : name.length;
  return from === 0 && to === name.length ? name : name.slice(from, to);
}

const escapedChar = /\\(.)/g;
const quotedString = /"((?:[^"\\]|\\.)*)"/g;

function unquote(text: string): string {
  let value = text.trim();
  // The regexes run only when there is something for them to match (a backslash, a quote).
  if (value.length >= 2 && value.charCodeAt(0) === quote && value.charCodeAt(value.length - 1) === quote) {
    value = value.slice(1, -1);
    if (value.includes("\\")) value = value.replace(escapedChar, "$1");
  } else if (value.includes('"')) {
    value = value.replace(quotedString, (_, inner: string) => inner.replace(escapedChar, "$1"));
  }
  return collapseWhitespace(decodeEncodedWords(value));
}

const comments = /\((?:[^()\\]|\\.)*\)/g;

function parseMailbox(part: string): Mailbox | null {
  let addressText = part;
  let name = "";
  // lastIndexOf is several times slower than indexOf in V8, and most parts have no `<` at all.
  const open = part.includes("<") ? part.lastIndexOf("<") : -1;
  const close = open >= 0 ? part.lastIndexOf(">") : -1;
  if (open >= 0 && close > open) {
    addressText = part.slice(open + 1, close);
    name = part.slice(0, open) + part.slice(close + 1);
  } else if (part.includes("(")) {
    // `address (Display Name)`: the comment is the name.
    addressText = part.replace(comments, (comment) => {
      name += comment.slice(1, -1);
      return "";
    });
  }
  addressText = addressText.trim();
  if (name !== "") name = unquote(stripParentheses(name));
  if (addressText === "" && name === "") return null;
  const address = normaliseAddressFast(addressText);
  const mailbox: Mailbox = { address: address ?? (addressText || name) };
  if (name !== "" && name !== mailbox.address) mailbox.name = name;
  return mailbox;
}

/** Parses an address-list header value (already unfolded); never throws. */
export function parseAddressList(value: string | null | undefined): Mailbox[] {
  if (value === null || value === undefined) return [];
  const mailboxes: Mailbox[] = [];
  for (const part of splitMailboxes(value)) {
    const mailbox = parseMailbox(part);
    if (mailbox !== null) mailboxes.push(mailbox);
  }
  return mailboxes;
}

/** A single-mailbox header (From, Sender); the first mailbox when a list is given. */
export function parseMailboxHeader(value: string | null | undefined): Mailbox | null {
  return parseAddressList(value)[0] ?? null;
}
