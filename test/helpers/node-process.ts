import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { createInterface } from "node:readline";

const root = resolve(import.meta.dirname, "../..");

/** A TypeScript script of this repository running in a Node process of its own (through tsx). */
export interface NodeProcess {
  /** Resolves with the first stdout line that starts with `prefix` (rejects if the process ends first). */
  line(prefix: string): Promise<string>;
  /** Writes one line to its stdin. */
  send(text: string): void;
  /** Ends it at once (SIGKILL): a process that dies without cleaning up. */
  kill(): void;
  exit: Promise<{ code: number; stdout: string; stderr: string }>;
}

/**
 * Starts `node [nodeFlags] --import tsx <args>` at the repository root with `env` added to this environment:
 * tests use it for a second process on the same store (`EngineHarness.url()`), because SQLite's
 * write lock and PostgreSQL's row locks are per connection, and a real deployment has several.
 */
export function spawnNode(
  args: string[],
  env: Record<string, string>,
  nodeFlags: readonly string[] = [],
): NodeProcess {
  const child = spawn(process.execPath, [...nodeFlags, "--import", "tsx", ...args], {
    cwd: root,
    env: { ...process.env, KITH_LOG_LEVEL: "silent", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const waiters: { prefix: string; resolve: (line: string) => void }[] = [];
  const seen: string[] = [];
  createInterface({ input: child.stdout }).on("line", (line) => {
    stdout += `${line}\n`;
    seen.push(line);
    for (const w of waiters.filter((x) => line.startsWith(x.prefix))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(line);
    }
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<{ code: number; stdout: string; stderr: string }>((done) =>
    child.on("close", (code) => done({ code: code ?? -1, stdout, stderr })),
  );
  return {
    line: (prefix) =>
      new Promise((resolveLine, reject) => {
        const already = seen.find((l) => l.startsWith(prefix));
        if (already) return resolveLine(already);
        waiters.push({ prefix, resolve: resolveLine });
        void exit.then(({ stderr: err }) => reject(new Error(`process ended before "${prefix}": ${err}`)));
      }),
    send: (text) => child.stdin.write(`${text}\n`),
    kill: () => child.kill("SIGKILL"),
    exit,
  };
}
