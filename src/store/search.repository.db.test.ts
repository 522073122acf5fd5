/**
 * `findPersons` on sealed addresses and names (lean schema): matches are found by opening them,
 * case-insensitively, most recently seen first then by address, also far down the tenant's people
 * (beyond the first page of 1,000 on PostgreSQL), and the read stops early only at a row older
 * than every match kept (not inside a run of equal times, where a later-read address may sort first).
 * The tenant's cipher here scrambles what it seals, so nothing is found unless it is opened.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTenantWithUsers, directoryUser } from "../../test/helpers/directory";
import { describeEachEngine } from "../../test/helpers/engines";
import { emailRecord as email } from "../../test/helpers/records";
import { grantConsent, setRelationshipIntelligence } from "../services/consent.service";
import { importRecords } from "../services/ingest.service";
import { readableCipher, setCipherSource, type TenantCipher } from "./field-cipher";
import { findPersons } from "./search.repository";

const admin = "admin@us.test";
const seller = "seller@us.test";
const T0 = Date.UTC(2026, 3, 1);
const minute = 60_000;
const count = 2050;
const address = (i: number) => `p${String(i).padStart(4, "0")}@them.test`;
/** People 45…54 (recency ranks 1995…2004) were last seen at one instant. */
const seenAt = (i: number) => T0 + (i >= 45 && i <= 54 ? 45 : i) * minute;
const nameOf = (i: number) => (i === 0 ? "Zed Rare" : i >= 45 && i <= 54 ? `Tie ${i}` : `Person ${i}`);

/** Every person, in the order findPersons returns them. */
const everyone = Array.from({ length: count }, (_, i) => ({
  address: address(i),
  name: nameOf(i),
  domain: "them.test",
  lastAt: seenAt(i),
})).sort((a, b) => b.lastAt - a.lastAt || (a.address < b.address ? -1 : 1));

/** Seals as tag 7 and the text's bytes XOR 0x5a: not readable as stored. */
const scrambled = (tenantId: string): TenantCipher => {
  const readable = readableCipher(tenantId);
  const xor = (bytes: Uint8Array) => Buffer.from(bytes.map((b) => b ^ 0x5a));
  return {
    addressKey: (address) => readable.addressKey(address),
    domainKey: (domain) => readable.domainKey(domain),
    seal: (_field, text) => Buffer.concat([Buffer.from([7]), xor(Buffer.from(text, "utf8"))]),
    open: (field, sealed) =>
      sealed[0] === 7 ? xor(sealed.subarray(1)).toString("utf8") : readable.open(field, sealed),
  };
};

describeEachEngine("findPersons on sealed people", (h) => {
  let tenantId = "";

  afterAll(() => setCipherSource(readableCipher));

  beforeAll(async () => {
    setCipherSource(scrambled);
    h.setNow("2026-06-01T00:00:00Z");
    const ctx = h.ctx();
    tenantId = await createTenantWithUsers(ctx, { name: "Us", slug: "us", domain: "us.test", admin }, [
      directoryUser(seller),
    ]);
    await grantConsent(ctx, tenantId, "identifiable", admin);
    await setRelationshipIntelligence(ctx, tenantId, true, admin);
    const records = Array.from({ length: count }, (_, i) =>
      email(seenAt(i), address(i), [seller], { from: { address: address(i), name: nameOf(i) } }),
    );
    // The tie's later addresses first: they get the lower address numbers, so the read (by time,
    // then number) meets them before the tie's first addresses.
    const early = (r: unknown, i: number) => i >= 50 && i <= 54;
    const first = await importRecords(ctx, tenantId, [{ name: "early", records: records.filter(early) }]);
    const rest = await importRecords(ctx, tenantId, [
      { name: "mail", records: records.filter((r, i) => !early(r, i)) },
    ]);
    expect(first.stored + rest.stored).toBe(count);
  }, 60_000);

  it("finds a name far down the most recent people, case-insensitively", async () => {
    const db = h.store().db;
    expect(await findPersons(db, tenantId, "zED rA", 5, false)).toEqual([
      { address: address(0), name: "Zed Rare", domain: "them.test", lastAt: T0 },
    ]);
    expect((await findPersons(db, tenantId, "P0001@THEM", 5, false)).map((p) => p.address)).toEqual([
      address(1),
    ]);
    expect(await findPersons(db, tenantId, "nobody", 5, false)).toEqual([]);
  });

  it("orders most recent first, then by address, and stops only after a run of equal times", async () => {
    const db = h.store().db;
    expect(await findPersons(db, tenantId, "them.test", 3, false)).toEqual(everyone.slice(0, 3));
    // Two matches are seen once the tie's first two rows (by number: later addresses) are read; the
    // answer must still be the tie's first addresses, read after them at the same instant.
    expect((await findPersons(db, tenantId, "tie", 2, false)).map((p) => p.address)).toEqual([
      address(45),
      address(46),
    ]);
    expect(await findPersons(db, tenantId, "@them", 1999, false)).toEqual(everyone.slice(0, 1999));
    expect(await findPersons(db, tenantId, "", count + 10, false)).toEqual(everyone);
  });
});
