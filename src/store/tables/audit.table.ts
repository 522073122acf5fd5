export interface AuditLogTable {
  tenant_id: string;
  seq: number;
  at: number;
  actor: string;
  action: string;
  subject: string;
  /** Canonical JSON of the entry's details. */
  details: string;
  prev_hash: string;
  hash: string;
}
