import { randomBytes, randomUUID } from "node:crypto";
import type { Config } from "../config/config";
import type { AuditDraft } from "../domain/audit";
import { normaliseAddress } from "../domain/directory";
import { KithError, notAuthenticated, notFound, validationError } from "../domain/errors";
import {
  applyPartnerEvent,
  checkEnvironment,
  checkReviewers,
  initialPartnerState,
  isCustomerVisible,
  reviewerSlots,
  statusLabels,
  type EnvironmentPurpose,
  type PartnerConsentState,
  type PartnerEvent,
  type ReviewerCheck,
  type ReviewerSlot,
} from "../domain/partner-consent";
import { evaluateTelemetry, telemetryWindowDays, type TelemetryInsight } from "../insights/telemetry";
import { appendAudit } from "../store/audit.repository";
import { findTenant, findUserByAddress } from "../store/directory.repository";
import {
  findPartnerRequest,
  findRequestForTarget,
  findReviewerByLink,
  insertDismissal,
  insertPartnerRequest,
  insertReviewer,
  listDismissals,
  listPartnerRequests,
  listRequestsForTarget,
  listRequestsReviewedBy,
  lockPartnerRequest,
  readEnvironmentTelemetry,
  updatePartnerRequestStatus,
  updateReviewer,
  type PartnerRequest,
  type PartnerReviewer,
} from "../store/partner.repository";
import type { Trx } from "../store/store";
import { hashSecret, loadSignedInUser, splitTenantSecret, type SignedInUser } from "./auth.service";
import type { ServiceContext } from "./context";
import { mailerFor, type Mailer } from "./mailer";

/**
 * Partner data sharing (SPEC §5). A partner tenant's administrator asks for a customer tenant's
 * telemetry insights; two reviewers of the customer approve by emailed link (single use, expiring,
 * bound to the reviewer, stored only hashed) or from the data-consent page when signed in. Every
 * change and its audit entries (requester's and customer's chains) land in one transaction; mail
 * goes out after the commit, so a slow SMTP server never holds the store's write lock.
 *
 * Nothing the requester sees before consent depends on the customer: not whether the target tenant
 * exists, nor whether the reviewers are users of its directory. The requester's input is checked
 * for what the requester knows (shape, two distinct reviewers, not the requester, the checkbox) and
 * the request is created either way. The directory check happens on the customer's side: only an
 * active, non-guest user of the target gets a link (and the request on their data-consent page); a
 * slot naming anyone else gets none, so the request stays Pending and can never become Allowed,
 * and the customer's administrators see which reviewer is not theirs. Mail is not awaited by the
 * requester's answer and its outcome is not reported to the requester, for the same reason.
 */

export interface PartnerMailDeps {
  mailer: Mailer | null;
  /** Base URL the links point at (the web app serves /app/partner-review). */
  publicUrl: string;
  linkTtlMs: number;
}

export function partnerMailDeps(config: Readonly<Config>): PartnerMailDeps {
  return { mailer: mailerFor(config), publicUrl: config.publicUrl, linkTtlMs: config.partnerLinkTtlMs };
}

/** Who acts on the partner's side: a signed-in Partner Administrator of the requesting tenant. */
export interface PartnerActor {
  tenantId: string;
  email: string;
}

export interface ReviewerView {
  slot: ReviewerSlot;
  email: string;
  decision: PartnerReviewer["decision"];
  invitedAt: Date;
  decidedAt: Date | null;
  linkExpiresAt: Date | null;
  /**
   * The customer's views only: whether the address is an employee in its directory (and so got a
   * link). Absent from the partner's views, which must not depend on the customer's directory.
   */
  directoryUser?: boolean;
}

export interface PartnerRequestView {
  id: string;
  partnerTenantId: string;
  partnerName: string;
  customerTenantId: string;
  /** Null while the request is not Allowed: the customer's name is not resolved from its id. */
  customerName: string | null;
  environmentId: string;
  purpose: EnvironmentPurpose;
  project: string | null;
  status: PartnerRequest["status"];
  statusLabel: string;
  closedReason: PartnerRequest["closedReason"];
  requestedBy: string;
  createdAt: Date;
  updatedAt: Date;
  reviewers: ReviewerView[];
}

