import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { decideCollection, type CollectionDecision } from "../domain/consent-policy";
import { normaliseAddress } from "../domain/directory";
import { notFound, validationError } from "../domain/errors";
import { ConnectorError, type ConnectorPage, type RequestGuard } from "../connectors/connector";
import {
  checkGraphSettings,
  checkImapSettings,
  createConnector,
  describeCursor,
  type SourceKind,
  type WatchableConnector,
} from "../connectors/index";
import { appendAudit } from "../store/audit.repository";
import { readConsentState, readPrivacy } from "../store/consent.repository";
import { findUserByAddress, listAssignments, listMemberships } from "../store/directory.repository";
import {
  claimMailboxLease,
  deleteSource,
  findMailboxState,
  findSource,
  insertSource,
  listDueMailboxes,
  listMailboxStates,
  listSources,
  updateMailboxState,
  updateSourceCredential,
  type MailboxKey,
  type StoredMailboxSync,
  type StoredSource,
  type SyncStage,
} from "../store/live-sync.repository";
import {
  beginSqliteMailRequest,
  holdScopeForMailRequest,
  isProcessAlive,
  sqliteScopeChangePending,
} from "../store/scope-lock";
import type { Trx } from "../store/store";
import type { ServiceContext } from "./context";
import type { CredentialCipher } from "./credentials";
import { importRecords, type ImportSummary } from "./ingest.service";

/**
 * Live mail sync (issue 16): the runner every connector goes through. Per source × mailbox it keeps
 * a stage, a cursor, failures and a lease; it reads pages from the connector and imports each
 * through the same collection gate and import path as files (`importRecords`), with the page's
 * cursor written in the same transaction, so a crash re-reads at most the page it was on. Before
 * any request reaches a mail server the mailbox's owner must pass the gate (`guard`).
 */

export interface LiveSyncDeps {
  cipher: CredentialCipher;
  /** `host:pid:nonce` of this worker (leases); `newWorkerId()`. */
  workerId: string;
  /** How long a lease lasts without renewal (each page renews it). */
  leaseMs?: number;
  /** When a mailbox is read again after a successful cycle, unless its server pushes new mail first. */
  pollIntervalMs?: number;
  /** After each committed page (tests and the bench watch progress here). */
  onPage?: (event: {
    key: MailboxKey;
    tenantId: string;
    summary: ImportSummary;
    page: ConnectorPage;
  }) => void | Promise<void>;
  /** Overrides the connector factory (the bench counts requests; nothing else needs it). */
  connectorFor?: (kind: SourceKind, spec: Parameters<typeof createConnector>[1]) => WatchableConnector;
}

const defaultLeaseMs = 2 * 60_000;
const defaultPollMs = 60_000;
/** Backoff after temporary failures: 30 s, 1, 2, 4 … minutes, at most 1 hour. */
export function backoffMs(failures: number): number {
  return Math.min(60 * 60_000, 30_000 * 2 ** Math.max(0, failures - 1));
}

export function newWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
}

const credentialContext = (tenantId: string, sourceId: string, mailbox?: string) =>
  mailbox === undefined ? `${tenantId}/${sourceId}` : `${tenantId}/${sourceId}/${mailbox}`;

// ───────────────────────────── sources: add, remove, list ─────────────────────────────

export interface MailboxInput {
  address: string;
  /** Server login when it is not the address (IMAP). */
  login?: string;
  /** Password or access token (IMAP); encrypted before it is stored, never shown again. */
  secret?: string;
}

export interface SourceInput {
  kind: SourceKind;
  name: string;
  settings: Record<string, unknown>;
  /** Source-wide secret (a Graph client secret). */
  secret?: string;
  mailboxes: MailboxInput[];
}

