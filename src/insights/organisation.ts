/**
 * The organisation behind an external domain, for grouping people by company when no CRM account
 * says otherwise: the registrable domain under the Public Suffix List (tldts, bundled: no
 * download at run time). `ca.pwcglobal.com` and `pwcglobal.com` are one company; `mail.utexas.edu`
 * is `utexas.edu`; `bp.co.uk` keeps its three labels; `powerpool.ab.ca` is its own organisation,
 * not "ab.ca" (a Canadian provincial suffix). Private suffixes of the list (`blogspot.com`,
 * `herokuapp.com`) count as suffixes too, so two of their customers never merge. A domain the list
 * cannot place (a bare host, an IP address) stands for itself. Consumer mail providers are never an
 * organisation (`organisationOfDomain`).
 */
import { getDomain } from "tldts";

export function registrableDomain(domain: string): string {
  const host = domain.toLowerCase().replace(/\.$/, "");
  return getDomain(host, { allowPrivateDomains: true }) ?? host;
}

/**
 * The organisation key of a domain, or null when it is a personal or consumer provider (at any
 * level: `austin.rr.com` is checked as itself and as `rr.com`) or empty.
 */
export function organisationOfDomain(
  domain: string,
  isPersonalDomain: (domain: string) => boolean,
): string | null {
  const host = domain.toLowerCase().replace(/\.$/, "");
  if (!host) return null;
  const org = registrableDomain(host);
  return isPersonalDomain(host) || isPersonalDomain(org) ? null : org;
}

/** The organisation key of an external address (see `organisationOfDomain`). */
export function organisationOfAddress(
  address: string,
  isPersonalDomain: (domain: string) => boolean,
): string | null {
  return organisationOfDomain(address.slice(address.lastIndexOf("@") + 1), isPersonalDomain);
}
