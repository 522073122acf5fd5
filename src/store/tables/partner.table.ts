/** Row shapes of partner data sharing (migration 0005, SPEC §5). */

/** A partner tenant's request to see a customer tenant's telemetry insights for one environment. */
export interface PartnerRequestTable {
  /** The requesting (partner) tenant. */
  tenant_id: string;
  id: string;
  /** The customer tenant whose telemetry is asked for; equal to tenant_id when Not Applicable. */
  target_tenant_id: string;
  environment_id: string;
  /** production | uat | sandbox | performance | dev */
  purpose: string;
  /** Required for every purpose but production. */
  project: string | null;
  /** not_applicable | pending | not_allowed | allowed | cancelled */
  status: string;
  /** rejected | revoked, when status is not_allowed. */
  closed_reason: string | null;
  requested_by: string;
  created_at: number;
  updated_at: number;
}

/** A reviewer asked to approve a request; superseded rows are history. */
export interface PartnerReviewerTable {
  tenant_id: string;
  request_id: string;
  id: string;
  /** 1 or 2. */
  slot: number;
  email: string;
  /**
   * The reviewer's user id in the target tenant's directory; "" when the address named no active
   * employee there (or the same person as the other slot): such a reviewer gets no link.
   */
  target_user_id: string;
  /** pending | approved | rejected | cancelled */
  decision: string;
  /** sha256 of the link secret; null once the link is spent or withdrawn. */
  link_hash: string | null;
  link_expires_at: number | null;
  link_used_at: number | null;
  /** Who ticked "the reviewers are employees of the target tenant" for this reviewer. */
  confirmed_by: string;
  invited_at: number;
  decided_at: number | null;
  superseded_at: number | null;
}

/** A telemetry insight result the partner dismissed for one request. */
export interface PartnerInsightDismissalTable {
  tenant_id: string;
  request_id: string;
  insight_id: string;
  dismissed_by: string;
  dismissed_at: number;
}
