import { PostgresAdapter, sql, type Kysely, type RawBuilder } from "kysely";

/**
 * PostgreSQL's second wall (migration 0010): row level security, enabled and forced, on every
 * table of the current schema that has a `tenant_id` column or (collected data since migration
 * 0060) a `tenant_num` column (found in the catalogue, so a new
 * table cannot be left out: a later migration adding one calls `protectTenantTables` again, and
 * `tenant-wall.db.test.ts` fails while any table lacks it) and on `tenant`, and the two roles the
 * store's statements run as. Idempotent; a no-op on SQLite.
 *
 * - `kith_app`, the application: a row is visible and writable when its tenant is the setting
 *   `kith.tenant` (set per connection by `tenant-driver.ts` from the calling chain's scope). The
 *   setting is read once per statement (a scalar subquery, an InitPlan); the policy is a plain
 *   equality, which PostgreSQL checks once per statement when the statement filters on the same
 *   tenant (it always should), so the wall costs next to nothing. Tables keyed by `tenant_num`
 *   compare it with the number of the setting's tenant (again a scalar subquery, run once).
 * - `kith_system`: every row, for the few named cross-tenant paths (`acrossTenants`): the job
 *   queue, tenant look-up. A role of its own, so no `or` widens the application's policy.
 *
 * Neither role is a superuser, has BYPASSRLS or owns anything. The connecting role owns the
 * tables and runs the migrations; a non-superuser owner is made a member of both roles, which also
 * gives it `kith_system`'s policy (forced row security binds the owner too).
 */
export const appRole = "kith_app";
export const systemRole = "kith_system";
export const tenantSetting = "kith.tenant";
export const tenantPolicy = "kith_tenant_wall";
export const systemPolicy = "kith_system_wall";

// Migrations see Kysely<any>: they must keep compiling as the Database interface moves on.
/* eslint-disable @typescript-eslint/no-explicit-any */
const current = sql.raw(`(select current_setting('${tenantSetting}', true))`);
/** The number of the setting's tenant (`tenant.num`, migration 0060). */
const currentNum = sql.raw(
  `(select num from tenant where id = (select current_setting('${tenantSetting}', true)))`,
);

/** Tables whose rows belong to a tenant through another column than tenant_id. */
const tenantColumnOf: Record<string, string> = { tenant: "id" };

/**
 * Rows a partner tenant keeps that its customer (the request's target tenant) also reads and
 * answers (SPEC §5): the request itself, and its reviewers, who are the customer's users.
 */
const sharedWithTarget: Record<string, RawBuilder<unknown>> = {
  partner_request: sql` or target_tenant_id = ${current}`,
  partner_reviewer: sql` or exists (select 1 from partner_request r where r.tenant_id = partner_reviewer.tenant_id
    and r.id = partner_reviewer.request_id and r.target_tenant_id = ${current})`,
};

