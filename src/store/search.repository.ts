/**
 * Finding records by what a seller types (issue 17, item 1): CRM accounts, contacts, leads and
 * opportunities, and the people Kith has seen in mail, by a part of their name, address, domain or
 * CRM id. Matching is case-insensitive substring matching (`lower(x) like %term%`, the same on
 * both engines; people's sealed addresses and names are opened and matched here, see `findPersons`);
 * what a viewer may see of the results is the service's decision.
 */
import { sql, type RawBuilder, type SqlBool } from "kysely";
import { domainOfAddress, tenantNum } from "./collected-keys";
import { cipherFor } from "./field-cipher";
import { openSealed } from "./interaction-read.repository";
import { cachedStatement, withSqliteHandle, type Trx } from "./store";
import { withTenant } from "./tenant-scope";

export interface Page {
  limit: number;
  offset: number;
}

export interface Found<T> {
  rows: T[];
  /** Every match, beyond the page. */
  total: number;
}

/** `%term%` for LIKE with `\` as escape character: the term's own `%`, `_` and `\` match themselves. */
export function likePattern(term: string): string {
  return `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** `lower(column) like pattern escape '\'` (SQLite's LIKE has no escape character unless named). */
function escaped(column: string, pattern: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
}

export interface FoundAccount {
  id: string;
  name: string;
  domains: string[];
  contacts: number;
  openOpportunities: number;
}

export async function findAccounts(
  db: Trx,
  tenantId: string,
  term: string,
  page: Page,
): Promise<Found<FoundAccount>> {
  return withTenant(tenantId, async () => {
    const pattern = likePattern(term);
    const base = db
      .selectFrom("account as a")
      .where("a.tenant_id", "=", tenantId)
      .$if(term !== "", (q) =>
        q.where((eb) =>
          eb.or([
            escaped("a.name", pattern),
            escaped("a.id", pattern),
            eb.exists(
              eb
                .selectFrom("account_domain as d")
                .select("d.domain")
                .whereRef("d.tenant_id", "=", "a.tenant_id")
                .whereRef("d.account_id", "=", "a.id")
                .where(escaped("d.domain", pattern)),
            ),
          ]),
        ),
      );
    const total = await base.select((eb) => eb.fn.countAll<number | string>().as("n")).executeTakeFirst();
    const rows = await base
      .select((eb) => [
        "a.id",
        "a.name",
        eb
          .selectFrom("crm_contact as c")
          .select((e) => e.fn.countAll<number | string>().as("n"))
          .whereRef("c.tenant_id", "=", "a.tenant_id")
          .whereRef("c.account_id", "=", "a.id")
          .as("contacts"),
        eb
          .selectFrom("crm_opportunity as o")
          .select((e) => e.fn.countAll<number | string>().as("n"))
          .whereRef("o.tenant_id", "=", "a.tenant_id")
          .whereRef("o.account_id", "=", "a.id")
          .where("o.status", "=", "open")
          .as("open_opportunities"),
      ])
      .orderBy("a.name")
      .orderBy("a.id")
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    const domains = new Map<string, string[]>();
    if (rows.length > 0) {
      const mapped = await db
        .selectFrom("account_domain")
        .select(["account_id", "domain"])
        .where("tenant_id", "=", tenantId)
        .where(
          "account_id",
          "in",
          rows.map((r) => r.id),
        )
        .orderBy("domain")
        .execute();
      for (const m of mapped) domains.set(m.account_id, [...(domains.get(m.account_id) ?? []), m.domain]);
    }
    return {
      total: Number(total?.n ?? 0),
      rows: rows.map((r) => ({
        id: r.id,
        name: r.name,
        domains: domains.get(r.id) ?? [],
        contacts: Number(r.contacts ?? 0),
        openOpportunities: Number(r.open_opportunities ?? 0),
      })),
    };
  });
}

export interface FoundContact {
  id: string;
  name: string;
  email: string | null;
  accountId: string | null;
  accountName: string | null;
}

export async function findContacts(
  db: Trx,
  tenantId: string,
  term: string,
  page: Page,
): Promise<Found<FoundContact>> {
  return withTenant(tenantId, async () => {
    const pattern = likePattern(term);
    const base = db
      .selectFrom("crm_contact as c")
      .leftJoin("account as a", (j) =>
        j.onRef("a.tenant_id", "=", "c.tenant_id").onRef("a.id", "=", "c.account_id"),
      )
      .where("c.tenant_id", "=", tenantId)
      .$if(term !== "", (q) =>
        q.where((eb) =>
          eb.or([
            escaped("c.name", pattern),
            escaped("c.email", pattern),
            escaped("c.id", pattern),
            escaped("a.name", pattern),
          ]),
        ),
      );
    const total = await base.select((eb) => eb.fn.countAll<number | string>().as("n")).executeTakeFirst();
    const rows = await base
      .select(["c.id", "c.name", "c.email", "c.account_id", "a.name as account_name"])
      .orderBy("c.name")
      .orderBy("c.id")
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    return {
      total: Number(total?.n ?? 0),
      rows: rows.map((r) => ({
        id: r.id,
        name: r.name,
        email: r.email,
        accountId: r.account_id,
        accountName: r.account_name,
      })),
    };
  });
}

