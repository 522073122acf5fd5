// The web app's API types, generated from the OpenAPI document the server serves
// (openapi-typescript): `node --import tsx scripts/web-types.ts` writes web/src/api.gen.ts;
// `--check` fails when the file differs from what the routes now describe (run by `npm run check`).
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import openapiTS, { astToString } from "openapi-typescript";
import { buildApp } from "../src/api/app";
import { loadConfig } from "../src/config/config";
import { createContext } from "../src/services/context";
import { openStore } from "../src/store/store";

const target = resolve(import.meta.dirname, "../web/src/api.gen.ts");
// A throwaway store: the document depends on the routes only.
const store = await openStore(":memory:");
const app = await buildApp({
  ctx: createContext(store),
  config: loadConfig({ KITH_DATABASE_URL: ":memory:", KITH_LOG_LEVEL: "silent" }),
});
await app.ready();
const document = app.swagger() as Parameters<typeof openapiTS>[0];
await app.close();
await store.close();
const header =
  "// Generated from /openapi.json by scripts/web-types.ts (openapi-typescript). Do not edit: change the\n" +
  "// route schemas in src/api/ and run `npm run web-types`.\n";
const text = header + astToString(await openapiTS(document, { alphabetize: true }));
if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(target, "utf8");
  } catch {
    // missing: differs
  }
  if (current !== text) {
    console.error("web/src/api.gen.ts is out of date with the API's schemas: run `npm run web-types`");
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}
