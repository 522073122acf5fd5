/**
 * CRM file import (SPEC §2 CRM records): accounts with their domains, contacts, leads,
 * opportunities and activities from a `kith-crm/1` file (src/ingest/sources/README.md) into the
 * crm_* tables, for KPIs, health and the account view.
 *
 * One transaction per file: a file whose content cannot be read at all (not JSON, not an object,
 * an unreadable file) fails whole and nothing of it is kept; a bad row is rejected with file,
 * record (and line) and reason, and the other rows are kept. Every write is an upsert by CRM id,
 * so importing the same file twice changes nothing. An account's domains are its full set: a
 * domain it no longer lists is released. Personal-provider domains (gmail.com, …) and the
 * tenant's own domains never map to an account; they are skipped and reported.
 */
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { isInternalDomain } from "../domain/directory";
import { isPersonalDomain } from "../domain/identity";
import type { RejectedRecord } from "../domain/interaction";
import { readCrm, type CrmActivityRecord } from "../ingest/sources/crm";
import {
  upsertAccount,
  upsertActivity,
  upsertContact,
  upsertLead,
  upsertOpportunity,
  type CrmActivityWrite,
} from "../store/crm.repository";
import { forgetAddressCrm } from "../store/forget.repository";
import type { ServiceContext } from "./context";
import { forgottenMatcher } from "./forget.service";
import { getTenantOrThrow } from "./tenant.service";

export interface CrmImportSummary {
  file: string;
  status: "done" | "failed";
  /** Rows read (kept + rejected). */
  read: number;
  imported: { accounts: number; contacts: number; leads: number; opportunities: number; activities: number };
  rejected: { file: string; record: number; line?: number; reason: string }[];
  /** Domains an account listed that cannot identify it. */
  skippedDomains: { account: string; domain: string; reason: "personal_provider" | "internal_domain" }[];
  /** Why the whole file failed (status "failed"); nothing of it was kept. */
  failure?: string;
}

class UnreadableFile extends Error {}

/** The file-level checks the row reader cannot make: JSON that does not parse is one bad file, not one bad row. */
async function checkReadable(path: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new UnreadableFile(error instanceof Error ? error.message : String(error));
  }
  if (extname(path).toLowerCase() === ".csv") {
    if (text.replace(/^\uFEFF/, "").trim() === "") throw new UnreadableFile("empty CSV file");
    return;
  }
  let document: unknown;
  try {
    document = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new UnreadableFile(`invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof document !== "object" || document === null || Array.isArray(document))
    throw new UnreadableFile("expected a kith-crm/1 object with accounts, contacts, … arrays");
}

const activityKinds = { email: "email", appointment: "meeting", phonecall: "call", task: "task" } as const;

function toActivityWrite(a: CrmActivityRecord): CrmActivityWrite {
  return {
    id: a.id,
    kind: activityKinds[a.kind],
    regardingType: a.regarding?.type ?? null,
    regardingId: a.regarding?.id ?? null,
    direction: a.direction === "outgoing" ? "out" : a.direction === "incoming" ? "in" : null,
    from: a.from,
    to: a.to,
    // A task has a due date rather than a start: it is when the task is expected to happen.
    startAt: (a.start ?? a.dueDate)?.getTime() ?? null,
    endAt: a.end?.getTime() ?? null,
    durationMin: a.durationMinutes,
    state: a.state,
    subject: a.subject,
  };
}

/** Imports one CRM file into a tenant (one transaction). */
export async function importCrmFile(
  ctx: ServiceContext,
  tenantIdOrSlug: string,
  path: string,
): Promise<CrmImportSummary> {
  const tenant = await getTenantOrThrow(ctx, tenantIdOrSlug);
  const summary: CrmImportSummary = {
    file: path,
    status: "done",
    read: 0,
    imported: { accounts: 0, contacts: 0, leads: 0, opportunities: 0, activities: 0 },
    rejected: [],
    skippedDomains: [],
  };
  const reject = (r: RejectedRecord) =>
    summary.rejected.push({
      file: r.position.file,
      record: r.position.record,
      ...(r.position.line === undefined ? {} : { line: r.position.line }),
      reason: r.reason,
    });
  try {
    await checkReadable(path);
    const at = ctx.now().getTime();
    await ctx.store.transaction(async (trx) => {
      // Addresses of people forgotten at their request do not come back with the CRM file.
      const forgotten = await forgottenMatcher(trx, tenant.id);
      const addresses = new Set<string>();
      for await (const record of readCrm(path)) {
        summary.read++;
        if (record.type === "crm-contact" || record.type === "crm-lead") {
          if (record.email) addresses.add(record.email);
        } else if (record.type === "crm-activity") {
          for (const a of [record.from, ...record.to]) if (a) addresses.add(a);
        }
        switch (record.type) {
          case "rejected":
            reject(record);
            break;
          case "crm-account": {
            const domains: string[] = [];
            for (const domain of new Set(record.domains)) {
              if (isPersonalDomain(domain))
                summary.skippedDomains.push({ account: record.id, domain, reason: "personal_provider" });
              else if (isInternalDomain(domain, tenant.domains))
                summary.skippedDomains.push({ account: record.id, domain, reason: "internal_domain" });
              else domains.push(domain);
            }
            await upsertAccount(trx, tenant.id, {
              id: record.id,
              name: record.name,
              primaryContactId: record.primaryContactId,
              domains,
            });
            summary.imported.accounts++;
            break;
          }
          case "crm-contact":
            await upsertContact(trx, tenant.id, {
              id: record.id,
              email: record.email,
              name: record.name ?? record.email ?? record.id,
              accountId: record.accountId,
            });
            summary.imported.contacts++;
            break;
          case "crm-lead":
            await upsertLead(trx, tenant.id, {
              id: record.id,
              email: record.email,
              name: record.name ?? record.email ?? record.id,
              company: record.company,
              ownerEmail: record.ownerEmail,
              stakeholders: record.stakeholders,
              status: record.status,
            });
            summary.imported.leads++;
            break;
          case "crm-opportunity":
            await upsertOpportunity(
              trx,
              tenant.id,
              {
                id: record.id,
                name: record.name,
                accountId: record.accountId,
                ownerEmail: record.ownerEmail,
                salesTeam: record.salesTeam,
                stakeholders: record.stakeholders,
                customerContactId: record.customerContactId,
                status: record.status,
                estimatedCloseAt: record.estimatedCloseDate?.getTime() ?? null,
                estimatedRevenue: record.estimatedRevenue,
                stage: record.stage,
                currency: record.currency,
              },
              at,
            );
            summary.imported.opportunities++;
            break;
          case "crm-activity":
            await upsertActivity(trx, tenant.id, toActivityWrite(record));
            summary.imported.activities++;
            break;
        }
      }
      for (const address of addresses)
        if (forgotten(address)) await forgetAddressCrm(trx, tenant.id, address);
    });
  } catch (error) {
    if (!(error instanceof UnreadableFile) && !(error instanceof SyntaxError) && !isFsError(error))
      throw error;
    return {
      ...summary,
      status: "failed",
      imported: { accounts: 0, contacts: 0, leads: 0, opportunities: 0, activities: 0 },
      skippedDomains: [],
      failure: error instanceof Error ? error.message : String(error),
    };
  }
  return summary;
}

const isFsError = (error: unknown): boolean =>
  error instanceof Error && typeof (error as NodeJS.ErrnoException).code === "string" && "syscall" in error;
