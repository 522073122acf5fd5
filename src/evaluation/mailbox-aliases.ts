/**
 * Who is the owner of a collected mailbox, at which addresses (SPEC §2 Identity). In real exports
 * an owner sends from one or two addresses (`phillip.allen@`, `k..allen@`) and receives at more
 * (`pallen@`, an Exchange short name, an old subdomain address). Counting each as its own
 * colleague splits one relationship into several weak candidates, so the owner's addresses are
 * resolved from evidence in their own mailbox, each decision with its reason:
 *
 * 1. A name model from the mailbox id (`allen-p`: last name allen, initial p) and the display
 *    names the owner sends under (`Phillip K Allen`, `Allen, Phillip K.`).
 * 2. Sent folders: every From address there whose local part fits the name model is an alias; one
 *    that does not fit is someone sending on the owner's behalf (an assistant) and stays their own
 *    user.
 * 3. Received folders (messages not sent by the owner): an internal recipient address that fits the
 *    name model, seen at least `minReceived` times, is an alias: the owner received the mail, so
 *    one of its recipients is the owner.
 * 4. An address that fits two owners goes to the one with more evidence; on a tie, to neither.
 *
 * "Fits" (local part, digits dropped, split on . _ -): one token is a last name and every other
 * token is a first name, a nickname prefix of one (ken ~ kenneth, ≥ 3 letters) or an initial; or a
 * single token is initial(s) + last name (pallen, pkallen), first name + last name, or a
 * truncated Exchange short name of at least 6 letters (mgrigsb for mgrigsby). A given name with
 * the last name identifies the owner from one received message; initials need `minReceived`
 * (jking6@ may be another J. King); a bare last name counts only in the owner's sent folders.
 */

export interface OwnerNameModel {
  lastNames: string[];
  firstNames: string[];
  initials: string[];
}

const letters = (s: string) => s.toLowerCase().replace(/[^a-z]/g, "");

/**
 * Name model of an owner from the mailbox id (`allen-p`, `mims-thurston-p`) and display names.
 * A display name counts only when it contains one of the last names.
 */
