/**
 * The one way an insight service learns who may see what: the viewer is resolved from the
 * directory, and every user an insight would draw on or name passes `decideAccess` first.
 * Refusals become KithErrors (consent_required, insufficient_privileges, insights_disabled), never
 * an empty list.
 */
import type { ConsentState, InsightKind, PrivacySettings } from "../domain/consent";
import { defaultPrivacy } from "../domain/consent";
import { decideAccess, type AccessLevel, type Viewer } from "../domain/consent-policy";
import { domainOf, isInternalDomain, normaliseAddress } from "../domain/directory";
import { KithError, notFound, validationError } from "../domain/errors";
import { readAllPrivacy, readConsentState } from "../store/consent.repository";
import { findTenant, findUserByAddress } from "../store/directory.repository";
import { currentRoles } from "../store/insight.repository";
import type { Trx } from "../store/store";
import type { ServiceContext } from "./context";

export interface ResolvedViewer {
  viewer: Viewer;
  /** null for the operator (CLI without --viewer). */
  email: string | null;
  name: string | null;
}

/**
 * Everything an insight read needs about the tenant's consent, loaded once (a `--targets-file`
 * run asks thousands of questions with one scope).
 */
export class AccessScope {
  private constructor(
    readonly tenantId: string,
    readonly domains: readonly string[],
    readonly consent: ConsentState,
    private readonly privacy: ReadonlyMap<string, PrivacySettings>,
    readonly now: Date,
  ) {}

  static async load(db: Trx, tenantId: string, now: Date): Promise<AccessScope> {
    const tenant = await findTenant(db, tenantId);
    if (!tenant) throw notFound("tenant", tenantId);
    return new AccessScope(
      tenantId,
      tenant.domains,
      await readConsentState(db, tenantId),
      await readAllPrivacy(db, tenantId),
      now,
    );
  }

  isInternal = (address: string): boolean => isInternalDomain(domainOf(address), this.domains);

  privacyOf(userId: string): PrivacySettings {
    return this.privacy.get(userId) ?? defaultPrivacy;
  }

  /**
   * The viewer named by `email`, or the operator when `email` is null: the CLI operator holds the
   * store already, so role grants are not asked of them, but consent, enablement and every user's
   * opt-out still apply. The operator is never offered personal insights.
   */
  async resolveViewer(db: Trx, email: string | null, kind: InsightKind): Promise<ResolvedViewer> {
    if (email === null) {
      if (kind === "my_network")
        throw new KithError("insufficient_privileges", "My network is visible to its own user only");
      const roles =
        kind === "who_knows_whom" || kind === "relationship_analytics" ? this.consent.insightRoles[kind] : [];
      return {
        viewer: { userId: "", tenantId: this.tenantId, roles: [...roles], isGuest: false },
        email: null,
        name: null,
      };
    }
    const address = normaliseAddress(email);
    if (!address) throw validationError(`not an email address: ${email}`);
    const user = await findUserByAddress(db, this.tenantId, address);
    if (!user) throw notFound("user", address);
    return {
      viewer: {
        userId: user.id,
        tenantId: this.tenantId,
        roles: await currentRoles(db, this.tenantId, user.id),
        isGuest: user.isGuest,
      },
      email: user.email,
      name: user.displayName,
    };
  }

  /**
   * Which of `userIds` the viewer may see `kind` about (in the given order); throws on refusal.
   * For who-knows-whom this also drops users hidden as introducers and the viewer themself.
   */
  allowedUsers(
    viewer: Viewer,
    kind: InsightKind,
    userIds: readonly string[],
  ): {
    level: AccessLevel;
    allowed: Set<string>;
  } {
    const subjects = [...new Set(userIds)].map((userId) => ({ userId, privacy: this.privacyOf(userId) }));
    const decision = decideAccess(viewer, kind, subjects, this.consent, this.now);
    if (!decision.allowed) throw new KithError(decision.code, decision.reason, { insight: kind });
    return { level: decision.level, allowed: new Set(decision.subjects.map((s) => s.userId)) };
  }

  /** Throws unless the viewer may see `kind` at all (checked before any data is read). */
  requireAccess(viewer: Viewer, kind: InsightKind): AccessLevel {
    return this.allowedUsers(viewer, kind, kind === "my_network" ? [viewer.userId] : []).level;
  }
}

/** Settings that shape every insight are the System Administrator's (SPEC §4). */
export async function requireSystemAdministrator(ctx: ServiceContext, tenantId: string, email: string) {
  const scope = await AccessScope.load(ctx.store.db, tenantId, ctx.now());
  const { viewer } = await scope.resolveViewer(ctx.store.db, email, "who_knows_whom");
  if (!viewer.roles.includes("System Administrator"))
    throw new KithError("insufficient_privileges", "only a System Administrator may change insight settings");
}
