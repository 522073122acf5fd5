/**
 * Reads behind the insights (SPEC §4): connection strengths, the internal graph, people and
 * accounts, and the interactions a KPI or engagement figure is computed from. Rows become domain
 * values here; consent filtering is the service's job (decideAccess) and happens after.
 */
import type Sqlite from "better-sqlite3";
import { sql } from "kysely";
import type { PairState } from "../insights/strength";
import {
  addressesOf,
  addressKeyVariant,
  addressKeyVariants,
  addressNumsOf,
  colleagueNumsOf,
  colleaguesOf,
  domainOfAddress,
  kindOf,
  personDomainKey,
  tenantNum,
} from "./collected-keys";
import { cipherFor, type TenantCipher } from "./field-cipher";
import {
  asStoredInteraction,
  engineOf,
  interactionColumns,
  jsonToRow,
  openSealed,
  resolveInteractions,
  sqliteInteractionJson,
  type BuildInteraction,
  type InteractionRow,
  type Participants,
  type StoredInteraction,
} from "./interaction-read.repository";
import { decodePairState } from "./pair-state-codec";
import { cachedStatement, preparedMarker, withSqliteHandle, withSqliteRead, type Trx } from "./store";
import { withTenant } from "./tenant-scope";

export interface UserRef {
  id: string;
  email: string;
  name: string;
}

export interface PairRow {
  person: string;
  userId: string;
  state: PairState;
}

const chunked = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

/**
 * SQLite hot path: `text` as a cached prepared statement returning rows as arrays; undefined when
 * `db` is not a store's root SQLite handle (the caller then runs its Kysely query). The SQL must
 * say the same as the Kysely query it stands in for.
 */
async function sqliteRows<T extends unknown[]>(
  db: Trx,
  text: string,
  params: readonly unknown[],
): Promise<T[] | undefined> {
  return (
    await withSqliteHandle(db, (database) => cachedStatement(database, text, true).all(...params) as T[])
  )?.value;
}

/**
 * One person's address number, or undefined when the tenant's address book lacks the address.
 * SQLite: probed on a cached statement (`sqliteAddressNum`), not through the query builder (a
 * who-knows-whom answer spent more on building the look-up than on its own reads).
 */
async function personNum(db: Trx, tenantId: string, address: string): Promise<number | undefined> {
  const t = await tenantNum(db, tenantId);
  const fast = await withSqliteHandle(db, (database) =>
    sqliteAddressNum(database, cipherFor(tenantId), t, address),
  );
  return fast ? fast.value : (await addressNumsOf(db, tenantId, [address])).get(address);
}

/**
 * The numbers of the addresses the tenant's book holds (collected-keys.ts `addressNumsOf`). SQLite:
 * one probe per address on a cached statement (a few µs each), not one `key in (…)` statement,
 * which SQLite's planner, without statistics, runs as a scan of the tenant's whole address book.
 */
async function addressNums(
  db: Trx,
  tenantId: string,
  addresses: readonly string[],
): Promise<Map<string, number>> {
  const t = await tenantNum(db, tenantId);
  const fast = await withSqliteHandle(db, (database) => {
    const cipher = cipherFor(tenantId);
    const out = new Map<string, number>();
    for (const address of new Set(addresses)) {
      const num = sqliteAddressNum(database, cipher, t, address);
      if (num !== undefined) out.set(address, num);
    }
    return out;
  });
  return fast ? fast.value : addressNumsOf(db, tenantId, addresses);
}

/**
 * `addressNumsOf` for one address on SQLite's handle: the key variants in order (collected-keys.ts),
 * each entry's sealed address opened and compared (another address under the key: a collision,
 * try the next variant; no entry: not in the book).
 */
function sqliteAddressNum(
  database: Sqlite.Database,
  cipher: TenantCipher,
  t: number,
  address: string,
): number | undefined {
  const probe = cachedStatement(
    database,
    "select num, sealed from address_book where tenant_num = ? and key = ?",
    true,
  );
  for (let variant = 0; variant < addressKeyVariants; variant++) {
    const row = probe.get(t, addressKeyVariant(cipher, address, variant)) as [number, Buffer] | undefined;
    if (!row) return undefined;
    if (cipher.open("address", row[1]) === address) return Number(row[0]);
  }
  return undefined;
}

/**
 * `select user_id, state` of every colleague's state with one person (number `?` after the
 * tenant's): the primary-key range of pair_state, each colleague number turned into its user id by
 * the colleague table's primary key.
 */
const statesOfPersonSql =
  "select c.user_id, s.state from pair_state s join colleague c on c.tenant_num = s.tenant_num and c.num = s.user_num where s.tenant_num = ? and s.person_num = ?";

/** Every colleague's strength state with one external person (primary-key lookup). */
export async function pairStatesForPerson(db: Trx, tenantId: string, person: string): Promise<PairRow[]> {
  return withTenant(tenantId, async () => {
    const num = await personNum(db, tenantId, person);
    if (num === undefined) return [];
    const t = await tenantNum(db, tenantId);
    const fast = await sqliteRows<[string, Buffer]>(db, statesOfPersonSql, [t, num]);
    if (fast) return byUser(fast.map((r) => ({ person, userId: r[0], state: decodePairState(r[1]) })));
    const rows = await db
      .selectFrom("pair_state as s")
      .innerJoin("colleague as c", (j) =>
        j.onRef("c.tenant_num", "=", "s.tenant_num").onRef("c.num", "=", "s.user_num"),
      )
      .select(["c.user_id", "s.state"])
      .where("s.tenant_num", "=", t)
      .where("s.person_num", "=", num)
      .execute();
    return byUser(rows.map((r) => ({ person, userId: r.user_id, state: decodePairState(r.state) })));
  });
}

