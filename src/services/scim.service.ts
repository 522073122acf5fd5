import { randomBytes, randomUUID } from "node:crypto";
import { normaliseAddress } from "../domain/directory";
import { KithError, notFound, validationError } from "../domain/errors";
import { appendAudit } from "../store/audit.repository";
import { readPrivacy, writePrivacy } from "../store/consent.repository";
import {
  closeMembership,
  currentGroupMembers,
  findUserByAddress,
  insertUser,
  listGroups,
  listMemberships,
  markGroupDeleted,
  openMembership,
  replaceAliases,
  updateUser,
  upsertGroup,
} from "../store/directory.repository";
import {
  findLiveScimToken,
  findScimToken,
  insertScimToken,
  listAliasesOf,
  listScimDeletedIds,
  listScimGroups,
  listScimUsers,
  markScimDeleted,
  listScimTokens,
  reactivateUser,
  revokeScimToken,
  touchScimToken,
  type ScimToken,
  type ScimUserRow,
} from "../store/scim.repository";
import type { Trx } from "../store/store";
import { hashSecret, splitTenantSecret } from "./auth.service";
import type { ServiceContext } from "./context";
import { recordSharingForBackups } from "./backup.service";
import { purgeUserData } from "./purge.service";
import { getTenantOrThrow } from "./tenant.service";

/**
 * SCIM 2.0 provisioning (RFC 7643/7644) onto the directory: users and security groups with
 * dated memberships, every change audited with actor "scim" in the same transaction. Resource
 * shapes are plain objects here; the HTTP edge adds nothing but status codes and content type.
 */

export const scimTokenPrefix = "kscim_";
const actor = "scim";

export const scimSchemas = {
  user: "urn:ietf:params:scim:schemas:core:2.0:User",
  group: "urn:ietf:params:scim:schemas:core:2.0:Group",
  list: "urn:ietf:params:scim:api:messages:2.0:ListResponse",
  patch: "urn:ietf:params:scim:api:messages:2.0:PatchOp",
  error: "urn:ietf:params:scim:api:messages:2.0:Error",
} as const;

/** A token's state at a moment: usable, past its expiry, or revoked. */
export type ScimTokenStatus = "active" | "expired" | "revoked";

export interface ScimTokenView extends ScimToken {
  status: ScimTokenStatus;
}

const viewOf = (token: ScimToken, now: Date): ScimTokenView => ({
  ...token,
  status: token.revokedAt ? "revoked" : token.expiresAt && token.expiresAt <= now ? "expired" : "active",
});

export interface NewScimToken {
  /** What the token is for (the identity provider's name). */
  label?: string;
  /** Lifetime from now; or `expiresAt`; neither: until revoked. */
  ttlMs?: number;
  expiresAt?: Date;
  /** "operator" for the CLI, else the administrator's email. */
  createdBy?: string;
}

/** Longest lifetime a token may be given (ten years): further is "never", which is the default. */
const maxTokenTtlMs = 3650 * 86_400_000;

