/** Small helpers shared by the source modules. */
import { open } from "node:fs/promises";
import type { RejectedRecord } from "../../domain/interaction";

/** Bytes read from the start of a file for format detection. */
export const detectHeadBytes = 64 * 1024;

export async function readHead(path: string, bytes = detectHeadBytes): Promise<Buffer> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export function rejectedRecord(
  file: string,
  record: number,
  reason: string,
  where: { line?: number; offset?: number } = {},
): RejectedRecord {
  return { type: "rejected", position: { file, record, ...where }, reason };
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A JSON.parse failure without the excerpt of the input V8 quotes in it (`Unexpected token 'a',
 * "{"from": ann@…"... is not valid JSON`): rejections are kept in batch summaries, and the mail
 * itself (addresses, subjects) must not be.
 */
export function jsonErrorMessage(error: unknown): string {
  return errorMessage(error).replace(/,? (\.\.\.)?".*"(\.\.\.)? is not valid JSON$/s, " (not valid JSON)");
}

/** Strips a UTF-8 byte-order mark that some exporters write. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
