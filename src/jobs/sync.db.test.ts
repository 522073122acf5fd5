import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachEngine } from "../../test/helpers/engines";
import { grantConsent } from "../services/consent.service";
import { importDirectory } from "../services/directory.service";
import { readTenantOptions, updateTenantOptions } from "../services/tenant-options";
import { createTenant } from "../services/tenant.service";
import { listBatches } from "../store/ingest-batch.repository";
import { countInteractions } from "../store/interaction-read.repository";
import { jobDefinitions } from "./definitions";
import { createJobQueue } from "./queue";
import { defaultJobHooks, recomputeIfStale, runSync } from "./sync.job";
import { JobWorker } from "./worker";

const message = (id: string, sentAt: string, to: string) =>
  JSON.stringify({
    internetMessageId: `<${id}@contoso.com>`,
    sentDateTime: sentAt,
    from: { emailAddress: { address: "seller0@contoso.com" } },
    toRecipients: [{ emailAddress: { address: to } }],
    ccRecipients: [],
    mailboxOwner: "seller0@contoso.com",
  });

describeEachEngine("live sync and recompute hooks", (h) => {
  let dir = "";
  let file = "";
  let tenantId = "";

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "kith-sync-"));
    file = join(dir, "live.ndjson");
    writeFileSync(file, `${message("a", "2026-05-30T10:00:00Z", "buyer@fabrikam.com")}\n`);
    h.setNow("2026-06-01T09:00:00Z");
    const ctx = h.ctx();
    tenantId = (
      await createTenant(ctx, {
        name: "sync",
        slug: "sync",
        domains: ["contoso.com"],
        admin: { email: "admin@contoso.com" },
      })
    ).id;
    await importDirectory(
      ctx,
      tenantId,
      {
        roles: [],
        groups: [],
        users: [
          {
            email: "seller0@contoso.com",
            externalId: null,
            name: null,
            aliases: [],
            guest: false,
            roles: ["Salesperson"],
            groups: null,
          },
        ],
      },
      [],
      "test",
    );
    await grantConsent(ctx, tenantId, "identifiable", "admin@contoso.com");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("has nothing to sync without sources", async () => {
    expect(await runSync(h.ctx(), tenantId)).toMatchObject({ status: "nothing to sync" });
    expect(await defaultJobHooks.sync!(h.ctx(), tenantId)).toBeNull();
  });

  it("imports new mail since the last sync minus the overlap, through the job worker", async () => {
    await h.store().transaction((trx) => updateTenantOptions(trx, tenantId, { sources: [{ path: file }] }));
    const ctx = h.ctx();
    const queue = createJobQueue(ctx, jobDefinitions);
    const worker = new JobWorker(ctx, jobDefinitions, defaultJobHooks);
    await queue.enqueue({ name: "ingest.sync", tenantId, payload: {} });
    const first = await worker.runOnce();
    expect(first).toMatchObject({ job: { name: "ingest.sync" }, outcome: "done" });
    expect((await countInteractions(h.store().db, tenantId)).interactions).toBe(1);

    // Later: one message that arrived late (inside the overlap), one new, one older than the window.
    h.setNow("2026-06-01T10:00:00Z");
    appendFileSync(
      file,
      [
        message("late", "2026-06-01T08:30:00Z", "buyer@fabrikam.com"),
        message("new", "2026-06-01T09:30:00Z", "other@fabrikam.com"),
        message("old", "2026-01-01T09:30:00Z", "old@fabrikam.com"),
      ].join("\n") + "\n",
    );
    const second = await runSync(h.ctx(), tenantId);
    expect(second).toMatchObject({ status: "synced", since: "2026-05-31T09:00:00.000Z", stored: 2 });
    expect((await countInteractions(h.store().db, tenantId)).interactions).toBe(3);
    const syncs = await listBatches(h.store().db, tenantId, { kind: "sync" });
    expect(syncs.map((b) => b.status)).toEqual(["done", "done"]);

    // Re-running stores nothing twice.
    h.setNow("2026-06-01T10:05:00Z");
    expect(await runSync(h.ctx(), tenantId)).toMatchObject({ stored: 0 });
  });

  it("recomputes strength states only when baked-in parameters changed", async () => {
    expect(await recomputeIfStale(h.ctx(), tenantId, "test")).toMatchObject({ status: "up to date" });
    const before = await readTenantOptions(h.store().db, tenantId);
    await h
      .store()
      .transaction((trx) =>
        updateTenantOptions(trx, tenantId, { strength: { ...before.strength, halfLifeDays: 60 } }),
      );
    expect(await recomputeIfStale(h.ctx(), tenantId, "strength changed")).toMatchObject({
      status: "recomputed",
      pairs: 2,
    });
    expect(await recomputeIfStale(h.ctx(), tenantId, "again")).toMatchObject({ status: "up to date" });
  });
});
