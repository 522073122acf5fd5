/**
 * Starts a TypeScript module as a worker thread. Node 20 does not apply ESM loader hooks
 * (`--import tsx`) inside worker threads, so the worker starts as a CommonJS script that installs
 * tsx's require hook and requires the TypeScript file; this works under vitest, `node --import tsx`
 * and on Node 22/24. Consequence: a worker's import graph must not contain ESM-only packages
 * (node built-ins and our own modules only; ical.js, for one, is ESM-only).
 */
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

const tsxRequireHook = createRequire(import.meta.url).resolve("tsx/cjs/api");

export function startWorker(module: URL, workerData: unknown): Worker {
  const bootstrap = `require(${JSON.stringify(tsxRequireHook)}).register(); require(${JSON.stringify(fileURLToPath(module))});`;
  return new Worker(bootstrap, { eval: true, workerData });
}
