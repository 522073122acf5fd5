import { randomBytes } from "node:crypto";
import { collectedRows } from "../../test/helpers/collected-rows";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { enronMbox } from "../../test/helpers/corpora";
import { createTenantWithUsers, directoryUser } from "../../test/helpers/directory";
import { describeEachEngine, inspect } from "../../test/helpers/engines";
import { GraphTestServer, graphMessagesFrom } from "../../test/helpers/graph-server";
import { readMbox } from "../ingest/sources/rfc5322";
import { grantConsent, withdrawConsent } from "./consent.service";
import { createCredentialCipher } from "./credentials";
import {
  addLiveSource,
  listLiveSources,
  newWorkerId,
  resumeLiveSource,
  syncMailbox,
  type LiveSyncDeps,
} from "./live-sync.service";

type Json = Record<string, unknown>;
const joe = "joe.quenet@enron.com";
const phillip = "phillip.allen@enron.com";
const admin = "admin@enron.com";

/** The sync runner reading Microsoft Graph (the Graph-compatible test server) end to end. */
describeEachEngine("live sync over Microsoft Graph", (h) => {
  let server: GraphTestServer;
  let inbox: Json[] = [];
  let sent: Json[] = [];
  let later: Json[] = [];
  let tenantId = "";
  let sourceId = "";
  const cipher = createCredentialCipher(randomBytes(32).toString("base64"));
  const deps = (extra: Partial<LiveSyncDeps> = {}): LiveSyncDeps => ({
    cipher,
    workerId: newWorkerId(),
    ...extra,
  });
  const joeKey = () => ({ sourceId, mailbox: joe });
  const graphRequests = () => server.requests.filter((r) => r.path.startsWith("/v1.0/"));
  const stored = async () =>
    (await collectedRows(h.store(), tenantId)).interactions.map((r) => r.message_key);
  const stateOf = async (mailbox: string) =>
    (await listLiveSources(h.ctx(), tenantId))
      .find((x) => x.id === sourceId)!
      .mailboxes.find((m) => m.mailbox === mailbox)!;

  beforeAll(async () => {
    const quenet = await graphMessagesFrom(readMbox(join(enronMbox, "enron.quenet-j.inbox")));
    inbox = quenet.slice(0, -3);
    later = quenet.slice(-3);
    sent = (await graphMessagesFrom(readMbox(join(enronMbox, "enron.quenet-j.sent")))).slice(0, 30);
    server = await new GraphTestServer().start();
    server.put(joe, "mail:inbox", inbox);
    server.put(joe, "mail:sentitems", sent);
    server.put(phillip, "mail:inbox", inbox.slice(0, 2));
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
        kind: "graph",
        name: "Enron 365",
        settings: {
          tenantId: "contoso",
          clientId: server.clientId,
          tokenUrl: server.tokenUrl(),
          graphBaseUrl: server.graphBaseUrl,
          pageSize: 5,
        },
        secret: server.clientSecret,
        mailboxes: [{ address: joe }, { address: phillip }],
      },
      admin,
    );
    sourceId = source.id;
  });
  afterAll(async () => {
    await server?.close();
  });

  it("refuses bad Graph settings by field name, and a source without its client secret", async () => {
    const add = (settings: Json, secret?: string) =>
      addLiveSource(
        h.ctx(),
        cipher,
        tenantId,
        {
          kind: "graph",
          name: "bad",
          settings,
          ...(secret ? { secret } : {}),
          mailboxes: [{ address: joe }],
        },
        admin,
      );
    await expect(add({ tenantId: "contoso" }, "s")).rejects.toThrow(
      /Microsoft Graph source settings: clientId/,
    );
    await expect(add({ tenantId: "contoso", clientId: "c", tokenUrl: "not a url" }, "s")).rejects.toThrow(
      /tokenUrl: must be an http\(s\) URL/,
    );
    await expect(add({ tenantId: "contoso", clientId: "c", host: "x" }, "s")).rejects.toThrow(
      /host: unknown field/,
    );
    await expect(add({ tenantId: "contoso", clientId: "c" })).rejects.toThrow(
      /needs its app's client secret/,
    );
    expect((await listLiveSources(h.ctx(), tenantId)).map((s) => s.id)).toEqual([sourceId]);
  });

  it("keeps the client secret encrypted at rest and never shows it", async () => {
    const raw = await inspect(() =>
      h
        .store()
        .db.selectFrom("mail_source")
        .select("credential")
        .where("tenant_id", "=", tenantId)
        .executeTakeFirstOrThrow(),
    );
    expect(raw.credential).toMatch(/^v1:/);
    expect(raw.credential).not.toContain(server.clientSecret);
    const shown = JSON.stringify(await listLiveSources(h.ctx(), tenantId));
    expect(shown).not.toContain(server.clientSecret);
    expect(shown).not.toContain("v1:");
  });

  it("fetches a mailbox in full, then only what is new at the next cycle", async () => {
    const first = await syncMailbox(h.ctx(), deps(), tenantId, joeKey());
    expect(first).toMatchObject({ status: "synced", read: inbox.length + sent.length, resynced: false });
    if (first.status !== "synced") return;
    expect(first.pages).toBeGreaterThan((inbox.length + sent.length) / 5);
    const keys = await stored();
    expect(keys.length).toBe(first.stored);
    expect(keys.length).toBeGreaterThan((inbox.length + sent.length) / 2);
    expect(new Set(keys).size).toBe(keys.length);
    const s = await stateOf(joe);
    expect(s).toMatchObject({ stage: "idle", failureCount: 0, reason: null, imported: keys.length });
    expect(s.cursor).toBe("mail:inbox delta, mail:sentitems delta, calendar delta");
    // Every request was answered: the token came from the stored (decrypted) client secret.
    expect(graphRequests().every((r) => r.status === 200)).toBe(true);

    server.put(joe, "mail:inbox", later.slice(0, 2));
    const before = graphRequests().length;
    const next = await syncMailbox(h.ctx(), deps(), tenantId, joeKey());
    expect(next).toMatchObject({ status: "synced", read: 2, duplicates: 0, resynced: false });
    // One delta request per stream: nothing already read was asked for again.
    expect(graphRequests().length - before).toBe(3);
    // What the collection gate and noise filters kept of the two is stored, once.
    const added = next.status === "synced" ? next.stored : -1;
    expect(added).toBeGreaterThan(0);
    expect((await stored()).length).toBe(keys.length + added);
    expect(await syncMailbox(h.ctx(), deps(), tenantId, joeKey())).toMatchObject({
      status: "synced",
      read: 0,
    });
  });

  it("resyncs in full when Graph loses the delta state, storing nothing twice", async () => {
    const before = await stored();
    server.forgetDeltaState();
    const outcome = await syncMailbox(h.ctx(), deps(), tenantId, joeKey());
    expect(outcome).toMatchObject({ status: "synced", resynced: true, stored: 0 });
    if (outcome.status === "synced") expect(outcome.duplicates).toBe(before.length);
    expect((await stored()).sort()).toEqual(before.sort());
    expect(await stateOf(joe)).toMatchObject({ stage: "idle", failureCount: 0 });
  });

  it("schedules the next attempt after a 429 no earlier than its Retry-After", async () => {
    const at = h.ctx().now().getTime();
    // 10 minutes: past the connector's own bounded wait (30 s) and the runner's first backoff (30 s).
    server.throttle(1, 600);
    const outcome = await syncMailbox(h.ctx(), deps(), tenantId, joeKey());
    expect(outcome.status).toBe("failed");
    const s = await stateOf(joe);
    expect(s).toMatchObject({ stage: "failed", failureCount: 1 });
    expect(s.reason).toMatch(/429 TooManyRequests/);
    expect(s.nextAttemptAt).toEqual(new Date(at + 600_000));
    // The loop's cycle before then asks Graph nothing.
    h.setNow(new Date(at + 599_000).toISOString());
    const before = server.requests.length;
    expect(
      await syncMailbox(h.ctx(), deps(), tenantId, joeKey(), undefined, { onlyWhenDue: true }),
    ).toMatchObject({ status: "not due" });
    expect(server.requests.length).toBe(before);
    h.setNow(new Date(at + 600_000).toISOString());
    expect(
      await syncMailbox(h.ctx(), deps(), tenantId, joeKey(), undefined, { onlyWhenDue: true }),
    ).toMatchObject({ status: "synced" });
    expect((await stateOf(joe)).failureCount).toBe(0);
  });

  it("pauses a mailbox Graph refuses with 403, with the reason in its sync state", async () => {
    server.deny(phillip);
    const key = { sourceId, mailbox: phillip };
    expect((await syncMailbox(h.ctx(), deps(), tenantId, key)).status).toBe("paused");
    const s = await stateOf(phillip);
    expect(s.stage).toBe("paused");
    expect(s.reason).toMatch(
      /not permitted: GET .*\/users\/phillip\.allen%40enron\.com\/.* 403 ErrorAccessDenied/,
    );
    expect(s.reason).not.toContain(server.clientSecret);
    const before = server.requests.length;
    expect((await syncMailbox(h.ctx(), deps(), tenantId, key)).status).toBe("paused");
    expect(server.requests.length).toBe(before);
    // Joe's mailbox in the same source is not held up.
    expect((await stateOf(joe)).stage).toBe("idle");
  });

  it("takes a rotated client secret at resume for the whole source", async () => {
    const rotated = await addLiveSource(
      h.ctx(),
      cipher,
      tenantId,
      {
        kind: "graph",
        name: "stale secret",
        settings: {
          tenantId: "contoso",
          clientId: server.clientId,
          tokenUrl: server.tokenUrl(),
          graphBaseUrl: server.graphBaseUrl,
          calendar: false,
        },
        secret: "an-expired-client-secret",
        mailboxes: [{ address: joe }],
      },
      admin,
    );
    const key = { sourceId: rotated.id, mailbox: joe };
    expect((await syncMailbox(h.ctx(), deps(), tenantId, key)).status).toBe("paused");
    const paused = (await listLiveSources(h.ctx(), tenantId)).find((s) => s.id === rotated.id)!;
    expect(paused.mailboxes[0]!.reason).toMatch(/invalid_client/);
    expect(paused.mailboxes[0]!.reason).not.toContain("an-expired-client-secret");
    await resumeLiveSource(h.ctx(), cipher, tenantId, rotated.id, { secret: server.clientSecret }, admin);
    expect((await syncMailbox(h.ctx(), deps(), tenantId, key)).status).toBe("synced");
  });

  it("sends Graph no request once a consent withdrawal commits", async () => {
    await inspect(() =>
      h
        .store()
        .db.updateTable("mailbox_sync")
        .set({ cursor: null })
        .where("source_id", "=", sourceId)
        .where("mailbox", "=", joe)
        .execute(),
    );
    let atWithdrawal = -1;
    let pages = 0;
    const outcome = await syncMailbox(
      h.ctx(),
      deps({
        onPage: async () => {
          if (++pages !== 1) return;
          await withdrawConsent(h.ctx(), tenantId, "identifiable", admin);
          atWithdrawal = server.requests.length;
        },
      }),
      tenantId,
      joeKey(),
    );
    expect(pages).toBe(1);
    expect(outcome.status).toBe("not fetched");
    expect(atWithdrawal).toBeGreaterThan(0);
    expect(server.requests.length).toBe(atWithdrawal);
    // Nor at a later cycle: not even the token endpoint.
    expect((await syncMailbox(h.ctx(), deps(), tenantId, joeKey())).status).toBe("not fetched");
    expect(server.requests.length).toBe(atWithdrawal);
  });
});
