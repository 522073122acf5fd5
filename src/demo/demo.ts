import type { ServiceContext } from "../services/context";
import { grantConsent, setRelationshipIntelligence } from "../services/consent.service";
import { importDirectory } from "../services/directory.service";
import { importRecords } from "../services/ingest.service";
import { createTenant } from "../services/tenant.service";
import { findTenant } from "../store/directory.repository";
import { generateDemoData } from "./generate";

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
 * personal consent, relationship intelligence enabled, and a year of generated mail and meetings
 * imported through the normal pipeline. Running it again keeps what is there.
 */
export async function ensureDemoTenant(ctx: ServiceContext): Promise<DemoTenant> {
  const data = generateDemoData(ctx.now());
  const seller = data.sellers[0]!.email;
  const existing = await findTenant(ctx.store.db, demoTenantSlug);
  if (existing) return { tenantId: existing.id, created: false, seller, admin: demoAdmin };
  const tenant = await createTenant(ctx, { name: "Contoso", slug: demoTenantSlug, domains: ["contoso.com"] });
  await importDirectory(ctx, tenant.id, data.directory, [], "demo");
  for (const type of ["identifiable", "aggregated", "personal"] as const)
    await grantConsent(ctx, tenant.id, type, demoAdmin);
  await setRelationshipIntelligence(ctx, tenant.id, true, demoAdmin);
  await importRecords(ctx, tenant.id, [{ name: "demo mail and meetings", records: data.mail }], {
    label: "demo data",
  });
  return { tenantId: tenant.id, created: true, seller, admin: demoAdmin };
}
