/**
 * A batch import in a process of its own, paused at a chosen point: the consent race tests run a
 * change in another process while this one holds its batch open (SQLite's write lock and
 * PostgreSQL's row locks are per connection, and a real deployment has several processes).
 *
 * Run as `node --import tsx test/helpers/paused-import.ts` with the environment:
 *   KITH_DATABASE_URL   the store (a PostgreSQL URL may carry `?options=-c search_path=…`)
 *   KITH_NOW            the clock
 *   IMPORT_TENANT       tenant id
 *   IMPORT_FILES        paths, separated by newlines
 *   IMPORT_PAUSE        point to pause at ("started", "chunk", "merging", "committing"), or none
 *   IMPORT_PAUSE_COUNT  pause at the n-th time the point is reached (default 1)
 *   IMPORT_KIND         "import" (default) or "sync" (a live sync of the tenant's configured sources)
 * Protocol on stdout: `paused <point> <run>` when paused (a line on stdin resumes it), then
 * `summary <json>` last. Pauses only in the first run of the batch; a rerun goes straight through.
 */
import { createInterface } from "node:readline";
import { loadConfig } from "../../src/config/config";
import { clockFrom, createContext } from "../../src/services/context";
import { importBatch, type BatchPoint } from "../../src/services/ingest.service";
import { runSync } from "../../src/jobs/sync.job";
import { openStore } from "../../src/store/store";

const config = loadConfig();
const store = await openStore(config.databaseUrl);
const ctx = createContext(store, clockFrom(config.clockStart));
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const pauseAt = process.env.IMPORT_PAUSE as BatchPoint | undefined;
let remaining = Number(process.env.IMPORT_PAUSE_COUNT ?? "1");
let runs = 0;

const onPoint = async (point: BatchPoint) => {
  if (point === "started") runs++;
  if (point !== pauseAt || runs > 1 || --remaining !== 0) return;
  process.stdout.write(`paused ${point} ${runs}\n`);
  await lines.next();
};

try {
  const tenantId = process.env.IMPORT_TENANT!;
  const summary =
    process.env.IMPORT_KIND === "sync"
      ? await runSync(ctx, tenantId, { batch: { onPoint } })
      : await importBatch(ctx, tenantId, process.env.IMPORT_FILES!.split("\n"), {
          chunkSize: Number(process.env.IMPORT_CHUNK ?? "200"),
          onPoint,
        });
  process.stdout.write(`summary ${JSON.stringify(summary)}\n`);
} finally {
  await store.close();
  process.exit(0);
}
