import { randomUUID } from "node:crypto";
import type { AuditDraft } from "../domain/audit";
import type { GroupMembership, RoleAssignment, User } from "../domain/directory";
import { builtInRoles, checkCustomRoleName, closestName, isBuiltInRole } from "../domain/directory";
import { KithError, notFound, validationError } from "../domain/errors";
import {
  describeRecord,
  type DirectoryDocument,
  type DirectoryFileError,
  type DirectoryUserEntry,
} from "../ingest/directory-file";
import { appendAudit, appendAuditEntries, readAuditHead } from "../store/audit.repository";
import {
  closeAssignments,
  closeMemberships,
  ensureRole,
  findUserByAddress,
  insertUsers,
  listAssignments,
  listDirectoryRecords,
  listGroups,
  listMemberships,
  listRoles,
  lockTenantRow,
  openAssignments,
  openMemberships,
  replaceAliasesOf,
  updateUser,
  upsertGroup,
  type DirectoryRecord,
  type UserRowInput,
} from "../store/directory.repository";
import type { Trx } from "../store/store";
import type { ServiceContext } from "./context";
import { changeScope } from "./scope-change";

export interface DirectoryImportReport {
  users: { created: number; updated: number; unchanged: number };
  groups: { created: number; updated: number };
  rolesCreated: string[];
  memberships: { added: number; ended: number };
  roleAssignments: { added: number; ended: number };
  /** One line per change, for `--json` and the audit log. */
  changes: string[];
}

/** The role whose last active holder an import may never take away (SPEC §1: grants consent). */
const governingRole = "Global Administrator";

/**
 * Applies a directory document in one transaction: all of it or, on any error, none of it.
 * Idempotent: importing the same document twice changes nothing the second time. Group and role
 * changes open and close dated intervals, so "was U in group G at time t" stays answerable.
 *
 * Refused whole, before anything is written (SPEC: a batch is never half-applied, and a directory
 * is one batch): any broken record of the file; a role that is neither built in, nor declared in
 * the document's `roles`, nor known to the tenant (`declareRole`); an address of another or a
 * deactivated user; and an import that would leave the tenant, which has an active Global
 * Administrator, without one.
 *
 * Every statement is chunked or per change, never one bound variable per user of the tenant, so a
 * directory of hundreds of thousands of users imports on both engines. The write runs as a scope
 * change (services/scope-change.ts): moving users between groups and roles can narrow what may be
 * collected, so a mail import running meanwhile rolls back and runs again under the new directory.
 */
export async function importDirectory(
  ctx: ServiceContext,
  tenantId: string,
  document: DirectoryDocument,
  errors: readonly DirectoryFileError[],
  actor: string,
): Promise<DirectoryImportReport> {
  const source = document.source ?? { file: "directory document", unit: "record" as const };
  const roleErrors = checkRoles(
    document,
    (await listRoles(ctx.store.db, tenantId)).map((r) => r.name),
  );
  const all = [...errors, ...roleErrors].sort((a, b) => a.record - b.record);
  if (all.length > 0) {
    const lines = all.map((e) => `${describeRecord({ unit: source.unit, ...e })}: ${e.reason}`);
    throw validationError(`directory file rejected, nothing imported:\n  ${lines.join("\n  ")}`, {
      errors: all,
    });
  }
  const at = ctx.now();
  // A read-only pass first: an import that changes nothing writes nothing and announces no scope
  // change (running mail imports go on undisturbed); one that would fail fails here.
  const headBefore = await readAuditHead(ctx.store.db, tenantId);
  const preview = planImport(await readDirectoryState(ctx.store.db, tenantId), document);
  const headAfter = await readAuditHead(ctx.store.db, tenantId);
  if (preview.report.changes.length === 0 && headAfter.seq === headBefore.seq) return preview.report;
  return changeScope(ctx, tenantId, async (trx) => {
    await lockTenantRow(trx, ctx.store.engine, tenantId);
    // Every directory change appends to the audit chain in its own transaction, so an unmoved head
    // (before, after the preview's reads, and now under the lock) means the preview read one
    // consistent directory that is still current: its plan stands. Otherwise plan again.
    const head = await readAuditHead(trx, tenantId);
    const plan =
      head.seq === headBefore.seq && headAfter.seq === headBefore.seq
        ? preview
        : planImport(await readDirectoryState(trx, tenantId), document);
    await applyPlan(trx, tenantId, plan, at);
    const drafts = plan.audit.map((d) => ({ actor, ...d }));
    if (plan.report.changes.length > 0)
      drafts.push({
        actor,
        action: "directory.imported",
        subject: tenantId,
        details: {
          users: plan.report.users,
          groups: plan.report.groups,
          memberships: plan.report.memberships,
          roleAssignments: plan.report.roleAssignments,
        },
      });
    await appendAuditEntries(trx, ctx.store.engine, tenantId, at, drafts);
    return plan.report;
  });
}