export interface FoundLead {
  id: string;
  name: string;
  email: string | null;
  company: string | null;
  ownerEmail: string | null;
  status: string;
}

export async function findLeads(
  db: Trx,
  tenantId: string,
  term: string,
  page: Page,
): Promise<Found<FoundLead>> {
  return withTenant(tenantId, async () => {
    const pattern = likePattern(term);
    const base = db
      .selectFrom("crm_lead as l")
      .where("l.tenant_id", "=", tenantId)
      .$if(term !== "", (q) =>
        q.where((eb) =>
          eb.or([
            escaped("l.name", pattern),
            escaped("l.email", pattern),
            escaped("l.company", pattern),
            escaped("l.id", pattern),
          ]),
        ),
      );
    const total = await base.select((eb) => eb.fn.countAll<number | string>().as("n")).executeTakeFirst();
    const rows = await base
      .select(["l.id", "l.name", "l.email", "l.company", "l.owner_email", "l.status"])
      .orderBy("l.name")
      .orderBy("l.id")
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    return {
      total: Number(total?.n ?? 0),
      rows: rows.map((r) => ({
        id: r.id,
        name: r.name,
        email: r.email,
        company: r.company,
        ownerEmail: r.owner_email,
        status: r.status,
      })),
    };
  });
}

export interface FoundOpportunity {
  id: string;
  name: string;
  accountId: string | null;
  accountName: string | null;
  status: string;
  stage: string | null;
  estimatedCloseAt: number | null;
  estimatedRevenue: number | null;
  currency: string | null;
}

export async function findOpportunities(
  db: Trx,
  tenantId: string,
  term: string,
  page: Page,
): Promise<Found<FoundOpportunity>> {
  return withTenant(tenantId, async () => {
    const pattern = likePattern(term);
    const base = db
      .selectFrom("crm_opportunity as o")
      .leftJoin("account as a", (j) =>
        j.onRef("a.tenant_id", "=", "o.tenant_id").onRef("a.id", "=", "o.account_id"),
      )
      .where("o.tenant_id", "=", tenantId)
      .$if(term !== "", (q) =>
        q.where((eb) =>
          eb.or([escaped("o.name", pattern), escaped("o.id", pattern), escaped("a.name", pattern)]),
        ),
      );
    const total = await base.select((eb) => eb.fn.countAll<number | string>().as("n")).executeTakeFirst();
    const rows = await base
      .select([
        "o.id",
        "o.name",
        "o.account_id",
        "a.name as account_name",
        "o.status",
        "o.stage",
        "o.estimated_close_at",
        "o.estimated_revenue",
        "o.currency",
      ])
      .orderBy("o.name")
      .orderBy("o.id")
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    return {
      total: Number(total?.n ?? 0),
      rows: rows.map((r) => ({
        id: r.id,
        name: r.name,
        accountId: r.account_id,
        accountName: r.account_name,
        status: r.status,
        stage: r.stage,
        estimatedCloseAt: r.estimated_close_at === null ? null : Number(r.estimated_close_at),
        estimatedRevenue: r.estimated_revenue === null ? null : Number(r.estimated_revenue),
        currency: r.currency,
      })),
    };
  });
}

export interface FoundPerson {
  address: string;
  name: string | null;
  domain: string;
  lastAt: number;
}

/** Most recently seen first, then by address: the order of `findPersons`. */
const recentFirst = (a: FoundPerson, b: FoundPerson): number =>
  b.lastAt - a.lastAt || (a.address < b.address ? -1 : a.address > b.address ? 1 : 0);

