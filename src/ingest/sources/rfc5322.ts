/**
 * RFC 5322 mail sources: mbox (mboxo/mboxrd), maildir and single .eml files. Headers only: files
 * are streamed in chunks through a Buffer scanner, the header block of each message is decoded and
 * the body is skipped as bytes (never turned into strings, never kept past the current chunk).
 *
 * Message boundaries follow Python's `mailbox.mbox` exactly (the independent count the tests
 * compare with): every line that starts with `From ` begins a new message, whatever precedes it.
 * Escaped body lines (`>From `) are thus never boundaries; an unescaped `From ` in a body is one,
 * in Python and here alike.
 */
import { existsSync, readdirSync } from "node:fs";
import { open, readdir, stat } from "node:fs/promises";
import { basename, extname, join, relative } from "node:path";
import type { EmailRecord, RejectedRecord, SourceRecord } from "../../domain/interaction";
import { errorMessage, rejectedRecord } from "./common";
import { decodeHeaderBytes, emailFromHeaders, parseHeaderBlock } from "./mail-headers";
import type { MailSource, SourceReadOptions } from "./source";

const chunkBytes = 1 << 20;
/** How far past a blank line we look for the rest of a header block broken by a blank line. */
const lookaheadBytes = 4096;
/** A header block larger than this is cut there (the rest is read as body). */
const maxHeaderBytes = 8 << 20;

const separator = Buffer.from("\nFrom ");
const fromAtStart = Buffer.from("From ");
const lf = 10;
const cr = 13;

/**
 * `buf.indexOf(separator, from)`, found as `From ` preceded by "\n": Node scans a pattern this
 * short for its first byte with memchr, and `F` is far rarer in mail than "\n" (the body scan
 * costs ~40 % less on the Enron corpus, measured).
 */
function findSeparator(buf: Buffer, from: number): number {
  if (from < 0) return buf.indexOf(separator, from);
  for (let at = buf.indexOf(fromAtStart, from + 1); at >= 0; at = buf.indexOf(fromAtStart, at + 1)) {
    if (buf[at - 1] === lf) return at - 1;
  }
  return -1;
}

/** Index of the "\n" that starts the blank line ending a header block, searching from `from`; -1 if none. */
function findBlankLine(buf: Buffer, from: number, to: number): number {
  let i = from;
  for (;;) {
    i = buf.indexOf(lf, i);
    if (i < 0 || i >= to) return -1;
    const next = buf[i + 1];
    if (next === lf || (next === cr && buf[i + 2] === lf)) return i;
    i++;
  }
}

const subjectLine = /(^|\n)subject:/i;
const mimeVersionLine = /(^|\n)mime-version:/i;

/**
 * `mimeVersionLine.test(text)`, trying the two spellings real mail uses with indexOf first: the
 * regex over every header block cost ~10 ms a pass on the Enron corpus (profile).
 */
function hasMimeVersionLine(text: string): boolean {
  return text.includes("\nMime-Version:") || text.includes("\nMIME-Version:") || mimeVersionLine.test(text);
}

/**
 * Real mail (≈15 Enron calendar items) has a folded Subject containing blank lines; a strict
 * reader ends the header block there and loses Mime-Version, X-Folder, X-Origin. When the block
 * has a Subject but no Mime-Version, and a `Mime-Version:` line follows within a few KB, the
 * lines between are read as a continuation and the block runs on to the next blank line. (Folded
 * subject lines that look like headers, `Date: Monday, March 12`, stay separate headers: the
 * first Date wins, so nothing Kith keeps changes.) Returns the repaired header text and the new end, or null to keep the block.
 */
function repairBrokenFold(
  buf: Buffer,
  headerText: string,
  end: number,
  limit: number,
): { text: string; end: number } | null {
  if (hasMimeVersionLine(headerText) || !subjectLine.test(headerText)) return null;
  const windowEnd = Math.min(limit, end + lookaheadBytes);
  const window = buf.toString("latin1", end, windowEnd);
  const match = mimeVersionLine.exec(window);
  if (match === null) return null;
  const resume = end + match.index + match[1]!.length;
  let newEnd = findBlankLine(buf, resume, limit);
  if (newEnd < 0) newEnd = limit;
  const between = buf
    .toString("latin1", end + 1, resume)
    .split("\n")
    .map((line) => ` ${line.replace(/\r$/, "")}`)
    .join("\n");
  const rest = decodeHeaderBytes(buf.subarray(resume, newEnd));
  return { text: `${headerText}\n${between.replace(/\n $/, "")}\n${rest}`, end: newEnd };
}