/**
 * Every role a user of the document names must be built in, declared in the document, or known to
 * the tenant; declared ones must be sound names. One error per record and unknown value.
 */
function checkRoles(document: DirectoryDocument, tenantRoles: readonly string[]): DirectoryFileError[] {
  const file = document.source?.file ?? "directory document";
  const errors: DirectoryFileError[] = [];
  const known = new Set<string>([...builtInRoles, ...tenantRoles]);
  for (const role of document.roles) {
    if (known.has(role)) continue;
    const problem = checkCustomRoleName(role, [...known]);
    if (problem) errors.push({ file, record: 0, reason: `declared roles: ${problem}` });
    else known.add(role);
  }
  const candidates = [...known];
  document.users.forEach((entry, index) => {
    for (const role of entry.roles ?? []) {
      if (known.has(role)) continue;
      const suggestion = closestName(role, candidates);
      errors.push({
        file,
        record: entry.record ?? index + 1,
        reason:
          `unknown role "${role}"${suggestion ? ` (did you mean "${suggestion}"?)` : ""}: a role is built in ` +
          `(${builtInRoles.join(", ")}) or declared first (kith directory roles add, or the file's "roles" list)`,
      });
    }
  });
  return errors;
}

interface DirectoryState {
  records: DirectoryRecord[];
  groups: Map<string, string>;
  roles: Set<string>;
  memberships: Map<string, GroupMembership[]>;
  assignments: Map<string, RoleAssignment[]>;
}

/** The tenant's whole directory in a fixed number of reads (none binds a variable per user). */
async function readDirectoryState(db: Trx, tenantId: string): Promise<DirectoryState> {
  return {
    records: await listDirectoryRecords(db, tenantId),
    groups: new Map((await listGroups(db, tenantId)).map((g) => [g.id, g.name])),
    roles: new Set((await listRoles(db, tenantId)).map((r) => r.name)),
    memberships: await listMemberships(db, tenantId),
    assignments: await listAssignments(db, tenantId),
  };
}

interface ImportPlan {
  report: DirectoryImportReport;
  rolesToCreate: string[];
  groupsToUpsert: { id: string; name: string }[];
  newUsers: UserRowInput[];
  updatedUsers: {
    id: string;
    email: string;
    displayName: string;
    isGuest: boolean;
    externalId: string | null;
  }[];
  /** Users whose aliases are replaced, and the aliases they get (new users included). */
  aliasOwners: string[];
  aliases: { userId: string; address: string }[];
  membershipsToOpen: { groupId: string; userId: string }[];
  membershipsToClose: Map<string, string[]>;
  assignmentsToOpen: { userId: string; role: string }[];
  assignmentsToClose: Map<string, string[]>;
  audit: Omit<AuditDraft, "actor">[];
}

const push = <K, V>(map: Map<K, V[]>, key: K, value: V) => {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
};

