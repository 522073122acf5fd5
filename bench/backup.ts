/**
 * `npm run bench -- backup [--emails N] [--postgres]`
 * Builds (once, cached as `.bench/backup-N.db`) a SQLite store from the ingest bench's Graph
 * NDJSON batch of N lines (default 1M), then times `kith backup` of it (size, time), the share of
 * that time spent sealing collected data (AES-256-GCM) against encoding and deflating it, and a
 * restore into a fresh SQLite store. `--postgres`: also restores the same backup into a fresh
 * PostgreSQL schema and times a backup from there (one REPEATABLE READ snapshot).
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { deflateRawSync } from "node:zlib";
import pg from "pg";
import { encodeChunk } from "../src/services/backup-file";
import { seal, type BackupKeys } from "../src/services/backup-keys";
import { createBackup, prepareRestore, restoreBackup } from "../src/services/backup.service";
import { grantConsent } from "../src/services/consent.service";
import { createContext } from "../src/services/context";
import { importDirectory } from "../src/services/directory.service";
import { importBatch } from "../src/services/ingest.service";
import { createTenant } from "../src/services/tenant.service";
import { backupTables } from "../src/store/backup-tables";
import { withSnapshot } from "../src/store/backup.repository";
import { openStore } from "../src/store/store";
import { benchShape, generateGraphNdjson, internalAddress } from "./graph-generator";

const benchDir = resolve(".bench");
const postgresUrl = process.env.KITH_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const now = () => new Date("2026-12-02T00:00:00Z");

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

const mb = (bytes: number) => bytes / 1_048_576;
const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const seconds = (since: number) => (performance.now() - since) / 1000;

async function buildStore(path: string, records: number): Promise<void> {
  const file = join(benchDir, `graph-v2-${records}.ndjson`);
  if (!existsSync(file)) await generateGraphNdjson(file, records);
  const store = await openStore(path);
  const ctx = createContext(store, now);
  const domain = benchShape.internalDomain;
  const tenant = await createTenant(ctx, {
    name: "Bench",
    domains: [domain],
    admin: { email: `admin@${domain}` },
  });
  const users = Array.from({ length: benchShape.internalUsers }, (_, i) => ({
    email: internalAddress(i),
    externalId: null,
    name: null,
    aliases: [],
    guest: false,
    roles: ["Salesperson"],
    groups: null,
  }));
  await importDirectory(ctx, tenant.id, { roles: [], groups: [], users }, [], "bench");
  await grantConsent(ctx, tenant.id, "identifiable", `admin@${domain}`);
  const started = performance.now();
  const summary = await importBatch(ctx, tenant.id, [file], { format: "graph", chunkSize: 20_000 });
  console.log(
    `built ${path}: ${fmt(summary.read)} lines read, ${fmt(summary.stored)} stored in ${fmt(seconds(started), 1)} s`,
  );
  await store.close();
}

export async function run(args: string[]): Promise<void> {
  const records = Number(arg(args, "--emails") ?? 1_000_000);
  mkdirSync(benchDir, { recursive: true });
  const storePath = join(benchDir, `backup-${records}.db`);
  if (!existsSync(storePath)) await buildStore(storePath, records);
  console.log(`machine: ${(await import("node:os")).cpus().length} cores, node ${process.version}`);
  const work = join(benchDir, "backup-run");
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const keys: BackupKeys = { kek: randomBytes(32), keyStore: join(work, "keystore.json") };

  const store = await openStore(storePath);
  const ctx = createContext(store, now);
  const file = join(work, "store.kithbak");
  let t = performance.now();
  const summary = await createBackup(ctx, file, keys);
  const backupSeconds = seconds(t);
  const rows = Object.values(summary.rows).reduce((a, b) => a + b, 0);
  const collectedRows = backupTables
    .filter((x) => x.kind === "collected")
    .reduce((a, x) => a + (summary.rows[x.table] ?? 0), 0);
  console.log(
    `store: ${fmt(mb(statSync(storePath).size))} MB SQLite file, ${fmt(rows)} rows (${fmt(collectedRows)} collected: ${backupTables
      .filter((x) => x.kind === "collected")
      .map((x) => `${x.table} ${fmt(summary.rows[x.table] ?? 0)}`)
      .join(", ")})`,
  );
  console.log(
    `sqlite backup: ${fmt(backupSeconds, 1)} s, ${fmt(mb(summary.bytes), 1)} MB file (${fmt((100 * summary.bytes) / statSync(storePath).size)} % of the store), ${fmt(rows / backupSeconds)} rows/s`,
  );

  // Where the time goes for collected data: snapshot + read, JSON, deflate, AES-256-GCM.
  const key = randomBytes(32);
  const phase = { read: 0, encode: 0, deflate: 0, seal: 0, snapshot: 0 };
  t = performance.now();
  await withSnapshot(store, benchDir, async (snapshot) => {
    phase.snapshot = seconds(t);
    for (const table of backupTables.filter((x) => x.kind === "collected")) {
      let r = performance.now();
      for await (const chunk of snapshot.rows(table, 4096)) {
        phase.read += seconds(r);
        let p = performance.now();
        const text = encodeChunk(table.table, chunk);
        phase.encode += seconds(p);
        p = performance.now();
        const body = deflateRawSync(Buffer.from(text), { level: 1 });
        phase.deflate += seconds(p);
        p = performance.now();
        seal(key, body, "bench");
        phase.seal += seconds(p);
        r = performance.now();
      }
    }
  });
  console.log(
    `collected data, by phase: snapshot copy ${fmt(phase.snapshot, 1)} s, read ${fmt(phase.read, 1)} s, JSON ${fmt(phase.encode, 1)} s, deflate ${fmt(phase.deflate, 1)} s, AES-256-GCM ${fmt(phase.seal, 2)} s = ${fmt((100 * phase.seal) / backupSeconds, 1)} % of the backup`,
  );
  await store.close();

  const restoredPath = join(work, "restored.db");
  const target = await openStore(restoredPath);
  t = performance.now();
  await restoreBackup(createContext(target, now), prepareRestore(file, keys));
  console.log(`sqlite restore into a fresh store: ${fmt(seconds(t), 1)} s`);
  await target.close();

  if (args.includes("--postgres")) {
    const schema = `bench_${randomBytes(4).toString("hex")}`;
    const pgStore = await openStore(postgresUrl, { schema });
    try {
      t = performance.now();
      await restoreBackup(createContext(pgStore, now), prepareRestore(file, keys));
      console.log(`postgres restore of the SQLite backup into a fresh schema: ${fmt(seconds(t), 1)} s`);
      const pgFile = join(work, "postgres.kithbak");
      t = performance.now();
      const pgSummary = await createBackup(createContext(pgStore, now), pgFile, keys);
      console.log(
        `postgres backup: ${fmt(seconds(t), 1)} s, ${fmt(mb(pgSummary.bytes), 1)} MB file, ${fmt(rows / seconds(t))} rows/s`,
      );
    } finally {
      await pgStore.close();
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    }
  }
  rmSync(work, { recursive: true, force: true });
}
