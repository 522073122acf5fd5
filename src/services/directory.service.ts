import { randomUUID } from "node:crypto";
import type { User } from "../domain/directory";
import { builtInRoles } from "../domain/directory";
import { KithError, notFound, validationError } from "../domain/errors";
import type { DirectoryDocument, DirectoryFileError } from "../ingest/directory-file";
import { appendAudit } from "../store/audit.repository";
import {
  closeAssignment,
  closeMembership,
  ensureRole,
  findUserByAddress,
  insertUser,
  listAssignments,
  listGroups,
  listMemberships,
  listRoles,
  listExternalIds,
  listUsers,
  openAssignment,
  openMembership,
  replaceAliases,
  updateUser,
  upsertGroup,
} from "../store/directory.repository";
import type { Trx } from "../store/store";
import type { ServiceContext } from "./context";

export interface DirectoryImportReport {
  users: { created: number; updated: number; unchanged: number };
  groups: { created: number; updated: number };
  rolesCreated: string[];
  memberships: { added: number; ended: number };
  roleAssignments: { added: number; ended: number };
  /** One line per change, for `--json` and the audit log. */
  changes: string[];
}

/**
 * Applies a directory document in one transaction: all of it or, on any error, none of it.
 * Idempotent: importing the same document twice changes nothing the second time. Group and role
 * changes open and close dated intervals, so "was U in group G at time t" stays answerable.
 */
