// Installs dependencies when node_modules is missing or older than package-lock.json,
// so `npm start` and `npm test` work on a fresh clone with nothing else run first.
// Never when node_modules is a symbolic link (a worktree sharing another checkout's install):
// `npm ci` would empty the shared folder through the link.
import { execSync } from "node:child_process";
import { existsSync, lstatSync, statSync } from "node:fs";

const marker = "node_modules/.package-lock.json";
const shared = lstatSync("node_modules", { throwIfNoEntry: false })?.isSymbolicLink() === true;
const stale =
  !existsSync(marker) ||
  (existsSync("package-lock.json") &&
    statSync("package-lock.json").mtimeMs > statSync(marker).mtimeMs + 1000);
if (stale && shared) {
  console.error(
    "kith: node_modules is a link to a shared install; not reinstalling it (run npm ci where it lives)",
  );
} else if (stale) {
  console.error("kith: installing dependencies (first run; better-sqlite3 may compile for about a minute)…");
  execSync("npm ci --no-audit --no-fund", { stdio: "inherit" });
}
