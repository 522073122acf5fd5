import type { ServiceContext } from "../services/context";
import { grantConsent, setRelationshipIntelligence } from "../services/consent.service";
import { importDirectory } from "../services/directory.service";
import { importRecords } from "../services/ingest.service";
import { createTenant, findTenantByIdOrSlug } from "../services/tenant.service";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importCrmFile } from "../services/crm.service";
import { generateDemoCrm, generateDemoData } from "./generate";

export const demoTenantSlug = "contoso";
export const demoAdmin = "admin@contoso.com";
export interface DemoTenant {
  tenantId: string;
  created: boolean;
  /** A seller to sign in as, and the administrator. */
  seller: string;
  admin: string;
}

/**
 * Creates the demo tenant (Contoso) once: a generated directory, identifiable, aggregated and
 * personal consent, relationship intelligence enabled, a year of generated mail and meetings
 * imported through the normal pipeline, and a CRM export (accounts, contacts, leads,
 * opportunities, calls and tasks) through the CRM import. Running it again keeps what is there.
 */
export async function ensureDemoTenant(ctx: ServiceContext): Promise<DemoTenant> {
  const data = generateDemoData(ctx.now());
  const seller = data.sellers[0]!.email;
  const existing = await findTenantByIdOrSlug(ctx, demoTenantSlug);
  if (existing) return { tenantId: existing.id, created: false, seller, admin: demoAdmin };
  const tenant = await createTenant(ctx, { name: "Contoso", slug: demoTenantSlug, domains: ["contoso.com"] });
  await importDirectory(ctx, tenant.id, data.directory, [], "demo");
  for (const type of ["identifiable", "aggregated", "personal"] as const)
    await grantConsent(ctx, tenant.id, type, demoAdmin);
  await setRelationshipIntelligence(ctx, tenant.id, true, demoAdmin);
  await importRecords(ctx, tenant.id, [{ name: "demo mail and meetings", records: data.mail }], {
    label: "demo data",
  });
  // The CRM goes through the same parser and import a customer's export would.
  const dir = mkdtempSync(join(tmpdir(), "kith-demo-"));
  try {
    const file = join(dir, "contoso-crm.json");
    writeFileSync(file, JSON.stringify(generateDemoCrm(data, ctx.now())));
    const crm = await importCrmFile(ctx, tenant.id, file);
    if (crm.status !== "done" || crm.rejected.length > 0) {
      throw new Error(`demo CRM import failed: ${JSON.stringify(crm.rejected.slice(0, 3))}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { tenantId: tenant.id, created: true, seller, admin: demoAdmin };
}
