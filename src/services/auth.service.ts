import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { domainOf, isInternalDomain, normaliseAddress, rolesAt, type User } from "../domain/directory";
import { notAuthenticated, validationError } from "../domain/errors";
import {
  findUserByAddress,
  findUserByExternalId,
  findUserById,
  listAssignments,
} from "../store/directory.repository";
import {
  consumeLoginLink,
  findLiveSession,
  insertLoginLink,
  insertOidcRequest,
  insertSession,
  revokeSession,
  takeOidcRequest,
  type OidcRequestRecord,
} from "../store/session.repository";
import type { ServiceContext } from "./context";
import { getTenantOrThrow, listAllTenants } from "./tenant.service";

/**
 * Sign-in use cases shared by every way in: one-time links, OpenID Connect, sessions.
 * Secrets are `<tenant id>.<random>`: the tenant id routes the lookup (tables are keyed by tenant
 * first), and only the sha256 of the random part is stored, so a leaked table grants nothing.
 */

export interface SignedInUser {
  tenantId: string;
  tenantSlug: string;
  userId: string;
  email: string;
  displayName: string;
  roles: string[];
  isGuest: boolean;
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** Constant-time string comparison for secrets of any length. */
export function secretsEqual(a: string, b: string): boolean {
  const ha = createHash("sha256").update(a).digest();
  const hb = createHash("sha256").update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

function newSecret(): string {
  return randomBytes(32).toString("base64url");
}

export function splitTenantSecret(token: string): { tenantId: string; secret: string } | null {
  const dot = token.indexOf(".");
  if (dot <= 0 || dot === token.length - 1) return null;
  return { tenantId: token.slice(0, dot), secret: token.slice(dot + 1) };
}

/** The user as the API sees them now: current roles from the directory. */
export async function loadSignedInUser(
  ctx: ServiceContext,
  tenantId: string,
  user: User,
): Promise<SignedInUser> {
  const tenant = await getTenantOrThrow(ctx, tenantId);
  const assignments = await listAssignments(ctx.store.db, tenantId, [user.id]);
  return {
    tenantId,
    tenantSlug: tenant.slug,
    userId: user.id,
    email: user.email,
    displayName: user.displayName,
    roles: [...rolesAt(assignments.get(user.id) ?? [], ctx.now())].sort(),
    isGuest: user.isGuest,
  };
}

export interface LoginLink {
  token: string;
  email: string;
  tenantId: string;
  expiresAt: Date;
}

/** A single-use sign-in link for a directory user (`kith login-link`). */
export async function createLoginLink(
  ctx: ServiceContext,
  tenant: string,
  email: string,
  ttlMs: number,
): Promise<LoginLink> {
  const { id: tenantId } = await getTenantOrThrow(ctx, tenant);
  const user = await findUserByAddress(ctx.store.db, tenantId, email.trim().toLowerCase());
  if (!user) throw validationError(`${email} is not a user of this tenant`, { email });
  const secret = newSecret();
  const at = ctx.now();
  const expiresAt = new Date(at.getTime() + ttlMs);
  await ctx.store.transaction((trx) =>
    insertLoginLink(trx, {
      tenantId,
      tokenHash: hashSecret(secret),
      userId: user.id,
      createdAt: at,
      expiresAt,
    }),
  );
  return { token: `${tenantId}.${secret}`, email: user.email, tenantId, expiresAt };
}

/**
 * Sign-in links for whoever asks by address (the "email me a sign-in link" form): one link per
 * tenant whose verified domains hold the address's domain and whose directory has that user; none
 * when nobody has it. The caller answers the same either way, so the answer never says whether an
 * address has an account.
 */
export async function loginLinksForAddress(
  ctx: ServiceContext,
  email: string,
  ttlMs: number,
): Promise<(LoginLink & { tenantName: string })[]> {
  const address = normaliseAddress(email);
  if (!address) return [];
  const domain = domainOf(address);
  const links: (LoginLink & { tenantName: string })[] = [];
  for (const tenant of await listAllTenants(ctx)) {
    if (!isInternalDomain(domain, tenant.domains)) continue;
    if (!(await findUserByAddress(ctx.store.db, tenant.id, address))) continue;
    links.push({ ...(await createLoginLink(ctx, tenant.id, address, ttlMs)), tenantName: tenant.name });
  }
  return links;
}

export interface NewSession {
  /** The cookie or bearer value; shown once, stored only hashed. */
  token: string;
  csrfToken: string;
  expiresAt: Date;
  user: SignedInUser;
}

export async function startSession(
  ctx: ServiceContext,
  tenantId: string,
  user: User,
  method: "link" | "oidc",
  ttlMs: number,
): Promise<NewSession> {
  const secret = newSecret();
  const csrfToken = newSecret();
  const at = ctx.now();
  const expiresAt = new Date(at.getTime() + ttlMs);
  await ctx.store.transaction((trx) =>
    insertSession(trx, {
      tenantId,
      idHash: hashSecret(secret),
      userId: user.id,
      csrfToken,
      method,
      createdAt: at,
      expiresAt,
    }),
  );
  return {
    token: `${tenantId}.${secret}`,
    csrfToken,
    expiresAt,
    user: await loadSignedInUser(ctx, tenantId, user),
  };
}

/** Exchanges a sign-in link for a session. The link works once and only before it expires. */
export async function exchangeLoginLink(
  ctx: ServiceContext,
  token: string,
  sessionTtlMs: number,
): Promise<NewSession> {
  const parts = splitTenantSecret(token);
  if (!parts) throw notAuthenticated("this sign-in link is not valid");
  const at = ctx.now();
  const outcome = await ctx.store.transaction((trx) =>
    consumeLoginLink(trx, parts.tenantId, hashSecret(parts.secret), at),
  );
  if (outcome === "unknown") throw notAuthenticated("this sign-in link is not valid");
  if (outcome === "used") throw notAuthenticated("this sign-in link was already used; ask for a new one");
  if (outcome === "expired") throw notAuthenticated("this sign-in link has expired; ask for a new one");
  const user = await findUserById(ctx.store.db, parts.tenantId, outcome.userId);
  if (!user) throw notAuthenticated("the user of this sign-in link no longer exists");
  return startSession(ctx, parts.tenantId, user, "link", sessionTtlMs);
}

export interface ResolvedSession {
  user: SignedInUser;
  csrfToken: string;
  expiresAt: Date;
}

/** The session behind a cookie value, or null when unknown, expired, revoked, or its user is gone. */
export async function resolveSession(ctx: ServiceContext, token: string): Promise<ResolvedSession | null> {
  const parts = splitTenantSecret(token);
  if (!parts) return null;
  const session = await findLiveSession(ctx.store.db, parts.tenantId, hashSecret(parts.secret), ctx.now());
  if (!session) return null;
  const user = await findUserById(ctx.store.db, session.tenantId, session.userId);
  if (!user) return null;
  return {
    user: await loadSignedInUser(ctx, session.tenantId, user),
    csrfToken: session.csrfToken,
    expiresAt: session.expiresAt,
  };
}

export async function endSession(ctx: ServiceContext, token: string): Promise<void> {
  const parts = splitTenantSecret(token);
  if (!parts) return;
  await ctx.store.transaction((trx) =>
    revokeSession(trx, parts.tenantId, hashSecret(parts.secret), ctx.now()),
  );
}

/**
 * Maps verified identity-provider claims to a directory user of the provider's tenant: by email
 * (primary address or alias), else by `sub` as the user's external id. Unknown people are refused:
 * signing in never creates users (the directory and SCIM do).
 */
export async function findUserForClaims(
  ctx: ServiceContext,
  tenantId: string,
  claims: { sub?: string | undefined; email?: unknown },
): Promise<User> {
  const email = typeof claims.email === "string" ? claims.email.trim().toLowerCase() : null;
  const user =
    (email ? await findUserByAddress(ctx.store.db, tenantId, email) : undefined) ??
    (claims.sub ? await findUserByExternalId(ctx.store.db, tenantId, claims.sub) : undefined);
  if (!user) throw notAuthenticated("the signed-in identity is not a user of this tenant's directory");
  return user;
}

/** Keeps an OpenID Connect request (state, PKCE verifier, nonce) until its callback or its expiry. */
export async function rememberOidcRequest(ctx: ServiceContext, request: OidcRequestRecord): Promise<void> {
  const at = ctx.now();
  await ctx.store.transaction((trx) => insertOidcRequest(trx, request, at));
}

/** Takes the request back once (single use); undefined when unknown or expired. */
export function takeBackOidcRequest(
  ctx: ServiceContext,
  tenantId: string,
  state: string,
): Promise<OidcRequestRecord | undefined> {
  return ctx.store.transaction((trx) => takeOidcRequest(trx, tenantId, state, ctx.now()));
}
