import { readFile } from "node:fs/promises";
import { parseDirectoryText } from "../ingest/directory-file";
import type { ServiceContext } from "../services/context";
import { grantConsent, setRelationshipIntelligence } from "../services/consent.service";
import { importDirectory } from "../services/directory.service";
import { createTenant } from "../services/tenant.service";
import { findTenant } from "../store/directory.repository";

export const demoTenantSlug = "contoso";
export const demoAdmin = "admin@contoso.com";

/**
 * Creates the demo tenant (Contoso) once: directory, identifiable and aggregated consent,
 * relationship intelligence enabled. Running it again keeps what is there.
 */
export async function ensureDemoTenant(ctx: ServiceContext): Promise<{ tenantId: string; created: boolean }> {
  const existing = await findTenant(ctx.store.db, demoTenantSlug);
  if (existing) return { tenantId: existing.id, created: false };
  const tenant = await createTenant(ctx, {
    name: "Contoso",
    slug: demoTenantSlug,
    domains: ["contoso.com"],
    admin: { email: demoAdmin, name: "Ada Admin" },
  });
  const text = await readFile(new URL("./contoso-directory.json", import.meta.url), "utf8");
  const { document, errors } = parseDirectoryText(text, "contoso-directory.json", "json");
  await importDirectory(ctx, tenant.id, document, errors, "demo");
  await grantConsent(ctx, tenant.id, "identifiable", demoAdmin);
  await grantConsent(ctx, tenant.id, "aggregated", demoAdmin);
  await setRelationshipIntelligence(ctx, tenant.id, true, demoAdmin);
  return { tenantId: tenant.id, created: true };
}
