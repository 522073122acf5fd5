import { resolve } from "node:path";
import type { Command } from "commander";
import { resolveBackupKeys } from "../services/backup-keys";
import { createBackup, prepareRestore, restoreBackup } from "../services/backup.service";
import { emit, fmtDate, type CommandEnv } from "./runtime";

/** `kith backup <file>` and `kith restore <file>` (README "Backups"). */
export function registerBackupCommands(program: Command, env: CommandEnv): void {
  program
    .command("backup")
    .description(
      "write a backup of the whole store to a new file; each tenant's collected data sealed under its data key",
    )
    .argument("<file>", "the backup file to create (must not exist)")
    .option("--json", "print JSON")
    .action(async (file: string, o: { json?: boolean }) => {
      const keys = resolveBackupKeys(env.config().backup);
      const summary = await env.withContext((ctx) => createBackup(ctx, resolve(file), keys));
      const rows = Object.values(summary.rows).reduce((a, b) => a + b, 0);
      emit(
        env.io,
        o.json,
        summary,
        () =>
          `backup ${summary.backupId} written to ${summary.file}: ${summary.tenants} tenant(s), ${rows} rows, ${summary.bytes} bytes in ${summary.ms} ms`,
      );
    });
  program
    .command("restore")
    .description(
      "restore a backup into the configured store, which must be fresh: tenants whose data key was destroyed come back without collected data, and withdrawals and opt-outs made since are applied again",
    )
    .argument("<file>", "the backup file")
    .option("--json", "print JSON")
    .action(async (file: string, o: { json?: boolean }) => {
      // Everything is checked (keys, the whole file) before the store is opened.
      const plan = prepareRestore(resolve(file), resolveBackupKeys(env.config().backup));
      const summary = await env.withContext((ctx) => restoreBackup(ctx, plan));
      emit(env.io, o.json, summary, () =>
        [
          `restored backup ${summary.backupId} of ${fmtDate(summary.backupAt)}`,
          `  tenants back whole: ${summary.restored.length ? summary.restored.join(", ") : "none"}`,
          `  tenants back without collected data (data key destroyed): ${summary.withoutCollectedData.length ? summary.withoutCollectedData.join(", ") : "none"}`,
          `  opt-outs made after the backup, applied again: ${summary.optOutsReapplied}`,
        ].join("\n"),
      );
    });
}