export function ownerNameModel(mailboxId: string, displayNames: readonly string[]): OwnerNameModel {
  const parts = mailboxId.toLowerCase().split("-").filter(Boolean);
  const initial = parts.length > 1 ? letters(parts.at(-1) ?? "") : "";
  const lastParts = (parts.length > 1 ? parts.slice(0, -1) : parts).map(letters).filter(Boolean);
  const lastNames = new Set<string>([lastParts.join(""), ...lastParts.filter((p) => p.length >= 3)]);
  const firstNames = new Set<string>();
  const initials = new Set<string>(initial ? [initial[0] ?? ""] : []);
  for (const raw of displayNames) {
    const tokens = raw
      .replace(/<[^>]*>/g, " ")
      .replace(/\([^)]*\)/g, " ")
      .split(/[\s,.'"]+/)
      .map(letters)
      .filter(Boolean);
    if (!tokens.some((t) => lastNames.has(t))) continue;
    for (const t of tokens) {
      if (lastNames.has(t)) continue;
      if (t.length === 1) initials.add(t);
      else {
        firstNames.add(t);
        initials.add(t[0] ?? "");
      }
    }
  }
  initials.delete("");
  return { lastNames: [...lastNames], firstNames: [...firstNames], initials: [...initials] };
}

/**
 * name: a given name (or nickname) with the last name — identifies a person; initial: initials
 * with the last name, or a truncated short name — may be shared by two people; bare: the last name
 * alone — accepted only from the owner's own sent folders.
 */
export type FitStrength = "name" | "initial" | "bare";
export type NameFit = { fits: true; rule: string; strength: FitStrength } | { fits: false };

function fitsGiven(token: string, model: OwnerNameModel): boolean {
  if (token.length === 1) return model.initials.includes(token);
  return model.firstNames.some(
    (f) =>
      f === token || (token.length >= 3 && f.startsWith(token)) || (f.length >= 3 && token.startsWith(f)),
  );
}

/** Does the local part of `address` fit the owner's name model, and by which rule? */
export function localPartFits(address: string, model: OwnerNameModel): NameFit {
  const local = address
    .slice(0, Math.max(0, address.indexOf("@")))
    .toLowerCase()
    .replace(/[0-9]/g, "");
  let tokens = local.split(/[._\-']+/).filter(Boolean);
  if (tokens.length === 0) return { fits: false };
  // A hyphenated last name split over two tokens (doug.gilbert-smith) is one token again.
  for (let i = 0; i + 1 < tokens.length; i++) {
    const joined = `${tokens[i]}${tokens[i + 1]}`;
    if (model.lastNames.includes(joined)) tokens = [...tokens.slice(0, i), joined, ...tokens.slice(i + 2)];
  }
  if (tokens.length > 1) {
    const lastAt = tokens.findIndex((t) => model.lastNames.includes(t));
    if (lastAt < 0) return { fits: false };
    const others = tokens.filter((_, i) => i !== lastAt);
    if (others.every((t) => fitsGiven(t, model)))
      return {
        fits: true,
        rule: `last name "${tokens[lastAt]}" with given name or initials ${others.map((o) => `"${o}"`).join(", ")}`,
        strength: others.some((o) => o.length > 1) ? "name" : "initial",
      };
    return { fits: false };
  }
  const t = tokens[0] ?? "";
  for (const last of model.lastNames) {
    if (t === last) return { fits: true, rule: `the last name "${last}" alone`, strength: "bare" };
    if (t.endsWith(last)) {
      const head = t.slice(0, t.length - last.length);
      if (head.length <= 2 && [...head].every((c) => model.initials.includes(c)))
        return { fits: true, rule: `initials "${head}" + last name "${last}"`, strength: "initial" };
      if (model.firstNames.includes(head))
        return { fits: true, rule: `given name "${head}" + last name "${last}"`, strength: "name" };
    }
    if (
      t.startsWith(last) &&
      t.length - last.length <= 2 &&
      [...t.slice(last.length)].every((c) => model.initials.includes(c))
    )
      return {
        fits: true,
        rule: `last name "${last}" + initials "${t.slice(last.length)}"`,
        strength: "initial",
      };
    for (const i of model.initials) {
      const short = i + last;
      if (t.length >= 6 && t.length < short.length && short.startsWith(t))
        return { fits: true, rule: `truncated short name "${t}" of "${short}"`, strength: "initial" };
    }
  }
  return { fits: false };
}

export interface OwnerEvidence {
  mailboxId: string;
  /** Display names the owner sends under (X-From of sent-folder messages). */
  displayNames: readonly string[];
  /** From addresses in the owner's sent folders, with counts. */
  sentFrom: ReadonlyMap<string, number>;
  /** Internal recipient addresses (To/Cc) of messages in the owner's other folders not sent by the owner. */
  received: ReadonlyMap<string, number>;
  /** Fallback primary address (e.g. from a custodian list) when the sent folders give none. */
  knownAddress?: string;
}

export interface AliasDecision {
  address: string;
  decision: "primary" | "alias" | "rejected";
  reason: string;
}

export interface OwnerIdentity {
  mailboxId: string;
  primary: string;
  aliases: string[];
  name: string | null;
  decisions: AliasDecision[];
}

export interface AliasResolutionOptions {
  isInternal: (address: string) => boolean;
  minReceived?: number;
}

/** Resolves every owner's primary address and aliases together (see the module comment). */
export function resolveOwnerIdentities(
  owners: readonly OwnerEvidence[],
  options: AliasResolutionOptions,
): OwnerIdentity[] {
  const minReceived = options.minReceived ?? 2;
  const models = new Map(owners.map((o) => [o.mailboxId, ownerNameModel(o.mailboxId, o.displayNames)]));
  // Candidate claims: address → [(owner, evidence count, how)].
  const claims = new Map<string, { owner: string; count: number; how: string; sent: boolean }[]>();
  const decisions = new Map<string, AliasDecision[]>(owners.map((o) => [o.mailboxId, []]));
  const claim = (address: string, owner: string, count: number, how: string, sent: boolean) => {
    const list = claims.get(address) ?? [];
    list.push({ owner, count, how, sent });
    claims.set(address, list);
  };
  for (const o of owners) {
    const model = models.get(o.mailboxId)!;
    for (const [address, count] of o.sentFrom) {
      if (!options.isInternal(address)) continue;
      const fit = localPartFits(address, model);
      if (fit.fits)
        claim(
          address,
          o.mailboxId,
          count,
          `sends from it (${count} messages in sent folders); ${fit.rule}`,
          true,
        );
      else
        decisions.get(o.mailboxId)!.push({
          address,
          decision: "rejected",
          reason: `sends from the owner's sent folders (${count}) but the name does not fit: someone writing on the owner's behalf, kept as their own user`,
        });
    }
    for (const [address, count] of o.received) {
      if (!options.isInternal(address) || o.sentFrom.has(address)) continue;
      const fit = localPartFits(address, model);
      if (!fit.fits || fit.strength === "bare") continue;
      const needed = fit.strength === "name" ? 1 : minReceived;
      if (count < needed) {
        decisions.get(o.mailboxId)!.push({
          address,
          decision: "rejected",
          reason: `name fits (${fit.rule}) but initials can be shared: ${count} message in the owner's received folders, ${needed} needed`,
        });
        continue;
      }
      claim(
        address,
        o.mailboxId,
        count,
        `receives at it (${count} messages in the owner's own received folders); ${fit.rule}`,
        false,
      );
    }
  }
  const won = new Map<string, { address: string; count: number; how: string; sent: boolean }[]>();
  for (const [address, list] of claims) {
    const sorted = [...list].sort((a, b) => Number(b.sent) - Number(a.sent) || b.count - a.count);
    const first = sorted[0]!;
    const second = sorted[1];
    if (second && second.sent === first.sent && second.count === first.count) {
      for (const c of list)
        decisions.get(c.owner)!.push({
          address,
          decision: "rejected",
          reason: `fits ${list.map((x) => x.owner).join(" and ")} with equal evidence: left as its own user`,
        });
      continue;
    }
    for (const c of sorted.slice(1))
      decisions.get(c.owner)!.push({
        address,
        decision: "rejected",
        reason: `also fits ${first.owner}, who has stronger evidence (${first.count} vs ${c.count})`,
      });
    const entry = won.get(first.owner) ?? [];
    entry.push({ address, count: first.count, how: first.how, sent: first.sent });
    won.set(first.owner, entry);
  }
  return owners.map((o) => {
    const mine = (won.get(o.mailboxId) ?? []).sort(
      (a, b) => Number(b.sent) - Number(a.sent) || b.count - a.count || (a.address < b.address ? -1 : 1),
    );
    const fallback =
      o.knownAddress ??
      [...o.sentFrom.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ??
      `${o.mailboxId}@unknown`;
    const primary = mine[0]?.address ?? fallback;
    const list = decisions.get(o.mailboxId)!;
    const out: AliasDecision[] = [];
    if (mine.length === 0)
      out.push({
        address: primary,
        decision: "primary",
        reason: "no address in the mailbox fits the owner's name: fallback",
      });
    for (const m of mine)
      out.push({
        address: m.address,
        decision: m.address === primary ? "primary" : "alias",
        reason: m.address === primary ? `most used fitting address: ${m.how}` : m.how,
      });
    const model = models.get(o.mailboxId)!;
    return {
      mailboxId: o.mailboxId,
      primary,
      aliases: mine.map((m) => m.address).filter((a) => a !== primary),
      name: displayName(o.displayNames, model),
      decisions: [...out, ...list],
    };
  });
}

/** The most common display name that contains the last name, as "First Last". */
function displayName(names: readonly string[], model: OwnerNameModel): string | null {
  const counts = new Map<string, number>();
  for (const raw of names) {
    const cleaned = raw
      .replace(/<[^>]*>/g, "")
      .replace(/\([^)]*\)/g, "")
      .trim();
    if (!cleaned || cleaned.includes("@")) continue;
    const ordered = cleaned.includes(",")
      ? `${cleaned.split(",").slice(1).join(" ").trim()} ${cleaned.split(",")[0]?.trim() ?? ""}`.trim()
      : cleaned;
    if (!model.lastNames.some((l) => letters(ordered).includes(l))) continue;
    counts.set(ordered, (counts.get(ordered) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? null;
}

/**
 * The person-identifying form of an internal address's local part, or null when it cannot name a
 * colleague. Exports quote Notes names (`cindy'.'olson@`, `mcguire'.'bud@`) and mix `_` with `.`
 * (`sally_keepers@`), so quotes are dropped and `_` reads as `.`. Conversion artefacts that stand
 * for someone else entirely (`'12007'@` for an outside address, Notes routing names with `/`, a
 * nested `@`, a bare `.bob@`) have no identifying form.
 */
export function personLocalPart(address: string): string | null {
  const at = address.lastIndexOf("@");
  const raw = (at < 0 ? address : address.slice(0, at)).toLowerCase();
  if (/[/@\\`<>()[\]]/.test(raw)) return null;
  const local = raw.replace(/['"]/g, "").replace(/_/g, ".");
  if (local.startsWith(".") || local.endsWith(".") || !/[a-z]{2}/.test(local)) return null;
  return local;
}

export interface InternalPerson {
  primary: string;
  aliases: string[];
  /** The mailbox owner this person is, when one. */
  ownerMailboxId: string | null;
}

/**
 * Groups the internal addresses seen in a corpus into people (SPEC §2 Identity: one person, one
 * colleague), on top of the owners' resolved identities. Two addresses are one person when their
 * identifying local parts are equal across the tenant's internal domains (`dscholt@ect.enron.com` and
 * `dscholt@enron.com`, `sally_keepers@` and `sally.keepers@`, `cliff'.'baxter@` and
 * `cliff.baxter@`), or when one is another's dotted name written without dots (`dianetaylor@` and
 * `diane.taylor@`, each part at least two letters, only when exactly one dotted form matches), or
 * one drops a middle initial the other has (`kevin.m.presto@`, `kevin.presto@`), or one is the
 * Exchange short name of the other (first initial + the first six letters of a last name of at
 * least six letters: `rflemin@` for `rosalee.fleming@`; only when exactly one dotted name gives it).
 * A group holding an owner's address joins that owner. Addresses without an identifying form
 * (`personLocalPart`) are returned as `unidentifiable`: they are not colleagues.
 */
export function groupInternalAddresses(
  addresses: Iterable<string>,
  owners: readonly Pick<OwnerIdentity, "mailboxId" | "primary" | "aliases">[],
): { people: InternalPerson[]; unidentifiable: string[] } {
  const ownerOf = new Map<string, string>();
  for (const o of owners) for (const a of [o.primary, ...o.aliases]) ownerOf.set(a, o.mailboxId);
  const byLocal = new Map<string, Set<string>>();
  const unidentifiable: string[] = [];
  const all = new Set<string>([...addresses, ...ownerOf.keys()]);
  for (const address of all) {
    const local = personLocalPart(address);
    if (local === null) {
      if (!ownerOf.has(address)) unidentifiable.push(address);
      continue;
    }
    const set = byLocal.get(local) ?? new Set<string>();
    set.add(address);
    byLocal.set(local, set);
  }
  // Union-find over local parts, so owner aliases with different local parts join one person.
  const parent = new Map<string, string>([...byLocal.keys()].map((k) => [k, k]));
  const find = (k: string): string => {
    let root = k;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(k, root);
    return root;
  };
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(rb, ra);
  };
  const dotted = new Map<string, string[]>();
  for (const local of byLocal.keys()) {
    const parts = local.split(".").filter(Boolean);
    if (parts.length < 2 || parts.some((p) => p.length < 2)) continue;
    const joined = parts.join("");
    dotted.set(joined, [...(dotted.get(joined) ?? []), local]);
  }
  const shortNames = new Map<string, string[]>();
  for (const local of byLocal.keys()) {
    const parts = local.split(".");
    if (parts.length === 3 && parts[1]!.length === 1 && byLocal.has(`${parts[0]}.${parts[2]}`))
      union(`${parts[0]}.${parts[2]}`, local);
    if (parts.length === 2 && /^[a-z]{2,}$/.test(parts[0]!) && /^[a-z]{6,}$/.test(parts[1]!)) {
      const short = `${parts[0]![0]}${parts[1]!.slice(0, 6)}`;
      shortNames.set(short, [...(shortNames.get(short) ?? []), local]);
    }
  }
  for (const local of byLocal.keys()) {
    if (local.includes(".")) continue;
    const match = dotted.get(local);
    if (match?.length === 1) union(match[0]!, local);
    const short = shortNames.get(local);
    if (short?.length === 1) union(short[0]!, local);
  }
  const ownerRoot = new Map<string, string>();
  for (const o of owners) {
    for (const a of [o.primary, ...o.aliases]) {
      const local = personLocalPart(a);
      if (local === null) continue;
      const seen = ownerRoot.get(o.mailboxId);
      if (seen === undefined) ownerRoot.set(o.mailboxId, local);
      else union(seen, local);
    }
  }
  const groups = new Map<string, string[]>();
  for (const [local, set] of byLocal) {
    const root = find(local);
    groups.set(root, [...(groups.get(root) ?? []), ...set]);
  }
  // A group that would join two owners is split back to the owners' own addresses.
  const people: InternalPerson[] = [];
  const preference = (a: string) => [
    /['"]/.test(a) ? 1 : 0,
    a.includes("_") ? 1 : 0,
    a.slice(a.lastIndexOf("@")).split(".").length,
    a.includes(".") && a.indexOf(".") < a.indexOf("@") ? 0 : 1,
    a.slice(0, a.lastIndexOf("@")).split(".").length,
  ];
  const better = (a: string, b: string) => {
    const pa = preference(a);
    const pb = preference(b);
    for (let i = 0; i < pa.length; i++) if (pa[i] !== pb[i]) return pa[i]! - pb[i]!;
    return a < b ? -1 : a > b ? 1 : 0;
  };
  for (const members of groups.values()) {
    const ownerIds = [...new Set(members.map((a) => ownerOf.get(a)).filter((o): o is string => !!o))];
    if (ownerIds.length > 1) {
      for (const o of owners.filter((x) => ownerIds.includes(x.mailboxId)))
        people.push({ primary: o.primary, aliases: [...o.aliases], ownerMailboxId: o.mailboxId });
      for (const a of members.filter((m) => !ownerOf.has(m)))
        people.push({ primary: a, aliases: [], ownerMailboxId: null });
      continue;
    }
    const ownerId = ownerIds[0] ?? null;
    const owner = ownerId === null ? undefined : owners.find((o) => o.mailboxId === ownerId);
    const sorted = [...new Set(members)].sort(better);
    const primary = owner?.primary ?? sorted[0]!;
    people.push({ primary, aliases: sorted.filter((a) => a !== primary), ownerMailboxId: ownerId });
  }
  people.sort((a, b) => (a.primary < b.primary ? -1 : a.primary > b.primary ? 1 : 0));
  return { people, unidentifiable: unidentifiable.sort() };
}
