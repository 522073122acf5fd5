import * as crypto from "node:crypto";
import { createHash } from "node:crypto";
import { PostgresAdapter, sql, type ExpressionBuilder } from "kysely";
import type { PartyRole } from "../ingest/collect";
import { registrableDomain } from "../insights/organisation";
import { cipherFor, type TenantCipher } from "./field-cipher";
import { inOpenTransaction } from "./open-transaction";
import type { Database } from "./database";
import type { Trx } from "./store";
import { withTenant } from "./tenant-scope";

/**
 * The integer keys of the lean collected-data schema (migration 0060, ARCHITECTURE.md "Lean
 * schema"): a small number per tenant, an address book per tenant (address ↔ number, the address
 * sealed by the tenant's cipher and found by its 8-byte keyed hash), colleague numbers (user id ↔
 * number), packed participants, and the 64-bit dedupe keys as signed integers.
 *
 * Numbers are never handed out twice in a tenant (`tenant.address_high`, `colleague_high`,
 * `interaction_high` keep the high-water marks), so a number read back always names the address or
 * colleague it was given to: `num → address` is cached per process without expiry. The reverse,
 * `address → num`, can go stale (a forgotten address leaves the book; a purged tenant starts over
 * with new numbers): readers check it against the store on every use (saving the hash and the
 * opening), and the writers check every address against the book once per batch.
 *
 * Caches are per store: keyed by the store's Kysely adapter, which its transactions share.
 */

// ---------------------------------------------------------------------------------------------
// 64-bit keys

const hex16 = /^[0-9a-f]{16}$/;

/** A 16-hex-digit key (fingerprint, Message-ID key) as the signed 64-bit integer it is stored as. */
export function keyToInt(hex: string): bigint {
  if (!hex16.test(hex)) throw new Error(`not a 64-bit key: ${hex}`);
  return BigInt.asIntN(64, BigInt(`0x${hex}`));
}

/** The stored integer (bigint, or its decimal text) back as the 16-hex-digit key. */
export function intToKey(value: bigint | string | number): string {
  const big = typeof value === "bigint" ? value : BigInt(value);
  return BigInt.asUintN(64, big).toString(16).padStart(16, "0");
}

/**
 * A key column as 16 hex digits, in SQL (PostgreSQL parses int8 to Number, which loses bits):
 * readers select `keyHexSql(engine, "i.fingerprint")`.
 */
export function keyHexSql(engine: "sqlite" | "postgres", column: string) {
  return engine === "sqlite"
    ? sql<string>`(case when ${sql.ref(column)} is null then null else printf('%016x', ${sql.ref(column)}) end)`
    : sql<string>`lpad(to_hex(${sql.ref(column)}), 16, '0')`;
}

/** An interaction's key besides its tenant: its seq and its instant (`occurred_at`). */
export interface InteractionKey {
  seq: number;
  at: number;
}

/**
 * `where` of the interactions with these keys (a slice of `interactionKeySlices`). Each engine by
 * its primary key: PostgreSQL's is (tenant_num, occurred_at, seq) (migration 0080), so the instant
 * goes with each seq: one probe of the key per seq, in the one month's partition the slice's
 * instants fall in (the planner prunes an `or` of pairs to the partitions some pair can be in, and
 * plans every pair for each of those). SQLite's key is (tenant_num, seq).
 */
export function interactionKeysIn(db: Trx, keys: readonly InteractionKey[]) {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  return (eb: ExpressionBuilder<Database, "interaction">) =>
    postgres
      ? eb(
          eb.refTuple("occurred_at", "seq"),
          "in",
          keys.map((k) => eb.tuple(k.at, k.seq)),
        )
      : eb(
          "seq",
          "in",
          keys.map((k) => k.seq),
        );
}

/**
 * Pairs per PostgreSQL statement of `interactionKeysIn`: planning an `or` of pairs grows faster
 * than linearly (measured at 100k emails: 100 pairs ~5–10 ms to plan and ~1 ms to run, 500 pairs
 * ~94 ms to plan).
 */