/**
 * Rows in the order the text-keyed tables gave them (by user id, then person): pair_state's
 * numbers follow first appearance, and a caller ranking equal strengths keeps the order it was given.
 */
function byUser(rows: PairRow[]): PairRow[] {
  return rows.sort((a, b) => compareText(a.userId, b.userId) || compareText(a.person, b.person));
}

function byPerson(rows: PairRow[]): PairRow[] {
  return rows.sort((a, b) => compareText(a.person, b.person) || compareText(a.userId, b.userId));
}

const compareText = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

export interface PersonStates {
  person: PersonRef | undefined;
  /** The first of `accountKeys` that names an account (by CRM id, else by mapped domain). */
  account: AccountRef | undefined;
  states: PairRow[];
}

/** A person row as the domain value: the address as asked (the book's opened address equals it). */
function personRef(cipher: TenantCipher, address: string, name: Uint8Array | null): PersonRef {
  return { address, name: openSealed(cipher, "name", name), domain: domainOfAddress(address) };
}

/**
 * Everything a who-knows-whom question reads about one person, in one statement on PostgreSQL
 * (one hold of the connection on SQLite) after the address's number is known (one address-book
 * probe, cached per process): the person, the account found by the first of `accountKeys` (each
 * tried as a CRM id, then as a mapped domain, like `findAccount`) and every colleague's strength
 * state with them. What `findPerson`, `findAccount` and `pairStatesForPerson` read, without their
 * four round trips.
 */
export async function personWithStates(
  db: Trx,
  tenantId: string,
  address: string,
  accountKeys: readonly string[],
): Promise<PersonStates> {
  return withTenant(tenantId, async () => {
    const keys = accountKeys.slice(0, 2);
    const t = await tenantNum(db, tenantId);
    const cipher = cipherFor(tenantId);
    // SQLite: the address's number, the person, the account and the states in one hold and one
    // read transaction (one snapshot, one read lock instead of five).
    const fast = await withSqliteRead(db, (database) => {
      // An address the book lacks has no person row and no states: -1 is no address's number.
      const num = sqliteAddressNum(database, cipher, t, address) ?? -1;
      const personRow = cachedStatement(
        database,
        "select name from person where tenant_num = ? and num = ?",
        true,
      ).get(t, num) as [Buffer | null] | undefined;
      const byId = cachedStatement(
        database,
        "select id, name, primary_contact_id from account where tenant_id = ? and id = ?",
        true,
      );
      let accountRow: [string, string, string | null] | undefined;
      for (const key of keys) {
        accountRow = byId.get(tenantId, key) as typeof accountRow;
        if (accountRow) break;
        const mapped = cachedStatement(
          database,
          "select account_id from account_domain where tenant_id = ? and domain = ?",
          true,
        ).get(tenantId, key.toLowerCase()) as [string] | undefined;
        if (mapped) accountRow = byId.get(tenantId, mapped[0]) as typeof accountRow;
        if (accountRow) break;
      }
      const domains = accountRow
        ? (
            cachedStatement(
              database,
              "select domain from account_domain where tenant_id = ? and account_id = ? order by domain",
              true,
            ).all(tenantId, accountRow[0]) as [string][]
          ).map((d) => d[0])
        : [];
      const states = cachedStatement(database, statesOfPersonSql, true).all(t, num) as [string, Buffer][];
      return {
        person: personRow ? personRef(cipher, address, personRow[0]) : undefined,
        account: accountRow
          ? { id: accountRow[0], name: accountRow[1], primaryContactId: accountRow[2], domains }
          : undefined,
        states: byUser(states.map((r) => ({ person: address, userId: r[0], state: decodePairState(r[1]) }))),
      } satisfies PersonStates;
    });
    if (fast) return fast.value;
    // PostgreSQL: the address-book probe is part of the statement (key variant 0 first, like
    // `sqliteAddressNum`): the entry's sealed address comes back with the rows and is opened here.
    // Another address under the key (a collision, ~2^-64) asks again with the next variant.
    for (let variant = 0; variant < addressKeyVariants; variant++) {
      const read = await personReadByKey(db, tenantId, t, addressKeyVariant(cipher, address, variant), keys);
      if (read.sealed !== null && openSealed(cipher, "address", read.sealed) !== address) continue;
      // No entry: the book lacks the address, so no person and no states (the account still counts).
      const out: PersonStates = { person: undefined, account: read.account, states: [] };
      if (read.sealed === null) return out;
      if (read.personFound) out.person = personRef(cipher, address, read.personName);
      out.states = byUser(
        read.states.map((r) => ({ person: address, userId: r.userId, state: decodePairState(r.state) })),
      );
      return out;
    }
    return {
      person: undefined,
      account: (await personReadByKey(db, tenantId, t, null, keys)).account,
      states: [],
    };
  });
}

interface KeyedPersonRead {
  /** The address-book entry's sealed address; null when no entry has the key. */
  sealed: Uint8Array | null;
  personFound: boolean;
  personName: Uint8Array | null;
  account: AccountRef | undefined;
  states: { userId: string; state: Uint8Array }[];
}

interface PendingPersonRead {
  key: Buffer | null;
  accountKeys: readonly string[];
  resolve: (read: KeyedPersonRead) => void;
  reject: (error: unknown) => void;
}

/** Per store and tenant: questions waiting for a statement, and how many statements are out. */
const personReadQueues = new WeakMap<object, Map<string, { waiting: PendingPersonRead[]; sent: number }>>();
const personReadsInFlight = 2;
const personReadBatch = 100;

