/**
 * `kith eval-setup enron`: a reproducible evaluation tenant from the Enron mailboxes in
 * shared/data/enron (SPEC §6). One pass over the header blocks of every mbox file gathers the
 * evidence for the directory (every enron.com address seen is a user) and for owner identity
 * (src/evaluation/mailbox-aliases.ts); then the tenant, its directory, consents and the mail import
 * (each file owned by its custodian) are created through the ordinary services.
 */
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { domainOf, isInternalDomain, normaliseAddress } from "../domain/directory";
import { validationError } from "../domain/errors";
import {
  groupInternalAddresses,
  personLocalPart,
  resolveOwnerIdentities,
  type OwnerEvidence,
  type OwnerIdentity,
} from "./mailbox-aliases";
import type { DirectoryDocument, DirectoryUserEntry } from "../ingest/directory-file";
import { isPersonalDomain } from "../domain/identity";
import { organisationOfDomain } from "../insights/organisation";
import { updateNoiseFilters } from "../services/ri-settings.service";
import { findTenant } from "../store/directory.repository";
import { grantConsent, setRelationshipIntelligence } from "../services/consent.service";
import { setRetention } from "../services/retention.service";
import type { ServiceContext } from "../services/context";
import { importDirectory } from "../services/directory.service";
import { importBatch, type ImportSummary } from "../services/ingest.service";
import { createTenant } from "../services/tenant.service";

const sentFolders = new Set(["sent", "sent_items", "_sent_mail", "_sent"]);

interface ScannedHeaders {
  from: string | null;
  fromName: string | null;
  recipients: string[];
  names: Map<string, string>;
}

/** Unfolds a header block and returns the few headers the scan needs (lower-cased names). */
function headerFields(block: string): Map<string, string> {
  const out = new Map<string, string>();
  let name: string | null = null;
  let value = "";
  const commit = () => {
    if (name !== null && !out.has(name)) out.set(name, value.trim());
  };
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && name !== null) {
      value += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    commit();
    name = line.slice(0, colon).trim().toLowerCase();
    value = line.slice(colon + 1);
  }
  commit();
  return out;
}

/** Address list → normalised addresses (Enron lists are plain comma-separated addresses). */
function addresses(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(",")
    .map((part) => normaliseAddress(part))
    .filter((a): a is string => a !== null && a.includes("@") && !/\s/.test(a));
}

function scanMessage(block: string): ScannedHeaders {
  const h = headerFields(block);
  const from = addresses(h.get("from"))[0] ?? null;
  const fromName =
    h
      .get("x-from")
      ?.replace(/<[^>]*>/g, "")
      .trim() || null;
  const names = new Map<string, string>();
  if (from && fromName && !fromName.includes("@")) names.set(from, fromName);
  return { from, fromName, recipients: [...addresses(h.get("to")), ...addresses(h.get("cc"))], names };
}

/** Header blocks of an mbox file, in order (separator lines `From ` start messages, as Python's mailbox). */
function* headerBlocks(text: string): Generator<string> {
  const starts: number[] = [];
  if (text.startsWith("From ")) starts.push(0);
  for (let i = text.indexOf("\nFrom "); i >= 0; i = text.indexOf("\nFrom ", i + 1)) starts.push(i + 1);
  for (const start of starts) {
    const firstLine = text.indexOf("\n", start);
    if (firstLine < 0) continue;
    let end = text.indexOf("\n\n", firstLine);
    const crlf = text.indexOf("\n\r\n", firstLine);
    if (crlf >= 0 && (end < 0 || crlf < end)) end = crlf;
    yield text.slice(firstLine + 1, end < 0 ? text.length : end);
  }
}

export interface EnronScan {
  files: { path: string; mailbox: string; folder: string }[];
  owners: OwnerIdentity[];
  /** Every internal address seen → a display name when one was seen. */
  internal: Map<string, string | null>;
}

/** Each scanned mbox file's owner: the primary address of its mailbox's owner. */
export function mailboxFileOwners(scan: EnronScan): Map<string, string> {
  const primaryOf = new Map(scan.owners.map((o) => [o.mailboxId, o.primary]));
  return new Map(scan.files.map((f) => [f.path, primaryOf.get(f.mailbox)!]));
}