const postgresKeySlice = 100;

/**
 * Keys in slices of at most `size` for `interactionKeysIn`. PostgreSQL: in time order, at most
 * `postgresKeySlice` a slice, and a slice never spans two calendar months (UTC), so each statement
 * reads one partition. SQLite: as given.
 */
export function interactionKeySlices(
  db: Trx,
  keys: readonly InteractionKey[],
  size: number,
): InteractionKey[][] {
  const slices: InteractionKey[][] = [];
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) {
    for (let i = 0; i < keys.length; i += size) slices.push(keys.slice(i, i + size));
    return slices;
  }
  const month = (at: number) => {
    const d = new Date(at);
    return d.getUTCFullYear() * 12 + d.getUTCMonth();
  };
  const most = Math.min(size, postgresKeySlice);
  let current: InteractionKey[] = [];
  for (const k of [...keys].sort((a, b) => a.at - b.at || a.seq - b.seq)) {
    if (current.length === most || (current.length > 0 && month(current[0]!.at) !== month(k.at))) {
      slices.push(current);
      current = [];
    }
    current.push(k);
  }
  if (current.length > 0) slices.push(current);
  return slices;
}

/**
 * A thread identifier (conversation id, In-Reply-To) as a 64-bit key: the insights only compare
 * them for equality (store/… readers return `intToKey` of it). Null stays null.
 */
export function threadKey(text: string | null): bigint | null {
  if (text === null) return null;
  let key = threadKeys.get(text);
  if (key === undefined) {
    if (threadKeys.size === rememberedThreadKeys) threadKeys.clear();
    key = sha1(`t|${text}`).readBigInt64BE(0);
    threadKeys.set(text, key);
  }
  return key;
}

/** Thread ids recur (every message of a conversation): their keys are kept, up to a bound. */
const threadKeys = new Map<string, bigint>();
const rememberedThreadKeys = 50_000;

// crypto.hash (Node ≥ 20.12) hashes a short string at a fraction of createHash's cost.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: "buffer") => Buffer }).hash;
const sha1 =
  typeof oneShot === "function"
    ? (text: string): Buffer => oneShot("sha1", text, "buffer")
    : (text: string): Buffer => createHash("sha1").update(text).digest();

/** A key that is not 16 hex digits (only in stores migrated from hand-written rows): hashed. */
export function anyKeyToInt(key: string): bigint {
  return hex16.test(key) ? keyToInt(key) : sha1(key).readBigInt64BE(0);
}

// ---------------------------------------------------------------------------------------------
// Small codes

export const partyRoles: readonly PartyRole[] = ["from", "to", "cc", "organizer", "required", "optional"];
const roleCodes = new Map<string, number>(partyRoles.map((r, i) => [r, i]));

export function roleCode(role: string): number {
  const code = roleCodes.get(role);
  if (code === undefined) throw new Error(`unknown party role: ${role}`);
  return code;
}

export function roleOf(code: number): PartyRole {
  const role = partyRoles[code];
  if (role === undefined) throw new Error(`unknown party role code: ${code}`);
  return role;
}

export const interactionKinds = ["email", "meeting"] as const;
export const kindCode = (kind: "email" | "meeting"): number => (kind === "email" ? 0 : 1);
export const kindOf = (code: number): "email" | "meeting" => (code === 0 ? "email" : "meeting");

// ---------------------------------------------------------------------------------------------
// Packed parties: per party, varint address num, role byte, varint (user num + 1, 0 for none)

export interface PackedParty {
  address: number;
  role: number;
  /** Colleague number, or null for an external person. */
  user: number | null;
}

function varintLength(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

function writeVarint(out: Buffer, at: number, v: number): number {
  while (v >= 0x80) {
    out[at++] = (v & 0x7f) | 0x80;
    v = Math.floor(v / 128);
  }
  out[at++] = v;
  return at;
}

export function packParties(parties: readonly PackedParty[]): Buffer {
  let size = 0;
  for (const p of parties)
    size += varintLength(p.address) + 1 + varintLength(p.user === null ? 0 : p.user + 1);
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const p of parties) {
    at = writeVarint(out, at, p.address);
    out[at++] = p.role;
    at = writeVarint(out, at, p.user === null ? 0 : p.user + 1);
  }
  return out;
}

