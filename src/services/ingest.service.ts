import { randomUUID } from "node:crypto";
import { stat } from "node:fs/promises";
import { hostname } from "node:os";
import { defaultPrivacy } from "../domain/consent";
import { decideCollection, type CollectionRule } from "../domain/consent-policy";
import { normaliseAddress } from "../domain/directory";
import { validationError } from "../domain/errors";
import type { SourceRecord } from "../domain/interaction";
import {
  collectEmail,
  collectMeeting,
  type CollectedInteraction,
  scopeNarrowing,
  type CollectionScope,
  type GateUser,
} from "../ingest/collect";
import { normaliseAddressFast } from "../ingest/address";
import type { MailJob, MailReadAhead } from "../ingest/sources/mail-read-ahead";
import type { AnySource, MailSource, SourceFormat, SourceReadOptions } from "../ingest/sources/source";
import { readAllPrivacy, readConsentState } from "../store/consent.repository";
import { findTenant, listAssignments, listMemberships, listUsers } from "../store/directory.repository";
import { InteractionWriter } from "../store/interaction.repository";
import {
  failRunningBatch,
  finishBatch,
  listBatches,
  listRunningBatches,
  startBatch,
  type BatchRow,
} from "../store/ingest-batch.repository";
import {
  isProcessAlive,
  isScopeChangePending,
  tryLockScopeForCommit,
  waitForScopeChanges,
} from "../store/scope-lock";
import { listForgottenHashes, readForgetKey } from "../store/forget.repository";
import type { Trx } from "../store/store";
import type { ServiceContext } from "./context";
import { readTenantOptions, type MailSourceConfig, type TenantOptions } from "./tenant-options";
import { readManifest } from "../ingest/sources/manifest";

/** What one import or backfill batch did, in the words of the summary `kith import` prints. */
export interface ImportSummary {
  batchId: string;
  label: string;
  status: "done" | "failed";
  /** Why the batch failed; nothing of it was kept. */
  failure?: string;
  files: FileSummary[];
  read: number;
  stored: number;
  duplicates: number;
  outOfWindow: number;
  filtered: Record<string, number>;
  refused: Record<string, number>;
  rejected: number;
  /** The first rejections with file, position and reason (all are counted in `rejected`). */
  rejections: { file: string; record: number; line?: number; reason: string }[];
  internalOnly: number;
  largeDistribution: number;
  durationMs: number;
  /**
   * Why the batch was rolled back and run again before it landed: a change that narrowed the
   * collection scope (consent withdrawn, sharing off, opted-out group…) ran while it was running.
   * The summary's other figures are the last run's.
   */
  restarts: string[];
}

export interface FileSummary {
  path: string;
  format: SourceFormat | null;
  owner: string | null;
  /** Records read from this file (every one, kept or not). */
  read: number;
  stored: number;
  /** Set when the mailbox owner failed the gate: the file was not read at all. */
  skipped?: { rule: CollectionRule | "owner_unknown"; reason: string };
}

/** What one path given to `kith import` stands for (a folder of mbox files: its files). */
export { expandSourcePath } from "../ingest/sources/source";

export interface ImportOptions {
  /** Mailbox owner for every path (the `--owner` flag); wins over a manifest and the records. */
  owner?: string;
  /** Path → owner, from a manifest. */
  owners?: ReadonlyMap<string, string>;
  format?: "auto" | SourceFormat;
  since?: Date;
  until?: Date;
  kind?: "import" | "backfill" | "sync" | "live";
  label?: string;
  /** Fixed batch id (backfill months use `backfill:<run>:<YYYY-MM>`); default a fresh one. */
  batchId?: string;
  checkpoint?: Record<string, unknown>;
  /** Records per write chunk (memory bound). */
  chunkSize?: number;
  onProgress?: (progress: { read: number; stored: number; file: string }) => void;
  /**
   * Read mbox, maildir and .eml files on a worker thread while the main thread stores (default:
   * when there are 2+ cores and 8 MB or more of such mail); true or false forces it.
   */
  readAhead?: boolean;
  /**
   * Called at fixed points of every run of the batch, inside its transaction; the batch waits for
   * the returned promise. Tests pause a batch here to run a consent change at a chosen point.
   */
  onPoint?: (point: BatchPoint) => Promise<void>;
  /**
   * Runs in the batch's transaction after its last consent check, just before it commits: what it
   * writes lands with the batch or not at all (the live sync's cursor and mailbox state). A throw
   * fails the batch and nothing of it is kept.
   */
  inTransaction?: (trx: Trx, summary: ImportSummary) => Promise<void>;
}

