import { ensureDataKey } from "./data-keys";
import {
  consentTypeInfo,
  consentTypes,
  defaultPrivacy,
  roleGrantedInsights,
  type ConsentState,
  type ConsentType,
  type PrivacySettings,
  type RoleGrantedInsight,
} from "../domain/consent";
import {
  canConfigureInsights,
  canManageConsent,
  decideCollection,
  evaluateEnablement,
  isCollectionConsentInForce,
  isSharingOn,
  type CollectionRule,
  type EnablementState,
} from "../domain/consent-policy";
import { normaliseAddress, rolesAt, type User } from "../domain/directory";
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
import { forgetTenantInBackups, recordSharingForBackups } from "./backup.service";
import type { ServiceContext } from "./context";
import { findUserOrThrow } from "./directory.service";
import { dropEmptyMonthPartitions } from "../store/partitions";
import { purgeTenantData, purgeUserData } from "./purge.service";
import { changeScope } from "./scope-change";

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
  /** Relationship intelligence after the change (a withdrawal can start its switch-off). */
  relationshipIntelligence?: EnablementState;
  /** Set on a re-grant after a withdrawal: nothing dated earlier is collected again. */
  collectFrom?: Date;
}

export async function grantConsent(
  ctx: ServiceContext,
  tenantId: string,
  type: ConsentType,
  byEmail: string,
): Promise<ConsentChange> {
  const admin = await requireGlobalAdmin(ctx, tenantId, byEmail);
  const at = ctx.now();
  // Before the transaction, so no import can write readable rows in between: a tenant with no
  // collected data (new, or emptied by a withdrawal) gets a fresh live data key (a no-op without a
  // key store and KEK, or when the tenant already holds data).
  if (isCollectionType(type)) await ensureDataKey(ctx, tenantId);
  return ctx.store.transaction(async (trx) => {
    const before = await readConsentState(trx, tenantId);
    if (before.consents[type].granted) return { type, granted: true, changed: false };
    await writeConsent(trx, tenantId, type, true, at, admin.email);
    // A re-grant after a withdrawal ended collection collects from now on (SPEC §3): mail dated
    // while consent was withdrawn, or deleted by the withdrawal, never comes back.
    const regrant =
      isCollectionType(type) &&
      !isCollectionConsentInForce(before) &&
      (await readConsentHistory(trx, tenantId)).some(
        (h) => h.granted && isCollectionType(h.type) && h.at < at,
      );
    if (regrant) await updateSettings(trx, tenantId, { collectFrom: at });
    const after = await readConsentState(trx, tenantId);
    const counts = await countSharing(trx, tenantId, after, at);
    await appendAudit(trx, ctx.store.engine, tenantId, at, {
      actor: admin.email,
      action: "consent.granted",
      subject: type,
      details: {
        type,
        usersSharing: counts.sharing,
        personalOptOutsKept: counts.optedOutByUser,
        ...(regrant ? { collectFrom: at.toISOString() } : {}),
      },
    });
    return {
      type,
      granted: true,
      changed: true,
      relationshipIntelligence: evaluateEnablement(after, at),
      ...(regrant ? { collectFrom: at } : {}),
    };
  });
}

const isCollectionType = (type: ConsentType) => type === "identifiable" || type === "aggregated";

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
  const change = await changeScope(ctx, tenantId, async (trx): Promise<ConsentChange> => {
    const before = await readConsentState(trx, tenantId);
    if (!before.consents[type].granted) return { type, granted: false, changed: false };
    await writeConsent(trx, tenantId, type, false, at, admin.email);
    const after = await readConsentState(trx, tenantId);
    const relationshipIntelligence = evaluateEnablement(after, at);
    await appendAudit(trx, ctx.store.engine, tenantId, at, {
      actor: admin.email,
      action: "consent.withdrawn",
      subject: type,
      details: { type, relationshipIntelligence: relationshipIntelligence.state },
    });
    if (isCollectionConsentInForce(after))
      return { type, granted: false, changed: true, relationshipIntelligence };
    const receipt = await purgeTenantData(trx, tenantId, at, `consent withdrawn: ${type}`);
    await forgetTenantInBackups(ctx, tenantId, at, receipt.reason);
    await appendAudit(trx, ctx.store.engine, tenantId, at, {
      actor: admin.email,
      action: "data.deleted",
      subject: tenantId,
      details: { scope: "tenant", reason: receipt.reason, counts: receipt.counts, receipt: receipt.id },
    });
    return { type, granted: false, changed: true, receipt, relationshipIntelligence };
  });
  // PostgreSQL: months the purge left with no row of any tenant lose their partitions, after the
  // commit (store/partitions.ts `dropEmptyMonthPartitions` says why not in the same transaction).
  if (change.receipt) await dropEmptyMonthPartitions(ctx.store);
  return change;
}

