import { beforeAll, expect, it } from "vitest";
import { createTenantWithUsers, directoryUser } from "../../test/helpers/directory";
import { describeEachEngine } from "../../test/helpers/engines";
import { emailRecord } from "../../test/helpers/records";
import { grantConsent, setRelationshipIntelligence } from "../services/consent.service";
import { importRecords } from "../services/ingest.service";
import { runCli } from "./program";

const admin = "admin@contoso.com";
const alice = "alice@contoso.com";
const customer = "pat@fabrikam.com";

/** `kith forget`, `kith forget-requests` and `kith retention` through the real command parser, on both engines. */
describeEachEngine("kith forget and retention", (h) => {
  async function kith(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(
      args,
      { out: (s) => out.push(s), err: (s) => err.push(s) },
      { KITH_DATABASE_URL: h.url(), KITH_TENANT: "contoso", KITH_NOW: "2026-06-02T09:00:00Z" },
    );
    return { code, out: out.join("\n"), err: err.join("\n") };
  }

  beforeAll(async () => {
    const ctx = h.ctx();
    const tenantId = await createTenantWithUsers(
      ctx,
      { name: "Contoso", slug: "contoso", domain: "contoso.com", admin },
      [directoryUser(alice)],
    );
    for (const t of ["identifiable", "aggregated", "personal"] as const)
      await grantConsent(ctx, tenantId, t, admin);
    await setRelationshipIntelligence(ctx, tenantId, true, admin);
    await importRecords(ctx, tenantId, [
      {
        name: "mail",
        records: [emailRecord("2026-05-01T10:00:00Z", alice, [customer, "other@fabrikam.com"])],
      },
    ]);
  });

  it("forgets an address, prints the receipt, and finds it again by address", async () => {
    const done = await kith("forget", customer, "--by", admin, "--json");
    expect(done.code, done.err).toBe(0);
    const outcome = JSON.parse(done.out) as { receipt: { id: string; counts: Record<string, number> } };
    expect(outcome.receipt.counts).toMatchObject({ interactionsRedacted: 1, persons: 1, connections: 1 });
    expect(done.out).not.toContain(customer);
    const human = await kith("forget-requests", "--address", customer);
    expect(human.code).toBe(0);
    expect(human.out).toContain(outcome.receipt.id);
    expect(human.out).toContain(`by ${admin}`);
    expect((await kith("forget-requests", "--address", "nobody@fabrikam.com")).out).toContain(
      "no deletion requests",
    );
    const wkw = await kith("wkw", customer, "--json");
    expect(wkw.code, wkw.err).toBe(0);
    expect((JSON.parse(wkw.out) as { introducers: unknown[] }).introducers).toEqual([]);
  });

  it("exits non-zero on a colleague's address, saying why", async () => {
    const r = await kith("forget", alice);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain("tenant's own domain");
  });

  it("shows, sets and runs retention", async () => {
    expect((await kith("retention", "show")).out).toContain(
      "retention 24 months: data before 2024-06-02T09:00",
    );
    const set = await kith("retention", "set", "1", "--json");
    expect(set.code, set.err).toBe(0);
    expect(JSON.parse(set.out)).toMatchObject({ months: 1 });
    // A month back from 2026-06-02: the mail of 2026-05-01 goes.
    const run = await kith("retention", "run", "--json");
    expect(run.code, run.err).toBe(0);
    expect((JSON.parse(run.out) as { counts: { interactions: number } }).counts.interactions).toBe(1);
    expect((await kith("retention", "set", "0")).code).not.toBe(0);
    expect((await kith("retention", "set", "off")).out).toContain("retention off");
  });
});
