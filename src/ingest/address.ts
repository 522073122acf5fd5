/**
 * Address normalisation on the ingest hot path. Same results as `normaliseAddress` (domain/directory),
 * cheaper for the addresses nearly every source already delivers in normal form.
 */
import { normaliseAddress } from "../domain/directory";

/**
 * True when normaliseAddress(raw) would return raw unchanged: printable ASCII with no upper case,
 * whitespace, quotes, angle brackets or colon (so no `mailto:` and nothing to trim or unwrap), not
 * ending in a dot, with an `@` that is neither first nor last. Almost every Graph address is
 * already in this shape, and one charCode scan is cheaper than the regexes — and than a cache: the
 * 1M-line bench file has ~520k distinct addresses, so a bounded Map was cleared over and over and
 * cost ~20 % of the parse (profile). Anything else takes the full normaliseAddress.
 */
export function isNormalAddress(raw: string): boolean {
  const n = raw.length;
  let at = -1;
  for (let i = 0; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (c <= 32 || c >= 127 || (c >= 65 && c <= 90)) return false;
    if (c === 34 || c === 39 || c === 58 || c === 60 || c === 62) return false;
    if (c === 64) at = i;
  }
  return at > 0 && at < n - 1 && raw.charCodeAt(n - 1) !== 46;
}

/** normaliseAddress, skipping its regexes when the address is already normal. */
export function normaliseAddressFast(raw: string): string | null {
  return isNormalAddress(raw) ? raw : normaliseAddress(raw);
}

/** RFC 5322 dot-atom characters of a local part, plus letters and digits of any script (RFC 6531). */
const localAtom = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+$/u;
/** A DNS label: letters or digits (any script: an IDN before punycode), hyphens inside. */
const domainLabel = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$/u;

/**
 * Normalises `raw` like `normaliseAddress` and then checks the result strictly, for addresses a
 * person typed into a directory (mail headers stay lenient: a message is not refused for an odd
 * address). Valid: exactly one `@`; a local part of dot-separated atoms (no leading, trailing or
 * double dot, at most 64 characters); a domain of at least two labels, none starting or ending
 * with a hyphen, the last not all digits; no whitespace anywhere. The reason names the first
 * rule broken, in words a person fixing the file can act on.
 */
export function checkAddress(raw: string): { address: string } | { reason: string } {
  const trimmed = raw.trim();
  if (trimmed === "") return { reason: "is empty" };
  const value = normaliseAddress(trimmed) ?? trimmed.toLowerCase();
  if (/\s/.test(value)) return { reason: "contains a space" };
  const ats = value.split("@").length - 1;
  if (ats === 0) return { reason: "has no @" };
  if (ats > 1) return { reason: `has ${ats} @ signs (one is allowed)` };
  const [local = "", domain = ""] = value.split("@");
  if (local === "") return { reason: "has nothing before the @" };
  if (domain === "") return { reason: "has no domain after the @" };
  if (local.length > 64) return { reason: "has a local part longer than 64 characters" };
  if (local.startsWith(".") || local.endsWith(".") || local.includes(".."))
    return { reason: "has a local part starting or ending with a dot, or with two dots in a row" };
  const badLocal = local.split(".").find((atom) => !localAtom.test(atom));
  if (badLocal !== undefined) {
    const char = [...badLocal].find((c) => !localAtom.test(c)) ?? badLocal;
    return { reason: `has a character not allowed before the @: "${char}"` };
  }
  if (!domain.includes(".")) return { reason: `has a domain without a dot ("${domain}")` };
  if (domain.length > 253) return { reason: "has a domain longer than 253 characters" };
  const labels = domain.split(".");
  const badLabel = labels.find((l) => l.length > 63 || !domainLabel.test(l));
  if (badLabel !== undefined)
    return {
      reason:
        badLabel === ""
          ? `has an empty label in its domain ("${domain}")`
          : `has an invalid domain label "${badLabel}" (letters, digits and inner hyphens only)`,
    };
  if (/^\d+$/.test(labels[labels.length - 1]!))
    return { reason: `has a numeric top-level domain ("${domain}")` };
  return { address: value };
}
