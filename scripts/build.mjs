// Compiles src/ into dist/, the JavaScript that `kith` runs (bin/kith.mjs): `npm run build` always
// builds; bin/kith.mjs builds when dist/ is missing or older than the sources.
//
// esbuild bundles our modules (node_modules stay external imports) into one file per entry point.
// Not tsc: src/ imports its modules without extensions (moduleResolution "Bundler"), which Node's
// ESM loader cannot resolve and tsc does not rewrite; and one bundle starts faster than ~160 files.
// No type checking here: that is `npm run check` (tsc --noEmit).
//
// Layout: every bundle sits in dist/main/, two levels below the root like every src/<area>/ module,
// so a path relative to import.meta.url that climbs to the root holds in both (src/api/web.ts:
// ../../web/dist). Worker threads are bundles of their own next to the one that starts them
// (src/ingest/sources/worker-thread.ts looks for dist/main/<name>.js).
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const outdir = join(root, "dist");
export const distEntry = join(outdir, "main/cli.js");

const entryPoints = {
  "main/cli": "src/main/cli.ts",
  // The names startWorker (src/ingest/sources/worker-thread.ts) knows.
  "main/graph-worker": "src/ingest/sources/graph-worker.ts",
  "main/mail-worker": "src/ingest/sources/mail-worker.ts",
};

/** What the bundles are made of: a change to any of these makes dist/ stale. */
const inputs = ["src", "scripts/build.mjs", "tsconfig.json"];

/**
 * Newest modification time (ms) among the inputs, or null without src/ (an installed copy
 * holding only dist/). Folders count too: a renamed or deleted module changes its folder's time.
 * Test files are left out; they are not in the bundles.
 */
export function newestInputMs() {
  let newest = 0;
  const visit = (path) => {
    const stats = statSync(path, { throwIfNoEntry: false });
    if (stats === undefined) return false;
    newest = Math.max(newest, stats.mtimeMs);
    if (!stats.isDirectory()) return true;
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (entry.isDirectory() || (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")))
        visit(join(path, entry.name));
    }
    return true;
  };
  const [sources, ...rest] = inputs.map((input) => join(root, input));
  if (!visit(sources)) return null;
  rest.forEach(visit);
  return newest;
}

/** True when dist/ holds a build of the current sources. */
export function distIsFresh() {
  const built = statSync(distEntry, { throwIfNoEntry: false });
  if (built === undefined) return false;
  const newest = newestInputMs();
  return newest === null || built.mtimeMs >= newest;
}

/**
 * Builds dist/. Every file is written under a temporary name and renamed into place, the entry
 * last, so a `kith` starting meanwhile (or building too) never loads a half-written or mixed
 * build. The entry's modification time is then set just past the newest input as seen before
 * compiling: a source saved during the build leaves dist/ stale, so the next start builds again.
 */
export async function build() {
  const newest = newestInputMs() ?? 0;
  let esbuild;
  try {
    esbuild = await import("esbuild");
  } catch (error) {
    if (error?.code !== "ERR_MODULE_NOT_FOUND") throw error;
    throw new BuildError(
      "esbuild, a development dependency, is not installed: run `npm install`, then `npm run build`",
    );
  }
  let result;
  try {
    result = await esbuild.build({
      absWorkingDir: root,
      entryPoints,
      outdir,
      bundle: true,
      packages: "external",
      platform: "node",
      format: "esm",
      // Modules a command imports with import() become chunks of their own (dist/main/chunk-*.js,
      // beside the entries so paths relative to import.meta.url hold), loaded only when used:
      // `kith --version` does not load the HTTP server (src/cli/program.ts, cliCommandModules).
      splitting: true,
      chunkNames: "main/[name]-[hash]",
      target: "node20.12",
      // Maps for `NODE_OPTIONS=--enable-source-maps kith …` (off by default: loading them costs ~40 ms a start).
      sourcemap: "linked",
      sourcesContent: false,
      write: false,
      logLevel: "warning",
    });
  } catch {
    // esbuild has printed the errors with their file and line.
    throw new BuildError("compiling src/ failed (errors above)");
  }
  const outputs = [...result.outputFiles].sort(
    (a, b) => Number(a.path === distEntry) - Number(b.path === distEntry),
  );
  for (const file of outputs) {
    mkdirSync(dirname(file.path), { recursive: true });
    const temporary = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
  }
  const stamp = new Date(Math.ceil(newest) + 1);
  utimesSync(distEntry, stamp, stamp);
  pruneOldChunks(new Set(outputs.map((file) => file.path)));
  return outputs.map((file) => relative(root, file.path));
}

/**
 * Removes chunks of earlier builds once a day old: a `kith serve` started before this build still
 * loads its own (content-hashed) chunks on first use, so they are not removed at once.
 */
function pruneOldChunks(current) {
  const dir = dirname(distEntry);
  const dayAgo = Date.now() - 24 * 60 * 60_000;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (!/-[A-Z0-9]{8}\.js(\.map)?$/.test(name) || current.has(path)) continue;
    if (statSync(path).mtimeMs < dayAgo) rmSync(path, { force: true });
  }
}

/** A build that cannot run, said in one line (no stack). */
export class BuildError extends Error {}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const written = await build();
    const entries = Object.keys(entryPoints).map((name) => `dist/${name}.js`);
    const chunks = written.filter((path) => path.endsWith(".js")).length - entries.length;
    console.error(`kith: built ${entries.join(", ")} and ${chunks} chunks they load on demand`);
  } catch (error) {
    console.error(`kith: ${error instanceof BuildError ? error.message : error}`);
    process.exitCode = 1;
  }
}
