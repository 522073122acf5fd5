/**
 * The one interface every ingestion source implements, and format detection over all of them.
 * A source turns a file or folder into domain values (SourceRecord, or CrmRecord for CRM files);
 * a record it cannot read becomes a `rejected` record naming file, record and reason, and reading
 * continues with the next one.
 */
import { readdir, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { validationError } from "../../domain/errors";
import type { RejectedRecord, SourceRecord } from "../../domain/interaction";
import { readHead } from "./common";
import { crmSource, type CrmRecord } from "./crm";
import { graphSource } from "./graph";
import { icsSource } from "./ics";
import { emlSource, maildirSource, mboxSource } from "./rfc5322";

export type SourceFormat = "graph" | "mbox" | "maildir" | "eml" | "ics" | "crm";

export interface SourceReadOptions {
  /** Mailbox owner from the connector, a flag or a manifest; wins over what the record says. */
  owner?: string | null;
  /** Backfill window for recurrence expansion (iCalendar); default: the 12 months before `now`. */
  since?: Date;
  until?: Date;
  /** The collection time (the service's clock); the wall clock when a parser is used on its own. */
  now?: Date;
  /** Graph NDJSON only: worker threads to parse with (default: automatic by file size; 0 or 1 = inline). */
  workers?: number;
}

export interface Source<R = SourceRecord> {
  format: SourceFormat;
  /** True when this source recognises the path (file or directory) given its first bytes. */
  detect(path: string, head: Buffer, isDirectory: boolean): boolean;
  read(path: string, options: SourceReadOptions): AsyncIterable<R>;
}

export type MailSource = Source<SourceRecord> & { format: Exclude<SourceFormat, "crm"> };
export type CrmSource = Source<CrmRecord | RejectedRecord> & { format: "crm" };
/** What detectFormat returns: switch on `format` to know the record type. */
export type AnySource = MailSource | CrmSource;

// Order matters: the more specific signatures first; eml (any header block) last.
export const sources: readonly AnySource[] = [
  maildirSource,
  crmSource,
  icsSource,
  mboxSource,
  graphSource,
  emlSource,
];

/** Picks the source for a file or folder from its first bytes; throws a validation error naming the path. */
export async function detectFormat(path: string): Promise<AnySource> {
  let isDirectory: boolean;
  let head: Buffer;
  try {
    isDirectory = (await stat(path)).isDirectory();
    head = isDirectory ? Buffer.alloc(0) : await readHead(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw validationError(`cannot read ${path}: ${reason}`, { path });
  }
  for (const source of sources) {
    if (source.detect(path, head, isDirectory)) return source;
  }
  const what = isDirectory ? "folder (no cur/ or new/ inside: not a maildir)" : "file";
  throw validationError(
    `unknown source format for ${what} ${path} (${basename(path)}): expected Graph JSON/NDJSON, mbox, maildir, .eml, .ics or Kith CRM JSON/CSV`,
    { path },
  );
}

const isMaildir = async (path: string): Promise<boolean> =>
  (await Promise.all(["cur", "new"].map((d) => stat(join(path, d)).catch(() => null)))).some(
    (st) => st?.isDirectory() === true,
  );

/**
 * The paths one command-line path stands for: a file or a maildir, itself; any other folder, what
 * is directly inside it, by name (files and maildirs; hidden entries left out), e.g. a folder of
 * mbox files exported one per mailbox. A folder holding neither is refused, naming it.
 */
export async function expandSourcePath(path: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw validationError(`cannot read ${path}: ${reason}`, { path });
  }
  if (!info.isDirectory() || (await isMaildir(path))) return [path];
  const out: string[] = [];
  const entries = (await readdir(path, { withFileTypes: true }))
    .filter((e) => !e.name.startsWith("."))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = join(path, e.name);
    if (e.isFile() || (e.isDirectory() && (await isMaildir(full)))) out.push(full);
  }
  if (out.length === 0)
    throw validationError(
      `nothing to import in folder ${path}: no cur/ or new/ inside (not a maildir) and no files or maildirs directly in it`,
      { path },
    );
  return out;
}
