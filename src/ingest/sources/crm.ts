/**
 * CRM records and activities from files (format documented in README.md in this folder): one
 * JSON document with `accounts`, `contacts`, `leads`, `opportunities`, `activities` arrays, or one
 * CSV file per entity. Each row is validated (shape, then values); a bad row becomes a `rejected` record
 * naming file, record (and line for CSV) and the reasons, and the other rows are still produced.
 */
import { readFile } from "node:fs/promises";
import { basename, extname } from "node:path";
import { Type, type Static, type TSchema } from "@sinclair/typebox";
import { normaliseAddress, normaliseDomain } from "../../domain/directory";
import type { RejectedRecord, SourcePosition } from "../../domain/interaction";
import { check, oneOf, says } from "../../domain/validate";
import { jsonErrorMessage, rejectedRecord, stripBom } from "./common";
import { parseCsv } from "./csv";
import type { CrmSource, SourceReadOptions } from "./source";

export const crmEntities = ["accounts", "contacts", "leads", "opportunities", "activities"] as const;
export type CrmEntity = (typeof crmEntities)[number];

/*
 * Each row is checked in two steps with one library (TypeBox, domain/validate.ts): its shape (types,
 * enums, required fields), then the values that need reading — addresses, domains, dates, numbers
 * from CSV text — each problem named by its field. Every problem of a row is reported together.
 */
const maybe = <S extends TSchema>(schema: S) => Type.Optional(Type.Union([schema, Type.Null()]));
const anyText = maybe(Type.String());
const list = maybe(Type.Array(Type.String(), says("a list")));
const numberish = maybe(Type.Union([Type.Number(), Type.String()], says("a number")));
const dateish = maybe(Type.String(says("a date")));
const choice = <const V extends readonly string[]>(values: V) =>
  oneOf(values, says(`one of ${values.join(", ")}`));
/** Required text; emptiness is a value problem (reported with the row's others), not a shape one. */
const required = Type.String();
const id = required;

const shapes = {
  accounts: Type.Object({ id: required, name: required, domains: list, primaryContactId: anyText }),
  contacts: Type.Object({ id, email: anyText, name: anyText, accountId: anyText }),
  leads: Type.Object({
    id,
    email: anyText,
    name: anyText,
    company: anyText,
    ownerEmail: anyText,
    stakeholders: list,
    status: Type.Optional(choice(["active", "qualified", "disqualified"])),
  }),
  opportunities: Type.Object({
    id,
    name: required,
    accountId: anyText,
    ownerEmail: anyText,
    salesTeam: list,
    stakeholders: list,
    customerContactId: anyText,
    status: choice(["open", "won", "lost"]),
    estimatedCloseDate: dateish,
    estimatedRevenue: numberish,
    stage: anyText,
    currency: anyText,
  }),
  activities: Type.Object({
    id,
    kind: choice(["email", "appointment", "phonecall", "task"]),
    regarding: maybe(Type.Object({ type: choice(["account", "contact", "lead", "opportunity"]), id })),
    direction: maybe(choice(["incoming", "outgoing"])),
    from: anyText,
    to: list,
    start: dateish,
    end: dateish,
    dueDate: dateish,
    durationMinutes: numberish,
    state: choice(["completed", "planned"]),
    subject: anyText,
  }),
} as const;

/** Reads the values of a row whose shape fitted, collecting one problem per bad field. */
class RowReader {
  readonly problems: string[] = [];

