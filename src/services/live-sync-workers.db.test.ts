import { randomBytes } from "node:crypto";
import { collectedRows } from "../../test/helpers/collected-rows";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTenantWithUsers, directoryUser } from "../../test/helpers/directory";
import { enronMessages, startDovecot, type Dovecot } from "../../test/helpers/dovecot";
import { describeEachEngine } from "../../test/helpers/engines";
import { spawnNode } from "../../test/helpers/node-process";
import { grantConsent } from "./consent.service";
import { createCredentialCipher } from "./credentials";
import { addLiveSource, listLiveSources, newWorkerId, syncMailbox } from "./live-sync.service";

const joe = "joe.quenet@enron.com";
const phillip = "phillip.allen@enron.com";
const joeMail = {
  INBOX: enronMessages("enron.quenet-j.inbox"),
  Sent: enronMessages("enron.quenet-j.sent", 40),
};
const phillipMail = { INBOX: enronMessages("enron.allen-p.inbox", 45) };
const total: Record<string, number> = {
  [joe]: joeMail.INBOX.length + joeMail.Sent.length,
  [phillip]: phillipMail.INBOX.length,
};
const key = randomBytes(32).toString("base64");

interface PageLine {
  n: number;
  mailbox: string;
  read: number;
  stored: number;
  duplicates: number;
}
const pagesOf = (stdout: string): PageLine[] =>
  stdout
    .split("\n")
    .filter((l) => l.startsWith("page "))
    .map((l) => {
      const [, n, mailbox, read, stored, duplicates] = l.split(" ");
      return {
        n: Number(n),
        mailbox: mailbox!,
        read: Number(read),
        stored: Number(stored),
        duplicates: Number(duplicates),
      };
    });
const outcomesOf = (stdout: string) =>
  new Map(
    stdout
      .split("\n")
      .filter((l) => l.startsWith("outcome "))
      .map((l) => {
        const [, mailbox, ...json] = l.split(" ");
        return [
          mailbox!,
          JSON.parse(json.join(" ")) as { status: string; read?: number; duplicates?: number },
        ];
      }),
  );

