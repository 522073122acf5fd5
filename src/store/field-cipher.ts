import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createSecretKey,
  hkdfSync,
  randomFillSync,
  type KeyObject,
} from "node:crypto";
import { KithError } from "../domain/errors";

/**
 * The cipher of a tenant's collected data (README "Encryption of collected data"): addresses,
 * names and subjects are stored sealed, and the indexes that need equality (an address, a domain)
 * hold 8-byte keyed hashes. Under a tenant's data key (services/data-keys.ts) a sealed field is
 * AES-256-GCM and a hash is an HMAC, so destroying the key (a consent withdrawal) leaves neither
 * readable nor linkable. Without a key store the readable cipher keeps text as it is.
 *
 * Sealed layout: one format byte, then
 * - 0 (readable): the UTF-8 text;
 * - 1 (keyed): a 12-byte random nonce, the AES-256-GCM ciphertext, its 16-byte tag; the additional
 *   data is the field name and the tenant id, so a sealed value moved to another field or tenant
 *   does not open.
 * Every cipher opens the readable format, so rows written before keys were configured still read.
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

export const readableFormat = 0;
export const keyedFormat = 1;

const nonceBytes = 12;
const tagBytes = 16;

function hash8(kind: string, tenantId: string, text: string): Buffer {
  return createHash("sha256")
    .update(`kith-${kind}\0${tenantId}\0${text.toLowerCase()}`)
    .digest()
    .subarray(0, 8);
}

function openReadable(sealed: Buffer): string | null {
  return sealed.length > 0 && sealed[0] === readableFormat ? sealed.toString("utf8", 1) : null;
}

/** The readable cipher: text kept as it is (format 0), addresses keyed by an unkeyed hash. */
export const readableCipher = (tenantId: string): TenantCipher => ({
  addressKey: (address) => hash8("address", tenantId, address),
  domainKey: (domain) => hash8("domain", tenantId, domain),
  seal: (_field, text) => {
    const out = Buffer.allocUnsafe(1 + Buffer.byteLength(text, "utf8"));
    out[0] = readableFormat;
    out.write(text, 1, "utf8");
    return out;
  },
  open: (_field, sealed) => openReadable(sealed),
});

/**
 * Nonces come from one pool refilled by a single randomFillSync: a 12-byte randomBytes call per
 * seal costs more than encrypting a 40-byte text. Random 96-bit nonces keep GCM safe for about
 * 2^32 seals per key, which is why each tenant seals under a key of its own, derived for sealing
 * only.
 */
const noncePool = Buffer.allocUnsafe(nonceBytes * 1024);
let nonceAt = noncePool.length;

function nextNonce(): Buffer {
  if (nonceAt === noncePool.length) {
    randomFillSync(noncePool);
    nonceAt = 0;
  }
  const nonce = noncePool.subarray(nonceAt, nonceAt + nonceBytes);
  nonceAt += nonceBytes;
  return nonce;
}

/** Subkeys of a data key (HKDF-SHA256): one seals, one keys the indexes; the data key does neither. */
function subkey(dataKey: Buffer, purpose: string, tenantId: string): KeyObject {
  return createSecretKey(
    Buffer.from(hkdfSync("sha256", dataKey, Buffer.alloc(0), `kith-live-${purpose}\0${tenantId}`, 32)),
  );
}

/**
 * The cipher of a tenant under its data key (32 bytes). Seal and open cost a few microseconds per
 * call (field-cipher.test.ts prints the figures); the additional data of each field is built once.
 */
