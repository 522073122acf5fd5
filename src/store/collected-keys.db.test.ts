/**
 * The address book finds an address by its 64-bit keyed hash. Two addresses under one hash (a
 * collision, forced here by a cipher whose hash of two addresses is the same) must stay two
 * people on both writers — met in one batch or in two, stored first or second — and a reader
 * asking for either finds its own rows.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { collectedRows } from "../../test/helpers/collected-rows";
import { createTenantWithUsers, directoryUser } from "../../test/helpers/directory";
import { describeEachEngine } from "../../test/helpers/engines";
import { emailRecord } from "../../test/helpers/records";
import { grantConsent, withdrawConsent } from "../services/consent.service";
import { importRecords } from "../services/ingest.service";
import { addressNumsOf, addressesOf, ensureAddressNums, packParties, unpackParties } from "./collected-keys";
import { readableCipher, setCipherSource } from "./field-cipher";

const twins = ["twin.a@fabrikam.com", "twin.b@fabrikam.com", "twin.c@fabrikam.com", "twin.d@fabrikam.com"];
const sameKey = Buffer.from("0101010101010101", "hex");

describeEachEngine("address book key collisions", (h) => {
  let tenantId = "";
  const seller = "seller@contoso.com";

  beforeAll(async () => {
    setCipherSource((tenant) => {
      const readable = readableCipher(tenant);
      return { ...readable, addressKey: (a) => (twins.includes(a) ? sameKey : readable.addressKey(a)) };
    });
    h.setNow("2026-06-01T00:00:00Z");
    const ctx = h.ctx();
    tenantId = await createTenantWithUsers(
      ctx,
      { name: "Contoso", slug: "contoso", domain: "contoso.com", admin: "admin@contoso.com" },
      [directoryUser(seller)],
    );
    await grantConsent(ctx, tenantId, "identifiable", "admin@contoso.com");
  });

  afterAll(() => setCipherSource(readableCipher));

  it("keeps colliding addresses apart, in one batch and across batches", async () => {
    const ctx = h.ctx();
    // Batch one meets a and b together; batch two meets c and d (both colliding with the stored
    // a and b, and with each other), then a again.
    await importRecords(ctx, tenantId, [
      {
        name: "one",
        records: [
          emailRecord("2026-05-01T10:00:00Z", seller, [twins[0]!]),
          emailRecord("2026-05-01T11:00:00Z", twins[1]!, [seller]),
        ],
      },
    ]);
    await importRecords(ctx, tenantId, [
      {
        name: "two",
        records: [
          emailRecord("2026-05-02T10:00:00Z", seller, [twins[2]!, twins[3]!]),
          emailRecord("2026-05-02T11:00:00Z", twins[0]!, [seller]),
        ],
      },
    ]);
    const rows = await collectedRows(h.store(), tenantId);
    expect(rows.addresses.filter((a) => twins.includes(a)).sort()).toEqual(twins);
    expect(new Set(rows.addresses).size).toBe(rows.addresses.length);
    expect(rows.persons.map((p) => p.address).sort()).toEqual(twins);
    expect(rows.pairs.map((p) => p.person).sort()).toEqual(twins);
    const a = rows.persons.find((p) => p.address === twins[0])!;
    expect([a.first_at, a.last_at]).toEqual([Date.UTC(2026, 4, 1, 10), Date.UTC(2026, 4, 2, 11)]);
    expect(rows.parties.filter((p) => p.address === twins[0])).toHaveLength(2);
    expect(
      rows.interactions
        .flatMap((i) => i.participants.map(([x]) => x))
        .filter((x) => twins.includes(x))
        .sort(),
    ).toEqual([twins[0], twins[0], twins[1], twins[2], twins[3]]);

    // A reader asking by address gets each twin's own number.
    const nums = await addressNumsOf(h.store().db, tenantId, twins);
    expect(new Set(nums.values()).size).toBe(4);
    const back = await addressesOf(h.store().db, tenantId, nums.values());
    expect([...back.values()].sort()).toEqual(twins);
  });

  it("never answers an address by a number the store no longer gives it (purged, collected again)", async () => {
    const ctx = h.ctx();
    const db = h.store().db;
    const before = await addressNumsOf(db, tenantId, [twins[0]!, "other@northwind.com"]);
    expect(before.has(twins[0]!)).toBe(true);
    await withdrawConsent(ctx, tenantId, "identifiable", "admin@contoso.com");
    expect((await addressNumsOf(db, tenantId, [twins[0]!])).size).toBe(0);
    await grantConsent(ctx, tenantId, "identifiable", "admin@contoso.com");
    await importRecords(ctx, tenantId, [
      { name: "again", records: [emailRecord("2026-05-03T10:00:00Z", seller, [twins[0]!])] },
    ]);
    const again = await addressNumsOf(db, tenantId, [twins[0]!]);
    expect(again.get(twins[0]!)).toBeGreaterThan(before.get(twins[0]!)!);
    const rows = await collectedRows(h.store(), tenantId);
    expect(rows.persons.map((p) => p.address)).toEqual([twins[0]]);
    expect(rows.addresses).toContain(twins[0]);
  });

  it("never names an address by a number a rolled-back transaction handed out (given again since)", async () => {
    const store = h.store();
    const rolledBack = new Error("roll back");
    let given = 0;
    // A batch numbers an address and reads it back, then fails: its numbers go back to the pool.
    await expect(
      store.transaction(async (trx) => {
        given = (await ensureAddressNums(trx, tenantId, ["first@rolled.back"])).get("first@rolled.back")!;
        expect((await addressesOf(trx, tenantId, [given])).get(given)).toBe("first@rolled.back");
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    const next = await store.transaction((trx) => ensureAddressNums(trx, tenantId, ["second@kept.com"]));
    // The same number went to another address: this process must not answer from what it read before.
    expect(next.get("second@kept.com")).toBe(given);
    expect((await addressesOf(store.db, tenantId, [given])).get(given)).toBe("second@kept.com");
  });
});

it("packs and unpacks parties: varint numbers, role byte, colleague number + 1", () => {
  const parties = [
    { address: 0, role: 0, user: null },
    { address: 127, role: 1, user: 0 },
    { address: 128, role: 5, user: 16_383 },
    { address: 2 ** 35, role: 2, user: null },
  ];
  const packed = packParties(parties);
  expect(unpackParties(packed)).toEqual(parties);
  expect(packed.subarray(0, 3)).toEqual(Buffer.from([0, 0, 0]));
  expect(packParties([])).toHaveLength(0);
  expect(() => unpackParties(packed.subarray(0, packed.length - 1))).toThrow();
});
