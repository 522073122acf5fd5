/**
 * Reads behind the insights (SPEC §4): connection strengths, the internal graph, people and
 * accounts, and the interactions a KPI or engagement figure is computed from. Rows become domain
 * values here; consent filtering is the service's job (decideAccess) and happens after.
 */
import { sql } from "kysely";
import type { PairState } from "../insights/strength";
import {
  rowToStoredInteraction,
  type Participants,
  type StoredInteraction,
} from "./interaction-read.repository";
import { decodePairState, encodePairState } from "./pair-state-codec";
import { cachedStatement, withSqliteHandle, type Trx } from "./store";
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

/** Every colleague's strength state with one external person (primary-key lookup). */
export async function pairStatesForPerson(db: Trx, tenantId: string, person: string): Promise<PairRow[]> {
  return withTenant(tenantId, async () => {
    const fast = await sqliteRows<[string, Buffer]>(
      db,
      "select user_id, state from pair_state where tenant_id = ? and person = ?",
      [tenantId, person],
    );
    if (fast) return fast.map((r) => ({ person, userId: r[0], state: decodePairState(r[1]) }));
    const rows = await db
      .selectFrom("pair_state")
      .select(["user_id", "state"])
      .where("tenant_id", "=", tenantId)
      .where("person", "=", person)
      .execute();
    return rows.map((r) => ({ person, userId: r.user_id, state: decodePairState(r.state) }));
  });
}

export interface PersonStates {
  person: PersonRef | undefined;
  /** The first of `accountKeys` that names an account (by CRM id, else by mapped domain). */
  account: AccountRef | undefined;
  states: PairRow[];
}

/**
 * Everything a who-knows-whom question reads about one person, in one statement on PostgreSQL
 * (one hold of the connection on SQLite): the person, the account found by the first of
 * `accountKeys` (each tried as a CRM id, then as a mapped domain, like `findAccount`) and every
 * colleague's strength state with them. What `findPerson`, `findAccount` and
 * `pairStatesForPerson` read, without their four round trips.
 */
export async function personWithStates(
  db: Trx,
  tenantId: string,
  address: string,
  accountKeys: readonly string[],
): Promise<PersonStates> {
  return withTenant(tenantId, async () => {
    const keys = accountKeys.slice(0, 2);
    const fast = await withSqliteHandle(db, (database) => {
      const personRow = cachedStatement(
        database,
        "select address, name, domain from person where tenant_id = ? and address = ?",
        true,
      ).get(tenantId, address) as [string, string | null, string] | undefined;
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
      const states = cachedStatement(
        database,
        "select user_id, state from pair_state where tenant_id = ? and person = ?",
        true,
      ).all(tenantId, address) as [string, Buffer][];
      return {
        person: personRow ? { address: personRow[0], name: personRow[1], domain: personRow[2] } : undefined,
        account: accountRow
          ? { id: accountRow[0], name: accountRow[1], primaryContactId: accountRow[2], domains }
          : undefined,
        states: states.map((r) => ({ person: address, userId: r[0], state: decodePairState(r[1]) })),
      } satisfies PersonStates;
    });
    if (fast) return fast.value;
    // One statement: rows tagged p (person), a (the best-ranked account), d (its domains), s (states).
    const [first = null, second = null] = keys;
    const { rows } = await sql<{
      kind: string;
      a: string | null;
      b: string | null;
      c: string | null;
      state: Buffer | null;
    }>`
      with candidate as (
        select c.account_id, c.rank from (
          select id as account_id, 0 as rank from account where tenant_id = ${tenantId} and id = ${first}
          union all
          select account_id, 1 from account_domain where tenant_id = ${tenantId} and domain = ${first?.toLowerCase() ?? null}
          union all
          select id, 2 from account where tenant_id = ${tenantId} and id = ${second}
          union all
          select account_id, 3 from account_domain where tenant_id = ${tenantId} and domain = ${second?.toLowerCase() ?? null}
        ) c
        join account x on x.tenant_id = ${tenantId} and x.id = c.account_id
        order by c.rank
        limit 1
      )
      select 'p' as kind, address as a, name as b, domain as c, null::bytea as state
        from person where tenant_id = ${tenantId} and address = ${address}
      union all
      select 'a', x.id, x.name, x.primary_contact_id, null
        from candidate join account x on x.tenant_id = ${tenantId} and x.id = candidate.account_id
      union all
      select 'd', d.domain, null, null, null
        from candidate join account_domain d on d.tenant_id = ${tenantId} and d.account_id = candidate.account_id
      union all
      select 's', user_id, null, null, state from pair_state where tenant_id = ${tenantId} and person = ${address}
    `.execute(db);
    const out: PersonStates = { person: undefined, account: undefined, states: [] };
    const domains: string[] = [];
    for (const r of rows) {
      if (r.kind === "p") out.person = { address: r.a ?? address, name: r.b, domain: r.c ?? "" };
      else if (r.kind === "a")
        out.account = { id: r.a ?? "", name: r.b ?? "", primaryContactId: r.c, domains };
      else if (r.kind === "d") domains.push(r.a ?? "");
      else if (r.state)
        out.states.push({ person: address, userId: r.a ?? "", state: decodePairState(r.state) });
    }
    domains.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    return out;
  });
}

