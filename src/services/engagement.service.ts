/**
 * Account engagement (SPEC §4.5): the dataset is always built from every consented colleague's
 * interactions (never a caller-chosen subset), then queried through the pure k-anonymous,
 * optionally noised, engagement module. The ε ledger lives in the tenant options
 * (`engagementPrivacy`), updated in the same transaction as the query that spends from it.
 */
import { createHash } from "node:crypto";
import { validationError } from "../domain/errors";
import { organisationDomain } from "../domain/identity";
import {
  buildEngagementDataset,
  createEpsilonLedger,
  queryAccountEngagement,
  type AccountEngagement,
  type EngagementActivity,
  type EngagementPeriod,
  type EpsilonLedger,
} from "../insights/engagement";
import { readOptions } from "../store/consent.repository";
import { accountDomainMap, findAccount } from "../store/insight.repository";
import { iterateInteractions } from "../store/interaction.repository";
import type { ServiceContext } from "./context";
import { AccessScope } from "./insight-access";
import { updateTenantOptions } from "./tenant-options";

export const engagementPrivacyKey = "engagementPrivacy";
const defaultBudget = 10;

/** `week:2001-05-2`, `month:2001-05`, `year:2001`. */
export function parsePeriod(text: string): EngagementPeriod {
  const m = /^(week|month|year):(\d{4})(?:-(\d{1,2}))?(?:-(\d))?$/.exec(text.trim());
  if (!m) throw validationError(`period "${text}": use year:YYYY, month:YYYY-MM or week:YYYY-MM-W (W 1–4)`);
  const [, unit, y, mo, w] = m;
  const year = Number(y);
  if (unit === "year") return { unit: "year", year };
  if (!mo) throw validationError(`period "${text}" needs a month`);
  if (unit === "month") return { unit: "month", year, month: Number(mo) };
  if (!w) throw validationError(`period "${text}" needs a week 1–4`);
  return { unit: "week", year, month: Number(mo), week: Number(w) as 1 | 2 | 3 | 4 };
}

export interface EngagementAnswer {
  account: { id: string; name: string };
  engagement: AccountEngagement;
  epsilon: { budget: number; spent: number } | null;
}

/**
 * Engagement of one account in one closed period. Accounts are CRM accounts (by id or domain);
 * a domain no account lists stands for its own organisation (personal providers never do).
 */
export async function accountEngagement(
  ctx: ServiceContext,
  tenantId: string,
  accountKey: string,
  period: EngagementPeriod,
  viewerEmail: string | null,
  options: { noiseEpsilon?: number; seed?: number } = {},
): Promise<EngagementAnswer> {
  const db = ctx.store.db;
  const scope = await AccessScope.load(db, tenantId, ctx.now());
  const who = await scope.resolveViewer(db, viewerEmail, "account_engagement");
  scope.requireAccess(who.viewer, "account_engagement");
  const account = await findAccount(db, tenantId, accountKey);
  const domain = accountKey.toLowerCase();
  if (!account && !organisationDomain(`x@${domain}`))
    throw validationError(`${accountKey} is neither an account nor an organisation domain`);
  const accountId = account?.id ?? domain;
  const domains = await accountDomainMap(db, tenantId);
  const accountOf = (address: string): string | null => {
    const d = organisationDomain(address);
    if (d === null || scope.isInternal(address)) return null;
    return domains.get(d) ?? d;
  };
  // All consented colleagues' interactions: the population is never chosen by the caller.
  const raw: { a: Omit<EngagementActivity, "internalUserIds">; users: string[] }[] = [];
  const users = new Set<string>();
  for await (const i of iterateInteractions(db, tenantId)) {
    if (i.internalOnly) continue;
    const internal = i.parties.flatMap((p) => (p.userId ? [p.userId] : []));
    const byAccount = new Map<string, string[]>();
    for (const p of i.parties) {
      if (p.userId) continue;
      const acc = accountOf(p.address);
      if (acc) byAccount.set(acc, [...(byAccount.get(acc) ?? []), p.address]);
    }
    const sender = i.parties.find((p) => p.role === "from" || p.role === "organizer");
    for (const [acc, people] of byAccount) {
      for (const u of internal) users.add(u);
      raw.push({
        users: internal,
        a: {
          kind: i.kind,
          at: i.occurredAt,
          accountId: acc,
          externalPeople: people,
          initiatedBy: sender?.userId ? "ours" : "theirs",
          durationMin: i.endedAt === null ? null : (i.endedAt - i.occurredAt) / 60_000,
        },
      });
    }
  }
  const { allowed } = scope.allowedUsers(who.viewer, "account_engagement", [...users]);
  const dataset = buildEngagementDataset(
    raw.flatMap(({ a, users: ids }) => {
      const kept = ids.filter((u) => allowed.has(u));
      return kept.length ? [{ ...a, internalUserIds: kept }] : [];
    }),
  );
  const now = ctx.now().getTime();
  if (options.noiseEpsilon === undefined) {
    const result = queryAccountEngagement(dataset, accountId, period, now);
    if (!result.ok) throw validationError(`${result.reason}: ${result.detail}`);
    return {
      account: { id: accountId, name: account?.name ?? domain },
      engagement: result.engagement,
      epsilon: null,
    };
  }
  const epsilon = options.noiseEpsilon;
  return ctx.store.transaction(async (trx) => {
    const stored = (await readOptions(trx, tenantId))[engagementPrivacyKey] as EpsilonLedger | undefined;
    const ledger = stored && typeof stored.budget === "number" ? stored : createEpsilonLedger(defaultBudget);
    const seed =
      options.seed ??
      Number.parseInt(createHash("sha256").update(`${now}:${Math.random()}`).digest("hex").slice(0, 8), 16);
    const rng = seededUniform(seed);
    const result = queryAccountEngagement(dataset, accountId, period, now, {
      noise: { epsilon, rng, ledger },
    });
    if (!result.ok) throw validationError(`${result.reason}: ${result.detail}`);
    const next = result.ledger ?? ledger;
    await updateTenantOptions(trx, tenantId, {
      [engagementPrivacyKey]: { budget: next.budget, spent: next.spent, entries: next.entries.slice(-200) },
    });
    return {
      account: { id: accountId, name: account?.name ?? domain },
      engagement: result.engagement,
      epsilon: { budget: next.budget, spent: next.spent },
    };
  });
}

/** Uniform [0,1) from a seed via crypto-strength hashing of a counter (noise must not be guessable). */
function seededUniform(seed: number): () => number {
  let counter = 0;
  return () => {
    const h = createHash("sha256").update(`${seed}:${counter++}`).digest();
    return h.readUInt32BE(0) / 4_294_967_296;
  };
}