export async function importDirectory(
  ctx: ServiceContext,
  tenantId: string,
  document: DirectoryDocument,
  errors: readonly DirectoryFileError[],
  actor: string,
): Promise<DirectoryImportReport> {
  if (errors.length > 0) {
    const lines = errors.map((e) => `${e.file} record ${e.record}: ${e.reason}`);
    throw validationError(`directory file rejected, nothing imported:\n  ${lines.join("\n  ")}`, { errors });
  }
  const at = ctx.now();
  const report: DirectoryImportReport = {
    users: { created: 0, updated: 0, unchanged: 0 },
    groups: { created: 0, updated: 0 },
    rolesCreated: [],
    memberships: { added: 0, ended: 0 },
    roleAssignments: { added: 0, ended: 0 },
    changes: [],
  };
  const audit = (trx: Trx, action: string, subject: string, details: Record<string, unknown>) =>
    appendAudit(trx, ctx.store.engine, tenantId, at, { actor, action, subject, details });

  await ctx.store.transaction(async (trx) => {
    const existingRoles = new Set((await listRoles(trx, tenantId)).map((r) => r.name));
    const wantedRoles = new Set([...document.roles, ...document.users.flatMap((u) => u.roles ?? [])]);
    for (const role of wantedRoles) {
      if (existingRoles.has(role)) continue;
      await ensureRole(trx, tenantId, role, (builtInRoles as readonly string[]).includes(role));
      existingRoles.add(role);
      report.rolesCreated.push(role);
      report.changes.push(`role created: ${role}`);
      await audit(trx, "role.created", role, {});
    }

    const groupNames = new Map(document.groups.map((g) => [g.id, g.name]));
    for (const id of document.users.flatMap((u) => u.groups ?? []))
      if (!groupNames.has(id)) groupNames.set(id, id);
    const existingGroups = new Map((await listGroups(trx, tenantId)).map((g) => [g.id, g.name]));
    for (const [id, name] of groupNames) {
      // A group named only by id in a membership keeps whatever name it already has.
      if (existingGroups.has(id) && !document.groups.some((g) => g.id === id)) continue;
      const outcome = await upsertGroup(trx, tenantId, id, name);
      if (outcome === "unchanged") continue;
      report.groups[outcome]++;
      report.changes.push(`group ${outcome}: ${id} (${name})`);
      await audit(trx, `group.${outcome}`, id, { name });
    }

    const users = await listUsers(trx, tenantId);
    const byExternalId = new Map<string, User>();
    const usersById = new Map(users.map((u) => [u.id, u]));
    for (const [userId, externalId] of await listExternalIds(trx, tenantId)) {
      const user = usersById.get(userId);
      if (user) byExternalId.set(externalId, user);
    }
    const memberships = await listMemberships(trx, tenantId);
    const assignments = await listAssignments(trx, tenantId);

    for (const entry of document.users) {
      let user =
        (entry.externalId ? byExternalId.get(entry.externalId) : undefined) ??
        (await findUserByAddress(trx, tenantId, entry.email));
      const name = entry.name ?? user?.displayName ?? entry.email;
      for (const address of [entry.email, ...entry.aliases]) {
        const owner = await findUserByAddress(trx, tenantId, address);
        if (owner && owner.id !== user?.id) {
          throw new KithError("conflict", `${address} already belongs to ${owner.email}; nothing imported`, {
            address,
          });
        }
      }
      if (!user) {
        const id = randomUUID();
        await insertUser(
          trx,
          tenantId,
          { id, email: entry.email, displayName: name, isGuest: entry.guest, externalId: entry.externalId },
          at,
        );
        await replaceAliases(trx, tenantId, id, entry.aliases);
        report.users.created++;
        report.changes.push(`user created: ${entry.email}`);
        await audit(trx, "user.created", entry.email, { aliases: entry.aliases, guest: entry.guest });
        user = {
          id,
          tenantId,
          email: entry.email,
          displayName: name,
          isGuest: entry.guest,
          aliases: entry.aliases,
        };
      } else {
        const changed: string[] = [];
        if (user.email !== entry.email) changed.push("email");
        if (user.displayName !== name) changed.push("name");
        if (user.isGuest !== entry.guest) changed.push("guest");
        const aliasesChanged = [...user.aliases].sort().join() !== [...entry.aliases].sort().join();
        if (aliasesChanged) changed.push("aliases");
        if (changed.length) {
          await updateUser(trx, tenantId, user.id, {
            email: entry.email,
            displayName: name,
            isGuest: entry.guest,
            ...(entry.externalId ? { externalId: entry.externalId } : {}),
          });
          if (aliasesChanged) await replaceAliases(trx, tenantId, user.id, entry.aliases);
          report.users.updated++;
          report.changes.push(`user updated: ${entry.email} (${changed.join(", ")})`);
          await audit(trx, "user.updated", entry.email, { changed });
        } else {
          report.users.unchanged++;
        }
      }

      if (entry.groups !== null) {
        const current = new Set(
          (memberships.get(user.id) ?? []).filter((m) => m.to === null).map((m) => m.groupId),
        );
        const wanted = new Set(entry.groups);
        for (const g of wanted) {
          if (current.has(g)) continue;
          await openMembership(trx, tenantId, g, user.id, at);
          report.memberships.added++;
          report.changes.push(`membership added: ${entry.email} → ${g}`);
          await audit(trx, "group.member_added", g, { user: entry.email });
        }
        for (const g of current) {
          if (wanted.has(g)) continue;
          await closeMembership(trx, tenantId, g, user.id, at);
          report.memberships.ended++;
          report.changes.push(`membership ended: ${entry.email} → ${g}`);
          await audit(trx, "group.member_removed", g, { user: entry.email });
        }
      }
      if (entry.roles !== null) {
        const current = new Set(
          (assignments.get(user.id) ?? []).filter((a) => a.to === null).map((a) => a.role),
        );
        const wanted = new Set(entry.roles);
        for (const r of wanted) {
          if (current.has(r)) continue;
          await openAssignment(trx, tenantId, user.id, r, at);
          report.roleAssignments.added++;
          report.changes.push(`role assigned: ${entry.email} → ${r}`);
          await audit(trx, "role.assigned", entry.email, { role: r });
        }
        for (const r of current) {
          if (wanted.has(r)) continue;
          await closeAssignment(trx, tenantId, user.id, r, at);
          report.roleAssignments.ended++;
          report.changes.push(`role removed: ${entry.email} → ${r}`);
          await audit(trx, "role.removed", entry.email, { role: r });
        }
      }
    }
    if (report.changes.length > 0) {
      await audit(trx, "directory.imported", tenantId, {
        users: report.users,
        groups: report.groups,
        memberships: report.memberships,
        roleAssignments: report.roleAssignments,
      });
    }
  });
  return report;
}

export async function findUserOrThrow(ctx: ServiceContext, tenantId: string, address: string): Promise<User> {
  const user = await findUserByAddress(ctx.store.db, tenantId, address.trim().toLowerCase());
  if (!user) throw notFound("user", address);
  return user;
}