/**
 * PostgreSQL: the person, account and states under `key` (see `personReadsByKey`). Outside a
 * transaction, questions asked while `personReadsInFlight` statements are already on their way
 * wait and go together in the next one, sent when one of those returns: a round trip per batch
 * instead of one per question (50 concurrent API requests: a few). A question is only ever
 * answered by a statement sent after it was asked, so it reads the store as it is then, exactly as
 * its own statement would; nothing is cached.
 */
function personReadByKey(
  db: Trx,
  tenantId: string,
  t: number,
  key: Buffer | null,
  accountKeys: readonly string[],
): Promise<KeyedPersonRead> {
  if (db.isTransaction)
    return personReadsByKey(db, tenantId, t, [{ key, accountKeys }]).then((reads) => reads[0]!);
  let queues = personReadQueues.get(db);
  if (!queues) {
    queues = new Map();
    personReadQueues.set(db, queues);
  }
  let queue = queues.get(tenantId);
  if (!queue) {
    queue = { waiting: [], sent: 0 };
    queues.set(tenantId, queue);
  }
  const read = new Promise<KeyedPersonRead>((resolve, reject) =>
    queue.waiting.push({ key, accountKeys, resolve, reject }),
  );
  if (queue.sent < personReadsInFlight) sendPersonReads(db, tenantId, t, queue);
  return read;
}

function sendPersonReads(
  db: Trx,
  tenantId: string,
  t: number,
  queue: { waiting: PendingPersonRead[]; sent: number },
): void {
  const batch = queue.waiting.splice(0, personReadBatch);
  if (batch.length === 0) return;
  queue.sent++;
  withTenant(tenantId, () => personReadsByKey(db, tenantId, t, batch))
    .then(
      (reads) => batch.forEach((p, i) => p.resolve(reads[i]!)),
      (error: unknown) => batch.forEach((p) => p.reject(error)),
    )
    .finally(() => {
      queue.sent--;
      if (queue.waiting.length > 0) sendPersonReads(db, tenantId, t, queue);
    });
}

/**
 * PostgreSQL: one statement for any number of questions, a named prepared one (`preparedMarker`:
 * its text does not depend on how many). For question i: rows tagged n (the address-book entry
 * under its key: the sealed address in `state`), p (that entry's person: the sealed name), a (the
 * best-ranked of its account keys that names an account, each tried as a CRM id, then as a mapped
 * domain), d (that account's domains) and s (every colleague's state with the person).
 */
async function personReadsByKey(
  db: Trx,
  tenantId: string,
  t: number,
  questions: readonly { key: Buffer | null; accountKeys: readonly string[] }[],
): Promise<KeyedPersonRead[]> {
  const first = questions.map((q) => q.accountKeys[0] ?? null);
  const second = questions.map((q) => q.accountKeys[1] ?? null);
  const { rows } = await sql<{
    kind: string;
    i: number;
    a: string | null;
    b: string | null;
    c: string | null;
    state: Buffer | null;
  }>`${sql.raw(preparedMarker)}
    with q as (
      select * from unnest(
        ${questions.map((_, i) => i)}::int[], ${questions.map((q) => q.key)}::bytea[],
        ${first}::text[], ${first.map((k) => k?.toLowerCase() ?? null)}::text[],
        ${second}::text[], ${second.map((k) => k?.toLowerCase() ?? null)}::text[]
      ) as q(i, key, first, first_domain, second, second_domain)
    ),
    book as (
      select q.i, b.num, b.sealed from q join address_book b on b.tenant_num = ${t} and b.key = q.key
    ),
    candidate as (
      select distinct on (c.i) c.i, c.account_id from (
        select q.i, a.id as account_id, 0 as rank from q join account a on a.tenant_id = ${tenantId} and a.id = q.first
        union all
        select q.i, d.account_id, 1 from q join account_domain d on d.tenant_id = ${tenantId} and d.domain = q.first_domain
        union all
        select q.i, a.id, 2 from q join account a on a.tenant_id = ${tenantId} and a.id = q.second
        union all
        select q.i, d.account_id, 3 from q join account_domain d on d.tenant_id = ${tenantId} and d.domain = q.second_domain
      ) c
      join account x on x.tenant_id = ${tenantId} and x.id = c.account_id
      order by c.i, c.rank
    )
    select 'n' as kind, book.i, null::text as a, null::text as b, null::text as c, book.sealed as state from book
    union all
    select 'p', book.i, null, null, null, p.name
      from book join person p on p.tenant_num = ${t} and p.num = book.num
    union all
    select 'a', candidate.i, x.id, x.name, x.primary_contact_id, null
      from candidate join account x on x.tenant_id = ${tenantId} and x.id = candidate.account_id
    union all
    select 'd', candidate.i, d.domain, null, null, null
      from candidate join account_domain d on d.tenant_id = ${tenantId} and d.account_id = candidate.account_id
    union all
    select 's', book.i, c.user_id, null, null, s.state
      from book join pair_state s on s.tenant_num = ${t} and s.person_num = book.num
      join colleague c on c.tenant_num = s.tenant_num and c.num = s.user_num
  `.execute(db);
  const out: KeyedPersonRead[] = questions.map(() => ({
    sealed: null,
    personFound: false,
    personName: null,
    account: undefined,
    states: [],
  }));
  const domains = questions.map((): string[] => []);
  for (const r of rows) {
    const read = out[r.i]!;
    if (r.kind === "n") read.sealed = r.state;
    else if (r.kind === "p") {
      read.personFound = true;
      read.personName = r.state;
    } else if (r.kind === "a")
      read.account = { id: r.a ?? "", name: r.b ?? "", primaryContactId: r.c, domains: domains[r.i]! };
    else if (r.kind === "d") domains[r.i]!.push(r.a ?? "");
    else if (r.state) read.states.push({ userId: r.a ?? "", state: r.state });
  }
  for (const d of domains) d.sort(compareText);
  return out;
}

