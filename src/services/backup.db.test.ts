/**
 * Backups that forget (issue 18): a backup made before a tenant withdrew consent, restored after,
 * yields none of that tenant's collected data, nor a user's who opted out since; the other tenant
 * comes back whole, its insight answers unchanged. Keys and files are checked before anything is
 * written.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { collectedRows } from "../../test/helpers/collected-rows";
import { createTenantWithUsers, directoryUser } from "../../test/helpers/directory";
import { describeEachEngine, dropSchema, inspect, testPostgresUrl } from "../../test/helpers/engines";
import { emailRecord } from "../../test/helpers/records";
import { backupTables } from "../store/backup-tables";
import { describeStore } from "../store/backup.repository";
import { openStore, type Store } from "../store/store";
import { verifyAuditChain } from "./audit.service";
import { resolveBackupKeys, type BackupKeys } from "./backup-keys";
import { createBackup, prepareRestore, restoreBackup } from "./backup.service";
import {
  grantConsent,
  readConsent,
  readMyPrivacy,
  setDataSharing,
  setRelationshipIntelligence,
  withdrawConsent,
} from "./consent.service";
import { createContext, type ServiceContext } from "./context";
import { importRecords } from "./ingest.service";
import { setCaptureLevel } from "./ri-settings.service";
import { whoKnowsWhom } from "./who-knows-whom.service";

const alphaAdmin = "admin@alpha.com";
const betaAdmin = "admin@beta.com";
const betaOptOut = "bo@beta.com";
/** What tenant Alpha collected: none of it may come back once Alpha has withdrawn. */
const alphaSecrets = [
  "zed.quimby@alpha-client.test",
  "Zed Quimby",
  "Alpha merger terms",
  "yolanda@alpha-client.test",
];
/** What only Beta's opted-out user brought in. */
const optOutSecrets = ["vera@beta-private.test", "Vera Onlyb", "Bo private note"];
const carol = "carol@beta-client.test";

