/** Row shapes of deletion requests by external people (migration 0030). Times are epoch milliseconds. */

export interface ForgetKeyTable {
  tenant_id: string;
  /** Hex of the tenant's 32-byte HMAC-SHA256 key for address hashes. */
  hash_key: string;
  created_at: number;
}

export interface ForgetRequestTable {
  tenant_id: string;
  id: string;
  /** Keyed hash of the forgotten address (domain/forget.ts); never the address itself. */
  address_hash: string;
  requested_by: string;
  reason: string;
  at: number;
  /** JSON object: what was removed, by kind. */
  counts: string;
  duration_ms: number;
}
