import { InvalidArgumentError, type Command } from "commander";
import { resolve } from "node:path";
import { parseDuration } from "../config/config";
import { scanWatchedFolder, type WatchedFile } from "../services/watched-folder.service";
import { emit, resolveTenantId, tenantOption, type CommandEnv } from "./runtime";

function render(files: readonly WatchedFile[]): string {
  return files
    .map((f) => {
      const s = f.summary;
      const counts = s
        ? `: ${s.read} read, ${s.stored} stored, ${s.duplicates} duplicates, ${s.rejected} rejected`
        : "";
      const reason = f.outcome === "failed" && f.reason ? `\n  ${f.reason.replaceAll("\n", "\n  ")}` : "";
      return `${f.outcome} ${f.file}${counts}${reason}`;
    })
    .join("\n");
}

function parseInterval(value: string): number {
  try {
    return parseDuration(value);
  } catch {
    throw new InvalidArgumentError(`not a duration: ${value} (use 30s, 5m…)`);
  }
}

export function registerWatchCommands(program: Command, env: CommandEnv): void {
  tenantOption(
    program
      .command("watch")
      .description(
        "import files dropped into a folder (.eml, mbox, Graph NDJSON, .ics; <dir>/<owner address>/ for a mailbox), each once, then move it to done/ or failed/",
      )
      .argument("<dir>", "the watched folder"),
  )
    .option("--once", "scan the folder once and exit")
    .option("--interval <duration>", "time between scans", parseInterval, 30_000)
    .option("--json", "print JSON")
    .action(async (dir: string, o: { tenant?: string; once?: boolean; interval: number; json?: boolean }) => {
      const folder = resolve(dir);
      await env.withContext(async (ctx) => {
        const tenantId = await resolveTenantId(ctx, env, o.tenant);
        if (o.once) {
          const files = await scanWatchedFolder(ctx, tenantId, folder);
          emit(env.io, o.json, files, () =>
            files.length === 0 ? `nothing to import in ${folder}` : render(files),
          );
          return;
        }
        env.io.err(`watching ${folder} every ${o.interval / 1000} s (Ctrl-C stops)`);
        const stop = new AbortController();
        const onSignal = () => stop.abort();
        process.once("SIGINT", onSignal);
        process.once("SIGTERM", onSignal);
        try {
          while (!stop.signal.aborted) {
            const files = await scanWatchedFolder(ctx, tenantId, folder);
            if (files.length > 0) emit(env.io, o.json, files, () => render(files));
            await new Promise<void>((done) => {
              const timer = setTimeout(done, o.interval);
              stop.signal.addEventListener("abort", () => (clearTimeout(timer), done()), { once: true });
            });
          }
        } finally {
          process.off("SIGINT", onSignal);
          process.off("SIGTERM", onSignal);
        }
      });
    });
}
