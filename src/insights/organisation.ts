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
  const personal = (d: string) => isPersonalDomain(d) || consumerProviders.has(d);
  return personal(domain) || personal(org) ? null : org;
}

/**
 * Consumer internet providers of the corpora's era that `isPersonalDomain` (src/domain/identity.ts)
 * does not list yet: `houston.rr.com` or `swbell.net` says nothing about a person's employer.
 * Kept here for organisation grouping; the shared list is the place for them in the end.
 */
const consumerProviders = new Set([
  "rr.com",
  "swbell.net",
  "pacbell.net",
  "mindspring.com",
  "home.com",
  "pdq.net",
  "flash.net",
  "ev1.net",
  "cs.com",
  "webtv.net",
  "mediaone.net",
  "erols.com",
  "netscape.net",
  "netscape.com",
  "airmail.net",
  "netcom.com",
  "concentric.net",
  "bigfoot.com",
  "usa.net",
  "email.com",
  "cadvision.com",
  "telus.net",
  "sprintmail.com",
  "bellatlantic.net",
  "gte.net",
  "adelphia.net",
  "ameritech.net",
  "qwest.net",
  "peoplepc.com",
  "hal-pc.org",
  "wt.net",
  "texas.net",
  "ix.netcom.com",
  "worldnet.att.net",
]);

export function isConsumerProvider(domain: string): boolean {
  return consumerProviders.has(domain);
}
