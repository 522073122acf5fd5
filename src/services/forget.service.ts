import { randomUUID } from "node:crypto";
import { validationError } from "../domain/errors";
import { addressHash, newForgetKey } from "../domain/forget";
import { checkAddress } from "../ingest/address";
import { appendAudit } from "../store/audit.repository";
import { findTenant } from "../store/directory.repository";
import {
  forgetAddressCrm,
  forgetAddressInteractions,
  insertForgetReceipt,
  listForgetReceipts,
  listForgottenHashes,
  readForgetKey,
  readOrCreateForgetKey,
  type ForgetReceipt,
} from "../store/forget.repository";
import type { Trx } from "../store/store";
import type { ServiceContext } from "./context";
import { changeScope } from "./scope-change";

/**
 * Deletion requests by external people (a customer asks to be forgotten; issue 18). One request
 * removes the address from every table of the tenant in one transaction, writes a receipt that
 * names the address only by its keyed hash, and appends to the audit chain. The hash also stays
 * on the collection gate's suppression list (ingest/collect.ts), so the person's mail imported
 * again later stays out: Kith keeps them forgotten until the tenant is deleted.
 */

export interface ForgetOutcome {
  receipt: ForgetReceipt;
  /** The address had been forgotten before (this request found what came in since, if anything). */
  alreadyForgotten: boolean;
}

/** The address as the gate would see it, or a validation error naming what is wrong. */
function normalisedExternal(raw: string, domains: readonly string[]): string {
  const checked = checkAddress(raw);
  if ("reason" in checked) throw validationError(`address ${JSON.stringify(raw)} ${checked.reason}`);
  const address = checked.address;
  const domain = address.slice(address.lastIndexOf("@") + 1);
  if (domains.some((d) => domain === d || domain.endsWith(`.${d}`)))
    throw validationError(
      `${address} is an address of the tenant's own domain: a colleague's data goes with their data-sharing opt-out or their removal from the directory`,
    );
  return address;
}

/**
 * Forgets `rawAddress` (an external person) in `tenantId`, as `byEmail` (an administrator, or
 * "operator" from the CLI). A scope change: running imports roll back and run again without the
 * person (store/scope-lock.ts).
 */
export async function forgetPerson(
  ctx: ServiceContext,
  tenantId: string,
  rawAddress: string,
  byEmail: string,
  reason = "deletion request by the person",
): Promise<ForgetOutcome> {
  const tenant = await findTenant(ctx.store.db, tenantId);
  if (!tenant) throw validationError(`unknown tenant ${tenantId}`);
  const address = normalisedExternal(rawAddress, tenant.domains);
  const at = ctx.now();
  return changeScope(ctx, tenantId, async (trx) => {
    const started = performance.now();
    const key = await readOrCreateForgetKey(trx, tenantId, newForgetKey, at);
    const hash = addressHash(key, address);
    const before = await listForgetReceipts(trx, tenantId, { addressHash: hash });
    const counts = {
      ...(await forgetAddressInteractions(trx, tenantId, address)),
      ...(await forgetAddressCrm(trx, tenantId, address)),
    };
    const receipt: ForgetReceipt = {
      id: randomUUID(),
      addressHash: hash,
      requestedBy: byEmail,
      reason,
      at,
      counts,
      durationMs: performance.now() - started,
    };
    await insertForgetReceipt(trx, tenantId, receipt);
    // The chain records the request by its receipt, never the address.
    await appendAudit(trx, ctx.store.engine, tenantId, at, {
      actor: byEmail,
      action: "privacy.person_forgotten",
      subject: `forget-request:${receipt.id}`,
      details: { receipt: receipt.id, addressHash: hash, reason, counts },
    });
    return { receipt, alreadyForgotten: before.length > 0 };
  });
}

/** Every deletion request of the tenant, newest first. */
export async function listForgetRequests(ctx: ServiceContext, tenantId: string): Promise<ForgetReceipt[]> {
  return listForgetReceipts(ctx.store.db, tenantId);
}

/** One receipt by id, or null. */
export async function findForgetRequest(
  ctx: ServiceContext,
  tenantId: string,
  id: string,
): Promise<ForgetReceipt | null> {
  return (await listForgetReceipts(ctx.store.db, tenantId, { id }))[0] ?? null;
}

/**
 * The receipts of one address (an administrator checking that a person was forgotten): the
 * address is hashed under the tenant's key and compared; nothing stored is ever un-hashed.
 */
export async function forgetRequestsFor(
  ctx: ServiceContext,
  tenantId: string,
  rawAddress: string,
): Promise<ForgetReceipt[]> {
  const checked = checkAddress(rawAddress);
  if ("reason" in checked) throw validationError(`address ${JSON.stringify(rawAddress)} ${checked.reason}`);
  const key = await readForgetKey(ctx.store.db, tenantId);
  if (key === null) return [];
  return listForgetReceipts(ctx.store.db, tenantId, { addressHash: addressHash(key, checked.address) });
}

/** Whether a (normalised) address was forgotten in the tenant, for imports outside the mail gate. */
export async function forgottenMatcher(db: Trx, tenantId: string): Promise<(address: string) => boolean> {
  const key = await readForgetKey(db, tenantId);
  if (key === null) return () => false;
  const hashes = new Set(await listForgottenHashes(db, tenantId));
  return (address) => hashes.has(addressHash(key, address));
}
