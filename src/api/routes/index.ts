import type { RouteSpec } from "../route";
import { auditRoutes } from "./audit.routes";
import { authRoutes } from "./auth.routes";
import { backupRoutes } from "./backup.routes";
import { consentRoutes } from "./consent.routes";
import { directoryRoutes } from "./directory.routes";
import { forgetRoutes } from "./forget.routes";
import { retentionRoutes } from "./retention.routes";
import { insightRoutes } from "./insights.routes";
import { kpiRoutes } from "./kpis.routes";
import { riSettingsRoutes } from "./ri-settings.routes";
import { sourceRoutes } from "./sources.routes";
import { jobRoutes } from "./jobs.routes";
import { opsRoutes } from "./ops.routes";
import { partnerRoutes } from "./partner.routes";
import { recordRoutes } from "./records.routes";
import { tenantRoutes } from "./tenant.routes";

/** Every HTTP route of the API (SCIM has its own token and lives in scim.routes.ts). */
export const apiRoutes: readonly RouteSpec[] = [
  ...opsRoutes,
  ...authRoutes,
  ...tenantRoutes,
  ...directoryRoutes,
  ...consentRoutes,
  ...forgetRoutes,
  ...retentionRoutes,
  ...auditRoutes,
  ...jobRoutes,
  ...insightRoutes,
  ...riSettingsRoutes,
  ...kpiRoutes,
  ...partnerRoutes,
  ...recordRoutes,
  ...sourceRoutes,
  ...backupRoutes,
];