/**
 * Who the collection gate lets through now, by the first rule that stops the others: "sharing"
 * counts only users whose mail would be collected at `at` (a user in an opted-out group, outside the
 * collection roles or with sharing off is not sharing, whatever their own switch says).
 */
async function countSharing(
  trx: Trx,
  tenantId: string,
  state: ConsentState,
  at: Date,
): Promise<SharingCounts> {
  const users = await listUsers(trx, tenantId);
  const privacy = await readAllPrivacy(trx, tenantId);
  const memberships = await listMemberships(trx, tenantId);
  const assignments = await listAssignments(trx, tenantId);
  const counts: SharingCounts = {
    total: users.length,
    sharing: 0,
    optedOutByUser: 0,
    inOptedOutGroups: 0,
    outsideCollectionRoles: 0,
  };
  const byRule: Partial<Record<CollectionRule, keyof SharingCounts>> = {
    sharing_off: "optedOutByUser",
    opted_out_group: "inOptedOutGroups",
    role_restricted: "outsideCollectionRoles",
  };
  for (const u of users) {
    const p = privacy.get(u.id) ?? defaultPrivacy;
    if (p.sharing === "off") {
      counts.optedOutByUser++;
      continue;
    }
    const decision = decideCollection(
      {
        userId: u.id,
        privacy: p,
        memberships: memberships.get(u.id) ?? [],
        roleAssignments: assignments.get(u.id) ?? [],
      },
      state,
      at,
    );
    if (decision.collect) counts.sharing++;
    else {
      const key = byRule[decision.rule];
      if (key) counts[key]++;
    }
  }
  return counts;
}

export interface SharingCounts {
  total: number;
  /** Users whose mail is collected now. */
  sharing: number;
  optedOutByUser: number;
  inOptedOutGroups: number;
  outsideCollectionRoles: number;
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
  /** When collection restarted after a re-grant (nothing dated earlier is collected again). */
  collectFrom: Date | null;
  users: SharingCounts;
}