export function keyedCipher(tenantId: string, dataKey: Buffer): TenantCipher {
  if (dataKey.length !== 32) throw new Error("a data key is 32 bytes");
  const sealKey = subkey(dataKey, "seal", tenantId);
  const indexKey = subkey(dataKey, "index", tenantId);
  const aads = new Map<string, Buffer>();
  const aadOf = (field: string) => {
    let aad = aads.get(field);
    if (!aad) {
      aad = Buffer.from(`${field}\0${tenantId}`, "utf8");
      aads.set(field, aad);
    }
    return aad;
  };
  const keyed = (kind: string, text: string) =>
    createHmac("sha256", indexKey).update(kind).update(text.toLowerCase()).digest().subarray(0, 8);
  return {
    addressKey: (address) => keyed("address\0", address),
    domainKey: (domain) => keyed("domain\0", domain),
    seal(field, text) {
      const plain = Buffer.from(text, "utf8");
      const out = Buffer.allocUnsafe(1 + nonceBytes + plain.length + tagBytes);
      out[0] = keyedFormat;
      const nonce = nextNonce();
      nonce.copy(out, 1);
      const cipher = createCipheriv("aes-256-gcm", sealKey, nonce);
      cipher.setAAD(aadOf(field));
      cipher.update(plain).copy(out, 1 + nonceBytes);
      cipher.final();
      cipher.getAuthTag().copy(out, 1 + nonceBytes + plain.length);
      return out;
    },
    open(field, sealed) {
      if (sealed.length === 0) return null;
      if (sealed[0] === readableFormat) return openReadable(sealed);
      if (sealed[0] !== keyedFormat || sealed.length < 1 + nonceBytes + tagBytes) return null;
      const decipher = createDecipheriv("aes-256-gcm", sealKey, sealed.subarray(1, 1 + nonceBytes));
      decipher.setAAD(aadOf(field));
      decipher.setAuthTag(sealed.subarray(sealed.length - tagBytes));
      try {
        const plain = decipher.update(sealed.subarray(1 + nonceBytes, sealed.length - tagBytes));
        decipher.final();
        return plain.toString("utf8");
      } catch {
        return null;
      }
    },
  };
}

/**
 * The cipher of a tenant whose data key was destroyed (its collection consent withdrawn): nothing
 * keyed opens, and nothing can be written or looked up, since a new row under no key would be
 * neither sealed nor findable.
 */
export function destroyedCipher(tenantId: string): TenantCipher {
  const refuse = (): never => {
    throw new KithError(
      "consent_required",
      `tenant ${tenantId}'s data key was destroyed (collection consent withdrawn): its collected data can no longer be written or looked up until consent is granted again`,
      { tenantId },
    );
  };
  return {
    addressKey: refuse,
    domainKey: refuse,
    seal: refuse,
    open: (_field, sealed) => openReadable(sealed),
  };
}

let source: (tenantId: string) => TenantCipher = readableCipher;
let rewriteSource: ((tenantId: string) => Promise<TenantCipher>) | null = null;

/**
 * The cipher of a tenant's collected data (sync; keys are cached per process, and the key store is
 * checked for another process's change at most every few milliseconds). The object returned
 * follows the key store: after a withdrawal its `open` returns null and `seal` throws.
 */
export function cipherFor(tenantId: string): TenantCipher {
  return source(tenantId);
}

/** Sets the process-wide source (services/context.ts at start-up; tests). Default: readable. */
export function setCipherSource(next: (tenantId: string) => TenantCipher): void {
  source = next;
  rewriteSource = null;
}

/**
 * The cipher to rewrite ALL of a tenant's collected data with (a migration that converts every row
 * in one transaction): when this process seals collected data and the tenant is still readable, it
 * gets a data key first, so its rows come out sealed. Only a caller that rewrites every sealed value
 * and keyed hash of the tenant may use it: rows left as they were would keep readable hashes under a
 * tenant whose lookups now use keyed ones. Rolled back, the next run rewrites them again with the
 * same key (every cipher opens the readable format). Otherwise the same as `cipherFor`.
 */
export async function cipherForRewrite(tenantId: string): Promise<TenantCipher> {
  return rewriteSource ? rewriteSource(tenantId) : source(tenantId);
}

/** Sets the source of `cipherForRewrite` (services/data-keys.ts, after `setCipherSource`). */
export function setRewriteSource(next: (tenantId: string) => Promise<TenantCipher>): void {
  rewriteSource = next;
}
