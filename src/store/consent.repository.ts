import {
  consentTypes,
  defaultInsightRoles,
  defaultPrivacy,
  emptyConsentState,
  isConsentType,
  type ConsentState,
  type ConsentType,
  type PrivacySettings,
  type RoleGrantedInsight,
  type SharingChoice,
} from "../domain/consent";
import type { Trx } from "./store";
import { withTenant } from "./tenant-scope";

/** Consent ledger SQL: consents and their history, tenant consent settings, user privacy. */

export async function insertDefaultSettings(trx: Trx, tenantId: string): Promise<void> {
  return withTenant(tenantId, async () => {
    await trx
      .insertInto("tenant_settings")
      .values({
        tenant_id: tenantId,
        opted_out_group_ids: "[]",
        collection_roles: null,
        insight_roles: JSON.stringify({
          who_knows_whom: defaultInsightRoles,
          relationship_analytics: defaultInsightRoles,
        }),
        ri_enabled_at: null,
        ri_disabled_at: null,
        collect_from: null,
        options: "{}",
      })
      .execute();
  });
}

export async function readConsentState(db: Trx, tenantId: string): Promise<ConsentState> {
  return withTenant(tenantId, async () => {
    const state = emptyConsentState(tenantId);
    const rows = await db.selectFrom("consent").selectAll().where("tenant_id", "=", tenantId).execute();
    for (const row of rows) {
      if (!isConsentType(row.type)) continue;
      state.consents[row.type] = {
        granted: row.granted === 1,
        changedAt: new Date(row.changed_at),
        changedBy: row.changed_by,
      };
    }
    const settings = await db
      .selectFrom("tenant_settings")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .executeTakeFirst();
    if (settings) {
      state.optedOutGroupIds = JSON.parse(settings.opted_out_group_ids) as string[];
      state.collectionRoles =
        settings.collection_roles === null ? null : (JSON.parse(settings.collection_roles) as string[]);
      state.insightRoles = JSON.parse(settings.insight_roles) as Record<RoleGrantedInsight, string[]>;
      state.riEnabledAt = settings.ri_enabled_at === null ? null : new Date(settings.ri_enabled_at);
      state.riDisabledAt = settings.ri_disabled_at === null ? null : new Date(settings.ri_disabled_at);
      state.collectFrom = settings.collect_from === null ? null : new Date(settings.collect_from);
    }
    return state;
  });
}

export async function writeConsent(
  trx: Trx,
  tenantId: string,
  type: ConsentType,
  granted: boolean,
  at: Date,
  by: string,
): Promise<void> {
  return withTenant(tenantId, async () => {
    const values = { granted: granted ? 1 : 0, changed_at: at.getTime(), changed_by: by };
    await trx
      .insertInto("consent")
      .values({ tenant_id: tenantId, type, ...values })
      .onConflict((oc) => oc.columns(["tenant_id", "type"]).doUpdateSet(values))
      .execute();
    const last = await trx
      .selectFrom("consent_history")
      .select("seq")
      .where("tenant_id", "=", tenantId)
      .orderBy("seq", "desc")
      .limit(1)
      .executeTakeFirst();
    await trx
      .insertInto("consent_history")
      .values({ tenant_id: tenantId, seq: (last?.seq ?? 0) + 1, type, ...values })
      .execute();
  });
}

export interface ConsentHistoryEntry {
  type: ConsentType;
  granted: boolean;
  at: Date;
  by: string;
}

export async function readConsentHistory(db: Trx, tenantId: string): Promise<ConsentHistoryEntry[]> {
  return withTenant(tenantId, async () => {
    const rows = await db
      .selectFrom("consent_history")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .orderBy("seq")
      .execute();
    return rows
      .filter((r) => (consentTypes as readonly string[]).includes(r.type))
      .map((r) => ({
        type: r.type as ConsentType,
        granted: r.granted === 1,
        at: new Date(r.changed_at),
        by: r.changed_by,
      }));
  });
}

export async function updateSettings(
  trx: Trx,
  tenantId: string,
  changes: {
    optedOutGroupIds?: readonly string[];
    collectionRoles?: readonly string[] | null;
    insightRoles?: Record<RoleGrantedInsight, readonly string[]>;
    riEnabledAt?: Date | null;
    riDisabledAt?: Date | null;
    collectFrom?: Date | null;
  },
): Promise<void> {
  return withTenant(tenantId, async () => {
    const set: Record<string, unknown> = {};
    if (changes.optedOutGroupIds !== undefined)
      set.opted_out_group_ids = JSON.stringify(changes.optedOutGroupIds);
    if (changes.collectionRoles !== undefined)
      set.collection_roles =
        changes.collectionRoles === null ? null : JSON.stringify(changes.collectionRoles);
    if (changes.insightRoles !== undefined) set.insight_roles = JSON.stringify(changes.insightRoles);
    if (changes.riEnabledAt !== undefined)
      set.ri_enabled_at = changes.riEnabledAt ? changes.riEnabledAt.getTime() : null;
    if (changes.riDisabledAt !== undefined)
      set.ri_disabled_at = changes.riDisabledAt ? changes.riDisabledAt.getTime() : null;
    if (changes.collectFrom !== undefined)
      set.collect_from = changes.collectFrom ? changes.collectFrom.getTime() : null;
    if (Object.keys(set).length === 0) return;
    await trx.updateTable("tenant_settings").set(set).where("tenant_id", "=", tenantId).execute();
  });
}

