import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTenantWithUsers, directoryUser } from "../../test/helpers/directory";
import { enronMessages, startDovecot, type Dovecot } from "../../test/helpers/dovecot";
import { describeEachEngine } from "../../test/helpers/engines";
import { GraphTestServer, graphMessageOf } from "../../test/helpers/graph-server";
import { emailRecord } from "../../test/helpers/records";
import { grantConsent } from "../services/consent.service";
import { runCli } from "./program";

const joe = "joe.quenet@enron.com";
const password = "cli-imap-Secret-42";

/** `kith sources` for live IMAP sources, through the real command parser, against a real Dovecot. */
describeEachEngine("kith sources (live IMAP)", (h) => {
  let dovecot: Dovecot;
  const env = () => ({
    KITH_DATABASE_URL: h.url(),
    KITH_SECRET_KEY: secretKey,
    KITH_TENANT: "enron-cli",
    KITH_NOW: "2026-06-01T09:00:00Z",
  });
  const secretKey = randomBytes(32).toString("base64");
  async function kith(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(args, { out: (s) => out.push(s), err: (s) => err.push(s) }, env());
    return { code, out: out.join("\n"), err: err.join("\n") };
  }

  beforeAll(async () => {
    dovecot = await startDovecot({
      users: [
        {
          login: "quenet-j",
          password,
          folders: { INBOX: enronMessages("enron.quenet-j.inbox").map((raw) => ({ raw })) },
        },
      ],
    });
    h.setNow("2026-06-01T09:00:00Z");
    const tenantId = await createTenantWithUsers(
      h.ctx(),
      { name: "Enron", slug: "enron-cli", domain: "enron.com", admin: "admin@enron.com" },
      [directoryUser(joe)],
    );
    await grantConsent(h.ctx(), tenantId, "identifiable", "admin@enron.com");
  });
  afterAll(async () => {
    await dovecot?.stop();
  });

  it("adds an IMAP source, lists its mailbox state, syncs it, and never prints the secret", async () => {
    process.env.KITH_TEST_IMAP_SECRET = password;
    const added = await kith(
      "sources",
      "add-imap",
      "--name",
      "Enron mail",
      "--host",
      "127.0.0.1",
      "--port",
      String(dovecot.port),
      "--tls",
      "none",
      "--mailbox",
      joe,
      "--login",
      "quenet-j",
      "--secret-env",
      "KITH_TEST_IMAP_SECRET",
      "--json",
    );
    expect(added.code, added.err).toBe(0);
    const id = (JSON.parse(added.out) as { id: string }).id;
    expect(added.out).not.toContain(password);

    const pending = await kith("sources");
    expect(pending.code, pending.err).toBe(0);
    expect(pending.out).toMatch(
      /source\s+mailbox\s+stage\s+cursor\s+last success\s+failures\s+next attempt\s+lag/,
    );
    expect(pending.out).toContain(`${id} (imap)  ${joe}  pending_full_fetch`);

    const synced = await kith("sources", "sync", id, "--json");
    expect(synced.code, synced.err).toBe(0);
    expect(JSON.parse(synced.out)).toMatchObject({ [joe]: { status: "synced", read: 13 } });

    const listed = await kith("sources", "list", "--json");
    const view = JSON.parse(listed.out) as { live: { mailboxes: { stage: string; cursor: string }[] }[] };
    expect(view.live[0]!.mailboxes[0]!.stage).toBe("idle");
    expect(view.live[0]!.mailboxes[0]!.cursor).toMatch(/^INBOX \d+\/13$/);
    for (const out of [pending.out, listed.out, synced.out]) expect(out).not.toContain(password);

    // File sources still work beside them.
    expect((await kith("sources", "add", "/tmp/kith-no-such-mail.mbox", "--owner", joe)).code).toBe(0);
    const both = await kith("sources");
    expect(both.out).toContain("/tmp/kith-no-such-mail.mbox (owner joe.quenet@enron.com)");
    expect(both.out).toMatch(/idle\s+INBOX \d+\/13\s+(\d+s ago|in \d+s)\s+0\s+in \d+s/);

    expect((await kith("sources", "remove", id)).code).toBe(0);
    expect((await kith("sources")).out).toContain("live sources: none");
  });

  it("adds a Microsoft Graph source from a secret in the environment, syncs it, and never prints the secret", async () => {
    const graph = await new GraphTestServer({ clientSecret: "graph-Client-Secret-77" }).start();
    try {
      graph.put(joe, "mail:inbox", [
        graphMessageOf(
          emailRecord("2026-05-30T10:00:00Z", "ann@partner.com", [joe], {
            messageId: "graph-cli-1@enron.com",
            subject: "Graph from the CLI",
          }),
        ),
      ]);
      const base = [
        "sources",
        "add-graph",
        "--name",
        "Enron 365",
        "--tenant-id",
        "contoso",
        "--client-id",
        graph.clientId,
        "--token-url",
        graph.tokenUrl(),
        "--graph-url",
        graph.graphBaseUrl,
        "--no-calendar",
        "--mailbox",
        joe,
      ];
      // No secret, or the variable unset: refused, nothing added.
      const none = await kith(...base);
      expect(none.code).not.toBe(0);
      expect(none.err).toMatch(/exactly one of --secret-env or --secret-file/);
      delete process.env.KITH_TEST_GRAPH_SECRET;
      const unset = await kith(...base, "--secret-env", "KITH_TEST_GRAPH_SECRET");
      expect(unset.err).toMatch(/KITH_TEST_GRAPH_SECRET \(the secret\) is not set/);

      process.env.KITH_TEST_GRAPH_SECRET = graph.clientSecret;
      const badUrl = await kith(
        ...base.map((arg) => (arg === graph.tokenUrl() ? "login.example.com" : arg)),
        "--secret-env",
        "KITH_TEST_GRAPH_SECRET",
      );
      expect(badUrl.code).not.toBe(0);
      expect(badUrl.err).toMatch(/Microsoft Graph source settings: tokenUrl: must be an http\(s\) URL/);
      expect(badUrl.err).not.toContain(graph.clientSecret);
      expect((await kith("sources", "--json")).out).not.toContain("Enron 365");
      const added = await kith(...base, "--secret-env", "KITH_TEST_GRAPH_SECRET", "--json");
      expect(added.code, added.err).toBe(0);
      const id = (JSON.parse(added.out) as { id: string; settings: Record<string, unknown> }).id;
      expect(JSON.parse(added.out)).toMatchObject({
        kind: "graph",
        settings: { tenantId: "contoso", clientId: graph.clientId, calendar: false },
      });
      const synced = await kith("sources", "sync", id, "--json");
      expect(synced.code, synced.err).toBe(0);
      expect(JSON.parse(synced.out)).toMatchObject({ [joe]: { status: "synced", read: 1 } });
      const listed = await kith("sources");
      expect(listed.out).toMatch(
        new RegExp(`${id} \\(graph\\)\\s+${joe}\\s+idle\\s+mail:inbox delta, mail:sentitems delta\\s`),
      );
      for (const out of [added.out, synced.out, listed.out, (await kith("sources", "--json")).out])
        expect(out).not.toContain(graph.clientSecret);
      expect((await kith("sources", "remove", id)).code).toBe(0);
    } finally {
      delete process.env.KITH_TEST_GRAPH_SECRET;
      await graph.close();
    }
  });
});