export async function pairStatesForPersons(
  db: Trx,
  tenantId: string,
  persons: readonly string[],
): Promise<PairRow[]> {
  return withTenant(tenantId, async () => {
    const out: PairRow[] = [];
    for (const slice of chunked([...new Set(persons)], 500)) {
      const fast = await sqliteRows<[string, string, Buffer]>(
        db,
        `select person, user_id, state from pair_state where tenant_id = ? and person in (${slice.map(() => "?").join(", ")})`,
        [tenantId, ...slice],
      );
      if (fast) {
        for (const r of fast) out.push({ person: r[0], userId: r[1], state: decodePairState(r[2]) });
        continue;
      }
      const rows = await db
        .selectFrom("pair_state")
        .select(["person", "user_id", "state"])
        .where("tenant_id", "=", tenantId)
        .where("person", "in", slice)
        .execute();
      for (const r of rows)
        out.push({ person: r.person, userId: r.user_id, state: decodePairState(r.state) });
    }
    return out;
  });
}

/** One colleague's ties to external people (My network). */
export async function pairStatesForUser(db: Trx, tenantId: string, userId: string): Promise<PairRow[]> {
  return withTenant(tenantId, async () => {
    const rows = await db
      .selectFrom("pair_state")
      .select(["person", "state"])
      .where("tenant_id", "=", tenantId)
      .where("user_id", "=", userId)
      .execute();
    return rows.map((r) => ({ person: r.person, userId, state: decodePairState(r.state) }));
  });
}

/** Internal (colleague ↔ colleague) states with either end in `userIds`, or all when omitted. */
export async function internalPairStates(
  db: Trx,
  tenantId: string,
  userIds?: readonly string[],
): Promise<{ userA: string; userB: string; state: PairState }[]> {
  return withTenant(tenantId, async () => {
    const map = (r: { user_a: string; user_b: string; state: Buffer }) => ({
      userA: r.user_a,
      userB: r.user_b,
      state: decodePairState(r.state),
    });
    if (userIds === undefined) {
      const rows = await db
        .selectFrom("internal_pair_state")
        .select(["user_a", "user_b", "state"])
        .where("tenant_id", "=", tenantId)
        .execute();
      return rows.map(map);
    }
    const seen = new Set<string>();
    const out: { userA: string; userB: string; state: PairState }[] = [];
    for (const slice of chunked([...new Set(userIds)], 400)) {
      for (const column of ["user_a", "user_b"] as const) {
        const fast = await sqliteRows<[string, string, Buffer]>(
          db,
          `select user_a, user_b, state from internal_pair_state where tenant_id = ? and ${column} in (${slice.map(() => "?").join(", ")})`,
          [tenantId, ...slice],
        );
        if (fast) {
          for (const [a, b, state] of fast) {
            const key = `${a}\u0000${b}`;
            if (seen.has(key)) continue;
            seen.add(key);
            out.push(map({ user_a: a, user_b: b, state }));
          }
          continue;
        }
        const rows = await db
          .selectFrom("internal_pair_state")
          .select(["user_a", "user_b", "state"])
          .where("tenant_id", "=", tenantId)
          .where(column, "in", slice)
          .execute();
        for (const r of rows) {
          const key = `${r.user_a}\u0000${r.user_b}`;
          if (seen.has(key)) continue;
          seen.add(key);
          out.push(map(r));
        }
      }
    }
    return out;
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
    const fast = await sqliteRows<[string, string | null, string]>(
      db,
      "select address, name, domain from person where tenant_id = ? and address = ?",
      [tenantId, address],
    );
    if (fast) {
      const r = fast[0];
      return r ? { address: r[0], name: r[1], domain: r[2] } : undefined;
    }
    return db
      .selectFrom("person")
      .select(["address", "name", "domain"])
      .where("tenant_id", "=", tenantId)
      .where("address", "=", address)
      .executeTakeFirst();
  });
}

