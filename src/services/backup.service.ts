import { randomUUID } from "node:crypto";
import { renameSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname } from "node:path";
import { KithError, validationError } from "../domain/errors";
import { appendAudit } from "../store/audit.repository";
import { backupTables, type BackupTable } from "../store/backup-tables";
import {
  describeStore,
  insertRows,
  nonEmptyTables,
  resetIdentities,
  withSnapshot,
  type RowChunk,
} from "../store/backup.repository";
import { readConsentState, readPrivacy, writeConsent, writePrivacy } from "../store/consent.repository";
import type { Trx } from "../store/store";
import {
  dataKeysFor,
  forgetTenant,
  readRestoreKeys,
  recordUserSharing,
  type BackupKeys,
  type LedgerEntry,
  type ReceiptSeen,
} from "./backup-keys";
import {
  BackupWriter,
  backupFormat,
  readBackupFrames,
  readBackupHeader,
  verifyBackupFile,
  type BackupHeader,
} from "./backup-file";
import type { ServiceContext } from "./context";
import { purgeTenantData, purgeUserData } from "./purge.service";

/**
 * `kith backup` and `kith restore` (README "Backups"): a logical backup of every table in one
 * consistent snapshot, each tenant's collected data sealed under its own data key, which a
 * consent withdrawal destroys; a restore into a fresh store that brings back everything whose key
 * still exists and applies the forgetting ledger (withdrawals, opt-outs made after the backup) again
 * before the transaction that writes it commits.
 */

const chunkRows = 4096;

export interface BackupSummary {
  file: string;
  backupId: string;
  bytes: number;
  ms: number;
  tenants: number;
  rows: Record<string, number>;
}

const requireKeys = (keys: BackupKeys | null): BackupKeys => {
  if (!keys)
    throw validationError(
      "backups need KITH_BACKUP_KEYSTORE (the key store file) and KITH_BACKUP_KEK or KITH_BACKUP_KEK_FILE (the key-encryption key)",
    );
  return keys;
};

