import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { Worker } from "node:worker_threads";
import { beforeAll, describe, expect, it } from "vitest";
import type { SourceRecord } from "../src/domain/interaction";
import { readGraph } from "../src/ingest/sources/graph";
import type { WorkerInput, WorkerMessage } from "../src/ingest/sources/graph-worker";
import { readAheadPays } from "../src/ingest/sources/mail-read-ahead";
import { decodeBatch } from "../src/ingest/sources/record-batch";
import { collect, fixtures } from "../src/ingest/sources/test-helpers";

/**
 * The JavaScript build (scripts/build.mjs → dist/) that bin/kith.mjs runs: what the TypeScript
 * sources cannot show under vitest (worker threads started from the bundles, rebuilding when stale).
 */
const root = resolve(import.meta.dirname, "..");
const distEntry = join(root, "dist/main/cli.js");
const run = promisify(execFile);

function kith(args: string[], env: NodeJS.ProcessEnv = {}) {
  return run(process.execPath, [join(root, "bin/kith.mjs"), ...args], {
    cwd: root,
    env: { ...process.env, KITH_LOG_LEVEL: "warn", ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
}

describe("the JavaScript build", () => {
  beforeAll(async () => {
    await run(process.execPath, [join(root, "scripts/build.mjs")], { cwd: root });
  });

  it("kith runs dist/ as built, and builds it again first once it is older than the sources", async () => {
    const fresh = await kith(["--help"]);
    expect(fresh.stdout).toContain("Usage: kith");
    expect(fresh.stderr).toBe("");
    // Ageing the build rather than touching a source: same staleness, no edit to src/.
    const past = new Date("2001-01-01T00:00:00Z");
    utimesSync(distEntry, past, past);
    const stale = await kith(["--help"]);
    expect(stale.stderr).toBe("kith: building dist/ from src/…\n");
    expect(stale.stdout).toContain("Usage: kith");
    expect(statSync(distEntry).mtimeMs).toBeGreaterThan(past.getTime());
    expect((await kith(["--help"])).stderr).toBe("");
  });

  it("kith --version prints the package's version, from the bundle as from the sources", async () => {
    const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
    expect((await kith(["--version"])).stdout.trim()).toBe(version);
    const fromSources = await run(
      process.execPath,
      ["--import", "tsx", join(root, "src/main/cli.ts"), "-V"],
      {
        cwd: root,
      },
    );
    expect(fromSources.stdout.trim()).toBe(version);
  });

  it("a large mail import reads ahead on the worker bundled as dist/main/mail-worker.js", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kith-build-"));
    const env = { KITH_DATABASE_URL: join(dir, "kith.db") };
    await kith(["tenant", "create", "--name", "Built", "--domain", "enron.com"], env);
    const sample = readFileSync(join(fixtures, "enron-sample.mbox"));
    const small = join(dir, "sample.mbox");
    writeFileSync(small, sample);
    // Enough copies that the read-ahead worker pays (mail-read-ahead.ts); nothing is consented, so
    // every message is read and refused, and the count shows the worker read them all.
    const copies = Math.ceil((9 * 1024 * 1024) / sample.length);
    const large = join(dir, "large.mbox");
    writeFileSync(large, Buffer.concat(Array.from({ length: copies }, () => sample)));
    expect(readAheadPays(statSync(large).size)).toBe(true);

    const importJson = async (path: string) => {
      const { stdout } = await kith(["import", path, "--tenant", "built", "--format", "mbox", "--json"], env);
      return JSON.parse(stdout) as { status: string; read: number; failure?: string };
    };
    const once = await importJson(small);
    expect(once).toMatchObject({ status: "done" });
    expect(once.read).toBeGreaterThan(0);
    expect(await importJson(large)).toMatchObject({ status: "done", read: copies * once.read });
  });

  it("the Graph parse worker bundled as dist/main/graph-worker.js gives the records inline parsing gives", async () => {
    const file = join(fixtures, "graph/messages.ndjson");
    const input: WorkerInput = {
      path: file,
      start: 0,
      end: statSync(file).size,
      owner: null,
      maxInFlight: 1,
    };
    const worker = new Worker(join(root, "dist/main/graph-worker.js"), { workerData: input });
    const records: SourceRecord[] = [];
    try {
      await new Promise<void>((done, fail) => {
        worker.on("message", (message: WorkerMessage) => {
          if (message.kind === "batch") {
            records.push(...decodeBatch(message.batch));
            worker.postMessage("ack");
          } else if (message.kind === "done") done();
          else fail(new Error(message.message));
        });
        worker.on("error", fail);
        worker.on("exit", (code) => fail(new Error(`graph worker exited with code ${code}`)));
      });
    } finally {
      await worker.terminate();
    }
    expect(records.length).toBeGreaterThan(0);
    expect(records).toEqual(await collect(readGraph(file, { workers: 1 })));
  });
});
