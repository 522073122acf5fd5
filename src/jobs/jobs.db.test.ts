/* eslint-disable @typescript-eslint/no-unsafe-assignment -- asymmetric matchers (expect.stringMatching) are typed any */
import { beforeAll, expect, it } from "vitest";
import { describeEachEngine, inspect } from "../../test/helpers/engines";
import { spawnNode, type NodeProcess } from "../../test/helpers/node-process";
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
  /** Run by test/helpers/job-worker-process.ts; here only so the queue accepts it. */
  const sharedJob: JobDefinition = {
    name: "test.shared",
    maxAttempts: 3,
    backoffMs: () => 1000,
    run: () => Promise.reject(new Error("runs in a worker process only")),
  };
  const leaseMs = 600_000;
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

  /**
   * Worker processes, each with its own store connection (test/helpers/job-worker-process.ts): on
   * SQLite two workers in one process would share one connection and never contend for a claim.
   * C claims a job and is killed holding it; A and B, each holding its first job until both hold
   * one, then drain the rest between them; D, started after C's lease has run out, reclaims C's job.
   * The jobs do no work, so the processes' claims contend (on SQLite, for the write lock).
   */
  it("lets worker processes share the queue: every job runs once, a dead worker's job is reclaimed after its lease", async () => {
    const clock = "2026-06-01T11:00:00Z";
    h.setNow(clock);
    const queue = createJobQueue(h.ctx(), [sharedJob]);
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) ids.push((await queue.enqueue({ name: "test.shared", tenantId }))!);
    const worker = (id: string, now: string, hold: boolean) =>
      spawnNode(["test/helpers/job-worker-process.ts"], {
        KITH_DATABASE_URL: h.url(),
        KITH_NOW: now,
        WORKER_ID: id,
        WORKER_LEASE_MS: String(leaseMs),
        ...(hold ? { WORKER_HOLD: "first" } : {}),
      });
    const heldBy = async (p: NodeProcess) => (await p.line("holding ")).split(" ")[1]!;
    const ranBy = (stdout: string) =>
      stdout
        .split("\n")
        .filter((l) => l.startsWith("ran "))
        .map((l) => l.slice(4));

    const c = worker("worker-c", clock, true);
    const lost = await heldBy(c);
    c.kill();
    const dead = await c.exit;
    expect(ranBy(dead.stdout)).toEqual([lost]);
    expect(await findJob(h.store().db, lost)).toMatchObject({
      status: "running",
      lockedBy: "worker-c",
      attempts: 1,
    });

    const a = worker("worker-a", clock, true);
    const b = worker("worker-b", clock, true);
    // Both hold a claimed job at once: two claims, two different jobs, neither the dead worker's.
    const [heldA, heldB] = await Promise.all([heldBy(a), heldBy(b)]);
    expect(heldA).not.toBe(heldB);
    expect([heldA, heldB]).not.toContain(lost);
    a.send("go");
    b.send("go");
    const [doneA, doneB] = await Promise.all([a.exit, b.exit]);
    expect([doneA.code, doneB.code], doneA.stderr + doneB.stderr).toEqual([0, 0]);
    const ranA = ranBy(doneA.stdout);
    const ranB = ranBy(doneB.stdout);
    // Every job but the dead worker's ran exactly once, in one process or the other.
    expect([...ranA, ...ranB].sort()).toEqual(ids.filter((id) => id !== lost).sort());
    expect(ranA).toContain(heldA);
    expect(ranB).toContain(heldB);
    // Still leased by the dead worker: neither took it over.
    expect(await findJob(h.store().db, lost)).toMatchObject({ status: "running", lockedBy: "worker-c" });

    const later = new Date(Date.parse(clock) + leaseMs + 60_000).toISOString();
    const d = worker("worker-d", later, false);
    const doneD = await d.exit;
    expect(doneD.code, doneD.stderr).toBe(0);
    expect(ranBy(doneD.stdout)).toEqual([lost]);

    const rows = await inspect(() =>
      h
        .store()
        .db.selectFrom("job")
        .select(["id", "status", "locked_by", "attempts", "result"])
        .where("id", "in", ids)
        .execute(),
    );
    expect(rows).toHaveLength(100);
    const ranIn = new Map<string, string>([
      ...ranA.map((id) => [id, "worker-a"] as const),
      ...ranB.map((id) => [id, "worker-b"] as const),
      [lost, "worker-d"],
    ]);
    for (const row of rows) {
      // Finished by the worker that ran it, once; the reclaimed job counts the dead worker's claim.
      expect(row).toMatchObject({
        status: "done",
        locked_by: ranIn.get(row.id),
        attempts: row.id === lost ? 2 : 1,
      });
      expect(JSON.parse(row.result!)).toEqual({ ranBy: ranIn.get(row.id) });
    }
    expect(new Set(rows.map((r) => r.locked_by))).toEqual(new Set(["worker-a", "worker-b", "worker-d"]));
  });

  it("schedules each slot once, however often the scheduler ticks", async () => {
    h.setNow("2026-06-01T12:00:05Z");
    const queue = createJobQueue(h.ctx(), all);
    const schedules = defaultSchedules(5 * 60_000);
    const first = await enqueueDueJobs(h.ctx(), queue, schedules);
    expect(first).toBe(7); // six per-tenant schedules × one tenant + one global
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
