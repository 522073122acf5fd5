import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { chromium, type Browser, type Page } from "playwright-core";
import { chromiumPath } from "./global-setup";

/**
 * End-to-end harness: a real `kith serve --demo` process on a temporary SQLite store bound to
 * 127.0.0.1 on a free port, sign-in links from its output and from `kith login-link`, and Debian's
 * Chromium driven by playwright-core (never a downloaded browser).
 */
const root = resolve(import.meta.dirname, "../..");
const kithBin = join(root, "bin/kith.mjs");
export const screenshotDir = join(root, "test-results/screenshots");

export interface KithProcess {
  url: string;
  env: NodeJS.ProcessEnv;
  sellerLink: string;
  adminLink: string;
  seller: string;
  loginLink(email: string): Promise<string>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

/** `extraEnv`: more configuration for the server (e.g. KITH_SECRET_KEY for live sources). */
export async function startKith(extraEnv: NodeJS.ProcessEnv = {}): Promise<KithProcess> {
  const dir = mkdtempSync(join(tmpdir(), "kith-e2e-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KITH_DATABASE_URL: join(dir, "kith.db"),
    KITH_HOST: "127.0.0.1",
    KITH_PORT: String(port),
    KITH_PUBLIC_URL: url,
    KITH_LOG_LEVEL: "warn",
    ...extraEnv,
  };
  const child: ChildProcess = spawn(process.execPath, [kithBin, "serve", "--demo"], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  const deadline = Date.now() + 90_000;
  while (!/sign in as the administrator[^\n]*\n\s*(\S+)/.test(out)) {
    if (child.exitCode !== null) throw new Error(`kith serve exited (${child.exitCode}):\n${out}`);
    if (Date.now() > deadline) throw new Error(`kith serve did not start in time:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const link = (who: string) => new RegExp(`sign in as ${who}[^\\n]*\\n\\s*(\\S+)`).exec(out)?.[1] ?? "";
  const seller = /sign in as a seller \(([^)]+)\)/.exec(out)?.[1] ?? "";
  return {
    url,
    env,
    seller,
    sellerLink: link("a seller"),
    adminLink: link("the administrator"),
    async loginLink(email: string) {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [kithBin, "login-link", email, "--tenant", "contoso", "--json"],
        { cwd: root, env },
      );
      return (JSON.parse(stdout) as { url: string }).url;
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchChromium(): Promise<Browser> {
  // launch() gives every run a fresh temporary profile (user-data-dir) and removes it on close.
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-quic",
      "--no-first-run",
      "--disable-sync",
    ],
  });
}

/** A separate cookie jar per person, signed in by following their one-time link. */
export async function signIn(browser: Browser, link: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  // Generous: the e2e project runs beside the unit suite on 2 cores, where a page can take seconds.
  page.setDefaultTimeout(45_000);
  await page.goto(link);
  await page.waitForURL(/\/app\/$/);
  await page.getByRole("navigation", { name: "Main" }).waitFor();
  return page;
}

/** Navigates inside the app (a full load, as a person following a bookmark would). */
export async function open(page: Page, base: string, path: string): Promise<void> {
  await page.goto(`${base}/app${path}`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}
