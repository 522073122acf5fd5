import {
  consentTypeInfo,
  consentTypes,
  roleGrantedInsights,
  type ConsentState,
  type ConsentType,
  type PrivacySettings,
  type RoleGrantedInsight,
} from "../domain/consent";
import {
  canConfigureInsights,
  canManageConsent,
  evaluateEnablement,
  isCollectionConsentInForce,
  isSharingOn,
  type EnablementState,
} from "../domain/consent-policy";
import { groupsAt, rolesAt, type User } from "../domain/directory";
import { insufficientPrivileges, KithError, validationError } from "../domain/errors";
import { appendAudit } from "../store/audit.repository";
import {
  listReceipts,
  readAllPrivacy,
  readConsentHistory,
  readConsentState,
  readPrivacy,
  updateSettings,
  writeConsent,
  writePrivacy,
  type ConsentHistoryEntry,
  type DeletionReceipt,
} from "../store/consent.repository";
import { listAssignments, listMemberships, listRoles, listUsers } from "../store/directory.repository";
import type { Trx } from "../store/store";
import type { ServiceContext } from "./context";
import { findUserOrThrow } from "./directory.service";
import { purgeTenantData, purgeUserData } from "./purge.service";

export function readConsent(ctx: ServiceContext, tenantId: string): Promise<ConsentState> {
  return readConsentState(ctx.store.db, tenantId);
}

async function currentRoles(ctx: ServiceContext, tenantId: string, user: User): Promise<string[]> {
  const assignments = await listAssignments(ctx.store.db, tenantId, [user.id]);
  return [...rolesAt(assignments.get(user.id) ?? [], ctx.now())];
}

/** The acting user, who must be a user of the tenant and pass `may` with the roles they hold now. */
async function requireActor(
  ctx: ServiceContext,
  tenantId: string,
  email: string,
  may: (roles: readonly string[]) => boolean,
  refusal: string,
): Promise<User> {
  const user = await findUserOrThrow(ctx, tenantId, email).catch(() => {
    throw insufficientPrivileges(`${email} is not a user of this tenant`);
  });
  if (!may(await currentRoles(ctx, tenantId, user))) throw insufficientPrivileges(`${email} ${refusal}`);
  return user;
}

const requireGlobalAdmin = (ctx: ServiceContext, tenantId: string, email: string) =>
  requireActor(
    ctx,
    tenantId,
    email,
    canManageConsent,
    "is not a Global Administrator; only a Global Administrator manages consent",
  );

const requireSystemAdmin = (ctx: ServiceContext, tenantId: string, email: string) =>
  requireActor(
    ctx,
    tenantId,
    email,
    canConfigureInsights,
    "is not a System Administrator; only a System Administrator configures relationship intelligence",
  );

export interface ConsentChange {
  type: ConsentType;
  granted: boolean;
  changed: boolean;
  receipt?: DeletionReceipt;
}

export async function grantConsent(
  ctx: ServiceContext,
  tenantId: string,
  type: ConsentType,
  byEmail: string,
): Promise<ConsentChange> {
  const admin = await requireGlobalAdmin(ctx, tenantId, byEmail);
  const at = ctx.now();
  return ctx.store.transaction(async (trx) => {
    const before = await readConsentState(trx, tenantId);
    if (before.consents[type].granted) return { type, granted: true, changed: false };
    await writeConsent(trx, tenantId, type, true, at, admin.email);
    const after = await readConsentState(trx, tenantId);
    const { sharing, optedOutByUser } = await countSharing(trx, tenantId, after);
    await appendAudit(trx, ctx.store.engine, tenantId, at, {
      actor: admin.email,
      action: "consent.granted",
      subject: type,
      details: { type, usersSharing: sharing, personalOptOutsKept: optedOutByUser },
    });
    return { type, granted: true, changed: true };
  });
}

/**
 * Withdraws a consent type. When no collection consent (identifiable or aggregated) remains, every
 * user is opted out and all collected data is deleted in the same transaction, with a receipt.
 */