/** Reads the header blocks of every mbox file under `mboxDir` (`enron.<mailbox>.<folder>`). */
export async function scanEnronMailboxes(mboxDir: string, internalDomain = "enron.com"): Promise<EnronScan> {
  const names = (await readdir(mboxDir)).filter((n) => n.startsWith("enron.")).sort();
  if (names.length === 0) throw validationError(`no enron.<mailbox>.<folder> mbox files in ${mboxDir}`);
  const isInternal = (a: string) => isInternalDomain(domainOf(a), [internalDomain]);
  const files: EnronScan["files"] = [];
  const evidence = new Map<
    string,
    { displayNames: string[]; sentFrom: Map<string, number>; messages: ScannedHeaders[] }
  >();
  const internal = new Map<string, string | null>();
  for (const name of names) {
    const [, mailbox = "", ...rest] = name.split(".");
    const folder = rest.join(".");
    const path = join(mboxDir, name);
    files.push({ path, mailbox, folder });
    const e = evidence.get(mailbox) ?? {
      displayNames: [] as string[],
      sentFrom: new Map<string, number>(),
      messages: [] as ScannedHeaders[],
    };
    evidence.set(mailbox, e);
    const sent = sentFolders.has(folder);
    const text = await readFile(path, "latin1");
    for (const block of headerBlocks(text)) {
      const m = scanMessage(block);
      for (const a of [...(m.from ? [m.from] : []), ...m.recipients]) {
        if (!isInternal(a)) continue;
        const known = internal.get(a) ?? null;
        internal.set(a, known ?? m.names.get(a) ?? null);
      }
      if (sent && m.from) {
        e.sentFrom.set(m.from, (e.sentFrom.get(m.from) ?? 0) + 1);
        if (m.fromName) e.displayNames.push(m.fromName);
      } else e.messages.push(m);
    }
  }
  const owners: OwnerEvidence[] = [...evidence.entries()].map(([mailboxId, e]) => {
    // Received evidence: messages in the owner's other folders that the owner did not send.
    const received = new Map<string, number>();
    for (const m of e.messages) {
      if (m.from && e.sentFrom.has(m.from)) continue;
      for (const r of new Set(m.recipients)) if (isInternal(r)) received.set(r, (received.get(r) ?? 0) + 1);
    }
    return { mailboxId, displayNames: e.displayNames, sentFrom: e.sentFrom, received };
  });
  return { files, owners: resolveOwnerIdentities(owners, { isInternal }), internal };
}

/**
 * Directory document: one user per person (`groupInternalAddresses`): each owner with their aliases
 * (Salesperson role; the first owner also administers the tenant), and one per other person seen
 * at an internal address, with the other spellings of their address as aliases. Addresses that
 * cannot name a colleague (conversion artefacts) are left out, so the collection gate drops them.
 */
export function enronDirectory(scan: EnronScan): DirectoryDocument {
  const nameFromAddress = (a: string) =>
    (personLocalPart(a) ?? a.slice(0, a.indexOf("@")))
      .split(/[._]+/)
      .filter(Boolean)
      .map((p) => p[0]!.toUpperCase() + p.slice(1))
      .join(" ");
  const { people } = groupInternalAddresses(scan.internal.keys(), scan.owners);
  const byOwner = new Map(people.filter((p) => p.ownerMailboxId).map((p) => [p.ownerMailboxId, p]));
  const users: DirectoryUserEntry[] = scan.owners.map((o, i) => ({
    externalId: `mailbox:${o.mailboxId}`,
    email: o.primary,
    name: o.name ?? nameFromAddress(o.primary),
    aliases: byOwner.get(o.mailboxId)?.aliases ?? o.aliases,
    guest: false,
    roles: i === 0 ? ["Salesperson", "Global Administrator", "System Administrator"] : ["Salesperson"],
    groups: null,
  }));
  for (const person of people) {
    if (person.ownerMailboxId) continue;
    const name = [person.primary, ...person.aliases].map((a) => scan.internal.get(a)).find((n) => n) ?? null;
    users.push({
      externalId: null,
      email: person.primary,
      name: name ?? nameFromAddress(person.primary),
      aliases: person.aliases,
      guest: false,
      roles: null,
      groups: null,
    });
  }
  return { users, groups: [], roles: [] };
}

