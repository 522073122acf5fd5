/* eslint-disable @typescript-eslint/no-unsafe-assignment -- asymmetric matchers (expect.stringMatching) are typed any */
import { beforeAll, expect, it } from "vitest";
import { describeEachEngine, inspect } from "../../test/helpers/engines";
import { grantConsent, setRelationshipIntelligence } from "../services/consent.service";
import { createTenant } from "../services/tenant.service";
import { claimNextJob, completeJob, findJob } from "../store/job.repository";
import { jobDefinitions } from "./definitions";
import { PermanentJobError, TemporaryJobError, type JobDefinition } from "./job";
import { createJobQueue } from "./queue";
import { defaultSchedules, enqueueDueJobs } from "./scheduler";
import { JobWorker } from "./worker";

describeEachEngine("durable job queue", (h) => {
  const runs: string[] = [];
  let failuresLeft = 0;
  const testJobs: JobDefinition[] = [
    {
      name: "test.record",
      maxAttempts: 3,
      backoffMs: () => 1000,
      run: async ({ job }) => {
        runs.push(job.id);
        // Long enough that two workers would overlap if both claimed it.
        await new Promise((resolve) => setTimeout(resolve, 2));
        return { ran: job.id };
      },
    },
    {
      name: "test.flaky",
      maxAttempts: 3,
      backoffMs: (attempt) => attempt * 1000,
      run: () => {
        if (failuresLeft-- > 0) throw new TemporaryJobError("upstream timed out");
        return Promise.resolve({ ok: true });
      },
    },
    {
      name: "test.broken",
      maxAttempts: 5,
      backoffMs: () => 1000,
      run: () => Promise.reject(new PermanentJobError("bad payload")),
    },
  ];
  const all = [...jobDefinitions, ...testJobs];
  let tenantId: string;

  beforeAll(async () => {
    h.setNow("2026-06-01T09:00:00Z");
    const tenant = await createTenant(h.ctx(), {
      name: "Jobs",
      domains: ["jobs.example"],
      admin: { email: "admin@jobs.example" },
    });
    tenantId = tenant.id;
  });

  const drain = async (worker: JobWorker) => {
    while (await worker.runOnce());
  };

  it("runs a job once per idempotency key", async () => {
    const queue = createJobQueue(h.ctx(), all);
    const first = await queue.enqueue({ name: "test.record", tenantId, idempotencyKey: "once" });
    const second = await queue.enqueue({ name: "test.record", tenantId, idempotencyKey: "once" });
    expect(first).toBeTruthy();
    expect(second).toBeNull();
    await drain(new JobWorker(h.ctx(), all));
    expect(runs.filter((r) => r === first)).toHaveLength(1);
    expect(await findJob(h.store().db, first!)).toMatchObject({
      status: "done",
      attempts: 1,
      result: { ran: first },
    });
  });

  it("retries temporary failures with backoff and fails permanent ones at once", async () => {
    const queue = createJobQueue(h.ctx(), all);
    const worker = new JobWorker(h.ctx(), all);
    failuresLeft = 1;
    const flaky = (await queue.enqueue({ name: "test.flaky", tenantId }))!;
    expect((await worker.runOnce())?.outcome).toBe("retry");
    expect(await findJob(h.store().db, flaky)).toMatchObject({
      status: "queued",
      lastError: expect.stringMatching(/timed out/),
    });
    expect(await worker.runOnce()).toBeNull(); // not due until the backoff has passed
    h.setNow("2026-06-01T09:00:02Z");
    expect((await worker.runOnce())?.outcome).toBe("done");
    expect(await findJob(h.store().db, flaky)).toMatchObject({ status: "done", attempts: 2 });

    failuresLeft = 10;
    const doomed = (await queue.enqueue({ name: "test.flaky", tenantId }))!;
    for (let i = 0; i < 3; i++) {
      h.setNow(new Date(h.ctx().now().getTime() + 10_000));
      await worker.runOnce();
    }
    expect(await findJob(h.store().db, doomed)).toMatchObject({ status: "failed", attempts: 3 });

    const broken = (await queue.enqueue({ name: "test.broken", tenantId }))!;
    expect((await worker.runOnce())?.outcome).toBe("failed");
    expect(await findJob(h.store().db, broken)).toMatchObject({ status: "failed", attempts: 1 });
  });

  it("reclaims a job whose worker died once its lease expires; the dead worker cannot finish it", async () => {
    h.setNow("2026-06-01T10:00:00Z");
    const queue = createJobQueue(h.ctx(), all);
    const id = (await queue.enqueue({ name: "test.record", tenantId }))!;
    const claimed = await h
      .store()
      .transaction((trx) =>
        claimNextJob(trx, h.engine, "dead-worker", ["test.record"], h.ctx().now(), 60_000),
      );
    expect(claimed?.id).toBe(id);
    const survivor = new JobWorker(h.ctx(), all, {}, { id: "survivor", leaseMs: 60_000 });
    expect(await survivor.runOnce()).toBeNull(); // still leased
    h.setNow("2026-06-01T10:01:01Z");
    expect((await survivor.runOnce())?.job.id).toBe(id);
    expect(await h.store().transaction((trx) => completeJob(trx, id, "dead-worker", {}, h.ctx().now()))).toBe(
      false,
    );
    expect(await findJob(h.store().db, id)).toMatchObject({
      status: "done",
      lockedBy: "survivor",
      attempts: 2,
    });
  });

  it("lets two workers share the queue without running any job twice", async () => {
    const queue = createJobQueue(h.ctx(), all);
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) ids.push((await queue.enqueue({ name: "test.record", tenantId }))!);
    runs.length = 0;
    const a = new JobWorker(h.ctx(), all, {}, { id: "worker-a" });
    const b = new JobWorker(h.ctx(), all, {}, { id: "worker-b" });
    await Promise.all([drain(a), drain(b)]);
    expect(runs.filter((r) => ids.includes(r)).sort()).toEqual([...ids].sort());
    expect(new Set(runs).size).toBe(runs.length);
    const done = await inspect(() =>
      h
        .store()
        .db.selectFrom("job")
        .select(["locked_by"])
        .where("id", "in", ids)
        .where("status", "=", "done")
        .execute(),
    );
    expect(done).toHaveLength(40);
    if (h.engine === "postgres") expect(new Set(done.map((d) => d.locked_by)).size).toBe(2);
  });

  it("schedules each slot once, however often the scheduler ticks", async () => {
    h.setNow("2026-06-01T12:00:05Z");
    const queue = createJobQueue(h.ctx(), all);
    const schedules = defaultSchedules(5 * 60_000);
    const first = await enqueueDueJobs(h.ctx(), queue, schedules);
    expect(first).toBe(6); // five per-tenant schedules × one tenant + one global
    expect(await enqueueDueJobs(h.ctx(), queue, schedules)).toBe(0);
    h.setNow("2026-06-01T12:05:05Z");
    expect(await enqueueDueJobs(h.ctx(), queue, schedules)).toBe(1); // the next sync slot only
  });

  it("records 'nothing to sync' when no sync source is configured, and switches RI off at the 14-day deadline once", async () => {
    const worker = new JobWorker(h.ctx(), jobDefinitions);
    await drain(worker);
    const sync = await inspect(() =>
      h
        .store()
        .db.selectFrom("job")
        .select(["result", "status"])
        .where("name", "=", "ingest.sync")
        .executeTakeFirst(),
    );
    expect(sync?.status).toBe("done");
    expect(JSON.parse(sync!.result!)).toMatchObject({ status: "nothing to sync" });

    h.setNow("2026-06-02T09:00:00Z");
    await grantConsent(h.ctx(), tenantId, "aggregated", "admin@jobs.example");
    await setRelationshipIntelligence(h.ctx(), tenantId, true, "admin@jobs.example");
    const queue = createJobQueue(h.ctx(), jobDefinitions);
    await queue.enqueue({ name: "consent.enablement-deadline", tenantId });
    await drain(worker);
    h.setNow("2026-06-16T09:00:01Z");
    await queue.enqueue({ name: "consent.enablement-deadline", tenantId });
    await queue.enqueue({ name: "consent.enablement-deadline", tenantId });
    await drain(worker);
    const switchedOff = await inspect(() =>
      h
        .store()
        .db.selectFrom("audit_log")
        .select(["action", "details"])
        .where("tenant_id", "=", tenantId)
        .where("action", "=", "ri.switched_off")
        .execute(),
    );
    expect(switchedOff).toHaveLength(1);
    expect(JSON.parse(switchedOff[0]!.details)).toMatchObject({ deadline: "2026-06-16T09:00:00.000Z" });
  });

  it("re-verifies purges without leaving a trace when nothing remains", async () => {
    const queue = createJobQueue(h.ctx(), jobDefinitions);
    const id = (await queue.enqueue({ name: "purge.verify", tenantId }))!;
    const receiptsBefore = await inspect(() =>
      h.store().db.selectFrom("deletion_receipt").select("id").where("tenant_id", "=", tenantId).execute(),
    );
    await drain(new JobWorker(h.ctx(), jobDefinitions));
    expect(await findJob(h.store().db, id)).toMatchObject({
      status: "done",
      result: { tenantRemoved: 0, userRowsRemoved: 0 },
    });
    const receiptsAfter = await inspect(() =>
      h.store().db.selectFrom("deletion_receipt").select("id").where("tenant_id", "=", tenantId).execute(),
    );
    expect(receiptsAfter).toHaveLength(receiptsBefore.length);
  });
});
