import type {
  ClosedReason,
  EnvironmentPurpose,
  PartnerConsentStatus,
  ReviewerDecision,
  ReviewerSlot,
} from "../domain/partner-consent";
import type { PartnerRequestTable, PartnerReviewerTable } from "./tables/partner.table";
import type { Engine, Trx } from "./store";
import { withTenant } from "./tenant-scope";

/** Partner data-sharing requests (SPEC §5): rows become domain values here and nowhere else. */

export interface PartnerReviewer {
  id: string;
  slot: ReviewerSlot;
  email: string;
  /** The reviewer's user in the target's directory; null when the address named none (no link). */
  targetUserId: string | null;
  decision: ReviewerDecision;
  linkExpiresAt: Date | null;
  linkUsedAt: Date | null;
  confirmedBy: string;
  invitedAt: Date;
  decidedAt: Date | null;
  supersededAt: Date | null;
}

export interface PartnerRequest {
  /** The requesting (partner) tenant. */
  tenantId: string;
  id: string;
  targetTenantId: string;
  environmentId: string;
  purpose: EnvironmentPurpose;
  project: string | null;
  status: PartnerConsentStatus;
  closedReason: ClosedReason | null;
  requestedBy: string;
  createdAt: Date;
  updatedAt: Date;
  /** The current reviewer of each slot, slot order; empty when Not Applicable. */
  reviewers: PartnerReviewer[];
}

export type NewPartnerRequest = Omit<PartnerRequest, "reviewers" | "updatedAt">;

/** target_user_id of a reviewer who is no user of the target tenant (the column predates it, not null). */
const noDirectoryUser = "";

export async function insertPartnerRequest(trx: Trx, request: NewPartnerRequest): Promise<void> {
  return withTenant(request.tenantId, async () => {
    await trx
      .insertInto("partner_request")
      .values({
        tenant_id: request.tenantId,
        id: request.id,
        target_tenant_id: request.targetTenantId,
        environment_id: request.environmentId,
        purpose: request.purpose,
        project: request.project,
        status: request.status,
        closed_reason: request.closedReason,
        requested_by: request.requestedBy,
        created_at: request.createdAt.getTime(),
        updated_at: request.createdAt.getTime(),
      })
      .execute();
  });
}

export async function updatePartnerRequestStatus(
  trx: Trx,
  tenantId: string,
  id: string,
  state: { status: PartnerConsentStatus; closedReason: ClosedReason | null },
  at: Date,
): Promise<void> {
  return withTenant(tenantId, async () => {
    await trx
      .updateTable("partner_request")
      .set({ status: state.status, closed_reason: state.closedReason, updated_at: at.getTime() })
      .where("tenant_id", "=", tenantId)
      .where("id", "=", id)
      .execute();
  });
}

/**
 * Locks the request for the rest of the transaction, so two reviewers answering at once cannot both
 * read "the other is still pending". SQLite transactions already hold the write lock.
 */
export async function lockPartnerRequest(
  trx: Trx,
  engine: Engine,
  tenantId: string,
  id: string,
): Promise<void> {
  return withTenant(tenantId, async () => {
    if (engine !== "postgres") return;
    await trx
      .selectFrom("partner_request")
      .select("id")
      .where("tenant_id", "=", tenantId)
      .where("id", "=", id)
      .forUpdate()
      .execute();
  });
}

export interface NewReviewer {
  id: string;
  slot: ReviewerSlot;
  email: string;
  /** Null (stored as "") for an address that is no employee of the target: it gets no link. */
  targetUserId: string | null;
  linkHash: string | null;
  linkExpiresAt: Date;
  confirmedBy: string;
  invitedAt: Date;
}

export async function insertReviewer(
  trx: Trx,
  tenantId: string,
  requestId: string,
  r: NewReviewer,
): Promise<void> {
  return withTenant(tenantId, async () => {
    await trx
      .insertInto("partner_reviewer")
      .values({
        tenant_id: tenantId,
        request_id: requestId,
        id: r.id,
        slot: r.slot,
        email: r.email,
        target_user_id: r.targetUserId ?? noDirectoryUser,
        decision: "pending",
        link_hash: r.linkHash,
        link_expires_at: r.linkExpiresAt.getTime(),
        link_used_at: null,
        confirmed_by: r.confirmedBy,
        invited_at: r.invitedAt.getTime(),
        decided_at: null,
        superseded_at: null,
      })
      .execute();
  });
}

/** Records a reviewer's state; a decision spends the link (`linkUsedAt`) whichever way it was made. */
export async function updateReviewer(
  trx: Trx,
  tenantId: string,
  requestId: string,
  reviewerId: string,
  change: { decision: ReviewerDecision; decidedAt?: Date; linkUsedAt?: Date; supersededAt?: Date },
): Promise<void> {
  return withTenant(tenantId, async () => {
    await trx
      .updateTable("partner_reviewer")
      .set({
        decision: change.decision,
        ...(change.decidedAt ? { decided_at: change.decidedAt.getTime() } : {}),
        ...(change.linkUsedAt ? { link_used_at: change.linkUsedAt.getTime() } : {}),
        ...(change.supersededAt ? { superseded_at: change.supersededAt.getTime() } : {}),
      })
      .where("tenant_id", "=", tenantId)
      .where("request_id", "=", requestId)
      .where("id", "=", reviewerId)
      .execute();
  });
}

