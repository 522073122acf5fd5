import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { collectedRows } from "../../test/helpers/collected-rows";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { describeWithCorpora, enronMbox, linuxCifsMbox } from "../../test/helpers/corpora";
import { describeEachEngine } from "../../test/helpers/engines";
import { grantConsent } from "./consent.service";
import { importDirectory } from "./directory.service";
import { importBatch, type ImportSummary } from "./ingest.service";
import { createTenant } from "./tenant.service";

const enronDir = enronMbox;
const cifs = linuxCifsMbox;
/** Python `mailbox.mbox` message counts per file, computed independently (test/fixtures/ingest/enron-counts.tsv). */
const pythonCounts = new Map(
  readFileSync(new URL("../../test/fixtures/ingest/enron-counts.tsv", import.meta.url), "utf8")
    .trim()
    .split("\n")
    .filter((line) => !line.startsWith("file"))
    .map((line) => line.split("\t") as [string, string])
    .map(([file, n]) => [file, Number(n)]),
);

describeWithCorpora("real corpora", () =>
  describeEachEngine("real corpora through the whole pipeline", (h) => {
    beforeAll(() => h.setNow("2002-12-31T00:00:00Z"));

    it("every Enron file and the mailing list are read with the independent per-file counts", async () => {
      // No consent: everything is refused, so this measures reading and gating, and stores nothing.
      const tenant = await createTenant(h.ctx(), { name: "Counts", domains: ["enron.com"] });
      const files = readdirSync(enronDir).sort();
      expect(files).toHaveLength(471);
      const summary = await importBatch(h.ctx(), tenant.id, [...files.map((f) => join(enronDir, f)), cifs], {
        format: "mbox",
      });
      expect(summary.status).toBe("done");
      const read = new Map(summary.files.map((f) => [f.path.slice(f.path.lastIndexOf("/") + 1), f.read]));
      for (const file of files) expect(read.get(file), file).toBe(pythonCounts.get(file));
      expect(summary.read).toBe(43_451 + 3_541);
      expect(read.get("linux-cifs-2019-2020.mbox")).toBe(3_541);
      expect(summary.stored).toBe(0);
    });

    it("folds copies of one email across folders (Phillip Allen's sent folders)", async () => {
      const tenant = await createTenant(h.ctx(), {
        name: "Allen",
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
              email: "phillip.allen@enron.com",
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
      // Expected figures from an independent Python count: messages with Allen on them and a usable
      // date, keyed by (date to the second, from, sorted To+Cc, normalised subject).
      const owner = { owner: "phillip.allen@enron.com" };
      const first = await importBatch(
        h.ctx(),
        tenant.id,
        [join(enronDir, "enron.allen-p._sent_mail")],
        owner,
      );
      expect(first).toMatchObject({ read: 602, stored: 596, duplicates: 2 });
      const second = await importBatch(h.ctx(), tenant.id, [join(enronDir, "enron.allen-p.sent")], owner);
      expect(second).toMatchObject({ read: 562, stored: 7, duplicates: 551 });
      const again = await importBatch(h.ctx(), tenant.id, [join(enronDir, "enron.allen-p.sent")], owner);
      expect(again).toMatchObject({ stored: 0, duplicates: 558 });
    });

    it("reading ahead on a worker thread keeps exactly what reading inline keeps", async () => {
      // Two mailboxes of real mail, plus a maildir and an mbox with a broken message each: the
      // rejections must name the same file and record whichever thread read them.
      const scratch = mkdtempSync(join(tmpdir(), "kith-read-ahead-"));
      for (const sub of ["cur", "new", "tmp"]) mkdirSync(join(scratch, "maildir", sub), { recursive: true });
      const sample = readFileSync(join(enronDir, "enron.lavorato-j.inbox"), "latin1").split(/(?=^From )/m);
      writeFileSync(
        join(scratch, "maildir", "cur", "1.kith:2,S"),
        sample[1]!.replace(/^From .*\n/, ""),
        "latin1",
      );
      writeFileSync(join(scratch, "maildir", "cur", "2.kith:2,S"), "\nno header block\n");
      writeFileSync(
        join(scratch, "maildir", "new", "3.kith"),
        sample[2]!.replace(/^From .*\n/, ""),
        "latin1",
      );
      const broken = join(scratch, "broken.mbox");
      writeFileSync(
        broken,
        `${sample[0]}From MAILER-DAEMON Mon Apr 18 14:23:23 2022\n\nbody\n\n${sample[3]}`,
        "latin1",
      );
      const owners = new Map<string, string>();
      const files = readdirSync(enronDir)
        .filter((f) => f.startsWith("enron.allen-p.") || f.startsWith("enron.lavorato-j."))
        .sort()
        .map((f) => join(enronDir, f));
      for (const f of files)
        owners.set(f, f.includes("allen-p") ? "phillip.allen@enron.com" : "john.lavorato@enron.com");
      const paths = [...files, join(scratch, "maildir"), broken];
      for (const p of paths.slice(-2)) owners.set(p, "john.lavorato@enron.com");

      const importInto = async (name: string, readAhead: boolean) => {
        const tenant = await createTenant(h.ctx(), {
          name,
          domains: ["enron.com"],
          admin: { email: "admin@enron.com" },
        });
        const user = (email: string, aliases: string[]) => ({
          email,
          externalId: null,
          name: null,
          aliases,
          guest: false,
          roles: ["Salesperson"],
          groups: null,
        });
        const users = [
          user("phillip.allen@enron.com", ["pallen@enron.com"]),
          user("john.lavorato@enron.com", []),
        ];
        await importDirectory(h.ctx(), tenant.id, { roles: [], groups: [], users }, [], "test");
        await grantConsent(h.ctx(), tenant.id, "identifiable", "admin@enron.com");
        const summary = await importBatch(h.ctx(), tenant.id, paths, { owners, readAhead });
        const stored = await collectedRows(h.store(), tenant.id);
        const rows = stored.interactions
          .map(({ id, message_key, occurred_at, sender, participant_count, subject }) => ({
            id,
            message_key,
            occurred_at,
            sender,
            participant_count,
            subject,
          }))
          .sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
        const parties = stored.parties
          .map(({ address, occurred_at, role }) => ({ address, occurred_at, role }))
          .sort(
            (x, y) =>
              (x.address < y.address ? -1 : x.address > y.address ? 1 : 0) ||
              x.occurred_at - y.occurred_at ||
              (x.role < y.role ? -1 : x.role > y.role ? 1 : 0),
          );
        return { summary, rows, parties };
      };
      const comparable = ({ batchId: _b, label: _l, durationMs: _d, ...rest }: ImportSummary) => rest;
      const inline = await importInto("Inline", false);
      const ahead = await importInto("Ahead", true);
      expect(inline.summary.status).toBe("done");
      expect(inline.summary.stored).toBeGreaterThan(1000);
      // Allen's mailboxes hold messages dated 1980-01-01 (a mail system's empty date): rejected by name.
      const [badDates, other] = partition(inline.summary.rejections, (r) =>
        r.reason.includes("before 1990-01-01"),
      );
      expect(badDates.length).toBeGreaterThan(0);
      expect(badDates.every((r) => r.reason.startsWith("date 1980-01-01T00:00:00.000Z"))).toBe(true);
      expect(other).toEqual([
        {
          file: join(scratch, "maildir", "cur", "2.kith:2,S"),
          record: 2,
          reason: "empty message: no header block",
        },
        { file: broken, record: 2, reason: "empty message: no header block" },
      ]);
      expect(comparable(ahead.summary)).toEqual(comparable(inline.summary));
      expect(ahead.rows).toEqual(inline.rows);
      expect(ahead.parties).toEqual(inline.parties);
    });

    it("a file the worker cannot read fails its batch whole", async () => {
      const tenant = await createTenant(h.ctx(), {
        name: "Unreadable",
        domains: ["enron.com"],
        admin: { email: "admin@enron.com" },
      });
      await grantConsent(h.ctx(), tenant.id, "identifiable", "admin@enron.com");
      // A folder read as mbox: the stat succeeds, the read fails inside the worker.
      const folder = mkdtempSync(join(tmpdir(), "kith-not-mbox-"));
      const paths = [join(enronDir, "enron.allen-p._sent_mail"), folder];
      const summary = await importBatch(h.ctx(), tenant.id, paths, { format: "mbox", readAhead: true });
      expect(summary).toMatchObject({ status: "failed", stored: 0 });
      expect(summary.failure).toMatch(/EISDIR/);
      expect((await collectedRows(h.store(), tenant.id)).interactions).toHaveLength(0);
    });
  }),
);

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (test(item) ? yes : no).push(item);
  return [yes, no];
}