  required(field: string, value: string): string {
    const trimmed = value.trim();
    if (!trimmed) this.problems.push(`${field}: must not be empty`);
    return trimmed;
  }
  text(value: string | null | undefined): string | null {
    const trimmed = value?.trim();
    return trimmed ? trimmed : null;
  }
  email(field: string, value: string | null | undefined): string | null {
    const text = this.text(value);
    if (text === null) return null;
    const address = normaliseAddress(text);
    if (address === null) this.problems.push(`${field}: not an email address: "${value}"`);
    return address;
  }
  emails(field: string, values: readonly string[] | null | undefined): string[] {
    return (values ?? []).flatMap((v, i) => this.email(`${field}.${i}`, v) ?? []);
  }
  domains(field: string, values: readonly string[] | null | undefined): string[] {
    return (values ?? []).flatMap((value, i) => {
      const domain = normaliseDomain(value);
      if (domain === null) this.problems.push(`${field}.${i}: not a domain: "${value}"`);
      return domain ?? [];
    });
  }
  ids(values: readonly string[] | null | undefined): string[] {
    return (values ?? []).map((v) => v.trim()).filter(Boolean);
  }
  date(field: string, value: string | null | undefined): Date | null {
    const text = this.text(value);
    if (text === null) return null;
    const date = new Date(text);
    if (Number.isNaN(date.getTime())) this.problems.push(`${field}: not a date: "${value}"`);
    return date;
  }
  /** An ISO 4217 code (three letters), upper-cased. */
  currency(field: string, value: string | null | undefined): string | null {
    const text = this.text(value);
    if (text === null) return null;
    if (!/^[A-Za-z]{3}$/.test(text))
      this.problems.push(`${field}: not an ISO 4217 currency code: "${value}"`);
    return text.toUpperCase();
  }
  number(field: string, value: number | string | null | undefined, min = -Infinity): number | null {
    const text = typeof value === "string" ? this.text(value) : value;
    if (text === null || text === undefined) return null;
    const n = Number(text);
    if (!Number.isFinite(n) || n < min)
      this.problems.push(`${field}: ${min === 0 ? "a number, 0 or more" : "a number"}: "${value}"`);
    return n;
  }
}

export interface CrmAccountFields {
  id: string;
  name: string;
  domains: string[];
  primaryContactId: string | null;
}
export interface CrmContactFields {
  id: string;
  email: string | null;
  name: string | null;
  accountId: string | null;
}
export interface CrmLeadFields {
  id: string;
  email: string | null;
  name: string | null;
  company: string | null;
  ownerEmail: string | null;
  /** Contact ids. */
  stakeholders: string[];
  status: "active" | "qualified" | "disqualified";
}
export interface CrmOpportunityFields {
  id: string;
  name: string;
  accountId: string | null;
  ownerEmail: string | null;
  salesTeam: string[];
  /** Contact ids. */
  stakeholders: string[];
  customerContactId: string | null;
  status: "open" | "won" | "lost";
  estimatedCloseDate: Date | null;
  estimatedRevenue: number | null;
  /** The CRM's sales stage, as it names it. */
  stage: string | null;
  /** ISO 4217 code of the estimated revenue. */
  currency: string | null;
}
export interface CrmActivityFields {
  id: string;
  kind: "email" | "appointment" | "phonecall" | "task";
  regarding: { type: "account" | "contact" | "lead" | "opportunity"; id: string } | null;
  direction: "incoming" | "outgoing" | null;
  from: string | null;
  to: string[];
  start: Date | null;
  end: Date | null;
  dueDate: Date | null;
  durationMinutes: number | null;
  state: "completed" | "planned";
  subject: string | null;
}

