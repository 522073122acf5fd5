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