export interface Delivery {
  slot: ReviewerSlot;
  to: string;
  sent: boolean;
  error?: string;
}

export interface RequestChange {
  request: PartnerRequestView;
  /**
   * Settles (never rejects) once the invitation mails went out, after the commit. Not for the
   * requester's eyes: who gets a link depends on the customer's directory, so neither its content
   * nor its duration may shape the requester's answer. The API logs failures for the operator.
   */
  invitations: Promise<Delivery[]>;
}

export interface NewPartnerRequestInput {
  targetTenantId: string;
  environmentId: string;
  purpose: string;
  project?: string | null;
  reviewers: readonly string[];
  /** The requester's confirmation that the reviewers are employees of the target tenant. */
  confirmedEmployees: boolean;
}

const tenantName = async (db: Trx, id: string) => (await findTenant(db, id))?.name ?? id;

/** Whether a tenant has exactly this id (findTenant also matches slugs, which never name a target). */
const tenantExists = async (db: Trx, id: string) => (await findTenant(db, id))?.id === id;

/** Who looks at a request: its partner, or the customer (reviewers and administrators). */
type Audience = "partner" | "customer";

async function present(
  ctx: ServiceContext,
  r: PartnerRequest,
  audience: Audience = "partner",
): Promise<PartnerRequestView> {
  const db = ctx.store.db;
  const customer = audience === "customer";
  return {
    id: r.id,
    partnerTenantId: r.tenantId,
    partnerName: await tenantName(db, r.tenantId),
    customerTenantId: r.targetTenantId,
    // The customer may always see its own name; the partner only once the request is Allowed.
    customerName: customer || isCustomerVisible(r.status) ? await tenantName(db, r.targetTenantId) : null,
    environmentId: r.environmentId,
    purpose: r.purpose,
    project: r.project,
    status: r.status,
    statusLabel: statusLabels[r.status],
    closedReason: r.closedReason,
    requestedBy: r.requestedBy,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    reviewers: r.reviewers.map((v) => ({
      slot: v.slot,
      email: v.email,
      decision: v.decision,
      invitedAt: v.invitedAt,
      decidedAt: v.decidedAt,
      linkExpiresAt: v.linkExpiresAt,
      ...(customer ? { directoryUser: v.targetUserId !== null } : {}),
    })),
  };
}

function failValidation(problems: readonly ReviewerCheck[]): never {
  throw validationError(problems.map((p) => p.message).join("; "), { problems });
}

const normaliseReviewer = (raw: string) => normaliseAddress(raw) ?? raw.trim().toLowerCase();

/**
 * The customer's side of naming reviewers: the target directory's active, non-guest user behind
 * each address (a guest is by definition not the customer's employee), or null. A user already in
 * `taken` (the other slot, perhaps named by an alias) is null too, so one person never fills both
 * slots. The same queries run whether or not the target tenant exists; the result goes into the
 * stored reviewers, the customer's audit chain and the mail, never into the requester's answer.
 */
async function matchInTargetDirectory(
  db: Trx,
  targetTenantId: string,
  emails: readonly string[],
  taken: readonly string[] = [],
): Promise<(string | null)[]> {
  const used = new Set(taken);
  const userIds: (string | null)[] = [];
  for (const email of emails) {
    const user = await findUserByAddress(db, targetTenantId, email);
    const userId = user && !user.isGuest && !used.has(user.id) ? user.id : null;
    if (userId) used.add(userId);
    userIds.push(userId);
  }
  return userIds;
}

interface SlotReviewer {
  slot: ReviewerSlot;
  email: string;
  /** Null: no employee of the target; the slot is stored but gets no link. */
  userId: string | null;
}

const slotted = (emails: readonly string[], userIds: readonly (string | null)[]): SlotReviewer[] =>
  emails.map((email, i) => ({ slot: reviewerSlots[i] ?? 1, email, userId: userIds[i] ?? null }));