/** Adds a live source and its mailboxes (each pending a full fetch); secrets are sealed first. */
export async function addLiveSource(
  ctx: ServiceContext,
  cipher: CredentialCipher,
  tenantId: string,
  input: SourceInput,
  byEmail: string,
): Promise<SourceStatus> {
  if (!input.name.trim()) throw validationError("a source needs a name");
  if (input.kind === "imap") checkImapSettings(input.settings);
  if (input.kind === "graph") {
    checkGraphSettings(input.settings);
    if (!input.secret) throw validationError("a Microsoft Graph source needs its app's client secret");
  }
  if (input.mailboxes.length === 0) throw validationError("a source needs at least one mailbox");
  const id = `${input.kind}-${randomBytes(4).toString("hex")}`;
  const seen = new Set<string>();
  const mailboxes = input.mailboxes.map((m, i) => {
    const address = normaliseAddress(m.address);
    if (!address) throw validationError(`mailbox ${i + 1}: "${m.address}" is not an email address`);
    if (seen.has(address)) throw validationError(`mailbox ${address} is listed twice`);
    seen.add(address);
    if (input.kind === "imap" && !m.secret)
      throw validationError(`mailbox ${address}: an IMAP mailbox needs its password or access token`);
    return {
      mailbox: address,
      login: m.login ?? null,
      credential: m.secret ? cipher.seal(m.secret, credentialContext(tenantId, id, address)) : null,
    };
  });
  const at = ctx.now();
  await ctx.store.transaction(async (trx) => {
    await insertSource(
      trx,
      tenantId,
      {
        id,
        kind: input.kind,
        name: input.name.trim(),
        settings: input.settings,
        credential: input.secret ? cipher.seal(input.secret, credentialContext(tenantId, id)) : null,
      },
      mailboxes,
      at,
    );
    await appendAudit(trx, ctx.store.engine, tenantId, at, {
      actor: byEmail,
      action: "source.added",
      subject: id,
      details: { kind: input.kind, name: input.name.trim(), mailboxes: mailboxes.map((m) => m.mailbox) },
    });
  });
  const added = (await listLiveSources(ctx, tenantId)).find((s) => s.id === id);
  if (!added) throw new Error(`source ${id} vanished after it was added`);
  return added;
}

export async function removeLiveSource(
  ctx: ServiceContext,
  tenantId: string,
  sourceId: string,
  byEmail: string,
): Promise<void> {
  const at = ctx.now();
  await ctx.store.transaction(async (trx) => {
    if (!(await deleteSource(trx, tenantId, sourceId))) throw notFound("source", sourceId);
    await appendAudit(trx, ctx.store.engine, tenantId, at, {
      actor: byEmail,
      action: "source.removed",
      subject: sourceId,
      details: {},
    });
  });
}

/**
 * Resumes a paused or failed mailbox (all of the source's when `mailbox` is omitted), optionally
 * with a new secret: it is read at the next cycle, from its cursor.
 */
export async function resumeLiveSource(
  ctx: ServiceContext,
  cipher: CredentialCipher,
  tenantId: string,
  sourceId: string,
  change: { mailbox?: string; secret?: string },
  byEmail: string,
): Promise<SourceStatus> {
  const at = ctx.now();
  await ctx.store.transaction(async (trx) => {
    const source = await findSource(trx, tenantId, sourceId);
    if (!source) throw notFound("source", sourceId);
    const address = change.mailbox === undefined ? undefined : normaliseAddress(change.mailbox);
    const targets = (await listMailboxStates(trx, tenantId, sourceId)).filter(
      (m) => address === undefined || m.mailbox === address,
    );
    if (targets.length === 0) throw notFound("mailbox", change.mailbox ?? sourceId);
    // A Graph source has one secret for the tenant (its client secret); IMAP has one per mailbox.
    const sourceWide = source.kind === "graph";
    if (sourceWide && change.secret)
      await updateSourceCredential(
        trx,
        tenantId,
        sourceId,
        cipher.seal(change.secret, credentialContext(tenantId, sourceId)),
        at,
      );
    for (const m of targets)
      await updateMailboxState(
        trx,
        tenantId,
        m,
        {
          stage: m.cursor === null ? "pending_full_fetch" : "idle",
          failureCount: 0,
          nextAttemptAt: at,
          reason: null,
          ...(change.secret && !sourceWide
            ? { credential: cipher.seal(change.secret, credentialContext(tenantId, sourceId, m.mailbox)) }
            : {}),
        },
        at,
      );
    await appendAudit(trx, ctx.store.engine, tenantId, at, {
      actor: byEmail,
      action: "source.resumed",
      subject: sourceId,
      details: { mailboxes: targets.map((m) => m.mailbox), newSecret: Boolean(change.secret) },
    });
  });
  const status = (await listLiveSources(ctx, tenantId)).find((s) => s.id === sourceId);
  if (!status) throw notFound("source", sourceId);
  return status;
}