/**
 * `started`: the gate's facts are loaded; `chunk`: a chunk was written; `merging`: every record was
 * read, the batch-end merge is next; `committing`: the final consent check passed, the commit is next.
 */
export type BatchPoint = "started" | "chunk" | "merging" | "committing";

/** Thrown inside a batch's transaction when a scope change needs the batch rolled back and run again. */
class ScopeChanged extends Error {}

/** How often a batch is run again for scope changes before it gives up (and says so). */
const maxBatchRuns = 5;
/** How long a rolled-back batch waits for the change it yielded to. */
const scopeChangeWaitMs = 30 * 60_000;
/** A batch waits this long for another batch of the store to finish (SQLite: the write lock; PostgreSQL batches wait only for the tenant's merge, interaction-copy.ts). */
const batchLockWaitMs = 60 * 60_000;
/** How often, at most, a batch asks whether a scope change is pending (a marker read or a lock try). */
const scopeCheckIntervalMs = 50;

const maxRejectionsKept = 1000;

/** Loads every fact the collection gate needs, once per batch. */
export async function loadCollectionScope(
  db: Trx,
  tenantId: string,
  now: Date,
  options: TenantOptions,
  window: { since?: Date; until?: Date } = {},
): Promise<CollectionScope> {
  const tenant = await findTenant(db, tenantId);
  if (!tenant) throw validationError(`unknown tenant ${tenantId}`);
  const users = await listUsers(db, tenantId);
  const privacy = await readAllPrivacy(db, tenantId);
  const memberships = await listMemberships(db, tenantId);
  const assignments = await listAssignments(db, tenantId);
  const subjects = new Map<string, GateUser>();
  for (const u of users) {
    const subject: GateUser = {
      userId: u.id,
      primaryEmail: u.email,
      privacy: privacy.get(u.id) ?? defaultPrivacy,
      memberships: memberships.get(u.id) ?? [],
      roleAssignments: assignments.get(u.id) ?? [],
    };
    for (const address of [u.email, ...u.aliases]) subjects.set(address, subject);
  }
  return {
    tenantId,
    domains: tenant.domains,
    consent: await readConsentState(db, tenantId),
    subjects,
    forgotten: await loadForgotten(db, tenantId),
    filters: options.noiseFilters,
    captureLevel: options.captureLevel,
    now,
    ...(window.since ? { since: window.since } : {}),
    ...(window.until ? { until: window.until } : {}),
  };
}

/** The suppression list of people forgotten at their request (services/forget.service.ts). */
async function loadForgotten(db: Trx, tenantId: string): Promise<CollectionScope["forgotten"]> {
  const key = await readForgetKey(db, tenantId);
  return key === null
    ? { key: "", hashes: new Set() }
    : { key, hashes: new Set(await listForgottenHashes(db, tenantId)) };
}

function emptySummary(batchId: string, label: string): ImportSummary {
  return {
    batchId,
    label,
    status: "done",
    files: [],
    read: 0,
    stored: 0,
    duplicates: 0,
    outOfWindow: 0,
    filtered: {},
    refused: {},
    rejected: 0,
    rejections: [],
    internalOnly: 0,
    largeDistribution: 0,
    durationMs: 0,
    restarts: [],
  };
}

