import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ImapFlow } from "imapflow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  enronMessages,
  messageIdOf,
  startCountingProxy,
  startDovecot,
  type CountingProxy,
  type Dovecot,
} from "../../test/helpers/dovecot";
import type { EmailRecord } from "../domain/interaction";
import { ConnectorError, type ConnectorPage } from "./connector";
import { createImapConnector, type ImapLogin } from "./imap";

const inbox = enronMessages("enron.quenet-j.inbox");
const sent = enronMessages("enron.quenet-j.sent", 40);
const owner = "joe.quenet@enron.com";
const token = "ya29.kith-test-token";

async function collect(pages: AsyncIterable<ConnectorPage>): Promise<ConnectorPage[]> {
  const all: ConnectorPage[] = [];
  for await (const page of pages) all.push(page);
  return all;
}

const emails = (pages: ConnectorPage[]) =>
  pages.flatMap((p) => p.records).filter((r): r is EmailRecord => r.type === "email");

describe("IMAP connector against a real Dovecot", () => {
  let dovecot: Dovecot;
  let proxy: CountingProxy;
  let tokenServer: Server;
  const password = (login: string, pass = "s3cret-pass"): ImapLogin => ({
    login,
    secret: { method: "password", password: pass },
  });
  const connector = (login: ImapLogin = password("quenet-j"), pageSize = 25, port?: number) =>
    createImapConnector({
      settings: { host: "127.0.0.1", port: port ?? dovecot.port, tls: "none", pageSize },
      loginFor: () => login,
    });

  beforeAll(async () => {
    // The token-info endpoint Dovecot's oauth2 passdb asks about an XOAUTH2 bearer token.
    tokenServer = createServer((req, res) => {
      const ok = req.url?.endsWith(encodeURIComponent(token)) || req.url?.endsWith(token);
      res.writeHead(ok ? 200 : 401, { "content-type": "application/json" });
      res.end(JSON.stringify(ok ? { active: "true", username: "oauth-user" } : { active: "false" }));
    });
    await new Promise<void>((done) => tokenServer.listen(0, "127.0.0.1", done));
    const tokenPort = (tokenServer.address() as AddressInfo).port;
    dovecot = await startDovecot({
      users: [
        {
          login: "quenet-j",
          password: "s3cret-pass",
          folders: {
            // Every other inbox message already read by its owner: the flags must stay as they are.
            INBOX: inbox.map((raw, i) => ({ raw, ...(i % 2 === 0 ? { flags: "S" } : {}) })),
            Sent: sent.map((raw) => ({ raw, flags: "S" })),
          },
        },
        {
          login: "oauth-user",
          password: "not-used-here",
          folders: { INBOX: inbox.slice(0, 3).map((raw) => ({ raw })) },
        },
      ],
      oauthTokenInfoUrl: `http://127.0.0.1:${tokenPort}/tokeninfo?access_token=`,
    });
    proxy = await startCountingProxy(dovecot);
  });
  afterAll(async () => {
    await proxy?.close();
    await dovecot?.stop();
    await new Promise((done) => tokenServer?.close(done));
  });

  it("reads INBOX and the Sent folder in full, in pages, as records owned by the mailbox", async () => {
    const imap = connector(password("quenet-j"), 10);
    const pages = await collect(imap.fetch(owner, null, new AbortController().signal));
    await imap.close();
    const ids = emails(pages).map((r) => r.messageId);
    expect(ids.sort()).toEqual([...inbox, ...sent].map(messageIdOf).sort());
    expect(pages.length).toBeGreaterThanOrEqual(Math.ceil(inbox.length / 10) + Math.ceil(sent.length / 10));
    expect(pages.every((p) => p.records.length <= 10)).toBe(true);
    const first = emails(pages)[0]!;
    expect(first.owner).toBe(owner);
    expect(first.from?.address).toMatch(/@/);
    const folders = new Set(emails(pages).map((r) => r.folder));
    expect(folders.has("Sent") || [...folders].some((f) => /sent/i.test(f ?? ""))).toBe(true);
  });

  it("asks for header fields only, read-only, and leaves every \\Seen flag as it was", async () => {
    const flags = async () => {
      const client = new ImapFlow({
        host: "127.0.0.1",
        port: dovecot.port,
        secure: false,
        auth: { user: "quenet-j", pass: "s3cret-pass" },
        logger: false,
      });
      await client.connect();
      const seen: Record<string, string[]> = {};
      for (const folder of ["INBOX", "Sent"]) {
        await client.mailboxOpen(folder, { readOnly: true });
        for await (const m of client.fetch("1:*", { uid: true, flags: true }, { uid: true }))
          seen[`${folder}/${m.uid}`] = [...(m.flags ?? [])].filter((f) => f !== "\\Recent").sort();
      }
      await client.logout();
      return seen;
    };
    const before = await flags();
    expect(Object.values(before).some((f) => f.includes("\\Seen"))).toBe(true);
    expect(Object.values(before).some((f) => !f.includes("\\Seen"))).toBe(true);
    proxy.mark();
    const imap = connector(password("quenet-j"), 500, proxy.port);
    await collect(imap.fetch(owner, null, new AbortController().signal));
    await imap.close();
    const commands = proxy.sentSinceMark().lines;
    const fetches = commands.filter((line) => / UID FETCH /i.test(line));
    expect(fetches.length).toBeGreaterThan(0);
    for (const line of fetches) {
      expect(line).toMatch(/BODY\.PEEK\[HEADER\.FIELDS \(/);
      expect(line).not.toMatch(/BODY\[|RFC822|BODYSTRUCTURE|BINARY/i);
    }
    expect(commands.filter((line) => / (SELECT|STORE|EXPUNGE|COPY|MOVE) /i.test(line))).toEqual([]);
    expect(commands.some((line) => / EXAMINE /i.test(line))).toBe(true);
    expect(await flags()).toEqual(before);
  });

  it("picks up only what is new after the cursor", async () => {
    const imap = connector();
    const full = await collect(imap.fetch(owner, null, new AbortController().signal));
    const cursor = full[full.length - 1]!.cursor;
    expect(await collect(imap.fetch(owner, cursor, new AbortController().signal))).toEqual([]);
    const fresh = enronMessages("enron.quenet-j.deleted_items", 2);
    for (const raw of fresh) dovecot.deliver("quenet-j", "INBOX", raw);
    const next = await collect(imap.fetch(owner, cursor, new AbortController().signal));
    await imap.close();
    expect(emails(next).map((r) => r.messageId)).toEqual(fresh.map(messageIdOf));
    expect(next[0]!.arrivedAt).toBeInstanceOf(Date);
  });

  it("says cursor-invalid when a folder's UIDVALIDITY changed", async () => {
    const imap = connector();
    const full = await collect(imap.fetch(owner, null, new AbortController().signal));
    dovecot.resetUidValidity("quenet-j", "INBOX");
    const error = await collect(
      imap.fetch(owner, full[full.length - 1]!.cursor, new AbortController().signal),
    ).catch((e: unknown) => e);
    await imap.close();
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).kind).toBe("cursor-invalid");
    expect((error as ConnectorError).message).toMatch(/UIDVALIDITY of INBOX changed/);
  });

  it("says auth for a refused login, temporary for a server that is not there", async () => {
    const bad = connector(password("quenet-j", "wrong-password"));
    const refused = await collect(bad.fetch(owner, null, new AbortController().signal)).catch(
      (e: unknown) => e,
    );
    expect((refused as ConnectorError).kind).toBe("auth");
    expect((refused as ConnectorError).message).not.toContain("wrong-password");
    const down = createImapConnector({
      settings: { host: "127.0.0.1", port: 1, tls: "none" },
      loginFor: () => password("quenet-j"),
    });
    const unreachable = await collect(down.fetch(owner, null, new AbortController().signal)).catch(
      (e: unknown) => e,
    );
    expect((unreachable as ConnectorError).kind).toBe("temporary");
  });

  it("signs in with XOAUTH2 and an access token", async () => {
    const imap = connector({ login: "oauth-user", secret: { method: "xoauth2", accessToken: token } });
    const pages = await collect(imap.fetch("oauth.user@enron.com", null, new AbortController().signal));
    expect(emails(pages)).toHaveLength(3);
    const wrong = connector({ login: "oauth-user", secret: { method: "xoauth2", accessToken: "expired" } });
    const refused = await collect(
      wrong.fetch("oauth.user@enron.com", null, new AbortController().signal),
    ).catch((e: unknown) => e);
    expect((refused as ConnectorError).kind).toBe("auth");
  });

  it("hears new mail through IDLE", async () => {
    const imap = connector();
    const controller = new AbortController();
    // The first wait sets the watch up and answers at once (mail may have come before it).
    expect(await imap.waitForChange(owner, controller.signal)).toBe(true);
    const first = imap.waitForChange(owner, controller.signal);
    let heard = false;
    const waiting = first.then((v) => (heard = v));
    await new Promise((done) => setTimeout(done, 300));
    expect(heard).toBe(false);
    dovecot.deliver("quenet-j", "INBOX", enronMessages("enron.quenet-j.deleted_items", 3)[2]!);
    await waiting;
    expect(heard).toBe(true);
    await imap.close();
  });
});
