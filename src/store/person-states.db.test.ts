/**
 * `personWithStates`, the one read behind a who-knows-whom question, reads what `findPerson`,
 * `findAccount` (host first, then the organisation) and `pairStatesForPerson` read, on both
 * engines: the account found by CRM id or mapped domain, the exact host winning over the
 * organisation, its domains in order, and every colleague's state with the person.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { createTenantWithUsers, directoryUser } from "../../test/helpers/directory";
import { describeEachEngine } from "../../test/helpers/engines";
import { emailRecord as email } from "../../test/helpers/records";
import { grantConsent, setRelationshipIntelligence } from "../services/consent.service";
import { importCrmFile } from "../services/crm.service";
import { importRecords } from "../services/ingest.service";
import { hasPeopleAt } from "./engagement.repository";
import {
  findAccount,
  findPerson,
  pairStatesForPerson,
  personsAtDomains,
  personsUnderDomain,
  personWithStates,
} from "./insight.repository";

const admin = "admin@us.test";
const sellers = ["ann@us.test", "bob@us.test", "cy@us.test"];
const people = [
  "lee@fabrikam.com", // account by mapped domain (two domains)
  "kai@eu.fabrikam.com", // subdomain: the organisation's account
  "ora@sales.tailspin.com", // the host is mapped to its own account: it wins over the organisation's
  "uma@acc-by-id.example", // an account whose CRM id is the host itself
  "pat@gmail.com", // consumer provider: no organisation, no account
  "nobody@nowhere.example", // no mail, no account
];

describeEachEngine("personWithStates", (h) => {
  let tenantId = "";

  beforeAll(async () => {
    h.setNow("2026-06-01T00:00:00Z");
    const ctx = h.ctx();
    tenantId = await createTenantWithUsers(
      ctx,
      { name: "Us", slug: "us", domain: "us.test", admin },
      sellers.map((s) => directoryUser(s)),
    );
    await grantConsent(ctx, tenantId, "identifiable", admin);
    await setRelationshipIntelligence(ctx, tenantId, true, admin);
    const records = people
      .slice(0, 5)
      .flatMap((p, i) =>
        sellers
          .slice(0, 1 + (i % 3))
          .flatMap((s, k) => [
            email(Date.UTC(2026, 3, 1 + i + k), s, [p]),
            email(Date.UTC(2026, 3, 2 + i + k), p, [s], { from: { address: p, name: `Person ${i}` } }),
          ]),
      );
    expect((await importRecords(ctx, tenantId, [{ name: "mail", records }])).status).toBe("done");
    const file = join(mkdtempSync(join(tmpdir(), "kith-person-states-")), "crm.json");
    writeFileSync(
      file,
      JSON.stringify({
        format: "kith-crm/1",
        accounts: [
          { id: "acc-fabrikam", name: "Fabrikam", domains: ["fabrikam.com", "fabrikam.co.uk"] },
          { id: "acc-tailspin", name: "Tailspin", domains: ["tailspin.com"] },
          { id: "acc-tailspin-sales", name: "Tailspin Sales", domains: ["sales.tailspin.com"] },
          { id: "acc-by-id.example", name: "By id", domains: [] },
        ],
      }),
    );
    expect((await importCrmFile(ctx, tenantId, file)).status).toBe("done");
  });

  it("reads the person, the first account found and every colleague's state in one go", async () => {
    const db = h.store().db;
    const hosts: Record<string, string[]> = {
      "lee@fabrikam.com": ["fabrikam.com"],
      "kai@eu.fabrikam.com": ["eu.fabrikam.com", "fabrikam.com"],
      "ora@sales.tailspin.com": ["sales.tailspin.com", "tailspin.com"],
      "uma@acc-by-id.example": ["acc-by-id.example"],
      "pat@gmail.com": [],
      "nobody@nowhere.example": ["nowhere.example"],
    };
    const accounts: Record<string, string | undefined> = {};
    for (const person of people) {
      const keys = hosts[person]!;
      const one = await personWithStates(db, tenantId, person, keys);
      let account = undefined;
      for (const k of keys) if (!account) account = await findAccount(db, tenantId, k);
      const byUser = (rows: { userId: string }[]) => [...rows].sort((a, b) => (a.userId < b.userId ? -1 : 1));
      expect(one.person).toEqual(await findPerson(db, tenantId, person));
      expect(one.account).toEqual(account);
      expect(byUser(one.states)).toEqual(byUser(await pairStatesForPerson(db, tenantId, person)));
      accounts[person] = one.account?.name;
    }
    // What the cases are about, so the comparison above cannot pass on empty reads.
    expect(accounts).toEqual({
      "lee@fabrikam.com": "Fabrikam",
      "kai@eu.fabrikam.com": "Fabrikam",
      "ora@sales.tailspin.com": "Tailspin Sales",
      "uma@acc-by-id.example": "By id",
      "pat@gmail.com": undefined,
      "nobody@nowhere.example": undefined,
    });
    const lee = await personWithStates(db, tenantId, "lee@fabrikam.com", ["fabrikam.com"]);
    expect(lee.account?.domains).toEqual(["fabrikam.co.uk", "fabrikam.com"]);
    expect(lee.person?.name).toBe("Person 0");
    expect(lee.states.length).toBe(1);
    expect((await personWithStates(db, tenantId, "ora@sales.tailspin.com", [])).states.length).toBe(3);
  });

  it("answers questions asked at once as it answers them one by one (PostgreSQL sends them together)", async () => {
    const db = h.store().db;
    const questions = [
      ...people.map((p) => ({ person: p, keys: [p.split("@")[1]!] })),
      { person: "kai@eu.fabrikam.com", keys: ["eu.fabrikam.com", "fabrikam.com"] },
      { person: "ora@sales.tailspin.com", keys: ["tailspin.com", "sales.tailspin.com"] },
      { person: "lee@fabrikam.com", keys: [] },
    ];
    const oneByOne = [];
    for (const q of questions) oneByOne.push(await personWithStates(db, tenantId, q.person, q.keys));
    // Many at once: more than the reads allowed on their way, so later ones wait and share one.
    const atOnce = await Promise.all(
      [...questions, ...questions, ...questions].map((q) => personWithStates(db, tenantId, q.person, q.keys)),
    );
    expect(atOnce).toEqual([...oneByOne, ...oneByOne, ...oneByOne]);
    expect(oneByOne.map((r) => [r.person?.address, r.account?.name, r.states.length])).toEqual([
      ["lee@fabrikam.com", "Fabrikam", 1],
      ["kai@eu.fabrikam.com", undefined, 2],
      ["ora@sales.tailspin.com", "Tailspin Sales", 3],
      ["uma@acc-by-id.example", "By id", 1],
      ["pat@gmail.com", undefined, 2],
      [undefined, undefined, 0],
      ["kai@eu.fabrikam.com", "Fabrikam", 2],
      ["ora@sales.tailspin.com", "Tailspin", 3],
      ["lee@fabrikam.com", undefined, 1],
    ]);
  });

  it("finds people by exact domain and under a domain, by the keyed registrable domain", async () => {
    const db = h.store().db;
    const addresses = (rows: { address: string }[]) => rows.map((r) => r.address).sort();
    expect(await personsAtDomains(db, tenantId, ["fabrikam.com"])).toEqual([
      { address: "lee@fabrikam.com", name: "Person 0", domain: "fabrikam.com" },
    ]);
    expect(
      addresses(await personsAtDomains(db, tenantId, ["eu.fabrikam.com", "sales.tailspin.com"])),
    ).toEqual(["kai@eu.fabrikam.com", "ora@sales.tailspin.com"]);
    expect(addresses(await personsUnderDomain(db, tenantId, "fabrikam.com"))).toEqual([
      "kai@eu.fabrikam.com",
      "lee@fabrikam.com",
    ]);
    expect(addresses(await personsUnderDomain(db, tenantId, "eu.fabrikam.com"))).toEqual([
      "kai@eu.fabrikam.com",
    ]);
    expect(addresses(await personsUnderDomain(db, tenantId, "tailspin.com"))).toEqual([
      "ora@sales.tailspin.com",
    ]);
    expect(await hasPeopleAt(db, tenantId, "tailspin.com")).toBe(true);
    expect(await hasPeopleAt(db, tenantId, "gmail.com")).toBe(true);
    expect(await hasPeopleAt(db, tenantId, "nowhere.example")).toBe(false);
  });
});
