/**
 * `npm run bench -- ingest [--emails N] [--engines sqlite,postgres] [--skip-workers] [--skip-duckdb]
 *   [--skip-enron] [--encryption]`
 * Generates (and caches) a Graph NDJSON batch (default 100,000 lines) and ingests it, per engine,
 * into a fresh store (SQLite file; PostgreSQL schema `bench_ingest` at KITH_BENCH_DATABASE_URL,
 * default the test database) by a worker process of its own (ingest-worker.ts): seconds, emails/s,
 * peak RSS, bytes of store per kept email (and per table), and PostgreSQL's time as a multiple of
 * SQLite's. Then, on PostgreSQL, the batch split by mailbox into two files, imported by one worker
 * (both in turn) and by two workers at once, each into a fresh store, and whether the two stores
 * are equal. Times DuckDB deduplicating and counting pairs on the same file and prints Kith's time
 * as a multiple of DuckDB's; times importing the Enron mailboxes against a plain parse with
 * Python's `mailbox` module. Also the storage floor (storage-floor.ts): SQLite alone copying the
 * rows the batch kept into an empty store of the same schema (since migration 0060 that schema is
 * the integer-key one the earlier `--schema-floors` priced).
 */
import { execFileSync } from "node:child_process";
import { once } from "node:events";
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
} from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import Sqlite from "better-sqlite3";
import pg from "pg";
import { spawnNode } from "../test/helpers/node-process";
import { ingestDigest } from "../test/helpers/store-digest";
import { createContext } from "../src/services/context";
import { grantConsent } from "../src/services/consent.service";
import { importDirectory } from "../src/services/directory.service";
import { enronDirectory, mailboxFileOwners, scanEnronMailboxes } from "../src/evaluation/eval-setup.service";
import type { DirectoryDocument } from "../src/ingest/directory-file";
import { importBatch } from "../src/services/ingest.service";
import { createTenant } from "../src/services/tenant.service";
import { dataKeyState, useDataKeys } from "../src/services/data-keys";
import { openStore, type Engine } from "../src/store/store";
import { numberedTables } from "../src/store/tenant-rows-delete";
import { benchShape, generateGraphNdjson, internalAddress } from "./graph-generator";
import { storageFloor } from "./storage-floor";

const benchDir = resolve(".bench");
const enronDir = resolve("../shared/data/enron/mbox");

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

const mb = (bytes: number) => bytes / 1_048_576;
const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Where the bench's PostgreSQL stores live (a schema each, dropped first). */
const benchPostgresUrl =
  process.env.KITH_BENCH_DATABASE_URL ??
  process.env.KITH_TEST_DATABASE_URL ??
  "postgres://postgres@127.0.0.1:5432/test";

/** A store the bench fills: its URL for a worker process and its size in bytes. */
interface BenchStore {
  engine: Engine;
  url: string;
  bytes(): Promise<number>;
  /** Bytes of the collected-data tables, each with its indexes. */
  tables(): Promise<Record<string, number>>;
}

const collectedTables = [...numberedTables];