/** Makes a token; its secret is returned once here and stored only hashed. */
export async function createScimToken(
  ctx: ServiceContext,
  tenant: string,
  labelOrOptions: string | NewScimToken = {},
): Promise<{ token: string; tenantId: string } & ScimTokenView> {
  const options = typeof labelOrOptions === "string" ? { label: labelOrOptions } : labelOrOptions;
  const { id: tenantId } = await getTenantOrThrow(ctx, tenant);
  const at = ctx.now();
  const label = (options.label ?? "identity provider").trim();
  const problems: string[] = [];
  if (!label || label.length > 200) problems.push("label: name what the token is for (1 to 200 characters)");
  if (options.ttlMs !== undefined && options.expiresAt !== undefined)
    problems.push("give either a ttl or an expiry time, not both");
  let expiresAt = options.expiresAt ?? null;
  if (options.ttlMs !== undefined) {
    if (!Number.isSafeInteger(options.ttlMs) || options.ttlMs <= 0 || options.ttlMs > maxTokenTtlMs)
      problems.push("ttl: a duration above zero and at most 3650d (omit it for a token that never expires)");
    else expiresAt = new Date(at.getTime() + options.ttlMs);
  }
  if (expiresAt !== null && (Number.isNaN(expiresAt.getTime()) || expiresAt <= at))
    problems.push("expiresAt: a time in the future");
  else if (expiresAt !== null && expiresAt.getTime() - at.getTime() > maxTokenTtlMs)
    problems.push("expiresAt: at most ten years ahead (omit it for a token that never expires)");
  if (problems.length > 0) throw validationError(problems.join("; "), { problems });
  const secret = randomBytes(32).toString("base64url");
  const id = randomUUID();
  const createdBy = options.createdBy ?? "operator";
  await ctx.store.transaction(async (trx) => {
    await insertScimToken(trx, {
      tenantId,
      id,
      tokenHash: hashSecret(secret),
      label,
      createdAt: at,
      createdBy,
      expiresAt,
    });
    await appendAudit(trx, ctx.store.engine, tenantId, at, {
      actor: createdBy,
      action: "scim.token_created",
      subject: id,
      details: { label, expiresAt: expiresAt?.toISOString() ?? null },
    });
  });
  const created: ScimToken = {
    id,
    label,
    createdAt: at,
    createdBy,
    expiresAt,
    lastUsedAt: null,
    revokedAt: null,
    revokedBy: null,
  };
  return { token: `${scimTokenPrefix}${tenantId}.${secret}`, tenantId, ...viewOf(created, at) };
}

/** How stale a token's last-used time may get: one write a minute per busy token, not one a request. */
const lastUsedResolutionMs = 60_000;

/**
 * The tenant a SCIM bearer token belongs to, or null when it is unknown, revoked or expired (every
 * SCIM route then answers 401). Stamps the token's last use at most once a minute.
 */
export async function tenantOfScimToken(ctx: ServiceContext, token: string): Promise<string | null> {
  if (!token.startsWith(scimTokenPrefix)) return null;
  const parts = splitTenantSecret(token.slice(scimTokenPrefix.length));
  if (!parts) return null;
  const now = ctx.now();
  const live = await findLiveScimToken(ctx.store.db, parts.tenantId, hashSecret(parts.secret), now);
  if (!live) return null;
  const staleBefore = new Date(now.getTime() - lastUsedResolutionMs);
  if (!live.lastUsedAt || live.lastUsedAt <= staleBefore) {
    // Advisory: a busy store (SQLite held by a long import) must not refuse a valid token.
    await touchScimToken(ctx.store.db, parts.tenantId, live.id, now, staleBefore).catch(() => undefined);
  }
  return parts.tenantId;
}

/** Every SCIM token of the tenant with its state; never a secret. */
export async function listScimTokensOf(ctx: ServiceContext, tenant: string): Promise<ScimTokenView[]> {
  const { id: tenantId } = await getTenantOrThrow(ctx, tenant);
  const now = ctx.now();
  return (await listScimTokens(ctx.store.db, tenantId)).map((t) => viewOf(t, now));
}

/** Revokes one token at once (the next SCIM request with it gets 401); audited. */
export async function revokeScimTokenOf(
  ctx: ServiceContext,
  tenant: string,
  id: string,
  by: string,
): Promise<ScimTokenView> {
  const { id: tenantId } = await getTenantOrThrow(ctx, tenant);
  const at = ctx.now();
  const revoked = await ctx.store.transaction(async (trx) => {
    const token = await findScimToken(trx, tenantId, id);
    if (!token) throw notFound("SCIM token", id);
    if (!(await revokeScimToken(trx, tenantId, id, at, by)))
      throw new KithError(
        "conflict",
        `this SCIM token was already revoked (${token.revokedAt?.toISOString() ?? "earlier"})`,
        {
          id,
        },
      );
    await appendAudit(trx, ctx.store.engine, tenantId, at, {
      actor: by,
      action: "scim.token_revoked",
      subject: id,
      details: { label: token.label },
    });
    return { ...token, revokedAt: at, revokedBy: by };
  });
  return viewOf(revoked, at);
}

