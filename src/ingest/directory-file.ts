import { parse as parseCsv } from "csv-parse/sync";
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { Type, type Static } from "@sinclair/typebox";
import { validationError } from "../domain/errors";
import { check, says } from "../domain/validate";
import { checkAddress } from "./address";

/**
 * The directory import format (documented in README "Directory files"). JSON:
 *   { "users": [{ "email", "name"?, "id"?, "aliases"?, "guest"?, "roles"?, "groups"? }],
 *     "groups": [{ "id", "name" }]?, "roles": ["Custom role"]? }
 * CSV: a header row with `email` and any of `name,id,aliases,roles,groups,guest`; lists separated by `;`.
 * An absent `roles`/`groups` leaves that user's assignments alone; a present one (even empty) is the full set.
 * The top-level `roles` declares custom roles; a user's roles must be built in, declared there, or
 * already known to the tenant (`kith directory roles add`), which the import checks.
 */
export interface DirectoryUserEntry {
  /** Where the entry came from, for error messages: the CSV line, or the JSON `users` index from 1. */
  record?: number;
  externalId: string | null;
  email: string;
  name: string | null;
  aliases: string[];
  guest: boolean;
  roles: string[] | null;
  groups: string[] | null;
}

export interface DirectoryDocument {
  /** The file (or "request body") and how its records are counted, for error messages. */
  source?: DirectorySource;
  users: DirectoryUserEntry[];
  groups: { id: string; name: string }[];
  roles: string[];
}

export interface DirectorySource {
  file: string;
  /** CSV records are named by line (the header is line 1); JSON ones by their place in `users`. */
  unit: "line" | "record";
}

export interface DirectoryFileError {
  file: string;
  /** CSV: the line number (header = 1); JSON: the user's place in `users`, from 1; 0: the file itself. */
  record: number;
  reason: string;
  unit?: "line" | "record";
}

/** "contoso.csv line 4" / "request body record 2"; record 0 is the file as a whole (its header). */
export function describeRecord(error: Pick<DirectoryFileError, "file" | "record" | "unit">): string {
  return error.record === 0 ? error.file : `${error.file} ${error.unit ?? "record"} ${error.record}`;
}

const listField = Type.Optional(
  Type.Union([Type.Array(Type.String()), Type.String()], says("a list of text, or text split by ; or |")),
);
const idField = Type.Union([Type.String(), Type.Number()], says("text or a number"));
const userSchema = Type.Object(
  {
    email: Type.String(says("an email address")),
    name: Type.Optional(Type.String(says("text"))),
    id: Type.Optional(idField),
    aliases: listField,
    guest: Type.Optional(Type.Union([Type.Boolean(), Type.String()], says("true or false"))),
    roles: listField,
    groups: listField,
  },
  {
    additionalProperties: false,
    ...says("an object with email and optional name, id, aliases, guest, roles, groups"),
  },
);
const documentSchema = Type.Object(
  {
    users: Type.Array(Type.Unknown(), says("a list of users")),
    groups: Type.Optional(
      Type.Array(
        Type.Object(
          { id: idField, name: Type.Optional(Type.String(says("text"))) },
          { additionalProperties: false, ...says("an object with id and optional name") },
        ),
      ),
    ),
    roles: Type.Optional(Type.Array(Type.String(), says("a list of role names"))),
  },
  { additionalProperties: false, ...says("an object with users and optional groups and roles") },
);

function splitList(value: string | string[] | undefined): string[] | null {
  if (value === undefined) return null;
  const items = Array.isArray(value) ? value : value.split(/[;|]/);
  return [...new Set(items.map((s) => s.trim()).filter((s) => s.length > 0))];
}

function parseGuest(value: boolean | string | undefined): boolean | string {
  if (value === undefined || value === "") return false;
  if (typeof value === "boolean") return value;
  const v = value.trim().toLowerCase();
  if (["true", "yes", "1", "y"].includes(v)) return true;
  if (["false", "no", "0", "n"].includes(v)) return false;
  return `guest must be true or false, not "${value}"`;
}

