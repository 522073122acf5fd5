import type { Generated } from "kysely";

/** Row shapes of the directory tables. Times are epoch milliseconds on both engines; flags are 0/1. */

export interface TenantTable {
  id: string;
  slug: string;
  name: string;
  created_at: number;
  /** Head of the audit chain, kept with the tenant so removing the newest entries is detectable. */
  audit_head_seq: number;
  audit_head_hash: string;
  /**
   * Migration 0060: the tenant's small number, which collected-data tables key on instead of `id`,
   * and the high-water marks of its address, colleague and interaction numbers (never reused).
   */
  num: Generated<number>;
  address_high: Generated<number>;
  colleague_high: Generated<number>;
  interaction_high: Generated<number>;
}

export interface TenantDomainTable {
  tenant_id: string;
  domain: string;
}

export interface UserTable {
  tenant_id: string;
  id: string;
  email: string;
  display_name: string;
  is_guest: number;
  external_id: string | null;
  created_at: number;
  deleted_at: number | null;
}

export interface UserAliasTable {
  tenant_id: string;
  address: string;
  user_id: string;
}

export interface SecurityGroupTable {
  tenant_id: string;
  id: string;
  name: string;
  deleted_at: number | null;
}

export interface GroupMembershipTable {
  tenant_id: string;
  group_id: string;
  user_id: string;
  valid_from: number;
  valid_to: number | null;
}

export interface RoleTable {
  tenant_id: string;
  name: string;
  built_in: number;
}

export interface RoleAssignmentTable {
  tenant_id: string;
  user_id: string;
  role: string;
  valid_from: number;
  valid_to: number | null;
}