export async function pairStatesForPersons(
  db: Trx,
  tenantId: string,
  persons: readonly string[],
): Promise<PairRow[]> {
  return withTenant(tenantId, async () => {
    const t = await tenantNum(db, tenantId);
    const nums = await addressNums(db, tenantId, persons);
    const addressOf = new Map<number, string>();
    for (const [address, num] of nums) addressOf.set(num, address);
    const out: PairRow[] = [];
    for (const slice of chunked([...addressOf.keys()], 500)) {
      const fast = await sqliteRows<[number, string, Buffer]>(
        db,
        `select s.person_num, c.user_id, s.state from pair_state s join colleague c on c.tenant_num = s.tenant_num and c.num = s.user_num where s.tenant_num = ? and s.person_num in (${slice.map(() => "?").join(", ")})`,
        [t, ...slice],
      );
      if (fast) {
        for (const r of fast)
          out.push({ person: addressOf.get(Number(r[0]))!, userId: r[1], state: decodePairState(r[2]) });
        continue;
      }
      const rows = await db
        .selectFrom("pair_state as s")
        .innerJoin("colleague as c", (j) =>
          j.onRef("c.tenant_num", "=", "s.tenant_num").onRef("c.num", "=", "s.user_num"),
        )
        .select(["s.person_num", "c.user_id", "s.state"])
        .where("s.tenant_num", "=", t)
        .where("s.person_num", "in", slice)
        .execute();
      for (const r of rows)
        out.push({
          person: addressOf.get(Number(r.person_num))!,
          userId: r.user_id,
          state: decodePairState(r.state),
        });
    }
    return byPerson(out);
  });
}

/** One colleague's ties to external people (My network). */
export async function pairStatesForUser(db: Trx, tenantId: string, userId: string): Promise<PairRow[]> {
  return withTenant(tenantId, async () => {
    const t = await tenantNum(db, tenantId);
    const user = (await colleagueNumsOf(db, tenantId, [userId])).get(userId);
    if (user === undefined) return [];
    // SQLite's planner, without statistics, takes the primary key's tenant prefix (every state of
    // the tenant) over the (tenant_num, user_num) index: name it.
    const rows =
      (
        await sqliteRows<[number, Buffer]>(
          db,
          "select person_num, state from pair_state indexed by pair_state_user where tenant_num = ? and user_num = ?",
          [t, user],
        )
      )?.map((r) => ({ person_num: r[0], state: r[1] })) ??
      (await db
        .selectFrom("pair_state")
        .select(["person_num", "state"])
        .where("tenant_num", "=", t)
        .where("user_num", "=", user)
        .execute());
    const addresses = await addressesOf(
      db,
      tenantId,
      rows.map((r) => Number(r.person_num)),
    );
    const out: PairRow[] = [];
    for (const r of rows) {
      const person = addresses.get(Number(r.person_num));
      if (person) out.push({ person, userId, state: decodePairState(r.state) });
    }
    return byPerson(out);
  });
}

interface InternalState {
  userA: string;
  userB: string;
  state: PairState;
}

/** Internal (colleague ↔ colleague) states with either end in `userIds`, or all when omitted. */
export async function internalPairStates(
  db: Trx,
  tenantId: string,
  userIds?: readonly string[],
): Promise<InternalState[]> {
  return withTenant(tenantId, async () => {
    const t = await tenantNum(db, tenantId);
    const rowsOut: { user_a: number; user_b: number; state: Buffer }[] = [];
    if (userIds === undefined) {
      rowsOut.push(
        ...(await db
          .selectFrom("internal_pair_state")
          .select(["user_a", "user_b", "state"])
          .where("tenant_num", "=", t)
          .execute()),
      );
    } else {
      const seen = new Set<string>();
      const keep = (a: number, b: number, state: Buffer) => {
        const key = `${a}:${b}`;
        if (seen.has(key)) return;
        seen.add(key);
        rowsOut.push({ user_a: a, user_b: b, state });
      };
      const nums = [...(await colleagueNumsOf(db, tenantId, userIds)).values()];
      for (const slice of chunked(nums, 400)) {
        for (const column of ["user_a", "user_b"] as const) {
          const fast = await sqliteRows<[number, number, Buffer]>(
            db,
            // user_b: the (tenant_num, user_b, user_a) index, named (the planner takes the key's tenant prefix).
            `select user_a, user_b, state from internal_pair_state${column === "user_b" ? " indexed by internal_pair_state_b" : ""} where tenant_num = ? and ${column} in (${slice.map(() => "?").join(", ")})`,
            [t, ...slice],
          );
          if (fast) {
            for (const [a, b, state] of fast) keep(Number(a), Number(b), state);
            continue;
          }
          const rows = await db
            .selectFrom("internal_pair_state")
            .select(["user_a", "user_b", "state"])
            .where("tenant_num", "=", t)
            .where(column, "in", slice)
            .execute();
          for (const r of rows) keep(Number(r.user_a), Number(r.user_b), r.state);
        }
      }
    }
    const users = await colleaguesOf(
      db,
      tenantId,
      rowsOut.flatMap((r) => [Number(r.user_a), Number(r.user_b)]),
    );
    const out: InternalState[] = [];
    for (const r of rowsOut) {
      const userA = users.get(Number(r.user_a));
      const userB = users.get(Number(r.user_b));
      if (userA !== undefined && userB !== undefined)
        out.push({ userA, userB, state: decodePairState(r.state) });
    }
    // The order the text-keyed table gave: by (user_a, user_b) ids; for `userIds`, the states with
    // user_a among them first, then the others by (user_b, user_a).
    const ab = (x: InternalState, y: InternalState) =>
      compareText(x.userA, y.userA) || compareText(x.userB, y.userB);
    if (userIds === undefined) return out.sort(ab);
    const wanted = new Set(userIds);
    return [
      ...out.filter((e) => wanted.has(e.userA)).sort(ab),
      ...out
        .filter((e) => !wanted.has(e.userA))
        .sort((x, y) => compareText(x.userB, y.userB) || compareText(x.userA, y.userA)),
    ];
  });
}

