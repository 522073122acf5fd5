// Installs dependencies when node_modules is missing or was installed from another package-lock.json,
// so `npm start` and `npm test` work on a fresh clone with nothing else run first.
// The lockfile is compared by content (a hash stamped after each install), not by time: a checkout
// touches the file's time without changing what it locks.
// Never when node_modules is a symbolic link (a worktree sharing another checkout's install):
// `npm ci` would empty the shared folder through the link.
import { execSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, lstatSync, readFileSync, writeFileSync } from "node:fs";

const stamp = "node_modules/.kith-lock-sha256";
const lockHash = existsSync("package-lock.json")
  ? createHash("sha256").update(readFileSync("package-lock.json")).digest("hex")
  : "";
const installed = existsSync("node_modules/.package-lock.json");
const stampedHash = existsSync(stamp) ? readFileSync(stamp, "utf8").trim() : null;
// An install made before the stamp existed counts as current once: it is stamped, not redone.
const stale = !installed || (stampedHash !== null && stampedHash !== lockHash);
const shared = lstatSync("node_modules", { throwIfNoEntry: false })?.isSymbolicLink() === true;
if (stale && shared) {
  console.error(
    "kith: node_modules is a link to a shared install made from another package-lock.json; not reinstalling through the link (run npm ci where it lives)",
  );
} else if (stale) {
  console.error("kith: installing dependencies (first run; better-sqlite3 may compile for about a minute)…");
  execSync("npm ci --no-audit --no-fund", { stdio: "inherit" });
  writeFileSync(stamp, `${lockHash}\n`);
} else if (stampedHash === null && !shared) {
  writeFileSync(stamp, `${lockHash}\n`);
}