describeEachEngine("backup and restore", (h) => {
  const dir = mkdtempSync(join(tmpdir(), "kith-backup-"));
  const keys: BackupKeys = { kek: randomBytes(32), keyStore: join(dir, "keystore.json") };
  const file = join(dir, "before-withdrawal.kithbak");
  let ctx: ServiceContext;
  let alpha = "";
  let beta = "";
  let betaAnswer = "";
  const targets: { store: Store; schema?: string }[] = [];

  /** A fresh, migrated store of this engine to restore into. */
  async function freshStore(): Promise<Store> {
    if (h.engine === "sqlite") {
      const store = await openStore(join(dir, `restored-${targets.length}.db`));
      targets.push({ store });
      return store;
    }
    const schema = `t_${randomBytes(6).toString("hex")}`;
    const store = await openStore(testPostgresUrl, { schema });
    targets.push({ store, schema });
    return store;
  }

  /** Every row of every table of `store`, as text (strength states as hex). */
  async function everything(store: Store): Promise<string> {
    const { tables } = await describeStore(store);
    const parts: string[] = [];
    for (const table of tables) {
      const rows = await inspect(() =>
        store.db
          .selectFrom(table as "interaction")
          .selectAll()
          .execute(),
      );
      parts.push(
        table,
        JSON.stringify(rows, (_k, v: unknown) =>
          v instanceof Uint8Array ? Buffer.from(v).toString("latin1") : v,
        ),
      );
    }
    return parts.join("\n");
  }

  const interactionsOf = async (store: Store, tenantId: string) =>
    (await collectedRows(store, tenantId)).interactions
      .map((r) => JSON.stringify({ id: r.id, subject: r.subject, participants: r.participants }))
      .sort();

  beforeAll(async () => {
    h.setNow("2026-06-01T09:00:00Z");
    ctx = { ...h.ctx(), backupKeyStore: keys.keyStore };
    alpha = await createTenantWithUsers(
      ctx,
      { name: "Alpha", slug: "alpha", domain: "alpha.com", admin: alphaAdmin },
      [directoryUser("a1@alpha.com"), directoryUser("a2@alpha.com")],
    );
    beta = await createTenantWithUsers(
      ctx,
      { name: "Beta", slug: "beta", domain: "beta.com", admin: betaAdmin },
      [directoryUser("b1@beta.com"), directoryUser("b2@beta.com"), directoryUser(betaOptOut)],
    );
    for (const [tenant, admin] of [
      [alpha, alphaAdmin],
      [beta, betaAdmin],
    ] as const) {
      for (const t of ["identifiable", "aggregated"] as const) await grantConsent(ctx, tenant, t, admin);
      await setRelationshipIntelligence(ctx, tenant, true, admin);
      await setCaptureLevel(ctx, tenant, "subject", admin);
    }
    const mail = (at: string, from: string, to: string, subject: string, name?: string) =>
      emailRecord(at, from, [to], { subject, from: name ? { address: from, name } : { address: from } });
    await importRecords(ctx, alpha, [
      {
        name: "alpha",
        records: [
          mail(
            "2026-05-01T10:00:00Z",
            "zed.quimby@alpha-client.test",
            "a1@alpha.com",
            "Alpha merger terms",
            "Zed Quimby",
          ),
          mail(
            "2026-05-02T10:00:00Z",
            "a1@alpha.com",
            "zed.quimby@alpha-client.test",
            "Re: Alpha merger terms",
          ),
          mail(
            "2026-05-03T10:00:00Z",
            "a2@alpha.com",
            "yolanda@alpha-client.test",
            "Alpha merger terms, part 2",
          ),
        ],
      },
    ]);
    await importRecords(ctx, beta, [
      {
        name: "beta",
        records: [
          mail("2026-05-01T10:00:00Z", "b1@beta.com", carol, "Beta renewal"),
          mail("2026-05-02T10:00:00Z", carol, "b1@beta.com", "Re: Beta renewal", "Carol Client"),
          mail("2026-05-03T10:00:00Z", "b2@beta.com", carol, "Beta renewal pricing"),
          mail("2026-05-04T10:00:00Z", "vera@beta-private.test", betaOptOut, "Bo private note", "Vera Onlyb"),
        ],
      },
    ]);
    h.setNow("2026-06-02T02:00:00Z");
    await createBackup(ctx, file, keys);
    // After the backup: Alpha withdraws its collection consent; one of Beta's users opts out.
    h.setNow("2026-06-03T09:00:00Z");
    await withdrawConsent(ctx, alpha, "identifiable", alphaAdmin);
    await withdrawConsent(ctx, alpha, "aggregated", alphaAdmin);
    await setDataSharing(ctx, beta, betaOptOut, false);
    betaAnswer = JSON.stringify(await whoKnowsWhom(ctx, beta, carol, null));
  });

  afterAll(async () => {
    for (const t of targets) {
      await t.store.close();
      if (t.schema) await dropSchema(t.schema);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it("lists every table of the store, and seals the collected ones", async () => {
    const { tables } = await describeStore(h.store());
    expect(backupTables.map((t) => t.table).sort()).toEqual([...tables].sort());
    const bytes = readFileSync(file).toString("latin1");
    // Before the withdrawal, every tenant's collected data was in the file, but never in clear.
    for (const secret of [...alphaSecrets, ...optOutSecrets, carol, "Beta renewal"])
      expect(bytes, secret).not.toContain(secret);
    // Configuration is written in clear: the tenants and their directories are there.
    expect(bytes).toContain("b1@beta.com");
  });

  it("restores the old backup with nothing of the withdrawn tenant's or the opted-out user's collected data", async () => {
    const target = await freshStore();
    const restoredCtx = createContext(target, ctx.now);
    const summary = await restoreBackup(restoredCtx, prepareRestore(file, keys));
    expect(summary.withoutCollectedData).toEqual([alpha]);
    expect(summary.restored).toEqual([beta]);
    expect(summary.optOutsReapplied).toBe(1);

    const text = await everything(target);
    for (const secret of [...alphaSecrets, ...optOutSecrets]) expect(text, secret).not.toContain(secret);
    expect(await interactionsOf(target, alpha)).toEqual([]);

    // Beta is back whole: the same interactions as the live store, the same who-knows-whom answer.
    expect(await interactionsOf(target, beta)).toEqual(await interactionsOf(h.store(), beta));
    expect((await interactionsOf(target, beta)).length).toBe(3);
    expect(JSON.stringify(await whoKnowsWhom(restoredCtx, beta, carol, null))).toBe(betaAnswer);

    // Alpha keeps its configuration and the record of its withdrawal; its chain still verifies.
    const consent = await readConsent(restoredCtx, alpha);
    expect(consent.consents.identifiable.granted).toBe(false);
    expect(consent.consents.aggregated.granted).toBe(false);
    for (const tenant of [alpha, beta]) expect((await verifyAuditChain(restoredCtx, tenant)).ok).toBe(true);
    // A store restored this way takes new rows (identity sequences moved past the restored keys).
    await importRecords(restoredCtx, beta, [
      { name: "after", records: [emailRecord("2026-06-02T12:00:00Z", "b1@beta.com", [carol])] },
    ]);
    expect((await interactionsOf(target, beta)).length).toBe(4);
  });

  it("restores a backup made after the withdrawal whole, under the tenant's new key", async () => {
    const later = join(dir, "after-withdrawal.kithbak");
    await createBackup(ctx, later, keys);
    const target = await freshStore();
    const summary = await restoreBackup(createContext(target, ctx.now), prepareRestore(later, keys));
    expect(summary.withoutCollectedData).toEqual([]);
    expect(summary.optOutsReapplied).toBe(0);
    for (const tenant of [alpha, beta])
      expect(await interactionsOf(target, tenant)).toEqual(await interactionsOf(h.store(), tenant));
  });

  it("destroys the key of a withdrawal made by a process without a key store at the next backup", async () => {
    h.setNow("2026-06-04T09:00:00Z");
    const gammaAdmin = "admin@gamma.com";
    const gamma = await createTenantWithUsers(
      ctx,
      { name: "Gamma", slug: "gamma", domain: "gamma.com", admin: gammaAdmin },
      [directoryUser("g1@gamma.com")],
    );
    await grantConsent(ctx, gamma, "identifiable", gammaAdmin);
    await setRelationshipIntelligence(ctx, gamma, true, gammaAdmin);
    await importRecords(ctx, gamma, [
      {
        name: "gamma",
        records: [emailRecord("2026-06-01T10:00:00Z", "g1@gamma.com", ["xavier@gamma-client.test"])],
      },
    ]);
    const withGamma = join(dir, "with-gamma.kithbak");
    await createBackup(ctx, withGamma, keys);
    // A server started without KITH_BACKUP_KEYSTORE: the key store never hears of this withdrawal.
    h.setNow("2026-06-05T09:00:00Z");
    await withdrawConsent({ ...ctx, backupKeyStore: null }, gamma, "identifiable", gammaAdmin);
    expect(prepareRestore(withGamma, keys).dataKeys.size).toBe(3);
    // The next backup reads the tenant's deletion receipt and destroys the older key.
    await createBackup(ctx, join(dir, "after-gamma.kithbak"), keys);
    const target = await freshStore();
    const summary = await restoreBackup(createContext(target, ctx.now), prepareRestore(withGamma, keys));
    // Alpha withdrew before this backup: it has a new key, over no collected data.
    expect(summary.withoutCollectedData).toEqual([gamma]);
    expect(await everything(target)).not.toContain("xavier@gamma-client.test");
  });

  it("keeps an opt-out's deletion when the user turned sharing on again, collecting from that moment", async () => {
    h.setNow("2026-06-06T09:00:00Z");
    await setDataSharing(ctx, beta, betaOptOut, true);
    const target = await freshStore();
    const restoredCtx = createContext(target, ctx.now);
    await restoreBackup(restoredCtx, prepareRestore(file, keys));
    const text = await everything(target);
    for (const secret of optOutSecrets) expect(text, secret).not.toContain(secret);
    const view = await readMyPrivacy(restoredCtx, beta, betaOptOut);
    expect(view.privacy.sharing).toBe("on");
    expect(view.privacy.collectFrom?.toISOString()).toBe("2026-06-06T09:00:00.000Z");
  });

  it("refuses a wrong or missing key-encryption key before writing anything", async () => {
    const keyStoreBefore = readFileSync(keys.keyStore);
    expect(() => prepareRestore(file, { ...keys, kek: randomBytes(32) })).toThrow(
      /key-encryption key does not open key store/,
    );
    expect(() => resolveBackupKeys({ keyStore: keys.keyStore, kek: null })).toThrow(/KITH_BACKUP_KEK/);
    expect(() => resolveBackupKeys({ keyStore: keys.keyStore, kek: { text: "too-short" } })).toThrow(
      /32 bytes/,
    );
    await expect(
      createBackup(ctx, join(dir, "wrong.kithbak"), { ...keys, kek: randomBytes(32) }),
    ).rejects.toThrow(/does not open key store/);
    expect(readFileSync(keys.keyStore).equals(keyStoreBefore)).toBe(true);
    expect(() => readFileSync(join(dir, "wrong.kithbak"))).toThrow();
    expect(() => readFileSync(join(dir, "wrong.kithbak.partial"))).toThrow();
  });

  it("rejects a corrupted backup file, naming the reason, and refuses a store that is not fresh", async () => {
    const bytes = readFileSync(file);
    const flipped = join(dir, "flipped.kithbak");
    const copy = Buffer.from(bytes);
    copy[Math.floor(copy.length / 2)]! ^= 0x40;
    writeFileSync(flipped, copy);
    expect(() => prepareRestore(flipped, keys)).toThrow(/checksum|not valid JSON|says \d+ bytes follow/);
    const cut = join(dir, "cut.kithbak");
    writeFileSync(cut, bytes);
    truncateSync(cut, bytes.length - 40);
    expect(() => prepareRestore(cut, keys)).toThrow(/truncated/);
    const other = join(dir, "other.kithbak");
    writeFileSync(other, "SQLite format 3\u0000 not a backup");
    expect(() => prepareRestore(other, keys)).toThrow(/magic bytes/);
    // A store that holds rows is never restored into.
    await expect(restoreBackup(ctx, prepareRestore(file, keys))).rejects.toThrow(/fresh store/);
  });
});
