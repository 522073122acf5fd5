import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { describeEachEngine } from "../../test/helpers/engines";
import { grantConsent } from "./consent.service";
import { importDirectory } from "./directory.service";
import { importBatch } from "./ingest.service";
import { createTenant } from "./tenant.service";

const enronDir = new URL("../../../shared/data/enron/mbox/", import.meta.url).pathname;
const cifs = new URL(
  "../../../shared/data/mailing-lists/linux-cifs/linux-cifs-2019-2020.mbox",
  import.meta.url,
).pathname;
/** Python `mailbox.mbox` message counts per file, computed independently (test/fixtures/ingest/enron-counts.tsv). */
const pythonCounts = new Map(
  readFileSync(new URL("../../test/fixtures/ingest/enron-counts.tsv", import.meta.url), "utf8")
    .trim()
    .split("\n")
    .filter((line) => !line.startsWith("file"))
    .map((line) => line.split("\t") as [string, string])
    .map(([file, n]) => [file, Number(n)]),
);

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
    const first = await importBatch(h.ctx(), tenant.id, [join(enronDir, "enron.allen-p._sent_mail")], owner);
    expect(first).toMatchObject({ read: 602, stored: 596, duplicates: 2 });
    const second = await importBatch(h.ctx(), tenant.id, [join(enronDir, "enron.allen-p.sent")], owner);
    expect(second).toMatchObject({ read: 562, stored: 7, duplicates: 551 });
    const again = await importBatch(h.ctx(), tenant.id, [join(enronDir, "enron.allen-p.sent")], owner);
    expect(again).toMatchObject({ stored: 0, duplicates: 558 });
  });
});