export async function usersByIds(db: Trx, tenantId: string, ids: readonly string[]): Promise<UserRef[]> {
  return withTenant(tenantId, async () => {
    const out: UserRef[] = [];
    for (const slice of chunked([...new Set(ids)], 500)) {
      const rows = await db
        .selectFrom("app_user")
        .select(["id", "email", "display_name"])
        .where("tenant_id", "=", tenantId)
        .where("id", "in", slice)
        .where("deleted_at", "is", null)
        .execute();
      for (const r of rows) out.push({ id: r.id, email: r.email, name: r.display_name });
    }
    return out;
  });
}

/** Roles a user holds now. */
export async function currentRoles(db: Trx, tenantId: string, userId: string): Promise<string[]> {
  return withTenant(tenantId, async () => {
    const rows = await db
      .selectFrom("role_assignment")
      .select("role")
      .where("tenant_id", "=", tenantId)
      .where("user_id", "=", userId)
      .where("valid_to", "is", null)
      .execute();
    return rows.map((r) => r.role);
  });
}

export interface PersonRef {
  address: string;
  name: string | null;
  domain: string;
}

export async function findPerson(db: Trx, tenantId: string, address: string): Promise<PersonRef | undefined> {
  return withTenant(tenantId, async () => {
    const num = await personNum(db, tenantId, address);
    if (num === undefined) return undefined;
    const t = await tenantNum(db, tenantId);
    const fast = await sqliteRows<[Buffer | null]>(
      db,
      "select name from person where tenant_num = ? and num = ?",
      [t, num],
    );
    if (fast) return fast[0] ? personRef(cipherFor(tenantId), address, fast[0][0]) : undefined;
    const row = await db
      .selectFrom("person")
      .select("name")
      .where("tenant_num", "=", t)
      .where("num", "=", num)
      .executeTakeFirst();
    return row ? personRef(cipherFor(tenantId), address, row.name) : undefined;
  });
}

/**
 * People whose domain key is one of `keys` (person_domain index), with their opened addresses, for
 * the caller to keep those whose domain matches exactly (a key names a domain only up to its hash).
 */
async function personsByDomainKeys(db: Trx, tenantId: string, keys: readonly Buffer[]): Promise<PersonRef[]> {
  const t = await tenantNum(db, tenantId);
  const cipher = cipherFor(tenantId);
  const out: PersonRef[] = [];
  const push = (name: Uint8Array | null, sealed: Uint8Array) => {
    const address = cipher.open("address", Buffer.from(sealed));
    if (address !== null) out.push(personRef(cipher, address, name));
  };
  for (const slice of chunked([...keys], 400)) {
    // SQLite's planner, without statistics, prefers the primary key's tenant prefix to the
    // (tenant_num, domain_key) index and scans every person of the tenant (17 ms at 250,000 people
    // instead of 0.2 ms, measured on the text schema): name the index.
    const fast = await sqliteRows<[Buffer | null, Buffer]>(
      db,
      `select p.name, a.sealed from person p indexed by person_domain join address_book a on a.tenant_num = p.tenant_num and a.num = p.num where p.tenant_num = ? and p.domain_key in (${slice.map(() => "?").join(", ")})`,
      [t, ...slice],
    );
    if (fast) {
      for (const r of fast) push(r[0], r[1]);
      continue;
    }
    const rows = await db
      .selectFrom("person as p")
      .innerJoin("address_book as a", (j) =>
        j.onRef("a.tenant_num", "=", "p.tenant_num").onRef("a.num", "=", "p.num"),
      )
      .select(["p.name", "a.sealed"])
      .where("p.tenant_num", "=", t)
      .where("p.domain_key", "in", slice)
      .execute();
    for (const r of rows) push(r.name, r.sealed);
  }
  return out;
}

export async function personsAtDomains(
  db: Trx,
  tenantId: string,
  domains: readonly string[],
): Promise<PersonRef[]> {
  return withTenant(tenantId, async () => {
    if (domains.length === 0) return [];
    const wanted = new Set(domains);
    const keys = new Map<string, Buffer>();
    const cipher = cipherFor(tenantId);
    for (const d of wanted) {
      const key = personDomainKey(cipher, d);
      keys.set(key.toString("hex"), key);
    }
    // In the order of the text-keyed index it replaces: by domain, then address.
    return (await personsByDomainKeys(db, tenantId, [...keys.values()]))
      .filter((p) => wanted.has(p.domain))
      .sort((x, y) => compareText(x.domain, y.domain) || compareText(x.address, y.address));
  });
}

/**
 * People whose domain is `organisation` or any subdomain of it (`ca.pwcglobal.com` for
 * `pwcglobal.com`). The caller checks each domain's registrable domain: a subdomain match alone
 * does not make one organisation (`x.blogspot.com` under `blogspot.com`).
 */
export async function personsUnderDomain(
  db: Trx,
  tenantId: string,
  organisation: string,
): Promise<PersonRef[]> {
  return withTenant(tenantId, async () =>
    (await personsUnderDomainCandidates(db, tenantId, organisation)).filter(
      (p) => p.domain === organisation || p.domain.endsWith(`.${organisation}`),
    ),
  );
}