function recordFromHeaderText(
  text: string,
  file: string,
  record: number,
  offset: number | undefined,
  options: SourceReadOptions,
  folder: string | null,
): EmailRecord | RejectedRecord {
  const where = offset === undefined ? {} : { offset };
  try {
    const headers = parseHeaderBlock(text);
    if (!headers.has("from") && !headers.has("to") && !headers.has("date") && !headers.has("message-id")) {
      const reason =
        text.trim() === "" ? "empty message: no header block" : "no From, To, Date or Message-ID header";
      return rejectedRecord(file, record, reason, where);
    }
    return emailFromHeaders(headers, {
      position: { file, record, ...where },
      owner: options.owner ?? null,
      folder,
    });
  } catch (error) {
    return rejectedRecord(file, record, `unreadable header block: ${errorMessage(error)}`, where);
  }
}

/**
 * Read buffers of finished readers, kept for the next file: a fresh buffer is page-faulted in as
 * it is filled, which cost 15–25 ms a pass over Enron's 471 files (measured). Records never
 * reference these bytes (header text is decoded to strings), so reuse is safe.
 */
const spareReadBuffers: Buffer[] = [];

function takeReadBuffer(size: number): Buffer {
  const i = spareReadBuffers.findIndex((b) => b.length >= size);
  if (i >= 0) return spareReadBuffers.splice(i, 1)[0]!;
  return Buffer.allocUnsafe(Math.max(size, 2 * chunkBytes));
}

function releaseReadBuffer(buffer: Buffer | null): void {
  if (buffer !== null && buffer.length <= 2 * chunkBytes && spareReadBuffers.length < 2)
    spareReadBuffers.push(buffer);
}

/** Streams an mbox file; yields one record per message, in file order. */
export async function* readMbox(path: string, options: SourceReadOptions = {}): AsyncGenerator<SourceRecord> {
  const handle = await open(path, "r");
  let whole: Buffer | null = null; // the read buffer buf is a view of
  try {
    let buf: Buffer = Buffer.alloc(0);
    let base = 0; // file offset of buf[0]
    let eof = false;
    let state: "body" | "separator" | "header" = "body";
    let pos = 0;
    let messageStart = 0; // index in buf of the current separator line
    let headerStart = 0;
    let record = 0;

    // Reads the next chunk straight behind the bytes kept from `keepFrom` (no Buffer.concat copy).
    const fill = async (keepFrom: number) => {
      const kept = buf.length - keepFrom;
      const next = takeReadBuffer(kept + chunkBytes);
      buf.copy(next, 0, keepFrom);
      const { bytesRead } = await handle.read(next, kept, chunkBytes, null);
      if (bytesRead === 0) eof = true;
      releaseReadBuffer(whole);
      whole = next;
      buf = next.subarray(0, kept + bytesRead);
      base += keepFrom;
      pos -= keepFrom;
      messageStart -= keepFrom;
      headerStart -= keepFrom;
    };

    await fill(0);
    if (buf.subarray(0, 5).equals(fromAtStart)) {
      state = "separator";
      messageStart = 0;
    }
    for (;;) {
      if (state === "body") {
        const found = findSeparator(buf, pos);
        if (found >= 0) {
          messageStart = found + 1;
          state = "separator";
          continue;
        }
        if (eof) return;
        pos = Math.max(pos, buf.length - separator.length);
        await fill(pos);
        continue;
      }
      if (state === "separator") {
        const newline = buf.indexOf(lf, messageStart);
        if (newline < 0 && !eof) {
          await fill(messageStart);
          continue;
        }
        headerStart = newline < 0 ? buf.length : newline + 1;
        state = "header";
        continue;
      }
      // state === "header": the block ends at a blank line or at the next separator line. The
      // separator found here is also where the body ends: each body is scanned once.
      const from = headerStart - 1;
      const nextSeparator = findSeparator(buf, from);
      const blank = findBlankLine(buf, from, nextSeparator >= 0 ? nextSeparator : buf.length);
      let end: number;
      let endsAtBlank = false;
      if (blank >= 0) {
        end = blank;
        endsAtBlank = true;
      } else if (nextSeparator >= 0) end = nextSeparator;
      else if (eof || buf.length - headerStart > maxHeaderBytes) end = buf.length;
      else {
        await fill(messageStart);
        continue;
      }
      if (endsAtBlank && !eof && buf.length - end < lookaheadBytes + 2) {
        await fill(messageStart);
        continue;
      }
      let text = decodeHeaderBytes(buf.subarray(Math.max(headerStart, 0), Math.max(end, headerStart)));
      if (endsAtBlank) {
        const repaired = repairBrokenFold(buf, text, end, nextSeparator >= 0 ? nextSeparator : buf.length);
        if (repaired !== null) {
          text = repaired.text;
          end = repaired.end;
        }
      }
      record++;
      yield recordFromHeaderText(text, path, record, base + messageStart, options, null);
      pos = end;
      if (nextSeparator >= 0) {
        messageStart = nextSeparator + 1;
        state = "separator";
      } else state = "body";
    }
  } finally {
    releaseReadBuffer(whole);
    await handle.close();
  }
}

