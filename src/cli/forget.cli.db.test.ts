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

/** `kith forget` and `kith forget-requests` through the real command parser, on both engines. */
describeEachEngine("kith forget", (h) => {
  async function kith(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(
      args,
      { out: (s) => out.push(s), err: (s) => err.push(s) },
      { KITH_DATABASE_URL: h.url(), KITH_TENANT: "contoso" },
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
});