/** Tenant options owned by later features (scoring weights, capture level, noise filters…). */
export async function readOptions(db: Trx, tenantId: string): Promise<Record<string, unknown>> {
  return withTenant(tenantId, async () => {
    const row = await db
      .selectFrom("tenant_settings")
      .select("options")
      .where("tenant_id", "=", tenantId)
      .executeTakeFirst();
    return row ? (JSON.parse(row.options) as Record<string, unknown>) : {};
  });
}

export async function writeOptions(
  trx: Trx,
  tenantId: string,
  options: Record<string, unknown>,
): Promise<void> {
  return withTenant(tenantId, async () => {
    await trx
      .updateTable("tenant_settings")
      .set({ options: JSON.stringify(options) })
      .where("tenant_id", "=", tenantId)
      .execute();
  });
}

function rowToPrivacy(row: {
  sharing: string;
  sharing_changed_at: number | null;
  collect_from: number | null;
  hide_as_introducer: number;
}): PrivacySettings {
  return {
    sharing: row.sharing as SharingChoice,
    sharingChangedAt: row.sharing_changed_at === null ? null : new Date(row.sharing_changed_at),
    collectFrom: row.collect_from === null ? null : new Date(row.collect_from),
    hideAsIntroducer: row.hide_as_introducer === 1,
  };
}

export async function readPrivacy(db: Trx, tenantId: string, userId: string): Promise<PrivacySettings> {
  return withTenant(tenantId, async () => {
    const row = await db
      .selectFrom("user_privacy")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("user_id", "=", userId)
      .executeTakeFirst();
    return row ? rowToPrivacy(row) : { ...defaultPrivacy };
  });
}

/** Privacy of every user that has made a choice; absent users have the default. */
export async function readAllPrivacy(db: Trx, tenantId: string): Promise<Map<string, PrivacySettings>> {
  return withTenant(tenantId, async () => {
    const rows = await db.selectFrom("user_privacy").selectAll().where("tenant_id", "=", tenantId).execute();
    return new Map(rows.map((r) => [r.user_id, rowToPrivacy(r)]));
  });
}

export async function writePrivacy(
  trx: Trx,
  tenantId: string,
  userId: string,
  privacy: PrivacySettings,
): Promise<void> {
  return withTenant(tenantId, async () => {
    const values = {
      sharing: privacy.sharing,
      sharing_changed_at: privacy.sharingChangedAt?.getTime() ?? null,
      collect_from: privacy.collectFrom?.getTime() ?? null,
      hide_as_introducer: privacy.hideAsIntroducer ? 1 : 0,
    };
    await trx
      .insertInto("user_privacy")
      .values({ tenant_id: tenantId, user_id: userId, ...values })
      .onConflict((oc) => oc.columns(["tenant_id", "user_id"]).doUpdateSet(values))
      .execute();
  });
}

export interface DeletionReceipt {
  id: string;
  userId: string | null;
  scope: "user" | "tenant";
  reason: string;
  at: Date;
  counts: Record<string, number>;
}

export async function insertReceipt(trx: Trx, tenantId: string, receipt: DeletionReceipt): Promise<void> {
  return withTenant(tenantId, async () => {
    await trx
      .insertInto("deletion_receipt")
      .values({
        tenant_id: tenantId,
        id: receipt.id,
        user_id: receipt.userId,
        scope: receipt.scope,
        reason: receipt.reason,
        at: receipt.at.getTime(),
        counts: JSON.stringify(receipt.counts),
      })
      .execute();
  });
}

export async function listReceipts(db: Trx, tenantId: string, userId?: string): Promise<DeletionReceipt[]> {
  return withTenant(tenantId, async () => {
    let query = db.selectFrom("deletion_receipt").selectAll().where("tenant_id", "=", tenantId);
    if (userId !== undefined) query = query.where("user_id", "=", userId);
    const rows = await query.orderBy("at", "desc").execute();
    return rows.map((r) => ({
      id: r.id,
      userId: r.user_id,
      scope: r.scope as "user" | "tenant",
      reason: r.reason,
      at: new Date(r.at),
      counts: JSON.parse(r.counts) as Record<string, number>,
    }));
  });
}
