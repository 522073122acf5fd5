import { copyFileSync, mkdtempSync, readdirSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { describeEachEngine } from "../../test/helpers/engines";
import { loadConfig } from "../config/config";
import { createTenant } from "../services/tenant.service";
import { findJob } from "../store/job.repository";
import { jobDefinitions } from "./definitions";
import { createJobQueue } from "./queue";
import { defaultSchedules, enqueueDueJobs } from "./scheduler";
import { watchJobName, watchJobs } from "./watch.job";
import { JobWorker } from "./worker";

const fixtures = join(import.meta.dirname, "../../test/fixtures/ingest");

describeEachEngine("watched folder under kith serve (KITH_WATCH_DIR)", (h) => {
  beforeAll(async () => {
    h.setNow("2026-06-01T09:00:00Z");
    await createTenant(h.ctx(), {
      name: "Watch",
      domains: ["contoso.com"],
      admin: { email: "admin@contoso.com" },
    });
  });

  it("adds nothing when no folder is configured", () => {
    expect(watchJobs(loadConfig({}).watch)).toEqual({ definitions: [], schedules: [] });
  });

  it("the scheduler enqueues one scan per interval slot, and the worker imports and moves the files", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kith-watch-job-"));
    copyFileSync(join(fixtures, "graph", "messages.ndjson"), join(dir, "messages.ndjson"));
    copyFileSync(join(fixtures, "recurring.ics"), join(dir, "calendar.ics"));
    // Written a while ago: settled (a file modified in the last 2 s waits for the next slot).
    const earlier = new Date(Date.now() - 60_000);
    for (const name of ["messages.ndjson", "calendar.ics"]) utimesSync(join(dir, name), earlier, earlier);
    const config = loadConfig({ KITH_WATCH_DIR: dir, KITH_WATCH_TENANT: "watch", KITH_WATCH_INTERVAL: "1m" });
    const watch = watchJobs(config.watch);
    const definitions = [...jobDefinitions, ...watch.definitions];
    const queue = createJobQueue(h.ctx(), definitions);
    const schedules = [...defaultSchedules(config.syncIntervalMs), ...watch.schedules];
    expect(watch.schedules).toEqual([{ name: watchJobName, everyMs: 60_000, scope: "global" }]);

    await enqueueDueJobs(h.ctx(), queue, schedules);
    await enqueueDueJobs(h.ctx(), queue, schedules); // a second scheduler tick in the same slot
    const worker = new JobWorker(h.ctx(), watch.definitions);
    const ran = await worker.runOnce();
    expect(ran?.outcome).toBe("done");
    expect(await worker.runOnce()).toBeNull(); // one scan per slot, however many ticks
    const job = await findJob(h.store().db, ran!.job.id);
    expect(job?.result).toEqual({ dir, done: ["calendar.ics", "messages.ndjson"].sort(), failed: [] });
    expect(
      readdirSync(join(dir, "done"))
        .filter((f) => !f.endsWith(".reason.txt"))
        .sort(),
    ).toEqual(["calendar.ics", "messages.ndjson"]);
  });
});