export type ScimResource = Record<string, unknown>;

export interface ScimListResponse {
  schemas: string[];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: ScimResource[];
}

/** `attr eq "value"`, the filter identity providers send; anything else is refused as invalidFilter. */
export function parseScimFilter(filter: string | undefined): { attribute: string; value: string } | null {
  if (!filter) return null;
  const match = /^\s*([\w.]+)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$/i.exec(filter);
  if (!match?.[1] || match[2] === undefined) {
    throw scimError(400, "invalidFilter", `unsupported filter: ${filter} (use attribute eq "value")`);
  }
  return { attribute: match[1].toLowerCase(), value: match[2].replace(/\\(.)/g, "$1") };
}

export class ScimError extends KithError {
  constructor(
    readonly status: number,
    readonly scimType: string | null,
    message: string,
  ) {
    super(
      status === 404
        ? "not_found"
        : status === 409
          ? "conflict"
          : status === 401
            ? "not_authenticated"
            : "validation_failed",
      message,
    );
  }
}
export const scimError = (status: number, scimType: string | null, message: string) =>
  new ScimError(status, scimType, message);

function page(items: ScimResource[], startIndex = 1, count?: number): ScimListResponse {
  const start = Math.max(1, startIndex);
  const slice = items.slice(start - 1, count === undefined ? undefined : start - 1 + Math.max(0, count));
  return {
    schemas: [scimSchemas.list],
    totalResults: items.length,
    startIndex: start,
    itemsPerPage: slice.length,
    Resources: slice,
  };
}

// ---------- Users ----------

async function presentUsers(
  db: Trx,
  tenantId: string,
  rows: ScimUserRow[],
  baseUrl: string,
): Promise<ScimResource[]> {
  const aliases = await listAliasesOf(
    db,
    tenantId,
    rows.map((r) => r.id),
  );
  const memberships = await listMemberships(
    db,
    tenantId,
    rows.map((r) => r.id),
  );
  const groupNames = new Map((await listGroups(db, tenantId)).map((g) => [g.id, g.name]));
  return rows.map((r) => ({
    schemas: [scimSchemas.user],
    id: r.id,
    ...(r.externalId ? { externalId: r.externalId } : {}),
    userName: r.email,
    displayName: r.displayName,
    name: { formatted: r.displayName },
    emails: [
      { value: r.email, type: "work", primary: true },
      ...(aliases.get(r.id) ?? []).map((a) => ({ value: a, type: "other", primary: false })),
    ],
    active: r.active,
    groups: (memberships.get(r.id) ?? [])
      .filter((m) => m.to === null && groupNames.has(m.groupId))
      .map((m) => ({ value: m.groupId, display: groupNames.get(m.groupId) })),
    meta: {
      resourceType: "User",
      created: r.createdAt.toISOString(),
      location: `${baseUrl}/scim/v2/Users/${r.id}`,
    },
  }));
}

async function visibleUsers(
  db: Trx,
  tenantId: string,
  filter?: { field: "email" | "external_id" | "id"; value: string },
): Promise<ScimUserRow[]> {
  const deleted = await listScimDeletedIds(db, tenantId);
  return (await listScimUsers(db, tenantId, filter)).filter((u) => !deleted.has(u.id));
}

export async function listUsersScim(
  ctx: ServiceContext,
  tenantId: string,
  query: { filter?: string; startIndex?: number; count?: number },
  baseUrl: string,
): Promise<ScimListResponse> {
  const filter = parseScimFilter(query.filter);
  let rows: ScimUserRow[];
  if (!filter) rows = await visibleUsers(ctx.store.db, tenantId);
  else if (
    filter.attribute === "username" ||
    filter.attribute === "emails.value" ||
    filter.attribute === "emails"
  )
    rows = await visibleUsers(ctx.store.db, tenantId, {
      field: "email",
      value: filter.value.trim().toLowerCase(),
    });
  else if (filter.attribute === "externalid")
    rows = await visibleUsers(ctx.store.db, tenantId, { field: "external_id", value: filter.value });
  else if (filter.attribute === "id")
    rows = await visibleUsers(ctx.store.db, tenantId, { field: "id", value: filter.value });
  else throw scimError(400, "invalidFilter", `cannot filter Users by ${filter.attribute}`);
  return page(await presentUsers(ctx.store.db, tenantId, rows, baseUrl), query.startIndex, query.count);
}