export async function findPartnerRequest(
  db: Trx,
  tenantId: string,
  id: string,
): Promise<PartnerRequest | undefined> {
  return withTenant(tenantId, async () => {
    const row = await db
      .selectFrom("partner_request")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("id", "=", id)
      .executeTakeFirst();
    if (!row) return undefined;
    return (await withReviewers(db, [row]))[0];
  });
}

/** A request as its customer sees it: found by the target tenant, never by the partner's id. */
export async function findRequestForTarget(
  db: Trx,
  targetTenantId: string,
  id: string,
): Promise<PartnerRequest | undefined> {
  return withTenant(targetTenantId, async () => {
    const row = await db
      .selectFrom("partner_request")
      .selectAll()
      .where("target_tenant_id", "=", targetTenantId)
      .where("id", "=", id)
      .executeTakeFirst();
    if (!row) return undefined;
    return (await withReviewers(db, [row]))[0];
  });
}

export async function listPartnerRequests(db: Trx, tenantId: string): Promise<PartnerRequest[]> {
  return withTenant(tenantId, async () => {
    const rows = await db
      .selectFrom("partner_request")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .orderBy("created_at", "desc")
      .orderBy("id")
      .execute();
    return withReviewers(db, rows);
  });
}

/** Requests other tenants made for this tenant's telemetry (Not Applicable ones are its own). */
export async function listRequestsForTarget(db: Trx, targetTenantId: string): Promise<PartnerRequest[]> {
  return withTenant(targetTenantId, async () => {
    const rows = await db
      .selectFrom("partner_request")
      .selectAll()
      .where("target_tenant_id", "=", targetTenantId)
      .where("tenant_id", "!=", targetTenantId)
      .orderBy("created_at", "desc")
      .orderBy("id")
      .execute();
    return withReviewers(db, rows);
  });
}

/** The reviewer row behind a link hash (current or superseded) with its request. */
export async function findReviewerByLink(
  db: Trx,
  tenantId: string,
  linkHash: string,
): Promise<{ request: PartnerRequest; reviewer: PartnerReviewer } | undefined> {
  return withTenant(tenantId, async () => {
    const row = await db
      .selectFrom("partner_reviewer")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("link_hash", "=", linkHash)
      .executeTakeFirst();
    if (!row) return undefined;
    const request = await findPartnerRequest(db, tenantId, row.request_id);
    return request ? { request, reviewer: rowToReviewer(row) } : undefined;
  });
}

/** Requests for this tenant that currently name this user as a reviewer. */
export async function listRequestsReviewedBy(
  db: Trx,
  targetTenantId: string,
  userId: string,
): Promise<PartnerRequest[]> {
  return withTenant(targetTenantId, async () => {
    const rows = await db
      .selectFrom("partner_request")
      .innerJoin("partner_reviewer", (j) =>
        j
          .onRef("partner_reviewer.tenant_id", "=", "partner_request.tenant_id")
          .onRef("partner_reviewer.request_id", "=", "partner_request.id"),
      )
      .selectAll("partner_request")
      .where("partner_request.target_tenant_id", "=", targetTenantId)
      .where("partner_reviewer.target_user_id", "=", userId)
      .where("partner_reviewer.superseded_at", "is", null)
      .orderBy("partner_request.created_at", "desc")
      .orderBy("partner_request.id")
      .execute();
    return withReviewers(db, rows);
  });
}

