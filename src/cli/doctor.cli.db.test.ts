import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenantWithUsers } from "../../test/helpers/directory";
import { describeEachEngine, dropSchema, testPostgresUrl } from "../../test/helpers/engines";
import type { DoctorReport } from "../services/doctor.service";
import { grantConsent, setRelationshipIntelligence } from "../services/consent.service";
import { createMigrator, openStore } from "../store/store";
import { asOwner } from "../store/tenant-scope";
import { runCli } from "./program";

async function doctor(url: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    ["doctor", ...args],
    { out: (s) => out.push(s), err: (s) => err.push(s) },
    { KITH_DATABASE_URL: url, KITH_NOW: "2026-06-01T09:00:00Z" },
  );
  return { code, out: out.join("\n"), err: err.join("\n") };
}
const report = (text: string) => JSON.parse(text) as DoctorReport;
const statusOf = (r: DoctorReport, name: string) => r.checks.find((c) => c.name === name)?.status;

/** `kith doctor` on a healthy store of each engine. */
describeEachEngine("kith doctor", (h) => {
  beforeAll(async () => {
    const ctx = h.ctx();
    const tenantId = await createTenantWithUsers(
      ctx,
      { name: "Contoso", slug: "contoso", domain: "contoso.com", admin: "admin@contoso.com" },
      [],
    );
    await grantConsent(ctx, tenantId, "aggregated", "admin@contoso.com");
    await setRelationshipIntelligence(ctx, tenantId, true, "admin@contoso.com");
  });

  it("reports every check and exits 0 when nothing fails; --strict counts the warning", async () => {
    const r = await doctor(h.url(), "--json");
    expect(r.code, r.err).toBe(0);
    const json = report(r.out);
    expect(json.ok).toBe(true);
    expect(json.checks.map((c) => c.name)).toEqual([
      "store",
      "migrations",
      "queue",
      "consent contoso",
      "sync contoso",
      "encryption",
      "disk",
    ]);
    expect(statusOf(json, "store")).toBe("ok");
    expect(statusOf(json, "migrations")).toBe("ok");
    // Relationship intelligence on without the identifiable consent: awaiting it, worth a look.
    expect(json.checks.find((c) => c.name === "consent contoso")).toMatchObject({
      status: "warn",
      details: { granted: ["aggregated"], relationshipIntelligence: "awaiting_consent" },
    });
    expect(statusOf(json, "sync contoso")).toBe("ok");
    const human = await doctor(h.url());
    expect(human.out).toMatch(/^ok {4}store: reachable/m);
    expect(human.out).toMatch(/^WARN {2}consent contoso: consents granted: aggregated/m);
    expect((await doctor(h.url(), "--strict")).code).toBe(1);
  });

  it("fails the disk check below the free-space floor", async () => {
    const r = await doctor(h.url(), "--json", "--min-free", String(1024 ** 5 * 1000));
    expect(r.code).toBe(1);
    expect(statusOf(report(r.out), "disk")).toBe("fail");
  });
});

describe("kith doctor on a store that is behind or unreachable", () => {
  let dir = "";
  let schema = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "kith-doctor-"));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    if (schema) await dropSchema(schema);
  });

  for (const engine of ["sqlite", "postgres"] as const)
    it(`[${engine}] fails the migrations check and names the pending migrations`, async () => {
      let url = join(dir, "behind.db");
      const options: { migrate: false; schema?: string } = { migrate: false };
      if (engine === "postgres") {
        schema = `doc_${randomBytes(5).toString("hex")}`;
        options.schema = schema;
        url = `${testPostgresUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
      }
      const store = await openStore(engine === "postgres" ? testPostgresUrl : url, options);
      await asOwner(async () => (await createMigrator(store.db)).migrateTo("0010-row-level-security"));
      await store.close();
      const r = await doctor(url, "--json");
      expect(r.code).toBe(1);
      const json = report(r.out);
      expect(json.ok).toBe(false);
      expect(json.checks.find((c) => c.name === "migrations")).toMatchObject({
        status: "fail",
        details: { pending: expect.arrayContaining(["0030-forget-requests"]) as unknown },
      });
    });

  it("fails the store check when the store cannot be reached", async () => {
    const r = await doctor("postgres://nobody@127.0.0.1:1/none", "--json");
    expect(r.code).toBe(1);
    const json = report(r.out);
    expect(json.checks[0]).toMatchObject({ name: "store", status: "fail" });
    expect(json.checks.map((c) => c.name)).toEqual(["store", "encryption", "disk"]);
  });
});
