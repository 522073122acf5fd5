import type { AuditLogTable } from "./tables/audit.table";
import type { ForgetKeyTable, ForgetRequestTable } from "./tables/forget.table";
import type { MailboxSyncTable, MailSourceTable } from "./tables/live-sync.table";
import type { EngagementPrivacyTable, EngagementReleaseTable } from "./tables/engagement.table";
import type {
  PartnerInsightDismissalTable,
  PartnerRequestTable,
  PartnerReviewerTable,
} from "./tables/partner.table";
import type {
  AccountDomainTable,
  AccountTable,
  AddressBookTable,
  ColleagueTable,
  CrmActivityTable,
  CrmContactTable,
  CrmLeadTable,
  CrmOpportunityTable,
  IngestBatchTable,
  InteractionPartyTable,
  InteractionTable,
  InternalPairStateTable,
  PairStateTable,
  PersonTable,
} from "./tables/interaction.table";
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
import type {
  JobTable,
  LoginLinkTable,
  OidcRequestTable,
  ScimDeletionTable,
  ScimTokenTable,
  TelemetryRollupTable,
  WebSessionTable,
} from "./tables/server.table";

/** Every table, keyed by the tenant first (tenant_id; collected data: tenant_num) so PostgreSQL can shard by tenant. */
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
  login_link: LoginLinkTable;
  web_session: WebSessionTable;
  oidc_request: OidcRequestTable;
  scim_token: ScimTokenTable;
  scim_deletion: ScimDeletionTable;
  job: JobTable;
  telemetry_rollup: TelemetryRollupTable;
  address_book: AddressBookTable;
  colleague: ColleagueTable;
  interaction: InteractionTable;
  interaction_party: InteractionPartyTable;
  pair_state: PairStateTable;
  internal_pair_state: InternalPairStateTable;
  person: PersonTable;
  account: AccountTable;
  account_domain: AccountDomainTable;
  crm_contact: CrmContactTable;
  crm_lead: CrmLeadTable;
  crm_opportunity: CrmOpportunityTable;
  crm_activity: CrmActivityTable;
  ingest_batch: IngestBatchTable;
  partner_request: PartnerRequestTable;
  partner_reviewer: PartnerReviewerTable;
  partner_insight_dismissal: PartnerInsightDismissalTable;
  engagement_privacy: EngagementPrivacyTable;
  engagement_release: EngagementReleaseTable;
  forget_key: ForgetKeyTable;
  forget_request: ForgetRequestTable;
  mail_source: MailSourceTable;
  mailbox_sync: MailboxSyncTable;
}