export async function withdrawConsent(
  ctx: ServiceContext,
  tenantId: string,
  type: ConsentType,
  byEmail: string,
): Promise<ConsentChange> {
  const admin = await requireGlobalAdmin(ctx, tenantId, byEmail);
  const at = ctx.now();
  return ctx.store.transaction(async (trx) => {
    const before = await readConsentState(trx, tenantId);
    if (!before.consents[type].granted) return { type, granted: false, changed: false };
    await writeConsent(trx, tenantId, type, false, at, admin.email);
    await appendAudit(trx, ctx.store.engine, tenantId, at, {
      actor: admin.email,
      action: "consent.withdrawn",
      subject: type,
      details: { type },
    });
    const after = await readConsentState(trx, tenantId);
    if (isCollectionConsentInForce(after)) return { type, granted: false, changed: true };
    const receipt = await purgeTenantData(trx, tenantId, at, `consent withdrawn: ${type}`);
    await appendAudit(trx, ctx.store.engine, tenantId, at, {
      actor: admin.email,
      action: "data.deleted",
      subject: tenantId,
      details: { scope: "tenant", reason: receipt.reason, counts: receipt.counts, receipt: receipt.id },
    });
    return { type, granted: false, changed: true, receipt };
  });
}

async function countSharing(
  trx: Trx,
  tenantId: string,
  state: ConsentState,
): Promise<{ total: number; sharing: number; optedOutByUser: number }> {
  const users = await listUsers(trx, tenantId);
  const privacy = await readAllPrivacy(trx, tenantId);
  let sharing = 0;
  let optedOutByUser = 0;
  for (const u of users) {
    const p = privacy.get(u.id);
    if (p?.sharing === "off") optedOutByUser++;
    if (
      isSharingOn(
        p ?? { sharing: "default", sharingChangedAt: null, collectFrom: null, hideAsIntroducer: false },
        state,
      )
    )
      sharing++;
  }
  return { total: users.length, sharing, optedOutByUser };
}

export interface ConsentStatus {
  tenantId: string;
  consents: {
    type: ConsentType;
    title: string;
    produces: string;
    visibleTo: string;
    granted: boolean;
    changedAt: Date | null;
    changedBy: string | null;
  }[];
  history: ConsentHistoryEntry[];
  optedOutGroupIds: readonly string[];
  collectionRoles: readonly string[] | null;
  insightRoles: Record<RoleGrantedInsight, readonly string[]>;
  relationshipIntelligence: EnablementState;
  users: { total: number; sharing: number; optedOutByUser: number; inOptedOutGroups: number };
}

export async function consentStatus(ctx: ServiceContext, tenantId: string): Promise<ConsentStatus> {
  const db = ctx.store.db;
  const state = await readConsentState(db, tenantId);
  const counts = await countSharing(db, tenantId, state);
  const optedOut = new Set(state.optedOutGroupIds);
  let inOptedOutGroups = 0;
  if (optedOut.size > 0) {
    for (const memberships of (await listMemberships(db, tenantId)).values()) {
      if ([...groupsAt(memberships, ctx.now())].some((g) => optedOut.has(g))) inOptedOutGroups++;
    }
  }
  return {
    tenantId,
    consents: consentTypes.map((type) => ({ type, ...consentTypeInfo[type], ...state.consents[type] })),
    history: await readConsentHistory(db, tenantId),
    optedOutGroupIds: state.optedOutGroupIds,
    collectionRoles: state.collectionRoles,
    insightRoles: state.insightRoles,
    relationshipIntelligence: evaluateEnablement(state, ctx.now()),
    users: { ...counts, inOptedOutGroups },
  };
}