export async function protectTenantTables(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  for (const role of [appRole, systemRole]) await ensureRole(db, role);
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    select table_name, min(column_name) as column_name from information_schema.columns
    where table_schema = current_schema() and column_name in ('tenant_id', 'tenant_num')
    group by table_name order by table_name`.execute(db);
  const tables = [
    ...Object.keys(tenantColumnOf).map((table) => ({ table, column: tenantColumnOf[table]! })),
    ...rows.map((r) => ({ table: r.table_name, column: r.column_name })),
  ];
  for (const { table, column } of tables) await protectTable(db, table, column);
  for (const role of [appRole, systemRole]) await grantData(db, role);
}

/**
 * Row level security on one table whose rows belong to a tenant by `name` (`tenant_id`,
 * `tenant_num`, or `id` on `tenant`): enabled, forced, and the two policies. Also what a monthly
 * partition gets when it is created (partitions.ts).
 */
export async function protectTable(db: Kysely<any>, table: string, name: string): Promise<void> {
  const column = sql.ref(name);
  const t = sql.table(table);
  const rule =
    name === "tenant_num"
      ? sql`(${column} = ${currentNum})`
      : sql`(${column} = ${current}${sharedWithTarget[table] ?? sql``})`;
  await sql`alter table ${t} enable row level security`.execute(db);
  await sql`alter table ${t} force row level security`.execute(db);
  await sql`drop policy if exists ${sql.id(tenantPolicy)} on ${t}`.execute(db);
  await sql`create policy ${sql.id(tenantPolicy)} on ${t} to ${sql.id(appRole)} using ${rule} with check ${rule}`.execute(
    db,
  );
  await sql`drop policy if exists ${sql.id(systemPolicy)} on ${t}`.execute(db);
  await sql`create policy ${sql.id(systemPolicy)} on ${t} to ${sql.id(systemRole)} using (true) with check (true)`.execute(
    db,
  );
}

/** Drops the policies and the grants (the roles are the cluster's: other schemas may use them). */
export async function unprotectTenantTables(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  const { rows } = await sql<{ relname: string }>`
    select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and c.relkind in ('r', 'p') and c.relrowsecurity`.execute(db);
  for (const { relname } of rows) {
    const t = sql.table(relname);
    await sql`drop policy if exists ${sql.id(tenantPolicy)} on ${t}`.execute(db);
    await sql`drop policy if exists ${sql.id(systemPolicy)} on ${t}`.execute(db);
    await sql`alter table ${t} no force row level security`.execute(db);
    await sql`alter table ${t} disable row level security`.execute(db);
  }
  const schema = sql.id(await currentSchema(db));
  for (const role of [appRole, systemRole]) {
    const r = sql.id(role);
    await sql`alter default privileges in schema ${schema} revoke all on tables from ${r}`.execute(db);
    await sql`alter default privileges in schema ${schema} revoke all on sequences from ${r}`.execute(db);
    await sql`revoke all on all tables in schema ${schema} from ${r}`.execute(db);
    await sql`revoke all on all sequences in schema ${schema} from ${r}`.execute(db);
    await sql`revoke all on schema ${schema} from ${r}`.execute(db);
  }
}

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

async function currentSchema(db: Kysely<any>): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (!schema) throw new Error("no current schema");
  return schema;
}

/**
 * A role with no login, no superuser, no BYPASSRLS. Roles belong to the whole cluster and many
 * schemas (stores, test suites) migrate at once: created when missing, a concurrent creation
 * counts as done. The connecting role must be able to become it (`set role`): a superuser can;
 * another role is made a member.
 */
async function ensureRole(db: Kysely<any>, role: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(role)) throw new Error(`invalid role name: ${role}`);
  await sql
    .raw(
      `do $$
      begin
        if not exists (select 1 from pg_roles where rolname = '${role}') then
          begin
            create role ${role} nologin nosuperuser nobypassrls nocreatedb nocreaterole noinherit;
          exception when duplicate_object or unique_violation then null;
          end;
        end if;
        if not (select rolsuper from pg_roles where rolname = current_user)
           and not pg_has_role(current_user, '${role}', 'member') then
          execute format('grant %I to %I', '${role}', current_user);
        end if;
      end $$`,
    )
    .execute(db);
}

/** Data rights on this schema's tables, now and for tables later migrations create. */
async function grantData(db: Kysely<any>, role: string): Promise<void> {
  const r = sql.id(role);
  const schema = sql.id(await currentSchema(db));
  await sql`grant usage on schema ${schema} to ${r}`.execute(db);
  await sql`grant select, insert, update, delete on all tables in schema ${schema} to ${r}`.execute(db);
  await sql`grant usage, select, update on all sequences in schema ${schema} to ${r}`.execute(db);
  await sql`alter default privileges in schema ${schema} grant select, insert, update, delete on tables to ${r}`.execute(
    db,
  );
  await sql`alter default privileges in schema ${schema} grant usage, select, update on sequences to ${r}`.execute(
    db,
  );
  // The migration bookkeeping is the owner's: the application only reads it (readiness).
  for (const table of ["kysely_migration", "kysely_migration_lock"]) {
    await sql`revoke insert, update, delete on ${sql.table(table)} from ${r}`.execute(db);
  }
}
