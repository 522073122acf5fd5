/**
 * The second evaluation corpus end to end, on the real linux-cifs archive (skipped, with the
 * reason, where the corpora are absent; required in CI): set-up, self-fitted strength and a
 * pooled evaluation with every baseline. One SQLite store: the rules are engine-independent and
 * covered on both engines by the service tests.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeWithCorpora, linuxCifsMbox } from "../../test/helpers/corpora";
import { createContext, type ServiceContext } from "../services/context";
import { fitTenantStrength } from "../services/strength-fit.service";
import { openStore, type Store } from "../store/store";
import { setUpMailingListTenant } from "./eval-setup.service";
import { runEvaluation } from "./evaluation.service";

describeWithCorpora("linux-cifs as an evaluation corpus", () => {
  let dir = "";
  let store: Store;
  let ctx: ServiceContext;
  let tenantId = "";
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "kith-cifs-eval-"));
    store = await openStore(join(dir, "kith.db"));
    ctx = createContext(store, () => new Date("2021-06-01T00:00:00Z"));
    const report = await setUpMailingListTenant(ctx, linuxCifsMbox);
    tenantId = report.tenantId;
    expect(report).toMatchObject({
      internalDomain: "redhat.com",
      listAddress: "linux-cifs@vger.kernel.org",
      users: 42,
      stored: 1502,
    });
  }, 180_000);
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("fits the strength on windows before the later one, and evaluates every ranker with the list left out", async () => {
    const { fit } = await fitTenantStrength(ctx, tenantId, { asOf: new Date("2020-10-01"), save: true });
    expect(fit.status).toBe("fitted");
    expect(fit.chooseCutOffs.every((c) => c < fit.reportCutOff)).toBe(true);
    expect(fit.choose.targets).toBeGreaterThanOrEqual(30);
    const run = await runEvaluation(ctx, tenantId, {
      splits: [new Date("2020-10-01")],
      horizonDays: 90,
      level: "account",
      excludeDomains: ["vger.kernel.org"],
      resamples: 200,
    });
    expect(run.report.rankers).toEqual(["kith", "kith-untuned", "frequency", "recency", "interactions-rank"]);
    const contested = run.report.metrics.contested;
    expect(run.report.contested).toBeGreaterThan(5);
    expect(contested.kith?.coverage).toBe(1);
    // Paired differences are Kith's (fitted and untuned) against each other ranker only.
    expect(run.report.comparisons.every((c) => c.a === "kith" || c.a === "kith-untuned")).toBe(true);
  }, 120_000);
});
