import { rolesAt, type User } from "../domain/directory";
import { parseDirectoryText, readDirectoryFile } from "../ingest/directory-file";
import { findUserById, listAssignments, listUsers } from "../store/directory.repository";
import type { ServiceContext } from "./context";
import { importDirectory, type DirectoryImportReport } from "./directory.service";

/** A directory user as administrators see it: identity, aliases and the roles held now. */
export interface DirectoryUserWithRoles {
  id: string;
  email: string;
  displayName: string;
  aliases: string[];
  isGuest: boolean;
  roles: string[];
}

async function withRoles(
  ctx: ServiceContext,
  tenantId: string,
  users: User[],
): Promise<DirectoryUserWithRoles[]> {
  const assignments = await listAssignments(
    ctx.store.db,
    tenantId,
    users.map((u) => u.id),
  );
  return users.map((u) => ({
    id: u.id,
    email: u.email,
    displayName: u.displayName,
    aliases: [...u.aliases],
    isGuest: u.isGuest,
    roles: [...rolesAt(assignments.get(u.id) ?? [], ctx.now())].sort(),
  }));
}

export async function listDirectoryUsers(
  ctx: ServiceContext,
  tenantId: string,
): Promise<DirectoryUserWithRoles[]> {
  return withRoles(ctx, tenantId, await listUsers(ctx.store.db, tenantId));
}

export async function findDirectoryUser(
  ctx: ServiceContext,
  tenantId: string,
  userId: string,
): Promise<DirectoryUserWithRoles | undefined> {
  const found = await findUserById(ctx.store.db, tenantId, userId);
  return found ? (await withRoles(ctx, tenantId, [found]))[0] : undefined;
}

/** `kith directory import FILE`: reads the JSON or CSV file and imports it (all or nothing). */
export async function importDirectoryFile(
  ctx: ServiceContext,
  tenantId: string,
  path: string,
  actor: string,
): Promise<DirectoryImportReport> {
  const { document, errors } = await readDirectoryFile(path);
  return importDirectory(ctx, tenantId, document, errors, actor);
}

/** `POST /api/directory/import`: the JSON directory document of a request body. */
export function importDirectoryBody(
  ctx: ServiceContext,
  tenantId: string,
  body: unknown,
  actor: string,
): Promise<DirectoryImportReport> {
  const { document, errors } = parseDirectoryText(JSON.stringify(body), "request body", "json");
  return importDirectory(ctx, tenantId, document, errors, actor);
}