export function unpackParties(bytes: Uint8Array): PackedParty[] {
  const out: PackedParty[] = [];
  let at = 0;
  const read = (): number => {
    let v = 0;
    let scale = 1;
    for (;;) {
      if (at >= bytes.length) throw new Error("packed parties end inside a number");
      const b = bytes[at++]!;
      v += (b & 0x7f) * scale;
      if (b < 0x80) return v;
      scale *= 128;
    }
  };
  while (at < bytes.length) {
    const address = read();
    if (at >= bytes.length) throw new Error("packed parties end inside a party");
    const role = bytes[at++]!;
    const user = read();
    out.push({ address, role, user: user === 0 ? null : user - 1 });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Per-store caches

interface Book {
  /** Address → its number and the key it was found under (may be stale: checked on use). */
  byAddress: Map<string, { num: number; key: Buffer }>;
  /**
   * Number → address (null: the sealed address cannot be opened). Never stale: numbers are never
   * handed out twice in a tenant (high-water marks on `tenant`) — except one handed out in a
   * transaction that rolled back, so entries are only taken from reads outside a transaction
   * (`remembers`).
   */
  byNum: Map<number, string | null>;
  byColleague: Map<number, string>;
}

interface StoreCache {
  tenantNums: Map<string, number>;
  books: Map<string, Book>;
}

const caches = new WeakMap<object, StoreCache>();

/**
 * Whether what `db` reads may be cached for good: not inside a transaction, whose numbers (handed
 * out by bumping a high-water mark) are given again to other addresses if it rolls back.
 */
const remembers = (db: Trx): boolean => !inOpenTransaction(db);

function cacheOf(db: Trx): StoreCache {
  const key = db.getExecutor().adapter;
  let cache = caches.get(key);
  if (!cache) caches.set(key, (cache = { tenantNums: new Map(), books: new Map() }));
  return cache;
}

/** The caches of one tenant of `db`'s store. */
export function bookOf(db: Trx, tenantId: string): Book {
  const cache = cacheOf(db);
  let book = cache.books.get(tenantId);
  if (!book)
    cache.books.set(tenantId, (book = { byAddress: new Map(), byNum: new Map(), byColleague: new Map() }));
  return book;
}

/**
 * Forgets what this process cached of a tenant's address book (after deleting from it, so that a
 * look-up by address goes to the store again). Not needed for correctness (see above), only to
 * keep stale entries from piling up.
 */
export function dropCachedAddresses(db: Trx, tenantId: string, addresses?: Iterable<string>): void {
  const book = bookOf(db, tenantId);
  if (!addresses) {
    book.byAddress.clear();
    return;
  }
  for (const a of addresses) book.byAddress.delete(a);
}

// ---------------------------------------------------------------------------------------------
// Tenant numbers

/** The tenant's number (cached per store and process: it never changes). */
export async function tenantNum(db: Trx, tenantId: string): Promise<number> {
  const cache = cacheOf(db);
  const known = cache.tenantNums.get(tenantId);
  if (known !== undefined) return known;
  const row = await withTenant(tenantId, () =>
    sql<{ num: number | null }>`select num from tenant where id = ${tenantId}`.execute(db),
  );
  const num = row.rows[0]?.num;
  if (num === undefined || num === null) throw new Error(`tenant ${tenantId} has no number`);
  cache.tenantNums.set(tenantId, Number(num));
  return Number(num);
}

/** The tenant's number, from a cache filled by `tenantNum` or by the SQLite writer. */
export function cachedTenantNum(db: Trx, tenantId: string): number | undefined {
  return cacheOf(db).tenantNums.get(tenantId);
}

export function rememberTenantNum(db: Trx, tenantId: string, num: number): void {
  cacheOf(db).tenantNums.set(tenantId, num);
}

// ---------------------------------------------------------------------------------------------
// Address book look-ups

/**
 * The keys an address may be stored under, in probing order: its keyed hash, then (only after a
 * 64-bit collision with another address) the hash of the address with one, two, … U+0001 added.
 */
export function addressKeyVariant(cipher: TenantCipher, address: string, variant: number): Buffer {
  return cipher.addressKey(variant === 0 ? address : address + "\u0001".repeat(variant));
}

/** How many variants a look-up probes (a second collision on one address is ~2^-64 squared). */
export const addressKeyVariants = 4;

const lookupSlice = 500;

/**
 * The numbers of the addresses the tenant's book holds (others are absent from the result).
 * Readers: the rows of an address are then found by its number. Always asked of the store (a
 * cached number may be stale: the address forgotten, or the tenant purged and collected again),
 * but an address met before is not hashed again, nor its sealed text opened when the store still
 * gives it the cached number under the cached key.
 */
export async function addressNumsOf(
  db: Trx,
  tenantId: string,
  addresses: Iterable<string>,
): Promise<Map<string, number>> {
  const book = bookOf(db, tenantId);
  const found = new Map<string, number>();
  const cached = new Map<string, { address: string; num: number }>();
  let missing: string[] = [];
  for (const a of new Set(addresses)) {
    const known = book.byAddress.get(a);
    const hex = known?.key.toString("hex");
    // (Two cached addresses under one key: one is stale; both are asked afresh.)
    if (known && hex !== undefined && !cached.has(hex)) cached.set(hex, { address: a, num: known.num });
    else missing.push(a);
  }
  const t = await tenantNum(db, tenantId);
  if (cached.size > 0) {
    const still = new Set<string>();
    for (const r of await selectByKeys(db, tenantId, t, [...cached.keys()])) {
      const hex = Buffer.from(r.key).toString("hex");
      const c = cached.get(hex)!;
      if (Number(r.num) === c.num) {
        found.set(c.address, c.num);
        still.add(hex);
      }
    }
    for (const [hex, c] of cached)
      if (!still.has(hex)) {
        book.byAddress.delete(c.address);
        missing.push(c.address);
      }
  }
  if (missing.length === 0) return found;
  const cipher = cipherFor(tenantId);
  for (let variant = 0; variant < addressKeyVariants && missing.length > 0; variant++) {
    // Addresses by key: several when their keys collide.
    const byKey = new Map<string, { key: Buffer; wanted: string[] }>();
    for (const a of missing) {
      const key = addressKeyVariant(cipher, a, variant);
      const hex = key.toString("hex");
      const same = byKey.get(hex);
      if (same) same.wanted.push(a);
      else byKey.set(hex, { key, wanted: [a] });
    }
    const rows = await selectByKeys(db, tenantId, t, [...byKey.keys()]);
    const collided: string[] = [];
    for (const r of rows) {
      const { key, wanted } = byKey.get(Buffer.from(r.key).toString("hex"))!;
      const opened = cipher.open("address", Buffer.from(r.sealed));
      if (opened === null) continue;
      const num = Number(r.num);
      if (remembers(db)) book.byNum.set(num, opened);
      // The stored entry is one of them, or none (a collision): the others probe the next key.
      for (const a of wanted) {
        if (a === opened) {
          found.set(a, num);
          book.byAddress.set(a, { num, key });
        } else collided.push(a);
      }
    }
    missing = collided;
  }
  return found;
}

async function selectByKeys(
  db: Trx,
  tenantId: string,
  t: number,
  hexKeys: readonly string[],
): Promise<{ num: number; key: Uint8Array; sealed: Uint8Array }[]> {
  const out: { num: number; key: Uint8Array; sealed: Uint8Array }[] = [];
  for (let i = 0; i < hexKeys.length; i += lookupSlice) {
    const keys = hexKeys.slice(i, i + lookupSlice).map((k) => Buffer.from(k, "hex"));
    const rows = await withTenant(tenantId, () =>
      sql<{ num: number; key: Uint8Array; sealed: Uint8Array }>`select num, key, sealed from address_book
        where tenant_num = ${t} and key in (${sql.join(keys)})`.execute(db),
    );
    out.push(...rows.rows);
  }
  return out;
}

/**
 * The addresses of `nums` (null for one whose sealed text cannot be opened: a withdrawn tenant);
 * numbers the book does not hold are absent from the result.
 */
export async function addressesOf(
  db: Trx,
  tenantId: string,
  nums: Iterable<number>,
): Promise<Map<number, string | null>> {
  const book = bookOf(db, tenantId);
  const found = new Map<number, string | null>();
  const missing: number[] = [];
  for (const n of nums) {
    if (found.has(n)) continue;
    const a = book.byNum.get(n);
    if (a !== undefined) found.set(n, a);
    else missing.push(n);
  }
  if (missing.length === 0) return found;
  const t = await tenantNum(db, tenantId);
  const cipher = cipherFor(tenantId);
  const unique = [...new Set(missing)];
  for (let i = 0; i < unique.length; i += lookupSlice) {
    const slice = unique.slice(i, i + lookupSlice);
    const rows = await withTenant(tenantId, () =>
      sql<{ num: number; sealed: Uint8Array }>`select num, sealed from address_book
        where tenant_num = ${t} and num in (${sql.join(slice)})`.execute(db),
    );
    for (const r of rows.rows) {
      const num = Number(r.num);
      const address = cipher.open("address", Buffer.from(r.sealed));
      found.set(num, address);
      // A withdrawn tenant's addresses are not cached: they stay unreadable, and a cache entry
      // would outlive nothing useful.
      if (address !== null && remembers(db)) book.byNum.set(num, address);
    }
  }
  return found;
}

/** The address of a number this process has already read (sync; undefined when not cached). */
export function cachedAddress(db: Trx, tenantId: string, num: number): string | null | undefined {
  return bookOf(db, tenantId).byNum.get(num);
}

// ---------------------------------------------------------------------------------------------
// Colleague numbers

/**
 * The colleague numbers of `userIds` that have one (users never collected have none). Asked of the
 * store every time, as addresses are: a user's number changes when the tenant's collected data is
 * purged and collected again.
 */
export async function colleagueNumsOf(
  db: Trx,
  tenantId: string,
  userIds: Iterable<string>,
): Promise<Map<string, number>> {
  const book = bookOf(db, tenantId);
  const found = new Map<string, number>();
  const wanted = [...new Set(userIds)];
  if (wanted.length === 0) return found;
  const t = await tenantNum(db, tenantId);
  for (let i = 0; i < wanted.length; i += lookupSlice) {
    const slice = wanted.slice(i, i + lookupSlice);
    const rows = await withTenant(tenantId, () =>
      sql<{ num: number; user_id: string }>`select num, user_id from colleague
        where tenant_num = ${t} and user_id in (${sql.join(slice)})`.execute(db),
    );
    for (const r of rows.rows) {
      found.set(r.user_id, Number(r.num));
      if (remembers(db)) book.byColleague.set(Number(r.num), r.user_id);
    }
  }
  return found;
}

/** The user ids of colleague numbers (absent: not in the table). */
export async function colleaguesOf(
  db: Trx,
  tenantId: string,
  nums: Iterable<number>,
): Promise<Map<number, string>> {
  const book = bookOf(db, tenantId);
  const found = new Map<number, string>();
  const missing: number[] = [];
  for (const n of nums) {
    const u = book.byColleague.get(n);
    if (u !== undefined) found.set(n, u);
    else missing.push(n);
  }
  if (missing.length === 0) return found;
  const t = await tenantNum(db, tenantId);
  const unique = [...new Set(missing)];
  for (let i = 0; i < unique.length; i += lookupSlice) {
    const slice = unique.slice(i, i + lookupSlice);
    const rows = await withTenant(tenantId, () =>
      sql<{ num: number; user_id: string }>`select num, user_id from colleague
        where tenant_num = ${t} and num in (${sql.join(slice)})`.execute(db),
    );
    for (const r of rows.rows) {
      found.set(Number(r.num), r.user_id);
      if (remembers(db)) book.byColleague.set(Number(r.num), r.user_id);
    }
  }
  return found;
}

/** Every colleague of the tenant, number → user id (a tenant has at most its directory's users). */
export async function allColleagues(db: Trx, tenantId: string): Promise<Map<number, string>> {
  const t = await tenantNum(db, tenantId);
  const book = bookOf(db, tenantId);
  const rows = await withTenant(tenantId, () =>
    sql<{ num: number; user_id: string }>`select num, user_id from colleague where tenant_num = ${t}`.execute(
      db,
    ),
  );
  const out = new Map<number, string>();
  for (const r of rows.rows) {
    out.set(Number(r.num), r.user_id);
    if (remembers(db)) book.byColleague.set(Number(r.num), r.user_id);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Sealed text and domain keys

/** The domain's keyed hash, as stored in `person.domain_key`. */
export function domainKeyOf(tenantId: string, domain: string): Buffer {
  return cipherFor(tenantId).domainKey(domain);
}

/**
 * What `person.domain_key` holds for a person at `domain`: the keyed hash of its registrable domain
 * (`eu.fabrikam.com` and `fabrikam.com` share one), so one index probe finds an organisation's
 * people at every host; readers keep exact or subdomain matches after opening the addresses.
 */
export function personDomainKey(cipher: TenantCipher, domain: string): Buffer {
  return cipher.domainKey(registrableDomain(domain));
}

/** The domain part of an address (after its last `@`). */
export function domainOfAddress(address: string): string {
  return address.slice(address.lastIndexOf("@") + 1);
}

export function sealText(tenantId: string, field: "address" | "name" | "subject", text: string): Buffer {
  return cipherFor(tenantId).seal(field, text);
}

export function openText(
  tenantId: string,
  field: "address" | "name" | "subject",
  sealed: Uint8Array | null,
): string | null {
  if (sealed === null) return null;
  return cipherFor(tenantId).open(field, Buffer.from(sealed.buffer, sealed.byteOffset, sealed.length));
}

/**
 * Deletes the address-book entries among `nums` (of tenant number `t`) that no party row, person or
 * pair state names any more: a purge's or retention's last step, so no sealed address outlives the
 * rows that needed it. Entries still named stay.
 */
export async function deleteUnreferencedAddresses(
  trx: Trx,
  t: number,
  nums: readonly number[],
): Promise<void> {
  const unreferenced = sql<boolean>`${sql.join(
    addressReferences.map(
      ([table, column]) => sql`not exists (select 1 from ${sql.table(table)} as r
        where r.tenant_num = address_book.tenant_num and ${sql.ref(`r.${column}`)} = address_book.num)`,
    ),
    sql` and `,
  )}`;
  for (let i = 0; i < nums.length; i += lookupSlice)
    await trx
      .deleteFrom("address_book")
      .where("tenant_num", "=", t)
      .where("num", "in", nums.slice(i, i + lookupSlice))
      .where(unreferenced)
      .execute();
}

/** The rows that name an address-book entry by its number: table and column. */
const addressReferences = [
  ["interaction_party", "address_num"],
  ["person", "num"],
  ["pair_state", "person_num"],
] as const;

// ---------------------------------------------------------------------------------------------
// Numbering new addresses and colleagues (writers; both engines)

/**
 * The numbers of `addresses`, giving the ones the book lacks the next numbers of the tenant
 * (`tenant.address_high`, bumped in the same statement: concurrent writers of one tenant wait on
 * the tenant row). Checked against the store, never the cache: call it inside the writing
 * transaction. A 64-bit key already taken by another address (a collision) moves the new address
 * to the next key variant.
 */
export async function ensureAddressNums(
  db: Trx,
  tenantId: string,
  addresses: Iterable<string>,
): Promise<Map<string, number>> {
  const t = await tenantNum(db, tenantId);
  const cipher = cipherFor(tenantId);
  const found = new Map<string, number>();
  /** Address → the first key variant not held by another address. */
  const free = new Map<string, Buffer>();
  let probe = [...new Set(addresses)];
  for (let variant = 0; probe.length > 0; variant++) {
    if (variant === addressKeyVariants) throw new Error("address key variants exhausted");
    // Addresses by key: several when their keys collide.
    const byKey = new Map<string, { key: Buffer; addresses: string[] }>();
    for (const a of probe) {
      const key = addressKeyVariant(cipher, a, variant);
      const hex = key.toString("hex");
      const same = byKey.get(hex);
      if (same) same.addresses.push(a);
      else byKey.set(hex, { key, addresses: [a] });
    }
    const taken = new Map<string, { num: number; sealed: Uint8Array }>();
    for (const r of await selectByKeys(db, tenantId, t, [...byKey.keys()]))
      taken.set(Buffer.from(r.key).toString("hex"), { num: Number(r.num), sealed: r.sealed });
    const next: string[] = [];
    for (const [hex, { key, addresses: wanted }] of byKey) {
      const row = taken.get(hex);
      if (!row) {
        // A free key: the first address takes it, any other under it probes on.
        free.set(wanted[0]!, key);
        next.push(...wanted.slice(1));
        continue;
      }
      const opened = cipher.open("address", Buffer.from(row.sealed));
      for (const a of wanted) {
        if (opened === a) found.set(a, row.num);
        else next.push(a);
      }
    }
    probe = next;
  }
  if (free.size > 0) {
    const high = await withTenant(tenantId, () =>
      sql<{ address_high: number }>`update tenant set address_high = address_high + ${free.size}
        where id = ${tenantId} returning address_high`.execute(db),
    );
    let num = Number(high.rows[0]!.address_high) - free.size;
    const rows: unknown[][] = [];
    for (const [address, key] of free) {
      found.set(address, ++num);
      rows.push([t, num, key, cipher.seal("address", address)]);
    }
    await insertRows(db, tenantId, "address_book", ["tenant_num", "num", "key", "sealed"], rows);
  }
  return found;
}

/** The colleague numbers of `userIds`, numbering the ones without one (`tenant.colleague_high`). */
export async function ensureColleagueNums(
  db: Trx,
  tenantId: string,
  userIds: Iterable<string>,
): Promise<Map<string, number>> {
  const t = await tenantNum(db, tenantId);
  const wanted = [...new Set(userIds)];
  const found = new Map<string, number>();
  for (let i = 0; i < wanted.length; i += lookupSlice) {
    const slice = wanted.slice(i, i + lookupSlice);
    const rows = await withTenant(tenantId, () =>
      sql<{ num: number; user_id: string }>`select num, user_id from colleague
        where tenant_num = ${t} and user_id in (${sql.join(slice)})`.execute(db),
    );
    for (const r of rows.rows) found.set(r.user_id, Number(r.num));
  }
  const missing = wanted.filter((u) => !found.has(u));
  if (missing.length > 0) {
    const high = await withTenant(tenantId, () =>
      sql<{ colleague_high: number }>`update tenant set colleague_high = colleague_high + ${missing.length}
        where id = ${tenantId} returning colleague_high`.execute(db),
    );
    let num = Number(high.rows[0]!.colleague_high) - missing.length;
    const rows: unknown[][] = [];
    for (const u of missing) {
      found.set(u, ++num);
      rows.push([t, num, u]);
    }
    await insertRows(db, tenantId, "colleague", ["tenant_num", "num", "user_id"], rows);
  }
  return found;
}

async function insertRows(
  db: Trx,
  tenantId: string,
  table: string,
  columns: readonly string[],
  rows: readonly unknown[][],
): Promise<void> {
  const names = sql.raw(columns.join(", "));
  for (let i = 0; i < rows.length; i += lookupSlice) {
    const part = rows.slice(i, i + lookupSlice);
    await withTenant(tenantId, () =>
      sql`insert into ${sql.table(table)} (${names}) values ${sql.join(
        part.map((row) => sql`(${sql.join(row)})`),
      )}`.execute(db),
    );
  }
}
