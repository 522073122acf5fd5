/**
 * `npm run bench -- purge [--emails 8000000] [--seed 20000] [--engines sqlite,postgres]
 * [--postgres URL] [--keep-sqlite FILE]`: how long a tenant's withdrawal of its last collection consent takes to purge
 * a store of `--emails` kept emails (the issue's goal: 8M in ≤ 5 minutes on both engines).
 *
 * Building an 8M-email store through the ingest takes longer than the purge itself, so the store
 * is built in two steps: a real ingest of `--seed` generated Graph lines (bench/graph-generator.ts,
 * the ingest bench's data) writes every table in the writer's own shapes, then bulk SQL copies
 * those rows until the store holds `--emails` emails: each copy of an interaction gets a new `seq`
 * (its party rows follow), a fingerprint and Message-ID key of its own, and external people are
 * spread over `generations` address spaces (`gN.` before the address: person, party and pair rows
 * alike), so the people and strength tables grow as a real tenant's would (~0.5M people per 8M
 * emails) instead of with every copy. Then a retention purge of the busiest calendar month (one
 * `purgeInteractionMonth`: PostgreSQL truncates the month's partitions), then the timed part:
 * `withdrawConsent` (consent.service.ts),
 * the real path: audit entries, `purgeTenantData` (purge.service.ts) and the receipt, in one
 * transaction. Prints rows and bytes before, the purge's time and counts, and what is left.
 * PostgreSQL: a schema of its own, dropped afterwards. Never asserts.
 */
