import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, expect, it } from "vitest";

/**
 * deploy/kith.service, started the way systemd would start it. This machine runs no systemd (no
 * /run/systemd/system, so no `systemd-run`): the test reads the unit's ExecStartPre, ExecStart,
 * WorkingDirectory and Environment lines and runs them as written, with the checkout standing for
 * /opt/kith and this node for /usr/bin/node, then checks /healthz and /readyz and that SIGTERM (the
 * unit's KillSignal) stops the server cleanly.
 */
const root = resolve(import.meta.dirname, "../..");
const unit = readFileSync(join(root, "deploy/kith.service"), "utf8");
const dir = mkdtempSync(join(tmpdir(), "kith-unit-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A directive of the [Service] section, each occurrence, with the unit's paths made local. */
function directive(name: string): string[] {
  const service = unit.slice(unit.indexOf("[Service]"), unit.indexOf("[Install]"));
  return [...service.matchAll(new RegExp(`^${name}=(.*)$`, "gm"))].map((m) =>
    m[1]!.replaceAll("/usr/bin/node", process.execPath).replaceAll("/opt/kith", root),
  );
}

async function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => done(typeof address === "object" && address ? address.port : 0));
    });
  });
}

it(
  "deploy/kith.service: ExecStartPre migrates, ExecStart serves /healthz, SIGTERM stops it",
  { timeout: 120_000 },
  async () => {
    const [pre] = directive("ExecStartPre");
    const [start] = directive("ExecStart");
    const [cwd] = directive("WorkingDirectory");
    expect(pre).toMatch(/dist\/main\/cli\.js migrate$/);
    expect(start).toMatch(/dist\/main\/cli\.js serve$/);
    const port = await freePort();
    // What /etc/kith/kith.env would hold (EnvironmentFile), for a throwaway SQLite store.
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      ...Object.fromEntries(directive("Environment").map((e) => e.split("=", 2) as [string, string])),
      KITH_DATABASE_URL: join(dir, "kith.db"),
      KITH_HOST: "127.0.0.1",
      KITH_PORT: String(port),
      KITH_LOG_LEVEL: "warn",
    };
    const [preBin, ...preArgs] = pre!.split(" ");
    expect(execFileSync(preBin!, preArgs, { cwd, env }).toString()).toContain("store ready: sqlite");
    const [bin, ...args] = start!.split(" ");
    const child = spawn(bin!, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
    try {
      const deadline = Date.now() + 60_000;
      let health: Response | null = null;
      while (!health?.ok) {
        if (child.exitCode !== null) throw new Error(`ExecStart exited (${child.exitCode}):\n${output}`);
        if (Date.now() > deadline) throw new Error(`no /healthz within a minute:\n${output}`);
        health = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
        if (!health?.ok) await new Promise((r) => setTimeout(r, 200));
      }
      expect(await health.json()).toEqual({ status: "ok" });
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  },
);
