import type { Generated } from "kysely";

/**
 * Row shapes of collected data (migration 0060, the lean schema; ARCHITECTURE.md "Lean schema").
 * Times are epoch milliseconds. Keys start with `tenant_num` (`tenant.num`); addresses are numbers
 * of the tenant's `address_book`, colleagues numbers of `colleague` (store/collected-keys.ts).
 * 64-bit keys (fingerprint, Message-ID key, thread keys) are signed integers: on PostgreSQL read
 * them through `keyHexSql` (int8 parses to Number there). Sealed columns hold the tenant cipher's
 * bytes (store/field-cipher.ts).
 */

export interface AddressBookTable {
  tenant_num: number;
  num: number;
  /** 8-byte keyed hash of the address (`cipher.addressKey`; a collision's second address adds U+0001). */
  key: Buffer;
  /** `cipher.seal("address", address)`. */
  sealed: Buffer;
}

export interface ColleagueTable {
  tenant_num: number;
  num: number;
  user_id: string;
}

export interface InteractionTable {
  tenant_num: number;
  /** Per tenant on SQLite (from `tenant.interaction_high`), per store on PostgreSQL (identity). */
  seq: Generated<number>;
  fingerprint: bigint | string;
  message_key: bigint | string | null;
  /** 0 email, 1 meeting. */
  kind: number;
  occurred_at: number;
  ended_at: number | null;
  /** Address number of the sender. */
  sender: number | null;
  /** Packed participants (`packParties`). */
  parties: Buffer;
  participant_count: number;
  internal_only: number;
  /** Sealed subject. */
  subject: Buffer | null;
  /** 64-bit key of the conversation id (`threadKey`). */
  conversation_id: bigint | string | null;
  /** 64-bit key of the In-Reply-To id (`threadKey`). */
  in_reply_to: bigint | string | null;
}

export interface InteractionPartyTable {
  tenant_num: number;
  address_num: number;
  occurred_at: number;
  /** The interaction's `seq`. */
  seq: number;
  /** `roleCode` of the party's role. */
  role: number;
  user_num: number | null;
}

export interface PairStateTable {
  tenant_num: number;
  /** Address number of the external person. */
  person_num: number;
  user_num: number;
  /** Binary PairState (store/pair-state-codec.ts). */
  state: Buffer;
  last_at: number;
}

export interface InternalPairStateTable {
  tenant_num: number;
  /** Colleague numbers; user_a's user id < user_b's. */
  user_a: number;
  user_b: number;
  /** Binary PairState (store/pair-state-codec.ts). */
  state: Buffer;
  last_at: number;
}

export interface PersonTable {
  tenant_num: number;
  /** The person's address number. */
  num: number;
  /** Sealed display name. */
  name: Buffer | null;
  /** `cipher.domainKey(domain)`. */
  domain_key: Buffer;
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
