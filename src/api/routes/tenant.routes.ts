import { Type } from "@sinclair/typebox";
import { createTenant, getTenantOrThrow, listAllTenants } from "../../services/tenant.service";
import { defineRoute } from "../route";
import { presentSignedInUser, presentTenant, SignedInUserView, TenantView, DateTime } from "../schemas";

export const tenantRoutes = [
  defineRoute({
    method: "POST",
    url: "/api/tenants",
    summary: "Create a tenant with its verified domains and first administrator (operator only)",
    tags: ["tenants"],
    access: "operator",
    status: 201,
    schema: {
      body: Type.Object(
        {
          name: Type.String({ minLength: 1 }),
          domains: Type.Array(Type.String(), { minItems: 1 }),
          slug: Type.Optional(Type.String()),
          admin: Type.Optional(
            Type.Object(
              { email: Type.String(), name: Type.Optional(Type.String()) },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
      response: TenantView,
    },
    handler: async ({ ctx, body }) =>
      presentTenant(
        await createTenant(ctx, {
          name: body.name,
          domains: body.domains,
          ...(body.slug ? { slug: body.slug } : {}),
          ...(body.admin
            ? { admin: { email: body.admin.email, ...(body.admin.name ? { name: body.admin.name } : {}) } }
            : {}),
        }),
      ),
  }),
  defineRoute({
    method: "GET",
    url: "/api/tenants",
    summary: "List every tenant of the deployment (operator only)",
    tags: ["tenants"],
    access: "operator",
    schema: { response: Type.Object({ tenants: Type.Array(TenantView) }) },
    handler: async ({ ctx }) => ({ tenants: (await listAllTenants(ctx)).map(presentTenant) }),
  }),
  defineRoute({
    method: "GET",
    url: "/api/tenant",
    summary: "The signed-in user's own tenant",
    tags: ["tenants"],
    access: "user",
    schema: { response: TenantView },
    handler: async ({ ctx, user }) => presentTenant(await getTenantOrThrow(ctx, user.tenantId)),
  }),
  defineRoute({
    method: "GET",
    url: "/api/session",
    summary: "Who is signed in, with the CSRF token to send as x-csrf-token on state-changing requests",
    tags: ["session"],
    access: "user",
    schema: {
      response: Type.Object({
        user: SignedInUserView,
        via: Type.Union([Type.Literal("session"), Type.Literal("bearer")]),
        csrfToken: Type.Union([Type.String(), Type.Null()]),
        expiresAt: Type.Optional(DateTime),
      }),
    },
    handler: ({ principal, user, request }) => {
      const via = principal?.kind === "user" ? principal.via : "bearer";
      const expiresAt = request.sessionExpiresAt;
      return Promise.resolve({
        user: presentSignedInUser(user),
        via,
        csrfToken: principal?.kind === "user" ? principal.csrfToken : null,
        ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}),
      });
    },
  }),
];
