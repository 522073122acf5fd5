import { createHash } from "node:crypto";

/** One entry of a tenant's append-only, hash-chained audit log (SPEC §3 "Purpose and audit"). */
export interface AuditEntry {
  tenantId: string;
  seq: number;
  at: Date;
  actor: string;
  action: string;
  subject: string;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export type AuditDraft = Pick<AuditEntry, "actor" | "action" | "subject" | "details">;

/** The hash of the chain before its first entry. */
export const genesisHash = "0".repeat(64);

/** JSON with object keys sorted at every level, so the same facts always hash the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

/** sha256 over every field of the entry and the previous entry's hash. */
export function hashAuditEntry(entry: Omit<AuditEntry, "hash">): string {
  return createHash("sha256")
    .update(
      canonicalJson([
        entry.tenantId,
        entry.seq,
        entry.at.getTime(),
        entry.actor,
        entry.action,
        entry.subject,
        entry.details,
        entry.prevHash,
      ]),
    )
    .digest("hex");
}

export interface AuditProblem {
  seq: number;
  problem: "hash_mismatch" | "broken_link" | "missing_entry" | "head_mismatch";
  message: string;
}

/**
 * Checks a chain given in seq order against the tenant's recorded head. Detects an edited entry
 * (its hash no longer matches), a removed entry (a gap in seq or a broken prev-hash link) and
 * removed newest entries (the head no longer matches the last entry).
 */
export class AuditChainVerifier {
  private expectedSeq = 1;
  private prevHash = genesisHash;
  readonly problems: AuditProblem[] = [];
  checked = 0;

  add(entry: AuditEntry): void {
    this.checked++;
    if (entry.seq !== this.expectedSeq) {
      this.problems.push({
        seq: this.expectedSeq,
        problem: "missing_entry",
        message: `entries ${this.expectedSeq}–${entry.seq - 1} are missing`,
      });
    }
    if (entry.prevHash !== this.prevHash) {
      this.problems.push({
        seq: entry.seq,
        problem: "broken_link",
        message: `entry ${entry.seq} does not link to its predecessor`,
      });
    }
    const { hash: stored, ...rest } = entry;
    if (hashAuditEntry(rest) !== stored) {
      this.problems.push({
        seq: entry.seq,
        problem: "hash_mismatch",
        message: `entry ${entry.seq} was changed after it was written`,
      });
    }
    this.expectedSeq = entry.seq + 1;
    this.prevHash = stored;
  }

  finish(head: { seq: number; hash: string }): {
    ok: boolean;
    checked: number;
    headHash: string;
    problems: AuditProblem[];
  } {
    const lastSeq = this.expectedSeq - 1;
    if (head.seq !== lastSeq || (head.seq > 0 && head.hash !== this.prevHash)) {
      this.problems.push({
        seq: head.seq,
        problem: "head_mismatch",
        message: `the chain ends at entry ${lastSeq} but the tenant's head records entry ${head.seq}`,
      });
    }
    return {
      ok: this.problems.length === 0,
      checked: this.checked,
      headHash: head.hash,
      problems: this.problems,
    };
  }
}
