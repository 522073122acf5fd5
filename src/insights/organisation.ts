/**
 * The organisation behind an external domain, for grouping people by company when no CRM account
 * says otherwise: the registrable domain (`ca.pwcglobal.com` and `pwcglobal.com` are one company;
 * `mail.utexas.edu` is `utexas.edu`). Country registries that sell names one level down
 * (`co.uk`, `com.au`, …) keep one more label. Pure; no public-suffix download: the short list
 * covers the second-level registries seen in business mail, and an unknown one only means two
 * subdomains of a company stay two organisations, never that two companies merge.
 */
const secondLevel = new Set([
  "ac",
  "co",
  "com",
  "edu",
  "gov",
  "govt",
  "ltd",
  "mil",
  "net",
  "nhs",
  "org",
  "plc",
  "gob",
  "ne",
  "or",
  "go",
]);

export function registrableDomain(domain: string): string {
  const labels = domain.toLowerCase().replace(/\.$/, "").split(".").filter(Boolean);
  if (labels.length <= 2) return labels.join(".");
  const tld = labels.at(-1) ?? "";
  const sld = labels.at(-2) ?? "";
  const keep = tld.length === 2 && secondLevel.has(sld) ? 3 : 2;
  return labels.slice(-keep).join(".");
}

/**
 * The organisation key of an external address, or null when its domain is a personal or consumer
 * provider (at any level: `austin.rr.com` is checked as itself and as `rr.com`).
 */
export function organisationOfAddress(
  address: string,
  isPersonalDomain: (domain: string) => boolean,
): string | null {
  const domain = address.slice(address.lastIndexOf("@") + 1).toLowerCase();
  if (!domain) return null;
  const org = registrableDomain(domain);
  return isPersonalDomain(domain) || isPersonalDomain(org) ? null : org;
}