/** A fresh store (SQLite file `name`.db, or PostgreSQL schema `bench_<name>`) with its tenant set up. */
async function freshTenant(
  engine: Engine,
  name: string,
  domain: string,
  users: string[] | DirectoryDocument,
) {
  let url: string;
  let bench: BenchStore;
  if (engine === "sqlite") {
    const path = join(benchDir, `${name}.db`);
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
    url = path;
    bench = {
      engine,
      url,
      bytes: () =>
        Promise.resolve(
          ["", "-wal"].reduce(
            (n, s) => n + (existsSync(`${path}${s}`) ? statSync(`${path}${s}`).size : 0),
            0,
          ),
        ),
      tables: () => {
        const db = new Sqlite(path, { readonly: true });
        try {
          const rows = db
            .prepare(
              `select m.tbl_name as name, sum(d.pgsize) as bytes from dbstat d join sqlite_master m on m.name = d.name
               group by m.tbl_name`,
            )
            .all() as { name: string; bytes: number }[];
          return Promise.resolve(
            Object.fromEntries(
              rows.filter((r) => collectedTables.includes(r.name)).map((r) => [r.name, r.bytes]),
            ),
          );
        } finally {
          db.close();
        }
      },
    };
  } else {
    const schema = `bench_${name.replace(/[^a-z0-9_]/g, "_")}`;
    await ownerQuery(`drop schema if exists ${schema} cascade`);
    await ownerQuery(`create schema ${schema}`);
    url = `${benchPostgresUrl}${benchPostgresUrl.includes("?") ? "&" : "?"}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    bench = {
      engine,
      url,
      bytes: async () => {
        await ownerQuery(`checkpoint`).catch(() => undefined);
        const rows = await ownerQuery(
          `select coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint as n from pg_class c
           join pg_namespace s on s.oid = c.relnamespace where s.nspname = $1 and c.relkind in ('r', 'p')`,
          [schema],
        );
        return Number(rows[0]?.n ?? 0);
      },
      tables: async () => {
        const rows = await ownerQuery(
          // A partitioned table (interaction, interaction_party: migration 0070) with its partitions.
          `select t.name, (select coalesce(sum(pg_total_relation_size(c.oid)), 0) from pg_class c
             where c.oid = r.oid or c.oid in (select relid from pg_partition_tree(r.oid)))::bigint as bytes
           from unnest($2::text[]) as t(name) cross join lateral (select format('%I.%I', $1::text, t.name)::regclass::oid as oid) r`,
          [schema, collectedTables],
        );
        return Object.fromEntries(rows.map((r) => [String(r.name), Number(r.bytes)]));
      },
    };
  }
  const store = await openStore(url);
  const ctx = createContext(store, () => new Date("2026-12-02T00:00:00Z"));
  const tenant = await createTenant(ctx, {
    name: "Bench",
    domains: [domain],
    admin: { email: `admin@${domain}` },
  });
  const directory = Array.isArray(users)
    ? {
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
      }
    : users;
  await importDirectory(ctx, tenant.id, directory, [], "bench");
  await grantConsent(ctx, tenant.id, "identifiable", `admin@${domain}`);
  return { store, ctx, tenantId: tenant.id, bench };
}

async function ownerQuery(text: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: benchPostgresUrl });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

interface WorkerResult {
  read: number;
  stored: number;
  duplicates: number;
  rejected: number;
  statuses: string[];
  seconds: number;
  maxRssBytes: number;
  firstHalfPeak: number;
  secondHalfPeak: number;
}

/** Runs bench/ingest-worker.ts on `files` (one batch each, in turn) and returns what it printed. */
async function ingestWorker(
  url: string,
  tenantId: string,
  files: string[],
  label: string,
  env: Record<string, string> = {},
): Promise<WorkerResult> {
  // With the young-generation size `kith import` runs with (bin/kith.mjs): what production pays.
  const worker = spawnNode(["bench/ingest-worker.ts", url, tenantId, ...files], env, [
    "--max-semi-space-size=64",
  ]);
  const done = await worker.exit;
  for (const line of done.stdout.split("\n").filter((l) => l.startsWith("progress "))) {
    const [read, stored, s, rss] = line.split(" ").slice(1).map(Number);
    console.log(
      `  ${label}: ${fmt(read!)} read  ${fmt(stored!)} staged/stored  ${fmt(s!, 1)} s  rss ${fmt(mb(rss!))} MB`,
    );
  }
  const result = done.stdout.split("\n").find((l) => l.startsWith("result "));
  if (done.code !== 0 || !result) throw new Error(`ingest worker failed (${done.code}): ${done.stderr}`);
  return JSON.parse(result.slice("result ".length)) as WorkerResult;
}

/** The batch split by mailbox owner into two files: what two workers import side by side. */
async function splitByMailbox(file: string): Promise<[string, string]> {
  const parts: [string, string] = [
    file.replace(/\.ndjson$/, ".mailboxes-0.ndjson"),
    file.replace(/\.ndjson$/, ".mailboxes-1.ndjson"),
  ];
  if (parts.every((p) => existsSync(p))) return parts;
  const outs = parts.map((p) => createWriteStream(p));
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    const owner = /"mailboxOwner":"user(\d+)@/.exec(line)?.[1];
    const out = outs[Number(owner ?? 0) % 2]!;
    if (!out.write(`${line}\n`)) await once(out, "drain");
  }
  for (const out of outs) out.end();
  await Promise.all(outs.map((out) => once(out, "finish")));
  return parts;
}

/**
 * `--encryption`: the same batch again into a fresh store whose tenant's collected data is sealed
 * (a key store and KEK configured: addresses, names and subjects AES-256-GCM, keyed hashes), and the
 * cost against the readable run just before it (issue 18's goal: ≤ 15 % on the ingest).
 */
async function encryptionCost(
  engine: Engine,
  users: string[],
  file: string,
  readable: WorkerResult,
  readableBytes: number,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "kith-bench-keys-"));
  const keys = { keyStore: join(dir, "keystore.json"), kek: randomBytes(32) };
  useDataKeys(keys);
  try {
    const { store, tenantId, bench } = await freshTenant(
      engine,
      "ingest_sealed",
      benchShape.internalDomain,
      users,
    );
    await store.close();
    if (dataKeyState(tenantId) !== "keyed") throw new Error("the sealed bench tenant has no live data key");
    const before = await bench.bytes();
    const r = await ingestWorker(bench.url, tenantId, [file], `${engine} sealed`, {
      KITH_BACKUP_KEYSTORE: keys.keyStore,
      KITH_BACKUP_KEK: keys.kek.toString("base64"),
    });
    const grown = (await bench.bytes()) - before;
    console.log(
      `${engine} encryption: sealed ${fmt(r.seconds, 1)} s vs readable ${fmt(readable.seconds, 1)} s = ${fmt((r.seconds / readable.seconds - 1) * 100, 1)} % (goal ≤ 15 %); ${fmt(grown / Math.max(1, r.stored))} vs ${fmt(readableBytes / Math.max(1, readable.stored))} bytes per kept email; ${fmt(r.stored)} stored`,
    );
  } finally {
    useDataKeys(null);
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(args: string[]): Promise<void> {
  const records = Number(arg(args, "--emails") ?? 100_000);
  const engines = (arg(args, "--engines") ?? "sqlite,postgres").split(",") as Engine[];
  mkdirSync(benchDir, { recursive: true });
  // v2: ~850-byte lines (issue 3); bump when the generator's output changes.
  const file = join(benchDir, `graph-v2-${records}.ndjson`);
  if (!existsSync(file)) {
    const t = performance.now();
    const g = await generateGraphNdjson(file, records);
    console.log(
      `generated ${file}: ${fmt(g.lines)} lines, ${fmt(g.distinct)} distinct messages, ${fmt(mb(g.bytes))} MB, ${fmt(g.bytes / g.lines)} bytes/line in ${fmt((performance.now() - t) / 1000, 1)} s`,
    );
  }
  const bytes = statSync(file).size;
  const os = await import("node:os");
  console.log(
    `machine: ${os.cpus().length} cores, node ${process.version}, load average ${os
      .loadavg()
      .map((l) => fmt(l, 2))
      .join(" ")}`,
  );

  // Kith: per engine, a fresh store with the 20k-user directory, then one batch in a worker process.
  const users = Array.from({ length: benchShape.internalUsers }, (_, i) => internalAddress(i));
  const timed: Partial<Record<Engine, WorkerResult>> = {};
  for (const engine of engines) {
    const setupStart = performance.now();
    const { store, tenantId, bench } = await freshTenant(engine, "ingest", benchShape.internalDomain, users);
    await store.close();
    const before = await bench.bytes();
    console.log(
      `${engine} setup: directory of ${fmt(users.length)} users in ${fmt((performance.now() - setupStart) / 1000, 1)} s`,
    );
    const r = await ingestWorker(bench.url, tenantId, [file], engine);
    timed[engine] = r;
    const grown = (await bench.bytes()) - before;
    const tables = await bench.tables();
    console.log(
      `${engine} ingest: ${r.statuses.join(",")}, ${fmt(r.read)} read, ${fmt(r.stored)} stored, ${fmt(r.duplicates)} duplicates, ${r.rejected} rejected`,
    );
    console.log(
      `${engine} ingest: ${fmt(r.seconds, 1)} s, ${fmt(r.read / r.seconds)} emails/s, ${fmt(mb(bytes) / r.seconds, 1)} MB/s, peak RSS ${fmt(mb(r.maxRssBytes))} MB (first-half peak ${fmt(mb(r.firstHalfPeak))} MB, second-half ${fmt(mb(r.secondHalfPeak))} MB); store grew ${fmt(mb(grown), 1)} MB = ${fmt(grown / Math.max(1, r.stored))} bytes per kept email`,
    );
    console.log(
      `${engine} bytes per kept email by table (with its indexes): ${Object.entries(tables)
        .map(([t, b]) => `${t} ${fmt(b / Math.max(1, r.stored))}`)
        .join(", ")}`,
    );
    if (args.includes("--encryption")) await encryptionCost(engine, users, file, r, grown);
  }
  if (timed.sqlite && timed.postgres)
    console.log(
      `engines: sqlite ${fmt(timed.sqlite.seconds, 1)} s, postgres ${fmt(timed.postgres.seconds, 1)} s: postgres ${fmt(timed.postgres.seconds / timed.sqlite.seconds, 2)}× sqlite (goal ≤ 1.5×)`,
    );

  // Several workers on one PostgreSQL: the batch split by mailbox, imported by one worker (both
  // halves in turn) and by two at once, each into a fresh store; the two stores must be equal.
  if (engines.includes("postgres") && !args.includes("--skip-workers")) {
    const halves = await splitByMailbox(file);
    const one = await freshTenant("postgres", "workers_1", benchShape.internalDomain, users);
    await one.store.close();
    const single = await ingestWorker(one.bench.url, one.tenantId, halves, "1 worker");
    const two = await freshTenant("postgres", "workers_2", benchShape.internalDomain, users);
    await two.store.close();
    const t = performance.now();
    const pair = await Promise.all(
      halves.map((h, i) => ingestWorker(two.bench.url, two.tenantId, [h], `worker ${i + 1}`)),
    );
    const wall = (performance.now() - t) / 1000;
    const digests = await Promise.all(
      [one, two].map(async (t) => {
        const store = await openStore(t.bench.url);
        try {
          return JSON.stringify(await ingestDigest(store, t.tenantId));
        } finally {
          await store.close();
        }
      }),
    );
    const same = digests[0] === digests[1];
    console.log(
      `postgres workers: 1 worker ${fmt(single.seconds, 1)} s (${fmt(single.stored)} stored); 2 workers ${fmt(wall, 1)} s wall (${pair.map((p) => `${fmt(p.seconds, 1)} s`).join(" + ")}, ${fmt(pair[0]!.stored + pair[1]!.stored)} stored): ${fmt(single.seconds / wall, 2)}× the throughput; same store: ${same ? "yes" : "NO"}`,
    );
  }

  if (engines.includes("sqlite")) {
    const floor = storageFloor(join(benchDir, "ingest.db"), join(benchDir, "floor.db"));
    const seconds = timed.sqlite!.seconds;
    console.log(
      `storage floor: SQLite alone writes the ${fmt(floor.rows)} rows this batch kept (address book, colleagues, interactions, party rows, pairs, people) into an empty store of the same schema in ${fmt(floor.seconds, 1)} s (${fmt(records / floor.seconds)} emails/s); kith takes ${fmt(seconds / floor.seconds, 2)}× that`,
    );
  }

  if (!args.includes("--skip-duckdb")) {
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const instance = await DuckDBInstance.create(":memory:");
    const conn = await instance.connect();
    const t = performance.now();
    const result = await conn.runAndReadAll(`
      with m as (
        select internetMessageId as id, "from".emailAddress.address as sender,
               list_concat(toRecipients, ccRecipients) as recipients
        from read_json('${file}', format = 'newline_delimited',
          columns = {internetMessageId: 'VARCHAR', "from": 'STRUCT(emailAddress STRUCT(name VARCHAR, address VARCHAR))',
                     toRecipients: 'STRUCT(emailAddress STRUCT(name VARCHAR, address VARCHAR))[]',
                     ccRecipients: 'STRUCT(emailAddress STRUCT(name VARCHAR, address VARCHAR))[]'})),
      d as (select any_value(sender) as sender, any_value(recipients) as recipients from m group by id),
      r as (select sender, unnest(recipients).emailAddress.address as recipient from d)
      select count(*) as pairs, sum(n) as interactions from (select sender, recipient, count(*) as n from r group by all)`);
    const duck = (performance.now() - t) / 1000;
    const row = result.getRowObjects()[0] ?? {};
    console.log(
      `duckdb: ${fmt(duck, 1)} s (dedupe by internetMessageId, ${String(row.pairs)} pairs, ${String(row.interactions)} interactions)`,
    );
    console.log(
      `ratio: ${engines.map((e) => `kith on ${e} ${fmt(timed[e]!.seconds / duck, 2)}×`).join(", ")} duckdb (target ≤ 4×)`,
    );
  }

  if (!args.includes("--skip-enron") && existsSync(enronDir)) {
    const files = readdirSync(enronDir).map((f) => join(enronDir, f));
    const py = performance.now();
    const count = execFileSync(
      "python3",
      [
        "-c",
        "import mailbox,sys\nn=0\nfor f in sys.argv[1:]:\n  for m in mailbox.mbox(f): n+=1\nprint(n)",
        ...files,
      ],
      { encoding: "utf8", maxBuffer: 1 << 20 },
    ).trim();
    const pySeconds = (performance.now() - py) / 1000;
    // A real import stores: the directory is every enron.com address seen, and each mailbox is
    // owned by its user, as `kith eval-setup enron` sets it up (built before the clock starts).
    const scan = await scanEnronMailboxes(enronDir);
    const owners = mailboxFileOwners(scan);
    // Inline first (the main thread parses too), then as `kith import` runs it (files read ahead
    // on a worker thread when that pays): each into a fresh store.
    const timedImport = async (readAhead?: boolean) => {
      const enron = await freshTenant("sqlite", "enron", "enron.com", enronDirectory(scan));
      const t = performance.now();
      const s = await importBatch(enron.ctx, enron.tenantId, files, {
        format: "mbox",
        owners,
        ...(readAhead === undefined ? {} : { readAhead }),
      });
      const seconds = (performance.now() - t) / 1000;
      await enron.store.close();
      return { s, seconds };
    };
    const inline = await timedImport(false);
    const { s, seconds: kith } = await timedImport();
    console.log(
      `enron: python mailbox parsed ${count} messages in ${fmt(pySeconds, 1)} s; kith imported ${fmt(s.read)} (${fmt(s.stored)} stored, refused ${JSON.stringify(s.refused)}) in ${fmt(kith, 2)} s: ${fmt(kith / pySeconds, 2)}× python (target < 0.33×); parsing on the main thread ${fmt(inline.seconds, 2)} s (${fmt(inline.seconds / pySeconds, 2)}×)`,
    );
  }
}