/** A mailbox's sync state as the admin sees it (CLI, API, the Sources screen); never a secret. */
export interface MailboxStatus {
  mailbox: string;
  login: string | null;
  stage: SyncStage;
  cursor: string | null;
  lastSuccessAt: Date | null;
  failureCount: number;
  nextAttemptAt: Date | null;
  /** Delivered to the server → committed in Kith, for the newest message of the last cycle that read any. */
  lagMs: number | null;
  /** Why it is paused or failed (an auth failure's reason is what the admin acts on). */
  reason: string | null;
  imported: number;
  /** The worker syncing it now, if one is. */
  worker: string | null;
  hasCredential: boolean;
}

export interface SourceStatus {
  id: string;
  kind: SourceKind;
  name: string;
  /** The source's settings (host, port, TLS, folders…): never a secret. */
  settings: Record<string, unknown>;
  hasCredential: boolean;
  createdAt: Date;
  mailboxes: MailboxStatus[];
}

export async function listLiveSources(ctx: ServiceContext, tenantId: string): Promise<SourceStatus[]> {
  const sources = await listSources(ctx.store.db, tenantId);
  const states = await listMailboxStates(ctx.store.db, tenantId);
  const now = ctx.now();
  return sources.map((s) => ({
    id: s.id,
    kind: s.kind,
    name: s.name,
    settings: s.settings,
    hasCredential: s.credential !== null,
    createdAt: s.createdAt,
    mailboxes: states
      .filter((m) => m.sourceId === s.id)
      .map((m) => ({
        mailbox: m.mailbox,
        login: m.login,
        stage: m.stage,
        cursor: describeCursor(s.kind, m.cursor),
        lastSuccessAt: m.lastSuccessAt,
        failureCount: m.failureCount,
        nextAttemptAt: m.nextAttemptAt,
        lagMs: m.lagMs,
        reason: m.reason,
        imported: m.imported,
        worker: m.leaseOwner && m.leaseUntil && m.leaseUntil > now ? m.leaseOwner : null,
        hasCredential: m.credential !== null,
      })),
  }));
}

// ───────────────────────────── the gate before every request ─────────────────────────────

/** Thrown by the guard: the mailbox may not be read now; nothing was sent. */
export class MailboxClosed extends Error {
  constructor(readonly decision: Extract<CollectionDecision, { collect: false }>) {
    super(`not fetched: ${decision.reason}`);
    this.name = "MailboxClosed";
  }
}

/** The collection gate for one mailbox owner (SPEC §2 rules, as the file import applies them). */
export async function decideMailbox(
  db: Trx,
  tenantId: string,
  address: string,
  at: Date,
): Promise<CollectionDecision> {
  const consent = await readConsentState(db, tenantId);
  const user = await findUserByAddress(db, tenantId, address);
  if (!user) return decideCollection(null, consent, at);
  const privacy = await readPrivacy(db, tenantId, user.id);
  const memberships = await listMemberships(db, tenantId, [user.id]);
  const assignments = await listAssignments(db, tenantId, [user.id]);
  return decideCollection(
    {
      userId: user.id,
      privacy,
      memberships: memberships.get(user.id) ?? [],
      roleAssignments: assignments.get(user.id) ?? [],
    },
    consent,
    at,
  );
}

