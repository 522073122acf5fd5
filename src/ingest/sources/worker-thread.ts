/**
 * Starts an ingest worker thread by name, from wherever this code runs:
 * - built (dist/, scripts/build.mjs): each worker is a bundle of its own next to the bundle running
 *   this code (dist/main/<name>.js), started as plain JavaScript;
 * - from the TypeScript sources (vitest, `node --import tsx`): src/ingest/sources/<name>.ts, next to
 *   this file. Node 20 does not apply ESM loader hooks (`--import tsx`) inside worker threads, so
 *   the worker starts as a CommonJS script that installs tsx's require hook and requires the
 *   TypeScript file; this works under vitest, `node --import tsx` and on Node 22/24. Consequence: a
 *   worker's import graph must not contain ESM-only packages (node built-ins and our own modules
 *   only; ical.js, for one, is ESM-only).
 */
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

/** The worker entry points; scripts/build.mjs bundles each under this name. */
export type WorkerName = "graph-worker" | "mail-worker";

const fromSources = import.meta.url.endsWith(".ts");

export function startWorker(name: WorkerName, workerData: unknown): Worker {
  if (!fromSources) return new Worker(new URL(`./${name}.js`, import.meta.url), { workerData });
  const module = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  // Resolved here, not at load: tsx is a development dependency, absent where only dist/ runs.
  const tsxRequireHook = createRequire(import.meta.url).resolve("tsx/cjs/api");
  const bootstrap = `require(${JSON.stringify(tsxRequireHook)}).register(); require(${JSON.stringify(module)});`;
  return new Worker(bootstrap, { eval: true, workerData });
}
