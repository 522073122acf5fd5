// Installs dependencies when node_modules is missing or older than package-lock.json,
// so `npm start` and `npm test` work on a fresh clone with nothing else run first.
import { execSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";

const marker = "node_modules/.package-lock.json";
const stale =
  !existsSync(marker) ||
  (existsSync("package-lock.json") &&
    statSync("package-lock.json").mtimeMs > statSync(marker).mtimeMs + 1000);
if (stale) {
  console.error("kith: installing dependencies (first run; better-sqlite3 may compile for about a minute)…");
  execSync("npm ci --no-audit --no-fund", { stdio: "inherit" });
}
