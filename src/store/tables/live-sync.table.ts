/** Row shapes of live mail sources and their per-mailbox sync state (migration 0020, issue 16). */

export interface MailSourceTable {
  tenant_id: string;
  id: string;
  /** "imap" | "graph". */
  kind: string;
  name: string;
  /** JSON: the connector's settings (host, port, TLS, folders…); never a secret. */
  settings: string;
  /** The source-wide secret (a Graph client secret), encrypted; null when each mailbox has its own. */
  credential: string | null;
  created_at: number;
  updated_at: number;
}

export interface MailboxSyncTable {
  tenant_id: string;
  source_id: string;
  /** The mailbox owner's address. */
  mailbox: string;
  /** The server login of the mailbox (IMAP), when it is not the address. */
  login: string | null;
  /** The mailbox's own secret (IMAP password or access token), encrypted. */
  credential: string | null;
  /** pending_full_fetch | fetching | importing | idle | paused | failed. */
  stage: string;
  cursor: string | null;
  last_success_at: number | null;
  failure_count: number;
  next_attempt_at: number | null;
  lag_ms: number | null;
  /** Why the mailbox is paused or failed (shown to the admin), or what the last cycle skipped. */
  reason: string | null;
  imported: number;
  /** `host:pid:nonce` of the worker syncing it, until `lease_until`. */
  lease_owner: string | null;
  lease_until: number | null;
  updated_at: number;
}
