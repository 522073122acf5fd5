import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * Builds the web app before the browser tests (always: a stale bundle would test old code; the
 * build takes about a second) and checks that Debian's Chromium is there — never downloads one.
 */
export default function setup(): void {
  execFileSync(process.execPath, ["node_modules/vite/bin/vite.js", "build", "web", "--logLevel", "warn"], {
    stdio: "inherit",
    // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (!existsSync(chromiumPath))
    throw new Error(`${chromiumPath} is missing: apt-get install -y chromium (.ci/run does this)`);
}

export const chromiumPath = process.env.KITH_E2E_CHROMIUM ?? "/usr/bin/chromium";
