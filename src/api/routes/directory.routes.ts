import { Type } from "@sinclair/typebox";
import { rolesAt, type User } from "../../domain/directory";
import { notFound } from "../../domain/errors";
import { parseDirectoryText } from "../../ingest/directory-file";
import { importDirectory } from "../../services/directory.service";
import type { ServiceContext } from "../../services/context";
import { findUserById, listAssignments, listUsers } from "../../store/directory.repository";
import { adminRoles, defineRoute } from "../route";
import { DirectoryUserView } from "../schemas";

async function withRoles(ctx: ServiceContext, tenantId: string, users: User[]) {
  const assignments = await listAssignments(
    ctx.store.db,
    tenantId,
    users.map((u) => u.id),
  );
  return users.map((u) => ({
    id: u.id,
    email: u.email,
    displayName: u.displayName,
    aliases: u.aliases,
    isGuest: u.isGuest,
    roles: [...rolesAt(assignments.get(u.id) ?? [], ctx.now())].sort(),
  }));
}

const ImportReport = Type.Object({
  users: Type.Object({ created: Type.Number(), updated: Type.Number(), unchanged: Type.Number() }),
  groups: Type.Object({ created: Type.Number(), updated: Type.Number() }),
  rolesCreated: Type.Array(Type.String()),
  memberships: Type.Object({ added: Type.Number(), ended: Type.Number() }),
  roleAssignments: Type.Object({ added: Type.Number(), ended: Type.Number() }),
  changes: Type.Array(Type.String()),
});

export const directoryRoutes = [
  defineRoute({
    method: "GET",
    url: "/api/directory/users",
    summary: "Directory users with their current roles",
    tags: ["directory"],
    access: adminRoles.either,
    schema: { response: Type.Object({ users: Type.Array(DirectoryUserView) }) },
    handler: async ({ ctx, user }) => ({
      users: await withRoles(ctx, user.tenantId, await listUsers(ctx.store.db, user.tenantId)),
    }),
  }),
  defineRoute({
    method: "GET",
    url: "/api/directory/users/:userId",
    summary: "One directory user of the tenant",
    tags: ["directory"],
    access: adminRoles.either,
    schema: { params: Type.Object({ userId: Type.String() }), response: DirectoryUserView },
    handler: async ({ ctx, user, params }) => {
      const found = await findUserById(ctx.store.db, user.tenantId, params.userId);
      if (!found) throw notFound("user", params.userId);
      const [view] = await withRoles(ctx, user.tenantId, [found]);
      if (!view) throw notFound("user", params.userId);
      return view;
    },
  }),
  defineRoute({
    method: "POST",
    url: "/api/directory/import",
    summary:
      "Import a directory document (users, aliases, groups, memberships, roles); all or nothing, idempotent",
    tags: ["directory"],
    access: adminRoles.system,
    schema: {
      body: Type.Object(
        {
          users: Type.Array(Type.Unknown()),
          groups: Type.Optional(Type.Array(Type.Unknown())),
          roles: Type.Optional(Type.Array(Type.String())),
        },
        { description: "The JSON directory format of README 'Directory files'" },
      ),
      response: ImportReport,
    },
    handler: async ({ ctx, user, body }) => {
      const { document, errors } = parseDirectoryText(JSON.stringify(body), "request body", "json");
      return importDirectory(ctx, user.tenantId, document, errors, user.email);
    },
  }),
];
