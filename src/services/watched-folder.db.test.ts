import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, beforeEach, expect, it } from "vitest";
import { readMbox } from "../ingest/sources/rfc5322";
import { countInteractions } from "../store/interaction-read.repository";
import { runCli } from "../cli/program";
import { describeWithCorpora, enronMbox } from "../../test/helpers/corpora";
import { describeEachEngine, inspect } from "../../test/helpers/engines";
import { graphMessagesFrom } from "../../test/helpers/graph-server";
import { spawnNode } from "../../test/helpers/node-process";
import { grantConsent } from "./consent.service";
import { importDirectory } from "./directory.service";
import { createTenant } from "./tenant.service";
import { scanWatchedFolder } from "./watched-folder.service";

const allen = "phillip.allen@enron.com";
const fixtures = join(import.meta.dirname, "../../test/fixtures/ingest");
const now = "2024-06-01T09:00:00Z";

describeWithCorpora("watched folder", () =>
  describeEachEngine("watched folder: each dropped file imported once, then moved", (h) => {
    let tenantId = "";
    let dir = "";
    let graphLines: string[] = [];
    const stored = async () => (await inspect(() => countInteractions(h.store().db, tenantId))).interactions;
    const scan = () => scanWatchedFolder(h.ctx(), tenantId, dir, { settleMs: 0 });
    const listing = (sub: string) => (existsSync(join(dir, sub)) ? readdirSync(join(dir, sub)).sort() : []);

    /** A tenant whose only user is Allen, with collection consent. */
    const setUpTenant = async (name: string) => {
      const tenant = await createTenant(h.ctx(), {
        name,
        domains: ["enron.com"],
        admin: { email: "admin@enron.com" },
      });
      await importDirectory(
        h.ctx(),
        tenant.id,
        {
          roles: [],
          groups: [],
          users: [
            {
              email: allen,
              externalId: null,
              name: "Phillip Allen",
              aliases: ["k..allen@enron.com", "pallen@enron.com"],
              guest: false,
              roles: ["Salesperson"],
              groups: null,
            },
          ],
        },
        [],
        "test",
      );
      await grantConsent(h.ctx(), tenant.id, "identifiable", "admin@enron.com");
      return tenant.id;
    };

    beforeAll(async () => {
      h.setNow(now);
      tenantId = await setUpTenant("Enron");
      // Graph NDJSON as an export would write it: Allen's sent items, each naming its mailbox.
      const sent = await graphMessagesFrom(readMbox(join(enronMbox, "enron.allen-p.sent_items")));
      graphLines = sent.slice(0, 40).map((m) => JSON.stringify({ ...m, mailboxOwner: allen }));
    });

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), "kith-watch-"));
    });

    it("imports .eml, mbox, Graph NDJSON and .ics once each and moves them to done/", async () => {
      mkdirSync(join(dir, allen));
      copyFileSync(join(enronMbox, "enron.allen-p.inbox"), join(dir, allen, "enron.allen-p.inbox"));
      copyFileSync(join(fixtures, "enron-message.eml"), join(dir, allen, "memo.eml"));
      copyFileSync(join(fixtures, "recurring.ics"), join(dir, allen, "calendar.ics"));
      writeFileSync(join(dir, "allen-sent.ndjson"), `${graphLines.join("\n")}\n`);
      writeFileSync(join(dir, "half-written.ndjson.part"), graphLines[0]!);
      writeFileSync(join(dir, ".incoming.eml"), "");
      const before = await stored();

      const files = await scan();
      expect(files.map((f) => [f.file, f.outcome])).toEqual(
        expect.arrayContaining([
          [join(allen, "enron.allen-p.inbox"), "done"],
          [join(allen, "memo.eml"), "done"],
          [join(allen, "calendar.ics"), "done"],
          ["allen-sent.ndjson", "done"],
        ]),
      );
      expect(files).toHaveLength(4);
      const byName = new Map(files.map((f) => [f.file, f.summary!]));
      expect(byName.get(join(allen, "enron.allen-p.inbox"))).toMatchObject({ status: "done", read: 66 });
      expect(byName.get("allen-sent.ndjson")).toMatchObject({ status: "done", read: 40, rejected: 0 });
      expect(byName.get(join(allen, "calendar.ics"))!.read).toBeGreaterThan(0);
      const kept = files.reduce((sum, f) => sum + f.summary!.stored, 0);
      expect(kept).toBeGreaterThan(60);
      expect((await stored()) - before).toBe(kept);
      // Moved, at the same relative path; files still being written stay where they are.
      expect(listing(join("done", allen))).toEqual([
        "calendar.ics",
        "calendar.ics.reason.txt",
        "enron.allen-p.inbox",
        "memo.eml",
      ]);
      // The fixture's event without a start is named beside the file.
      expect(readFileSync(join(dir, "done", allen, "calendar.ics.reason.txt"), "utf8")).toMatch(
        /^file: phillip\.allen@enron\.com\/calendar\.ics\nrecord 5 \(line 65\): VEVENT broken-003@contoso\.com has no DTSTART$/m,
      );
      expect(listing("done")).toContain("allen-sent.ndjson");
      expect(readdirSync(dir).sort()).toEqual([".incoming.eml", "done", "half-written.ndjson.part", allen]);
      expect(listing(allen)).toEqual([]);

      // Nothing is imported twice: the next scan finds nothing, and the same file dropped again
      // (a new name) stores nothing new.
      expect(await scan()).toEqual([]);
      copyFileSync(join(enronMbox, "enron.allen-p.inbox"), join(dir, allen, "again.mbox"));
      const again = await scan();
      const inboxFirst = byName.get(join(allen, "enron.allen-p.inbox"))!;
      expect(again[0]!.summary).toMatchObject({
        read: 66,
        stored: 0,
        duplicates: inboxFirst.stored + inboxFirst.duplicates,
      });
      expect((await stored()) - before).toBe(kept);
    });

    it("moves an unreadable file to failed/ with a reason naming it; rejected records are listed", async () => {
      writeFileSync(join(dir, "notes.txt"), "just some words, not mail\n");
      writeFileSync(
        join(dir, "mixed.ndjson"),
        `${graphLines[0]}\n{"id": "broken", "subject": \n${graphLines[1]}\n`,
      );
      writeFileSync(
        join(dir, "all-bad.ndjson"),
        `{"@odata.type": "#microsoft.graph.contact", "id": "c1"}\n{"@odata.type": "#microsoft.graph.contact", "id": "c2"}\n`,
      );
      const files = await scan();
      const outcome = Object.fromEntries(files.map((f) => [f.file, f.outcome]));
      expect(outcome).toEqual({ "notes.txt": "failed", "mixed.ndjson": "done", "all-bad.ndjson": "failed" });

      expect(listing("failed")).toEqual([
        "all-bad.ndjson",
        "all-bad.ndjson.reason.txt",
        "notes.txt",
        "notes.txt.reason.txt",
      ]);
      const notes = readFileSync(join(dir, "failed", "notes.txt.reason.txt"), "utf8");
      expect(notes).toMatch(/^file: notes\.txt\nreason: .*unknown source format/);
      const allBad = readFileSync(join(dir, "failed", "all-bad.ndjson.reason.txt"), "utf8");
      expect(allBad).toMatch(
        /^file: all-bad\.ndjson\nrecord 1 \(line 1\): neither a Graph message nor an event/m,
      );
      expect(allBad).toMatch(/^record 2 \(line 2\): /m);
      // One bad line does not fail the file: the rest is kept and the line named beside it in done/.
      const mixed = files.find((f) => f.file === "mixed.ndjson")!;
      expect(mixed.summary).toMatchObject({ read: 3, rejected: 1 });
      expect(readFileSync(join(dir, "done", "mixed.ndjson.reason.txt"), "utf8")).toMatch(
        /^record 2 \(line 2\): /m,
      );
    });

    it("a mailbox the gate refuses is not read: moved to done/ with the rule", async () => {
      mkdirSync(join(dir, "someone.else@enron.com"));
      copyFileSync(join(enronMbox, "enron.allen-p.inbox"), join(dir, "someone.else@enron.com", "inbox.mbox"));
      const before = await stored();
      const [file] = await scan();
      expect(file).toMatchObject({ outcome: "done", summary: { read: 0, stored: 0 } });
      expect(file!.reason).toMatch(
        /not read: the mailbox owner someone\.else@enron\.com is refused by the collection gate \(not_directory_user\)/,
      );
      expect(await stored()).toBe(before);
    });

    it("leaves a file that is still being written (modified just now) for the next scan", async () => {
      writeFileSync(join(dir, "fresh.ndjson"), `${graphLines[2]}\n`);
      expect(await scanWatchedFolder(h.ctx(), tenantId, dir, { settleMs: 60_000 })).toEqual([]);
      const old = new Date(Date.now() - 120_000);
      utimesSync(join(dir, "fresh.ndjson"), old, old);
      const files = await scanWatchedFolder(h.ctx(), tenantId, dir, { settleMs: 60_000 });
      expect(files.map((f) => f.outcome)).toEqual(["done"]);
    });

    for (const point of ["chunk", "imported"] as const) {
      it(`a kill -9 ${point === "chunk" ? "mid-file (a chunk written, not committed)" : "after the commit, before the move"} re-imports the file with no duplicate and no loss`, async () => {
        tenantId = await setUpTenant(`Enron ${point}`);
        mkdirSync(join(dir, allen));
        copyFileSync(join(enronMbox, "enron.allen-p.sent_items"), join(dir, allen, "sent.mbox"));
        const before = await stored();
        const child = spawnNode(["test/helpers/watch-process.ts"], {
          KITH_DATABASE_URL: h.url(),
          KITH_NOW: now,
          WATCH_TENANT: tenantId,
          WATCH_DIR: dir,
          WATCH_PAUSE: point,
        });
        await child.line(`paused ${point}`);
        child.kill();
        await child.exit;
        // The file is still in the folder; before the commit nothing of it was kept.
        expect(listing(allen)).toEqual(["sent.mbox"]);
        const afterCrash = await stored();
        if (point === "chunk") expect(afterCrash).toBe(before);
        else expect(afterCrash).toBeGreaterThan(before);

        const [file] = await scan();
        expect(file).toMatchObject({ outcome: "done", summary: { read: 345 } });
        if (point === "imported") {
          expect(file!.summary!.stored).toBe(0);
          expect(file!.summary!.duplicates).toBe(afterCrash - before);
        }
        const total = await stored();
        if (point === "imported") expect(total).toBe(afterCrash);
        // Whatever the crash point, the kept set is the one a clean import of the file gives.
        const clean = mkdtempSync(join(tmpdir(), "kith-watch-"));
        mkdirSync(join(clean, allen));
        copyFileSync(join(enronMbox, "enron.allen-p.sent_items"), join(clean, allen, "sent.mbox"));
        const [rerun] = await scanWatchedFolder(h.ctx(), tenantId, clean, { settleMs: 0 });
        expect(rerun!.summary).toMatchObject({ stored: 0 });
        expect(await stored()).toBe(total);
        expect(listing(join("done", allen))).toEqual(["sent.mbox"]);
      });
    }

    it("`kith watch <dir> --once` imports and prints what it did", async () => {
      writeFileSync(join(dir, "cli.ndjson"), `${graphLines.slice(0, 5).join("\n")}\n`);
      utimesSync(join(dir, "cli.ndjson"), new Date(Date.now() - 10_000), new Date(Date.now() - 10_000));
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(
        ["watch", dir, "--once", "--tenant", tenantId],
        { out: (s) => out.push(s), err: (s) => err.push(s) },
        { KITH_DATABASE_URL: h.url(), KITH_NOW: now },
      );
      expect(err.join("")).toBe("");
      expect(code).toBe(0);
      expect(out.join("")).toMatch(/^done cli\.ndjson: 5 read, \d+ stored, \d+ duplicates, 0 rejected/);
      expect(listing("done")).toEqual(["cli.ndjson"]);
    });
  }),
);