export async function insertDismissal(
  trx: Trx,
  tenantId: string,
  requestId: string,
  insightId: string,
  by: string,
  at: Date,
): Promise<boolean> {
  return withTenant(tenantId, async () => {
    const result = await trx
      .insertInto("partner_insight_dismissal")
      .values({
        tenant_id: tenantId,
        request_id: requestId,
        insight_id: insightId,
        dismissed_by: by,
        dismissed_at: at.getTime(),
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  });
}

export async function listDismissals(db: Trx, tenantId: string, requestId: string): Promise<Set<string>> {
  return withTenant(tenantId, async () => {
    const rows = await db
      .selectFrom("partner_insight_dismissal")
      .select("insight_id")
      .where("tenant_id", "=", tenantId)
      .where("request_id", "=", requestId)
      .execute();
    return new Set(rows.map((r) => r.insight_id));
  });
}

async function withReviewers(db: Trx, rows: PartnerRequestTable[]): Promise<PartnerRequest[]> {
  if (rows.length === 0) return [];
  const reviewers = new Map<string, PartnerReviewer[]>();
  // Grouped by partner tenant so every query stays on one tenant's key range.
  const byTenant = new Map<string, string[]>();
  for (const r of rows) byTenant.set(r.tenant_id, [...(byTenant.get(r.tenant_id) ?? []), r.id]);
  for (const [tenantId, ids] of byTenant) {
    const found = await db
      .selectFrom("partner_reviewer")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("request_id", "in", ids)
      .where("superseded_at", "is", null)
      .orderBy("slot")
      .execute();
    for (const f of found) {
      const key = `${tenantId}/${f.request_id}`;
      reviewers.set(key, [...(reviewers.get(key) ?? []), rowToReviewer(f)]);
    }
  }
  return rows.map((r) => ({
    tenantId: r.tenant_id,
    id: r.id,
    targetTenantId: r.target_tenant_id,
    environmentId: r.environment_id,
    purpose: r.purpose as EnvironmentPurpose,
    project: r.project,
    status: r.status as PartnerConsentStatus,
    closedReason: r.closed_reason as ClosedReason | null,
    requestedBy: r.requested_by,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
    reviewers: reviewers.get(`${r.tenant_id}/${r.id}`) ?? [],
  }));
}

function rowToReviewer(row: PartnerReviewerTable): PartnerReviewer {
  return {
    id: row.id,
    slot: row.slot === 2 ? 2 : 1,
    email: row.email,
    targetUserId: row.target_user_id === noDirectoryUser ? null : row.target_user_id,
    decision: row.decision as ReviewerDecision,
    linkExpiresAt: row.link_expires_at === null ? null : new Date(row.link_expires_at),
    linkUsedAt: row.link_used_at === null ? null : new Date(row.link_used_at),
    confirmedBy: row.confirmed_by,
    invitedAt: new Date(row.invited_at),
    decidedAt: row.decided_at === null ? null : new Date(row.decided_at),
    supersededAt: row.superseded_at === null ? null : new Date(row.superseded_at),
  };
}

/** Operational telemetry of one tenant's Kith environment: counts and timings, no personal data. */
export interface EnvironmentTelemetry {
  batches: {
    kind: string;
    status: "running" | "done" | "failed";
    startedAt: Date;
    finishedAt: Date | null;
    read: number;
    rejected: number;
    durationMs: number;
    /** Backfill only: the month ("2026-04") and its run's id and planned months. */
    month: string | null;
    runId: string | null;
    plannedMonths: number | null;
  }[];
  jobs: {
    name: string;
    status: string;
    attempts: number;
    createdAt: Date;
    runAt: Date;
    finishedAt: Date | null;
  }[];
  rollups: { day: string; figures: Record<string, number> }[];
}

export async function readEnvironmentTelemetry(
  db: Trx,
  tenantId: string,
  since: Date,
): Promise<EnvironmentTelemetry> {
  return withTenant(tenantId, async () => {
    const batchRows = await db
      .selectFrom("ingest_batch")
      .select(["kind", "label", "status", "started_at", "finished_at", "summary", "checkpoint"])
      .where("tenant_id", "=", tenantId)
      .where("started_at", ">=", since.getTime())
      .orderBy("started_at", "desc")
      .limit(5000)
      .execute();
    const jobRows = await db
      .selectFrom("job")
      .select(["name", "status", "attempts", "created_at", "run_at", "finished_at"])
      .where("tenant_id", "=", tenantId)
      .where("created_at", ">=", since.getTime())
      .orderBy("created_at", "desc")
      .limit(5000)
      .execute();
    const rollupRows = await db
      .selectFrom("telemetry_rollup")
      .select(["day", "figures"])
      .where("tenant_id", "=", tenantId)
      .where("day", ">=", since.toISOString().slice(0, 10))
      .orderBy("day")
      .execute();
    const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);
    return {
      batches: batchRows.map((r) => {
        const summary = safeJson(r.summary);
        const checkpoint = r.checkpoint === null ? {} : safeJson(r.checkpoint);
        const backfill = r.kind === "backfill";
        return {
          kind: r.kind,
          status: r.status === "done" || r.status === "failed" ? r.status : "running",
          startedAt: new Date(r.started_at),
          finishedAt: r.finished_at === null ? null : new Date(r.finished_at),
          read: num(summary.read),
          rejected: num(summary.rejected),
          durationMs: num(summary.durationMs),
          // Only a backfill's label is a month; other labels name files and stay in the tenant.
          month: backfill && /^\d{4}-\d{2}$/.test(r.label) ? r.label : null,
          runId: backfill && typeof checkpoint.runId === "string" ? checkpoint.runId : null,
          plannedMonths: backfill && Array.isArray(checkpoint.planned) ? checkpoint.planned.length : null,
        };
      }),
      jobs: jobRows.map((r) => ({
        name: r.name,
        status: r.status,
        attempts: r.attempts,
        createdAt: new Date(r.created_at),
        runAt: new Date(r.run_at),
        finishedAt: r.finished_at === null ? null : new Date(r.finished_at),
      })),
      rollups: rollupRows.map((r) => {
        const figures = safeJson(r.figures);
        return {
          day: r.day,
          figures: Object.fromEntries(
            Object.entries(figures).filter((e): e is [string, number] => typeof e[1] === "number"),
          ),
        };
      }),
    };
  });
}

function safeJson(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
