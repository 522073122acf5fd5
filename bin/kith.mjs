#!/usr/bin/env -S node --max-semi-space-size=64
// --max-semi-space-size=64: V8's young generation holds the whole working set of one insight
// computation (KPIs of an account with 10,000 activities allocate ~60 MB of short-lived objects),
// so it dies young instead of being copied into the old generation: 55 ms -> 39 ms a call
// (`npm run bench -- insights`). npm scripts pass the same flag; `node bin/kith.mjs` without it works, slower.
//
// Entry point for `npx kith`, `npm start` and the end-to-end tests: runs the JavaScript build,
// dist/main/cli.js, building it first (scripts/build.mjs, about a second) when it is missing or
// older than src/. There is no fallback to running the TypeScript through tsx: tsx transpiles with
// esbuild too, so where the build cannot run, neither can tsx.
import { pathToFileURL } from "node:url";
import { build, BuildError, distEntry, distIsFresh } from "../scripts/build.mjs";

if (!distIsFresh()) {
  console.error("kith: building dist/ from src/…");
  try {
    await build();
  } catch (error) {
    console.error(`kith: cannot build dist/: ${error instanceof BuildError ? error.message : String(error)}`);
    process.exit(1);
  }
}
await import(pathToFileURL(distEntry).href);
