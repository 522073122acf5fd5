import { randomBytes } from "node:crypto";
import { collectedRows } from "../../test/helpers/collected-rows";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTenantWithUsers, directoryUser } from "../../test/helpers/directory";
import {
  enronMessages,
  messageIdOf,
  startCountingProxy,
  startDovecot,
  type CountingProxy,
  type Dovecot,
} from "../../test/helpers/dovecot";
import { describeEachEngine, inspect } from "../../test/helpers/engines";
import { emailKeys } from "../domain/identity";
import { grantConsent, setDataSharing, withdrawConsent } from "./consent.service";
import { createCredentialCipher } from "./credentials";
import {
  addLiveSource,
  listLiveSources,
  newWorkerId,
  resumeLiveSource,
  syncMailbox,
  type LiveSyncDeps,
} from "./live-sync.service";

const inbox = enronMessages("enron.quenet-j.inbox");
const sent = enronMessages("enron.quenet-j.sent", 30);
const later = enronMessages("enron.quenet-j.sent", 36).slice(30);
const joe = "joe.quenet@enron.com";
const phillip = "phillip.allen@enron.com";
const allen = enronMessages("enron.allen-p.inbox", 30);
const joePassword = "joe-imap-Pa55word";
const admin = "admin@enron.com";
/** The key the store dedupes a message by (its Message-ID, hashed). */
const keyOf = (raw: string) =>
  emailKeys({ messageId: messageIdOf(raw), sentAt: null, from: null, recipients: [], subject: null })
    .messageKey;