export interface EnronSetupReport {
  tenantId: string;
  slug: string;
  users: number;
  owners: { mailbox: string; primary: string; aliases: string[]; rejected: number }[];
  imports: Pick<
    ImportSummary,
    "label" | "status" | "read" | "stored" | "duplicates" | "rejected" | "failure"
  >[];
  stored: number;
  durationMs: number;
}

/**
 * Creates the evaluation tenant (or fails if the slug exists), its directory, all three consents,
 * relationship intelligence, and imports every mailbox, one batch per mailbox.
 */
export async function setUpEnronTenant(
  ctx: ServiceContext,
  dataDir: string,
  options: { slug?: string; onProgress?: (line: string) => void } = {},
): Promise<EnronSetupReport> {
  const started = Date.now();
  const slug = options.slug ?? "enron";
  const say = options.onProgress ?? (() => undefined);
  if (await findTenant(ctx.store.db, slug))
    throw validationError(`tenant ${slug} exists already: drop it or choose --tenant`);
  const mboxDir = join(dataDir, "mbox");
  say(`scanning ${mboxDir}`);
  const scan = await scanEnronMailboxes(mboxDir);
  const directory = enronDirectory(scan);
  const admin = scan.owners[0]?.primary;
  if (!admin) throw validationError("no mailbox owners found");
  const tenant = await createTenant(ctx, {
    name: "Enron",
    domains: ["enron.com"],
    slug,
    admin: { email: admin },
  });
  say(`directory: ${directory.users.length} users`);
  await importDirectory(ctx, tenant.id, directory, [], admin);
  for (const type of ["identifiable", "aggregated", "personal"] as const)
    await grantConsent(ctx, tenant.id, type, admin);
  await setRelationshipIntelligence(ctx, tenant.id, true, admin);
  // A research corpus of past years: the retention job must not remove it.
  await setRetention(ctx, tenant.id, null, admin);
  const owners = mailboxFileOwners(scan);
  const byMailbox = new Map<string, string[]>();
  for (const f of scan.files) byMailbox.set(f.mailbox, [...(byMailbox.get(f.mailbox) ?? []), f.path]);
  const imports: EnronSetupReport["imports"] = [];
  for (const [mailbox, paths] of byMailbox) {
    const summary = await importBatch(ctx, tenant.id, paths, {
      owners,
      format: "mbox",
      label: `enron ${mailbox}`,
    });
    say(
      `  ${mailbox}: ${summary.status}, ${summary.read} read, ${summary.stored} stored, ${summary.duplicates} duplicates`,
    );
    imports.push({
      label: summary.label,
      status: summary.status,
      read: summary.read,
      stored: summary.stored,
      duplicates: summary.duplicates,
      rejected: summary.rejected,
      ...(summary.failure ? { failure: summary.failure } : {}),
    });
  }
  return {
    tenantId: tenant.id,
    slug: tenant.slug,
    users: directory.users.length,
    owners: scan.owners.map((o) => ({
      mailbox: o.mailboxId,
      primary: o.primary,
      aliases: o.aliases,
      rejected: o.decisions.filter((d) => d.decision === "rejected").length,
    })),
    imports,
    stored: imports.reduce((n, i) => n + i.stored, 0),
    durationMs: Date.now() - started,
  };
}

export interface MailingListSetupReport {
  tenantId: string;
  slug: string;
  internalDomain: string;
  listAddress: string | null;
  users: number;
  imports: EnronSetupReport["imports"];
  stored: number;
  durationMs: number;
}

/**
 * `kith eval-setup linux-cifs`: a mailing-list archive as a second evaluation corpus (SPEC §6).
 * A list has no company, so one is chosen by a fixed rule, never by a result: the organisation
 * (registrable domain, consumer providers excluded) that sent the most messages, leaving out the
 * list host's own (the address every message is sent to). Its addresses become the directory;
 * everyone else is external, organised by sender domain. Every list message carries `List-Id`, so
 * the tenant's automated-mail filter is switched off (otherwise nothing would be collected); the
 * list address itself is named in the report so `kith eval --exclude-domain` can leave it out.
 */