/** What the document changes in `state`, as statements to run and audit entries to write. Pure. */
function planImport(state: DirectoryState, document: DirectoryDocument): ImportPlan {
  const plan: ImportPlan = {
    report: {
      users: { created: 0, updated: 0, unchanged: 0 },
      groups: { created: 0, updated: 0 },
      rolesCreated: [],
      memberships: { added: 0, ended: 0 },
      roleAssignments: { added: 0, ended: 0 },
      changes: [],
    },
    rolesToCreate: [],
    groupsToUpsert: [],
    newUsers: [],
    updatedUsers: [],
    aliasOwners: [],
    aliases: [],
    membershipsToOpen: [],
    membershipsToClose: new Map(),
    assignmentsToOpen: [],
    assignmentsToClose: new Map(),
    audit: [],
  };
  const { report } = plan;
  const audit = (action: string, subject: string, details: Record<string, unknown>) =>
    plan.audit.push({ action, subject, details });

  const wantedRoles = new Set([...document.roles, ...document.users.flatMap((u) => u.roles ?? [])]);
  for (const role of wantedRoles) {
    if (state.roles.has(role)) continue;
    plan.rolesToCreate.push(role);
    report.rolesCreated.push(role);
    report.changes.push(`role created: ${role}`);
    audit("role.created", role, {});
  }

  const groupNames = new Map(document.groups.map((g) => [g.id, g.name]));
  const declaredGroups = new Set(groupNames.keys());
  for (const id of document.users.flatMap((u) => u.groups ?? []))
    if (!groupNames.has(id)) groupNames.set(id, id);
  for (const [id, name] of groupNames) {
    // A group named only by id in a membership keeps whatever name it already has.
    const existing = state.groups.get(id);
    if (existing !== undefined && (!declaredGroups.has(id) || existing === name)) continue;
    const outcome = existing === undefined ? "created" : "updated";
    plan.groupsToUpsert.push({ id, name });
    report.groups[outcome]++;
    report.changes.push(`group ${outcome}: ${id} (${name})`);
    audit(`group.${outcome}`, id, { name });
  }

  const byExternalId = new Map<string, User>();
  const byAddress = new Map<string, DirectoryRecord>();
  for (const record of state.records) {
    if (record.active && record.externalId) byExternalId.set(record.externalId, record.user);
    for (const address of [record.user.email, ...record.user.aliases]) byAddress.set(address, record);
  }
  const finalGoverning = new Map<string, boolean>();
  for (const record of state.records)
    if (record.active)
      finalGoverning.set(record.user.id, currentRoles(state, record.user.id).has(governingRole));
  const hadGoverning = [...finalGoverning.values()].some(Boolean);

  for (const entry of document.users) {
    const owner = byAddress.get(entry.email);
    let user =
      (entry.externalId ? byExternalId.get(entry.externalId) : undefined) ??
      (owner?.active ? owner.user : undefined);
    for (const address of [entry.email, ...entry.aliases]) {
      const taken = byAddress.get(address);
      if (!taken || taken.user.id === user?.id) continue;
      throw new KithError(
        "conflict",
        taken.active
          ? `${where(document, entry)}: ${address} already belongs to ${taken.user.email}; nothing imported`
          : `${where(document, entry)}: ${address} belongs to the deactivated user ${taken.user.email} (reactivate them through SCIM); nothing imported`,
        { address },
      );
    }
    const name = entry.name ?? user?.displayName ?? entry.email;
    if (!user) {
      const id = randomUUID();
      plan.newUsers.push({
        id,
        email: entry.email,
        displayName: name,
        isGuest: entry.guest,
        externalId: entry.externalId,
      });
      for (const address of entry.aliases) plan.aliases.push({ userId: id, address });
      report.users.created++;
      report.changes.push(`user created: ${entry.email}`);
      audit("user.created", entry.email, { aliases: entry.aliases, guest: entry.guest });
      user = { id, tenantId: "", email: entry.email, displayName: name, isGuest: entry.guest, aliases: [] };
    } else {
      const changed: string[] = [];
      if (user.email !== entry.email) changed.push("email");
      if (user.displayName !== name) changed.push("name");
      if (user.isGuest !== entry.guest) changed.push("guest");
      const aliasesChanged = [...user.aliases].sort().join() !== [...entry.aliases].sort().join();
      if (aliasesChanged) changed.push("aliases");
      if (changed.length) {
        plan.updatedUsers.push({
          id: user.id,
          email: entry.email,
          displayName: name,
          isGuest: entry.guest,
          externalId: entry.externalId,
        });
        if (aliasesChanged) {
          plan.aliasOwners.push(user.id);
          for (const address of entry.aliases) plan.aliases.push({ userId: user.id, address });
        }
        report.users.updated++;
        report.changes.push(`user updated: ${entry.email} (${changed.join(", ")})`);
        audit("user.updated", entry.email, { changed });
      } else {
        report.users.unchanged++;
      }
    }
    // The addresses now point at this user, so a later record claiming them is a conflict.
    const self: DirectoryRecord = { user, externalId: entry.externalId, active: true };
    for (const address of [entry.email, ...entry.aliases]) byAddress.set(address, self);

    if (entry.groups !== null) {
      const current = new Set(
        (state.memberships.get(user.id) ?? []).filter((m) => m.to === null).map((m) => m.groupId),
      );
      const wanted = new Set(entry.groups);
      for (const g of wanted) {
        if (current.has(g)) continue;
        plan.membershipsToOpen.push({ groupId: g, userId: user.id });
        report.memberships.added++;
        report.changes.push(`membership added: ${entry.email} → ${g}`);
        audit("group.member_added", g, { user: entry.email });
      }
      for (const g of current) {
        if (wanted.has(g)) continue;
        push(plan.membershipsToClose, g, user.id);
        report.memberships.ended++;
        report.changes.push(`membership ended: ${entry.email} → ${g}`);
        audit("group.member_removed", g, { user: entry.email });
      }
    }
    if (entry.roles !== null) {
      const current = currentRoles(state, user.id);
      const wanted = new Set(entry.roles);
      for (const r of wanted) {
        if (current.has(r)) continue;
        plan.assignmentsToOpen.push({ userId: user.id, role: r });
        report.roleAssignments.added++;
        report.changes.push(`role assigned: ${entry.email} → ${r}`);
        audit("role.assigned", entry.email, { role: r });
      }
      for (const r of current) {
        if (wanted.has(r)) continue;
        push(plan.assignmentsToClose, r, user.id);
        report.roleAssignments.ended++;
        report.changes.push(`role removed: ${entry.email} → ${r}`);
        audit("role.removed", entry.email, { role: r });
      }
      finalGoverning.set(user.id, wanted.has(governingRole));
    } else if (!finalGoverning.has(user.id)) finalGoverning.set(user.id, false);
  }

  if (hadGoverning && ![...finalGoverning.values()].some(Boolean)) {
    const removedFrom = document.users
      .filter((e) => e.roles !== null && !e.roles.includes(governingRole))
      .filter((e) => {
        const id = byAddress.get(e.email)?.user.id;
        return id !== undefined && currentRoles(state, id).has(governingRole);
      })
      .map((e) => `${e.email} (${where(document, e)})`);
    throw validationError(
      `directory import refused, nothing imported: it would leave the tenant without an active ${governingRole} ` +
        `(the role is removed from ${removedFrom.join(", ") || "its last holder"}). ` +
        `Keep "${governingRole}" in the roles of at least one user.`,
      { reason: "no_global_administrator", removedFrom },
    );
  }
  return plan;
}

