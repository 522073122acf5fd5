/**
 * Several ingest workers on one store (SPEC §2, issue 15): two processes importing different
 * mailboxes of one tenant at once leave the same store as one process importing both — no
 * strength touch lost, no message stored twice, even though a third of the mail sits in both
 * mailboxes. On PostgreSQL both batches are held at the merge point together and released at
 * once, so they stage side by side and meet at the tenant's merge (interaction-copy.ts); on
 * SQLite the second waits for the first's write lock.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { directoryUser } from "../../test/helpers/directory";
import {
  describeEachEngine,
  dropSchema,
  testPostgresUrl,
  type EngineHarness,
} from "../../test/helpers/engines";
import { spawnNode } from "../../test/helpers/node-process";
import { ingestDigest } from "../../test/helpers/store-digest";
import { createSeededRng } from "../insights/rng";
import { openStore, type Store } from "../store/store";
import { grantConsent } from "./consent.service";
import { createContext, type ServiceContext } from "./context";
import { importDirectory } from "./directory.service";
import { importBatch } from "./ingest.service";
import { createTenant } from "./tenant.service";

const admin = "admin@contoso.com";
const colleagues = Array.from({ length: 6 }, (_, i) => `u${i}@contoso.com`);
const clock = "2026-06-01T09:00:00Z";

/**
 * Two Graph NDJSON mailboxes (even and odd colleagues) of messages among the same people. With
 * `shared`, a third of the messages sit in both; otherwise no message does, and all mail is
 * between colleagues.
 */
function writeMailboxes(dir: string, shared: boolean): [string, string] {
  const rand = createSeededRng(15);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const externals = Array.from({ length: 30 }, (_, i) => `c${i}@d${i % 5}.example`);
  const lines: [string[], string[]] = [[], []];
  const addr = (a: string) => ({ emailAddress: { name: a.split("@")[0], address: a } });
  for (let n = 0; n < 420; n++) {
    const outbound = !shared || rand() < 0.55;
    const sender = outbound ? pick(colleagues) : pick(externals);
    const other = shared ? externals : colleagues;
    const to = [outbound ? pick(other) : pick(colleagues), pick(colleagues), pick(other)].filter(
      (a) => a !== sender,
    );
    if (to.length === 0) continue;
    const sent = new Date(Date.UTC(2026, 0, 1) + Math.floor(rand() * 140 * 86_400_000)).toISOString();
    const owner = outbound ? sender : to.find((a) => a.endsWith("@contoso.com"))!;
    const line = (mailboxOwner: string) =>
      JSON.stringify({
        internetMessageId: `<m${n}@test>`,
        sentDateTime: sent,
        subject: `s${n}`,
        from: addr(sender),
        toRecipients: [...new Set(to)].map(addr),
        ccRecipients: [],
        mailboxOwner,
      });
    const side = Number(owner.slice(1, owner.indexOf("@"))) % 2;
    lines[side]!.push(line(owner));
    if (shared && n % 3 === 0) lines[1 - side]!.push(line(colleagues[1 - side]!));
  }
  const files: [string, string] = [join(dir, `even-${shared}.ndjson`), join(dir, `odd-${shared}.ndjson`)];
  files.forEach((f, i) => writeFileSync(f, `${lines[i]!.join("\n")}\n`));
  return files;
}

async function setUpTenant(ctx: ServiceContext, slug: string): Promise<string> {
  const { id } = await createTenant(ctx, {
    name: slug,
    slug,
    domains: ["contoso.com"],
    admin: { email: admin },
  });
  const users = [
    directoryUser(admin, ["Global Administrator", "System Administrator"]),
    ...colleagues.map((c) => directoryUser(c)),
  ];
  await importDirectory(ctx, id, { users, groups: [], roles: [] }, [], admin);
  await grantConsent(ctx, id, "identifiable", admin);
  return id;
}

/** A second, empty store of the harness's engine: the one-process reference. */
async function referenceStore(h: EngineHarness): Promise<{ store: Store; drop: () => Promise<void> }> {
  if (h.engine === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "kith-ref-"));
    const store = await openStore(join(dir, "kith.db"));
    return {
      store,
      drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
    };
  }
  const schema = `ref_${randomBytes(5).toString("hex")}`;
  const store = await openStore(testPostgresUrl, { schema });
  return { store, drop: () => dropSchema(schema) };
}

describeEachEngine("two ingest workers on one tenant", (h) => {
  let dir = "";
  let n = 0;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "kith-workers-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // Shared messages: the second merge also finds the first's copies (late duplicates). Internal
  // mail in disjoint mailboxes: no row of one merge (message, person) makes the other wait, so
  // without the tenant's merge lock both would fold onto the same old colleague-pair states and
  // the later commit would drop the other's touches.
  it.each([
    ["with a third of the messages in both mailboxes", true],
    ["of colleagues writing to each other, no message in both", false],
  ])(
    "leave the same store as one process importing both mailboxes, %s",
    { timeout: 120_000 },
    async (_, shared) => {
      const files = writeMailboxes(dir, shared);
      h.setNow(clock);
      const tenantId = await setUpTenant(h.ctx(), `workers-${++n}`);
      // PostgreSQL: both hold at the merge point until both have staged everything.
      const pause = h.engine === "postgres" ? "merging" : "none";
      const workers = files.map((file) =>
        spawnNode(["test/helpers/paused-import.ts"], {
          KITH_DATABASE_URL: h.url(),
          KITH_NOW: clock,
          IMPORT_TENANT: tenantId,
          IMPORT_FILES: file,
          IMPORT_PAUSE: pause,
          IMPORT_CHUNK: "50",
        }),
      );
      if (h.engine === "postgres") {
        await Promise.all(workers.map((w) => w.line("paused merging")));
        for (const w of workers) w.send("go");
      }
      const exits = await Promise.all(workers.map((w) => w.exit));
      const summaries = exits.map((e) => {
        const line = e.stdout.split("\n").find((l) => l.startsWith("summary "));
        if (!line) throw new Error(`worker failed: ${e.stderr}`);
        return JSON.parse(line.slice("summary ".length)) as {
          status: string;
          stored: number;
          duplicates: number;
        };
      });
      expect(summaries.map((s) => s.status)).toEqual(["done", "done"]);

      const reference = await referenceStore(h);
      try {
        const ctx = createContext(reference.store, () => new Date(clock));
        const refTenant = await setUpTenant(ctx, `reference-${n}`);
        let stored = 0;
        for (const file of files)
          stored += (await importBatch(ctx, refTenant, [file], { chunkSize: 50 })).stored;
        // Each message stored once, by whichever worker merged it first; the counts add up.
        expect(summaries[0]!.stored + summaries[1]!.stored).toBe(stored);
        if (shared) expect(summaries[0]!.duplicates + summaries[1]!.duplicates).toBeGreaterThan(100);
        const expected = await ingestDigest(reference.store, refTenant);
        expect(await ingestDigest(h.store(), tenantId)).toEqual(expected);
      } finally {
        await reference.store.close();
        await reference.drop();
      }
    },
  );
});
