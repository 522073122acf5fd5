/**
 * One scan of a watched folder in a process of its own, stopped at a chosen point so a test can
 * kill it there (SIGKILL: no clean-up runs, as in a crash).
 *
 * Run as `node --import tsx test/helpers/watch-process.ts` with the environment:
 *   KITH_DATABASE_URL, KITH_NOW   the store and the clock
 *   WATCH_TENANT, WATCH_DIR       the tenant id and the folder
 *   WATCH_PAUSE                   "chunk" (a chunk of the first file is written, not committed) or
 *                                 "imported" (its batch committed, the file not moved yet)
 * Protocol on stdout: `paused <point>` (then it waits until killed), or `result <json>` when it ran through.
 */
import { loadConfig } from "../../src/config/config";
import { clockFrom, createContext } from "../../src/services/context";
import { scanWatchedFolder } from "../../src/services/watched-folder.service";
import { openStore } from "../../src/store/store";

const config = loadConfig();
const store = await openStore(config.databaseUrl);
const ctx = createContext(store, clockFrom(config.clockStart));
const pause = process.env.WATCH_PAUSE;
const hang = (point: string) => {
  process.stdout.write(`paused ${point}\n`);
  return new Promise<void>(() => undefined);
};

const files = await scanWatchedFolder(ctx, process.env.WATCH_TENANT!, process.env.WATCH_DIR!, {
  settleMs: 0,
  batch: {
    chunkSize: 20,
    onPoint: (point) => (point === "chunk" && pause === "chunk" ? hang(point) : Promise.resolve()),
  },
  afterImport: () => (pause === "imported" ? hang("imported") : Promise.resolve()),
});
process.stdout.write(`result ${JSON.stringify(files.map((f) => ({ file: f.file, outcome: f.outcome })))}\n`);
await store.close();
process.exit(0);