async function userRowOrThrow(db: Trx, tenantId: string, id: string): Promise<ScimUserRow> {
  const [row] = await visibleUsers(db, tenantId, { field: "id", value: id });
  if (!row) throw scimError(404, null, `User ${id} not found`);
  return row;
}

export async function getUserScim(ctx: ServiceContext, tenantId: string, id: string, baseUrl: string) {
  const row = await userRowOrThrow(ctx.store.db, tenantId, id);
  const [resource] = await presentUsers(ctx.store.db, tenantId, [row], baseUrl);
  return resource as ScimResource;
}

interface UserFields {
  email: string;
  aliases: string[];
  displayName: string;
  externalId: string | null;
  active: boolean;
}

function readUserFields(body: Record<string, unknown>): UserFields {
  const userName = typeof body.userName === "string" ? body.userName : null;
  if (!userName) throw scimError(400, "invalidValue", "userName is required");
  const emails = Array.isArray(body.emails)
    ? (body.emails as unknown[])
        .map((e) => (e && typeof e === "object" ? (e as Record<string, unknown>) : {}))
        .filter((e) => typeof e.value === "string")
    : [];
  const primary = emails.find((e) => e.primary === true || e.primary === "true") ?? emails[0];
  const candidates = [userName, ...(primary ? [primary.value as string] : [])];
  const email = candidates.map((c) => normaliseAddress(c)).find((c): c is string => c !== null);
  if (!email)
    throw scimError(400, "invalidValue", `neither userName nor a primary email is an address: ${userName}`);
  const aliases = new Set<string>();
  for (const address of [userName, ...emails.map((e) => e.value as string)]) {
    const a = normaliseAddress(address);
    if (a && a !== email) aliases.add(a);
  }
  const name = body.name && typeof body.name === "object" ? (body.name as Record<string, unknown>) : {};
  const formatted =
    typeof body.displayName === "string"
      ? body.displayName
      : typeof name.formatted === "string"
        ? name.formatted
        : [name.givenName, name.familyName].filter((p) => typeof p === "string").join(" ") || email;
  return {
    email,
    aliases: [...aliases].sort(),
    displayName: formatted,
    externalId: typeof body.externalId === "string" ? body.externalId : null,
    active: parseBool(body.active, true),
  };
}

function parseBool(value: unknown, fallback: boolean): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "string") return value.toLowerCase() === "true";
  return fallback;
}

async function assertAddressesFree(trx: Trx, tenantId: string, userId: string | null, fields: UserFields) {
  for (const address of [fields.email, ...fields.aliases]) {
    const owner = await findUserByAddress(trx, tenantId, address);
    if (owner && owner.id !== userId)
      throw scimError(409, "uniqueness", `${address} already belongs to another user`);
  }
  const inactive = await listScimUsers(trx, tenantId, { field: "email", value: fields.email });
  if (inactive.some((u) => u.id !== userId))
    throw scimError(409, "uniqueness", `${fields.email} already exists`);
}

export async function createUserScim(
  ctx: ServiceContext,
  tenantId: string,
  body: Record<string, unknown>,
  baseUrl: string,
): Promise<ScimResource> {
  const fields = readUserFields(body);
  const at = ctx.now();
  const id = randomUUID();
  await ctx.store.transaction(async (trx) => {
    await assertAddressesFree(trx, tenantId, null, fields);
    await insertUser(
      trx,
      tenantId,
      {
        id,
        email: fields.email,
        displayName: fields.displayName,
        isGuest: false,
        externalId: fields.externalId,
      },
      at,
    );
    await replaceAliases(trx, tenantId, id, fields.aliases);
    if (!fields.active) await updateUser(trx, tenantId, id, { deletedAt: at });
    await appendAudit(trx, ctx.store.engine, tenantId, at, {
      actor,
      action: "user.created",
      subject: fields.email,
      details: { aliases: fields.aliases, active: fields.active },
    });
  });
  return getUserScim(ctx, tenantId, id, baseUrl);
}

