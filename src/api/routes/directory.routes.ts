import { Type } from "@sinclair/typebox";
import { notFound } from "../../domain/errors";
import {
  findDirectoryUser,
  importDirectoryBody,
  listDirectoryUsers,
} from "../../services/directory-users.service";
import { adminRoles, defineRoute } from "../route";
import { DirectoryUserView } from "../schemas";

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
      users: await listDirectoryUsers(ctx, user.tenantId),
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
      const found = await findDirectoryUser(ctx, user.tenantId, params.userId);
      if (!found) throw notFound("user", params.userId);
      return found;
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
      return importDirectoryBody(ctx, user.tenantId, body, user.email);
    },
  }),
];