/**
 * People seen in mail whose address or name contains `term`, most recently seen first, at most
 * `limit` of them: candidates, before the service keeps only those a colleague the viewer may see knows.
 * `exceptCrm`: not those a CRM contact or lead has as its address (they are listed as such).
 *
 * Addresses and names are sealed (lean schema, store/field-cipher.ts): no index or LIKE can see
 * into them, so matching is done here, after opening, case-insensitively like the SQL it replaces.
 * The tenant's people are read most recent first (SQLite: one sorted statement, streamed;
 * PostgreSQL: keyset pages of a growing size, each row read once) and the read stops as soon as
 * `limit` matches are seen and a row older than all of them comes (later rows cannot beat them).
 * Cost: the database sorts the tenant's people by time (no index: SQLite sorts them all before the
 * first row, PostgreSQL a top-N per page); a common term then stops after a few hundred rows, a rare
 * or absent term reads and opens every person of the tenant once. Measured with the readable cipher
 * at 2,050 people: absent term 6–7 µs a person on SQLite (half of it the sorted statement itself),
 * 10 µs on PostgreSQL; a common term 6.5 / 10 ms. So ~1.5 s (SQLite) to ~2.5 s (PostgreSQL) for an
 * absent term at 250,000 people, plus what a sealing cipher's open adds. Memory: the matches and
 * one page.
 */
export async function findPersons(
  db: Trx,
  tenantId: string,
  term: string,
  limit: number,
  exceptCrm: boolean,
): Promise<FoundPerson[]> {
  return withTenant(tenantId, async () => {
    if (limit <= 0) return [];
    const t = await tenantNum(db, tenantId);
    const cipher = cipherFor(tenantId);
    const needle = term.toLowerCase();
    const crm = exceptCrm ? await crmAddresses(db, tenantId) : null;
    const found: FoundPerson[] = [];
    let seenAt = Number.POSITIVE_INFINITY;
    /** One row, in read order; true: stop reading (the matches so far are the answer's). */
    const take = (name: Uint8Array | null, lastAt: number, sealed: Uint8Array): boolean => {
      if (lastAt < seenAt) {
        if (found.length >= limit) return true;
        seenAt = lastAt;
      }
      const address = openSealed(cipher, "address", sealed);
      if (address === null || crm?.has(address)) return false;
      let opened: string | null | undefined;
      if (!address.toLowerCase().includes(needle)) {
        opened = openSealed(cipher, "name", name);
        if (opened === null || !opened.toLowerCase().includes(needle)) return false;
      }
      found.push({
        address,
        name: opened === undefined ? openSealed(cipher, "name", name) : opened,
        domain: domainOfAddress(address),
        lastAt,
      });
      return false;
    };
    const fast = await withSqliteHandle(db, (database) => {
      const rows = cachedStatement(
        database,
        "select p.name, p.last_at, a.sealed from person p join address_book a on a.tenant_num = p.tenant_num and a.num = p.num where p.tenant_num = ? order by p.last_at desc, p.num",
        true,
      ).iterate(t) as IterableIterator<[Uint8Array | null, number, Uint8Array]>;
      for (const r of rows) if (take(r[0], Number(r[1]), r[2])) break;
      return true;
    });
    if (!fast) {
      let after: [number, number] | null = null;
      for (let page = firstPage; ; page = Math.min(page * 4, lastPage)) {
        let q = db
          .selectFrom("person as p")
          .innerJoin("address_book as a", (j) =>
            j.onRef("a.tenant_num", "=", "p.tenant_num").onRef("a.num", "=", "p.num"),
          )
          .select(["p.num", "p.name", "p.last_at", "a.sealed"])
          .where("p.tenant_num", "=", t);
        if (after) {
          const [at, num] = after;
          q = q.where((eb) =>
            eb.or([eb("p.last_at", "<", at), eb.and([eb("p.last_at", "=", at), eb("p.num", ">", num)])]),
          );
        }
        const rows = await q.orderBy("p.last_at", "desc").orderBy("p.num").limit(page).execute();
        let stopped = false;
        for (const r of rows) if ((stopped = take(r.name, Number(r.last_at), r.sealed))) break;
        if (stopped || rows.length < page) break;
        const last = rows[rows.length - 1]!;
        after = [Number(last.last_at), Number(last.num)];
      }
    }
    return found.sort(recentFirst).slice(0, limit);
  });
}

/** PostgreSQL pages of `findPersons`: the first small (a common term), then growing. */
const firstPage = 1000;
const lastPage = 64_000;

/** Every address a CRM contact or lead of the tenant has (what `exceptCrm` leaves out). */
async function crmAddresses(db: Trx, tenantId: string): Promise<Set<string>> {
  const contacts = await db
    .selectFrom("crm_contact")
    .select("email")
    .where("tenant_id", "=", tenantId)
    .where("email", "is not", null)
    .execute();
  const leads = await db
    .selectFrom("crm_lead")
    .select("email")
    .where("tenant_id", "=", tenantId)
    .where("email", "is not", null)
    .execute();
  return new Set([...contacts, ...leads].map((r) => r.email!));
}
