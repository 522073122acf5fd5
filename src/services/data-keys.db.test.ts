/**
 * Live-store encryption (issue 18) through the services, on both engines: a tenant created with keys
 * configured gets a live data key, which a consent withdrawal destroys, for this process and for
 * another one; a tenant that collected data before keys were configured stays readable with stable
 * address keys; `kith doctor` says which is which.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTenantWithUsers, directoryUser } from "../../test/helpers/directory";
import { describeEachEngine } from "../../test/helpers/engines";
import { spawnNode } from "../../test/helpers/node-process";
import { emailRecord } from "../../test/helpers/records";
import { KithError } from "../domain/errors";
import { cipherFor, keyedFormat, readableFormat } from "../store/field-cipher";
import { dataKeysFor, type BackupKeys } from "./backup-keys";
import { grantConsent, setRelationshipIntelligence, withdrawConsent } from "./consent.service";
import type { ServiceContext } from "./context";
import { dataKeyState, ensureDataKey, useDataKeys } from "./data-keys";
import { readableWarning, runDoctor } from "./doctor.service";
import { importRecords } from "./ingest.service";

describeEachEngine("live data keys", (h) => {
  const dir = mkdtempSync(join(tmpdir(), "kith-live-keys-"));
  const keys: BackupKeys = { kek: randomBytes(32), keyStore: join(dir, "keystore.json") };
  const kek = keys.kek.toString("base64");
  let ctx: ServiceContext;
  const tenants = { alpha: "", beta: "", delta: "" };
  const admin = (slug: string) => `admin@${slug}.com`;
  let deltaKeyBefore: Buffer = Buffer.alloc(0);
  let alphaSealedBefore: Buffer = Buffer.alloc(0);

  async function newTenant(slug: string): Promise<string> {
    return createTenantWithUsers(ctx, { name: slug, slug, domain: `${slug}.com`, admin: admin(slug) }, [
      directoryUser(`u1@${slug}.com`),
    ]);
  }

  async function collect(tenantId: string, slug: string): Promise<void> {
    for (const type of ["identifiable", "aggregated"] as const)
      await grantConsent(ctx, tenantId, type, admin(slug));
    await setRelationshipIntelligence(ctx, tenantId, true, admin(slug));
    await importRecords(ctx, tenantId, [
      {
        name: slug,
        records: [
          emailRecord("2026-05-01T10:00:00Z", `u1@${slug}.com`, ["zed@client.test"], { subject: "Terms" }),
        ],
      },
    ]);
  }

  const otherProcess = (sealed: { tenant: string; field: string; hex: string }[]) =>
    spawnNode(["test/helpers/data-key-process.ts"], {
      KITH_DATABASE_URL: h.url(),
      KITH_BACKUP_KEYSTORE: keys.keyStore,
      KITH_BACKUP_KEK: kek,
      SEALED: JSON.stringify(sealed),
    });
  const parse = (line: string) =>
    JSON.parse(line.slice(line.indexOf(" ") + 1)) as { opened: (string | null)[]; states: string[] };

  beforeAll(async () => {
    h.setNow("2026-06-01T09:00:00Z");
    ctx = { ...h.ctx(), backupKeyStore: keys.keyStore };
    // Before keys were configured: Delta collects readable data.
    useDataKeys(null);
    tenants.delta = await newTenant("delta");
    await collect(tenants.delta, "delta");
    deltaKeyBefore = cipherFor(tenants.delta).addressKey("Zed@Client.test");
    // The operator configures the key store; tenants created from now on get live keys.
    useDataKeys(keys);
    for (const slug of ["alpha", "beta"] as const) {
      tenants[slug] = await newTenant(slug);
      expect(await ensureDataKey(ctx, tenants[slug])).toBe("keyed");
      await collect(tenants[slug], slug);
    }
  });
  afterAll(() => {
    useDataKeys(null);
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps a tenant that collected data before keys were configured readable, its address keys stable", async () => {
    expect(await ensureDataKey(ctx, tenants.delta)).toBe("readable");
    // A backup gives Delta a backup key; the live store still does not switch under its rows.
    await dataKeysFor(keys, [tenants.delta], ctx.now());
    expect(await ensureDataKey(ctx, tenants.delta)).toBe("readable");
    expect(cipherFor(tenants.delta).addressKey("zed@client.test")).toEqual(deltaKeyBefore);
    expect(cipherFor(tenants.delta).seal("subject", "x")[0]).toBe(readableFormat);
    // A keyed tenant keeps its key once it has data.
    expect(await ensureDataKey(ctx, tenants.alpha)).toBe("keyed");
    expect(cipherFor(tenants.alpha).seal("subject", "x")[0]).toBe(keyedFormat);
  });

  it("destroys the tenant's key on withdrawal: nothing sealed before opens, here or in another process; others unaffected", async () => {
    const sealed = {
      alpha: cipherFor(tenants.alpha).seal("subject", "Alpha merger terms"),
      beta: cipherFor(tenants.beta).seal("subject", "Beta renewal"),
    };
    alphaSealedBefore = sealed.alpha;
    const toOpen = [
      { tenant: tenants.alpha, field: "subject", hex: sealed.alpha.toString("hex") },
      { tenant: tenants.beta, field: "subject", hex: sealed.beta.toString("hex") },
    ];
    const running = otherProcess(toOpen);
    try {
      expect(parse(await running.line("before "))).toEqual({
        opened: ["Alpha merger terms", "Beta renewal"],
        states: ["keyed", "keyed"],
      });
      h.setNow("2026-06-03T09:00:00Z");
      await withdrawConsent(ctx, tenants.alpha, "identifiable", admin("alpha"));
      expect(dataKeyState(tenants.alpha)).toBe("keyed");
      await withdrawConsent(ctx, tenants.alpha, "aggregated", admin("alpha"));

      expect(dataKeyState(tenants.alpha)).toBe("destroyed");
      expect(cipherFor(tenants.alpha).open("subject", sealed.alpha)).toBeNull();
      expect(() => cipherFor(tenants.alpha).seal("subject", "more")).toThrow(KithError);
      expect(() => cipherFor(tenants.alpha).addressKey("zed@client.test")).toThrow(/data key was destroyed/);
      expect(cipherFor(tenants.beta).open("subject", sealed.beta)).toBe("Beta renewal");
      const file = JSON.parse(readFileSync(keys.keyStore, "utf8")) as { keys: { tenantId: string }[] };
      expect(file.keys.some((k) => k.tenantId === tenants.alpha)).toBe(false);

      // The process that was running before the withdrawal sees it at its next cipherFor.
      running.send("go");
      expect(parse(await running.line("after "))).toEqual({
        opened: [null, "Beta renewal"],
        states: ["destroyed", "keyed"],
      });
    } finally {
      running.kill();
    }
    // A process started afterwards too.
    const fresh = otherProcess(toOpen);
    try {
      expect(parse(await fresh.line("before "))).toEqual({
        opened: [null, "Beta renewal"],
        states: ["destroyed", "keyed"],
      });
    } finally {
      fresh.kill();
    }
  });

  it("gives the emptied tenant a new key when consent is granted again; the old rows stay shut", async () => {
    const before = cipherFor(tenants.alpha);
    expect(await ensureDataKey(ctx, tenants.alpha)).toBe("keyed");
    await grantConsent(ctx, tenants.alpha, "identifiable", admin("alpha"));
    const again = before.seal("subject", "After re-consent");
    expect(again[0]).toBe(keyedFormat);
    expect(cipherFor(tenants.alpha).open("subject", again)).toBe("After re-consent");
    expect(cipherFor(tenants.alpha).open("subject", alphaSealedBefore)).toBeNull();
  });

  it("kith doctor says whether collected data is sealed, and which tenants are readable", async () => {
    const options = { databaseUrl: h.url(), now: ctx.now, syncIntervalMs: 60_000 };
    const sealedReport = await runDoctor({
      ...options,
      backup: { keyStore: keys.keyStore, kek: { text: kek } },
    });
    expect(sealedReport.checks.find((c) => c.name === "encryption")).toMatchObject({
      status: "warn",
      message: expect.stringMatching(/stored readable .*: delta$/) as unknown,
      details: {
        sealed: true,
        keyed: expect.arrayContaining(["alpha", "beta"]) as unknown,
        readable: ["delta"],
      },
    });
    const readableReport = await runDoctor({ ...options, backup: { keyStore: null, kek: null } });
    expect(readableReport.checks.find((c) => c.name === "encryption")).toMatchObject({
      status: "warn",
      message: readableWarning,
    });
    const noKek = await runDoctor({ ...options, backup: { keyStore: keys.keyStore, kek: null } });
    expect(noKek.checks.find((c) => c.name === "encryption")).toMatchObject({
      status: "fail",
      message: expect.stringMatching(/sealed collected data .* but no KEK is configured/) as unknown,
    });
    const wrongKek = await runDoctor({
      ...options,
      backup: { keyStore: keys.keyStore, kek: { text: randomBytes(32).toString("base64") } },
    });
    expect(wrongKek.checks.find((c) => c.name === "encryption")).toMatchObject({
      status: "fail",
      message: expect.stringMatching(/does not open key store/) as unknown,
    });
  });
});