async function applyUserFields(
  ctx: ServiceContext,
  trx: Trx,
  tenantId: string,
  row: ScimUserRow,
  fields: UserFields,
  at: Date,
): Promise<void> {
  await assertAddressesFree(trx, tenantId, row.id, fields);
  const currentAliases = (await listAliasesOf(trx, tenantId, [row.id])).get(row.id) ?? [];
  const changed: string[] = [];
  if (row.email !== fields.email) changed.push("email");
  if (row.displayName !== fields.displayName) changed.push("name");
  if ((row.externalId ?? null) !== fields.externalId && fields.externalId !== null)
    changed.push("externalId");
  const aliasesChanged = currentAliases.join() !== fields.aliases.join();
  if (aliasesChanged) changed.push("aliases");
  if (changed.length > 0) {
    await updateUser(trx, tenantId, row.id, {
      email: fields.email,
      displayName: fields.displayName,
      ...(fields.externalId !== null ? { externalId: fields.externalId } : {}),
    });
    if (aliasesChanged) await replaceAliases(trx, tenantId, row.id, fields.aliases);
    await appendAudit(trx, ctx.store.engine, tenantId, at, {
      actor,
      action: "user.updated",
      subject: fields.email,
      details: { changed },
    });
  }
  if (row.active !== fields.active) {
    if (fields.active) {
      await reactivateUser(trx, tenantId, row.id);
      // Like sharing turned back on: collect from now, never back into the time they were gone.
      await writePrivacy(trx, tenantId, row.id, {
        ...(await readPrivacy(trx, tenantId, row.id)),
        collectFrom: at,
      });
    } else await updateUser(trx, tenantId, row.id, { deletedAt: at });
    await appendAudit(trx, ctx.store.engine, tenantId, at, {
      actor,
      action: fields.active ? "user.reactivated" : "user.deactivated",
      subject: fields.email,
      details: {},
    });
    if (!fields.active) await purgeRemovedUser(ctx, trx, tenantId, row.id, fields.email, at, "deactivated");
  }
}

/**
 * A user removed from the directory loses their collected data at once, like a personal opt-out
 * (SPEC §3): interactions and strength states are purged in the caller's transaction, with a
 * receipt and an audit entry. Collection stops too: a deactivated or deleted user is no directory
 * user, so the collection gate refuses them.
 */
async function purgeRemovedUser(
  ctx: ServiceContext,
  trx: Trx,
  tenantId: string,
  userId: string,
  email: string,
  at: Date,
  how: "deactivated" | "deleted",
): Promise<void> {
  const receipt = await purgeUserData(
    trx,
    tenantId,
    userId,
    at,
    `user ${how} by the identity provider (SCIM)`,
  );
  await recordSharingForBackups(ctx, tenantId, userId, "off", at, receipt.reason);
  await appendAudit(trx, ctx.store.engine, tenantId, at, {
    actor,
    action: "data.deleted",
    subject: email,
    details: { scope: "user", reason: receipt.reason, counts: receipt.counts, receipt: receipt.id },
  });
}

export async function replaceUserScim(
  ctx: ServiceContext,
  tenantId: string,
  id: string,
  body: Record<string, unknown>,
  baseUrl: string,
): Promise<ScimResource> {
  const fields = readUserFields(body);
  const at = ctx.now();
  await ctx.store.transaction(async (trx) => {
    const row = await userRowOrThrow(trx, tenantId, id);
    await applyUserFields(ctx, trx, tenantId, row, fields, at);
  });
  return getUserScim(ctx, tenantId, id, baseUrl);
}

interface PatchOperation {
  op: "add" | "remove" | "replace";
  path: string | null;
  value: unknown;
}

