/**
 * RFC 5322 address lists as they occur in real mail: quoted display names with commas
 * (`"Allen, Phillip K." <phillip.allen@enron.com>`), comments (`pallen@enron.com (Phillip Allen)`),
 * groups (`undisclosed-recipients:;`, `Team: a@x, b@x;`), encoded words, and Exchange/Notes junk
 * (`Kenneth Krasny/ENRON_DEVELOPMENT@ENRON`, `</O=ENRON/OU=NA/CN=RECIPIENTS/CN=X>`), which is kept
 * as raw text because it cannot be normalised.
 */
import { normaliseAddress } from "../../domain/directory";
import type { Mailbox } from "../../domain/interaction";
import { decodeEncodedWords } from "./encoded-words";

/** Splits at top-level commas and group delimiters, respecting quotes, angle brackets and comments. */
function splitMailboxes(value: string): string[] {
  const parts: string[] = [];
  let current = "";
  let inQuote = false;
  let angle = 0;
  let comment = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (inQuote) {
      current += c;
      if (c === "\\" && i + 1 < value.length) current += value[++i];
      else if (c === '"') inQuote = false;
      continue;
    }
    if (comment > 0) {
      current += c;
      if (c === "\\" && i + 1 < value.length) current += value[++i];
      else if (c === "(") comment++;
      else if (c === ")") comment--;
      continue;
    }
    switch (c) {
      case '"':
        inQuote = true;
        current += c;
        break;
      case "(":
        comment = 1;
        current += c;
        break;
      case "<":
        angle++;
        current += c;
        break;
      case ">":
        if (angle > 0) angle--;
        current += c;
        break;
      case ",":
      case ";":
        if (angle > 0) current += c;
        else {
          parts.push(current);
          current = "";
        }
        break;
      case ":":
        // A group's display name ends at a top-level colon with no @ before it; the colon inside
        // an address (`mailto:`, Exchange `/O=`) is not a group.
        if (angle === 0 && !current.includes("@") && !/mailto$/i.test(current.trim())) {
          current = "";
        } else current += c;
        break;
      default:
        current += c;
    }
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

function unquote(text: string): string {
  let value = text.trim();
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    value = value.slice(1, -1).replace(/\\(.)/g, "$1");
  } else {
    value = value.replace(/"((?:[^"\\]|\\.)*)"/g, (_, inner: string) => inner.replace(/\\(.)/g, "$1"));
  }
  return decodeEncodedWords(value).replace(/\s+/g, " ").trim();
}

function parseMailbox(part: string): Mailbox | null {
  let addressText: string;
  let name = "";
  const open = part.lastIndexOf("<");
  const close = part.lastIndexOf(">");
  if (open >= 0 && close > open) {
    addressText = part.slice(open + 1, close);
    name = part.slice(0, open) + part.slice(close + 1);
  } else {
    // `address (Display Name)`: the comment is the name.
    addressText = part.replace(/\((?:[^()\\]|\\.)*\)/g, (comment) => {
      name += comment.slice(1, -1);
      return "";
    });
  }
  addressText = addressText.trim();
  name = unquote(name.replace(/^\(|\)$/g, ""));
  if (addressText === "" && name === "") return null;
  const address = normaliseAddress(addressText);
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
