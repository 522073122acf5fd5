// The end-to-end tests drive Debian's Chromium (never a browser a test tool downloads). On a fresh
// machine `npm test` installs it with apt when it can (root), and otherwise says what to run.
import { execSync } from "node:child_process";
import { existsSync } from "node:fs";

const path = process.env.KITH_E2E_CHROMIUM ?? "/usr/bin/chromium";
if (!existsSync(path)) {
  if (process.getuid?.() === 0 && existsSync("/usr/bin/apt-get")) {
    console.error("kith: installing Debian's chromium for the end-to-end tests (about 20 s)…");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    execSync("apt-get update -qq && apt-get install -y -qq chromium", { stdio: "inherit", env });
  } else {
    console.error(`kith: ${path} is missing; install it with: sudo apt-get install -y chromium`);
  }
}