function readPatch(body: Record<string, unknown>): PatchOperation[] {
  const ops = body.Operations;
  if (!Array.isArray(ops) || ops.length === 0)
    throw scimError(400, "invalidSyntax", "Operations must be a non-empty array");
  return ops.map((raw) => {
    const o = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
    const op = typeof o.op === "string" ? o.op.toLowerCase() : "";
    if (op !== "add" && op !== "remove" && op !== "replace")
      throw scimError(400, "invalidSyntax", `unknown patch op: ${String(o.op)}`);
    return { op, path: typeof o.path === "string" ? o.path : null, value: o.value };
  });
}

export async function patchUserScim(
  ctx: ServiceContext,
  tenantId: string,
  id: string,
  body: Record<string, unknown>,
  baseUrl: string,
): Promise<ScimResource> {
  const operations = readPatch(body);
  const at = ctx.now();
  await ctx.store.transaction(async (trx) => {
    const row = await userRowOrThrow(trx, tenantId, id);
    const aliases = (await listAliasesOf(trx, tenantId, [row.id])).get(row.id) ?? [];
    // Start from the current resource, apply each operation, then write the difference once.
    const draft: Record<string, unknown> = {
      userName: row.email,
      displayName: row.displayName,
      externalId: row.externalId ?? undefined,
      active: row.active,
      emails: [{ value: row.email, primary: true }, ...aliases.map((a) => ({ value: a }))],
    };
    for (const op of operations) {
      const updates: Record<string, unknown> =
        op.path === null
          ? op.value && typeof op.value === "object"
            ? (op.value as Record<string, unknown>)
            : {}
          : { [op.path]: op.op === "remove" ? undefined : op.value };
      for (const [key, value] of Object.entries(updates)) {
        const k = key.toLowerCase();
        if (k === "active") draft.active = parseBool(value, true);
        else if (k === "displayname" || k === "name.formatted") draft.displayName = value;
        else if (k === "username") draft.userName = value;
        else if (k === "externalid") draft.externalId = value;
        else if (k === "emails")
          draft.emails =
            op.op === "add"
              ? [...(draft.emails as unknown[]), ...(Array.isArray(value) ? (value as unknown[]) : [])]
              : (value ?? []);
        else if (k === "name" && value && typeof value === "object") draft.name = value;
        // Other attributes (title, phoneNumbers, …) are not kept by Kith and are ignored.
      }
    }
    await applyUserFields(ctx, trx, tenantId, row, readUserFields(draft), at);
  });
  return getUserScim(ctx, tenantId, id, baseUrl);
}

export async function deleteUserScim(ctx: ServiceContext, tenantId: string, id: string): Promise<void> {
  const at = ctx.now();
  await ctx.store.transaction(async (trx) => {
    const row = await userRowOrThrow(trx, tenantId, id);
    if (row.active) await updateUser(trx, tenantId, id, { deletedAt: at });
    const memberships = (await listMemberships(trx, tenantId, [id])).get(id) ?? [];
    for (const m of memberships.filter((m) => m.to === null)) {
      await closeMembership(trx, tenantId, m.groupId, id, at);
      await appendAudit(trx, ctx.store.engine, tenantId, at, {
        actor,
        action: "group.member_removed",
        subject: m.groupId,
        details: { user: row.email },
      });
    }
    await markScimDeleted(trx, tenantId, id, at);
    await appendAudit(trx, ctx.store.engine, tenantId, at, {
      actor,
      action: "user.deleted",
      subject: row.email,
      details: {},
    });
    // Purged again even when already deactivated (and purged then): deletion must leave nothing.
    await purgeRemovedUser(ctx, trx, tenantId, id, row.email, at, "deleted");
  });
}

// ---------- Groups ----------

async function presentGroup(db: Trx, tenantId: string, group: { id: string; name: string }, baseUrl: string) {
  const memberIds = await currentGroupMembers(db, tenantId, group.id);
  const users = new Map((await listScimUsers(db, tenantId)).map((u) => [u.id, u]));
  return {
    schemas: [scimSchemas.group],
    id: group.id,
    displayName: group.name,
    members: memberIds
      .filter((m) => users.has(m))
      .sort()
      .map((m) => ({ value: m, display: users.get(m)?.email, $ref: `${baseUrl}/scim/v2/Users/${m}` })),
    meta: { resourceType: "Group", location: `${baseUrl}/scim/v2/Groups/${group.id}` },
  };
}