/**
 * The request guard handed to connectors: each request is sent inside a transaction that checked
 * the gate and holds off scope changes (store/scope-lock.ts `holdScopeForMailRequest`), so no
 * request reaches the server after a withdrawal or opt-out commits.
 */
function gateGuard(ctx: ServiceContext, tenantId: string): RequestGuard {
  if (ctx.store.engine === "sqlite") return sqliteGateGuard(ctx, tenantId);
  return async <T>(mailbox: string, send: () => Promise<T>): Promise<T> =>
    ctx.store.transaction(async (trx) => {
      await holdScopeForMailRequest(trx, ctx.store, tenantId);
      const decision = await decideMailbox(trx, tenantId, mailbox, ctx.now());
      if (!decision.collect) throw new MailboxClosed(decision);
      return send();
    });
}

/**
 * SQLite's guard (store/scope-lock.ts): the request is registered, sees no announced scope change,
 * passes the gate in a short transaction, and only then goes out, with no lock held on the wire.
 * An announced change is waited out (unregistered, so it can commit), then the gate decides anew.
 */
function sqliteGateGuard(ctx: ServiceContext, tenantId: string): RequestGuard {
  return async <T>(mailbox: string, send: () => Promise<T>): Promise<T> => {
    for (;;) {
      const end = beginSqliteMailRequest(ctx.store);
      try {
        if (!sqliteScopeChangePending(ctx.store)) {
          const decision = await ctx.store.transaction((trx) =>
            decideMailbox(trx, tenantId, mailbox, ctx.now()),
          );
          if (!decision.collect) throw new MailboxClosed(decision);
          return await send();
        }
      } finally {
        end();
      }
      while (sqliteScopeChangePending(ctx.store)) await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
}

// ───────────────────────────── one cycle of one mailbox ─────────────────────────────

export type CycleOutcome =
  | {
      status: "synced";
      pages: number;
      read: number;
      stored: number;
      duplicates: number;
      rejected: number;
      resynced: boolean;
    }
  | { status: "leased elsewhere"; worker: string | null }
  | { status: "not fetched"; reason: string }
  | { status: "paused"; reason: string }
  | { status: "failed"; reason: string; retryAt: Date }
  | { status: "stopped"; reason: string }
  | { status: "not due"; nextAttemptAt: Date };

class LeaseLost extends Error {}

/** Takes the lease: free, expired, this worker's, or held by a process of this host that is gone. */
async function claim(
  ctx: ServiceContext,
  deps: LiveSyncDeps,
  tenantId: string,
  key: MailboxKey,
): Promise<StoredMailboxSync | { elsewhere: string | null }> {
  const now = ctx.now();
  const state = await findMailboxState(ctx.store.db, tenantId, key);
  if (!state) throw notFound("mailbox", `${key.sourceId}/${key.mailbox}`);
  const holder = state.leaseOwner;
  const takeOver = holder !== null && holder !== deps.workerId && ownerIsGone(holder) ? holder : undefined;
  const until = new Date(now.getTime() + (deps.leaseMs ?? defaultLeaseMs));
  const won = await claimMailboxLease(ctx.store.db, tenantId, key, {
    owner: deps.workerId,
    until,
    now,
    ...(takeOver ? { takeOver } : {}),
  });
  if (!won) return { elsewhere: holder };
  return { ...state, leaseOwner: deps.workerId, leaseUntil: until };
}

/** A lease owner of this host whose process ended (killed, crashed): its lease need not expire. */
function ownerIsGone(owner: string): boolean {
  const [host, pid] = owner.split(":");
  return host === hostname() && !isProcessAlive(Number(pid));
}

/**
 * Reads one mailbox from its cursor to the end and imports it page by page. Never throws for a
 * connector's failure: the outcome says what happened and the stored state what comes next.
 */
export async function syncMailbox(
  ctx: ServiceContext,
  deps: LiveSyncDeps,
  tenantId: string,
  key: MailboxKey,
  signal: AbortSignal = new AbortController().signal,
  options: { onlyWhenDue?: boolean } = {},
): Promise<CycleOutcome> {
  const claimed = await claim(ctx, deps, tenantId, key);
  if ("elsewhere" in claimed) return { status: "leased elsewhere", worker: claimed.elsewhere };
  const owner = deps.workerId;
  const release = { leaseOwner: null, leaseUntil: null } as const;
  // The loop found it due a moment ago, but a cycle may have ended since and set the next attempt.
  if (options.onlyWhenDue && claimed.nextAttemptAt !== null && claimed.nextAttemptAt > ctx.now()) {
    await updateMailboxState(ctx.store.db, tenantId, key, release, ctx.now(), owner);
    return { status: "not due", nextAttemptAt: claimed.nextAttemptAt };
  }
  const poll = deps.pollIntervalMs ?? defaultPollMs;
  const later = () => new Date(ctx.now().getTime() + poll);
  const source = await findSource(ctx.store.db, tenantId, key.sourceId);
  if (!source || claimed.stage === "paused") {
    await updateMailboxState(ctx.store.db, tenantId, key, release, ctx.now(), owner);
    return { status: "paused", reason: claimed.reason ?? "the source was removed" };
  }
  // The gate first: an owner who opted out is not fetched at all, not even a connection opened.
  const decision = await decideMailbox(ctx.store.db, tenantId, key.mailbox, ctx.now());
  if (!decision.collect) {
    await updateMailboxState(
      ctx.store.db,
      tenantId,
      key,
      { ...release, reason: `not fetched: ${decision.reason}`, nextAttemptAt: later() },
      ctx.now(),
      owner,
    );
    return { status: "not fetched", reason: decision.reason };
  }
  let connector: WatchableConnector;
  try {
    connector = connectorOf(ctx, deps, tenantId, source, [claimed]);
  } catch (error) {
    const reason = `cannot read the source's credentials: ${error instanceof Error ? error.message : String(error)}`;
    await updateMailboxState(
      ctx.store.db,
      tenantId,
      key,
      { ...release, stage: "paused", reason },
      ctx.now(),
      owner,
    );
    return { status: "paused", reason };
  }
  const totals = { pages: 0, read: 0, stored: 0, duplicates: 0, rejected: 0 };
  let resynced = false;
  let cursor = claimed.cursor;
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await runPages(ctx, deps, tenantId, key, source, connector, cursor, signal, totals);
        break;
      } catch (error) {
        if (error instanceof ConnectorError && error.kind === "cursor-invalid" && attempt === 1) {
          // The cursor is void: fetch the mailbox in full (dedupe keeps what was already stored once).
          resynced = true;
          cursor = null;
          await updateMailboxState(
            ctx.store.db,
            tenantId,
            key,
            { cursor: null, stage: "pending_full_fetch", reason: `full resync: ${error.message}` },
            ctx.now(),
            owner,
          );
          continue;
        }
        throw error;
      }
    }
    await updateMailboxState(
      ctx.store.db,
      tenantId,
      key,
      {
        ...release,
        stage: "idle",
        lastSuccessAt: ctx.now(),
        failureCount: 0,
        nextAttemptAt: later(),
        reason:
          totals.rejected > 0
            ? `${totals.rejected} message(s) rejected in the last cycle (the rest kept)`
            : resynced
              ? "fully resynced: the server voided the cursor"
              : null,
      },
      ctx.now(),
      owner,
    );
    return { status: "synced", ...totals, resynced };
  } catch (error) {
    return await recordFailure(ctx, tenantId, key, claimed, owner, error, signal);
  } finally {
    await connector.close();
  }
}

