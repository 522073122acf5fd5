/**
 * A job worker in a process of its own (the real `JobWorker`, its own store connection): the queue
 * tests run several against one queue, as a deployment with several `kith serve` processes does.
 * SQLite allows one writer at a time per database and serialises a single connection's work, so
 * only separate processes show that two workers never claim the same job.
 *
 * Run as `node --import tsx test/helpers/job-worker-process.ts` with the environment:
 *   KITH_DATABASE_URL  the store (a PostgreSQL URL may carry `?options=-c search_path=…`)
 *   KITH_NOW           the clock (it then runs forward in real time)
 *   WORKER_ID          the worker's id (recorded as the job's `locked_by`)
 *   WORKER_LEASE_MS    how long a claim lasts (default 600000)
 *   WORKER_HOLD        "first": the first job waits for a line on stdin before it finishes
 * It runs the jobs named `test.shared` that are due until none is left, then exits.
 * Protocol on stdout: `ran <jobId>` as a job starts, `holding <jobId>` while the first one waits,
 * `drained <count>` last.
 */
import { createInterface } from "node:readline";
import { setImmediate } from "node:timers/promises";
import { loadConfig } from "../../src/config/config";
import type { JobDefinition } from "../../src/jobs/job";
import { JobWorker } from "../../src/jobs/worker";
import { clockFrom, createContext } from "../../src/services/context";
import { openStore } from "../../src/store/store";

const config = loadConfig();
const store = await openStore(config.databaseUrl);
const ctx = createContext(store, clockFrom(config.clockStart));
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const workerId = process.env.WORKER_ID!;
let hold = process.env.WORKER_HOLD === "first";

const shared: JobDefinition = {
  name: "test.shared",
  maxAttempts: 3,
  backoffMs: () => 1000,
  run: async ({ job }) => {
    process.stdout.write(`ran ${job.id}\n`);
    if (hold) {
      hold = false;
      process.stdout.write(`holding ${job.id}\n`);
      await lines.next();
    }
    // No work and a yield: the processes spend their time claiming, so their claims contend.
    await setImmediate();
    return { ranBy: workerId };
  },
};

let exitCode = 0;
try {
  const worker = new JobWorker(
    ctx,
    [shared],
    {},
    {
      id: workerId,
      leaseMs: Number(process.env.WORKER_LEASE_MS ?? "600000"),
    },
  );
  let count = 0;
  while (await worker.runOnce()) count++;
  process.stdout.write(`drained ${count}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  exitCode = 1;
} finally {
  await store.close();
  process.exit(exitCode);
}
