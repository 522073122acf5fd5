/**
 * `npm run bench -- ingest [--emails N] [--skip-duckdb] [--skip-enron] [--schema-floors]`
 * Generates (and caches) a Graph NDJSON batch, ingests it into a fresh SQLite store, and prints
 * emails/s, MB/s and peak RSS; times DuckDB deduplicating and counting pairs on the same file and
 * prints Kith's time as a multiple of DuckDB's; times importing the 34 Enron mailboxes against a
 * plain parse of the same files with Python's `mailbox` module. It also times the storage floor
 * (storage-floor.ts): SQLite alone copying the rows the batch kept into an empty store of the same
 * schema, and with `--schema-floors` into integer-key schemas Kith does not have.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { createContext } from "../src/services/context";
import { grantConsent } from "../src/services/consent.service";
import { importDirectory } from "../src/services/directory.service";
import { enronDirectory, mailboxFileOwners, scanEnronMailboxes } from "../src/evaluation/eval-setup.service";
import type { DirectoryDocument } from "../src/ingest/directory-file";
import { importBatch } from "../src/services/ingest.service";
import { createTenant } from "../src/services/tenant.service";
import { openStore } from "../src/store/store";
import { benchShape, generateGraphNdjson, internalAddress } from "./graph-generator";
import { integerKeyFloors, storageFloor } from "./storage-floor";

const benchDir = resolve(".bench");
const enronDir = resolve("../shared/data/enron/mbox");

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

const mb = (bytes: number) => bytes / 1_048_576;
const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function freshTenant(path: string, domain: string, users: string[] | DirectoryDocument) {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
  const store = await openStore(path);
  // The generated year ends 2026-12-01: "now" after it, so no message is rejected as future-dated.
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
  return { store, ctx, tenantId: tenant.id };
}

export async function run(args: string[]): Promise<void> {
  const records = Number(arg(args, "--emails") ?? 1_000_000);
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
  console.log(`machine: ${(await import("node:os")).cpus().length} cores, node ${process.version}`);

  // Kith: a fresh SQLite store with the 20k-user directory, then one batch.
  const setupStart = performance.now();
  const users = Array.from({ length: benchShape.internalUsers }, (_, i) => internalAddress(i));
  const { store, ctx, tenantId } = await freshTenant(
    join(benchDir, "ingest.db"),
    benchShape.internalDomain,
    users,
  );
  console.log(
    `setup: directory of ${fmt(users.length)} users in ${fmt((performance.now() - setupStart) / 1000, 1)} s`,
  );
  const rssSamples: number[] = [];
  const sampler = setInterval(() => rssSamples.push(process.memoryUsage().rss), 1000);
  const started = performance.now();
  let nextReport = 0;
  const summary = await importBatch(ctx, tenantId, [file], {
    format: "graph",
    chunkSize: 20_000,
    onProgress: (p) => {
      if (p.read >= nextReport) {
        nextReport += Math.max(100_000, Math.floor(records / 8));
        const s = (performance.now() - started) / 1000;
        console.log(
          `  ${fmt(p.read)} read  ${fmt(p.stored)} stored  ${fmt(p.read / s)}/s  rss ${fmt(mb(process.memoryUsage().rss))} MB`,
        );
      }
    },
  });
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  const peak = Math.max(...rssSamples, process.memoryUsage().rss);
  // Flat memory: the peak of the second half of the run against the first half's.
  const half = Math.floor(rssSamples.length / 2);
  const peakOf = (xs: number[]) => (xs.length ? Math.max(...xs) : 0);
  const rssTimeline = rssSamples
    .filter((_, i) => i % Math.max(1, Math.ceil(rssSamples.length / 12)) === 0)
    .map((b) => fmt(mb(b)))
    .join(" ");
  console.log(
    `kith ingest: ${summary.status}, ${fmt(summary.read)} read, ${fmt(summary.stored)} stored, ${fmt(summary.duplicates)} duplicates, ${summary.rejected} rejected, refused ${JSON.stringify(summary.refused)}`,
  );
  console.log(
    `kith ingest: ${fmt(seconds, 1)} s, ${fmt(summary.read / seconds)} emails/s, ${fmt(mb(bytes) / seconds, 1)} MB/s, peak RSS ${fmt(mb(peak))} MB (max RSS of process ${fmt(process.resourceUsage().maxRSS / 1024)} MB)`,
  );
  console.log(
    `rss: first-half peak ${fmt(mb(peakOf(rssSamples.slice(0, half))))} MB, second-half peak ${fmt(mb(peakOf(rssSamples.slice(half))))} MB; over time (MB): ${rssTimeline}`,
  );
  await store.close();
  const floor = storageFloor(join(benchDir, "ingest.db"), join(benchDir, "floor.db"));
  console.log(
    `storage floor: SQLite alone writes the ${fmt(floor.rows)} rows this batch kept (interactions, party rows, pairs, people) into an empty store of the same schema in ${fmt(floor.seconds, 1)} s (${fmt(summary.read / floor.seconds)} emails/s); kith takes ${fmt(seconds / floor.seconds, 2)}× that`,
  );
  const schemaFloors = args.includes("--schema-floors")
    ? integerKeyFloors(join(benchDir, "ingest.db"), join(benchDir, "floor.db"))
    : null;
  if (schemaFloors)
    console.log(
      `storage floor of schemas Kith does not have: every key an integer ${fmt(schemaFloors.integer.seconds, 1)} s; also participants packed ${fmt(schemaFloors.packed.seconds, 1)} s`,
    );

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
      `ratio: kith ${fmt(seconds / duck, 2)}× duckdb (target ≤ 4×); the storage floor alone is ${fmt(floor.seconds / duck, 2)}×` +
        (schemaFloors
          ? `; with integer keys ${fmt(schemaFloors.integer.seconds / duck, 2)}×, also packed participants ${fmt(schemaFloors.packed.seconds / duck, 2)}×`
          : ""),
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
      const enron = await freshTenant(join(benchDir, "enron.db"), "enron.com", enronDirectory(scan));
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