/**
 * Candidates for `personsUnderDomain`: the people of `organisation`'s registrable domain. A domain
 * the Public Suffix List calls a suffix (`co.uk`) stands for itself there, so its subdomains'
 * people (`bp.co.uk`, organisations of their own) are not among them.
 */
async function personsUnderDomainCandidates(
  db: Trx,
  tenantId: string,
  organisation: string,
): Promise<PersonRef[]> {
  return personsByDomainKeys(db, tenantId, [personDomainKey(cipherFor(tenantId), organisation)]);
}

export interface AccountRef {
  id: string;
  name: string;
  primaryContactId: string | null;
  domains: string[];
}

export async function findAccount(
  db: Trx,
  tenantId: string,
  idOrDomain: string,
): Promise<AccountRef | undefined> {
  return withTenant(tenantId, async () => {
    // SQLite: the same three lookups on cached statements, in one hold of the connection.
    const fast = await withSqliteHandle(db, (database) => {
      const byId = cachedStatement(
        database,
        "select id, name, primary_contact_id from account where tenant_id = ? and id = ?",
        true,
      );
      let row = byId.get(tenantId, idOrDomain) as [string, string, string | null] | undefined;
      if (!row) {
        const mapped = cachedStatement(
          database,
          "select account_id from account_domain where tenant_id = ? and domain = ?",
          true,
        ).get(tenantId, idOrDomain.toLowerCase()) as [string] | undefined;
        if (mapped) row = byId.get(tenantId, mapped[0]) as [string, string, string | null] | undefined;
      }
      if (!row) return undefined;
      const domains = cachedStatement(
        database,
        "select domain from account_domain where tenant_id = ? and account_id = ? order by domain",
        true,
      ).all(tenantId, row[0]) as [string][];
      return { id: row[0], name: row[1], primaryContactId: row[2], domains: domains.map((d) => d[0]) };
    });
    if (fast) return fast.value;
    let row = await db
      .selectFrom("account")
      .select(["id", "name", "primary_contact_id"])
      .where("tenant_id", "=", tenantId)
      .where("id", "=", idOrDomain)
      .executeTakeFirst();
    if (!row) {
      const mapped = await db
        .selectFrom("account_domain")
        .select("account_id")
        .where("tenant_id", "=", tenantId)
        .where("domain", "=", idOrDomain.toLowerCase())
        .executeTakeFirst();
      if (mapped)
        row = await db
          .selectFrom("account")
          .select(["id", "name", "primary_contact_id"])
          .where("tenant_id", "=", tenantId)
          .where("id", "=", mapped.account_id)
          .executeTakeFirst();
    }
    if (!row) return undefined;
    const domains = await db
      .selectFrom("account_domain")
      .select("domain")
      .where("tenant_id", "=", tenantId)
      .where("account_id", "=", row.id)
      .orderBy("domain")
      .execute();
    return {
      id: row.id,
      name: row.name,
      primaryContactId: row.primary_contact_id,
      domains: domains.map((d) => d.domain),
    };
  });
}

export async function accountIdForDomain(db: Trx, tenantId: string, domain: string): Promise<string | null> {
  return withTenant(tenantId, async () => {
    const row = await db
      .selectFrom("account_domain")
      .select("account_id")
      .where("tenant_id", "=", tenantId)
      .where("domain", "=", domain)
      .executeTakeFirst();
    return row?.account_id ?? null;
  });
}

/** Every account domain of the tenant → account id (engagement maps people to accounts with it). */
export async function accountDomainMap(db: Trx, tenantId: string): Promise<Map<string, string>> {
  return withTenant(tenantId, async () => {
    const rows = await db
      .selectFrom("account_domain")
      .select(["domain", "account_id"])
      .where("tenant_id", "=", tenantId)
      .execute();
    return new Map(rows.map((r) => [r.domain, r.account_id]));
  });
}

/** Oldest first, then by id: the order of every interaction list read here. */
const oldestFirst = (a: { occurredAt: number; id: string }, b: { occurredAt: number; id: string }): number =>
  a.occurredAt - b.occurredAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * `rows` (distinct ids) in `oldestFirst` order. A comparison sort calls back into JS some
 * n·log n times (2.4 ms for a KPI read of 10,000 rows); instead, while (time − earliest) · n + index
 * stays an exact integer (times spanning up to 2^53 / n ms, 28 years at 10,000 rows), one native
 * sort of those numbers in a Float64Array orders the rows by time (under 1 ms), and only runs of
 * equal times are then put in id order.
 */
function sortOldestFirst<T extends { occurredAt: number; id: string }>(rows: T[]): T[] {
  const n = rows.length;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let integral = true;
  for (const r of rows) {
    if (r.occurredAt < min) min = r.occurredAt;
    if (r.occurredAt > max) max = r.occurredAt;
    if (!Number.isInteger(r.occurredAt)) integral = false;
  }
  if (n < 2 || !integral || (max - min + 1) * n > Number.MAX_SAFE_INTEGER) return rows.sort(oldestFirst);
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = (rows[i]!.occurredAt - min) * n + i;
  keys.sort();
  const sorted: T[] = [];
  for (let i = 0; i < n; i++) sorted.push(rows[keys[i]! % n]!);
  for (let start = 0; start < n;) {
    let end = start + 1;
    while (end < n && sorted[end]!.occurredAt === sorted[start]!.occurredAt) end++;
    if (end - start > 1) {
      const run = sorted.slice(start, end).sort(oldestFirst);
      for (let i = start; i < end; i++) sorted[i] = run[i - start]!;
    }
    start = end;
  }
  return sorted;
}

