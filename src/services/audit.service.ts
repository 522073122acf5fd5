import { AuditChainVerifier, type AuditEntry, type AuditProblem } from "../domain/audit";
import { iterateAudit, listAudit, readAuditHead } from "../store/audit.repository";
import { auditHeadSeq } from "../store/insight.repository";
import type { ServiceContext } from "./context";

export interface AuditVerification {
  ok: boolean;
  checked: number;
  headHash: string;
  problems: AuditProblem[];
}

/** Walks the whole chain: an edited, removed or truncated entry makes it fail and says where. */
export async function verifyAuditChain(ctx: ServiceContext, tenantId: string): Promise<AuditVerification> {
  const verifier = new AuditChainVerifier();
  for await (const entry of iterateAudit(ctx.store.db, tenantId)) verifier.add(entry);
  return verifier.finish(await readAuditHead(ctx.store.db, tenantId));
}

export function listAuditEntries(
  ctx: ServiceContext,
  tenantId: string,
  options: { limit?: number; beforeSeq?: number; action?: string } = {},
): Promise<AuditEntry[]> {
  return listAudit(ctx.store.db, tenantId, {
    limit: Math.min(options.limit ?? 50, 1000),
    ...(options.beforeSeq !== undefined ? { beforeSeq: options.beforeSeq } : {}),
    ...(options.action ? { action: options.action } : {}),
  });
}

/** The sequence number of the tenant's newest audit entry (null when it has none): read caches key on it. */
export function auditHeadSequence(ctx: ServiceContext, tenantId: string): Promise<number | null> {
  return auditHeadSeq(ctx.store.db, tenantId);
}
