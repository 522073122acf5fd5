import { createHash, createHmac, hkdfSync, type Hash } from "node:crypto";
import { closeSync, fstatSync, openSync, readSync, writeSync } from "node:fs";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { KithError } from "../domain/errors";
import type { RowChunk } from "../store/backup.repository";
import { seal, unseal } from "./backup-keys";

/**
 * The backup file (README "Backups"): the magic bytes, then frames of
 * `[kind: u8][length: u32 BE][payload]`:
 *
 * - header: JSON (format, backup id, when, engine, migrations, tables, each tenant's key id);
 * - plain: a configuration chunk, JSON `{t: table, c: columns, b: binary column indexes, r: rows}`;
 * - sealed: a collected-data chunk of one tenant: `[u16 meta length][meta JSON {t, tenant, key}]`
 *   then the chunk's JSON, deflated and sealed with AES-256-GCM under the tenant's data key (AAD:
 *   backup id, table, tenant, frame number — a frame moved to another tenant or table fails);
 * - trailer: JSON `{sha256, mac, frames}`: SHA-256 of every byte before it (corruption) and an HMAC
 *   of that digest under a key derived from the KEK (a file altered and re-hashed).
 */

const magic = Buffer.from("KITHBAK\u0001", "latin1");
export const backupFormat = "kith-backup/1";

const Kind = { header: 1, plain: 2, sealed: 3, trailer: 4 } as const;
type Kind = (typeof Kind)[keyof typeof Kind];
const kinds: readonly number[] = Object.values(Kind);

export interface BackupHeader {
  format: typeof backupFormat;
  backupId: string;
  /** Epoch ms of the snapshot: ledger entries after it are applied again on restore. */
  createdAt: number;
  engine: string;
  migrations: string[];
  tables: { table: string; tenantColumn: string; kind: "collected" | "configuration" }[];
  /** Tenant id → the id of the data key its collected data is sealed with. */
  tenants: Record<string, string>;
}

const macKey = (kek: Buffer) => Buffer.from(hkdfSync("sha256", kek, Buffer.alloc(0), "kith-backup-mac", 32));
const sealAad = (backupId: string, table: string, tenant: string, frame: number) =>
  `kith-backup|${backupId}|${table}|${tenant}|${frame}`;

/** Rows → JSON-ready chunk: binary values (strength states) as base64, their columns listed. */
export function encodeChunk(table: string, chunk: RowChunk): string {
  const binary: number[] = [];
  const first = chunk.rows.find((row) => row.some((v) => v instanceof Uint8Array));
  if (first)
    chunk.columns.forEach((_, i) => {
      if (chunk.rows.some((row) => row[i] instanceof Uint8Array)) binary.push(i);
    });
  const rows = binary.length
    ? chunk.rows.map((row) => {
        const copy = row.slice();
        for (const i of binary) {
          const v = copy[i];
          if (v instanceof Uint8Array)
            copy[i] = Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64");
        }
        return copy;
      })
    : chunk.rows;
  return JSON.stringify({ t: table, c: chunk.columns, b: binary, r: rows });
}

function decodeChunk(text: string): { table: string; chunk: RowChunk } {
  const parsed = JSON.parse(text) as { t: string; c: string[]; b: number[]; r: unknown[][] };
  for (const row of parsed.r)
    for (const i of parsed.b) if (typeof row[i] === "string") row[i] = Buffer.from(row[i], "base64");
  return { table: parsed.t, chunk: { columns: parsed.c, rows: parsed.r } };
}

/** Writes a backup file frame by frame (synchronously: one writer, no interleaving). */
export class BackupWriter {
  readonly #fd: number;
  readonly #hash: Hash = createHash("sha256");
  readonly #kek: Buffer;
  readonly #backupId: string;
  #frames = 0;
  #bytes = 0;
  #hashing = true;

  constructor(path: string, kek: Buffer, header: BackupHeader) {
    this.#fd = openSync(path, "wx", 0o600);
    this.#kek = kek;
    this.#backupId = header.backupId;
    this.#write(magic);
    this.#frame(Kind.header, Buffer.from(JSON.stringify(header)));
  }

  get bytes(): number {
    return this.#bytes;
  }