/**
 * `from … where …` of the SQLite reads of interactions by party address numbers: parameters the
 * tenant number twice, `count` address numbers, then the window's bounds that are set. `seq in
 * (subquery)`: SQLite collects the matching seqs into a sorted ephemeral list first, then reads
 * each interaction once by its (tenant_num, seq) key, in key order (fewer random page visits than
 * the join's party order on a large table). The plan is `SEARCH i USING PRIMARY KEY (tenant_num=?
 * AND seq=?)`; a unary `+` on tenant_num (which kept the text schema's rowid table off its time
 * index) would turn it into a scan of the tenant's interactions, since tenant_num leads the key.
 */
function fromInteractionsOfParties(count: number, window: { from?: number; to?: number } = {}): string {
  const bounds =
    (window.from !== undefined ? " and p.occurred_at >= ?" : "") +
    (window.to !== undefined ? " and p.occurred_at < ?" : "");
  return `from interaction as i where i.tenant_num = ? and i.seq in (select p.seq from interaction_party as p where p.tenant_num = ? and p.address_num in (${Array<string>(count).fill("?").join(", ")})${bounds})`;
}

/**
 * The interactions on which any of `addresses` took part, resolved, oldest first, deduplicated:
 * what `interactionsWithAddresses` and `interactionPartiesWithAddresses` return in two shapes.
 * Addresses become numbers by the address book (cached per process), then the (tenant, address
 * number, occurred_at) key of interaction_party gives the interactions, so the cost follows the
 * people's own history, not the tenant's.
 */
async function resolvedWithAddresses<T extends { occurredAt: number; id: string }>(
  db: Trx,
  tenantId: string,
  addresses: readonly string[],
  window: { from?: number; to?: number },
  build: BuildInteraction<T>,
): Promise<T[]> {
  const nums = [...new Set((await addressNums(db, tenantId, addresses)).values())];
  if (nums.length === 0) return [];
  const t = await tenantNum(db, tenantId);
  const rows: InteractionRow[] = [];
  const seen = new Set<number>();
  const keep = (r: InteractionRow) => {
    const seq = Number(r.seq);
    if (seen.has(seq)) return;
    seen.add(seq);
    rows.push(r);
  };
  // SQLite: one cached prepared statement per slice size, a JSON text per row. One slice's
  // statement lists each interaction once (`seq in (…)`); only rows of several slices can repeat.
  const fast = await withSqliteHandle(db, (database) => {
    const slices = chunked(nums, 400);
    for (const slice of slices) {
      const text = `select ${sqliteInteractionJson("i")} ${fromInteractionsOfParties(slice.length, window)}`;
      const params: unknown[] = [t, t, ...slice];
      if (window.from !== undefined) params.push(window.from);
      if (window.to !== undefined) params.push(window.to);
      const texts = cachedStatement(database, text, "pluck").all(...params) as string[];
      if (slices.length === 1) for (const json of texts) rows.push(jsonToRow(json));
      else for (const json of texts) keep(jsonToRow(json));
    }
    return true;
  });
  if (!fast) {
    const engine = engineOf(db);
    // One join per slice (party range scan, then the interaction by primary key; the instant
    // too, so PostgreSQL probes only that month's partition).
    for (const slice of chunked(nums, 400)) {
      let q = db
        .selectFrom("interaction_party as p")
        .innerJoin("interaction as i", (j) =>
          j
            .onRef("i.tenant_num", "=", "p.tenant_num")
            .onRef("i.seq", "=", "p.seq")
            .onRef("i.occurred_at", "=", "p.occurred_at"),
        )
        .select(interactionColumns(engine, "i"))
        .where("p.tenant_num", "=", t)
        .where("p.address_num", "in", slice);
      if (window.from !== undefined) q = q.where("p.occurred_at", ">=", window.from);
      if (window.to !== undefined) q = q.where("p.occurred_at", "<", window.to);
      for (const r of await q.execute()) keep(r);
    }
  }
  return sortOldestFirst(await resolveInteractions(db, tenantId, rows, build));
}

/**
 * Interactions on which any of `addresses` took part, oldest first, deduplicated. Uses the
 * (tenant, address, occurred_at) key of interaction_party, so the cost follows the people's own
 * history, not the tenant's.
 */
export async function interactionsWithAddresses(
  db: Trx,
  tenantId: string,
  addresses: readonly string[],
  window: { from?: number; to?: number } = {},
): Promise<StoredInteraction[]> {
  return withTenant(tenantId, async () =>
    resolvedWithAddresses(db, tenantId, addresses, window, asStoredInteraction),
  );
}

/**
 * A stored interaction with its parties as (address, role, user id) tuples, no object per
 * party. The KPI read takes thousands of these per call and needs neither the party objects nor
 * the participant count and internal flag of a `StoredInteraction`.
 */
export interface InteractionWithParties {
  id: string;
  kind: "email" | "meeting";
  occurredAt: number;
  endedAt: number | null;
  sender: string | null;
  parties: Participants;
  subject: string | null;
  conversationId: string | null;
  inReplyTo: string | null;
}

/** `interactionsWithAddresses` for the KPI read: the same interactions, in the same order, lighter. */
export async function interactionPartiesWithAddresses(
  db: Trx,
  tenantId: string,
  addresses: readonly string[],
): Promise<InteractionWithParties[]> {
  return withTenant(tenantId, async () =>
    resolvedWithAddresses(db, tenantId, addresses, {}, asInteractionWithParties),
  );
}

const asInteractionWithParties: BuildInteraction<InteractionWithParties> = (r, parties, sender, subject) => ({
  id: r.id,
  kind: kindOf(Number(r.kind)),
  occurredAt: Number(r.occurred_at),
  endedAt: r.ended_at === null ? null : Number(r.ended_at),
  sender,
  parties,
  subject,
  conversationId: r.conversation_id,
  inReplyTo: r.in_reply_to,
});

