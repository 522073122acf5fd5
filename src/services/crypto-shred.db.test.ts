/**
 * Crypto-shredding of the live store (issue 18): with a key store and KEK configured, a tenant's
 * collected addresses, names and subjects are stored sealed under its data key, and a copy of the
 * store taken before a withdrawal (a file-system snapshot, a replica, a dump made by tools other
 * than `kith backup`) yields none of them afterwards: the withdrawal destroyed the key. The other
 * tenant's copy still opens. Both engines; on SQLite the copy is the database file itself.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import { collectedRows } from "../../test/helpers/collected-rows";
import { createTenantWithUsers, directoryUser } from "../../test/helpers/directory";
import { describeEachEngine, inspect } from "../../test/helpers/engines";
import { emailRecord } from "../../test/helpers/records";
import { tenantNum } from "../store/collected-keys";
import { cipherFor } from "../store/field-cipher";
import type { BackupKeys } from "./backup-keys";
import { grantConsent, setRelationshipIntelligence, withdrawConsent } from "./consent.service";
import type { ServiceContext } from "./context";
import { dataKeyState, useDataKeys } from "./data-keys";
import { importRecords } from "./ingest.service";
import { setCaptureLevel } from "./ri-settings.service";

/** A sealed column of the store, as an attacker's copy holds it. */
interface SealedCell {
  table: string;
  field: "address" | "name" | "subject";
  bytes: Buffer;
}

const sealedColumns = [
  { table: "address_book", column: "sealed", field: "address" },
  { table: "person", column: "name", field: "name" },
  { table: "interaction", column: "subject", field: "subject" },
] as const;

describeEachEngine("crypto-shredding of the live store", (h) => {
  const dir = mkdtempSync(join(tmpdir(), "kith-shred-"));
  const keys: BackupKeys = { kek: randomBytes(32), keyStore: join(dir, "keystore.json") };
  let ctx: ServiceContext;
  const tenants = { alpha: "", beta: "" };
  /** What each tenant's mail said in clear: external addresses, display names, subjects. */
  const clear = (slug: string) => ({
    addresses: [`cfo.${slug}@client-${slug}.test`, `buyer.${slug}@client-${slug}.test`],
    names: [`Rosalind ${slug} Quartermaine`],
    subjects: [`Renewal terms for ${slug} quarter`],
  });
  const copies = new Map<string, SealedCell[]>();
  let fileBefore: Buffer | null = null;

  async function sealedCells(tenantId: string): Promise<SealedCell[]> {
    const num = await inspect(() => tenantNum(h.store().db, tenantId));
    const out: SealedCell[] = [];
    for (const c of sealedColumns) {
      const { rows } = await inspect(() =>
        sql<{ v: Uint8Array | null }>`select ${sql.ref(c.column)} as v from ${sql.table(c.table)}
          where tenant_num = ${num}`.execute(h.store().db),
      );
      for (const r of rows)
        if (r.v !== null) out.push({ table: c.table, field: c.field, bytes: Buffer.from(r.v) });
    }
    return out;
  }

  beforeAll(async () => {
    h.setNow("2026-06-01T09:00:00Z");
    useDataKeys(keys);
    ctx = { ...h.ctx(), backupKeyStore: keys.keyStore };
    for (const slug of ["alpha", "beta"] as const) {
      const admin = `admin@${slug}.com`;
      const seller = `seller@${slug}.com`;
      const tenantId = await createTenantWithUsers(ctx, { name: slug, slug, domain: `${slug}.com`, admin }, [
        directoryUser(seller),
      ]);
      tenants[slug] = tenantId;
      expect(dataKeyState(tenantId)).toBe("keyed");
      for (const type of ["identifiable", "aggregated"] as const)
        await grantConsent(ctx, tenantId, type, admin);
      await setRelationshipIntelligence(ctx, tenantId, true, admin);
      await setCaptureLevel(ctx, tenantId, "subject", admin);
      const c = clear(slug);
      const summary = await importRecords(ctx, tenantId, [
        {
          name: slug,
          records: [
            emailRecord("2026-05-01T10:00:00Z", seller, [c.addresses[0]!], { subject: c.subjects[0]! }),
            emailRecord("2026-05-02T10:00:00Z", c.addresses[0]!, [seller, c.addresses[1]!], {
              from: { address: c.addresses[0]!, name: c.names[0]! },
              subject: `RE: ${c.subjects[0]!}`,
            }),
          ],
        },
      ]);
      expect(summary.stored).toBe(2);
    }
    for (const slug of ["alpha", "beta"] as const) copies.set(slug, await sealedCells(tenants[slug]));
    if (h.engine === "sqlite") {
      await sql`pragma wal_checkpoint(truncate)`.execute(h.store().db);
      fileBefore = readFileSync(h.store().sqlitePath!);
    }
    await withdrawConsent(ctx, tenants.alpha, "identifiable", "admin@alpha.com");
    await withdrawConsent(ctx, tenants.alpha, "aggregated", "admin@alpha.com");
  });

  afterAll(() => {
    useDataKeys(null);
    rmSync(dir, { recursive: true, force: true });
  });

  it("stores addresses, names and subjects only sealed: the raw rows and the file hold none in clear", () => {
    for (const slug of ["alpha", "beta"] as const) {
      const cells = copies.get(slug)!;
      // The copy covers every sealed kind (not an empty scan): addresses, the name, the subjects.
      expect(new Set(cells.map((c) => c.field))).toEqual(new Set(["address", "name", "subject"]));
      const c = clear(slug);
      for (const text of [...c.addresses, ...c.names, ...c.subjects])
        for (const cell of cells)
          expect(cell.bytes.includes(Buffer.from(text)), `${cell.table}: ${text}`).toBe(false);
      if (fileBefore)
        for (const text of [...c.addresses, ...c.names, ...c.subjects])
          expect(fileBefore.includes(Buffer.from(text)), `database file: ${text}`).toBe(false);
    }
  });

  it("a copy taken before the withdrawal opens nothing of the withdrawn tenant, and the other tenant whole", async () => {
    expect(dataKeyState(tenants.alpha)).toBe("destroyed");
    const alpha = cipherFor(tenants.alpha);
    const alphaCells = copies.get("alpha")!;
    expect(alphaCells.length).toBeGreaterThanOrEqual(5);
    for (const cell of alphaCells) expect(alpha.open(cell.field, cell.bytes), cell.table).toBeNull();
    // No keyed hash can be computed to look an address up in the copy's indexes either.
    expect(() => alpha.addressKey(clear("alpha").addresses[0]!)).toThrow();

    const beta = cipherFor(tenants.beta);
    const opened = copies.get("beta")!.map((cell) => beta.open(cell.field, cell.bytes));
    expect(opened).not.toContain(null);
    const c = clear("beta");
    expect(opened).toEqual(expect.arrayContaining([...c.addresses, ...c.names, c.subjects[0]!]));
    // And the live store itself: Alpha's rows are gone, Beta's read back in clear.
    expect((await collectedRows(h.store(), tenants.alpha)).interactions).toHaveLength(0);
    const betaRows = await collectedRows(h.store(), tenants.beta);
    expect(betaRows.persons.map((p) => p.address).sort()).toEqual([...c.addresses].sort());
    expect(betaRows.interactions.map((i) => i.subject)).toContain(c.subjects[0]);
  });
});
