import { randomBytes } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { BackupConfig } from "../config/config";
import { KithError, isKithError } from "../domain/errors";
import { resolveBackupKeys, type BackupKeys } from "./backup-keys";
import { createBackup, type BackupSummary } from "./backup.service";
import type { ServiceContext } from "./context";

/**
 * Backups over the operator API (README "Backups"): the same `createBackup` as `kith backup`, into
 * the server's KITH_BACKUP_DIR under a name the server picks. What the server is missing to do it
 * (the folder, the key store, the KEK) is the deployment's state, not the request's: a conflict
 * naming the setting. A restore stays in the CLI: it needs an empty store no server is running on.
 */

export const backupExtension = ".kithbak";

export interface BackupFileInfo {
  name: string;
  bytes: number;
  createdAt: Date;
}

export interface FolderBackupSummary extends Omit<BackupSummary, "file"> {
  /** The file's name inside KITH_BACKUP_DIR (the server's path is not shown). */
  name: string;
  createdAt: Date;
}

/** KITH_BACKUP_DIR, which must exist; a conflict naming the variable otherwise. */
export function backupFolder(config: BackupConfig): string {
  if (!config.dir)
    throw new KithError(
      "conflict",
      "backups over the API need KITH_BACKUP_DIR (the folder the server writes backups to); it is not set",
    );
  let isDir = false;
  try {
    isDir = statSync(config.dir).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir)
    throw new KithError(
      "conflict",
      `KITH_BACKUP_DIR ${config.dir} is not an existing folder; create it first`,
    );
  return config.dir;
}

/** The backup keys exactly as `kith backup` reads them; a missing or unreadable one is a conflict. */
function serverBackupKeys(config: BackupConfig): BackupKeys {
  try {
    return resolveBackupKeys(config);
  } catch (error) {
    // The messages name the variable or file, never the key.
    if (isKithError(error) && error.code === "validation_failed")
      throw new KithError("conflict", `${error.message} in the server's environment`);
    throw error;
  }
}

/** Writes a backup of the whole store into KITH_BACKUP_DIR; nothing is written when a setting is missing. */
export async function backupToFolder(
  ctx: ServiceContext,
  config: BackupConfig,
): Promise<FolderBackupSummary> {
  const dir = backupFolder(config);
  const keys = serverBackupKeys(config);
  const at = ctx.now();
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  const name = `kith-${stamp}-${randomBytes(3).toString("hex")}${backupExtension}`;
  const s = await createBackup(ctx, join(dir, name), keys);
  return {
    name,
    createdAt: at,
    backupId: s.backupId,
    bytes: s.bytes,
    ms: s.ms,
    tenants: s.tenants,
    rows: s.rows,
  };
}

/** The backup files in KITH_BACKUP_DIR, newest first (a backup still being written is not listed). */
export function listFolderBackups(config: BackupConfig): BackupFileInfo[] {
  const dir = backupFolder(config);
  const files: BackupFileInfo[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(backupExtension)) continue;
    const stat = statSync(join(dir, entry.name));
    files.push({ name: entry.name, bytes: stat.size, createdAt: stat.mtime });
  }
  return files.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.name.localeCompare(a.name));
}