/** A stored interaction in the lighter form of `interactionPartiesWithAddresses`. */
export function withPartyTuples(i: StoredInteraction): InteractionWithParties {
  return {
    id: i.id,
    kind: i.kind,
    occurredAt: i.occurredAt,
    endedAt: i.endedAt,
    sender: i.sender,
    parties: i.parties.map((p) => [p.address, p.role, p.userId]),
    subject: i.subject,
    conversationId: i.conversationId,
    inReplyTo: i.inReplyTo,
  };
}

export interface CrmActivityRow {
  id: string;
  kind: "email" | "meeting" | "call" | "task";
  regardingType: string | null;
  regardingId: string | null;
  direction: "out" | "in" | null;
  from: string | null;
  to: string[];
  startAt: number | null;
  endAt: number | null;
  durationMin: number | null;
  state: "completed" | "planned";
  subject: string | null;
}

function rowToActivity(r: {
  id: string;
  kind: string;
  regarding_type: string | null;
  regarding_id: string | null;
  direction: string | null;
  from_address: string | null;
  to_addresses: string;
  start_at: number | string | null;
  end_at: number | string | null;
  duration_min: number | null;
  state: string;
  subject: string | null;
}): CrmActivityRow {
  return {
    id: r.id,
    kind: r.kind as CrmActivityRow["kind"],
    regardingType: r.regarding_type,
    regardingId: r.regarding_id,
    direction: r.direction === "out" || r.direction === "in" ? r.direction : null,
    from: r.from_address,
    to: JSON.parse(r.to_addresses) as string[],
    startAt: r.start_at === null ? null : Number(r.start_at),
    endAt: r.end_at === null ? null : Number(r.end_at),
    durationMin: r.duration_min,
    state: r.state === "planned" ? "planned" : "completed",
    subject: r.subject,
  };
}

/**
 * CRM activities regarding any of `records`, or from one of `addresses` (calls and appointments
 * logged by or with a person of interest). The "to" side is matched in the service: to_addresses
 * is JSON, and activities are few next to mail.
 */
export async function crmActivitiesFor(
  db: Trx,
  tenantId: string,
  records: readonly { type: string; id: string }[],
  addresses: readonly string[],
): Promise<CrmActivityRow[]> {
  return withTenant(tenantId, async () => {
    const byId = new Map<string, CrmActivityRow>();
    for (const rec of records) {
      const rows = await db
        .selectFrom("crm_activity")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where("regarding_type", "=", rec.type)
        .where("regarding_id", "=", rec.id)
        .execute();
      for (const r of rows) byId.set(r.id, rowToActivity(r));
    }
    for (const slice of chunked([...new Set(addresses)], 400)) {
      const rows = await db
        .selectFrom("crm_activity")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where("from_address", "in", slice)
        .execute();
      for (const r of rows) byId.set(r.id, rowToActivity(r));
    }
    return [...byId.values()];
  });
}

/** Count of rows, for benchmarks and summaries. */
export async function countRows(
  db: Trx,
  table: "pair_state" | "interaction" | "crm_activity",
  tenantId: string,
): Promise<number> {
  return withTenant(tenantId, async () => {
    const row =
      table === "crm_activity"
        ? await db
            .selectFrom(table)
            .select(sql<number>`count(*)`.as("n"))
            .where("tenant_id", "=", tenantId)
            .executeTakeFirstOrThrow()
        : await db
            .selectFrom(table)
            .select(sql<number>`count(*)`.as("n"))
            .where("tenant_num", "=", await tenantNum(db, tenantId))
            .executeTakeFirstOrThrow();
    return Number(row.n);
  });
}

/** Display names of external people, where known. */
export async function personNames(
  db: Trx,
  tenantId: string,
  addresses: readonly string[],
): Promise<Map<string, string | null>> {
  return withTenant(tenantId, async () => {
    const t = await tenantNum(db, tenantId);
    const nums = await addressNums(db, tenantId, addresses);
    const addressOf = new Map<number, string>();
    for (const [address, num] of nums) addressOf.set(num, address);
    const out = new Map<string, string | null>();
    const cipher = cipherFor(tenantId);
    for (const slice of chunked([...addressOf.keys()], 500)) {
      const rows = await db
        .selectFrom("person")
        .select(["num", "name"])
        .where("tenant_num", "=", t)
        .where("num", "in", slice)
        .execute();
      for (const r of rows) out.set(addressOf.get(Number(r.num))!, openSealed(cipher, "name", r.name));
    }
    return out;
  });
}

/** Rebuilt strength states are written by the writer (interaction.repository.ts); kept here for its callers. */
export { writePairStates } from "./interaction.repository";

/**
 * The tenant's audit chain head sequence number, null for an unknown tenant: what the API read
 * cache (api/read-cache.ts) checks on every read request. SQLite: a cached prepared statement.
 */
export async function auditHeadSeq(db: Trx, tenantId: string): Promise<number | null> {
  return withTenant(tenantId, async () => {
    const fast = await sqliteRows<[number]>(db, "select audit_head_seq from tenant where id = ?", [tenantId]);
    if (fast) return fast[0] ? Number(fast[0][0]) : null;
    // Every read request runs it: a prepared statement (`preparedMarker`), and no query building.
    const { rows } = await sql<{
      audit_head_seq: number;
    }>`${sql.raw(preparedMarker)}select audit_head_seq from tenant where id = ${tenantId}`.execute(db);
    return rows[0] ? Number(rows[0].audit_head_seq) : null;
  });
}