  plain(table: string, chunk: RowChunk): void {
    this.#frame(Kind.plain, Buffer.from(encodeChunk(table, chunk)));
  }

  sealed(table: string, tenant: string, keyId: string, key: Buffer, chunk: RowChunk): void {
    const meta = Buffer.from(JSON.stringify({ t: table, tenant, key: keyId }));
    const body = deflateRawSync(Buffer.from(encodeChunk(table, chunk)), { level: 1 });
    const sealedBody = seal(key, body, sealAad(this.#backupId, table, tenant, this.#frames));
    const prefix = Buffer.alloc(2);
    prefix.writeUInt16BE(meta.length);
    this.#frame(Kind.sealed, Buffer.concat([prefix, meta, sealedBody]));
  }

  /** Writes the trailer and closes the file (synced). */
  finish(): void {
    const sha256 = this.#hash.digest("hex");
    this.#hashing = false;
    const mac = createHmac("sha256", macKey(this.#kek)).update(sha256).digest("hex");
    this.#frame(Kind.trailer, Buffer.from(JSON.stringify({ sha256, mac, frames: this.#frames + 1 })));
    closeSync(this.#fd);
  }

  abandon(): void {
    closeSync(this.#fd);
  }

  #frame(kind: Kind, payload: Buffer): void {
    const head = Buffer.alloc(5);
    head.writeUInt8(kind, 0);
    head.writeUInt32BE(payload.length, 1);
    this.#write(head);
    this.#write(payload);
    this.#frames++;
  }

  #write(bytes: Buffer): void {
    if (this.#hashing) this.#hash.update(bytes);
    let done = 0;
    while (done < bytes.length) done += writeSync(this.#fd, bytes, done, bytes.length - done);
    this.#bytes += bytes.length;
  }
}

const corrupted = (path: string, reason: string, details: Record<string, unknown> = {}) =>
  new KithError("integrity_failed", `backup ${path} is corrupted or not a Kith backup: ${reason}`, {
    file: path,
    ...details,
  });

/** One collected-data or configuration chunk as read back. */
export type BackupFrame =
  | { kind: "plain"; table: string; chunk: RowChunk }
  | { kind: "sealed"; table: string; tenant: string; keyId: string; open: (key: Buffer) => RowChunk };

interface RawFrame {
  kind: number;
  payload: Buffer;
  index: number;
  offset: number;
}

/** Reads a backup file's frames in order; every structural fault names the byte it is at. */
class FrameReader {
  readonly #fd: number;
  readonly #size: number;
  readonly #path: string;
  #offset = 0;
  #index = 0;

  constructor(path: string) {
    this.#path = path;
    try {
      this.#fd = openSync(path, "r");
    } catch (error) {
      throw new KithError(
        "not_found",
        `backup ${path} cannot be read: ${error instanceof Error ? error.message : String(error)}`,
        { file: path },
      );
    }
    this.#size = fstatSync(this.#fd).size;
    const head = this.#read(magic.length);
    if (!head?.equals(magic)) {
      this.close();
      throw corrupted(path, "it does not start with Kith's backup magic bytes");
    }
  }

  /** The next frame, or null at the end of the file. */
  next(): RawFrame | null {
    if (this.#offset === this.#size) return null;
    const offset = this.#offset;
    const head = this.#read(5);
    if (!head)
      throw corrupted(this.#path, `frame ${this.#index} at byte ${offset}: the file ends inside its header`);
    const length = head.readUInt32BE(1);
    const payload = this.#read(length);
    if (!payload)
      throw corrupted(
        this.#path,
        `frame ${this.#index} at byte ${offset}: it says ${length} bytes follow, the file has ${this.#size - offset - 5} (truncated)`,
      );
    return { kind: head.readUInt8(0), payload, index: this.#index++, offset };
  }

  get consumed(): number {
    return this.#offset;
  }

  close(): void {
    closeSync(this.#fd);
  }

  #read(length: number): Buffer | null {
    if (this.#offset + length > this.#size) return null;
    const buffer = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.#fd, buffer, done, length - done, this.#offset + done);
      if (n === 0) return null;
      done += n;
    }
    this.#offset += length;
    return buffer;
  }
}

function parseJson<T>(path: string, frame: RawFrame, what: string): T {
  try {
    return JSON.parse(frame.payload.toString("utf8")) as T;
  } catch {
    throw corrupted(path, `frame ${frame.index} at byte ${frame.offset}: its ${what} is not valid JSON`);
  }
}

/** Reads the header only (which keys a restore needs), checking the magic bytes and the format. */
export function readBackupHeader(path: string): BackupHeader {
  const reader = new FrameReader(path);
  try {
    const first = reader.next();
    if (first?.kind !== Kind.header) throw corrupted(path, "the first frame is not the header");
    const header = parseJson<Partial<BackupHeader> & { format?: unknown }>(path, first, "header");
    if (header.format !== backupFormat)
      throw corrupted(path, `format ${JSON.stringify(header.format)}; this Kith reads ${backupFormat}`);
    return header as BackupHeader;
  } finally {
    reader.close();
  }
}

/**
 * Checks the whole file before anything is written: every frame well formed, the trailer present
 * and last, the SHA-256 of the bytes before it equal to the recorded one, and its HMAC made with
 * this KEK. Throws `integrity_failed` naming the reason.
 */
export function verifyBackupFile(path: string, kek: Buffer): void {
  const reader = new FrameReader(path);
  const hash = createHash("sha256").update(magic);
  try {
    for (;;) {
      const frame = reader.next();
      if (!frame) throw corrupted(path, "it ends without a trailer (truncated)");
      if (frame.kind === Kind.trailer) {
        if (reader.next() !== null) throw corrupted(path, `bytes follow the trailer (frame ${frame.index})`);
        const trailer = parseJson<{ sha256?: string; mac?: string; frames?: number }>(path, frame, "trailer");
        const digest = hash.digest("hex");
        if (trailer.sha256 !== digest)
          throw corrupted(
            path,
            "its SHA-256 checksum does not match its content (the file changed after it was written)",
          );
        const mac = createHmac("sha256", macKey(kek)).update(digest).digest("hex");
        if (trailer.mac !== mac)
          throw corrupted(
            path,
            "its authentication code does not match: it was altered, or made under another key-encryption key",
          );
        if (trailer.frames !== frame.index + 1)
          throw corrupted(
            path,
            `the trailer counts ${String(trailer.frames)} frames, the file holds ${frame.index + 1}`,
          );
        return;
      }
      if (!kinds.includes(frame.kind))
        throw corrupted(path, `frame ${frame.index} at byte ${frame.offset}: unknown kind ${frame.kind}`);
      const head = Buffer.alloc(5);
      head.writeUInt8(frame.kind, 0);
      head.writeUInt32BE(frame.payload.length, 1);
      hash.update(head).update(frame.payload);
    }
  } finally {
    reader.close();
  }
}

/** The chunks of a verified backup file, in the order they were written. */
export function* readBackupFrames(path: string, header: BackupHeader): Generator<BackupFrame> {
  const reader = new FrameReader(path);
  try {
    for (;;) {
      const frame = reader.next();
      if (!frame || frame.kind === Kind.trailer) return;
      if (frame.kind === Kind.header) continue;
      if (frame.kind === Kind.plain) {
        const { table, chunk } = decodeChunk(frame.payload.toString("utf8"));
        yield { kind: "plain", table, chunk };
        continue;
      }
      const metaLength = frame.payload.readUInt16BE(0);
      const meta = JSON.parse(frame.payload.subarray(2, 2 + metaLength).toString("utf8")) as {
        t: string;
        tenant: string;
        key: string;
      };
      const body = frame.payload.subarray(2 + metaLength);
      const aad = sealAad(header.backupId, meta.t, meta.tenant, frame.index);
      yield {
        kind: "sealed",
        table: meta.t,
        tenant: meta.tenant,
        keyId: meta.key,
        open: (key) => {
          const plain = unseal(key, body, aad);
          if (!plain)
            throw corrupted(
              path,
              `frame ${frame.index} (${meta.t} of tenant ${meta.tenant}) fails authentication under its data key`,
            );
          return decodeChunk(inflateRawSync(plain).toString("utf8")).chunk;
        },
      };
    }
  } finally {
    reader.close();
  }
}