describeEachEngine("live sync workers in separate processes", (h) => {
  let dovecot: Dovecot;
  const cipher = createCredentialCipher(key);

  beforeAll(async () => {
    dovecot = await startDovecot({
      users: [
        {
          login: "quenet-j",
          password: "joe-pw-123456",
          folders: {
            INBOX: joeMail.INBOX.map((raw) => ({ raw })),
            Sent: joeMail.Sent.map((raw) => ({ raw })),
          },
        },
        {
          login: "allen-p",
          password: "phil-pw-123456",
          folders: { INBOX: phillipMail.INBOX.map((raw) => ({ raw })) },
        },
      ],
    });
    h.setNow("2026-06-01T09:00:00Z");
  });
  afterAll(async () => {
    await dovecot?.stop();
  });

  const tenantWithSource = async (slug: string) => {
    const admin = `admin@enron.com`;
    const tenantId = await createTenantWithUsers(h.ctx(), { name: slug, slug, domain: "enron.com", admin }, [
      directoryUser(joe),
      directoryUser(phillip),
    ]);
    await grantConsent(h.ctx(), tenantId, "identifiable", admin);
    const source = await addLiveSource(
      h.ctx(),
      cipher,
      tenantId,
      {
        kind: "imap",
        name: "Enron",
        settings: { host: "127.0.0.1", port: dovecot.port, tls: "none", auth: "password", pageSize: 5 },
        mailboxes: [
          { address: joe, login: "quenet-j", secret: "joe-pw-123456" },
          { address: phillip, login: "allen-p", secret: "phil-pw-123456" },
        ],
      },
      admin,
    );
    return { tenantId, sourceId: source.id };
  };
  const env = (tenantId: string, sourceId: string, mailboxes: string[], delayMs: number) => ({
    KITH_DATABASE_URL: h.url(),
    KITH_SECRET_KEY: key,
    KITH_NOW: "2026-06-01T09:00:00Z",
    LIVE_TENANT: tenantId,
    LIVE_SOURCE: sourceId,
    LIVE_MAILBOXES: mailboxes.join(","),
    LIVE_PAGE_DELAY_MS: String(delayMs),
  });
  const storedCount = async (tenantId: string) => {
    const rows = (await collectedRows(h.store(), tenantId)).interactions;
    return {
      rows: rows.length,
      keys: new Set(rows.map((r) => r.message_key).filter((k) => k !== null)).size,
    };
  };

  it("a worker killed (-9) mid-sync is resumed by another with no message lost or stored twice", async () => {
    const { tenantId, sourceId } = await tenantWithSource(`kill-${h.engine}`);
    const child = spawnNode(["test/helpers/live-sync-process.ts"], env(tenantId, sourceId, [joe], 150));
    await child.line("page 3 ");
    child.kill();
    const { stdout } = await child.exit;
    const committed = pagesOf(stdout);
    expect(committed.length).toBeGreaterThanOrEqual(3);
    expect(committed.length * 5).toBeLessThan(total[joe]!);
    // What the killed worker committed is there with its cursor: the state and the rows agree.
    const left = (await listLiveSources(h.ctx(), tenantId))[0]!.mailboxes.find((m) => m.mailbox === joe)!;
    expect(left.cursor).not.toBeNull();
    expect(left.stage).not.toBe("idle");
    const storedBefore = await storedCount(tenantId);
    expect(left.imported).toBe(storedBefore.rows);
    expect(storedBefore.rows).toBe(committed.reduce((sum, p) => sum + p.stored, 0));

    // Another worker takes the dead one's lease at once (same host, process gone) and goes on.
    const resumed = await syncMailbox(h.ctx(), { cipher, workerId: newWorkerId() }, tenantId, {
      sourceId,
      mailbox: joe,
    });
    expect(resumed).toMatchObject({ status: "synced", duplicates: 0, resynced: false });
    const readByChild = committed.reduce((sum, p) => sum + p.read, 0);
    expect(readByChild + (resumed.status === "synced" ? resumed.read : 0)).toBe(total[joe]);
    expect(committed.every((p) => p.duplicates === 0)).toBe(true);
    const after = await storedCount(tenantId);
    expect(after.rows).toBe(after.keys);
    expect(after.rows).toBe(storedBefore.rows + (resumed.status === "synced" ? resumed.stored : 0));
  });

  it("two workers on one store: each mailbox is synced by one at a time, no message imported twice", async () => {
    const { tenantId, sourceId } = await tenantWithSource(`two-${h.engine}`);
    const a = spawnNode(["test/helpers/live-sync-process.ts"], env(tenantId, sourceId, [joe, phillip], 40));
    const b = spawnNode(["test/helpers/live-sync-process.ts"], env(tenantId, sourceId, [phillip, joe], 40));
    const [ra, rb] = await Promise.all([a.exit, b.exit]);
    expect(ra.code, ra.stderr).toBe(0);
    expect(rb.code, rb.stderr).toBe(0);
    const pages = [...pagesOf(ra.stdout), ...pagesOf(rb.stdout)];
    expect(pages.every((p) => p.duplicates === 0)).toBe(true);
    const outcomes = [outcomesOf(ra.stdout), outcomesOf(rb.stdout)];
    for (const mailbox of [joe, phillip]) {
      const read = pages.filter((p) => p.mailbox === mailbox).reduce((sum, p) => sum + p.read, 0);
      expect(read).toBe(total[mailbox]);
      // One worker read the mailbox; the other found it leased, or (later) nothing new after its cursor.
      const statuses = outcomes.map((o) => o.get(mailbox)!);
      expect(statuses.filter((s) => s.status === "synced" && (s.read ?? 0) > 0)).toHaveLength(1);
      expect(
        statuses.every(
          (s) => s.status === "leased elsewhere" || (s.status === "synced" && s.duplicates === 0),
        ),
      ).toBe(true);
    }
    const stored = await storedCount(tenantId);
    expect(stored.rows).toBe(stored.keys);
    const states = (await listLiveSources(h.ctx(), tenantId))[0]!.mailboxes;
    expect(states.map((m) => m.stage)).toEqual(["idle", "idle"]);
    expect(states.reduce((sum, m) => sum + m.imported, 0)).toBe(stored.rows);
  });
});
