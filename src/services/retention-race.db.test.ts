/**
 * Retention racing an import of the same tenant (SPEC §3 "every rule holds under concurrency";
 * ARCHITECTURE.md "Monthly partitions"): the import runs in a process of its own
 * (test/helpers/paused-import.ts) and holds its transaction open at a chosen point while
 * retention runs in this one. Whichever starts first, neither deadlocks, and once both have ended
 * the tenant's interactions are exactly what a serial order of the two leaves: nothing before the
 * cutoff when retention ran last, every imported row from the cutoff on, and strength states equal
 * to a fresh rebuild from the rows that remain.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { beforeAll, expect, it } from "vitest";
import { collectedRows, storedStatesText } from "../../test/helpers/collected-rows";
import { createTenantWithUsers, directoryUser } from "../../test/helpers/directory";
import { describeEachEngine, inspect, testPostgresUrl } from "../../test/helpers/engines";
import { spawnNode, type NodeProcess } from "../../test/helpers/node-process";
import { emailRecord } from "../../test/helpers/records";
import { grantConsent, setRelationshipIntelligence } from "./consent.service";
import { importRecords, type BatchPoint, type ImportSummary } from "./ingest.service";
import { enforceRetention, setRetention } from "./retention.service";
import { recomputeStrengths } from "./strength-recompute.service";

const clock = "2026-06-01T09:00:00Z";
/** Two months of retention at `clock`. */
const cutoff = Date.parse("2026-04-01T09:00:00Z");
const colleagues = ["u1", "u2", "u3"].map((u) => `${u}@contoso.com`);
const admin = "admin@contoso.com";

/** 300 messages every 6 hours from 1 March 2026: March and the first hours of April before the cutoff. */
const mailTimes = Array.from(
  { length: 300 },
  (_, i) => Date.parse("2026-03-01T00:00:00Z") + i * 6 * 3_600_000,
);