async function groupOrThrow(db: Trx, tenantId: string, id: string) {
  const [group] = await listScimGroups(db, tenantId, { field: "id", value: id });
  if (!group) throw scimError(404, null, `Group ${id} not found`);
  return group;
}

export async function listGroupsScim(
  ctx: ServiceContext,
  tenantId: string,
  query: { filter?: string; startIndex?: number; count?: number },
  baseUrl: string,
): Promise<ScimListResponse> {
  const filter = parseScimFilter(query.filter);
  let groups: { id: string; name: string }[];
  if (!filter) groups = await listScimGroups(ctx.store.db, tenantId);
  else if (filter.attribute === "displayname")
    groups = await listScimGroups(ctx.store.db, tenantId, { field: "name", value: filter.value });
  else if (filter.attribute === "id" || filter.attribute === "externalid")
    groups = await listScimGroups(ctx.store.db, tenantId, { field: "id", value: filter.value });
  else throw scimError(400, "invalidFilter", `cannot filter Groups by ${filter.attribute}`);
  const resources: ScimResource[] = [];
  for (const g of groups) resources.push(await presentGroup(ctx.store.db, tenantId, g, baseUrl));
  return page(resources, query.startIndex, query.count);
}

export async function getGroupScim(ctx: ServiceContext, tenantId: string, id: string, baseUrl: string) {
  return presentGroup(ctx.store.db, tenantId, await groupOrThrow(ctx.store.db, tenantId, id), baseUrl);
}

function memberIdsOf(value: unknown): string[] {
  const list: unknown[] = Array.isArray(value)
    ? (value as unknown[])
    : value === undefined || value === null
      ? []
      : [value];
  return list
    .map((m) => (m && typeof m === "object" ? (m as Record<string, unknown>).value : m))
    .filter((v): v is string => typeof v === "string");
}

/** Moves a group's current members to `wanted`: ended memberships keep their dated history. */
async function setMembers(
  ctx: ServiceContext,
  trx: Trx,
  tenantId: string,
  groupId: string,
  wanted: ReadonlySet<string>,
  at: Date,
): Promise<void> {
  const current = new Set(await currentGroupMembers(trx, tenantId, groupId));
  const active = new Map((await listScimUsers(trx, tenantId)).filter((u) => u.active).map((u) => [u.id, u]));
  for (const userId of wanted) {
    if (current.has(userId)) continue;
    const user = active.get(userId);
    if (!user) throw scimError(400, "invalidValue", `member ${userId} is not an active user of this tenant`);
    await openMembership(trx, tenantId, groupId, userId, at);
    await appendAudit(trx, ctx.store.engine, tenantId, at, {
      actor,
      action: "group.member_added",
      subject: groupId,
      details: { user: user.email },
    });
  }
  for (const userId of current) {
    if (wanted.has(userId)) continue;
    await closeMembership(trx, tenantId, groupId, userId, at);
    await appendAudit(trx, ctx.store.engine, tenantId, at, {
      actor,
      action: "group.member_removed",
      subject: groupId,
      details: { user: active.get(userId)?.email ?? userId },
    });
  }
}

async function renameGroup(
  ctx: ServiceContext,
  trx: Trx,
  tenantId: string,
  id: string,
  name: string,
  at: Date,
) {
  const outcome = await upsertGroup(trx, tenantId, id, name);
  if (outcome !== "unchanged")
    await appendAudit(trx, ctx.store.engine, tenantId, at, {
      actor,
      action: `group.${outcome}`,
      subject: id,
      details: { name },
    });
}