/** Sets the opted-out security group ids (Global administrator). Acts on future collections only. */
export async function setOptedOutGroups(
  ctx: ServiceContext,
  tenantId: string,
  groupIds: readonly string[],
  byEmail: string,
): Promise<readonly string[]> {
  const admin = await requireGlobalAdmin(ctx, tenantId, byEmail);
  const ids = [...new Set(groupIds.map((g) => g.trim()).filter(Boolean))].sort();
  const at = ctx.now();
  return ctx.store.transaction(async (trx) => {
    const before = await readConsentState(trx, tenantId);
    const added = ids.filter((g) => !before.optedOutGroupIds.includes(g));
    const removed = before.optedOutGroupIds.filter((g) => !ids.includes(g));
    if (added.length === 0 && removed.length === 0) return ids;
    await updateSettings(trx, tenantId, { optedOutGroupIds: ids });
    await appendAudit(trx, ctx.store.engine, tenantId, at, {
      actor: admin.email,
      action: "consent.opt_out_groups_changed",
      subject: tenantId,
      details: { groupIds: ids, added, removed },
    });
    return ids;
  });
}

export interface SharingChange {
  email: string;
  sharing: boolean;
  changed: boolean;
  receipt?: DeletionReceipt;
}

/**
 * A user's own data-sharing switch. Off: nothing of theirs is read again, their stored data is
 * deleted at once and they get a receipt. On again: collected from this moment on only.
 */
export async function setDataSharing(
  ctx: ServiceContext,
  tenantId: string,
  email: string,
  on: boolean,
): Promise<SharingChange> {
  const user = await findUserOrThrow(ctx, tenantId, email);
  const at = ctx.now();
  return ctx.store.transaction(async (trx) => {
    const before = await readPrivacy(trx, tenantId, user.id);
    if (on && before.sharing !== "off") return { email: user.email, sharing: true, changed: false };
    if (!on && before.sharing === "off") return { email: user.email, sharing: false, changed: false };
    const next: PrivacySettings = on
      ? { ...before, sharing: "on", sharingChangedAt: at, collectFrom: at }
      : { ...before, sharing: "off", sharingChangedAt: at };
    await writePrivacy(trx, tenantId, user.id, next);
    await appendAudit(trx, ctx.store.engine, tenantId, at, {
      actor: user.email,
      action: on ? "privacy.sharing_on" : "privacy.sharing_off",
      subject: user.email,
      details: {},
    });
    if (on) return { email: user.email, sharing: true, changed: true };
    const receipt = await purgeUserData(trx, tenantId, user.id, at, "data sharing turned off");
    await appendAudit(trx, ctx.store.engine, tenantId, at, {
      actor: user.email,
      action: "data.deleted",
      subject: user.email,
      details: { scope: "user", counts: receipt.counts, receipt: receipt.id },
    });
    return { email: user.email, sharing: false, changed: true, receipt };
  });
}

/** The introducer's own say: hide from introductions without stopping sharing. */
export async function setHideAsIntroducer(
  ctx: ServiceContext,
  tenantId: string,
  email: string,
  hide: boolean,
): Promise<boolean> {
  const user = await findUserOrThrow(ctx, tenantId, email);
  const at = ctx.now();
  return ctx.store.transaction(async (trx) => {
    const before = await readPrivacy(trx, tenantId, user.id);
    if (before.hideAsIntroducer === hide) return false;
    await writePrivacy(trx, tenantId, user.id, { ...before, hideAsIntroducer: hide });
    await appendAudit(trx, ctx.store.engine, tenantId, at, {
      actor: user.email,
      action: hide ? "privacy.introducer_hidden" : "privacy.introducer_shown",
      subject: user.email,
      details: {},
    });
    return true;
  });
}

export interface PrivacyView {
  email: string;
  privacy: PrivacySettings;
  sharingEffective: boolean;
  receipts: DeletionReceipt[];
}

export async function readMyPrivacy(
  ctx: ServiceContext,
  tenantId: string,
  email: string,
): Promise<PrivacyView> {
  const user = await findUserOrThrow(ctx, tenantId, email);
  const privacy = await readPrivacy(ctx.store.db, tenantId, user.id);
  const state = await readConsentState(ctx.store.db, tenantId);
  return {
    email: user.email,
    privacy,
    sharingEffective: isSharingOn(privacy, state),
    receipts: await listReceipts(ctx.store.db, tenantId, user.id),
  };
}

