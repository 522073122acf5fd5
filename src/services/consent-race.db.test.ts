/**
 * SPEC §3 "every rule holds under concurrency": a consent change made in another process while a
 * batch runs. Each case pauses a real import process (test/helpers/paused-import.ts) at a chosen
 * point of its batch, runs the change through the real CLI in a second process, then lets the
 * batch go on, and checks the store once both have ended: nothing of the withdrawn scope is left,
 * and the change itself succeeded. Both engines; every interleaving the batch allows.
 */
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { beforeAll, expect, it } from "vitest";
import { directoryUser } from "../../test/helpers/directory";
import { describeEachEngine, inspect } from "../../test/helpers/engines";
import { countInteractions } from "../store/interaction-read.repository";
import { collectedRows } from "../../test/helpers/collected-rows";
import {
  grantConsent,
  readConsent,
  setCollectionRoles,
  setRelationshipIntelligence,
} from "./consent.service";
import { spawnNode, type NodeProcess } from "../../test/helpers/node-process";
import { importDirectory } from "./directory.service";
import type { BatchPoint, ImportSummary } from "./ingest.service";
import { createTenant } from "./tenant.service";
import { updateTenantOptions } from "./tenant-options";

const clock = "2026-06-01T09:00:00Z";
const colleagues = ["u1", "u2", "u3", "u4", "u5", "u6"].map((u) => `${u}@contoso.com`);
const admin = "admin@contoso.com";
const groupId = "ma-group-0001";