type Shape<E extends CrmEntity> = Static<(typeof shapes)[E]>;
const readers: { [E in CrmEntity]: (row: Shape<E>, r: RowReader) => object } = {
  accounts: (row, r): CrmAccountFields => ({
    id: r.required("id", row.id),
    name: r.required("name", row.name),
    domains: r.domains("domains", row.domains),
    primaryContactId: r.text(row.primaryContactId),
  }),
  contacts: (row, r): CrmContactFields => ({
    id: r.required("id", row.id),
    email: r.email("email", row.email),
    name: r.text(row.name),
    accountId: r.text(row.accountId),
  }),
  leads: (row, r): CrmLeadFields => ({
    id: r.required("id", row.id),
    email: r.email("email", row.email),
    name: r.text(row.name),
    company: r.text(row.company),
    ownerEmail: r.email("ownerEmail", row.ownerEmail),
    stakeholders: r.ids(row.stakeholders),
    status: row.status ?? "active",
  }),
  opportunities: (row, r): CrmOpportunityFields => ({
    id: r.required("id", row.id),
    name: r.required("name", row.name),
    accountId: r.text(row.accountId),
    ownerEmail: r.email("ownerEmail", row.ownerEmail),
    salesTeam: r.emails("salesTeam", row.salesTeam),
    stakeholders: r.ids(row.stakeholders),
    customerContactId: r.text(row.customerContactId),
    status: row.status,
    estimatedCloseDate: r.date("estimatedCloseDate", row.estimatedCloseDate),
    estimatedRevenue: r.number("estimatedRevenue", row.estimatedRevenue),
    stage: r.text(row.stage),
    currency: r.currency("currency", row.currency),
  }),
  activities: (row, r): CrmActivityFields => {
    const activity: CrmActivityFields = {
      id: r.required("id", row.id),
      kind: row.kind,
      regarding: row.regarding
        ? { type: row.regarding.type, id: r.required("regarding.id", row.regarding.id) }
        : null,
      direction: row.direction ?? null,
      from: r.email("from", row.from),
      to: r.emails("to", row.to),
      start: r.date("start", row.start),
      end: r.date("end", row.end),
      dueDate: r.date("dueDate", row.dueDate),
      durationMinutes: r.number("durationMinutes", row.durationMinutes, 0),
      state: row.state,
      subject: r.text(row.subject),
    };
    // Across fields only once every field reads well.
    if (r.problems.length > 0) return activity;
    if (activity.start !== null && activity.end !== null && activity.end < activity.start)
      r.problems.push("end: end is before start");
    if (activity.kind === "appointment" && activity.start === null)
      r.problems.push("start: an appointment needs a start");
    return activity;
  },
};

type Positioned<T extends string, F> = { type: T; position: SourcePosition } & F;
export type CrmAccountRecord = Positioned<"crm-account", CrmAccountFields>;
export type CrmContactRecord = Positioned<"crm-contact", CrmContactFields>;
export type CrmLeadRecord = Positioned<"crm-lead", CrmLeadFields>;
export type CrmOpportunityRecord = Positioned<"crm-opportunity", CrmOpportunityFields>;
export type CrmActivityRecord = Positioned<"crm-activity", CrmActivityFields>;
export type CrmRecord =
  CrmAccountRecord | CrmContactRecord | CrmLeadRecord | CrmOpportunityRecord | CrmActivityRecord;

const recordTypes = {
  accounts: "crm-account",
  contacts: "crm-contact",
  leads: "crm-lead",
  opportunities: "crm-opportunity",
  activities: "crm-activity",
} as const;

/** Validates one row of an entity: its shape first, then its values; every problem together. */
function validate(entity: CrmEntity, row: unknown, position: SourcePosition): CrmRecord | RejectedRecord {
  const shaped = check(shapes[entity], row);
  let problems: string[];
  if (shaped.ok) {
    const reader = new RowReader();
    const fields = (readers[entity] as (row: unknown, r: RowReader) => object)(shaped.value, reader);
    if (reader.problems.length === 0) return { type: recordTypes[entity], position, ...fields } as CrmRecord;
    problems = reader.problems;
  } else problems = shaped.problems;
  const { file, record, ...where } = position;
  return rejectedRecord(file, record, `invalid ${singular(entity)}: ${problems.join("; ")}`, where);
}

function* readCrmJson(path: string, text: string): Generator<CrmRecord | RejectedRecord> {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    yield rejectedRecord(path, 1, `invalid JSON: ${jsonErrorMessage(error)}`);
    return;
  }
  if (typeof document !== "object" || document === null || Array.isArray(document)) {
    yield rejectedRecord(path, 1, `expected an object with ${crmEntities.join(", ")} arrays`);
    return;
  }
  let record = 0;
  for (const entity of crmEntities) {
    const rows = (document as Record<string, unknown>)[entity];
    if (rows === undefined) continue;
    if (!Array.isArray(rows)) {
      yield rejectedRecord(path, ++record, `"${entity}" must be an array`);
      continue;
    }
    for (const row of rows) yield validate(entity, row, { file: path, record: ++record });
  }
}