export async function setUpMailingListTenant(
  ctx: ServiceContext,
  mboxPath: string,
  options: { slug?: string; internalDomain?: string; onProgress?: (line: string) => void } = {},
): Promise<MailingListSetupReport> {
  const started = Date.now();
  const slug = options.slug ?? "linux-cifs";
  const say = options.onProgress ?? (() => undefined);
  if (await findTenant(ctx.store.db, slug))
    throw validationError(`tenant ${slug} exists already: drop it or choose --tenant`);
  say(`scanning ${mboxPath}`);
  const text = await readFile(mboxPath, "latin1");
  const messages = [...headerBlocks(text)].map(scanMessage);
  // The list address: the recipient found on the most messages.
  const onMessages = new Map<string, number>();
  for (const m of messages)
    for (const r of new Set(m.recipients)) onMessages.set(r, (onMessages.get(r) ?? 0) + 1);
  const listAddress = [...onMessages.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
  const listOrg = listAddress ? organisationOfDomain(domainOf(listAddress), isPersonalDomain) : null;
  const bySender = new Map<string, number>();
  for (const m of messages) {
    const org = m.from ? organisationOfDomain(domainOf(m.from), isPersonalDomain) : null;
    if (org && org !== listOrg) bySender.set(org, (bySender.get(org) ?? 0) + 1);
  }
  const internalDomain =
    options.internalDomain ??
    [...bySender.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
  if (!internalDomain) throw validationError(`no company sender in ${mboxPath}`);
  const isInternal = (a: string) => organisationOfDomain(domainOf(a), isPersonalDomain) === internalDomain;
  const people = new Map<string, string | null>();
  for (const m of messages) {
    for (const a of [...(m.from ? [m.from] : []), ...m.recipients]) {
      if (!isInternal(a)) continue;
      people.set(a, people.get(a) ?? m.names.get(a) ?? null);
    }
  }
  const addresses = [...people.keys()].sort();
  const domains = [...new Set(addresses.map(domainOf))].sort();
  const admin = addresses[0];
  if (!admin) throw validationError(`no ${internalDomain} address in ${mboxPath}`);
  const tenant = await createTenant(ctx, { name: internalDomain, domains, slug, admin: { email: admin } });
  const users: DirectoryUserEntry[] = addresses.map((email, i) => ({
    externalId: null,
    email,
    name: people.get(email) ?? email.slice(0, email.indexOf("@")),
    aliases: [],
    guest: false,
    roles: i === 0 ? ["Salesperson", "Global Administrator", "System Administrator"] : ["Salesperson"],
    groups: null,
  }));
  say(
    `directory: ${users.length} users at ${internalDomain} (${domains.join(", ")}); list ${listAddress ?? "—"}`,
  );
  await importDirectory(ctx, tenant.id, { users, groups: [], roles: [] }, [], admin);
  for (const type of ["identifiable", "aggregated", "personal"] as const)
    await grantConsent(ctx, tenant.id, type, admin);
  await setRelationshipIntelligence(ctx, tenant.id, true, admin);
  // A research corpus of past years: the retention job must not remove it.
  await setRetention(ctx, tenant.id, null, admin);
  await updateNoiseFilters(ctx, tenant.id, { automated: false }, admin);
  const summary = await importBatch(ctx, tenant.id, [mboxPath], { format: "mbox", label: "mailing list" });
  say(
    `  ${summary.status}, ${summary.read} read, ${summary.stored} stored, ${summary.duplicates} duplicates`,
  );
  return {
    tenantId: tenant.id,
    slug: tenant.slug,
    internalDomain,
    listAddress: listAddress ?? null,
    users: users.length,
    imports: [
      {
        label: summary.label,
        status: summary.status,
        read: summary.read,
        stored: summary.stored,
        duplicates: summary.duplicates,
        rejected: summary.rejected,
        ...(summary.failure ? { failure: summary.failure } : {}),
      },
    ],
    stored: summary.stored,
    durationMs: Date.now() - started,
  };
}
