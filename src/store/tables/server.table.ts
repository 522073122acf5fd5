/** Row shapes of the server's tables (migration 0004): sign-in, sessions, SCIM tokens, jobs. */

/** A one-time sign-in link; only the sha256 of its secret is kept. */
export interface LoginLinkTable {
  tenant_id: string;
  token_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

/** A signed-in browser or API session; only the sha256 of its secret is kept. */
export interface WebSessionTable {
  tenant_id: string;
  id_hash: string;
  user_id: string;
  /** Per-session CSRF token the client echoes in `x-csrf-token` on state-changing requests. */
  csrf_token: string;
  /** How the user signed in: "link" or "oidc". */
  method: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

/** An OpenID Connect authorization request in flight (state → PKCE verifier and nonce). */
export interface OidcRequestTable {
  tenant_id: string;
  state: string;
  code_verifier: string;
  nonce: string;
  return_to: string;
  created_at: number;
  expires_at: number;
}

/** A tenant-scoped SCIM bearer token; only the sha256 of its secret is kept. */
export interface ScimTokenTable {
  tenant_id: string;
  id: string;
  token_hash: string;
  label: string;
  created_at: number;
  /** "operator" (CLI) or the administrator's email (migration 0008). */
  created_by: string;
  /** Null: never expires (migration 0008). */
  expires_at: number | null;
  /** When it last authenticated, stamped at most once a minute (migration 0008). */
  last_used_at: number | null;
  revoked_at: number | null;
  revoked_by: string | null;
}

/**
 * Users an identity provider deleted over SCIM. Deactivated users (active: false) and deleted ones
 * both leave the directory (app_user.deleted_at); only deleted ones disappear from SCIM reads.
 */
export interface ScimDeletionTable {
  tenant_id: string;
  user_id: string;
  deleted_at: number;
}

/** The durable job queue shared by every worker process. */
export interface JobTable {
  id: string;
  /** null for jobs that are not about one tenant. */
  tenant_id: string | null;
  name: string;
  /** JSON. */
  payload: string;
  /** Unique when set: enqueueing the same key again is a no-op, so a schedule never runs twice. */
  idempotency_key: string | null;
  /** queued | running | done | failed */
  status: string;
  attempts: number;
  max_attempts: number;
  run_at: number;
  lease_until: number | null;
  locked_by: string | null;
  last_error: string | null;
  /** JSON of what the job reported. */
  result: string | null;
  created_at: number;
  finished_at: number | null;
}

/** Daily per-tenant telemetry roll-up (operational figures, never personal data). */
export interface TelemetryRollupTable {
  tenant_id: string;
  day: string;
  /** JSON object of figures. */
  figures: string;
  computed_at: number;
}