async function requireKnownRoles(
  ctx: ServiceContext,
  tenantId: string,
  roles: readonly string[],
): Promise<void> {
  const known = new Set((await listRoles(ctx.store.db, tenantId)).map((r) => r.name));
  const unknown = roles.filter((r) => !known.has(r));
  if (unknown.length)
    throw validationError(`unknown security role(s): ${unknown.join(", ")}`, { roles: unknown });
}

/** Enables or disables relationship intelligence (System administrator). */
export async function setRelationshipIntelligence(
  ctx: ServiceContext,
  tenantId: string,
  enabled: boolean,
  byEmail: string,
): Promise<EnablementState> {
  const admin = await requireSystemAdmin(ctx, tenantId, byEmail);
  const at = ctx.now();
  return ctx.store.transaction(async (trx) => {
    const before = await readConsentState(trx, tenantId);
    const state = evaluateEnablement(before, at);
    // Re-enabling after the deadline switched it off restarts the 14-day clock.
    const needsWrite = enabled
      ? before.riEnabledAt === null || state.state === "switched_off"
      : before.riEnabledAt !== null;
    if (needsWrite) {
      await updateSettings(trx, tenantId, { riEnabledAt: enabled ? at : null });
      await appendAudit(trx, ctx.store.engine, tenantId, at, {
        actor: admin.email,
        action: enabled ? "ri.enabled" : "ri.disabled",
        subject: tenantId,
        details: {},
      });
    }
    return evaluateEnablement(await readConsentState(trx, tenantId), at);
  });
}

/** Restricts collection to holders of some roles, or (null) collects every user. */
export async function setCollectionRoles(
  ctx: ServiceContext,
  tenantId: string,
  roles: readonly string[] | null,
  byEmail: string,
): Promise<readonly string[] | null> {
  const admin = await requireSystemAdmin(ctx, tenantId, byEmail);
  if (roles !== null) {
    if (roles.length === 0)
      throw validationError("name at least one role, or clear the restriction to collect every user");
    await requireKnownRoles(ctx, tenantId, roles);
  }
  const value = roles === null ? null : [...new Set(roles)].sort();
  await ctx.store.transaction(async (trx) => {
    await updateSettings(trx, tenantId, { collectionRoles: value });
    await appendAudit(trx, ctx.store.engine, tenantId, ctx.now(), {
      actor: admin.email,
      action: "ri.collection_roles_changed",
      subject: tenantId,
      details: { roles: value },
    });
  });
  return value;
}

export function isRoleGrantedInsight(value: string): value is RoleGrantedInsight {
  return (roleGrantedInsights as readonly string[]).includes(value);
}

/** Grants or revokes an insight to a role (System administrator). */
export async function setInsightRole(
  ctx: ServiceContext,
  tenantId: string,
  insight: RoleGrantedInsight,
  role: string,
  grant: boolean,
  byEmail: string,
): Promise<readonly string[]> {
  const admin = await requireSystemAdmin(ctx, tenantId, byEmail);
  await requireKnownRoles(ctx, tenantId, [role]);
  return ctx.store.transaction(async (trx) => {
    const state = await readConsentState(trx, tenantId);
    const current = state.insightRoles[insight];
    const next = grant ? [...new Set([...current, role])].sort() : current.filter((r) => r !== role);
    if (next.length === current.length) return current;
    await updateSettings(trx, tenantId, { insightRoles: { ...state.insightRoles, [insight]: next } });
    await appendAudit(trx, ctx.store.engine, tenantId, ctx.now(), {
      actor: admin.email,
      action: grant ? "ri.insight_role_granted" : "ri.insight_role_revoked",
      subject: role,
      details: { insight, role },
    });
    return next;
  });
}

export function parseConsentType(value: string): ConsentType {
  if ((consentTypes as readonly string[]).includes(value)) return value as ConsentType;
  throw new KithError(
    "validation_failed",
    `unknown consent type "${value}"; use one of: ${consentTypes.join(", ")}`,
    {
      value,
      allowed: consentTypes,
    },
  );
}
