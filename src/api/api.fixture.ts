import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import { loadConfig, type Config } from "../config/config";
import { startSession, type NewSession } from "../services/auth.service";
import type { ServiceContext } from "../services/context";
import { importDirectory } from "../services/directory.service";
import { createTenant } from "../services/tenant.service";
import { findUserByAddress } from "../store/directory.repository";
import type { Tenant } from "../domain/directory";

/** Test fixtures for the HTTP API: two tenants with an administrator and a seller each. */

export const operatorToken = "operator-token-for-tests-0123456789";

export function testConfig(overrides: NodeJS.ProcessEnv = {}): Readonly<Config> {
  return loadConfig({ KITH_DATABASE_URL: ":memory:", KITH_OPERATOR_TOKEN: operatorToken, ...overrides });
}

export interface TenantFixture {
  tenant: Tenant;
  admin: NewSession;
  seller: NewSession;
}

export async function createTenantFixture(ctx: ServiceContext, slug: string): Promise<TenantFixture> {
  const domain = `${slug}.example`;
  const tenant = await createTenant(ctx, {
    name: slug,
    slug,
    domains: [domain],
    admin: { email: `admin@${domain}`, name: "Admin" },
  });
  await importDirectory(
    ctx,
    tenant.id,
    {
      roles: [],
      groups: [{ id: `${slug}-sales`, name: "Sales" }],
      users: [
        {
          email: `seller@${domain}`,
          name: "Sam Seller",
          externalId: `${slug}-seller-ext`,
          aliases: [],
          guest: false,
          roles: ["Salesperson"],
          groups: [`${slug}-sales`],
        },
      ],
    },
    [],
    "test",
  );
  const session = async (email: string) => {
    const user = await findUserByAddress(ctx.store.db, tenant.id, email);
    if (!user) throw new Error(`fixture user missing: ${email}`);
    return startSession(ctx, tenant.id, user, "link", 3_600_000);
  };
  return { tenant, admin: await session(`admin@${domain}`), seller: await session(`seller@${domain}`) };
}

/** Request options carrying a session cookie and (for state changes) its CSRF header. */
export function asSession(session: NewSession, options: InjectOptions = {}): InjectOptions {
  return {
    ...options,
    cookies: { ...(options.cookies ?? {}), kith_session: session.token },
    headers: { ...(options.headers ?? {}), "x-csrf-token": session.csrfToken },
  };
}

export function errorCode(response: LightMyRequestResponse): string | undefined {
  try {
    return response.json<{ error?: { code?: string } }>().error?.code;
  } catch {
    return undefined;
  }
}

export type App = FastifyInstance;
