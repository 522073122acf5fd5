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

/** Which entries: an action prefix, one actor (exact address), and `from` (inclusive) … `to` (exclusive). */
export interface AuditFilter {
  action?: string;
  actor?: string;
  from?: Date;
  to?: Date;
}

const filterOptions = (f: AuditFilter) => ({
  ...(f.action ? { action: f.action } : {}),
  ...(f.actor ? { actor: f.actor.trim() } : {}),
  ...(f.from ? { from: f.from } : {}),
  ...(f.to ? { to: f.to } : {}),
});

export function listAuditEntries(
  ctx: ServiceContext,
  tenantId: string,
  options: { limit?: number; beforeSeq?: number } & AuditFilter = {},
): Promise<AuditEntry[]> {
  return listAudit(ctx.store.db, tenantId, {
    limit: Math.min(options.limit ?? 50, 1000),
    ...(options.beforeSeq !== undefined ? { beforeSeq: options.beforeSeq } : {}),
    ...filterOptions(options),
  });
}

/** At most this many entries in one CSV export (newest first); the filter narrows a larger log. */
export const auditExportLimit = 50_000;

/**
 * An audit entry's details in words: `key: value` pairs joined by "; ", nested objects as
 * `parent.key`, lists joined by ", " — what the web screen shows and the CSV export writes.
 */
export function describeAuditDetails(details: Readonly<Record<string, unknown>>): string {
  const parts: string[] = [];
  const visit = (prefix: string, value: unknown) => {
    if (value === null || value === undefined) parts.push(`${prefix}: —`);
    else if (Array.isArray(value))
      parts.push(
        `${prefix}: ${value.map((v) => (typeof v === "object" ? JSON.stringify(v) : String(v))).join(", ") || "none"}`,
      );
    else if (typeof value === "object") {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length === 0) parts.push(`${prefix}: none`);
      for (const [k, v] of entries) visit(prefix ? `${prefix}.${k}` : k, v);
    } else parts.push(`${prefix}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
  };
  for (const [k, v] of Object.entries(details)) visit(k, v);
  return parts.join("; ");
}

const csvCell = (value: string): string => {
  // A cell a spreadsheet would run as a formula is written as text.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

/** The filtered audit log as CSV (RFC 4180, newest first), with readable details and each hash. */
export async function exportAuditCsv(
  ctx: ServiceContext,
  tenantId: string,
  filter: AuditFilter,
): Promise<string> {
  const lines = ["seq,at,actor,action,subject,details,hash"];
  let beforeSeq: number | undefined;
  let total = 0;
  for (;;) {
    const page = await listAudit(ctx.store.db, tenantId, {
      limit: 1000,
      ...(beforeSeq !== undefined ? { beforeSeq } : {}),
      ...filterOptions(filter),
    });
    for (const e of page) {
      if (total++ >= auditExportLimit) break;
      lines.push(
        [
          String(e.seq),
          e.at.toISOString(),
          e.actor,
          e.action,
          e.subject,
          describeAuditDetails(e.details),
          e.hash,
        ]
          .map(csvCell)
          .join(","),
      );
    }
    if (page.length < 1000 || total >= auditExportLimit) break;
    beforeSeq = page.at(-1)?.seq;
  }
  return `${lines.join("\r\n")}\r\n`;
}

/** The sequence number of the tenant's newest audit entry (null when it has none): read caches key on it. */
export function auditHeadSequence(ctx: ServiceContext, tenantId: string): Promise<number | null> {
  return auditHeadSeq(ctx.store.db, tenantId);
}