const bump = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/**
 * Imports mail and calendar files as ONE batch: every path is read, gated, deduplicated and
 * written in a single transaction, so the batch lands whole or not at all. A bad record is
 * rejected (file, position, reason) and the rest goes on; a file that cannot be read fails the
 * batch, which is then rolled back and reported. Re-running a batch stores nothing twice.
 */
export async function importBatch(
  ctx: ServiceContext,
  tenantId: string,
  paths: readonly string[],
  options: ImportOptions = {},
): Promise<ImportSummary> {
  return runBatch(
    ctx,
    tenantId,
    paths.map((path) => ({ path })),
    options,
    paths.join(", "),
  );
}

/** Records generated in-process (the demo tenant, tests) as one named batch, with an optional owner. */
export interface RecordInput {
  name: string;
  owner?: string;
  records: AsyncIterable<SourceRecord> | Iterable<SourceRecord>;
}

export async function importRecords(
  ctx: ServiceContext,
  tenantId: string,
  inputs: readonly RecordInput[],
  options: ImportOptions = {},
): Promise<ImportSummary> {
  return runBatch(
    ctx,
    tenantId,
    inputs.map((input) => ({ input })),
    options,
    inputs.map((i) => i.name).join(", "),
  );
}

type BatchInput = { path: string; input?: undefined } | { input: RecordInput; path?: undefined };

async function runBatch(
  ctx: ServiceContext,
  tenantId: string,
  inputs: readonly BatchInput[],
  options: ImportOptions,
  defaultLabel: string,
): Promise<ImportSummary> {
  const started = Date.now();
  const startedAt = ctx.now();
  const kind = options.kind ?? "import";
  const batchId = options.batchId ?? `${kind}:${startedAt.toISOString()}:${randomUUID().slice(0, 8)}`;
  const label = options.label ?? defaultLabel;
  await markAbandonedBatches(ctx, tenantId);
  await startBatch(ctx.store.db, tenantId, {
    id: batchId,
    kind,
    label,
    startedAt,
    owner: batchOwner(),
    ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
  });
  const restarts: string[] = [];
  for (let run = 1; ; run++) {
    const summary = emptySummary(batchId, label);
    summary.restarts = restarts;
    try {
      await runBatchOnce(ctx, tenantId, inputs, options, summary);
      summary.durationMs = Date.now() - started;
      return summary;
    } catch (error) {
      if (error instanceof ScopeChanged && run < maxBatchRuns) {
        restarts.push(error.message);
        // Wait for the change outside any transaction, then run the batch again with the new scope.
        if (await waitForScopeChanges(ctx.store, tenantId, scopeChangeWaitMs)) continue;
      }
      summary.status = "failed";
      summary.failure =
        error instanceof ScopeChanged
          ? `${error.message}; the batch ran ${run} time(s) and kept nothing: run it again`
          : error instanceof Error
            ? error.message
            : String(error);
      summary.stored = 0;
      summary.durationMs = Date.now() - started;
      await finishBatch(ctx.store.db, tenantId, batchId, "failed", summary, ctx.now());
      return summary;
    }
  }
}

/** `host:pid`: lets the next start tell a batch whose process died from one still running. */
const batchOwner = () => `${hostname()}:${process.pid}`;

/** A batch of another host (PostgreSQL) counts as abandoned once it has "run" this long. */
const foreignBatchLimitMs = 24 * 60 * 60_000;

/**
 * Marks batches whose process ended without finishing them (killed, crashed) as failed, so none
 * stays "running" forever; their transaction rolled back, so nothing of them was kept. A batch of
 * this host is abandoned when its process is gone; one of another host, or from before the owner
 * was recorded, after 24 hours. Runs when a batch starts, when `kith serve` starts and when
 * batches are listed. Returns the batches marked.
 */
