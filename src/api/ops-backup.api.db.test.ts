/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- response bodies are JSON checked by value with expect() */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachEngine, dropSchema, inspect, testPostgresUrl } from "../../test/helpers/engines";
import { runCli } from "../cli/program";
import { prepareRestore, restoreBackup } from "../services/backup.service";
import { resolveBackupKeys } from "../services/backup-keys";
import { createContext } from "../services/context";
import type { DoctorReport } from "../services/doctor.service";
import { openStore, type Store } from "../store/store";
import { createTenantFixture, errorCode, operatorToken, testConfig, type App } from "./api.fixture";
import { buildApp } from "./app";

/**
 * `kith doctor` and `kith backup` over the operator API (issue 18): the same service, the same
 * report, the same keys; a backup made over HTTP restores with `kith restore`'s service.
 */

const asOperator = { authorization: `Bearer ${operatorToken}` };
const kek = randomBytes(32).toString("base64");

/** A doctor report with what moves between two runs (the clock, the disk's free bytes) set aside. */
function stable(report: DoctorReport) {
  return {
    ok: report.ok,
    checks: report.checks.map((c) =>
      c.name === "disk" ? { name: c.name, status: c.status, path: c.details?.path } : c,
    ),
  };
}

describeEachEngine("operator API: doctor and backups", (h) => {
  const dir = mkdtempSync(join(tmpdir(), "kith-opsapi-"));
  const backups = join(dir, "backups");
  const keyStore = join(dir, "keystore.json");
  const apps: App[] = [];
  let app: App;
  let noKek: App;
  let noDir: App;
  let alphaAdmin = "";
  const restored: { store: Store; schema?: string }[] = [];

  beforeAll(async () => {
    h.setNow("2026-06-01T09:00:00Z");
    const ctx = { ...h.ctx(), backupKeyStore: keyStore };
    const alpha = await createTenantFixture(ctx, "alpha");
    await createTenantFixture(ctx, "beta");
    alphaAdmin = alpha.admin.token;
    mkdirSync(backups);
    const base = { KITH_DATABASE_URL: h.url(), KITH_BACKUP_KEYSTORE: keyStore };
    const build = async (env: NodeJS.ProcessEnv) => {
      const built = await buildApp({ ctx, config: testConfig({ ...base, ...env }) });
      apps.push(built);
      return built;
    };
    app = await build({ KITH_BACKUP_DIR: backups, KITH_BACKUP_KEK: kek });
    noKek = await build({ KITH_BACKUP_DIR: backups });
    noDir = await build({ KITH_BACKUP_KEK: kek });
  });
  afterAll(async () => {
    for (const a of apps) await a.close();
    for (const t of restored) {
      await t.store.close();
      if (t.schema) await dropSchema(t.schema);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  describe("access", () => {
    const routes = [
      { method: "GET", url: "/api/doctor" },
      { method: "POST", url: "/api/backups" },
      { method: "GET", url: "/api/backups" },
    ] as const;
    it("answers only the operator token: 401 without a credential, 403 for a tenant's administrator", async () => {
      for (const route of routes) {
        const anonymous = await app.inject({ ...route });
        expect(anonymous.statusCode, `${route.method} ${route.url}`).toBe(401);
        const wrongToken = await app.inject({ ...route, headers: { authorization: "Bearer not-the-token" } });
        expect(wrongToken.statusCode, `${route.method} ${route.url}`).toBe(401);
        const admin = await app.inject({ ...route, headers: { authorization: `Bearer ${alphaAdmin}` } });
        expect(admin.statusCode, `${route.method} ${route.url}`).toBe(403);
      }
      expect(readdirSync(backups)).toEqual([]);
    });
  });

  it("documents the routes in OpenAPI: doctor's 503 report, restore staying in the CLI", async () => {
    const doc = (await app.inject({ method: "GET", url: "/openapi.json" })).json();
    const doctor = doc.paths["/api/doctor"].get;
    expect(Object.keys(doctor.responses as object)).toEqual(expect.arrayContaining(["200", "503"]));
    expect(JSON.stringify(doctor.responses["503"])).toContain("checks");
    expect(doc.paths["/api/backups"].post.description).toMatch(/Restore is CLI-only: `kith restore FILE`/);
    expect(doc.paths["/api/backups"].get).toBeDefined();
  });

  describe("GET /api/doctor", () => {
    it("answers the report of `kith doctor --json`, with 200 when nothing fails", async () => {
      const res = await app.inject({ method: "GET", url: "/api/doctor", headers: asOperator });
      expect(res.statusCode).toBe(200);
      const api = res.json<DoctorReport>();
      const out: string[] = [];
      const code = await runCli(
        ["doctor", "--json"],
        { out: (s) => out.push(s), err: () => undefined },
        { KITH_DATABASE_URL: h.url(), KITH_NOW: "2026-06-01T09:00:00Z" },
      );
      expect(code).toBe(0);
      const cli = JSON.parse(out.join("\n")) as DoctorReport;
      expect(api.checks.map((c) => c.name)).toEqual([
        "store",
        "migrations",
        "queue",
        "consent alpha",
        "sync alpha",
        "consent beta",
        "sync beta",
        "encryption",
        "disk",
      ]);
      expect(stable(api)).toEqual(stable(cli));
      expect(api.at).toBe("2026-06-01T09:00:00.000Z");
    });

    it("answers 503 with the same report when a check fails", async () => {
      const res = await app.inject({
        method: "GET",
        url: `/api/doctor?minFree=${1024 ** 5 * 1000}`,
        headers: asOperator,
      });
      expect(res.statusCode).toBe(503);
      const report = res.json<DoctorReport>();
      expect(report.ok).toBe(false);
      expect(report.checks.find((c) => c.name === "disk")).toMatchObject({
        status: "fail",
        details: { freeBytes: expect.any(Number) },
      });
      expect(report.checks.find((c) => c.name === "store")?.status).toBe("ok");
    });
  });

  describe("backups", () => {
    it("refuses with 409 naming the missing setting, writing nothing, never echoing the key", async () => {
      const missingKek = await noKek.inject({ method: "POST", url: "/api/backups", headers: asOperator });
      expect(missingKek.statusCode).toBe(409);
      expect(errorCode(missingKek)).toBe("conflict");
      expect(missingKek.json().error.message).toMatch(/KITH_BACKUP_KEK or KITH_BACKUP_KEK_FILE/);
      expect(readdirSync(backups)).toEqual([]);

      const missingDir = await noDir.inject({ method: "POST", url: "/api/backups", headers: asOperator });
      expect(missingDir.statusCode).toBe(409);
      expect(missingDir.json().error.message).toMatch(/KITH_BACKUP_DIR/);
      expect(missingDir.body).not.toContain(kek);
      const listNoDir = await noDir.inject({ method: "GET", url: "/api/backups", headers: asOperator });
      expect(listNoDir.statusCode).toBe(409);
      expect(listNoDir.json().error.message).toMatch(/KITH_BACKUP_DIR/);

      const badKek = await buildApp({
        ctx: h.ctx(),
        config: testConfig({
          KITH_DATABASE_URL: h.url(),
          KITH_BACKUP_DIR: backups,
          KITH_BACKUP_KEYSTORE: keyStore,
          KITH_BACKUP_KEK: "not-a-key-but-a-secret-anyway",
        }),
      });
      apps.push(badKek);
      const bad = await badKek.inject({ method: "POST", url: "/api/backups", headers: asOperator });
      expect(bad.statusCode).toBe(409);
      expect(bad.json().error.message).toMatch(/KITH_BACKUP_KEK: .*32 bytes/);
      expect(bad.body).not.toContain("not-a-key-but-a-secret-anyway");
      expect(readdirSync(backups)).toEqual([]);
    });

    it("writes a backup into KITH_BACKUP_DIR, lists it, and it restores with the same tenants", async () => {
      const res = await app.inject({ method: "POST", url: "/api/backups", headers: asOperator });
      expect(res.statusCode, res.body).toBe(201);
      const summary = res.json();
      expect(summary).toMatchObject({
        name: expect.stringMatching(/^kith-20260601T090000Z-[0-9a-f]{6}\.kithbak$/),
        backupId: expect.any(String),
        createdAt: "2026-06-01T09:00:00.000Z",
        tenants: 2,
        rows: expect.objectContaining({ tenant: 2 }),
      });
      expect(res.body).not.toContain(kek);
      expect(res.body).not.toContain(backups);
      const file = join(backups, summary.name as string);
      expect(summary.bytes).toBe(statSync(file).size);
      expect(readdirSync(backups)).toEqual([summary.name]);

      const second = await app.inject({ method: "POST", url: "/api/backups", headers: asOperator });
      expect(second.statusCode).toBe(201);
      const list = await app.inject({ method: "GET", url: "/api/backups", headers: asOperator });
      expect(list.statusCode).toBe(200);
      const listed = list.json().backups as { name: string; bytes: number; createdAt: string }[];
      expect(listed.map((b) => b.name).sort()).toEqual([summary.name, second.json().name].sort());
      expect(listed.find((b) => b.name === summary.name)).toMatchObject({
        bytes: summary.bytes,
        createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      });

      // Restored with `kith restore`'s service, into a fresh store of this engine.
      let target: Store;
      if (h.engine === "sqlite") {
        target = await openStore(join(dir, "restored.db"));
        restored.push({ store: target });
      } else {
        const schema = `t_${randomBytes(6).toString("hex")}`;
        target = await openStore(testPostgresUrl, { schema });
        restored.push({ store: target, schema });
      }
      const keys = resolveBackupKeys({ keyStore, kek: { text: kek } });
      const outcome = await restoreBackup(createContext(target, h.ctx().now), prepareRestore(file, keys));
      expect(outcome.backupId).toBe(summary.backupId);
      const tenantsOf = (store: Store) =>
        inspect(() => store.db.selectFrom("tenant").select(["id", "slug", "name"]).orderBy("id").execute());
      const original = await tenantsOf(h.store());
      expect(original.map((t) => t.slug).sort()).toEqual(["alpha", "beta"]);
      expect(await tenantsOf(target)).toEqual(original);
      expect([...outcome.restored].sort()).toEqual(original.map((t) => t.id).sort());
    });
  });
});
