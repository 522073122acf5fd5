import {
  figureNames,
  isFigureName,
  type Figure,
  type FigureName,
  type PrivacyLedger,
} from "../insights/engagement";
import type { EngagementReleaseTable } from "./tables/engagement.table";
import { personsUnderDomain } from "./insight.repository";
import type { Engine, Trx } from "./store";
import { withTenant } from "./tenant-scope";

/**
 * Account engagement releases and the tenant's ε ledger (migration 0009): rows become domain
 * values here and nowhere else.
 */

export interface StoredRelease {
  accountId: string;
  /** Canonical period key (`periodKey`). */
  period: string;
  generation: number;
  releasedAt: Date;
  /** Null: kept for good. */
  expiresAt: Date | null;
  epsilonMicro: number;
  figures: Record<FigureName, Figure>;
  engagementScore: Figure;
  published: FigureName[];
  mass: number | null;
}

function rowToRelease(row: EngagementReleaseTable): StoredRelease {
  const stored = JSON.parse(row.figures) as { figures: Record<FigureName, Figure>; engagementScore: Figure };
  const figures = {} as Record<FigureName, Figure>;
  for (const name of figureNames) figures[name] = stored.figures[name];
  return {
    accountId: row.account_id,
    period: row.period,
    generation: Number(row.generation),
    releasedAt: new Date(Number(row.released_at)),
    expiresAt: row.expires_at === null ? null : new Date(Number(row.expires_at)),
    epsilonMicro: Number(row.epsilon_micro),
    figures,
    engagementScore: stored.engagementScore,
    published: (JSON.parse(row.published) as string[]).filter(isFigureName),
    mass: row.mass === null ? null : Number(row.mass),
  };
}

export async function readRelease(
  db: Trx,
  tenantId: string,
  accountId: string,
  period: string,
): Promise<StoredRelease | null> {
  return withTenant(tenantId, async () => {
    const row = await db
      .selectFrom("engagement_release")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("account_id", "=", accountId)
      .where("period", "=", period)
      .executeTakeFirst();
    return row ? rowToRelease(row) : null;
  });
}

/** Noisy masses of the other accounts released for `period` (their latest releases). */
export async function listPeerMasses(
  db: Trx,
  tenantId: string,
  period: string,
  exceptAccountId: string,
): Promise<number[]> {
  return withTenant(tenantId, async () => {
    const rows = await db
      .selectFrom("engagement_release")
      .select("mass")
      .where("tenant_id", "=", tenantId)
      .where("period", "=", period)
      .where("account_id", "!=", exceptAccountId)
      .where("mass", "is not", null)
      .execute();
    return rows.map((r) => Number(r.mass));
  });
}

/** Stores a release (replacing the cell's previous one) and spends its ε: call in one transaction. */
export async function recordRelease(
  trx: Trx,
  tenantId: string,
  release: StoredRelease,
  ledger: PrivacyLedger,
): Promise<PrivacyLedger> {
  return withTenant(tenantId, async () => {
    const row = {
      generation: release.generation,
      released_at: release.releasedAt.getTime(),
      expires_at: release.expiresAt?.getTime() ?? null,
      epsilon_micro: release.epsilonMicro,
      figures: JSON.stringify({ figures: release.figures, engagementScore: release.engagementScore }),
      published: JSON.stringify(release.published),
      mass: release.mass,
    };
    await trx
      .insertInto("engagement_release")
      .values({ tenant_id: tenantId, account_id: release.accountId, period: release.period, ...row })
      .onConflict((oc) => oc.columns(["tenant_id", "account_id", "period"]).doUpdateSet(row))
      .execute();
    const next: PrivacyLedger = {
      ...ledger,
      spentMicro: ledger.spentMicro + release.epsilonMicro,
      releases: ledger.releases + 1,
    };
    await trx
      .updateTable("engagement_privacy")
      .set({
        spent_micro: next.spentMicro,
        releases: next.releases,
        updated_at: release.releasedAt.getTime(),
      })
      .where("tenant_id", "=", tenantId)
      .execute();
    return next;
  });
}

function rowToLedger(row: {
  budget_micro: number;
  release_epsilon_micro: number;
  spent_micro: number;
  releases: number;
}): PrivacyLedger {
  return {
    budgetMicro: Number(row.budget_micro),
    releaseEpsilonMicro: Number(row.release_epsilon_micro),
    spentMicro: Number(row.spent_micro),
    releases: Number(row.releases),
  };
}

/** The tenant's ledger, or `defaults` when no release has been made yet. */
export async function readPrivacyLedger(
  db: Trx,
  tenantId: string,
  defaults: PrivacyLedger,
): Promise<PrivacyLedger> {
  return withTenant(tenantId, async () => {
    const row = await db
      .selectFrom("engagement_privacy")
      .select(["budget_micro", "release_epsilon_micro", "spent_micro", "releases"])
      .where("tenant_id", "=", tenantId)
      .executeTakeFirst();
    return row ? rowToLedger(row) : defaults;
  });
}

/**
 * The tenant's ledger, created from `defaults` when missing, and locked for the rest of the
 * transaction: releases of one tenant are made one at a time (PostgreSQL row lock; SQLite
 * transactions already hold the write lock), so a release re-read after this sees any release a
 * concurrent request has just committed.
 */
export async function lockPrivacyLedger(
  trx: Trx,
  engine: Engine,
  tenantId: string,
  defaults: PrivacyLedger,
  now: Date,
): Promise<PrivacyLedger> {
  return withTenant(tenantId, async () => {
    await trx
      .insertInto("engagement_privacy")
      .values({
        tenant_id: tenantId,
        budget_micro: defaults.budgetMicro,
        release_epsilon_micro: defaults.releaseEpsilonMicro,
        spent_micro: defaults.spentMicro,
        releases: defaults.releases,
        updated_at: now.getTime(),
      })
      .onConflict((oc) => oc.column("tenant_id").doNothing())
      .execute();
    let query = trx
      .selectFrom("engagement_privacy")
      .select(["budget_micro", "release_epsilon_micro", "spent_micro", "releases"])
      .where("tenant_id", "=", tenantId);
    if (engine === "postgres") query = query.forUpdate();
    return rowToLedger(await query.executeTakeFirstOrThrow());
  });
}

/**
 * Drops every release of a tenant (all its collected data was deleted). The ledger stays: what
 * was spent stays spent.
 */
export async function deleteEngagementReleases(trx: Trx, tenantId: string): Promise<number> {
  return withTenant(tenantId, async () => {
    const r = await trx.deleteFrom("engagement_release").where("tenant_id", "=", tenantId).executeTakeFirst();
    return Number(r.numDeletedRows);
  });
}

/**
 * Whether anyone at `domain` or a host under it is among the tenant's external people: the
 * people of `personsUnderDomain` (insight.repository.ts; sealed addresses opened, see its cost).
 */
export async function hasPeopleAt(db: Trx, tenantId: string, domain: string): Promise<boolean> {
  return withTenant(tenantId, async () => (await personsUnderDomain(db, tenantId, domain)).length > 0);
}
