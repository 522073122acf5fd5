import type { Generated } from "kysely";

/** Row shapes of collected data. Times are epoch milliseconds; JSON columns are text. */

export interface InteractionTable {
  /** Integer surrogate key (SQLite rowid): party rows point at it. */
  seq: Generated<number>;
  tenant_id: string;
  id: string;
  message_key: string | null;
  kind: string;
  occurred_at: number;
  ended_at: number | null;
  month: number;
  sender: string | null;
  participants: string;
  participant_count: number;
  internal_only: number;
  subject: string | null;
  conversation_id: string | null;
  in_reply_to: string | null;
  batch_id: string;
}

export interface InteractionPartyTable {
  tenant_id: string;
  address: string;
  occurred_at: number;
  /** The interaction's `seq`. */
  seq: number;
  role: string;
  user_id: string | null;
}

export interface PairStateTable {
  tenant_id: string;
  person: string;
  user_id: string;
  /** Binary PairState (store/pair-state-codec.ts). */
  state: Buffer;
  last_at: number;
}

export interface InternalPairStateTable {
  tenant_id: string;
  user_a: string;
  user_b: string;
  /** Binary PairState (store/pair-state-codec.ts). */
  state: Buffer;
  last_at: number;
}

export interface PersonTable {
  tenant_id: string;
  address: string;
  name: string | null;
  domain: string;
  first_at: number;
  last_at: number;
}

export interface AccountTable {
  tenant_id: string;
  id: string;
  name: string;
  primary_contact_id: string | null;
}

export interface AccountDomainTable {
  tenant_id: string;
  domain: string;
  account_id: string;
}

export interface CrmContactTable {
  tenant_id: string;
  id: string;
  email: string | null;
  name: string;
  account_id: string | null;
}

export interface CrmLeadTable {
  tenant_id: string;
  id: string;
  email: string | null;
  name: string;
  company: string | null;
  owner_email: string | null;
  stakeholders: string;
  status: string;
}

export interface CrmOpportunityTable {
  tenant_id: string;
  id: string;
  name: string;
  account_id: string | null;
  owner_email: string | null;
  sales_team: string;
  stakeholders: string;
  customer_contact_id: string | null;
  status: string;
  estimated_close_at: number | null;
  estimated_revenue: number | null;
  /** Migration 0050: the CRM's sales stage and the revenue's ISO 4217 currency. */
  stage: string | null;
  currency: string | null;
  created_at: number | null;
  closed_at: number | null;
}

export interface CrmActivityTable {
  tenant_id: string;
  id: string;
  kind: string;
  regarding_type: string | null;
  regarding_id: string | null;
  direction: string | null;
  from_address: string | null;
  to_addresses: string;
  start_at: number | null;
  end_at: number | null;
  duration_min: number | null;
  state: string;
  subject: string | null;
}

export interface IngestBatchTable {
  tenant_id: string;
  id: string;
  kind: string;
  label: string;
  status: string;
  started_at: number;
  finished_at: number | null;
  summary: string;
  checkpoint: string | null;
  /** `host:pid` of the process running the batch (null on batches from before migration 0007). */
  owner: string | null;
}
