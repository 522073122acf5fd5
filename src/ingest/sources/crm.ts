/**
 * CRM records and activities from files (format documented in README.md in this folder): one
 * JSON document with `accounts`, `contacts`, `leads`, `opportunities`, `activities` arrays, or one
 * CSV file per entity. Each row is validated with zod; a bad row becomes a `rejected` record
 * naming file, record (and line for CSV) and the reasons, and the other rows are still produced.
 */
import { readFile } from "node:fs/promises";
import { basename, extname } from "node:path";
import { z } from "zod";
import { normaliseAddress, normaliseDomain } from "../../domain/directory";
import type { RejectedRecord, SourcePosition } from "../../domain/interaction";
import { jsonErrorMessage, rejectedRecord, stripBom } from "./common";
import { parseCsv } from "./csv";
import type { CrmSource, SourceReadOptions } from "./source";

export const crmEntities = ["accounts", "contacts", "leads", "opportunities", "activities"] as const;
export type CrmEntity = (typeof crmEntities)[number];

const id = z.string().trim().min(1, "must not be empty");
const optionalText = z
  .string()
  .trim()
  .nullish()
  .transform((v) => (v ? v : null));
const email = z.string().transform((value, ctx) => {
  const address = normaliseAddress(value);
  if (address === null) {
    ctx.addIssue({ code: "custom", message: `not an email address: "${value}"` });
    return z.NEVER;
  }
  return address;
});
const blankToNull = (value: unknown) => (value === "" || value === undefined ? null : value);
const optionalEmail = z
  .preprocess(blankToNull, email.nullable())
  .optional()
  .transform((v) => v ?? null);
const domain = z.string().transform((value, ctx) => {
  const normalised = normaliseDomain(value);
  if (normalised === null) {
    ctx.addIssue({ code: "custom", message: `not a domain: "${value}"` });
    return z.NEVER;
  }
  return normalised;
});
const date = z.union([z.string(), z.date()]).transform((value, ctx) => {
  const parsed = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(parsed.getTime())) {
    ctx.addIssue({ code: "custom", message: `not a date: "${String(value)}"` });
    return z.NEVER;
  }
  return parsed;
});
const optionalDate = z
  .preprocess(blankToNull, date.nullable())
  .optional()
  .transform((v) => v ?? null);
const list = <T extends z.ZodType>(item: T) => z.array(item).default([]);

export const crmAccountSchema = z.object({
  id,
  name: z.string().trim().min(1, "must not be empty"),
  domains: list(domain),
  primaryContactId: optionalText,
});
export const crmContactSchema = z.object({
  id,
  email: optionalEmail,
  name: optionalText,
  accountId: optionalText,
});
export const crmLeadSchema = z.object({
  id,
  email: optionalEmail,
  name: optionalText,
  company: optionalText,
  ownerEmail: optionalEmail,
  /** Contact ids. */
  stakeholders: list(id),
  status: z.enum(["active", "qualified", "disqualified"]).default("active"),
});
export const crmOpportunitySchema = z.object({
  id,
  name: z.string().trim().min(1, "must not be empty"),
  accountId: optionalText,
  ownerEmail: optionalEmail,
  salesTeam: list(email),
  /** Contact ids. */
  stakeholders: list(id),
  customerContactId: optionalText,
  status: z.enum(["open", "won", "lost"]),
  estimatedCloseDate: optionalDate,
  estimatedRevenue: z.coerce
    .number()
    .nullish()
    .transform((v) => v ?? null),
});
export const crmActivitySchema = z
  .object({
    id,
    kind: z.enum(["email", "appointment", "phonecall", "task"]),
    regarding: z
      .object({ type: z.enum(["account", "contact", "lead", "opportunity"]), id })
      .nullish()
      .transform((v) => v ?? null),
    direction: z
      .enum(["incoming", "outgoing"])
      .nullish()
      .transform((v) => v ?? null),
    from: optionalEmail,
    to: list(email),
    start: optionalDate,
    end: optionalDate,
    dueDate: optionalDate,
    durationMinutes: z.coerce
      .number()
      .nonnegative()
      .nullish()
      .transform((v) => v ?? null),
    state: z.enum(["completed", "planned"]),
    subject: optionalText,
  })
  .superRefine((activity, ctx) => {
    if (activity.start !== null && activity.end !== null && activity.end < activity.start) {
      ctx.addIssue({ code: "custom", path: ["end"], message: "end is before start" });
    }
    if (activity.kind === "appointment" && activity.start === null) {
      ctx.addIssue({ code: "custom", path: ["start"], message: "an appointment needs a start" });
    }
  });

type Positioned<T extends string, S extends z.ZodType> = { type: T; position: SourcePosition } & z.output<S>;
export type CrmAccountRecord = Positioned<"crm-account", typeof crmAccountSchema>;
export type CrmContactRecord = Positioned<"crm-contact", typeof crmContactSchema>;
export type CrmLeadRecord = Positioned<"crm-lead", typeof crmLeadSchema>;
export type CrmOpportunityRecord = Positioned<"crm-opportunity", typeof crmOpportunitySchema>;
export type CrmActivityRecord = Positioned<"crm-activity", typeof crmActivitySchema>;
export type CrmRecord =
  CrmAccountRecord | CrmContactRecord | CrmLeadRecord | CrmOpportunityRecord | CrmActivityRecord;

const entitySchemas = {
  accounts: { type: "crm-account", schema: crmAccountSchema },
  contacts: { type: "crm-contact", schema: crmContactSchema },
  leads: { type: "crm-lead", schema: crmLeadSchema },
  opportunities: { type: "crm-opportunity", schema: crmOpportunitySchema },
  activities: { type: "crm-activity", schema: crmActivitySchema },
} as const;

/** Validates one row of an entity; the union member is fixed by the entity's schema. */
function validate(entity: CrmEntity, row: unknown, position: SourcePosition): CrmRecord | RejectedRecord {
  const { type, schema } = entitySchemas[entity];
  const result = schema.safeParse(row);
  if (!result.success) {
    const reasons = result.error.issues
      .map((issue) => `${issue.path.join(".") || "(row)"}: ${issue.message}`)
      .join("; ");
    const { file, record, ...where } = position;
    return rejectedRecord(file, record, `invalid ${singular(entity)}: ${reasons}`, where);
  }
  return { type, position, ...result.data } as CrmRecord;
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
