import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropSchema, testPostgresUrl } from "../../test/helpers/engines";
import { emailRecord } from "../../test/helpers/records";
import { grantConsent } from "../services/consent.service";
import { createContext } from "../services/context";
import { importRecords } from "../services/ingest.service";
import { createTenant } from "../services/tenant.service";
import { openStore, type Store } from "./store";
import { acrossTenants, asOwner, withTenant } from "./tenant-scope";
import { appRole, systemPolicy, systemRole, tenantPolicy } from "./migrations/tenant-wall";

/**
 * PostgreSQL's second wall (migration 0010, issue 12 item 15): row level security per tenant, the
 * application connected as a role that cannot bypass it, the tenant set by the calling scope.
 * PostgreSQL only: SQLite has no row security, and its store is one tenant deployment's file.
 */
describe("row level security per tenant [postgres]", () => {
  let store: Store;
  let schema: string;
  let a: string;
  let b: string;

  beforeAll(async () => {
    schema = `t_${randomBytes(6).toString("hex")}`;
    store = await openStore(testPostgresUrl, { schema });
    const ctx = createContext(store, () => new Date("2026-06-01T09:00:00Z"));
    a = (
      await createTenant(ctx, {
        name: "Alpha",
        domains: ["alpha.example"],
        admin: { email: "admin@alpha.example" },
      })
    ).id;
    b = (
      await createTenant(ctx, {
        name: "Beta",
        domains: ["beta.example"],
        admin: { email: "admin@beta.example" },
      })
    ).id;
    // Collected data in both tenants (tables keyed by tenant_num, migration 0060).
    for (const [tenant, domain] of [
      [a, "alpha.example"],
      [b, "beta.example"],
    ] as const) {
      await grantConsent(ctx, tenant, "identifiable", `admin@${domain}`);
      const stored = await importRecords(ctx, tenant, [
        {
          name: "mail",
          records: [emailRecord("2026-05-02T10:00:00Z", `admin@${domain}`, [`buyer@customer-of-${domain}`])],
        },
      ]);
      expect(stored.stored).toBe(1);
    }
  });

  afterAll(async () => {
    await store?.close();
    if (schema) await dropSchema(schema);
  });

  /** Every table of the store's schema with a tenant_id column, from the catalogue. */
  async function tenantTables(column: "tenant_id" | "tenant_num" = "tenant_id"): Promise<string[]> {
    const { rows } = await acrossTenants("the test's catalogue read", () =>
      sql<{ table_name: string }>`select distinct table_name from information_schema.columns
        where table_schema = current_schema() and column_name = ${column} order by table_name`.execute(
        store.db,
      ),
    );
    return rows.map((r) => r.table_name);
  }

  const count = async (table: string, where = sql`true`) =>
    Number(
      (
        await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where ${where}`.execute(
          store.db,
        )
      ).rows[0]!.n,
    );

  it("a statement without a tenant filter sees only the scoped tenant's rows, and nothing outside any scope", async () => {
    // Both tenants have an administrator, audit entries, settings and domains.
    expect(await acrossTenants("the test's overview", () => count("app_user"))).toBe(2);
    expect(await withTenant(a, () => count("app_user"))).toBe(1);
    expect(await withTenant(b, () => count("app_user"))).toBe(1);
    expect(await count("app_user")).toBe(0);
    expect(await count("audit_log")).toBe(0);
    expect(await count("tenant")).toBe(0);
    expect(
      await withTenant(a, async () =>
        (await store.db.selectFrom("tenant").select("id").execute()).map((r) => r.id),
      ),
    ).toEqual([a]);

    // Every tenant table: in A's scope no row of another tenant is visible, with no filter at all.
    const tables = await tenantTables();
    for (const table of tables) {
      const foreign = sql`tenant_id is distinct from ${a}`;
      expect({ table, rows: await withTenant(a, () => count(table, foreign)) }).toEqual({ table, rows: 0 });
    }
    // The same for collected data, keyed by the tenant's number: each table holds rows of both.
    const numbered = await tenantTables("tenant_num");
    expect(numbered).toEqual(
      expect.arrayContaining([
        "address_book",
        "colleague",
        "interaction",
        "interaction_party",
        "pair_state",
        "person",
      ]),
    );
    const numOf = async (id: string) =>
      Number(
        (
          await acrossTenants("the test's overview", () =>
            sql<{ num: number }>`select num from tenant where id = ${id}`.execute(store.db),
          )
        ).rows[0]!.num,
      );
    const [numA, numB] = [await numOf(a), await numOf(b)];
    expect(numA).not.toBe(numB);
    for (const table of numbered) {
      if (table === "internal_pair_state") continue;
      expect({
        table,
        both: await acrossTenants("the test's overview", () => count(table, sql`tenant_num = ${numB}`)),
      }).not.toEqual({ table, both: 0 });
      expect({ table, rows: await withTenant(a, () => count(table, sql`tenant_num <> ${numA}`)) }).toEqual({
        table,
        rows: 0,
      });
      expect(await withTenant(a, () => count(table))).toBeGreaterThan(0);
    }
    await expect(
      withTenant(a, () =>
        sql`insert into colleague (tenant_num, num, user_id) values (${numB}, 999, 'intruder')`.execute(
          store.db,
        ),
      ),
    ).rejects.toThrow(/row-level security/);
    const seenAcross = await acrossTenants("the test's overview", () =>
      count("audit_log", sql`tenant_id = ${b}`),
    );
    expect(seenAcross).toBeGreaterThan(0);

    // The same inside one transaction.
    const inTransaction = await withTenant(a, () =>
      store.transaction(async (trx) =>
        Number((await sql<{ n: string }>`select count(*) as n from audit_log`.execute(trx)).rows[0]!.n),
      ),
    );
    const ownAudit = await acrossTenants("the test's overview", () =>
      count("audit_log", sql`tenant_id = ${a}`),
    );
    expect(inTransaction).toBe(ownAudit);
  });

  it("refuses to write another tenant's row from a tenant's scope, and changes none of its rows", async () => {
    await expect(
      withTenant(a, () =>
        sql`insert into tenant_domain (tenant_id, domain) values (${b}, 'sneaky.example')`.execute(store.db),
      ),
    ).rejects.toThrow(/row-level security/);
    // Moving one of A's rows to B is refused too (WITH CHECK).
    await expect(
      withTenant(a, () =>
        sql`update tenant_domain set tenant_id = ${b} where tenant_id = ${a}`.execute(store.db),
      ),
    ).rejects.toThrow(/row-level security/);
    const updated = await withTenant(a, () =>
      sql`update app_user set display_name = 'taken' where tenant_id = ${b}`.execute(store.db),
    );
    expect(Number(updated.numAffectedRows)).toBe(0);
    const deleted = await withTenant(a, () => sql`delete from audit_log`.execute(store.db));
    expect(Number(deleted.numAffectedRows)).toBeGreaterThan(0);
    expect(
      await acrossTenants("the test's overview", () => count("audit_log", sql`tenant_id = ${b}`)),
    ).toBeGreaterThan(0);
    expect(
      await acrossTenants("the test's overview", () => count("app_user", sql`display_name = 'taken'`)),
    ).toBe(0);
  });

  it("runs statements as roles that are not superusers, cannot bypass row security and own no table", async () => {
    const whoAmI = () =>
      sql<{ who: string; super: boolean; bypass: boolean; owned: number }>`
        select current_user as who, r.rolsuper as super, r.rolbypassrls as bypass,
          (select count(*) from pg_tables t where t.tableowner = current_user) as owned
        from pg_roles r where r.rolname = current_user`
        .execute(store.db)
        .then((r) => r.rows[0]);
    expect(await withTenant(a, whoAmI)).toEqual({ who: appRole, super: false, bypass: false, owned: 0 });
    expect(await acrossTenants("the test's role check", whoAmI)).toEqual({
      who: systemRole,
      super: false,
      bypass: false,
      owned: 0,
    });
    expect(await whoAmI()).toEqual({ who: appRole, super: false, bypass: false, owned: 0 });
  });

  it("has row level security enabled and forced on every table with a tenant_id, a tenant policy for the application and an all-rows one for the system role only", async () => {
    const tables = [...(await tenantTables()), ...(await tenantTables("tenant_num"))];
    expect(tables.length).toBeGreaterThanOrEqual(37);
    const { rows } = await acrossTenants("the test's catalogue read", () =>
      sql<{ relname: string; enabled: boolean; forced: boolean; policies: string[] }>`
        select c.relname, c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
          array(select p.polname || ' to ' || array_to_string(array(select rolname from pg_roles where oid = any(p.polroles)), ',')
                || case when p.polpermissive then '' else ' restrictive' end
                from pg_policy p where p.polrelid = c.oid order by p.polname) as policies
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = current_schema() and c.relkind in ('r', 'p')`.execute(store.db),
    );
    const byTable = new Map(rows.map((r) => [r.relname, r]));
    for (const table of [...tables, "tenant"]) {
      expect({ table, ...byTable.get(table) }).toEqual({
        table,
        relname: table,
        enabled: true,
        forced: true,
        policies: [`${systemPolicy} to ${systemRole}`, `${tenantPolicy} to ${appRole}`],
      });
    }
  });

  it("never carries one caller's tenant into another's statement on a pooled connection", async () => {
    // Interleaved callers of both tenants and none, more than the pool's connections.
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => {
        const tenant = [a, b, null][i % 3]!;
        const read = () => store.db.selectFrom("app_user").select("tenant_id").execute();
        return (tenant ? withTenant(tenant, read) : read()).then((rows) => ({
          tenant,
          seen: [...new Set(rows.map((r) => r.tenant_id))],
        }));
      }),
    );
    for (const { tenant, seen } of results) expect(seen).toEqual(tenant ? [tenant] : []);

    // A rollback undoes the settings made inside the transaction: the next statement sets them again.
    await store.db.selectFrom("app_user").select("id").execute();
    await expect(
      withTenant(a, () =>
        store.transaction(async (trx) => {
          await trx.selectFrom("app_user").select("id").execute();
          throw new Error("roll back");
        }),
      ),
    ).rejects.toThrow("roll back");
    expect(await withTenant(a, () => count("app_user"))).toBe(1);
  });
});

/**
 * A deployment whose connecting role is not a superuser (README "Configuration"): it owns the
 * schema, runs the migrations under forced row security, and becomes the application role.
 */
describe("row level security with a non-superuser owner [postgres]", () => {
  const owner = "kith_test_owner";
  let store: Store | undefined;
  let schema: string;

  beforeAll(async () => {
    schema = `t_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: testPostgresUrl });
    await admin.connect();
    try {
      await admin.query(`do $$ begin
          create role ${owner} login nosuperuser nobypassrls createrole;
        exception when duplicate_object or unique_violation then null; end $$`);
      await admin.query(`create schema ${schema} authorization ${owner}`);
    } finally {
      await admin.end();
    }
  });

  afterAll(async () => {
    await store?.close();
    if (schema) await dropSchema(schema);
  });

  it("migrates, then sees one tenant's rows in its scope, all of them in the system scope, none outside", async () => {
    const url = new URL(testPostgresUrl);
    url.username = owner;
    url.password = "";
    store = await openStore(url.toString(), { schema });
    const ctx = createContext(store, () => new Date("2026-06-01T09:00:00Z"));
    const a = await createTenant(ctx, {
      name: "Alpha",
      domains: ["alpha.example"],
      admin: { email: "x@alpha.example" },
    });
    await createTenant(ctx, { name: "Beta", domains: ["beta.example"], admin: { email: "x@beta.example" } });
    const users = () => store!.db.selectFrom("app_user").select("tenant_id").execute();
    expect((await withTenant(a.id, users)).map((r) => r.tenant_id)).toEqual([a.id]);
    expect(await acrossTenants("the test's overview", users)).toHaveLength(2);
    expect(await users()).toEqual([]);
    // Migrations run as the owner, bound by the forced policies: as a member of kith_system it sees every row.
    expect(await asOwner(users)).toHaveLength(2);
    const { rows } = await withTenant(a.id, () =>
      sql<{ who: string; session: string }>`select current_user as who, session_user as session`.execute(
        store!.db,
      ),
    );
    expect(rows[0]).toEqual({ who: appRole, session: owner });
  });
});
