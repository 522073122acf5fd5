/**
 * Mailbox-owner manifests: which internal user owns each mailbox file or folder.
 *
 * `kith-manifest.json`: `{"mailboxes": [{"path": "enron/mbox/enron.allen-p.inbox", "owner": "phillip.allen@enron.com"}]}`
 * or CSV with a `path,owner` header. Relative paths are relative to the manifest's folder. A path
 * that is a folder owns every file under it; the longest matching path wins.
 */
import { readFile } from "node:fs/promises";
import { dirname, extname, resolve, sep } from "node:path";
import { Type } from "@sinclair/typebox";
import { normaliseAddress } from "../../domain/directory";
import { validationError } from "../../domain/errors";
import { check, says } from "../../domain/validate";
import { errorMessage, stripBom } from "./common";
import { parseCsv } from "./csv";

export interface ManifestEntry {
  /** Absolute path of the mailbox file or folder. */
  path: string;
  /** Normalised owner address. */
  owner: string;
}

export interface Manifest {
  mailboxes: ManifestEntry[];
  /** Owner of a file, by the longest manifest path equal to it or containing it; null when none. */
  ownerFor(path: string): string | null;
}

const nonEmpty = Type.String({ pattern: "\\S", ...says("must not be empty") });
const manifestSchema = Type.Object({
  mailboxes: Type.Array(Type.Object({ path: nonEmpty, owner: nonEmpty }), says("a list of {path, owner}")),
});

/** Reads a JSON or CSV manifest; throws a validation error listing every bad entry. */
export async function readManifest(path: string): Promise<Manifest> {
  let text: string;
  try {
    text = stripBom(await readFile(path, "utf8"));
  } catch (error) {
    throw validationError(`cannot read manifest ${path}: ${errorMessage(error)}`, { path });
  }
  const raw: Array<{ path: string; owner: string; where: string }> = [];
  if (extname(path).toLowerCase() === ".csv") {
    const rows = parseCsv(text);
    const first = rows[0]?.fields.map((f) => f.trim().toLowerCase()) ?? [];
    const hasHeader = first[0] === "path" && first[1] === "owner";
    for (const row of hasHeader ? rows.slice(1) : rows) {
      raw.push({
        path: row.fields[0]?.trim() ?? "",
        owner: row.fields[1]?.trim() ?? "",
        where: `line ${row.line}`,
      });
    }
  } else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw validationError(`manifest ${path} is not valid JSON: ${errorMessage(error)}`, { path });
    }
    const result = check(manifestSchema, parsed);
    if (!result.ok) throw validationError(`manifest ${path}: ${result.problems.join("; ")}`, { path });
    result.value.mailboxes.forEach((m, index) =>
      raw.push({ path: m.path.trim(), owner: m.owner.trim(), where: `mailboxes[${index}]` }),
    );
  }
  const problems: string[] = [];
  const base = dirname(resolve(path));
  const mailboxes: ManifestEntry[] = [];
  for (const entry of raw) {
    const owner = normaliseAddress(entry.owner);
    if (entry.path === "") problems.push(`${entry.where}: empty path`);
    else if (owner === null) problems.push(`${entry.where}: owner "${entry.owner}" is not an email address`);
    else mailboxes.push({ path: resolve(base, entry.path), owner });
  }
  if (problems.length > 0)
    throw validationError(`manifest ${path}: ${problems.join("; ")}`, { path, problems });
  const byLength = [...mailboxes].sort((a, b) => b.path.length - a.path.length);
  return {
    mailboxes,
    ownerFor(file: string): string | null {
      const absolute = resolve(file);
      const match = byLength.find(
        (m) => absolute === m.path || absolute.startsWith(m.path.endsWith(sep) ? m.path : m.path + sep),
      );
      return match?.owner ?? null;
    },
  };
}