export async function consentStatus(ctx: ServiceContext, tenantId: string): Promise<ConsentStatus> {
  const db = ctx.store.db;
  const at = ctx.now();
  const state = await readConsentState(db, tenantId);
  return {
    tenantId,
    consents: consentTypes.map((type) => ({ type, ...consentTypeInfo[type], ...state.consents[type] })),
    history: await readConsentHistory(db, tenantId),
    optedOutGroupIds: state.optedOutGroupIds,
    collectionRoles: state.collectionRoles,
    insightRoles: state.insightRoles,
    relationshipIntelligence: evaluateEnablement(state, at),
    collectFrom: state.collectFrom,
    users: await countSharing(db, tenantId, state, at),
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
  return changeScope(ctx, tenantId, async (trx) => {
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
  /** Who the audit log records as having made the change. */
  actor: string;
  receipt?: DeletionReceipt;
}

/**
 * Who changes a user's privacy setting: the user themself (the API, or `--by` naming them), a
 * Global Administrator acting for them (`--by`), or the operator running the CLI without `--by`.
 * The audit log records the one who acted, never the user on an operator's behalf.
 */
export type PrivacyActor =
  { kind: "self" } | { kind: "user"; email: string } | { kind: "operator"; name: string };

async function resolvePrivacyActor(
  ctx: ServiceContext,
  tenantId: string,
  user: User,
  actor: PrivacyActor,
): Promise<{ actor: string; onBehalfOf?: string }> {
  switch (actor.kind) {
    case "self":
      return { actor: user.email };
    case "operator":
      return { actor: `operator:${actor.name}`, onBehalfOf: user.email };
    case "user": {
      const address = normaliseAddress(actor.email);
      if (address === user.email || (address !== null && user.aliases.includes(address)))
        return { actor: user.email };
      const admin = await requireActor(
        ctx,
        tenantId,
        actor.email,
        canManageConsent,
        `is neither ${user.email} nor a Global Administrator; only the user or a Global Administrator changes their privacy settings`,
      );
      return { actor: admin.email, onBehalfOf: user.email };
    }
  }
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
  by: PrivacyActor = { kind: "self" },
): Promise<SharingChange> {
  const user = await findUserOrThrow(ctx, tenantId, email);
  const { actor, onBehalfOf } = await resolvePrivacyActor(ctx, tenantId, user, by);
  const details = onBehalfOf ? { onBehalfOf } : {};
  const at = ctx.now();
  return changeScope(ctx, tenantId, async (trx) => {
    const before = await readPrivacy(trx, tenantId, user.id);
    const unchanged = { email: user.email, sharing: on, changed: false, actor };
    if (on && before.sharing !== "off") return unchanged;
    if (!on && before.sharing === "off") return unchanged;
    const next: PrivacySettings = on
      ? { ...before, sharing: "on", sharingChangedAt: at, collectFrom: at }
      : { ...before, sharing: "off", sharingChangedAt: at };
    await writePrivacy(trx, tenantId, user.id, next);
    await appendAudit(trx, ctx.store.engine, tenantId, at, {
      actor,
      action: on ? "privacy.sharing_on" : "privacy.sharing_off",
      subject: user.email,
      details,
    });
    await recordSharingForBackups(
      ctx,
      tenantId,
      user.id,
      on ? "on" : "off",
      at,
      `data sharing turned ${on ? "on" : "off"}`,
    );
    if (on) return { email: user.email, sharing: true, changed: true, actor };
    const receipt = await purgeUserData(trx, tenantId, user.id, at, "data sharing turned off");
    await appendAudit(trx, ctx.store.engine, tenantId, at, {
      actor,
      action: "data.deleted",
      subject: user.email,
      details: { scope: "user", counts: receipt.counts, receipt: receipt.id, ...details },
    });
    return { email: user.email, sharing: false, changed: true, actor, receipt };
  });
}

/** The introducer's own say: hide from introductions without stopping sharing. */
export async function setHideAsIntroducer(
  ctx: ServiceContext,
  tenantId: string,
  email: string,
  hide: boolean,
  by: PrivacyActor = { kind: "self" },
): Promise<boolean> {
  const user = await findUserOrThrow(ctx, tenantId, email);
  const { actor, onBehalfOf } = await resolvePrivacyActor(ctx, tenantId, user, by);
  const at = ctx.now();
  return ctx.store.transaction(async (trx) => {
    const before = await readPrivacy(trx, tenantId, user.id);
    if (before.hideAsIntroducer === hide) return false;
    await writePrivacy(trx, tenantId, user.id, { ...before, hideAsIntroducer: hide });
    await appendAudit(trx, ctx.store.engine, tenantId, at, {
      actor,
      action: hide ? "privacy.introducer_hidden" : "privacy.introducer_shown",
      subject: user.email,
      details: onBehalfOf ? { onBehalfOf } : {},
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
  const work = async (trx: Trx) => {
    const before = await readConsentState(trx, tenantId);
    const state = evaluateEnablement(before, at);
    // Re-enabling after the deadline switched it off starts a new 14-day period.
    const needsWrite = enabled
      ? before.riEnabledAt === null || state.state === "switched_off"
      : before.riEnabledAt !== null;
    if (needsWrite) {
      await updateSettings(
        trx,
        tenantId,
        enabled ? { riEnabledAt: at, riDisabledAt: null } : { riEnabledAt: null, riDisabledAt: at },
      );
      await appendAudit(trx, ctx.store.engine, tenantId, at, {
        actor: admin.email,
        action: enabled ? "ri.enabled" : "ri.disabled",
        subject: tenantId,
        details: {},
      });
    }
    return evaluateEnablement(await readConsentState(trx, tenantId), at);
  };
  // Turning it off stops collection: a running import must not outlive it.
  return enabled ? ctx.store.transaction(work) : changeScope(ctx, tenantId, work);
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
  await changeScope(ctx, tenantId, async (trx) => {
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