describeEachEngine("live sync over IMAP (real Dovecot)", (h) => {
  let dovecot: Dovecot;
  let proxy: CountingProxy;
  let tenantId = "";
  let sourceId = "";
  const cipher = createCredentialCipher(randomBytes(32).toString("base64"));
  const deps = (extra: Partial<LiveSyncDeps> = {}): LiveSyncDeps => ({
    cipher,
    workerId: newWorkerId(),
    ...extra,
  });
  const joeKey = () => ({ sourceId, mailbox: joe });
  const stored = async () =>
    (await collectedRows(h.store(), tenantId)).interactions.map((r) => r.message_key);
  const state = async () =>
    (await listLiveSources(h.ctx(), tenantId))
      .find((x) => x.id === sourceId)!
      .mailboxes.find((m) => m.mailbox === joe)!;

  beforeAll(async () => {
    dovecot = await startDovecot({
      users: [
        {
          login: "quenet-j",
          password: joePassword,
          folders: { INBOX: inbox.map((raw) => ({ raw })), Sent: sent.map((raw) => ({ raw })) },
        },
        {
          login: "allen-p",
          password: "phillip-pw-123456",
          folders: { INBOX: allen.map((raw) => ({ raw })) },
        },
      ],
    });
    proxy = await startCountingProxy(dovecot);
    h.setNow("2026-06-01T09:00:00Z");
    tenantId = await createTenantWithUsers(
      h.ctx(),
      { name: "Enron", slug: "enron", domain: "enron.com", admin },
      [directoryUser(joe), directoryUser(phillip)],
    );
    await grantConsent(h.ctx(), tenantId, "identifiable", admin);
    const source = await addLiveSource(
      h.ctx(),
      cipher,
      tenantId,
      {
        kind: "imap",
        name: "Enron mail",
        settings: { host: "127.0.0.1", port: proxy.port, tls: "none", auth: "password", pageSize: 10 },
        mailboxes: [
          { address: joe, login: "quenet-j", secret: joePassword },
          { address: phillip, login: "allen-p", secret: "phillip-pw-123456" },
        ],
      },
      admin,
    );
    sourceId = source.id;
  });
  afterAll(async () => {
    await proxy?.close();
    await dovecot?.stop();
  });

  it("keeps credentials encrypted at rest and never shows them", async () => {
    const raw = await inspect(() =>
      h
        .store()
        .db.selectFrom("mailbox_sync")
        .select(["credential", "login"])
        .where("tenant_id", "=", tenantId)
        .execute(),
    );
    expect(raw).toHaveLength(2);
    for (const row of raw) {
      expect(row.credential).toMatch(/^v1:/);
      expect(row.credential).not.toContain(joePassword);
      expect(Buffer.from(row.credential!.slice(3), "base64").toString("latin1")).not.toContain(joePassword);
    }
    const shown = JSON.stringify(await listLiveSources(h.ctx(), tenantId));
    expect(shown).not.toContain(joePassword);
    expect(shown).not.toContain("v1:");
    // Another key does not open them.
    expect(() =>
      createCredentialCipher(randomBytes(32).toString("hex")).open(raw[0]!.credential!, "x"),
    ).toThrow(/does not decrypt/);
    expect((await state()).stage).toBe("pending_full_fetch");
  });

  it("fetches a mailbox in full, page by page, through the collection gate", async () => {
    const pages: number[] = [];
    const outcome = await syncMailbox(
      h.ctx(),
      deps({ onPage: (e) => void pages.push(e.summary.read) }),
      tenantId,
      joeKey(),
    );
    expect(outcome).toMatchObject({ status: "synced", read: inbox.length + sent.length, resynced: false });
    expect(pages.length).toBeGreaterThanOrEqual(Math.ceil(inbox.length / 10) + Math.ceil(sent.length / 10));
    const keys = await stored();
    // Every message read was kept or set aside by the same gate and noise filters as a file import.
    const expected = new Set([...inbox, ...sent].map(keyOf));
    expect(keys.length).toBe(outcome.status === "synced" ? outcome.stored : -1);
    expect(keys.length).toBeGreaterThan(expected.size / 2);
    for (const key of keys) expect(expected.has(key)).toBe(true);
    const s = await state();
    expect(s).toMatchObject({ stage: "idle", failureCount: 0, reason: null, worker: null });
    expect(s.lastSuccessAt).toEqual(new Date("2026-06-01T09:00:00Z"));
    expect(s.cursor).toMatch(/^INBOX \d+\/\d+, Sent \d+\/\d+$/);
    expect(s.imported).toBe(keys.length);
    expect(s.lagMs).not.toBeNull();
  });

  it("reads only what is new at the next cycle", async () => {
    const before = (await stored()).length;
    for (const raw of later.slice(0, 2)) dovecot.deliver("quenet-j", "INBOX", raw);
    const outcome = await syncMailbox(h.ctx(), deps(), tenantId, joeKey());
    expect(outcome).toMatchObject({ status: "synced", read: 2, stored: 2, duplicates: 0 });
    expect((await stored()).length).toBe(before + 2);
    expect(await syncMailbox(h.ctx(), deps(), tenantId, joeKey())).toMatchObject({
      status: "synced",
      read: 0,
    });
  });

  it("resyncs in full when UIDVALIDITY changes, storing nothing twice", async () => {
    const before = await stored();
    dovecot.resetUidValidity("quenet-j", "INBOX");
    const outcome = await syncMailbox(h.ctx(), deps(), tenantId, joeKey());
    expect(outcome).toMatchObject({ status: "synced", resynced: true, stored: 0 });
    if (outcome.status === "synced") expect(outcome.duplicates).toBeGreaterThanOrEqual(inbox.length);
    expect((await stored()).sort()).toEqual(before.sort());
    expect((await state()).stage).toBe("idle");
  });

  it("rejects one bad message with a reason and keeps the rest", async () => {
    dovecot.deliver(
      "quenet-j",
      "INBOX",
      "Message-ID: <broken-1@enron.com>\nSubject: no date, no one\n\nbody\n",
    );
    dovecot.deliver("quenet-j", "INBOX", later[2]!);
    const outcome = await syncMailbox(h.ctx(), deps(), tenantId, joeKey());
    expect(outcome).toMatchObject({ status: "synced", read: 2, stored: 1, rejected: 1 });
    expect(await stored()).toContain(keyOf(later[2]!));
    expect((await state()).reason).toMatch(/1 message\(s\) rejected/);
  });

  it("retries a temporary failure with backoff", async () => {
    const down = await addLiveSource(
      h.ctx(),
      cipher,
      tenantId,
      {
        kind: "imap",
        name: "unreachable",
        settings: { host: "127.0.0.1", port: 1, tls: "none", auth: "password" },
        mailboxes: [{ address: joe, login: "quenet-j", secret: joePassword }],
      },
      admin,
    );
    const outcome = await syncMailbox(h.ctx(), deps(), tenantId, { sourceId: down.id, mailbox: joe });
    expect(outcome.status).toBe("failed");
    const again = await syncMailbox(h.ctx(), deps(), tenantId, { sourceId: down.id, mailbox: joe });
    expect(again.status).toBe("failed");
    const s = (await listLiveSources(h.ctx(), tenantId)).find((x) => x.id === down.id)!.mailboxes[0]!;
    expect(s).toMatchObject({ stage: "failed", failureCount: 2 });
    expect(s.nextAttemptAt).toEqual(new Date(h.ctx().now().getTime() + 60_000));
  });

  it("pauses a mailbox whose sign-in is refused, with the reason, and makes no request until resumed", async () => {
    const wrong = await addLiveSource(
      h.ctx(),
      cipher,
      tenantId,
      {
        kind: "imap",
        name: "stale password",
        settings: { host: "127.0.0.1", port: proxy.port, tls: "none", auth: "password" },
        mailboxes: [{ address: joe, login: "quenet-j", secret: "an-old-password" }],
      },
      admin,
    );
    const key = { sourceId: wrong.id, mailbox: joe };
    expect((await syncMailbox(h.ctx(), deps(), tenantId, key)).status).toBe("paused");
    const s = (await listLiveSources(h.ctx(), tenantId)).find((x) => x.id === wrong.id)!.mailboxes[0]!;
    expect(s.stage).toBe("paused");
    expect(s.reason).toMatch(/sign-in refused.*Update the credentials and resume/);
    expect(s.reason).not.toContain("an-old-password");
    proxy.mark();
    expect((await syncMailbox(h.ctx(), deps(), tenantId, key)).status).toBe("paused");
    expect(proxy.sentSinceMark().bytes).toBe(0);
    await resumeLiveSource(h.ctx(), cipher, tenantId, wrong.id, { secret: joePassword }, admin);
    expect((await syncMailbox(h.ctx(), deps(), tenantId, key)).status).toBe("synced");
  });

  it("does not fetch an opted-out user's mailbox at the next cycle", async () => {
    await setDataSharing(h.ctx(), tenantId, phillip, false);
    const logins = dovecot.logins("allen-p");
    proxy.mark();
    const outcome = await syncMailbox(h.ctx(), deps(), tenantId, { sourceId, mailbox: phillip });
    expect(outcome.status).toBe("not fetched");
    expect(proxy.sentSinceMark().bytes).toBe(0);
    expect(dovecot.logins("allen-p")).toBe(logins);
    const s = (await listLiveSources(h.ctx(), tenantId))
      .find((x) => x.id === sourceId)!
      .mailboxes.find((m) => m.mailbox === phillip)!;
    expect(s.reason).toMatch(/not fetched: the user turned data sharing off/);
    await setDataSharing(h.ctx(), tenantId, phillip, true);
    expect((await syncMailbox(h.ctx(), deps(), tenantId, { sourceId, mailbox: phillip })).status).toBe(
      "synced",
    );
  });

  it("stops all fetching the moment a consent withdrawal commits", async () => {
    for (const raw of later.slice(3, 6)) dovecot.deliver("quenet-j", "INBOX", raw);
    await resumeLiveSource(h.ctx(), cipher, tenantId, sourceId, {}, admin);
    // Read Joe's INBOX from scratch with pages of 10: the withdrawal lands after the first page.
    await inspect(() =>
      h.store().db.updateTable("mailbox_sync").set({ cursor: null }).where("mailbox", "=", joe).execute(),
    );
    let afterWithdrawal: { bytes: number; lines: string[] } | null = null;
    let pages = 0;
    const outcome = await syncMailbox(
      h.ctx(),
      deps({
        onPage: async () => {
          if (++pages !== 1) return;
          await withdrawConsent(h.ctx(), tenantId, "identifiable", admin);
          proxy.mark();
          afterWithdrawal = proxy.sentSinceMark();
        },
      }),
      tenantId,
      joeKey(),
    );
    expect(pages).toBe(1);
    expect(outcome.status).toBe("not fetched");
    expect(afterWithdrawal).not.toBeNull();
    expect(proxy.sentSinceMark()).toEqual({ bytes: 0, lines: [] });
    // And no later cycle asks either.
    expect((await syncMailbox(h.ctx(), deps(), tenantId, joeKey())).status).toBe("not fetched");
    expect(proxy.sentSinceMark().bytes).toBe(0);
  });
});