/** Reads the header block of a one-message file (maildir entry, .eml) without reading its body. */
async function readHeaderText(path: string): Promise<string> {
  const handle = await open(path, "r");
  try {
    let buf = Buffer.alloc(0);
    for (;;) {
      const chunk = Buffer.allocUnsafe(64 * 1024);
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      const eof = bytesRead === 0;
      buf = Buffer.concat([buf, chunk.subarray(0, bytesRead)]);
      // A blank first line means an empty header block.
      const blank = buf[0] === lf || (buf[0] === cr && buf[1] === lf) ? 0 : findBlankLine(buf, 0, buf.length);
      if (blank < 0 && !eof && buf.length < maxHeaderBytes) continue;
      if (blank >= 0 && !eof && buf.length - blank < lookaheadBytes + 2) continue;
      const end = blank < 0 ? buf.length : blank;
      const text = decodeHeaderBytes(buf.subarray(0, end));
      if (blank < 0) return text;
      return repairBrokenFold(buf, text, end, buf.length)?.text ?? text;
    }
  } finally {
    await handle.close();
  }
}

async function readOneMessageFile(
  file: string,
  record: number,
  options: SourceReadOptions,
  folder: string | null,
): Promise<SourceRecord> {
  try {
    return recordFromHeaderText(await readHeaderText(file), file, record, undefined, options, folder);
  } catch (error) {
    return rejectedRecord(file, record, `cannot read message file: ${errorMessage(error)}`);
  }
}

export async function* readEml(path: string, options: SourceReadOptions = {}): AsyncGenerator<SourceRecord> {
  yield await readOneMessageFile(path, 1, options, null);
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function isMaildir(path: string): Promise<boolean> {
  return (await isDirectory(join(path, "cur"))) || (await isDirectory(join(path, "new")));
}

/** Every maildir folder under root (root itself, Maildir++ `.Sent` folders, nested trees), sorted. */
async function findMaildirs(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string) => {
    if (await isMaildir(dir)) found.push(dir);
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (!entry.isDirectory() || entry.name === "cur" || entry.name === "new" || entry.name === "tmp")
        continue;
      await walk(join(dir, entry.name));
    }
  };
  await walk(root);
  return found;
}

/**
 * Reads a maildir (or a tree of them). Messages in `tmp/` are still being delivered and are
 * skipped; `cur/` and `new/` are read in name order. The folder of a record is X-Folder when the
 * message has one, else the maildir folder relative to the root (`INBOX` for the root).
 */
export async function* readMaildir(
  path: string,
  options: SourceReadOptions = {},
): AsyncGenerator<SourceRecord> {
  let record = 0;
  for (const dir of await findMaildirs(path)) {
    const rel = relative(path, dir);
    const folder = rel === "" ? "INBOX" : rel.replace(/^\./, "");
    for (const sub of ["cur", "new"]) {
      const subdir = join(dir, sub);
      if (!(await isDirectory(subdir))) continue;
      const names = (await readdir(subdir, { withFileTypes: true }))
        .filter((e) => e.isFile() && !e.name.startsWith("."))
        .map((e) => e.name)
        .sort();
      for (const name of names) {
        record++;
        yield await readOneMessageFile(join(subdir, name), record, options, folder);
      }
    }
  }
}

const headerLine = /^[A-Za-z0-9-]+:[ \t]/;
const commonHeader = /^(from|to|subject|date|message-id|received|return-path|mime-version|delivered-to):/im;

export const mboxSource: MailSource = {
  format: "mbox",
  detect: (_path, head, isDir) => !isDir && head.subarray(0, 5).equals(fromAtStart),
  read: readMbox,
};

function looksLikeMaildirSync(path: string): boolean {
  const has = (dir: string) => existsSync(join(dir, "cur")) || existsSync(join(dir, "new"));
  if (has(path)) return true;
  try {
    return readdirSync(path, { withFileTypes: true }).some((e) => e.isDirectory() && has(join(path, e.name)));
  } catch {
    return false;
  }
}

export const maildirSource: MailSource = {
  format: "maildir",
  // A maildir, or a folder whose direct sub-folders are maildirs (Maildir++ or one per mailbox).
  detect: (path, _head, isDir) => isDir && looksLikeMaildirSync(path),
  read: readMaildir,
};

export const emlSource: MailSource = {
  format: "eml",
  detect: (path, head, isDir) => {
    if (isDir) return false;
    if (extname(path).toLowerCase() === ".eml") return true;
    const text = head.toString("latin1", 0, Math.min(head.length, 16 * 1024));
    return headerLine.test(text) && commonHeader.test(text) && !basename(path).endsWith(".json");
  },
  read: readEml,
};
