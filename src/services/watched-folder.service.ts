/**
 * The watched folder (issue 16): files dropped into a folder — `.eml`, mbox, Graph JSON/NDJSON,
 * `.ics` — are each imported once through the file import path (`importBatch`: same collection
 * gate, same dedupe, one all-or-nothing batch per file), then moved to `done/` or `failed/`.
 *
 * Layout of the folder:
 *   <dir>/<file>                  mailbox owner from the records (X-Kith-Owner, Graph `mailboxOwner`)
 *   <dir>/<owner address>/<file>  every record of the file belongs to that mailbox
 *   <dir>/done/…, <dir>/failed/…  where files go, at the same relative path; `<name>.reason.txt`
 *                                 beside one says why it failed, or which records were rejected
 * Names starting with `.` or ending in `.tmp`/`.part` are being written: write, then rename.
 *
 * Crash safety: a file leaves the folder only after its batch committed. A crash before the commit
 * rolls the batch back; one between commit and move re-imports the file at the next scan, which
 * stores nothing twice (one email is one row by Internet-Message-ID and fingerprint).
 */
import { mkdir, readdir, rename, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { normaliseAddress } from "../domain/directory";
import { isKithError } from "../domain/errors";
import type { ServiceContext } from "./context";
import { importBatch, type ImportOptions, type ImportSummary } from "./ingest.service";

export interface WatchOptions {
  /** A file modified less than this long ago may still be written: left for the next scan. Default 2 s. */
  settleMs?: number;
  /** Passed to every file's batch (tests pause a batch at a point). */
  batch?: Pick<ImportOptions, "onPoint" | "chunkSize">;
  /** Called after a file's batch committed, before the file is moved (tests crash here). */
  afterImport?: (file: string, summary: ImportSummary) => Promise<void>;
}

export interface WatchedFile {
  /** Path relative to the watched folder. */
  file: string;
  outcome: "done" | "failed";
  /** Where the file is now. */
  movedTo: string;
  /** Why it failed, or what was rejected or skipped in a file that was imported. */
  reason: string | null;
  summary: ImportSummary | null;
}

const reserved = new Set(["done", "failed"]);

/** True for names a writer is still producing (hidden or temporary). */
const isInProgress = (name: string) => name.startsWith(".") || /\.(tmp|part)$/i.test(name);

/**
 * One pass over the folder: imports every settled file, oldest first, one batch per file, and
 * moves it. A file that cannot be imported goes to `failed/` with its reason; the pass goes on.
 */
export async function scanWatchedFolder(
  ctx: ServiceContext,
  tenantId: string,
  dir: string,
  options: WatchOptions = {},
): Promise<WatchedFile[]> {
  // File times are wall-clock times, whatever clock the context runs on.
  const pending = await listPending(dir, Date.now() - (options.settleMs ?? 2000));
  const results: WatchedFile[] = [];
  for (const { path, owner } of pending)
    results.push(await importWatchedFile(ctx, tenantId, dir, path, owner, options));
  return results;
}

async function listPending(
  dir: string,
  settledBefore: number,
): Promise<{ path: string; owner: string | null; mtime: number }[]> {
  const found: { path: string; owner: string | null; mtime: number }[] = [];
  const visit = async (folder: string, owner: string | null) => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      if (isInProgress(entry.name)) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        // One level of owner folders, named by the mailbox's address.
        const address = owner === null && !reserved.has(entry.name) ? normaliseAddress(entry.name) : null;
        if (address !== null && address === entry.name.toLowerCase()) await visit(path, address);
        continue;
      }
      if (!entry.isFile()) continue;
      const info = await stat(path).catch(() => null);
      if (info !== null && Math.floor(info.mtimeMs) <= settledBefore)
        found.push({ path, owner, mtime: info.mtimeMs });
    }
  };
  await visit(dir, null);
  return found.sort((a, b) => a.mtime - b.mtime || a.path.localeCompare(b.path));
}

async function importWatchedFile(
  ctx: ServiceContext,
  tenantId: string,
  dir: string,
  path: string,
  owner: string | null,
  options: WatchOptions,
): Promise<WatchedFile> {
  const file = relative(dir, path);
  let summary: ImportSummary;
  try {
    summary = await importBatch(ctx, tenantId, [path], {
      label: `watched ${file}`,
      ...(owner !== null ? { owner } : {}),
      ...options.batch,
    });
  } catch (error) {
    // Only a problem with this file moves it aside; anything else (the store) waits for the next scan.
    if (!isKithError(error) || error.code !== "validation_failed") throw error;
    return moveWatched(dir, file, "failed", `file: ${file}\nreason: ${error.message}\n`, null);
  }
  if (summary.status === "failed")
    return moveWatched(
      dir,
      file,
      "failed",
      `file: ${file}\nreason: ${summary.failure ?? "the import failed"}\nnothing of it was kept; move it back into the folder to try again\n`,
      summary,
    );
  await options.afterImport?.(file, summary);
  const lines: string[] = [];
  for (const skipped of summary.files.flatMap((f) => (f.skipped ? [f.skipped] : [])))
    lines.push(
      `not read: the mailbox owner ${owner ?? ""} is refused by the collection gate (${skipped.rule}): ${skipped.reason}`,
    );
  for (const r of summary.rejections)
    lines.push(`record ${r.record}${r.line !== undefined ? ` (line ${r.line})` : ""}: ${r.reason}`);
  if (summary.rejected > summary.rejections.length)
    lines.push(`… ${summary.rejected - summary.rejections.length} more rejected records`);
  // Every record rejected: nothing usable was in it, which is a failed file, not an imported one.
  const allRejected = summary.read > 0 && summary.rejected === summary.read;
  const report = lines.length === 0 ? null : `file: ${file}\n${lines.join("\n")}\n`;
  return moveWatched(dir, file, allRejected ? "failed" : "done", report, summary);
}

async function moveWatched(
  dir: string,
  file: string,
  outcome: "done" | "failed",
  reason: string | null,
  summary: ImportSummary | null,
): Promise<WatchedFile> {
  let target = join(dir, outcome, file);
  await mkdir(dirname(target), { recursive: true });
  // A file of the same name handled before keeps its place: this one gets a numbered name.
  for (let n = 1; await exists(target); n++) target = join(dir, outcome, `${file}.${n}`);
  if (reason !== null) await writeFile(`${target}.reason.txt`, reason);
  await rename(join(dir, file), target);
  return { file, outcome, movedTo: target, reason: reason?.trimEnd() ?? null, summary };
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );
