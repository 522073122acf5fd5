import { InvalidArgumentError, type Command } from "commander";
import { basename, resolve } from "node:path";
import { validationError } from "../domain/errors";
import { runBackfill, type BackfillProgress } from "../jobs/backfill.job";
import {
  expandSourcePath,
  importBatch,
  listImportBatches,
  ownersOfSources,
  type ImportSummary,
} from "../services/ingest.service";
import { readTenantOptions, updateTenantOptions } from "../services/tenant-options";
import { emit, exitCodes, resolveTenantId, tenantOption, type CommandEnv, type Io } from "./runtime";
import { listLiveSources } from "../services/live-sync.service";
import { registerLiveSourceCommands, renderLiveSources } from "./sources.command";

const formats = ["auto", "graph", "mbox", "maildir", "eml", "ics"] as const;

function parseDate(value: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new InvalidArgumentError(`not a date: ${value} (use YYYY-MM-DD)`);
  return d;
}

function renderSummary(s: ImportSummary): string {
  const counts = (o: Record<string, number>) =>
    Object.keys(o).length === 0
      ? "none"
      : Object.entries(o)
          .map(([k, v]) => `${k.replaceAll("_", " ")} ${v}`)
          .join(", ");
  const lines = [
    `${s.status === "done" ? "imported" : "FAILED (nothing kept)"} ${s.label}`,
    ...(s.failure ? [`  reason      ${s.failure}`] : []),
    `  read        ${s.read}`,
    `  stored      ${s.stored}`,
    `  duplicates  ${s.duplicates}`,
    `  filtered    ${counts(s.filtered)}`,
    `  refused     ${counts(s.refused)}`,
    `  rejected    ${s.rejected}`,
    ...(s.outOfWindow ? [`  outside window ${s.outOfWindow}`] : []),
    `  internal-only ${s.internalOnly} (internal graph only), large distributions ${s.largeDistribution}`,
    `  time        ${(s.durationMs / 1000).toFixed(1)} s`,
  ];
  for (const f of s.files) {
    lines.push(
      `  ${f.path}: ${f.format ?? "?"}, ${f.read} read, ${f.stored} stored${f.owner ? `, owner ${f.owner}` : ""}${f.skipped ? `, SKIPPED (owner refused: ${f.skipped.rule})` : ""}`,
    );
  }
  for (const r of s.rejections.slice(0, 20))
    lines.push(`  rejected ${r.file} record ${r.record}${r.line ? ` (line ${r.line})` : ""}: ${r.reason}`);
  if (s.rejections.length > 20) lines.push(`  … ${s.rejected - 20} more rejections (use --json)`);
  return lines.join("\n");
}

/** A progress line: a bar on a terminal, plain lines otherwise. */
function progressPrinter(io: Io, tty: boolean) {
  const started = Date.now();
  let lastPlain = 0;
  return (p: BackfillProgress) => {
    const elapsed = (Date.now() - started) / 1000;
    const rate = elapsed > 0 ? Math.round(p.read / elapsed) : 0;
    const doneMonths = p.monthIndex - 1;
    const perMonth = doneMonths > p.skipped ? elapsed / (doneMonths - p.skipped) : 0;
    const eta = perMonth ? Math.round(perMonth * (p.months - doneMonths)) : null;
    const text = `${p.month}  month ${p.monthIndex}/${p.months}  ${p.read.toLocaleString("en")} messages  ${rate.toLocaleString("en")}/s  ETA ${eta === null ? "…" : `${eta}s`}`;
    if (tty) {
      const width = 20;
      const filled = Math.round((doneMonths / p.months) * width);
      process.stderr.write(`\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${text}   `);
    } else if (Date.now() - lastPlain > 5000) {
      lastPlain = Date.now();
      io.err(text);
    }
  };
}

/** `kith import` on a terminal: file (i/n), messages read and stored, rate; at most 10 redraws a second. */
function importProgress(show: (line: string) => void, label: string, files: readonly string[]) {
  const started = Date.now();
  let last = 0;
  return (p: { read: number; stored: number; file: string }) => {
    const now = Date.now();
    if (now - last < 100) return;
    last = now;
    const i = files.indexOf(p.file);
    const where = files.length > 1 ? `${basename(p.file)} (${i + 1}/${files.length})` : label;
    const seconds = (now - started) / 1000;
    const rate = seconds > 0 ? Math.round(p.read / seconds) : 0;
    show(
      `importing ${where}  ${p.read.toLocaleString("en")} read  ${p.stored.toLocaleString("en")} stored  ${rate.toLocaleString("en")}/s  ${seconds.toFixed(0)} s`,
    );
  };
}

