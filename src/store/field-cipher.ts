import { createHash } from "node:crypto";

/**
 * STUB (replaced by the keys branch): the cipher of a tenant's collected data. See
 * /work/notes/lean-contract.md. The readable cipher keeps text readable (tag byte 0) and keys
 * addresses by an unkeyed hash.
 */
export interface TenantCipher {
  /** 8-byte keyed hash of a lower-cased address, for equality lookups. */
  addressKey(address: string): Buffer;
  /** 8-byte keyed hash of a lower-cased domain. */
  domainKey(domain: string): Buffer;
  /** Sealed bytes of a text field ("address" | "name" | "subject"). */
  seal(field: string, text: string): Buffer;
  /** The text, or null when it cannot be opened (its key was destroyed: a withdrawn tenant). */
  open(field: string, sealed: Buffer): string | null;
}

function hash8(kind: string, tenantId: string, text: string): Buffer {
  return createHash("sha256")
    .update(`kith-${kind}\0${tenantId}\0${text.toLowerCase()}`)
    .digest()
    .subarray(0, 8);
}

export const readableCipher = (tenantId: string): TenantCipher => ({
  addressKey: (address) => hash8("address", tenantId, address),
  domainKey: (domain) => hash8("domain", tenantId, domain),
  seal: (_field, text) => Buffer.concat([Buffer.from([0]), Buffer.from(text, "utf8")]),
  open: (_field, sealed) => (sealed[0] === 0 ? sealed.subarray(1).toString("utf8") : null),
});

let source: (tenantId: string) => TenantCipher = readableCipher;

export function cipherFor(tenantId: string): TenantCipher {
  return source(tenantId);
}

export function setCipherSource(next: (tenantId: string) => TenantCipher): void {
  source = next;
}
