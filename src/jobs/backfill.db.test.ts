import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { collectedRows } from "../../test/helpers/collected-rows";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachEngine, inspect } from "../../test/helpers/engines";
import { grantConsent } from "../services/consent.service";
import { importDirectory } from "../services/directory.service";
import { updateTenantOptions } from "../services/tenant-options";
import { createTenant } from "../services/tenant.service";
import { countInteractions } from "../store/interaction-read.repository";
import { decodePairState } from "../store/pair-state-codec";
import { backfillMonths, runBackfill } from "./backfill.job";

/** A Graph NDJSON export with mail across the three months before the test's "now". */
function graphExport(dir: string): string {
  const lines: string[] = [];
  const days = ["2026-03-03", "2026-03-17", "2026-04-02", "2026-04-21", "2026-05-05", "2026-05-19"];
  days.forEach((day, i) => {
    for (let k = 0; k < 4; k++) {
      const seller = `seller${k % 2}@contoso.com`;
      const customer = `buyer${(i + k) % 3}@fabrikam.com`;
      const message = (owner: string) =>
        JSON.stringify({
          internetMessageId: `<${day}.${k}@contoso.com>`,
          conversationId: `conv-${i}`,
          sentDateTime: `${day}T1${k}:00:00Z`,
          subject: `Proposal ${i}`,
          from: { emailAddress: { name: "Seller", address: seller } },
          toRecipients: [{ emailAddress: { name: "Buyer", address: customer } }],
          ccRecipients: [],
          mailboxOwner: owner,
        });
      lines.push(message(seller));
      // The same message again in a second mailbox: it must be stored once.
      if (k === 0) lines.push(message("seller1@contoso.com"));
    }
  });
  const path = join(dir, "export.ndjson");
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

describeEachEngine("backfill: monthly checkpointed batches", (h) => {
  let dir = "";
  let file = "";
  const tenants: Record<string, string> = {};

  async function tenantWithSource(slug: string): Promise<string> {
    const tenant = await createTenant(h.ctx(), {
      name: slug,
      slug,
      domains: ["contoso.com"],
      admin: { email: "admin@contoso.com" },
    });
    await importDirectory(
      h.ctx(),
      tenant.id,
      {
        roles: [],
        groups: [],
        users: ["seller0@contoso.com", "seller1@contoso.com"].map((email) => ({
          email,
          externalId: null,
          name: null,
          aliases: [],
          guest: false,
          roles: ["Salesperson"],
          groups: null,
        })),
      },
      [],
      "test",
    );
    await grantConsent(h.ctx(), tenant.id, "identifiable", "admin@contoso.com");
    await h.store().transaction((trx) => updateTenantOptions(trx, tenant.id, { sources: [{ path: file }] }));
    return tenant.id;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "kith-backfill-"));
    file = graphExport(dir);
    h.setNow("2026-05-25T00:00:00Z");
    tenants.clean = await tenantWithSource("clean");
    tenants.crashed = await tenantWithSource("crashed");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("plans the last N calendar months, newest first", () => {
    expect(backfillMonths(new Date("2026-05-25T00:00:00Z"), 3).map((m) => m.label)).toEqual([
      "2026-05",
      "2026-04",
      "2026-03",
    ]);
  });

  it("a clean run stores each message once, month by month", async () => {
    const result = await runBackfill(h.ctx(), tenants.clean!, { months: 3 });
    expect(
      result.months.map((m) => ("stored" in m ? [m.label, m.status, m.stored] : [m.label, m.status])),
    ).toEqual([
      ["2026-05", "done", 8],
      ["2026-04", "done", 8],
      ["2026-03", "done", 8],
    ]);
    expect(result.months.every((m) => !("duplicates" in m) || m.duplicates === 2)).toBe(true);
    // Re-running a finished backfill changes nothing.
    const again = await runBackfill(h.ctx(), tenants.clean!, { months: 3 });
    expect(again.months.map((m) => ("stored" in m ? m.stored : -1))).toEqual([0, 0, 0]);
  });

  it("resumes after a crash mid-run without duplicates or gaps", async () => {
    const tenantId = tenants.crashed!;
    // The process dies while writing April: April's transaction never commits, March never starts.
    await expect(
      runBackfill(h.ctx(), tenantId, {
        months: 3,
        onProgress: (p) => {
          if (p.month === "2026-04") throw new Error("killed");
        },
      }),
    ).rejects.toThrow("killed");
    expect((await countInteractions(h.store().db, tenantId)).interactions).toBe(8);

    const resumed = await runBackfill(h.ctx(), tenantId, { resume: true });
    expect(resumed.resumed).toBe(true);
    expect(resumed.months.map((m) => [m.label, m.status])).toEqual([
      ["2026-05", "already_done"],
      ["2026-04", "done"],
      ["2026-03", "done"],
    ]);
    const clean = await countInteractions(h.store().db, tenants.clean!);
    expect(await countInteractions(h.store().db, tenantId)).toEqual(clean);
    // Strength state: the same counts and, up to floating-point summation order, the same decayed sums.
    // Keyed by person and colleague email: user ids are random per tenant.
    const states = async (id: string) => {
      const emails = new Map(
        (
          await inspect(() =>
            h.store().db.selectFrom("app_user").select(["id", "email"]).where("tenant_id", "=", id).execute(),
          )
        ).map((u) => [u.id, u.email]),
      );
      return (await collectedRows(h.store(), id)).pairs
        .map((r) => [`${r.person}|${emails.get(r.user_id)}`, decodePairState(r.state)] as const)
        .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    };
    const resumedStates = await states(tenantId);
    const cleanStates = await states(tenants.clean!);
    expect(resumedStates.map(([p, s]) => [p, s.counts, s.firstAt, s.lastAt])).toEqual(
      cleanStates.map(([p, s]) => [p, s.counts, s.firstAt, s.lastAt]),
    );
    resumedStates.forEach(([, s], i) => {
      const c = cleanStates[i]![1];
      for (const kind of ["email", "meeting"] as const) {
        for (const dir of ["out", "in", "mutual"] as const) {
          expect(s.fast[kind][dir]).toBeCloseTo(c.fast[kind][dir], 9);
          expect(s.slow[kind][dir]).toBeCloseTo(c.slow[kind][dir], 9);
        }
      }
    });
  });
});