async function runPages(
  ctx: ServiceContext,
  deps: LiveSyncDeps,
  tenantId: string,
  key: MailboxKey,
  source: StoredSource,
  connector: WatchableConnector,
  cursor: string | null,
  signal: AbortSignal,
  totals: { pages: number; read: number; stored: number; duplicates: number; rejected: number },
): Promise<void> {
  const owner = deps.workerId;
  await updateMailboxState(
    ctx.store.db,
    tenantId,
    key,
    { stage: cursor === null ? "pending_full_fetch" : "fetching" },
    ctx.now(),
    owner,
  );
  let first = true;
  for await (const page of connector.fetch(key.mailbox, cursor, signal)) {
    if (first && cursor === null)
      await updateMailboxState(ctx.store.db, tenantId, key, { stage: "fetching" }, ctx.now(), owner);
    first = false;
    await updateMailboxState(ctx.store.db, tenantId, key, { stage: "importing" }, ctx.now(), owner);
    let leaseLost = false;
    const summary = await importRecords(
      ctx,
      tenantId,
      [{ name: `${source.name}: ${key.mailbox}`, owner: key.mailbox, records: page.records }],
      {
        kind: "live",
        label: `live ${source.name}: ${key.mailbox}`,
        readAhead: false,
        inTransaction: async (trx, imported) => {
          const now = ctx.now();
          const kept = await updateMailboxState(
            trx,
            tenantId,
            key,
            {
              cursor: page.cursor,
              stage: "fetching",
              leaseUntil: new Date(now.getTime() + (deps.leaseMs ?? defaultLeaseMs)),
              importedAdd: imported.stored,
              ...(page.arrivedAt ? { lagMs: Math.max(0, now.getTime() - page.arrivedAt.getTime()) } : {}),
            },
            now,
            owner,
          );
          // Another worker took the mailbox over (this one was presumed dead): keep nothing.
          if (!kept) {
            leaseLost = true;
            throw new LeaseLost("the mailbox's lease passed to another worker");
          }
        },
      },
    );
    if (leaseLost) throw new LeaseLost("the mailbox's lease passed to another worker");
    if (summary.status === "failed")
      throw new ConnectorError(
        "temporary",
        `importing a page failed, nothing of it kept: ${summary.failure ?? "unknown"}`,
      );
    totals.pages++;
    totals.read += summary.read;
    totals.stored += summary.stored;
    totals.duplicates += summary.duplicates;
    totals.rejected += summary.rejected;
    await deps.onPage?.({ key, tenantId, summary, page });
  }
}