function newLink(tenantId: string, ttlMs: number, at: Date) {
  const secret = randomBytes(32).toString("base64url");
  return {
    token: `${tenantId}.${secret}`,
    hash: hashSecret(secret),
    expiresAt: new Date(at.getTime() + ttlMs),
  };
}

interface PendingMail {
  slot: ReviewerSlot;
  to: string;
  token: string;
  expiresAt: Date;
}

/**
 * Appends a fact to the requester's chain and, when it is another tenant that exists, the
 * customer's; `forCustomer` adds what only the customer may read (its directory's answers).
 */
async function auditBoth(
  ctx: ServiceContext,
  trx: Trx,
  request: Pick<PartnerRequest, "tenantId" | "targetTenantId">,
  at: Date,
  draft: AuditDraft,
  forCustomer: Record<string, unknown> = {},
): Promise<void> {
  await appendAudit(trx, ctx.store.engine, request.tenantId, at, draft);
  if (request.targetTenantId !== request.tenantId && (await tenantExists(trx, request.targetTenantId)))
    await appendAudit(trx, ctx.store.engine, request.targetTenantId, at, {
      ...draft,
      details: { ...draft.details, ...forCustomer },
    });
}

/** The customer's part of an invitation's audit entry: reviewers that got no link. */
const customerFacts = (reviewers: readonly SlotReviewer[]) => ({
  reviewersNotInDirectory: reviewers.filter((r) => r.userId === null).map((r) => r.email),
});

const requestFacts = (
  r: Pick<PartnerRequest, "id" | "tenantId" | "targetTenantId" | "environmentId" | "purpose" | "project">,
) => ({
  request: r.id,
  partnerTenant: r.tenantId,
  customerTenant: r.targetTenantId,
  environment: r.environmentId,
  purpose: r.purpose,
  ...(r.project ? { project: r.project } : {}),
});

/**
 * Inserts the reviewers; returns what to mail once the transaction commits. Every slot gets the
 * same expiry (the partner sees it), but only an employee of the target gets a link.
 */
async function inviteReviewers(
  trx: Trx,
  request: Pick<PartnerRequest, "tenantId" | "id">,
  reviewers: readonly SlotReviewer[],
  confirmedBy: string,
  mail: PartnerMailDeps,
  at: Date,
): Promise<PendingMail[]> {
  const out: PendingMail[] = [];
  for (const r of reviewers) {
    const link = newLink(request.tenantId, mail.linkTtlMs, at);
    await insertReviewer(trx, request.tenantId, request.id, {
      id: randomUUID(),
      slot: r.slot,
      email: r.email,
      targetUserId: r.userId,
      linkHash: r.userId === null ? null : link.hash,
      linkExpiresAt: link.expiresAt,
      confirmedBy,
      invitedAt: at,
    });
    if (r.userId !== null)
      out.push({ slot: r.slot, to: r.email, token: link.token, expiresAt: link.expiresAt });
  }
  return out;
}

export function reviewLinkUrl(publicUrl: string, token: string): string {
  // The secret rides in the fragment: browsers never send it to the server or in Referer headers.
  return `${publicUrl.replace(/\/+$/, "")}/app/partner-review#token=${encodeURIComponent(token)}`;
}

/**
 * After a change that invites reviewers (commit first): the request as it now stands, and the
 * mailing, started but not awaited (see RequestChange).
 */
async function presentAndInvite(
  ctx: ServiceContext,
  mail: PartnerMailDeps,
  tenantId: string,
  id: string,
  pending: readonly PendingMail[],
): Promise<RequestChange> {
  const request = await present(ctx, await loadOwnOrThrow(ctx.store.db, tenantId, id));
  return { request, invitations: sendInvitations(mail, request, pending) };
}