/** 600 Graph messages between the colleagues and 40 customers over the three months before `clock`. */
function writeMailbox(dir: string): string {
  const lines: string[] = [];
  const start = Date.parse("2026-03-01T00:00:00Z");
  for (let i = 0; i < 600; i++) {
    const colleague = colleagues[i % colleagues.length]!;
    const customer = `p${i % 40}@fabrikam.com`;
    const outgoing = i % 3 !== 0;
    const [from, to] = outgoing ? [colleague, customer] : [customer, colleague];
    lines.push(
      JSON.stringify({
        id: `m${i}`,
        sentDateTime: new Date(start + i * 3 * 3_600_000).toISOString(),
        internetMessageId: `<m${i}@race.test>`,
        subject: `Deal ${i % 17}`,
        from: { emailAddress: { address: from } },
        toRecipients: [{ emailAddress: { address: to } }],
        ccRecipients: i % 5 === 0 ? [{ emailAddress: { address: colleagues[(i + 1) % 6]! } }] : [],
      }),
    );
  }
  const path = join(dir, "mailbox.ndjson");
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

describeEachEngine("consent changes racing a running batch", (h) => {
  let mailbox = "";
  let n = 0;

  beforeAll(() => {
    mailbox = writeMailbox(mkdtempSync(join(tmpdir(), "kith-race-")));
  });

  async function freshTenant(): Promise<string> {
    h.setNow(clock);
    const ctx = h.ctx();
    const { id } = await createTenant(ctx, {
      name: `Race ${++n}`,
      slug: `race-${n}`,
      domains: ["contoso.com"],
      admin: { email: admin },
    });
    const users = [
      directoryUser(admin, ["Global Administrator", "System Administrator"]),
      ...colleagues.map((c) => ({ ...directoryUser(c), groups: c === "u2@contoso.com" ? [groupId] : [] })),
    ];
    await importDirectory(ctx, id, { users, groups: [{ id: groupId, name: "M&A" }], roles: [] }, [], admin);
    await grantConsent(ctx, id, "identifiable", admin);
    await setRelationshipIntelligence(ctx, id, true, admin);
    return id;
  }

  const env = (tenantId: string) => ({ KITH_DATABASE_URL: h.url(), KITH_NOW: clock, KITH_TENANT: tenantId });

  function startImport(tenantId: string, pause: BatchPoint, count = 1, kind: "import" | "sync" = "import") {
    return spawnNode(["test/helpers/paused-import.ts"], {
      ...env(tenantId),
      IMPORT_TENANT: tenantId,
      IMPORT_FILES: mailbox,
      IMPORT_PAUSE: pause,
      IMPORT_PAUSE_COUNT: String(count),
      IMPORT_KIND: kind,
    });
  }

  const kith = (tenantId: string, args: string[]) => spawnNode(["src/main/cli.ts", ...args], env(tenantId));

  /**
   * Resolves once the change has announced itself (SQLite: its marker beside the database;
   * PostgreSQL: it holds this tenant's scope lock — not another suite's, in the same database) or
   * has already finished.
   */
  async function changeUnderway(change: NodeProcess, tenantId: string): Promise<void> {
    let ended = false;
    void change.exit.then(() => (ended = true));
    for (;;) {
      if (ended) return;
      if (h.engine === "sqlite") {
        const dir = `${h.url()}-scope-changes`;
        try {
          if (readdirSync(dir).length > 0) return;
        } catch {
          // not created yet
        }
      } else {
        // This tenant's scope lock in this database (store/scope-lock.ts: the class, then
        // hashtext(tenant id)); pg_locks lists every suite's locks, and other suites run at once.
        const held = await inspect(() =>
          sql<{ n: number }>`
            select count(*)::int as n from pg_locks
            where locktype = 'advisory' and granted and classid = ${0x4b17}
              and objid::bigint = (hashtext(${tenantId})::bigint & 4294967295) and objsubid = 2
              and database = (select oid from pg_database where datname = current_database())`.execute(
            h.store().db,
          ),
        );
        if ((held.rows[0]?.n ?? 0) > 0) return;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  const summaryOf = async (child: NodeProcess): Promise<ImportSummary> => {
    const done = await child.exit;
    const line = done.stdout.split("\n").find((l) => l.startsWith("summary "));
    if (!line) throw new Error(`import printed no summary: ${done.stderr}`);
    return JSON.parse(line.slice("summary ".length)) as ImportSummary;
  };

  async function partyRowsOf(tenantId: string, address: string): Promise<number> {
    return (await collectedRows(h.store(), tenantId)).parties.filter((p) => p.address === address).length;
  }

  async function pairsOf(tenantId: string, userEmail: string): Promise<number> {
    const user = await inspect(() =>
      h
        .store()
        .db.selectFrom("app_user")
        .select("id")
        .where("tenant_id", "=", tenantId)
        .where("email", "=", userEmail)
        .executeTakeFirstOrThrow(),
    );
    return (await collectedRows(h.store(), tenantId)).pairs.filter((p) => p.user_id === user.id).length;
  }

  /** Pauses the batch at `point`, runs `args` in another process, lets the batch go on; both must end well. */
  async function race(tenantId: string, point: BatchPoint, args: string[]) {
    const batch = startImport(tenantId, point);
    await batch.line(`paused ${point}`);
    const change = kith(tenantId, args);
    await changeUnderway(change, tenantId);
    batch.send("go");
    const [summary, changed] = await Promise.all([summaryOf(batch), change.exit]);
    expect(changed.stderr).toBe("");
    expect(changed.code).toBe(0);
    return { summary, changed };
  }

  const points: BatchPoint[] = ["started", "chunk", "merging", "committing"];

  for (const point of points) {
    it(`a withdrawal while the batch is at "${point}" leaves nothing collected, and succeeds`, async () => {
      const tenantId = await freshTenant();
      const { summary } = await race(tenantId, point, [
        "consent",
        "withdraw",
        "identifiable",
        "--by",
        admin,
        "--json",
      ]);
      expect(summary.status).toBe("done");
      expect(await countInteractions(h.store().db, tenantId)).toEqual({
        interactions: 0,
        pairs: 0,
        persons: 0,
      });
      expect((await readConsent(h.ctx(), tenantId)).consents.identifiable.granted).toBe(false);
      // Before the commit point the batch rolled back and ran again under the withdrawn consent.
      if (point !== "committing") expect(summary.restarts.length).toBe(1);
    });
  }

  for (const point of ["chunk", "committing"] as const) {
    it(`a user turning sharing off while the batch is at "${point}" leaves none of their data`, async () => {
      const tenantId = await freshTenant();
      const { summary } = await race(tenantId, point, [
        "privacy",
        "set-sharing",
        "u1@contoso.com",
        "off",
        "--by",
        "u1@contoso.com",
      ]);
      expect(summary.status).toBe("done");
      expect(await partyRowsOf(tenantId, "u1@contoso.com")).toBe(0);
      expect(await pairsOf(tenantId, "u1@contoso.com")).toBe(0);
      // Everyone else's mail is kept.
      expect(await partyRowsOf(tenantId, "u3@contoso.com")).toBeGreaterThan(50);
    });
  }

  it("an opted-out group committed before the batch commits keeps its member out of the batch", async () => {
    const tenantId = await freshTenant();
    await race(tenantId, "chunk", ["privacy", "opt-out-groups", "set", groupId, "--by", admin]);
    expect(await partyRowsOf(tenantId, "u2@contoso.com")).toBe(0);
    expect(await partyRowsOf(tenantId, "u3@contoso.com")).toBeGreaterThan(50);
  });

  it("an opted-out group set after the batch's final check keeps what the batch collected (future collections only)", async () => {
    const tenantId = await freshTenant();
    await race(tenantId, "committing", ["privacy", "opt-out-groups", "set", groupId, "--by", admin]);
    expect(await partyRowsOf(tenantId, "u2@contoso.com")).toBeGreaterThan(50);
  });

  it("a directory import taking a user out of the collection roles while the batch runs leaves none of their data, and succeeds", async () => {
    const tenantId = await freshTenant();
    await setCollectionRoles(h.ctx(), tenantId, ["Salesperson"], admin);
    const file = join(mkdtempSync(join(tmpdir(), "kith-race-dir-")), "directory.csv");
    writeFileSync(file, ["email,roles", "u1@contoso.com,Sales Manager", ""].join("\n"));
    const { summary } = await race(tenantId, "chunk", ["directory", "import", file]);
    expect(summary.status).toBe("done");
    // The directory import is a scope change: the batch ran again under it (or, on SQLite, yielded
    // its write lock so the import did not fail waiting for it).
    expect(summary.restarts.length).toBeGreaterThan(0);
    expect(await partyRowsOf(tenantId, "u1@contoso.com")).toBe(0);
    expect(await pairsOf(tenantId, "u1@contoso.com")).toBe(0);
    expect(await partyRowsOf(tenantId, "u3@contoso.com")).toBeGreaterThan(50);
  });

  it("relationship intelligence turned off during a live sync: nothing of the sync is kept", async () => {
    const tenantId = await freshTenant();
    await h
      .ctx()
      .store.transaction((trx) => updateTenantOptions(trx, tenantId, { sources: [{ path: mailbox }] }));
    const batch = startImport(tenantId, "chunk", 1, "sync");
    await batch.line("paused chunk");
    const change = kith(tenantId, ["ri", "disable", "--by", admin]);
    await changeUnderway(change, tenantId);
    batch.send("go");
    const [summary, changed] = await Promise.all([batch.exit, change.exit]);
    expect(changed.code).toBe(0);
    expect(summary.stdout).toMatch(/"status":"synced"/);
    expect(await countInteractions(h.store().db, tenantId)).toEqual({
      interactions: 0,
      pairs: 0,
      persons: 0,
    });
  });

  it("two import processes and a withdrawal: nothing survives, and the withdrawal succeeds", async () => {
    const tenantId = await freshTenant();
    const first = startImport(tenantId, "chunk", 1);
    await first.line("paused chunk");
    const second = startImport(tenantId, "started", 99);
    const change = kith(tenantId, ["consent", "withdraw", "identifiable", "--by", admin]);
    await changeUnderway(change, tenantId);
    first.send("go");
    const [a, b, changed] = await Promise.all([summaryOf(first), summaryOf(second), change.exit]);
    expect(changed.code).toBe(0);
    expect([a.status, b.status]).toEqual(["done", "done"]);
    expect(await countInteractions(h.store().db, tenantId)).toEqual({
      interactions: 0,
      pairs: 0,
      persons: 0,
    });
  });

  it("a withdrawal with no batch running is not slowed by the lock machinery, and an import after it stores nothing", async () => {
    const tenantId = await freshTenant();
    const changed = await kith(tenantId, ["consent", "withdraw", "identifiable", "--by", admin]).exit;
    expect(changed.code).toBe(0);
    const summary = await summaryOf(startImport(tenantId, "committing", 99));
    expect(summary).toMatchObject({ status: "done", stored: 0 });
  });
});