export async function markAbandonedBatches(ctx: ServiceContext, tenantId?: string): Promise<string[]> {
  const at = ctx.now();
  const marked: string[] = [];
  for (const batch of await listRunningBatches(ctx.store.db, tenantId)) {
    const [host, pidText] = batch.owner?.split(/:(?=\d+$)/) ?? [];
    const pid = Number(pidText);
    const abandoned =
      host === hostname() && Number.isInteger(pid)
        ? pid !== process.pid && !isProcessAlive(pid)
        : at.getTime() - batch.startedAt.getTime() > foreignBatchLimitMs;
    if (!abandoned) continue;
    const failure = `abandoned: the process that ran it (${batch.owner ?? "unknown"}) ended before it finished; nothing of it was kept, run it again`;
    if (await failRunningBatch(ctx.store.db, batch.tenantId, batch.id, { status: "failed", failure }, at))
      marked.push(batch.id);
  }
  return marked;
}

/** The tenant's batches, newest first, after abandoned ones are marked failed. */
export async function listImportBatches(
  ctx: ServiceContext,
  tenantId: string,
  options: { kind?: string; limit?: number } = {},
): Promise<BatchRow[]> {
  await markAbandonedBatches(ctx, tenantId);
  return listBatches(ctx.store.db, tenantId, options);
}

/**
 * One run of a batch in one transaction. Throws ScopeChanged (after nothing was kept) when a change
 * narrowing the collection scope is pending or committed while it ran; store/scope-lock.ts says
 * why this leaves nothing of a withdrawn scope behind, whatever the interleaving.
 */
async function runBatchOnce(
  ctx: ServiceContext,
  tenantId: string,
  inputs: readonly BatchInput[],
  options: ImportOptions,
  summary: ImportSummary,
): Promise<void> {
  const store = ctx.store;
  const now = ctx.now();
  const chunkSize = options.chunkSize ?? 20_000;
  let reader: MailReadAhead | null = null;
  try {
    reader = await bootReadAhead(inputs, options.readAhead, chunkSize);
    await store.transaction(
      async (trx) => {
        if (await isScopeChangePending(trx, store, tenantId))
          throw new ScopeChanged("a consent change was waiting when the batch started");
        const tenantOptions = await readTenantOptions(trx, tenantId);
        const window = {
          ...(options.since ? { since: options.since } : {}),
          ...(options.until ? { until: options.until } : {}),
        };
        const scope = await loadCollectionScope(trx, tenantId, now, tenantOptions, window);
        const writer = new InteractionWriter(store, trx, tenantId, summary.batchId, tenantOptions.strength);
        let lastCheck = performance.now();
        const guard = async (force = false) => {
          if (!force && performance.now() - lastCheck < scopeCheckIntervalMs) return;
          lastCheck = performance.now();
          if (await isScopeChangePending(trx, store, tenantId))
            throw new ScopeChanged("a consent change arrived while the batch ran");
        };
        const pause = options.onPoint ?? (() => Promise.resolve());
        await pause("started");
        const plans = await Promise.all(
          inputs.map((item) =>
            item.path !== undefined ? planPath(item.path, scope, summary, options) : Promise.resolve(null),
          ),
        );
        const readAhead = { reader, jobOf: assignReadAhead(plans, reader) };
        const run: BatchRun = {
          scope,
          writer,
          summary,
          options,
          chunkSize,
          collectedUsers: new Set(),
          guard,
          pause,
        };
        for (const [k, item] of inputs.entries()) {
          const plan = plans[k];
          const file =
            plan === null || plan === undefined
              ? await importInput(item.input!, run)
              : await importPlanned(plan, readAhead, run);
          summary.files.push(file);
        }
        await guard(true);
        await pause("merging");
        await writer.finish();
        await requireUnchangedScope(ctx, trx, tenantId, run, tenantOptions, window);
        await pause("committing");
        await options.inTransaction?.(trx, summary);
        await finishBatch(trx, tenantId, summary.batchId, "done", summary, ctx.now());
      },
      { lockWaitMs: batchLockWaitMs },
    );
  } finally {
    await reader?.close();
  }
}