export function registerIngestCommands(program: Command, env: CommandEnv): void {
  tenantOption(
    program
      .command("import")
      .description(
        "import mail and calendar files (Graph JSON/NDJSON, mbox, maildir, .eml, .ics); each path is one batch, all or nothing; a folder that is not a maildir imports the files in it (e.g. one mbox per mailbox); progress on a terminal",
      )
      .argument("<paths...>", "files, maildirs or folders of files"),
  )
    .option("--owner <email>", "mailbox owner of every path")
    .option("--manifest <file>", "JSON or CSV mapping paths to owners")
    .option("--format <format>", `one of ${formats.join(", ")}`, "auto")
    .option("--since <date>", "only interactions on or after this date", parseDate)
    .option("--until <date>", "only interactions before this date", parseDate)
    .option("--json", "print JSON")
    .action(
      async (
        paths: string[],
        o: {
          tenant?: string;
          owner?: string;
          manifest?: string;
          format: string;
          since?: Date;
          until?: Date;
          json?: boolean;
        },
      ) => {
        if (!(formats as readonly string[]).includes(o.format))
          throw validationError(`unknown format "${o.format}"; use one of ${formats.join(", ")}`);
        const manifestOwners = o.manifest
          ? await ownersOfSources(paths.map((path) => ({ path: resolve(path), manifest: o.manifest! })))
          : undefined;
        const summaries = await env.withContext(async (ctx) => {
          const tenantId = await resolveTenantId(ctx, env, o.tenant);
          const results: ImportSummary[] = [];
          const show = o.json ? undefined : env.io.progress;
          for (const path of paths) {
            const absolute = resolve(path);
            // A folder of mbox (or .eml, Graph…) files is one batch of its files.
            const files = await expandSourcePath(absolute);
            const owners = new Map<string, string>();
            for (const file of files) {
              const owner = manifestOwners?.get(file) ?? manifestOwners?.get(absolute);
              if (owner) owners.set(file, owner);
            }
            results.push(
              await importBatch(ctx, tenantId, files, {
                format: o.format as (typeof formats)[number],
                ...(o.owner ? { owner: o.owner } : {}),
                ...(!o.owner && owners.size > 0 ? { owners } : {}),
                ...(o.since ? { since: o.since } : {}),
                ...(o.until ? { until: o.until } : {}),
                ...(show ? { onProgress: importProgress(show, path, files) } : {}),
                label: path,
              }),
            );
            show?.("");
          }
          return results;
        });
        emit(env.io, o.json, summaries.length === 1 ? summaries[0] : summaries, () =>
          summaries.map(renderSummary).join("\n"),
        );
        if (summaries.some((s) => s.status === "failed")) env.setExitCode(exitCodes.validation_failed);
      },
    );

  tenantOption(
    program
      .command("backfill")
      .description("backfill the last 12 months from the tenant's sources, one checkpointed batch per month"),
  )
    .option("--resume", "continue the last interrupted run with the months not yet done")
    .option("--months <n>", "how many months", (v) => Number.parseInt(v, 10), 12)
    .option("--json", "print JSON")
    .action(async (o: { tenant?: string; resume?: boolean; months: number; json?: boolean }) => {
      const tty = !o.json && process.stderr.isTTY === true;
      const result = await env.withContext(async (ctx) =>
        runBackfill(ctx, await resolveTenantId(ctx, env, o.tenant), {
          resume: o.resume ?? false,
          months: o.months,
          onProgress: progressPrinter(env.io, tty),
        }),
      );
      if (tty) process.stderr.write("\n");
      emit(env.io, o.json, result, () =>
        [
          `backfill run ${result.runId}${result.resumed ? " (resumed)" : ""}`,
          ...result.months.map((m) =>
            "status" in m && m.status === "already_done"
              ? `  ${m.label}  already done`
              : `  ${m.label}  ${m.status}  ${m.read} read, ${m.stored} stored, ${m.duplicates} duplicates${m.failure ? `  (${m.failure})` : ""}`,
          ),
        ].join("\n"),
      );
      if (result.months.some((m) => "status" in m && m.status === "failed"))
        env.setExitCode(exitCodes.validation_failed);
    });

  const sourcesCmd = program.command("sources").description("mail sources the backfill and live sync read");
  tenantOption(
    sourcesCmd.command("add").description("add a file or folder source").argument("<path>", "file or folder"),
  )
    .option("--owner <email>", "mailbox owner")
    .option("--manifest <file>", "manifest mapping paths to owners")
    .option("--json", "print JSON")
    .action(
      async (path: string, o: { tenant?: string; owner?: string; manifest?: string; json?: boolean }) => {
        const sources = await env.withContext(async (ctx) => {
          const tenantId = await resolveTenantId(ctx, env, o.tenant);
          return ctx.store.transaction(async (trx) => {
            const current = await readTenantOptions(trx, tenantId);
            const next = [
              ...current.sources.filter((s) => s.path !== resolve(path)),
              {
                path: resolve(path),
                ...(o.owner ? { owner: o.owner } : {}),
                ...(o.manifest ? { manifest: resolve(o.manifest) } : {}),
              },
            ];
            return (await updateTenantOptions(trx, tenantId, { sources: next })).sources;
          });
        });
        emit(env.io, o.json, sources, () =>
          sources
            .map(
              (s) =>
                `${s.path}${s.owner ? ` (owner ${s.owner})` : ""}${s.manifest ? ` (manifest ${s.manifest})` : ""}`,
            )
            .join("\n"),
        );
      },
    );
  tenantOption(
    sourcesCmd
      .command("list", { isDefault: true })
      .description("list file sources, live sources with each mailbox's sync state, and the last batches"),
  )
    .option("--json", "print JSON")
    .action(async (o: { tenant?: string; json?: boolean }) => {
      const view = await env.withContext(async (ctx) => {
        const tenantId = await resolveTenantId(ctx, env, o.tenant);
        return {
          sources: (await readTenantOptions(ctx.store.db, tenantId)).sources,
          live: await listLiveSources(ctx, tenantId),
          batches: await listImportBatches(ctx, tenantId, { limit: 24 }),
          now: ctx.now(),
        };
      });
      emit(env.io, o.json, view, () =>
        [
          "sources",
          ...view.sources.map((s) => `  ${s.path}${s.owner ? ` (owner ${s.owner})` : ""}`),
          ...renderLiveSources(view.live, view.now),
          "batches",
          ...view.batches.map(
            (b) =>
              `  ${b.kind.padEnd(9)} ${b.label.padEnd(12)} ${b.status.padEnd(8)} ${String(typeof b.summary.stored === "number" ? b.summary.stored : "").padStart(8)} stored`,
          ),
        ].join("\n"),
      );
    });
  registerLiveSourceCommands(sourcesCmd, env);
}