function toEntry(raw: Static<typeof userSchema>): DirectoryUserEntry | string {
  const checked = checkAddress(raw.email);
  if ("reason" in checked) return `email "${raw.email}" is not a valid address: it ${checked.reason}`;
  const email = checked.address;
  const aliases: string[] = [];
  for (const alias of splitList(raw.aliases) ?? []) {
    const a = checkAddress(alias);
    if ("reason" in a) return `alias "${alias}" is not a valid address: it ${a.reason}`;
    if (a.address !== email && !aliases.includes(a.address)) aliases.push(a.address);
  }
  const guest = parseGuest(raw.guest);
  if (typeof guest === "string") return guest;
  return {
    externalId: raw.id === undefined || raw.id === "" ? null : String(raw.id),
    email,
    name: raw.name?.trim() || null,
    aliases,
    guest,
    roles: splitList(raw.roles),
    groups: splitList(raw.groups),
  };
}

/** Parses a directory document; every problem is collected, so one run shows them all. */
export function parseDirectoryText(
  text: string,
  file: string,
  format: "json" | "csv",
): { document: DirectoryDocument; errors: DirectoryFileError[] } {
  const errors: DirectoryFileError[] = [];
  const unit = format === "csv" ? "line" : "record";
  const document: DirectoryDocument = { source: { file, unit }, users: [], groups: [], roles: [] };
  let rawUsers: unknown[] = [];
  let recordOf = (index: number) => index + 1;
  if (format === "json") {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw validationError(`${file}: not valid JSON (${(error as Error).message})`, { file });
    }
    const top = check(documentSchema, data);
    if (!top.ok) throw validationError(`${file}: ${top.problems.join("; ")}`, { file });
    rawUsers = top.value.users;
    document.groups = (top.value.groups ?? []).map((g) => ({
      id: String(g.id),
      name: g.name ?? String(g.id),
    }));
    document.roles = top.value.roles ?? [];
  } else {
    let rows: Record<string, string>[];
    let lines: number[];
    try {
      const parsed: { record: Record<string, string>; info: { lines: number } }[] = parseCsv(text, {
        columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
        skip_empty_lines: true,
        trim: true,
        bom: true,
        info: true,
      });
      rows = parsed.map((p) => p.record);
      // csv-parse counts the line a record ends on; a quoted value may span lines, so step back over them.
      lines = parsed.map(
        (p) => p.info.lines - Object.values(p.record).reduce((n, v) => n + (v.match(/\n/g)?.length ?? 0), 0),
      );
    } catch (error) {
      throw validationError(`${file}: not valid CSV (${(error as Error).message})`, { file });
    }
    const known = new Set(["email", "name", "id", "aliases", "roles", "groups", "guest"]);
    const header = rows[0] ? Object.keys(rows[0]) : [];
    const unknown = header.filter((h) => !known.has(h));
    if (rows.length > 0 && !header.includes("email"))
      throw validationError(`${file}: the header needs an "email" column`, { file });
    if (unknown.length) throw validationError(`${file}: unknown columns ${unknown.join(", ")}`, { file });
    // An empty cell means "not given" for every column but roles and groups, where a present column is the full set.
    rawUsers = rows.map((row) =>
      Object.fromEntries(Object.entries(row).filter(([k, v]) => v !== "" || k === "roles" || k === "groups")),
    );
    recordOf = (index) => lines[index] ?? index + 2;
  }
  const seen = new Map<string, number>();
  rawUsers.forEach((raw, index) => {
    const record = recordOf(index);
    const parsed = check(userSchema, raw);
    if (!parsed.ok) {
      errors.push({ file, record, unit, reason: parsed.problems.join("; ") });
      return;
    }
    const entry = toEntry(parsed.value);
    if (typeof entry === "string") {
      errors.push({ file, record, unit, reason: entry });
      return;
    }
    entry.record = record;
    for (const address of [entry.email, ...entry.aliases]) {
      const earlier = seen.get(address);
      if (earlier !== undefined)
        errors.push({ file, record, unit, reason: `address ${address} already used by ${unit} ${earlier}` });
      else seen.set(address, record);
    }
    document.users.push(entry);
  });
  return { document, errors };
}

export async function readDirectoryFile(
  path: string,
): Promise<{ document: DirectoryDocument; errors: DirectoryFileError[] }> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw validationError(
      `${path}: cannot read file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      { file: path },
    );
  }
  const ext = extname(path).toLowerCase();
  const format =
    ext === ".csv" ? "csv" : ext === ".json" ? "json" : text.trimStart().startsWith("{") ? "json" : "csv";
  return parseDirectoryText(text, path, format);
}
