import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * Builds the server (dist/, what `kith` runs: scripts/build.mjs) and the web app before the
 * end-to-end tests, always: a stale build would test old code, and each takes about a second. Then
 * checks that Debian's Chromium is there — never downloads one.
 */
export default function setup(): void {
  execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
  execFileSync(process.execPath, ["node_modules/vite/bin/vite.js", "build", "web", "--logLevel", "warn"], {
    stdio: "inherit",
    // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (!existsSync(chromiumPath))
    throw new Error(`${chromiumPath} is missing: apt-get install -y chromium (.ci/run does this)`);
}

export const chromiumPath = process.env.KITH_E2E_CHROMIUM ?? "/usr/bin/chromium";
