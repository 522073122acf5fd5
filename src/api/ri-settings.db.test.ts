/* eslint-disable @typescript-eslint/no-unsafe-member-access -- response bodies are JSON checked by value with expect() */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachEngine } from "../../test/helpers/engines";
import { verifyAuditChain } from "../services/audit.service";
import type { ServiceContext } from "../services/context";
import { fitTenantStrength } from "../services/strength-fit.service";
import { readTenantOptions } from "../services/tenant-options";
import { listAudit } from "../store/audit.repository";
import type { Store } from "../store/store";
import {
  asSession,
  createTenantFixture,
  errorCode,
  testConfig,
  type App,
  type TenantFixture,
} from "./api.fixture";
import { buildApp } from "./app";

describeEachEngine("RI settings over HTTP", (h) => {
  let store: Store;
  let ctx: ServiceContext;
  let app: App;
  let a: TenantFixture;

  beforeAll(async () => {
    store = h.store();
    ctx = h.ctx();
    a = await createTenantFixture(ctx, "alpha");
    app = await buildApp({ ctx, config: testConfig() });
  });
  afterAll(async () => {
    await app.close();
  });

  const put = (url: string, payload: object) =>
    app.inject(asSession(a.admin, { method: "PUT", url, payload }));
  const lastAudit = async () => (await listAudit(store.db, a.tenant.id, { limit: 1 }))[0];

  describe("relationship intelligence settings", () => {
    it("changes health scoring with an audit entry, and refuses invalid bands and weights", async () => {
      const res = await put("/api/ri/settings/health", {
        expectedFrequency: "monthly",
        bands: { good: 70, fair: 45 },
        typeWeightAdjustments: { meeting: 1.5 },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        expectedFrequency: "monthly",
        bands: { good: 70, fair: 45 },
        typeWeightAdjustments: { email: 1, meeting: 1.5 },
        editable: true,
      });
      expect(await lastAudit()).toMatchObject({
        actor: "admin@alpha.example",
        action: "settings.health_changed",
        details: { before: { bands: { good: 60 } }, after: { bands: { good: 70 } } },
      });
      const settings = await app.inject(asSession(a.admin, { url: "/api/ri/settings" }));
      expect(settings.json().health).toMatchObject({ expectedFrequency: "monthly", bands: { good: 70 } });

      const bad = await put("/api/ri/settings/health", { bands: { fair: 80 } });
      expect(errorCode(bad)).toBe("validation_failed");
      const tooMuch = await put("/api/ri/settings/health", { typeWeightAdjustments: { email: 1.6 } });
      expect(errorCode(tooMuch)).toBe("validation_failed");
      expect((await lastAudit())?.action).toBe("settings.health_changed");
    });

    it("sets capture level and noise filters, each audited", async () => {
      const capture = await put("/api/ri/settings/capture-level", { captureLevel: "subject" });
      expect(capture.json()).toEqual({ captureLevel: "subject" });
      expect(await lastAudit()).toMatchObject({
        action: "settings.capture_level_changed",
        details: { before: "metadata", after: "subject" },
      });
      const filters = await put("/api/ri/settings/noise-filters", {
        automated: false,
        largeDistributionCap: 80,
      });
      expect(filters.json()).toMatchObject({
        automated: false,
        calendarNotifications: true,
        largeDistributionCap: 80,
      });
      expect(await lastAudit()).toMatchObject({ action: "settings.noise_filters_changed" });
      const options = await readTenantOptions(store.db, a.tenant.id);
      expect(options.captureLevel).toBe("subject");
      expect(options.noiseFilters.automated).toBe(false);
      const bad = await put("/api/ri/settings/noise-filters", {
        largeDistributionCap: 2,
        largeDistributionDampAbove: 10,
      });
      expect(errorCode(bad)).toBe("validation_failed");
    });

    it("audits strength weight and introduction template changes", async () => {
      const weights = await put("/api/ri/settings/weights", { meeting: { mutual: 4 } });
      expect(weights.statusCode).toBe(200);
      expect(weights.json().weights.meeting.mutual).toBe(4);
      expect(await lastAudit()).toMatchObject({ action: "settings.strength_weights_changed" });
      const template = await put("/api/ri/settings/introduction-template", {
        subject: "Intro to {{target.name}}?",
        body: "Hi {{introducer.firstName}}, could you introduce me to {{target.name}}?",
      });
      expect(template.statusCode).toBe(200);
      expect(await lastAudit()).toMatchObject({ action: "settings.introduction_template_changed" });
      expect((await verifyAuditChain(ctx, a.tenant.id)).ok).toBe(true);
    });

    it("refuses a seller", async () => {
      const res = await app.inject(
        asSession(a.seller, {
          method: "PUT",
          url: "/api/ri/settings/capture-level",
          payload: { captureLevel: "metadata" },
        }),
      );
      expect(errorCode(res)).toBe("insufficient_privileges");
    });

    it("shows the tenant's self-fitted strength with its date and figures, and a manual change clears it", async () => {
      const before = await app.inject(asSession(a.admin, { url: "/api/ri/settings" }));
      expect(before.json().strengthFit).toBeNull();
      await fitTenantStrength(ctx, a.tenant.id, { save: true, by: "admin@alpha.example" });
      const after = (await app.inject(asSession(a.admin, { url: "/api/ri/settings" }))).json<{
        strengthFit: { chooseCutOffs: string[]; fittedAt: string };
      }>();
      expect(after.strengthFit).toMatchObject({
        status: "insufficient_history",
        horizonDays: 90,
        change: null,
        gridSize: 96,
        report: { targets: 0, tuned: null, untuned: null, frequency: null },
      });
      expect(after.strengthFit.chooseCutOffs).toHaveLength(3);
      expect(Date.parse(after.strengthFit.fittedAt)).not.toBeNaN();
      expect(await lastAudit()).toMatchObject({
        action: "settings.strength_fitted",
        actor: "admin@alpha.example",
      });
      expect((await put("/api/ri/settings/weights", { email: { out: 1.5 } })).statusCode).toBe(200);
      expect(
        (await app.inject(asSession(a.admin, { url: "/api/ri/settings" }))).json().strengthFit,
      ).toBeNull();
    });
  });
});
