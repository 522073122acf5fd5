import type { AuditLogTable } from "./tables/audit.table";
import type {
  ConsentHistoryTable,
  ConsentTable,
  DeletionReceiptTable,
  TenantSettingsTable,
  UserPrivacyTable,
} from "./tables/consent.table";
import type {
  GroupMembershipTable,
  RoleAssignmentTable,
  RoleTable,
  SecurityGroupTable,
  TenantDomainTable,
  TenantTable,
  UserAliasTable,
  UserTable,
} from "./tables/directory.table";

/** Every table, keyed by tenant_id first so PostgreSQL can shard by tenant. */
export interface Database {
  tenant: TenantTable;
  tenant_domain: TenantDomainTable;
  app_user: UserTable;
  user_alias: UserAliasTable;
  security_group: SecurityGroupTable;
  group_membership: GroupMembershipTable;
  security_role: RoleTable;
  role_assignment: RoleAssignmentTable;
  consent: ConsentTable;
  consent_history: ConsentHistoryTable;
  tenant_settings: TenantSettingsTable;
  user_privacy: UserPrivacyTable;
  audit_log: AuditLogTable;
  deletion_receipt: DeletionReceiptTable;
}
