/**
 * One ingest worker process of the ingest bench (bench/ingest.ts): imports Graph NDJSON files into
 * a store, each file its own batch in turn, and prints `result <json>` (seconds, counts, peak RSS).
 * A process of its own, so that each engine's run has its own peak RSS and two workers really run
 * in parallel on one PostgreSQL.
 *
 *   node --import tsx bench/ingest-worker.ts <store url> <tenant id> <file>…
 */
import { createContext } from "../src/services/context";
import { useDataKeys } from "../src/services/data-keys";
import { importBatch } from "../src/services/ingest.service";
import { openStore } from "../src/store/store";

const [url, tenantId, ...files] = process.argv.slice(2);
if (!url || !tenantId || files.length === 0) throw new Error("usage: ingest-worker <url> <tenant> <file>…");
// `--encryption` runs: the tenant's collected data is sealed under its live data key.
if (process.env.KITH_BACKUP_KEYSTORE && process.env.KITH_BACKUP_KEK)
  useDataKeys({
    keyStore: process.env.KITH_BACKUP_KEYSTORE,
    kek: Buffer.from(process.env.KITH_BACKUP_KEK, "base64"),
  });
const store = await openStore(url);
// The generated year ends 2026-12-01: "now" after it, so no message is rejected as future-dated.
const ctx = createContext(store, () => new Date("2026-12-02T00:00:00Z"));
const rss: number[] = [];
const sampler = setInterval(() => rss.push(process.memoryUsage().rss), 1000);
const started = performance.now();
const totals = { read: 0, stored: 0, duplicates: 0, rejected: 0, statuses: [] as string[] };
for (const file of files) {
  const summary = await importBatch(ctx, tenantId, [file], {
    format: "graph",
    chunkSize: 20_000,
    onProgress: (p) => {
      if (p.read % 100_000 < 20_000)
        process.stdout.write(
          `progress ${p.read} ${p.stored} ${((performance.now() - started) / 1000).toFixed(1)} ${process.memoryUsage().rss}\n`,
        );
    },
  });
  totals.read += summary.read;
  totals.stored += summary.stored;
  totals.duplicates += summary.duplicates;
  totals.rejected += summary.rejected;
  totals.statuses.push(summary.status);
}
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
await store.close();
const half = Math.floor(rss.length / 2);
const peak = (xs: number[]) => (xs.length ? Math.max(...xs) : 0);
process.stdout.write(
  `result ${JSON.stringify({
    ...totals,
    seconds,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    firstHalfPeak: peak(rss.slice(0, half)),
    secondHalfPeak: peak(rss.slice(half)),
  })}\n`,
);
process.exit(0);
