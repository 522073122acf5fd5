import { CompiledQuery } from "kysely";
import { from as copyFrom } from "pg-copy-streams";
import type { Trx } from "./store";

/**
 * PostgreSQL `COPY … FROM STDIN` on the connection of a Kysely transaction, in text format.
 *
 * Kysely hands a compiled query's `sql` to `pg`'s `client.query` as it is, and `pg` runs any
 * object with a `submit` method as the query itself: so the copy stream travels as the `sql` of a
 * compiled query. It goes through the store's driver like every statement (tenant-driver.ts sets
 * the role and `kith.tenant` on the connection first), on the transaction's own connection.
 */
export async function copyInto(
  trx: Trx,
  table: string,
  columns: readonly string[],
  text: string,
): Promise<void> {
  if (text.length === 0) return;
  const stream = copyFrom(`copy ${table} (${columns.join(", ")}) from stdin`);
  const done = new Promise<void>((resolve, reject) => {
    stream.on("finish", resolve);
    stream.on("error", reject);
  });
  const query = CompiledQuery.raw("");
  await trx.executeQuery({ ...query, sql: stream as unknown as string });
  stream.end(text);
  await done;
}

/** One field of a COPY text row: `\N` for null, backslash, tab and line breaks escaped. */
export function copyField(value: string | number | null): string {
  if (value === null) return "\\N";
  if (typeof value === "number") return String(value);
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x5c || c === 0x09 || c === 0x0a || c === 0x0d) return escapeSlow(value);
  }
  return value;
}

function escapeSlow(value: string): string {
  return value.replace(/[\\\t\n\r]/g, (c) =>
    c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r",
  );
}

/** A bytea field of a COPY text row: hex form, its backslash escaped. */
export function copyBytes(value: Buffer): string {
  return `\\\\x${value.toString("hex")}`;
}