/** Writes a backup of the whole store to `file` (which must not exist yet). */
export async function createBackup(
  ctx: ServiceContext,
  file: string,
  backupKeys: BackupKeys | null,
): Promise<BackupSummary> {
  const keys = requireKeys(backupKeys);
  const started = performance.now();
  if (exists(file)) throw new KithError("conflict", `backup file ${file} exists already; name a new one`);
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  const scratch = ctx.store.sqlitePath ? dirname(ctx.store.sqlitePath) : tmpdir();
  const at = ctx.now();
  const rows: Record<string, number> = {};
  let writer: BackupWriter | undefined;
  try {
    const tenants = await withSnapshot(ctx.store, scratch, async (snapshot) => {
      requireSameTables(snapshot.tables, "the store");
      const tenantIds: string[] = [];
      for await (const chunk of snapshot.rows(tableOf("tenant"), chunkRows))
        tenantIds.push(...chunk.rows.map((row) => String(row[chunk.columns.indexOf("id")])));
      const receipts: ReceiptSeen[] = [];
      for await (const chunk of snapshot.rows(tableOf("deletion_receipt"), chunkRows)) {
        const [tenant, user, when, reason] = ["tenant_id", "user_id", "at", "reason"].map((c) =>
          chunk.columns.indexOf(c),
        ) as [number, number, number, number];
        for (const row of chunk.rows)
          receipts.push({
            tenantId: String(row[tenant]),
            userId: row[user] === null ? null : (row[user] as string),
            at: Number(row[when]),
            reason: String(row[reason]),
          });
      }
      const dataKeys = await dataKeysFor(keys, tenantIds, at, receipts);
      const header: BackupHeader = {
        format: backupFormat,
        backupId: randomUUID(),
        createdAt: at.getTime(),
        engine: ctx.store.engine,
        migrations: snapshot.migrations,
        tables: backupTables.map((t) => ({ ...t })),
        tenants: Object.fromEntries([...dataKeys].map(([tenant, key]) => [tenant, key.id])),
      };
      const out = new BackupWriter(partial, keys.kek, header);
      writer = out;
      for (const table of backupTables) {
        let count = 0;
        for await (const chunk of snapshot.rows(table, chunkRows)) {
          count += chunk.rows.length;
          if (table.kind === "configuration") out.plain(table.table, chunk);
          else
            for (const [tenant, part] of byTenant(chunk, table)) {
              const key = dataKeys.get(tenant);
              if (!key)
                throw new KithError(
                  "integrity_failed",
                  `${table.table} holds rows of tenant ${tenant}, which the tenant table does not list; nothing was backed up`,
                );
              out.sealed(table.table, tenant, key.id, key.key, part);
            }
        }
        rows[table.table] = count;
      }
      out.finish();
      return { backupId: header.backupId, count: tenantIds.length, bytes: out.bytes };
    });
    renameSync(partial, file);
    return {
      file,
      backupId: tenants.backupId,
      bytes: tenants.bytes,
      ms: Math.round(performance.now() - started),
      tenants: tenants.count,
      rows,
    };
  } catch (error) {
    try {
      writer?.abandon();
    } catch {
      // already closed by finish()
    }
    rmSync(partial, { force: true });
    throw error;
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function tableOf(name: string): BackupTable {
  const table = backupTables.find((t) => t.table === name);
  if (!table) throw new Error(`${name} is not in backup-tables.ts`);
  return table;
}

/** The store's tables must be exactly backup-tables.ts's: none backed up by accident or left out. */
function requireSameTables(tables: readonly string[], what: string): void {
  const listed = new Set<string>(backupTables.map((t) => t.table));
  const unlisted = tables.filter((t) => !listed.has(t));
  const missing = [...listed].filter((t) => !tables.includes(t));
  if (unlisted.length || missing.length)
    throw new KithError(
      "integrity_failed",
      `${what} and the backup table list (store/backup-tables.ts) differ:${unlisted.length ? ` not listed: ${unlisted.join(", ")};` : ""}${missing.length ? ` listed but absent: ${missing.join(", ")}` : ""}`,
      { unlisted, missing },
    );
}

/** Splits a chunk ordered by tenant into one chunk per tenant. */
function byTenant(chunk: RowChunk, table: BackupTable): Map<string, RowChunk> {
  const column = chunk.columns.indexOf(table.tenantColumn);
  const parts = new Map<string, RowChunk>();
  for (const row of chunk.rows) {
    const tenant = String(row[column]);
    let part = parts.get(tenant);
    if (!part) {
      part = { columns: chunk.columns, rows: [] };
      parts.set(tenant, part);
    }
    part.rows.push(row);
  }
  return parts;
}

/** A backup file checked whole, with the data keys and ledger it needs: nothing written yet. */
export interface RestorePlan {
  file: string;
  header: BackupHeader;
  /** Key id → data key, for the keys the key store still holds. */
  dataKeys: Map<string, Buffer>;
  ledger: LedgerEntry[];
}

/**
 * Reads and checks everything a restore needs before a store is touched: the key store opens with
 * this KEK, the file is whole and unaltered. Throws naming the reason; writes nothing.
 */
export function prepareRestore(file: string, backupKeys: BackupKeys | null): RestorePlan {
  const keys = requireKeys(backupKeys);
  const header = readBackupHeader(file);
  const wanted = Object.entries(header.tenants).map(([tenantId, keyId]) => ({ tenantId, keyId }));
  const { dataKeys, ledger } = readRestoreKeys(keys, wanted);
  verifyBackupFile(file, keys.kek);
  return { file, header, dataKeys, ledger };
}

export interface RestoreSummary {
  backupId: string;
  backupAt: Date;
  /** Tenants back whole. */
  restored: string[];
  /** Tenants back without collected data: their data key was destroyed (consent withdrawn). */
  withoutCollectedData: string[];
  /** Users whose opt-out after the backup was applied again. */
  optOutsReapplied: number;
  rows: Record<string, number>;
}

const collectionTypes = ["identifiable", "aggregated"] as const;
const restoreActor = "operator:restore";

/**
 * Restores a prepared backup into `ctx.store`, which must be empty and at the backup's migrations.
 * One transaction: every row, then the ledger applied again; all of it lands or none.
 */
export async function restoreBackup(ctx: ServiceContext, plan: RestorePlan): Promise<RestoreSummary> {
  const { header } = plan;
  const target = await describeStore(ctx.store);
  if (target.migrations.join("\n") !== header.migrations.join("\n"))
    throw new KithError(
      "conflict",
      `backup ${plan.file} was made at migrations ${header.migrations.at(-1) ?? "(none)"} (${header.migrations.length}), the target store is at ${target.migrations.at(-1) ?? "(none)"} (${target.migrations.length}); restore with the Kith version that made it, then upgrade`,
    );
  requireSameTables(target.tables, "the target store");
  const filled = await nonEmptyTables(ctx.store, target.tables);
  if (filled.length)
    throw new KithError(
      "conflict",
      `a restore goes into a fresh store; the target already holds rows in ${filled.join(", ")}`,
      { tables: filled },
    );
  const tenants = Object.keys(header.tenants);
  const hasKey = (tenant: string) => plan.dataKeys.has(header.tenants[tenant] ?? "");
  const rows: Record<string, number> = {};
  const optOuts = await ctx.store.transaction(
    async (trx) => {
      for (const frame of readBackupFrames(plan.file, header)) {
        let chunk: RowChunk;
        if (frame.kind === "plain") chunk = frame.chunk;
        else {
          const key = plan.dataKeys.get(frame.keyId);
          if (!key || header.tenants[frame.tenant] !== frame.keyId) continue;
          chunk = frame.open(key);
        }
        rows[frame.table] = (rows[frame.table] ?? 0) + chunk.rows.length;
        await insertRows(ctx.store, trx, frame.table, chunk);
      }
      await resetIdentities(ctx.store, trx);
      const at = ctx.now();
      for (const tenant of tenants)
        await appendAudit(trx, ctx.store.engine, tenant, at, {
          actor: restoreActor,
          action: "backup.restored",
          subject: tenant,
          details: {
            backupId: header.backupId,
            backupAt: new Date(header.createdAt).toISOString(),
            collectedData: hasKey(tenant) ? "restored" : "absent: its data key was destroyed",
          },
        });
      return applyLedger(ctx, trx, plan, new Set(tenants), hasKey);
    },
    { lockWaitMs: 30_000 },
  );
  return {
    backupId: header.backupId,
    backupAt: new Date(header.createdAt),
    restored: tenants.filter(hasKey),
    withoutCollectedData: tenants.filter((t) => !hasKey(t)),
    optOutsReapplied: optOuts,
    rows,
  };
}

/**
 * What happened after the backup was made, applied again: a tenant's withdrawal (its collection
 * consents withdrawn, anything collected deleted) and each user's last sharing change (off: their
 * collected data deleted, as the live store did).
 */
async function applyLedger(
  ctx: ServiceContext,
  trx: Trx,
  plan: RestorePlan,
  tenants: ReadonlySet<string>,
  hasKey: (tenant: string) => boolean,
): Promise<number> {
  const later = plan.ledger
    .filter((e) => e.at > plan.header.createdAt && tenants.has(e.tenantId))
    .sort((a, b) => a.at - b.at);
  for (const entry of later) {
    if (entry.kind !== "tenant") continue;
    const at = new Date(entry.at);
    const state = await readConsentState(trx, entry.tenantId);
    for (const type of collectionTypes)
      if (state.consents[type].granted)
        await writeConsent(trx, entry.tenantId, type, false, at, restoreActor);
    if (hasKey(entry.tenantId)) await purgeTenantData(trx, entry.tenantId, at, `restore: ${entry.reason}`);
    await appendAudit(trx, ctx.store.engine, entry.tenantId, ctx.now(), {
      actor: restoreActor,
      action: "backup.withdrawal_reapplied",
      subject: entry.tenantId,
      details: { withdrawnAt: at.toISOString(), reason: entry.reason },
    });
  }
  const users = new Map<string, Extract<LedgerEntry, { kind: "user" }>[]>();
  for (const entry of later) {
    if (entry.kind !== "user") continue;
    const key = `${entry.tenantId}\u0000${entry.userId}`;
    users.set(key, [...(users.get(key) ?? []), entry]);
  }
  let reapplied = 0;
  for (const entries of users.values()) {
    const last = entries.at(-1);
    const lastOff = entries.filter((e) => e.sharing === "off").at(-1);
    if (!last || !lastOff) continue;
    const { tenantId, userId } = last;
    if (hasKey(tenantId))
      await purgeUserData(trx, tenantId, userId, new Date(lastOff.at), `restore: ${lastOff.reason}`);
    const before = await readPrivacy(trx, tenantId, userId);
    await writePrivacy(
      trx,
      tenantId,
      userId,
      last.sharing === "off"
        ? { ...before, sharing: "off", sharingChangedAt: new Date(last.at) }
        : { ...before, sharing: "on", sharingChangedAt: new Date(last.at), collectFrom: new Date(last.at) },
    );
    await appendAudit(trx, ctx.store.engine, tenantId, ctx.now(), {
      actor: restoreActor,
      action: "backup.opt_out_reapplied",
      subject: userId,
      details: { optedOutAt: new Date(lastOff.at).toISOString(), sharingNow: last.sharing },
    });
    reapplied++;
  }
  return reapplied;
}

/**
 * The withdrawal hook (consent.service.ts): destroys the tenant's data keys and records the
 * withdrawal, when this process has a key store configured. Runs inside the withdrawal's
 * transaction, so a key store that cannot be written fails the withdrawal rather than leaving
 * old backups readable.
 */
export async function forgetTenantInBackups(
  ctx: ServiceContext,
  tenantId: string,
  at: Date,
  reason: string,
): Promise<void> {
  if (ctx.backupKeyStore) await forgetTenant(ctx.backupKeyStore, tenantId, at, reason);
}

/** The opt-out hook (consent.service.ts, scim.service.ts): a restore applies the change again. */
export async function recordSharingForBackups(
  ctx: ServiceContext,
  tenantId: string,
  userId: string,
  sharing: "off" | "on",
  at: Date,
  reason: string,
): Promise<void> {
  if (ctx.backupKeyStore) await recordUserSharing(ctx.backupKeyStore, tenantId, userId, sharing, at, reason);
}