const listColumns = new Set(["domains", "stakeholders", "salesTeam", "to"]);

/** The entity of a CSV file: its `entity` column, else its file name (`accounts.csv`, `crm.leads.csv`). */
function entityOfCsv(path: string): CrmEntity | null {
  const name = basename(path, extname(path)).toLowerCase();
  return (
    crmEntities.find(
      (entity) => name === entity || name.endsWith(`.${entity}`) || name.endsWith(`-${entity}`),
    ) ?? null
  );
}

function singular(entity: string): string {
  return entity.replace(/ies$/, "y").replace(/s$/, "");
}

function* readCrmCsv(path: string, text: string): Generator<CrmRecord | RejectedRecord> {
  const rows = parseCsv(text);
  const header = rows[0]?.fields.map((h) => h.trim()) ?? [];
  const entityColumn = header.indexOf("entity");
  const fileEntity = entityOfCsv(path);
  for (let r = 1; r < rows.length; r++) {
    const { fields, line } = rows[r]!;
    const record = r;
    const rawEntity = entityColumn >= 0 ? (fields[entityColumn] ?? "").trim().toLowerCase() : null;
    const entity =
      rawEntity === null
        ? fileEntity
        : (crmEntities.find((e) => e === rawEntity || singular(e) === rawEntity) ?? null);
    if (entity === null) {
      const reason =
        rawEntity === null
          ? `no entity: name the file accounts.csv, contacts.csv, … or add an "entity" column`
          : `unknown entity "${rawEntity}"`;
      yield rejectedRecord(path, record, reason, { line });
      continue;
    }
    if (fields.length !== header.length) {
      yield rejectedRecord(path, record, `row has ${fields.length} fields, header has ${header.length}`, {
        line,
      });
      continue;
    }
    const row: Record<string, unknown> = {};
    let regardingType = "";
    let regardingId = "";
    header.forEach((column, index) => {
      const value = (fields[index] ?? "").trim();
      if (column === "entity") return;
      if (column === "regardingType") regardingType = value;
      else if (column === "regardingId") regardingId = value;
      else if (listColumns.has(column))
        row[column] = value === "" ? [] : value.split(";").map((v) => v.trim());
      else if (value !== "") row[column] = value;
    });
    if (regardingType !== "" || regardingId !== "") row.regarding = { type: regardingType, id: regardingId };
    yield validate(entity, row, { file: path, record, line });
  }
}

export async function* readCrm(
  path: string,
  _options: SourceReadOptions = {},
): AsyncGenerator<CrmRecord | RejectedRecord> {
  const text = stripBom(await readFile(path, "utf8"));
  if (extname(path).toLowerCase() === ".csv") yield* readCrmCsv(path, text);
  else yield* readCrmJson(path, text);
}

const crmJsonHead = new RegExp(`^\\s*\\{\\s*"(format|${crmEntities.join("|")})"\\s*:`);

export const crmSource: CrmSource = {
  format: "crm",
  detect: (path, head, isDir) => {
    if (isDir) return false;
    const text = stripBom(head.toString("utf8", 0, Math.min(head.length, 4096)));
    if (extname(path).toLowerCase() === ".csv") {
      const header =
        text
          .split(/\r?\n/, 1)[0]
          ?.split(",")
          .map((h) => h.trim().replace(/^"|"$/g, "")) ?? [];
      return header.includes("id") && (header.includes("entity") || entityOfCsv(path) !== null);
    }
    return crmJsonHead.test(text) && (/"kith-crm\/1"/.test(text) || !/"@odata\./.test(text));
  },
  read: readCrm,
};