export async function personsAtDomains(
  db: Trx,
  tenantId: string,
  domains: readonly string[],
): Promise<PersonRef[]> {
  return withTenant(tenantId, async () => {
    if (domains.length === 0) return [];
    // SQLite's planner, without statistics, prefers the primary key's tenant_id prefix to the
    // (tenant_id, domain) index and scans every person of the tenant (17 ms at 250,000 people
    // instead of 0.2 ms): name the index.
    const fast = await sqliteRows<[string, string | null, string]>(
      db,
      `select address, name, domain from person indexed by person_domain where tenant_id = ? and domain in (${domains.map(() => "?").join(", ")})`,
      [tenantId, ...domains],
    );
    if (fast) return fast.map((r) => ({ address: r[0], name: r[1], domain: r[2] }));
    return db
      .selectFrom("person")
      .select(["address", "name", "domain"])
      .where("tenant_id", "=", tenantId)
      .where("domain", "in", [...domains])
      .execute();
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
  return withTenant(tenantId, async () => {
    // `_` and `%` are LIKE wildcards; a domain holds no `%`, and whatever `_` lets through more is
    // dropped by the caller's exact check.
    return db
      .selectFrom("person")
      .select(["address", "name", "domain"])
      .where("tenant_id", "=", tenantId)
      .where((eb) => eb.or([eb("domain", "=", organisation), eb("domain", "like", `%.${organisation}`)]))
      .execute();
  });
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
 * `from … where …` of the SQLite reads of interactions by party address: parameters tenant id
 * twice, `addresses` addresses, then the window's bounds that are set. `seq in (subquery)`: SQLite
 * collects the matching seqs into a sorted ephemeral index first, so each interaction is read once,
 * by rowid, in key order (fewer random page visits than the join's party order on a large table; a
 * rowid seek costs a third of a text-key seek). The unary `+` keeps the planner off the
 * (tenant_id, occurred_at) index, which it otherwise prefers for `tenant_id = ?` and then scans the
 * tenant's whole history (33 ms vs 15 ms).
 */
function fromInteractionsOfParties(addresses: number, window: { from?: number; to?: number } = {}): string {
  const bounds =
    (window.from !== undefined ? " and p.occurred_at >= ?" : "") +
    (window.to !== undefined ? " and p.occurred_at < ?" : "");
  return `from interaction as i where +i.tenant_id = ? and i.seq in (select p.seq from interaction_party as p where p.tenant_id = ? and p.address in (${Array<string>(addresses).fill("?").join(", ")})${bounds})`;
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
  return withTenant(tenantId, async () => {
    // One join per slice of addresses (party range scan, then the interaction by primary key), not
    // ids first and interactions in a second round: half the statements, and no id list to ship.
    const out = new Map<string, StoredInteraction>();
    const unique = [...new Set(addresses)];
    // SQLite: the same rows from one cached prepared statement per slice size, as arrays (a KPI read
    // of 10,000 interactions spends much of its time building row objects otherwise).
    const fast = await withSqliteHandle(db, (database) => {
      for (const slice of chunked(unique, 400)) {
        const text = `select i.id, i.kind, i.occurred_at, i.ended_at, i.sender, i.participants, i.participant_count, i.internal_only, i.subject, i.conversation_id, i.in_reply_to ${fromInteractionsOfParties(slice.length, window)}`;
        const params: unknown[] = [tenantId, tenantId, ...slice];
        if (window.from !== undefined) params.push(window.from);
        if (window.to !== undefined) params.push(window.to);
        for (const r of cachedStatement(database, text, true).all(...params) as InteractionTuple[])
          if (!out.has(r[0])) out.set(r[0], tupleToInteraction(r));
      }
      return true;
    });
    if (fast) return sortInteractions(out);
    for (const slice of chunked(unique, 400)) {
      let q = db
        .selectFrom("interaction_party as p")
        .innerJoin("interaction as i", (j) =>
          j.onRef("i.tenant_id", "=", "p.tenant_id").onRef("i.seq", "=", "p.seq"),
        )
        .select([
          "i.id",
          "i.kind",
          "i.occurred_at",
          "i.ended_at",
          "i.sender",
          "i.participants",
          "i.participant_count",
          "i.internal_only",
          "i.subject",
          "i.conversation_id",
          "i.in_reply_to",
        ])
        .where("p.tenant_id", "=", tenantId)
        .where("p.address", "in", slice);
      if (window.from !== undefined) q = q.where("p.occurred_at", ">=", window.from);
      if (window.to !== undefined) q = q.where("p.occurred_at", "<", window.to);
      for (const r of await q.execute()) if (!out.has(r.id)) out.set(r.id, rowToStoredInteraction(r));
    }
    return sortInteractions(out);
  });
}

/**
 * A stored interaction with its parties as stored: (address, role, user id) tuples, no object per
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
  return withTenant(tenantId, async () => {
    const unique = [...new Set(addresses)];
    const fast = await withSqliteHandle(db, (database) => {
      const out: InteractionWithParties[] = [];
      const slices = chunked(unique, 400);
      // One slice's statement lists each interaction once (`seq in (…)`); only rows of several
      // slices can repeat.
      const seen = slices.length > 1 ? new Set<string>() : null;
      for (const slice of slices) {
        // The rows of `interactionsWithAddresses`, each as one JSON text: [[id, kind, occurred_at,
        // ended_at, sender, subject, conversation_id, in_reply_to], participants]. better-sqlite3 on Node 20 sets a row array's elements one by one through
        // V8's API (~55 ns a value); one plucked value per row, parsed by the JSON.parse the
        // participants need anyway, costs less (statement and parse 20.3 → 19.1 ms at 10,000 rows).
        const text = `select '[' || json_array(i.id, i.kind, i.occurred_at, i.ended_at, i.sender, i.subject, i.conversation_id, i.in_reply_to) || ',' || i.participants || ']' ${fromInteractionsOfParties(slice.length)}`;
        for (const json of cachedStatement(database, text, "pluck").all(
          tenantId,
          tenantId,
          ...slice,
        ) as string[]) {
          const [r, parties] = JSON.parse(json) as [PartiesHead, Participants];
          if (seen) {
            if (seen.has(r[0])) continue;
            seen.add(r[0]);
          }
          out.push({
            id: r[0],
            kind: r[1] as "email" | "meeting",
            occurredAt: Number(r[2]),
            endedAt: r[3] === null ? null : Number(r[3]),
            sender: r[4],
            parties,
            subject: r[5],
            conversationId: r[6],
            inReplyTo: r[7],
          });
        }
      }
      return sortOldestFirst(out);
    });
    if (fast) return fast.value;
    return (await interactionsWithAddresses(db, tenantId, unique)).map(withPartyTuples);
  });
}

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

/** The interaction columns of a row of `interactionPartiesWithAddresses`. */
type PartiesHead = [
  id: string,
  kind: string,
  occurredAt: number,
  endedAt: number | null,
  sender: string | null,
  subject: string | null,
  conversationId: string | null,
  inReplyTo: string | null,
];

function sortInteractions(byId: ReadonlyMap<string, StoredInteraction>): StoredInteraction[] {
  return [...byId.values()].sort(oldestFirst);
}

/** An interaction row in raw (array) form, columns as in `interactionsWithAddresses`. */
type InteractionTuple = [
  id: string,
  kind: string,
  occurredAt: number,
  endedAt: number | null,
  sender: string | null,
  participants: string,
  participantCount: number,
  internalOnly: number,
  subject: string | null,
  conversationId: string | null,
  inReplyTo: string | null,
];

function tupleToInteraction(r: InteractionTuple): StoredInteraction {
  const parsed = JSON.parse(r[5]) as Participants;
  const parties: StoredInteraction["parties"] = [];
  for (const p of parsed) parties.push({ address: p[0], role: p[1], userId: p[2] });
  return {
    id: r[0],
    kind: r[1] as "email" | "meeting",
    occurredAt: Number(r[2]),
    endedAt: r[3] === null ? null : Number(r[3]),
    sender: r[4],
    parties,
    participantCount: r[6],
    internalOnly: r[7] === 1,
    subject: r[8],
    conversationId: r[9],
    inReplyTo: r[10],
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
    const row = await db
      .selectFrom(table)
      .select(sql<number>`count(*)`.as("n"))
      .where("tenant_id", "=", tenantId)
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
    const out = new Map<string, string | null>();
    for (const slice of chunked([...new Set(addresses)], 500)) {
      const rows = await db
        .selectFrom("person")
        .select(["address", "name"])
        .where("tenant_id", "=", tenantId)
        .where("address", "in", slice)
        .execute();
      for (const r of rows) out.set(r.address, r.name);
    }
    return out;
  });
}

/**
 * Writes rebuilt strength states (keys `a\0b`: person\0user for pair_state, user_a\0user_b for
 * internal_pair_state) into tables the caller has just cleared, in multi-row inserts.
 */
export async function writePairStates(
  trx: Trx,
  tenantId: string,
  table: "pair_state" | "internal_pair_state",
  states: ReadonlyMap<string, PairState>,
): Promise<void> {
  return withTenant(tenantId, async () => {
    const rows = [...states].map(([key, state]) => {
      const [a = "", b = ""] = key.split("\u0000");
      return { a, b, state: encodePairState(state), lastAt: state.lastAt ?? 0 };
    });
    for (const slice of chunked(rows, 500)) {
      if (table === "pair_state") {
        await trx
          .insertInto("pair_state")
          .values(
            slice.map((r) => ({
              tenant_id: tenantId,
              person: r.a,
              user_id: r.b,
              state: r.state,
              last_at: r.lastAt,
            })),
          )
          .execute();
      } else {
        await trx
          .insertInto("internal_pair_state")
          .values(
            slice.map((r) => ({
              tenant_id: tenantId,
              user_a: r.a,
              user_b: r.b,
              state: r.state,
              last_at: r.lastAt,
            })),
          )
          .execute();
      }
    }
  });
}

/**
 * The tenant's audit chain head sequence number, null for an unknown tenant: what the API read
 * cache (api/read-cache.ts) checks on every read request. SQLite: a cached prepared statement.
 */
export async function auditHeadSeq(db: Trx, tenantId: string): Promise<number | null> {
  return withTenant(tenantId, async () => {
    const fast = await sqliteRows<[number]>(db, "select audit_head_seq from tenant where id = ?", [tenantId]);
    if (fast) return fast[0] ? Number(fast[0][0]) : null;
    const head = await db
      .selectFrom("tenant")
      .select("audit_head_seq")
      .where("id", "=", tenantId)
      .executeTakeFirst();
    return head ? Number(head.audit_head_seq) : null;
  });
}
