import { createHmac, randomBytes } from "node:crypto";

/**
 * Deletion requests by external people (a customer asks to be forgotten). Kith keeps the fact
 * that an address was forgotten, so that its mail stays out when imported again, but never the
 * address: only its keyed hash (HMAC-SHA256 under a random key of the tenant's). Without the
 * key, a receipt or the suppression list says nothing about whom it concerns; with an address
 * in hand, an administrator can check that it was forgotten.
 */

/** A new tenant hash key: 32 random bytes, hex. */
export function newForgetKey(): string {
  return randomBytes(32).toString("hex");
}

/** The keyed hash of a normalised address (lower-case, as the collection gate sees it). */
export function addressHash(keyHex: string, address: string): string {
  return createHmac("sha256", Buffer.from(keyHex, "hex")).update(address, "utf8").digest("hex");
}