export async function createGroupScim(
  ctx: ServiceContext,
  tenantId: string,
  body: Record<string, unknown>,
  baseUrl: string,
) {
  const name = typeof body.displayName === "string" ? body.displayName.trim() : "";
  if (!name) throw scimError(400, "invalidValue", "displayName is required");
  // The identity provider's object id, when sent, becomes the group id: it is what a Global
  // Administrator enters as an opted-out group.
  const id =
    typeof body.externalId === "string" && body.externalId.trim() ? body.externalId.trim() : randomUUID();
  const at = ctx.now();
  await ctx.store.transaction(async (trx) => {
    if ((await listScimGroups(trx, tenantId, { field: "id", value: id })).length > 0)
      throw scimError(409, "uniqueness", `Group ${id} already exists`);
    await renameGroup(ctx, trx, tenantId, id, name, at);
    await setMembers(ctx, trx, tenantId, id, new Set(memberIdsOf(body.members)), at);
  });
  return getGroupScim(ctx, tenantId, id, baseUrl);
}

export async function replaceGroupScim(
  ctx: ServiceContext,
  tenantId: string,
  id: string,
  body: Record<string, unknown>,
  baseUrl: string,
) {
  const at = ctx.now();
  await ctx.store.transaction(async (trx) => {
    const group = await groupOrThrow(trx, tenantId, id);
    const name =
      typeof body.displayName === "string" && body.displayName.trim() ? body.displayName.trim() : group.name;
    await renameGroup(ctx, trx, tenantId, id, name, at);
    await setMembers(ctx, trx, tenantId, id, new Set(memberIdsOf(body.members)), at);
  });
  return getGroupScim(ctx, tenantId, id, baseUrl);
}

export async function patchGroupScim(
  ctx: ServiceContext,
  tenantId: string,
  id: string,
  body: Record<string, unknown>,
  baseUrl: string,
) {
  const operations = readPatch(body);
  const at = ctx.now();
  await ctx.store.transaction(async (trx) => {
    const group = await groupOrThrow(trx, tenantId, id);
    let name = group.name;
    const members = new Set(await currentGroupMembers(trx, tenantId, id));
    for (const op of operations) {
      const path = op.path?.trim() ?? null;
      const filtered = path ? /^members\[\s*value\s+eq\s+"([^"]+)"\s*\]$/i.exec(path) : null;
      if (filtered?.[1]) {
        if (op.op !== "remove") throw scimError(400, "invalidPath", `only remove may target ${path}`);
        members.delete(filtered[1]);
      } else if (path?.toLowerCase() === "members") {
        const ids = memberIdsOf(op.value);
        if (op.op === "add") ids.forEach((m) => members.add(m));
        else if (op.op === "remove") (ids.length ? ids : [...members]).forEach((m) => members.delete(m));
        else {
          members.clear();
          ids.forEach((m) => members.add(m));
        }
      } else if (path?.toLowerCase() === "displayname") {
        if (typeof op.value === "string" && op.value.trim()) name = op.value.trim();
      } else if (path === null && op.value && typeof op.value === "object") {
        const v = op.value as Record<string, unknown>;
        if (typeof v.displayName === "string" && v.displayName.trim()) name = v.displayName.trim();
        if (v.members !== undefined) {
          const ids = memberIdsOf(v.members);
          if (op.op === "replace") members.clear();
          ids.forEach((m) => (op.op === "remove" ? members.delete(m) : members.add(m)));
        }
      } else if (path !== null && path.toLowerCase() !== "externalid") {
        throw scimError(400, "invalidPath", `unsupported path: ${path}`);
      }
    }
    await renameGroup(ctx, trx, tenantId, id, name, at);
    await setMembers(ctx, trx, tenantId, id, members, at);
  });
  return getGroupScim(ctx, tenantId, id, baseUrl);
}

export async function deleteGroupScim(ctx: ServiceContext, tenantId: string, id: string): Promise<void> {
  const at = ctx.now();
  await ctx.store.transaction(async (trx) => {
    await groupOrThrow(trx, tenantId, id);
    await setMembers(ctx, trx, tenantId, id, new Set(), at);
    await markGroupDeleted(trx, tenantId, id, at);
    await appendAudit(trx, ctx.store.engine, tenantId, at, {
      actor,
      action: "group.deleted",
      subject: id,
      details: {},
    });
  });
}