function currentRoles(state: DirectoryState, userId: string): Set<string> {
  return new Set((state.assignments.get(userId) ?? []).filter((a) => a.to === null).map((a) => a.role));
}

function where(document: DirectoryDocument, entry: DirectoryUserEntry): string {
  const source = document.source ?? { file: "directory document", unit: "record" as const };
  return describeRecord({
    file: source.file,
    unit: source.unit,
    record: entry.record ?? document.users.indexOf(entry) + 1,
  });
}

async function applyPlan(trx: Trx, tenantId: string, plan: ImportPlan, at: Date): Promise<void> {
  for (const role of plan.rolesToCreate) await ensureRole(trx, tenantId, role, isBuiltInRole(role));
  for (const g of plan.groupsToUpsert) await upsertGroup(trx, tenantId, g.id, g.name);
  await insertUsers(trx, tenantId, plan.newUsers, at);
  for (const u of plan.updatedUsers)
    await updateUser(trx, tenantId, u.id, {
      email: u.email,
      displayName: u.displayName,
      isGuest: u.isGuest,
      ...(u.externalId ? { externalId: u.externalId } : {}),
    });
  await replaceAliasesOf(trx, tenantId, plan.aliasOwners, plan.aliases);
  for (const [groupId, userIds] of plan.membershipsToClose)
    await closeMemberships(trx, tenantId, groupId, userIds, at);
  await openMemberships(trx, tenantId, plan.membershipsToOpen, at);
  for (const [role, userIds] of plan.assignmentsToClose)
    await closeAssignments(trx, tenantId, role, userIds, at);
  await openAssignments(trx, tenantId, plan.assignmentsToOpen, at);
}

/** Roles of the tenant: the built-in ones and the custom roles declared so far. */
export async function listTenantRoles(
  ctx: ServiceContext,
  tenantId: string,
): Promise<{ name: string; builtIn: boolean }[]> {
  const stored = await listRoles(ctx.store.db, tenantId);
  const names = new Set(stored.map((r) => r.name));
  return [
    ...builtInRoles.filter((r) => !names.has(r)).map((name) => ({ name, builtIn: true })),
    ...stored.map((r) => ({ name: r.name, builtIn: isBuiltInRole(r.name) })),
  ].sort((a, b) => Number(b.builtIn) - Number(a.builtIn) || a.name.localeCompare(b.name));
}

/**
 * Declares a custom role, so directory files may assign it (an unknown role in a file is refused,
 * so a misspelling never becomes a role). Idempotent; audited as `role.created`.
 */
export async function declareRole(
  ctx: ServiceContext,
  tenantId: string,
  name: string,
  actor: string,
): Promise<{ name: string; created: boolean }> {
  const at = ctx.now();
  return ctx.store.transaction(async (trx) => {
    const known = (await listRoles(trx, tenantId)).map((r) => r.name);
    if (isBuiltInRole(name) || known.includes(name)) return { name, created: false };
    const problem = checkCustomRoleName(name, [...builtInRoles, ...known]);
    if (problem) throw validationError(problem, { role: name });
    await ensureRole(trx, tenantId, name, false);
    await appendAudit(trx, ctx.store.engine, tenantId, at, {
      actor,
      action: "role.created",
      subject: name,
      details: { declared: true },
    });
    return { name, created: true };
  });
}

export async function findUserOrThrow(ctx: ServiceContext, tenantId: string, address: string): Promise<User> {
  const user = await findUserByAddress(ctx.store.db, tenantId, address.trim().toLowerCase());
  if (!user) throw notFound("user", address);
  return user;
}
