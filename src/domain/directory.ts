/** Directory values: tenants, users, groups, roles, and time-bounded memberships. Pure. */

export const builtInRoles = [
  "Global Administrator",
  "System Administrator",
  "Salesperson",
  "Sales Manager",
  // Requests and manages partner data-sharing consent with customer tenants (SPEC §5).
  "Partner Administrator",
] as const;
export type BuiltInRole = (typeof builtInRoles)[number];

export interface Tenant {
  id: string;
  slug: string;
  name: string;
  domains: string[];
  createdAt: Date;
}

export interface User {
  id: string;
  tenantId: string;
  email: string;
  displayName: string;
  aliases: string[];
  isGuest: boolean;
}

/** A half-open interval [from, to): `to` null while the membership or assignment is current. */
export interface Interval {
  from: Date;
  to: Date | null;
}

export interface GroupMembership extends Interval {
  groupId: string;
}

export interface RoleAssignment extends Interval {
  role: string;
}

export function isActiveAt(interval: Interval, at: Date): boolean {
  return (
    interval.from.getTime() <= at.getTime() && (interval.to === null || at.getTime() < interval.to.getTime())
  );
}

export function groupsAt(memberships: readonly GroupMembership[], at: Date): Set<string> {
  return new Set(memberships.filter((m) => isActiveAt(m, at)).map((m) => m.groupId));
}

export function rolesAt(assignments: readonly RoleAssignment[], at: Date): Set<string> {
  return new Set(assignments.filter((a) => isActiveAt(a, at)).map((a) => a.role));
}

/** True when the member was in any of `groupIds` at some instant of [from, to]. */
export function wasInAnyGroupDuring(
  memberships: readonly GroupMembership[],
  groupIds: ReadonlySet<string>,
  from: Date,
  to: Date,
): boolean {
  return memberships.some(
    (m) =>
      groupIds.has(m.groupId) &&
      m.from.getTime() <= to.getTime() &&
      (m.to === null || m.to.getTime() > from.getTime()),
  );
}

const addressInAngles = /<([^<>]*)>\s*$/;

/**
 * Normalises an email address: strips a display name and angle brackets, surrounding quotes and
 * whitespace, a trailing dot, and lower-cases it. Returns null when nothing address-like remains.
 */
export function normaliseAddress(raw: string): string | null {
  let value = raw.trim();
  const angled = addressInAngles.exec(value);
  if (angled?.[1] !== undefined) value = angled[1];
  value = value
    .replace(/^mailto:/i, "")
    .replace(/^["'\s]+|["'\s.]+$/g, "")
    .toLowerCase();
  const at = value.lastIndexOf("@");
  if (at <= 0 || at === value.length - 1 || /\s/.test(value)) return null;
  return value;
}

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf("@") + 1);
}

export function normaliseDomain(raw: string): string | null {
  const value = raw.trim().toLowerCase().replace(/^@/, "").replace(/\.$/, "");
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(value)) return null;
  return value;
}

/** A domain is internal when it equals a verified domain or is a subdomain of one. */
export function isInternalDomain(domain: string, verifiedDomains: readonly string[]): boolean {
  return verifiedDomains.some((d) => domain === d || domain.endsWith(`.${d}`));
}

export function classifyAddress(
  address: string,
  verifiedDomains: readonly string[],
): "internal" | "external" {
  return isInternalDomain(domainOf(address), verifiedDomains) ? "internal" : "external";
}

export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48);
}

export const isBuiltInRole = (role: string): role is BuiltInRole =>
  (builtInRoles as readonly string[]).includes(role);

/**
 * What is wrong with `name` as a new custom role, or null. A role name is what a CSV cell lists,
 * so it may not hold the list separators; and it may not differ from a known role by case alone
 * ("salesperson" next to "Salesperson" would be two roles nobody can tell apart).
 */
export function checkCustomRoleName(name: string, known: readonly string[]): string | null {
  if (name !== name.trim()) return `role "${name}" has leading or trailing spaces`;
  if (name.length === 0 || name.length > 100) return "a role name has 1 to 100 characters";
  if (/[;|,\p{Cc}]/u.test(name)) return `role "${name}" contains ; | , or a control character`;
  const twin = known.find((k) => k !== name && k.toLowerCase() === name.toLowerCase());
  if (twin) return `role "${name}" differs from the existing role "${twin}" only by case`;
  return null;
}

/** Edit distance (insertions, deletions, substitutions), for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The known name `value` was most likely meant to be, or null when none is close: equal but for
 * case, a prefix of it ("Global Admin"), or within a third of its length in edits (case ignored).
 */
export function closestName(value: string, known: readonly string[]): string | null {
  const v = value.trim().toLowerCase();
  if (v.length === 0) return null;
  let best: { name: string; distance: number } | null = null;
  for (const name of known) {
    const n = name.toLowerCase();
    const distance = n === v ? 0 : v.length >= 4 && n.startsWith(v) ? 1 : editDistance(v, n);
    if (distance <= Math.max(1, Math.floor(n.length / 3)) && (!best || distance < best.distance))
      best = { name, distance };
  }
  return best?.name ?? null;
}
