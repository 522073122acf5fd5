import { randomUUID } from "node:crypto";
import { insertReceipt, type DeletionReceipt } from "../store/consent.repository";
import { deleteEngagementReleases } from "../store/engagement.repository";
import { purgeTenantInteractions, purgeUserInteractions } from "../store/interaction-purge.repository";
import type { Trx } from "../store/store";

/**
 * Deletes personal data and writes the receipt. Every table holding data derived from a user's
 * mail is purged from here, statically, so no feature can be forgotten by import order.
 */
export async function purgeUserData(
  trx: Trx,
  tenantId: string,
  userId: string,
  at: Date,
  reason: string,
): Promise<DeletionReceipt> {
  // Engagement releases stay: they are differentially private, and changing them on an opt-out
  // would show what the user contributed (engagement.service.ts).
  const counts = await purgeUserInteractions(trx, tenantId, userId);
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
  const counts = await purgeTenantInteractions(trx, tenantId);
  counts.engagementReleases = await deleteEngagementReleases(trx, tenantId);
  const receipt: DeletionReceipt = { id: randomUUID(), userId: null, scope: "tenant", reason, at, counts };
  await insertReceipt(trx, tenantId, receipt);
  return receipt;
}