function writeMailbox(dir: string): string {
  const lines = mailTimes.map((at, i) => {
    const colleague = colleagues[i % colleagues.length]!;
    const customer = `p${i % 30}@fabrikam.com`;
    const [from, to] = i % 3 === 0 ? [customer, colleague] : [colleague, customer];
    return JSON.stringify({
      id: `m${i}`,
      sentDateTime: new Date(at).toISOString(),
      internetMessageId: `<m${i}@retention-race.test>`,
      subject: `Deal ${i % 11}`,
      from: { emailAddress: { address: from } },
      toRecipients: [{ emailAddress: { address: to } }],
      ccRecipients: i % 4 === 0 ? [{ emailAddress: { address: colleagues[(i + 1) % 3]! } }] : [],
    });
  });
  const path = join(dir, "mailbox.ndjson");
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

describeEachEngine("retention racing an import of the same tenant", (h) => {
  let mailbox = "";
  let n = 0;

  beforeAll(() => {
    mailbox = writeMailbox(mkdtempSync(join(tmpdir(), "kith-retention-race-")));
  });

  /** A tenant with two months of retention and older mail of its own (February, March) already stored. */
  async function freshTenant(): Promise<string> {
    h.setNow(clock);
    const ctx = h.ctx();
    const id = await createTenantWithUsers(
      ctx,
      { name: `Retention race ${++n}`, slug: `retention-race-${n}`, domain: "contoso.com", admin },
      colleagues.map((c) => directoryUser(c)),
    );
    await grantConsent(ctx, id, "identifiable", admin);
    await setRelationshipIntelligence(ctx, id, true, admin);
    await setRetention(ctx, id, 2, admin);
    const history = await importRecords(ctx, id, [
      {
        name: "history",
        records: [
          emailRecord("2026-02-10T10:00:00Z", colleagues[0]!, ["old@fabrikam.com"]),
          emailRecord("2026-03-20T10:00:00Z", colleagues[1]!, ["p1@fabrikam.com"]),
          emailRecord("2026-05-20T10:00:00Z", colleagues[2]!, ["p2@fabrikam.com"]),
        ],
      },
    ]);
    expect(history.stored).toBe(3);
    return id;
  }

  const startImport = (tenantId: string, pause: BatchPoint) =>
    spawnNode(["test/helpers/paused-import.ts"], {
      KITH_DATABASE_URL: h.url(),
      KITH_NOW: clock,
      KITH_TENANT: tenantId,
      IMPORT_TENANT: tenantId,
      IMPORT_FILES: mailbox,
      IMPORT_PAUSE: pause,
    });

  const summaryOf = async (child: NodeProcess): Promise<ImportSummary> => {
    const done = await child.exit;
    const line = done.stdout.split("\n").find((l) => l.startsWith("summary "));
    if (!line) throw new Error(`import printed no summary: ${done.stderr}`);
    return JSON.parse(line.slice("summary ".length)) as ImportSummary;
  };

  /**
   * PostgreSQL: resolves once some transaction waits on this tenant's import lock
   * (scope-lock.ts: class 0x4b18, then hashtext(tenant id)) or on a table of this suite's schema,
   * or once `settled` is true (the other side went through without waiting).
   */
  async function someoneWaits(tenantId: string, settled: () => boolean): Promise<void> {
    while (!settled()) {
      const waiting = await inspect(() =>
        sql<{ n: number }>`select count(*)::int as n from pg_locks
          where not granted and database = (select oid from pg_database where datname = current_database())
            and ((locktype = 'advisory' and classid = ${0x4b18}
                  and objid::bigint = (hashtext(${tenantId})::bigint & 4294967295) and objsubid = 2)
              or (locktype = 'relation' and relation in
                  (select oid from pg_class where relnamespace = to_regnamespace(current_schema()))))`.execute(
          h.store().db,
        ),
      );
      if ((waiting.rows[0]?.n ?? 0) > 0) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Every strength state of the tenant, as stored (bytes in hex). */
  const states = (tenantId: string) => storedStatesText(h.store(), tenantId);

  /** The stored interactions' times, and party rows before the cutoff. */
  const stored = async (tenantId: string) => {
    const rows = await collectedRows(h.store(), tenantId);
    return {
      times: rows.interactions.map((r) => r.occurred_at).sort((x, y) => x - y),
      oldParties: rows.parties.filter((p) => p.occurred_at < cutoff).length,
    };
  };

  /** Retention ran last: the states are exactly what a rebuild from the remaining rows makes. */
  const expectStatesRebuilt = async (tenantId: string) => {
    const before = await states(tenantId);
    expect(before).not.toBe("[[],[]]");
    await recomputeStrengths(h.ctx(), tenantId);
    expect(await states(tenantId)).toBe(before);
  };

  const fromCutoff = [...mailTimes, Date.parse("2026-05-20T10:00:00Z")]
    .filter((at) => at >= cutoff)
    .sort((x, y) => x - y);

  it("an import holding its merged batch open, then retention: retention waits, and purges what the import brought before the cutoff", async () => {
    const tenantId = await freshTenant();
    const batch = startImport(tenantId, "committing");
    await batch.line("paused committing");
    let settled = false;
    const retention = enforceRetention(h.ctx(), tenantId).finally(() => (settled = true));
    if (h.engine === "postgres") await someoneWaits(tenantId, () => settled);
    batch.send("go");
    const [summary, run] = await Promise.all([summaryOf(batch), retention]);
    expect(summary.status).toBe("done");
    expect(summary.restarts).toEqual([]);
    expect(run.strengthRebuilt).toBe(true);
    const after = await stored(tenantId);
    expect(after.times.filter((at) => at < cutoff)).toEqual([]);
    expect(after.oldParties).toBe(0);
    expect(after.times).toEqual(fromCutoff);
    await expectStatesRebuilt(tenantId);
  });

  if (h.engine === "postgres") {
    it("retention holding its purge open, then an import of the purged month: the import waits, and keeps every row it brought", async () => {
      const tenantId = await freshTenant();
      const batch = startImport(tenantId, "merging");
      await batch.line("paused merging");
      // Retention is held open after its purge: its CRM step waits for this lock.
      const blocker = new pg.Client({
        connectionString: testPostgresUrl,
        options: `-c search_path=${await inspect(async () => (await sql<{ s: string }>`select current_schema() as s`.execute(h.store().db)).rows[0]!.s)}`,
      });
      await blocker.connect();
      let retention: Promise<unknown> = Promise.resolve();
      try {
        await blocker.query("begin");
        await blocker.query("lock table crm_activity in access exclusive mode");
        let retentionSettled = false;
        retention = enforceRetention(h.ctx(), tenantId).finally(() => (retentionSettled = true));
        await someoneWaits(tenantId, () => retentionSettled);
        batch.send("go");
        let importSettled = false;
        void batch.exit.then(() => (importSettled = true));
        // The import now waits for retention (its import lock, or the purged month's partition).
        const waitingFor = async () =>
          inspect(
            async () =>
              (
                await sql<{ n: number }>`select count(*)::int as n from pg_locks
                  where not granted and database = (select oid from pg_database where datname = current_database())
                    and locktype = 'advisory' and classid = ${0x4b18}
                    and objid::bigint = (hashtext(${tenantId})::bigint & 4294967295) and objsubid = 2`.execute(
                  h.store().db,
                )
              ).rows[0]!.n,
          );
        while (!importSettled && (await waitingFor()) === 0) await new Promise((r) => setTimeout(r, 20));
        expect(importSettled).toBe(false);
      } finally {
        await blocker.query("commit");
        await blocker.end();
      }
      const [summary, run] = await Promise.all([summaryOf(batch), retention]);
      expect(summary.status).toBe("done");
      expect(run).toMatchObject({ strengthRebuilt: true, counts: { interactions: 2 } });
      // Retention went first: the history before the cutoff is gone, the import's rows all stored.
      const after = await stored(tenantId);
      expect(after.times).toEqual([...mailTimes, Date.parse("2026-05-20T10:00:00Z")].sort((x, y) => x - y));
      // (States are compared with a rebuild once retention ran last: an import folds its touches
      // into the stored states, which equals a rebuild up to floating-point rounding only.)
      // The next run removes what the import brought before the cutoff.
      const next = await enforceRetention(h.ctx(), tenantId);
      expect(next.counts.interactions).toBe(mailTimes.filter((at) => at < cutoff).length);
      const last = await stored(tenantId);
      expect(last.times).toEqual(fromCutoff);
      expect(last.oldParties).toBe(0);
      await expectStatesRebuilt(tenantId);
    });
  }
});
