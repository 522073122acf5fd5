/** Row shapes of the consent ledger. Times are epoch milliseconds; flags are 0/1; lists are JSON text. */

export interface ConsentTable {
  tenant_id: string;
  type: string;
  granted: number;
  changed_at: number;
  changed_by: string;
}

/** Every grant and withdrawal, kept forever (the audit log holds the same facts, hash-chained). */
export interface ConsentHistoryTable {
  tenant_id: string;
  seq: number;
  type: string;
  granted: number;
  changed_at: number;
  changed_by: string;
}

export interface TenantSettingsTable {
  tenant_id: string;
  opted_out_group_ids: string;
  /** JSON array of role names, or null for "every user". */
  collection_roles: string | null;
  /** JSON object: insight kind → role names. */
  insight_roles: string;
  ri_enabled_at: number | null;
  /** When relationship intelligence was last turned off by an administrator; null when never or enabled since. */
  ri_disabled_at: number | null;
  /** Collection starts here after a re-grant that followed a withdrawal (nothing earlier comes back). */
  collect_from: number | null;
  /** JSON object of scoring and capture settings owned by later features. */
  options: string;
}

export interface UserPrivacyTable {
  tenant_id: string;
  user_id: string;
  sharing: string;
  sharing_changed_at: number | null;
  collect_from: number | null;
  hide_as_introducer: number;
}

/** What a deletion removed, kept for the user (or the tenant, for a withdrawal) as a receipt. */
export interface DeletionReceiptTable {
  tenant_id: string;
  id: string;
  user_id: string | null;
  /** "user" for a personal opt-out, "tenant" for a consent withdrawal. */
  scope: string;
  reason: string;
  at: number;
  /** JSON object: what kind of data → rows removed. */
  counts: string;
}