import { sql } from "kysely";
import { copyFileSync, mkdirSync, rmSync, statSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { withdrawConsent, grantConsent } from "../src/services/consent.service";
import { createContext, type ServiceContext } from "../src/services/context";
import { importDirectory } from "../src/services/directory.service";
import { importBatch } from "../src/services/ingest.service";
import { createTenant } from "../src/services/tenant.service";
import { openStore, type Store, type Trx } from "../src/store/store";
import { asOwner } from "../src/store/tenant-scope";
import { tenantNum } from "../src/store/collected-keys";
import { monthStart, nextMonthStart, purgeInteractionMonth } from "../src/store/retention.repository";
import { benchShape, generateGraphNdjson, internalAddress } from "./graph-generator";

const benchDir = resolve(".bench");
/** External people are spread over this many address spaces (see the header). */
const generations = 32;
const collected = [
  "interaction",
  "interaction_party",
  "pair_state",
  "internal_pair_state",
  "person",
  "address_book",
] as const;

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const seconds = (since: number) => (performance.now() - since) / 1000;

async function countCollected(store: Store, tenantId: string): Promise<Record<string, number>> {
  const num = await asOwner(() => tenantNum(store.db, tenantId));
  const out: Record<string, number> = {};
  for (const table of collected) {
    const r = await asOwner(() =>
      sql<{ n: number }>`select count(*) as n from ${sql.table(table)} where tenant_num = ${num}`.execute(
        store.db,
      ),
    );
    out[table] = Number(r.rows[0]?.n ?? 0);
  }
  return out;
}

async function storeBytes(store: Store, path: string): Promise<number> {
  if (store.engine === "sqlite")
    return ["", "-wal"].reduce(
      (sum, s) => sum + (statSync(`${path}${s}`, { throwIfNoEntry: false })?.size ?? 0),
      0,
    );
  const r = await asOwner(() =>
    sql<{ bytes: string }>`select coalesce(sum(pg_total_relation_size(c.oid)), 0) as bytes
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = current_schema() and c.relkind in ('r', 'p')`.execute(store.db),
  );
  return Number(r.rows[0]?.bytes ?? 0);
}

/**
 * Copies the seed's rows (interactions with `seq ≤ seedSeq`, their party rows, the seed's people,
 * address-book entries and strength states) until the tenant holds at least `emails` interactions
 * (whole copies). One statement per table and chunk of copies, one transaction per chunk.
 *
 * Copy k's seq is seq + k·seedSeq; its fingerprint and Message-ID key are the seed's with k in the
 * top bits (XOR), so new keys spread over the unique indexes as new mail's random hashes do.
 * External people of copy k are generation k % generations: address numbers + generation·span,
 * with address-book entries of their own (new random keys, the seed's sealed bytes).
 */
async function replicate(
  store: Store,
  tenantId: string,
  seedSeq: number,
  seedEmails: number,
  emails: number,
): Promise<void> {
  const copies = Math.ceil(emails / seedEmails);
  const pg = store.engine === "postgres";
  const t = await asOwner(() => tenantNum(store.db, tenantId));
  const high = await asOwner(() =>
    sql<{ h: number }>`select address_high as h from tenant where id = ${tenantId}`.execute(store.db),
  );
  const span = Number(high.rows[0]?.h ?? 0) + 1;
  const xorTop = (column: string, k: string) =>
    pg
      ? `(${column} # ((${k})::bigint << 52))`
      : `((${column} | ((${k}) << 52)) - (${column} & ((${k}) << 52)))`;
  const freshKey = (n: string) =>
    pg ? `decode(lpad(to_hex((${n})::bigint * 2654435761 + 977), 16, '0'), 'hex')` : "randomblob(8)";
  const numbers = (from: number, to: number) =>
    pg
      ? `generate_series(${from}, ${to}) as k(n)`
      : `(with recursive k(n) as (select ${from} union all select n + 1 from k where n < ${to}) select n from k) as k`;
  const run = (trx: Trx, statement: string) => asOwner(() => sql.raw(statement).execute(trx));
  const started = performance.now();
  // People, their address-book entries and strength states: one copy per generation.
  await store.transaction(async (trx) => {
    await run(
      trx,
      `insert into address_book (tenant_num, num, key, sealed)
      select b.tenant_num, b.num + k.n * ${span}, ${freshKey(`b.num + k.n * ${span}`)}, b.sealed
      from address_book b join person p on p.tenant_num = b.tenant_num and p.num = b.num, ${numbers(1, generations - 1)}
      where b.tenant_num = ${t}`,
    );
    await run(
      trx,
      `insert into person (tenant_num, num, name, domain_key, first_at, last_at)
      select tenant_num, num + k.n * ${span}, name, domain_key, first_at, last_at
      from person, ${numbers(1, generations - 1)} where tenant_num = ${t}`,
    );
    await run(
      trx,
      `insert into pair_state (tenant_num, person_num, user_num, state, last_at)
      select tenant_num, person_num + k.n * ${span}, user_num, state, last_at
      from pair_state, ${numbers(1, generations - 1)} where tenant_num = ${t}`,
    );
    await run(trx, `update tenant set address_high = ${span * generations} where id = '${tenantId}'`);
  });
  // Secondary indexes of the copied tables are dropped while copying and built again after (a sort
  // instead of millions of random inserts); primary keys and constraint indexes stay.
  const indexes = await secondaryIndexes(store, ["interaction", "interaction_party"]);
  await store.transaction(async (trx) => {
    for (const index of indexes) await run(trx, `drop index ${index.name}`);
  });
  const chunk = pg ? 25 : 10;
  let reported = performance.now();
  for (let from = 1; from < copies; from += chunk) {
    const to = Math.min(copies - 1, from + chunk - 1);
    await store.transaction(async (trx) => {
      await run(
        trx,
        `insert into interaction (tenant_num, seq, fingerprint, message_key, kind, occurred_at, ended_at,
          sender, parties, participant_count, internal_only, subject, conversation_id, in_reply_to)
        select i.tenant_num, i.seq + k.n * ${seedSeq}, ${xorTop("i.fingerprint", "k.n")},
          case when i.message_key is null then null else ${xorTop("i.message_key", "k.n")} end,
          i.kind, i.occurred_at, i.ended_at, i.sender, i.parties, i.participant_count,
          i.internal_only, i.subject, i.conversation_id, i.in_reply_to
        from ${numbers(from, to)} cross join interaction i
        where i.tenant_num = ${t} and i.seq <= ${seedSeq}`,
      );
      await run(
        trx,
        `insert into interaction_party (tenant_num, address_num, occurred_at, seq, role, user_num)
        select p.tenant_num, case when p.user_num is null then p.address_num + (k.n % ${generations}) * ${span} else p.address_num end,
          p.occurred_at, p.seq + k.n * ${seedSeq}, p.role, p.user_num
        from ${numbers(from, to)} cross join interaction_party p
        where p.tenant_num = ${t} and p.seq <= ${seedSeq}`,
      );
    });
    if (performance.now() - reported > 30_000 || to === copies - 1) {
      reported = performance.now();
      console.log(
        `  ${store.engine}: ${fmt(seedEmails * (to + 1))} emails copied in ${fmt(seconds(started), 1)} s`,
      );
    }
  }
  await store.transaction(async (trx) => {
    await run(trx, `update tenant set interaction_high = ${seedSeq * copies} where id = '${tenantId}'`);
    if (pg)
      await run(
        trx,
        `select setval(pg_get_serial_sequence('interaction', 'seq'), (select max(seq) from interaction) + 1, false)`,
      );
  });
  const indexed = performance.now();
  await store.transaction(async (trx) => {
    for (const index of indexes) await run(trx, index.definition);
  });
  console.log(
    `  ${store.engine}: ${indexes.length} secondary indexes built again in ${fmt(seconds(indexed), 1)} s`,
  );
}

/** Indexes on `tables` that no primary key or constraint owns, with the statement that makes each. */
async function secondaryIndexes(
  store: Store,
  tables: readonly string[],
): Promise<{ name: string; definition: string }[]> {
  const out: { name: string; definition: string }[] = [];
  for (const table of tables) {
    const { rows } = await asOwner(() =>
      store.engine === "sqlite"
        ? sql<{ name: string; definition: string }>`select name, sql as definition from sqlite_master
            where type = 'index' and tbl_name = ${table} and sql is not null`.execute(store.db)
        : sql<{
            name: string;
            definition: string;
          }>`select indexname as name, indexdef as definition from pg_indexes
            where schemaname = current_schema() and tablename = ${table}
              and indexname not in (select conname from pg_constraint)`.execute(store.db),
    );
    // A partitioned table's index reads `on only` (the parent's, partitions left out): made again
    // without it, so every partition gets its index.
    out.push(...rows.map((r) => ({ ...r, definition: r.definition.replace(" ON ONLY ", " ON ") })));
  }
  return out;
}

async function benchEngine(
  engine: "sqlite" | "postgres",
  options: { emails: number; seed: number; postgres: string; keep: string },
): Promise<{ engine: string; emails: number; purgeSeconds: number; buildSeconds: number; bytes: number }> {
  mkdirSync(benchDir, { recursive: true });
  const path = join(benchDir, "purge.db");
  for (const suffix of ["", "-wal", "-shm", "-scope-changes"])
    rmSync(`${path}${suffix}`, { force: true, recursive: true });
  const schema = engine === "postgres" ? `bench_purge_${process.pid}` : "";
  const store = await openStore(engine === "postgres" ? options.postgres : path, schema ? { schema } : {});
  // The generated year ends 2026-12-01: "now" after it, so no message is rejected as future-dated.
  const ctx: ServiceContext = createContext(store, () => new Date("2026-12-02T00:00:00Z"));
  try {
    const domain = benchShape.internalDomain;
    const admin = `admin@${domain}`;
    const tenant = await createTenant(ctx, { name: "Bench", domains: [domain], admin: { email: admin } });
    const users = Array.from({ length: benchShape.internalUsers }, (_, i) => internalAddress(i));
    await importDirectory(
      ctx,
      tenant.id,
      {
        roles: [],
        groups: [],
        users: users.map((email) => ({
          email,
          externalId: null,
          name: null,
          aliases: [],
          guest: false,
          roles: ["Salesperson"],
          groups: null,
        })),
      },
      [],
      "bench",
    );
    await grantConsent(ctx, tenant.id, "identifiable", admin);
    const file = join(benchDir, `graph-v2-${options.seed}.ndjson`);
    await generateGraphNdjson(file, options.seed);
    let started = performance.now();
    const seeded = await importBatch(ctx, tenant.id, [file], { format: "graph", chunkSize: 20_000 });
    const seedRows = await countCollected(store, tenant.id);
    const num = await asOwner(() => tenantNum(store.db, tenant.id));
    const seedSeq = Number(
      (
        await asOwner(() =>
          sql<{ s: number }>`select max(seq) as s from interaction where tenant_num = ${num}`.execute(
            store.db,
          ),
        )
      ).rows[0]?.s ?? 0,
    );
    console.log(
      `${engine}: seed: ${fmt(seeded.read)} generated lines through the ingest → ${fmt(seedRows.interaction ?? 0)} emails, ${fmt(seedRows.interaction_party ?? 0)} party rows in ${fmt(seconds(started), 1)} s`,
    );
    started = performance.now();
    await replicate(store, tenant.id, seedSeq, seedRows.interaction ?? 1, options.emails);
    if (engine === "postgres") await asOwner(() => sql`analyze`.execute(store.db));
    const buildSeconds = seconds(started);
    const before = await countCollected(store, tenant.id);
    const bytes = await storeBytes(store, path);
    console.log(
      `${engine}: store built in ${fmt(buildSeconds, 1)} s: ${Object.entries(before)
        .map(([t, n]) => `${t} ${fmt(n)}`)
        .join(", ")}; ${fmt(bytes / 1_073_741_824, 2)} GB`,
    );
    if (engine === "sqlite" && options.keep) {
      // A copy of the built store, for looking at the purge's statements by hand.
      await sql`pragma wal_checkpoint(truncate)`.execute(store.db);
      copyFileSync(path, options.keep);
      console.log(`sqlite: built store copied to ${options.keep}`);
    }
    // A retention purge of the busiest month first (the repository step a retention run takes per
    // month; the run's strength rebuild is not timed): on PostgreSQL the month's partitions hold
    // this tenant's rows only, so they are truncated; SQLite deletes the month row by row.
    const busiest = await asOwner(() =>
      sql<{ at: string; n: string }>`select min(occurred_at) as at, count(*) as n from interaction
          where tenant_num = ${num} group by occurred_at / 2592000000 order by count(*) desc limit 1`.execute(
        store.db,
      ),
    );
    const month = monthStart(Number(busiest.rows[0]?.at ?? 0));
    started = performance.now();
    const monthRemoved = await store.transaction((trx) =>
      purgeInteractionMonth(trx, tenant.id, month, nextMonthStart(month)),
    );
    console.log(
      `${engine}: retention purge of ${new Date(month).toISOString().slice(0, 7)}: ${fmt(monthRemoved.interactions)} emails, ${fmt(monthRemoved.participations)} party rows in ${fmt(seconds(started), 2)} s`,
    );
    const remaining = await countCollected(store, tenant.id);
    before.interaction = remaining.interaction ?? 0;
    started = performance.now();
    const change = await withdrawConsent(ctx, tenant.id, "identifiable", admin);
    const purgeSeconds = seconds(started);
    const after = await countCollected(store, tenant.id);
    console.log(
      `${engine}: withdrawal purged ${fmt(before.interaction ?? 0)} emails in ${fmt(purgeSeconds, 1)} s (goal ≤ 300 s); receipt counts ${JSON.stringify(change.receipt?.counts ?? {})}; left: ${JSON.stringify(after)}`,
    );
    return { engine, emails: before.interaction ?? 0, purgeSeconds, buildSeconds, bytes };
  } finally {
    if (schema) await asOwner(() => sql.raw(`drop schema if exists ${schema} cascade`).execute(store.db));
    await store.close();
    for (const suffix of ["", "-wal", "-shm", "-scope-changes"])
      rmSync(`${path}${suffix}`, { force: true, recursive: true });
  }
}

export async function run(args: string[]): Promise<void> {
  const option = (name: string, fallback: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
  };
  const options = {
    emails: Number(option("emails", "8000000")),
    seed: Number(option("seed", "20000")),
    keep: option("keep-sqlite", ""),
    postgres: option(
      "postgres",
      process.env.KITH_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
    ),
  };
  const results = [];
  for (const engine of option("engines", "sqlite,postgres").split(",") as ("sqlite" | "postgres")[])
    results.push(await benchEngine(engine, options));
  console.log(
    `\nsummary (goal: a withdrawn 8M-email tenant purged in ≤ 5 minutes; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")})`,
  );
  for (const r of results)
    console.log(
      `  ${r.engine.padEnd(8)} ${fmt(r.emails)} emails (${fmt(r.bytes / 1_073_741_824, 2)} GB, built in ${fmt(r.buildSeconds)} s): purged in ${fmt(r.purgeSeconds, 1)} s${r.purgeSeconds <= 300 ? "" : " (goal NOT met)"}`,
    );
}
