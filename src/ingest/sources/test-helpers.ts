/** Helpers for the source tests: fixture paths and collecting a source's records. */
import { fileURLToPath } from "node:url";

export const fixtures = fileURLToPath(new URL("../../../test/fixtures/ingest/", import.meta.url));

export async function collect<T>(records: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const record of records) out.push(record);
  return out;
}

export function only<T extends { type: string }, K extends T["type"]>(
  records: T[],
  type: K,
): Extract<T, { type: K }>[] {
  return records.filter((r): r is Extract<T, { type: K }> => r.type === type);
}
