import { parse as parseCsv } from "csv-parse/sync";
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { z } from "zod";
import { normaliseAddress } from "../domain/directory";
import { validationError } from "../domain/errors";

/**
 * A manifest names the owner of each mailbox or calendar file (SPEC §2: every mailbox has an
 * owner). JSON `{"mailboxes":[{"path":"…","owner":"…"}]}` or CSV with `path,owner` columns.
 * Relative paths are relative to the manifest's folder.
 */
const manifestSchema = z.object({
  mailboxes: z.array(z.object({ path: z.string().min(1), owner: z.string().min(1) })),
});

export async function readManifestOwners(manifestPath: string): Promise<Map<string, string>> {
  let text: string;
  try {
    text = await readFile(manifestPath, "utf8");
  } catch (error) {
    throw validationError(`cannot read manifest ${manifestPath}: ${(error as Error).message}`, {
      file: manifestPath,
    });
  }
  let entries: { path: string; owner: string }[];
  if (text.trimStart().startsWith("{")) {
    const parsed = manifestSchema.safeParse(JSON.parse(text));
    if (!parsed.success)
      throw validationError(
        `manifest ${manifestPath}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
      );
    entries = parsed.data.mailboxes;
  } else {
    entries = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true });
  }
  const base = dirname(manifestPath);
  const owners = new Map<string, string>();
  entries.forEach((entry, i) => {
    const owner = normaliseAddress(entry.owner ?? "");
    if (!entry.path || !owner)
      throw validationError(
        `manifest ${manifestPath} entry ${i + 1}: needs a path and an owner email address`,
      );
    owners.set(resolve(base, entry.path), owner);
  });
  return owners;
}