/**
 * The batch's last check, under the lock every scope change takes (so none can commit between it
 * and the batch's commit): the gate's facts now must still let through every user this batch
 * collected, as they did when it started. Otherwise the batch rolls back and runs again.
 */
async function requireUnchangedScope(
  ctx: ServiceContext,
  trx: Trx,
  tenantId: string,
  run: BatchRun,
  tenantOptions: TenantOptions,
  window: { since?: Date; until?: Date },
): Promise<void> {
  if (!(await tryLockScopeForCommit(trx, ctx.store, tenantId)))
    throw new ScopeChanged("a consent change arrived as the batch was about to commit");
  const fresh = await loadCollectionScope(trx, tenantId, ctx.now(), tenantOptions, window);
  const narrowed = scopeNarrowing(run.scope, fresh, run.collectedUsers);
  if (narrowed) throw new ScopeChanged(`the collection scope changed while the batch ran: ${narrowed}`);
}

/**
 * A mailbox whose owner fails the gate is not read at all (SPEC §2): marks the file skipped and
 * counts the rule. Returns true when the mailbox must be skipped.
 */
function isMailboxRefused(file: FileSummary, scope: CollectionScope, summary: ImportSummary): boolean {
  if (!file.owner) return false;
  const decision = decideCollection(scope.subjects.get(file.owner) ?? null, scope.consent, scope.now);
  if (decision.collect) return false;
  file.skipped = { rule: decision.rule, reason: decision.reason };
  bump(summary.refused, `mailbox_${decision.rule}`);
  return true;
}

async function resolveSource(path: string, format: ImportOptions["format"]): Promise<AnySource> {
  // Loaded on demand: record-stream imports (demo, sync connectors) never need the file parsers.
  const { detectFormat, sources } = await import("../ingest/sources/source");
  if (!format || format === "auto") return detectFormat(path);
  const source = sources.find((s) => s.format === format);
  if (!source) throw validationError(`unknown format "${format}"`);
  await stat(path).catch((error: Error) => {
    throw validationError(`cannot read ${path}: ${error.message}`, { path });
  });
  return source;
}

/** What every file of a batch is read, gated and written with. */
interface BatchRun {
  scope: CollectionScope;
  writer: InteractionWriter;
  summary: ImportSummary;
  options: ImportOptions;
  chunkSize: number;
  /** Users on at least one interaction the batch keeps: the ones a scope change could concern. */
  collectedUsers: Set<string>;
  /** Throws ScopeChanged when a scope change is pending (asks at most every few ms unless forced). */
  guard: (force?: boolean) => Promise<void>;
  pause: (point: BatchPoint) => Promise<void>;
}

/** A path of the batch once its source, owner and gate are known (nothing read yet). */
interface PlannedPath {
  file: FileSummary;
  /** Null when the mailbox is skipped whole (its owner failed the gate). */
  source: MailSource | null;
  readOptions: SourceReadOptions;
}

async function planPath(
  path: string,
  scope: CollectionScope,
  summary: ImportSummary,
  options: ImportOptions,
): Promise<PlannedPath> {
  const source = await resolveSource(path, options.format);
  const ownerRaw = options.owner ?? options.owners?.get(path) ?? null;
  const owner = ownerRaw ? normaliseAddress(ownerRaw) : null;
  const file: FileSummary = { path, format: source.format, owner, read: 0, stored: 0 };
  if (ownerRaw && !owner)
    throw validationError(`mailbox owner "${ownerRaw}" of ${path} is not an email address`);
  const readOptions: SourceReadOptions = {
    owner,
    now: scope.now,
    ...(options.since ? { since: options.since } : {}),
    ...(options.until ? { until: options.until } : {}),
  };
  if (isMailboxRefused(file, scope, summary)) return { file, source: null, readOptions };
  if (source.format === "crm")
    throw validationError(`${path} is a CRM file: import it with \`kith crm import\``);
  return { file, source, readOptions };
}

