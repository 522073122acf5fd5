import { randomUUID } from "node:crypto";
import { insertReceipt, type DeletionReceipt } from "../store/consent.repository";
import type { Trx } from "../store/store";

/**
 * Deletes personal data. Each feature that stores data derived from a user's mail registers its
 * purge here, so an opt-out or a withdrawal reaches every table. Each returns [kind, rows removed].
 */
export type UserPurge = (trx: Trx, tenantId: string, userId: string) => Promise<[string, number]>;
export type TenantPurge = (trx: Trx, tenantId: string) => Promise<[string, number]>;

const userPurges: UserPurge[] = [];
const tenantPurges: TenantPurge[] = [];

export function registerPurges(user: UserPurge, tenant: TenantPurge): void {
  userPurges.push(user);
  tenantPurges.push(tenant);
}

/** Removes everything collected from one user and writes the receipt they can read. */
export async function purgeUserData(
  trx: Trx,
  tenantId: string,
  userId: string,
  at: Date,
  reason: string,
): Promise<DeletionReceipt> {
  const counts: Record<string, number> = {};
  for (const purge of userPurges) {
    const [kind, n] = await purge(trx, tenantId, userId);
    counts[kind] = (counts[kind] ?? 0) + n;
  }
  const receipt: DeletionReceipt = { id: randomUUID(), userId, scope: "user", reason, at, counts };
  await insertReceipt(trx, tenantId, receipt);
  return receipt;
}

/** Removes everything collected for a tenant (consent withdrawn) and records a tenant receipt. */
export async function purgeTenantData(
  trx: Trx,
  tenantId: string,
  at: Date,
  reason: string,
): Promise<DeletionReceipt> {
  const counts: Record<string, number> = {};
  for (const purge of tenantPurges) {
    const [kind, n] = await purge(trx, tenantId);
    counts[kind] = (counts[kind] ?? 0) + n;
  }
  const receipt: DeletionReceipt = { id: randomUUID(), userId: null, scope: "tenant", reason, at, counts };
  await insertReceipt(trx, tenantId, receipt);
  return receipt;
}