async function recordFailure(
  ctx: ServiceContext,
  tenantId: string,
  key: MailboxKey,
  before: StoredMailboxSync,
  owner: string,
  error: unknown,
  signal: AbortSignal,
): Promise<CycleOutcome> {
  const now = ctx.now();
  const release = { leaseOwner: null, leaseUntil: null } as const;
  const update = (change: Parameters<typeof updateMailboxState>[3]) =>
    updateMailboxState(ctx.store.db, tenantId, key, { ...release, ...change }, now, owner);
  const settledStage: SyncStage =
    before.cursor === null && before.lastSuccessAt === null ? "pending_full_fetch" : "idle";
  if (error instanceof LeaseLost) return { status: "leased elsewhere", worker: null };
  if (error instanceof MailboxClosed) {
    await update({ stage: settledStage, reason: error.message, nextAttemptAt: now });
    return { status: "not fetched", reason: error.decision.reason };
  }
  if (signal.aborted) {
    await update({ stage: settledStage, nextAttemptAt: now });
    return { status: "stopped", reason: "the worker is stopping" };
  }
  const classified =
    error instanceof ConnectorError
      ? error
      : new ConnectorError("temporary", error instanceof Error ? error.message : String(error));
  if (classified.kind === "auth") {
    const reason = `sign-in refused or not permitted: ${classified.message}. Update the credentials and resume the source.`;
    await update({ stage: "paused", reason, nextAttemptAt: null, failureCount: before.failureCount + 1 });
    return { status: "paused", reason };
  }
  const failures = before.failureCount + 1;
  const retryAt = new Date(now.getTime() + Math.max(backoffMs(failures), classified.retryAfterMs ?? 0));
  await update({
    stage: "failed",
    reason: classified.message,
    failureCount: failures,
    nextAttemptAt: retryAt,
  });
  return { status: "failed", reason: classified.message, retryAt };
}