/**
 * Starts the read-ahead worker (mail-read-ahead.ts) when the batch's paths hold enough bytes for
 * it to pay, before the batch's transaction, so its start-up overlaps loading the gate; `force`
 * true or false overrides the choice. Its record batches are as large as inline reading's
 * (`chunkSize`), so chunks end at the same records and dedupe keeps the same copy of a message
 * seen twice (copies can differ in how they name people).
 */
async function bootReadAhead(
  inputs: readonly BatchInput[],
  force: boolean | undefined,
  chunkSize: number,
): Promise<MailReadAhead | null> {
  const paths = inputs.flatMap((input) => (input.path === undefined ? [] : [input.path]));
  if (force === false || paths.length === 0) return null;
  const { MailReadAhead, readAheadPays, readAheadThresholdBytes } =
    await import("../ingest/sources/mail-read-ahead");
  if (force !== true) {
    // A maildir's size is its files': count it as large rather than walk it. A path that cannot
    // be read counts nothing here; planning the batch reports it.
    const sizes = await Promise.all(
      paths.map((path) =>
        stat(path).then(
          (info) => (info.isDirectory() ? readAheadThresholdBytes : info.size),
          () => 0,
        ),
      ),
    );
    if (!readAheadPays(sizes.reduce((sum, size) => sum + size, 0))) return null;
  }
  return new MailReadAhead({ recordsPerBatch: chunkSize });
}

/** Gives the planned mbox, maildir and .eml paths to the read-ahead worker in batch order; each plan's job. */
function assignReadAhead(
  plans: readonly (PlannedPath | null)[],
  reader: MailReadAhead | null,
): Map<PlannedPath, number> {
  const jobs: MailJob[] = [];
  const jobOf = new Map<PlannedPath, number>();
  if (reader === null) return jobOf;
  for (const plan of plans) {
    const format = plan?.source?.format;
    if (!plan || (format !== "mbox" && format !== "maildir" && format !== "eml")) continue;
    jobOf.set(plan, jobs.length);
    jobs.push({ path: plan.file.path, format, options: plan.readOptions });
  }
  reader.start(jobs);
  return jobOf;
}

async function importPlanned(
  plan: PlannedPath,
  readAhead: { reader: MailReadAhead | null; jobOf: Map<PlannedPath, number> },
  run: BatchRun,
): Promise<FileSummary> {
  const { file, source, readOptions } = plan;
  if (source === null) return file;
  const job = readAhead.jobOf.get(plan);
  let batches: AsyncIterable<SourceRecord[]>;
  if (readAhead.reader !== null && job !== undefined) batches = readAhead.reader.batches(job);
  else if (source.format === "graph") {
    // Graph NDJSON comes in record batches (one per few MB, parsed off the main thread where that
    // pays): consume them whole instead of paying an async step per record.
    const { readGraphBatches } = await import("../ingest/sources/graph");
    batches = readGraphBatches(file.path, readOptions);
  } else batches = inBatches(source.read(file.path, readOptions), run.chunkSize);
  return collectInto(batches, file, run);
}