/** Sends each invitation; a failed one is reported in its Delivery, so this never rejects. */
async function sendInvitations(
  mail: PartnerMailDeps,
  request: PartnerRequestView,
  pending: readonly PendingMail[],
): Promise<Delivery[]> {
  const partner = request.partnerName;
  const deliveries: Delivery[] = [];
  for (const p of pending) {
    if (!mail.mailer) {
      deliveries.push({
        slot: p.slot,
        to: p.to,
        sent: false,
        error: "no SMTP server configured (KITH_SMTP_URL)",
      });
      continue;
    }
    const url = reviewLinkUrl(mail.publicUrl, p.token);
    const what = `${request.environmentId} (${request.purpose}${request.project ? `, project ${request.project}` : ""})`;
    try {
      await mail.mailer.send({
        to: p.to,
        subject: `Approve data sharing with ${partner}?`,
        text: [
          `${request.requestedBy} of ${partner} asks to see telemetry insights of your Kith environment ${what}.`,
          "",
          "Telemetry insights are about the environment itself (sync lag, import failures, background jobs, API errors),",
          "never about people or their mail. Two reviewers of your organisation must approve; either can reject.",
          "",
          `Approve or reject: ${url}`,
          "",
          `The link works once, only for you, until ${p.expiresAt.toISOString()}.`,
          "You can also answer from the Data consent page when signed in to Kith.",
        ].join("\n"),
        html: `<p>${escapeHtml(request.requestedBy)} of <b>${escapeHtml(partner)}</b> asks to see telemetry insights of your Kith environment ${escapeHtml(what)}.</p><p>Telemetry insights are about the environment itself (sync lag, import failures, background jobs, API errors), never about people or their mail. Two reviewers of your organisation must approve; either can reject.</p><p><a href="${escapeHtml(url)}">Approve or reject the request</a></p><p>The link works once, only for you, until ${p.expiresAt.toISOString()}. You can also answer from the Data consent page when signed in to Kith.</p>`,
      });
      deliveries.push({ slot: p.slot, to: p.to, sent: true });
    } catch (error) {
      deliveries.push({
        slot: p.slot,
        to: p.to,
        sent: false,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return deliveries;
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

const stateOf = (r: PartnerRequest): PartnerConsentState => ({
  status: r.status,
  closedReason: r.closedReason,
  reviewers: Object.fromEntries(r.reviewers.map((v) => [v.slot, v.decision])),
});

function transitionOrThrow(r: PartnerRequest, event: PartnerEvent): PartnerConsentState {
  const result = applyPartnerEvent(stateOf(r), event);
  if (!result.ok) throw new KithError(result.code, result.reason, { request: r.id, status: r.status });
  return result.state;
}

/** Stores a new state: the request's status and every current reviewer whose decision changed. */
async function storeState(
  trx: Trx,
  r: PartnerRequest,
  next: PartnerConsentState,
  at: Date,
  spentSlot?: ReviewerSlot,
): Promise<void> {
  await updatePartnerRequestStatus(trx, r.tenantId, r.id, next, at);
  for (const v of r.reviewers) {
    const decision = next.reviewers[v.slot];
    if (decision === undefined || (decision === v.decision && v.slot !== spentSlot)) continue;
    await updateReviewer(trx, r.tenantId, r.id, v.id, {
      decision,
      ...(decision === "approved" || decision === "rejected" ? { decidedAt: at } : {}),
      ...(v.slot === spentSlot ? { linkUsedAt: at } : {}),
    });
  }
}

async function loadOwnOrThrow(trx: Trx, tenantId: string, id: string): Promise<PartnerRequest> {
  const r = await findPartnerRequest(trx, tenantId, id);
  if (!r) throw notFound("partner request", id);
  return r;
}

// ---------------------------------------------------------------------------------------------
// The partner's side

export async function createPartnerRequest(
  ctx: ServiceContext,
  mail: PartnerMailDeps,
  actor: PartnerActor,
  input: NewPartnerRequestInput,
): Promise<RequestChange> {
  const at = ctx.now();
  const targetTenantId = input.targetTenantId.trim();
  const project = input.project?.trim() ? input.project.trim() : null;
  // By id only, compared as text: whether the id names a tenant is the customer's answer.
  const sameTenant = targetTenantId === actor.tenantId;
  const reviewers = sameTenant ? [] : input.reviewers.map(normaliseReviewer);
  const problems: ReviewerCheck[] = checkEnvironment({ ...input, project });
  if (!targetTenantId) problems.push({ field: "targetTenantId", message: "name the customer's tenant id" });
  if (!sameTenant)
    problems.push(
      ...checkReviewers({
        reviewers,
        requesterEmail: actor.email,
        confirmedEmployees: input.confirmedEmployees,
      }),
    );
  if (problems.length > 0) failValidation(problems);
  const state = initialPartnerState(sameTenant);
  const id = randomUUID();
  const base = {
    tenantId: actor.tenantId,
    id,
    targetTenantId,
    environmentId: input.environmentId.trim(),
    purpose: input.purpose as EnvironmentPurpose,
    project,
    status: state.status,
    closedReason: null,
    requestedBy: actor.email,
    createdAt: at,
  };
  const pending = await ctx.store.transaction(async (trx) => {
    await insertPartnerRequest(trx, base);
    const invited = slotted(reviewers, await matchInTargetDirectory(trx, targetTenantId, reviewers));
    const mails = await inviteReviewers(trx, base, invited, actor.email, mail, at);
    await auditBoth(
      ctx,
      trx,
      base,
      at,
      {
        actor: actor.email,
        action: "partner.requested",
        subject: id,
        details: {
          ...requestFacts(base),
          status: state.status,
          reviewers,
          ...(sameTenant ? {} : { confirmedEmployees: true }),
        },
      },
      customerFacts(invited),
    );
    return mails;
  });
  return presentAndInvite(ctx, mail, actor.tenantId, id, pending);
}

export async function listRequestsOfPartner(
  ctx: ServiceContext,
  tenantId: string,
): Promise<PartnerRequestView[]> {
  const requests = await listPartnerRequests(ctx.store.db, tenantId);
  return Promise.all(requests.map((r) => present(ctx, r)));
}

export async function getPartnerRequest(
  ctx: ServiceContext,
  tenantId: string,
  id: string,
): Promise<PartnerRequestView> {
  return present(ctx, await loadOwnOrThrow(ctx.store.db, tenantId, id));
}

/** Cancels both reviewer requests (their links die); the reviewers can then be edited and resubmitted. */
export async function cancelPartnerRequest(
  ctx: ServiceContext,
  actor: PartnerActor,
  id: string,
): Promise<PartnerRequestView> {
  const at = ctx.now();
  await ctx.store.transaction(async (trx) => {
    await lockPartnerRequest(trx, ctx.store.engine, actor.tenantId, id);
    const r = await loadOwnOrThrow(trx, actor.tenantId, id);
    const next = transitionOrThrow(r, { type: "cancel" });
    await storeState(trx, r, next, at);
    await auditBoth(ctx, trx, r, at, {
      actor: actor.email,
      action: "partner.cancelled",
      subject: id,
      details: { ...requestFacts(r), previousStatus: r.status },
    });
  });
  return getPartnerRequest(ctx, actor.tenantId, id);
}

/** Sends a cancelled request again, to the same or edited reviewers (both re-confirmed). */
export async function resubmitPartnerRequest(
  ctx: ServiceContext,
  mail: PartnerMailDeps,
  actor: PartnerActor,
  id: string,
  input: { reviewers: readonly string[]; confirmedEmployees: boolean },
): Promise<RequestChange> {
  const at = ctx.now();
  const reviewers = input.reviewers.map(normaliseReviewer);
  const pending = await ctx.store.transaction(async (trx) => {
    await lockPartnerRequest(trx, ctx.store.engine, actor.tenantId, id);
    const r = await loadOwnOrThrow(trx, actor.tenantId, id);
    const next = transitionOrThrow(r, { type: "resubmit" });
    const problems = checkReviewers({
      reviewers,
      requesterEmail: actor.email,
      confirmedEmployees: input.confirmedEmployees,
    });
    if (problems.length > 0) failValidation(problems);
    for (const v of r.reviewers)
      await updateReviewer(trx, r.tenantId, r.id, v.id, { decision: v.decision, supersededAt: at });
    await updatePartnerRequestStatus(trx, r.tenantId, r.id, next, at);
    const invited = slotted(reviewers, await matchInTargetDirectory(trx, r.targetTenantId, reviewers));
    const mails = await inviteReviewers(trx, r, invited, actor.email, mail, at);
    await auditBoth(
      ctx,
      trx,
      r,
      at,
      {
        actor: actor.email,
        action: "partner.resubmitted",
        subject: id,
        details: { ...requestFacts(r), reviewers, confirmedEmployees: true },
      },
      customerFacts(invited),
    );
    return mails;
  });
  return presentAndInvite(ctx, mail, actor.tenantId, id, pending);
}

/** Replaces one reviewer of a pending request: the old link dies, the new reviewer is mailed. */
export async function replacePartnerReviewer(
  ctx: ServiceContext,
  mail: PartnerMailDeps,
  actor: PartnerActor,
  id: string,
  input: { slot: ReviewerSlot; email: string; confirmedEmployee: boolean },
): Promise<RequestChange> {
  const at = ctx.now();
  const email = normaliseReviewer(input.email);
  const pending = await ctx.store.transaction(async (trx) => {
    await lockPartnerRequest(trx, ctx.store.engine, actor.tenantId, id);
    const r = await loadOwnOrThrow(trx, actor.tenantId, id);
    const next = transitionOrThrow(r, { type: "replace_reviewer", slot: input.slot });
    const old = r.reviewers.find((v) => v.slot === input.slot);
    const others = r.reviewers.filter((v) => v.slot !== input.slot);
    const problems = checkReviewers({
      reviewers: [...others.map((v) => v.email), email],
      requesterEmail: actor.email,
      confirmedEmployees: input.confirmedEmployee,
    }).map((p) => (p.field.startsWith("reviewers[") ? { ...p, field: "email" } : p));
    if (problems.length > 0) failValidation(problems);
    if (old)
      await updateReviewer(trx, r.tenantId, r.id, old.id, { decision: old.decision, supersededAt: at });
    await updatePartnerRequestStatus(trx, r.tenantId, r.id, next, at);
    const [userId] = await matchInTargetDirectory(
      trx,
      r.targetTenantId,
      [email],
      others.flatMap((v) => (v.targetUserId === null ? [] : [v.targetUserId])),
    );
    const invited: SlotReviewer[] = [{ slot: input.slot, email, userId: userId ?? null }];
    const mails = await inviteReviewers(trx, r, invited, actor.email, mail, at);
    await auditBoth(
      ctx,
      trx,
      r,
      at,
      {
        actor: actor.email,
        action: "partner.reviewer_replaced",
        subject: id,
        details: {
          ...requestFacts(r),
          slot: input.slot,
          from: old?.email ?? null,
          to: email,
          confirmedEmployees: true,
        },
      },
      customerFacts(invited),
    );
    return mails;
  });
  return presentAndInvite(ctx, mail, actor.tenantId, id, pending);
}

export interface PartnerTelemetry {
  request: PartnerRequestView;
  windowDays: number;
  insights: TelemetryInsight[];
}

function gateOrThrow(r: PartnerRequest): void {
  if (!isCustomerVisible(r.status))
    throw new KithError(
      "consent_required",
      `telemetry insights need the customer's consent; this request is ${statusLabels[r.status]}`,
      { request: r.id, status: r.status },
    );
}

/** The customer's telemetry insights, only while the request is Allowed (or Not Applicable). */
export async function readPartnerTelemetry(
  ctx: ServiceContext,
  tenantId: string,
  id: string,
): Promise<PartnerTelemetry> {
  const r = await loadOwnOrThrow(ctx.store.db, tenantId, id);
  gateOrThrow(r);
  const now = ctx.now();
  const since = new Date(now.getTime() - telemetryWindowDays * 86_400_000);
  const telemetry = await readEnvironmentTelemetry(ctx.store.db, r.targetTenantId, since);
  const dismissed = await listDismissals(ctx.store.db, tenantId, id);
  return {
    request: await present(ctx, r),
    windowDays: telemetryWindowDays,
    insights: evaluateTelemetry({ now, ...telemetry }, dismissed),
  };
}

export async function dismissPartnerInsight(
  ctx: ServiceContext,
  actor: PartnerActor,
  id: string,
  insightId: string,
): Promise<{ dismissed: boolean }> {
  const r = await loadOwnOrThrow(ctx.store.db, actor.tenantId, id);
  gateOrThrow(r);
  const dismissed = await ctx.store.transaction((trx) =>
    insertDismissal(trx, actor.tenantId, id, insightId, actor.email, ctx.now()),
  );
  return { dismissed };
}

// ---------------------------------------------------------------------------------------------
// The reviewer's and the customer's side

export interface ReviewByLink {
  request: PartnerRequestView;
  reviewer: ReviewerView;
  /** Whether this link can still record an answer. */
  canDecide: boolean;
}

/** The request behind a reviewer's link, without spending it; refuses dead links with the reason. */
async function resolveLink(ctx: ServiceContext, db: Trx, token: string) {
  const parts = splitTenantSecret(token.trim());
  if (!parts) throw notAuthenticated("this approval link is not valid");
  const found = await findReviewerByLink(db, parts.tenantId, hashSecret(parts.secret));
  if (!found) throw notAuthenticated("this approval link is not valid");
  const { reviewer } = found;
  if (reviewer.supersededAt)
    throw notAuthenticated("this approval link was withdrawn: the partner changed reviewers");
  if (reviewer.linkUsedAt) throw notAuthenticated("this approval link was already used");
  if (reviewer.linkExpiresAt && reviewer.linkExpiresAt <= ctx.now())
    throw notAuthenticated("this approval link has expired; ask the partner to send it again");
  return found;
}

export async function readReviewByLink(ctx: ServiceContext, token: string): Promise<ReviewByLink> {
  const { request, reviewer } = await resolveLink(ctx, ctx.store.db, token);
  // The reviewer belongs to the customer: it may see its own name.
  const view = await present(ctx, request, "customer");
  return {
    request: view,
    reviewer: view.reviewers.find((v) => v.slot === reviewer.slot)!,
    canDecide: request.status === "pending" && reviewer.decision === "pending",
  };
}

export type Decision = "approve" | "reject";

async function recordDecision(
  ctx: ServiceContext,
  trx: Trx,
  r: PartnerRequest,
  reviewer: PartnerReviewer,
  decision: Decision,
  via: "link" | "session",
  at: Date,
): Promise<void> {
  const next = transitionOrThrow(r, { type: "decide", slot: reviewer.slot, decision });
  await storeState(trx, r, next, at, reviewer.slot);
  await auditBoth(ctx, trx, r, at, {
    actor: reviewer.email,
    action: decision === "approve" ? "partner.approved" : "partner.rejected",
    subject: r.id,
    details: { ...requestFacts(r), slot: reviewer.slot, via, status: next.status },
  });
}

/** Records a reviewer's answer from the emailed link; the link is spent either way. */
export async function decideByLink(
  ctx: ServiceContext,
  token: string,
  decision: Decision,
): Promise<PartnerRequestView> {
  const at = ctx.now();
  const { tenantId, id } = await ctx.store.transaction(async (trx) => {
    const first = await resolveLink(ctx, trx, token);
    await lockPartnerRequest(trx, ctx.store.engine, first.request.tenantId, first.request.id);
    // Re-read under the lock: the other reviewer may have answered a moment ago.
    const { request, reviewer } = await resolveLink(ctx, trx, token);
    await recordDecision(ctx, trx, request, reviewer, decision, "link", at);
    return { tenantId: request.tenantId, id: request.id };
  });
  return getPartnerRequest(ctx, tenantId, id);
}

export interface ReviewView {
  request: PartnerRequestView;
  /** My slot on this request. */
  slot: ReviewerSlot;
  decision: PartnerReviewer["decision"];
  canDecide: boolean;
}

/** Requests of other tenants that name the signed-in user as a reviewer (the data-consent page). */
export async function listMyReviews(ctx: ServiceContext, user: SignedInUser): Promise<ReviewView[]> {
  const requests = await listRequestsReviewedBy(ctx.store.db, user.tenantId, user.userId);
  return Promise.all(
    requests.map(async (r) => {
      const mine = r.reviewers.find((v) => v.targetUserId === user.userId)!;
      return {
        request: await present(ctx, r, "customer"),
        slot: mine.slot,
        decision: mine.decision,
        canDecide: r.status === "pending" && mine.decision === "pending",
      };
    }),
  );
}

/** A signed-in reviewer answers from the data-consent page; this also spends their emailed link. */
export async function decideAsReviewer(
  ctx: ServiceContext,
  user: SignedInUser,
  id: string,
  decision: Decision,
): Promise<PartnerRequestView> {
  const at = ctx.now();
  const tenantId = await ctx.store.transaction(async (trx) => {
    const first = await findRequestForTarget(trx, user.tenantId, id);
    if (!first || first.tenantId === user.tenantId) throw notFound("partner request", id);
    await lockPartnerRequest(trx, ctx.store.engine, first.tenantId, id);
    const r = (await findPartnerRequest(trx, first.tenantId, id))!;
    const reviewer = r.reviewers.find((v) => v.targetUserId === user.userId);
    if (!reviewer) throw notFound("partner request", id);
    await recordDecision(ctx, trx, r, reviewer, decision, "session", at);
    return r.tenantId;
  });
  return present(ctx, await loadOwnOrThrow(ctx.store.db, tenantId, id), "customer");
}

/** Every partner request for this tenant's telemetry, for its administrators. */
export async function listSharedWithPartners(
  ctx: ServiceContext,
  targetTenantId: string,
): Promise<PartnerRequestView[]> {
  const requests = await listRequestsForTarget(ctx.store.db, targetTenantId);
  return Promise.all(requests.map((r) => present(ctx, r, "customer")));
}

/** The customer withdraws an Allowed request at any time; the partner loses the name and insights. */
export async function revokePartnerRequest(
  ctx: ServiceContext,
  user: SignedInUser,
  id: string,
): Promise<PartnerRequestView> {
  const at = ctx.now();
  const tenantId = await ctx.store.transaction(async (trx) => {
    const first = await findRequestForTarget(trx, user.tenantId, id);
    if (!first || first.tenantId === user.tenantId) throw notFound("partner request", id);
    await lockPartnerRequest(trx, ctx.store.engine, first.tenantId, id);
    const r = (await findPartnerRequest(trx, first.tenantId, id))!;
    const next = transitionOrThrow(r, { type: "revoke" });
    await storeState(trx, r, next, at);
    await auditBoth(ctx, trx, r, at, {
      actor: user.email,
      action: "partner.revoked",
      subject: id,
      details: requestFacts(r),
    });
    return r.tenantId;
  });
  return present(ctx, await loadOwnOrThrow(ctx.store.db, tenantId, id), "customer");
}

/**
 * The acting user for commands without a session (CLI `--by`): a directory user of the tenant who
 * holds `role` now. The HTTP routes check the role in their access rule instead.
 */
export async function actorWithRoleOrThrow(
  ctx: ServiceContext,
  tenantId: string,
  email: string,
  role: "Partner Administrator" | "Global Administrator",
): Promise<SignedInUser> {
  const user = await findUserByAddress(ctx.store.db, tenantId, normaliseAddress(email) ?? email);
  if (!user) throw validationError(`${email} is not a user of this tenant`, { email });
  const signedIn = await loadSignedInUser(ctx, tenantId, user);
  if (!signedIn.roles.includes(role))
    throw new KithError("insufficient_privileges", `${email} is not a ${role}`, { required: [role] });
  return signedIn;
}