function connectorOf(
  ctx: ServiceContext,
  deps: LiveSyncDeps,
  tenantId: string,
  source: StoredSource,
  mailboxes: readonly StoredMailboxSync[],
): WatchableConnector {
  const spec = {
    settings: source.settings,
    sourceSecret: source.credential
      ? deps.cipher.open(source.credential, credentialContext(tenantId, source.id))
      : null,
    mailboxes: new Map(
      mailboxes.map((m) => [
        m.mailbox,
        {
          login: m.login,
          secret: m.credential
            ? deps.cipher.open(m.credential, credentialContext(tenantId, source.id, m.mailbox))
            : null,
        },
      ]),
    ),
    guard: gateGuard(ctx, tenantId),
  };
  return (deps.connectorFor ?? createConnector)(source.kind, spec);
}

// ───────────────────────────── watching and finding work ─────────────────────────────

/** An IDLE watch on one mailbox (IMAP): `wait` resolves true on new mail, false when the server cannot push. */
export interface MailboxWatch {
  wait(signal: AbortSignal): Promise<boolean>;
  close(): Promise<void>;
}

export async function openMailboxWatch(
  ctx: ServiceContext,
  deps: LiveSyncDeps,
  tenantId: string,
  key: MailboxKey,
): Promise<MailboxWatch | null> {
  const source = await findSource(ctx.store.db, tenantId, key.sourceId);
  const state = await findMailboxState(ctx.store.db, tenantId, key);
  if (!source || !state || state.stage === "paused") return null;
  const connector = connectorOf(ctx, deps, tenantId, source, [state]);
  const waitForChange = connector.waitForChange?.bind(connector);
  if (!waitForChange) {
    await connector.close();
    return null;
  }
  return { wait: (signal) => waitForChange(key.mailbox, signal), close: () => connector.close() };
}

/** May the mailbox still be read? (a watch is closed, sending nothing, the moment it may not). */
export async function isMailboxOpen(
  ctx: ServiceContext,
  tenantId: string,
  mailbox: string,
): Promise<boolean> {
  return (await decideMailbox(ctx.store.db, tenantId, mailbox, ctx.now())).collect;
}

/** Mailboxes this worker may take now, across tenants: due, not paused, lease free or of a dead process. */
export async function findDueMailboxes(
  ctx: ServiceContext,
  deps: LiveSyncDeps,
  limit: number,
): Promise<(MailboxKey & { tenantId: string })[]> {
  const now = ctx.now();
  const due = await listDueMailboxes(ctx.store.db, now, limit, hostname());
  return due
    .filter(
      (d) =>
        d.leaseOwner === null ||
        (d.leaseUntil !== null && d.leaseUntil < now) ||
        d.leaseOwner === deps.workerId ||
        ownerIsGone(d.leaseOwner),
    )
    .map(({ tenantId, sourceId, mailbox }) => ({ tenantId, sourceId, mailbox }));
}

/** Makes a mailbox due now (its watch heard new mail). */
export async function markMailboxDue(ctx: ServiceContext, tenantId: string, key: MailboxKey): Promise<void> {
  await updateMailboxState(ctx.store.db, tenantId, key, { nextAttemptAt: ctx.now() }, ctx.now());
}
