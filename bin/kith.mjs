#!/usr/bin/env -S node --max-semi-space-size=64
// --max-semi-space-size=64: V8's young generation holds the whole working set of one insight
// computation (KPIs of an account with 10,000 activities allocate ~60 MB of short-lived objects),
// so it dies young instead of being copied into the old generation: 55 ms -> 39 ms a call
// (`npm run bench -- insights`). npm scripts pass the same flag; `node bin/kith.mjs` without it works, slower.
// Entry point for `npx kith` from the checkout: TypeScript runs through tsx's loader.
import { register } from "tsx/esm/api";

register();
await import("../src/main/cli.ts");