/** Groups a record stream into arrays, so the collect loop below runs synchronously over each. */
async function* inBatches<T>(records: AsyncIterable<T> | Iterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const record of records) {
    batch.push(record);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

async function importInput(input: RecordInput, run: BatchRun): Promise<FileSummary> {
  const owner = input.owner ? normaliseAddress(input.owner) : null;
  const file: FileSummary = { path: input.name, format: null, owner, read: 0, stored: 0 };
  if (isMailboxRefused(file, run.scope, run.summary)) return file;
  return collectInto(inBatches(input.records, run.chunkSize), file, run);
}

async function collectInto(
  batches: AsyncIterable<SourceRecord[]>,
  file: FileSummary,
  run: BatchRun,
): Promise<FileSummary> {
  const { scope, writer, summary, options, chunkSize, collectedUsers } = run;
  const owner = file.owner;
  const path = file.path;
  const ownerChecks = new Map<string, boolean>();
  let chunk: CollectedInteraction[] = [];
  const flush = async () => {
    if (chunk.length === 0) return;
    // PostgreSQL stages chunks and dedupes against the store when the batch merges: copies found
    // there are moved from stored to duplicates then.
    const result = await writer.writeChunk(chunk, (late) => {
      summary.stored -= late;
      summary.duplicates += late;
      file.stored -= late;
    });
    summary.stored += result.inserted;
    summary.duplicates += result.duplicates;
    file.stored += result.inserted;
    chunk = [];
    options.onProgress?.({ read: summary.read, stored: summary.stored, file: path });
    await run.pause("chunk");
  };
  for await (const records of batches) {
    for (const record of records) {
      summary.read++;
      file.read++;
      const kept = collectRecord(record, scope, summary, owner, ownerChecks);
      if (kept) {
        chunk.push(kept);
        for (const party of kept.parties) if (party.userId !== null) collectedUsers.add(party.userId);
        if (kept.internalOnly) summary.internalOnly++;
        if (kept.largeDistribution) summary.largeDistribution++;
      }
    }
    if (chunk.length >= chunkSize) await flush();
    await run.guard();
  }
  await flush();
  return file;
}

function collectRecord(
  record: SourceRecord,
  scope: CollectionScope,
  summary: ImportSummary,
  fileOwner: string | null,
  ownerChecks: Map<string, boolean>,
): CollectedInteraction | null {
  if (record.type === "rejected") {
    reject(summary, record.position, record.reason);
    return null;
  }
  // A record naming its own mailbox owner (and no owner given for the file) is gated by that owner.
  const recordOwner = !fileOwner && record.owner ? normaliseAddressFast(record.owner) : null;
  if (recordOwner) {
    let ok = ownerChecks.get(recordOwner);
    if (ok === undefined) {
      const d = decideCollection(scope.subjects.get(recordOwner) ?? null, scope.consent, scope.now);
      ok = d.collect;
      ownerChecks.set(recordOwner, ok);
      if (!d.collect) bump(summary.refused, `mailbox_${d.rule}`);
    }
    if (!ok) return null;
  }
  const outcome = record.type === "email" ? collectEmail(record, scope) : collectMeeting(record, scope);
  switch (outcome.outcome) {
    case "collect":
      return outcome.interaction;
    case "noise":
      bump(summary.filtered, outcome.reason);
      return null;
    case "refused":
      bump(summary.refused, outcome.rule);
      return null;
    case "out_of_window":
      summary.outOfWindow++;
      return null;
    case "rejected":
      reject(summary, record.position, outcome.reason);
      return null;
  }
}

function reject(
  summary: ImportSummary,
  position: { file: string; record: number; line?: number },
  reason: string,
): void {
  summary.rejected++;
  if (summary.rejections.length < maxRejectionsKept) {
    summary.rejections.push({
      file: position.file,
      record: position.record,
      ...(position.line !== undefined ? { line: position.line } : {}),
      reason,
    });
  }
}

/**
 * Owner per source path: the source's own owner, else its manifest's entry for the path. One rule
 * for `kith ingest import --manifest`, the backfill and the live sync.
 */
export async function ownersOfSources(
  sources: readonly Pick<MailSourceConfig, "path" | "owner" | "manifest">[],
): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  const manifests = new Map<string, Awaited<ReturnType<typeof readManifest>>>();
  for (const source of sources) {
    if (source.owner) owners.set(source.path, source.owner);
    else if (source.manifest) {
      let manifest = manifests.get(source.manifest);
      if (!manifest) manifests.set(source.manifest, (manifest = await readManifest(source.manifest)));
      const owner = manifest.ownerFor(source.path);
      if (owner) owners.set(source.path, owner);
    }
  }
  return owners;
}
