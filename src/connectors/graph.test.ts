import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import type { SourceRecord } from "../domain/interaction";
import { readIcs } from "../ingest/sources/ics";
import { readMbox } from "../ingest/sources/rfc5322";
import { describeWithCorpora, enronMbox } from "../../test/helpers/corpora";
import { GraphTestServer, graphEventOf, graphMessagesFrom } from "../../test/helpers/graph-server";
import { ConnectorError, type ConnectorPage } from "./connector";
import { createGraphConnector, graphMessageSelect, type GraphConnectorOptions } from "./graph";

const mailbox = "phillip.allen@enron.com";
type Json = Record<string, unknown>;

/** A clock both the server and the connector read; the connector's sleeps move it. */
let clock = Date.parse("2024-06-01T09:00:00Z");
let sleeps: number[] = [];

let inbox: Json[] = [];
let sent: Json[] = [];
const events: Json[] = [];

beforeAll(async () => {
  inbox = await graphMessagesFrom(readMbox(join(enronMbox, "enron.allen-p.inbox")));
  sent = await graphMessagesFrom(readMbox(join(enronMbox, "enron.allen-p.sent_items")));
  const ics = readIcs(join(import.meta.dirname, "../../test/fixtures/ingest/recurring.ics"), {
    since: new Date("2024-01-01T00:00:00Z"),
    until: new Date("2024-12-31T00:00:00Z"),
  });
  for await (const record of ics) if (record.type === "meeting") events.push(graphEventOf(record));
});

let server: GraphTestServer;

beforeEach(async () => {
  clock = Date.parse("2024-06-01T09:00:00Z");
  sleeps = [];
  server = await new GraphTestServer({ now: () => clock }).start();
});
afterEach(() => server.close());

function connector(extra: Partial<GraphConnectorOptions> = {}) {
  return createGraphConnector({
    tenantId: "contoso",
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    tokenUrl: server.tokenUrl(),
    graphBaseUrl: server.graphBaseUrl,
    pageSize: 50,
    now: () => new Date(clock),
    sleep: (ms) => {
      sleeps.push(ms);
      clock += ms;
      return Promise.resolve();
    },
    ...extra,
  });
}

async function fetchAll(
  cursor: string | null,
  options: Partial<GraphConnectorOptions> = {},
): Promise<{ pages: ConnectorPage[]; records: SourceRecord[]; removed: string[]; cursor: string }> {
  const pages: ConnectorPage[] = [];
  for await (const page of connector(options).fetch(mailbox, cursor, new AbortController().signal))
    pages.push(page);
  return {
    pages,
    records: pages.flatMap((p) => p.records),
    removed: pages.flatMap((p) => p.removed),
    cursor: pages.at(-1)!.cursor,
  };
}

async function fetchError(cursor: string | null, options: Partial<GraphConnectorOptions> = {}) {
  try {
    await fetchAll(cursor, options);
  } catch (error) {
    if (error instanceof ConnectorError) return error;
    throw error;
  }
  throw new Error("the fetch succeeded");
}

const idsOf = (records: SourceRecord[]) =>
  records.map((r) => (r.type === "email" ? r.messageId : r.type === "meeting" ? r.uid : r.reason)).sort();
const messageIdsOf = (items: Json[]) => items.map((m) => String(m.internetMessageId).slice(1, -1)).sort();

function seed(inboxItems = inbox) {
  server.put(mailbox, "mail:inbox", inboxItems);
  server.put(mailbox, "mail:sentitems", sent);
  server.put(mailbox, "calendar", events);
}

describeWithCorpora("Graph connector against the Graph-compatible server (Enron allen-p)", () => {
  it("initial sync reads every message and event over several pages, selecting metadata only", async () => {
    seed();
    const { pages, records } = await fetchAll(null);
    expect(inbox.length + sent.length).toBe(411);
    expect(events.length).toBeGreaterThan(3);
    expect(pages.length).toBeGreaterThan(9); // 66 + 345 messages at 50 a page, plus the calendar
    const emails = records.filter((r) => r.type === "email");
    expect(emails.map((r) => r.messageId).sort()).toEqual(messageIdsOf([...inbox, ...sent]));
    expect(records.filter((r) => r.type === "meeting")).toHaveLength(events.length);
    expect(records.filter((r) => r.type === "rejected")).toEqual([]);
    // The mailbox is the records' owner; the folder asked for is the record's folder.
    expect(new Set(emails.map((r) => r.owner))).toEqual(new Set([mailbox]));
    expect(new Set(emails.map((r) => r.type === "email" && r.folder))).toEqual(
      new Set(["inbox", "sentitems"]),
    );
    // Exactly the metadata graph-map reads was asked for, on the first request of each folder.
    const firsts = server.requests.filter((r) => r.path.endsWith("/messages/delta") && !r.query.$skiptoken);
    expect(firsts.map((r) => r.query.$select)).toEqual([
      graphMessageSelect.join(","),
      graphMessageSelect.join(","),
    ]);
    expect(graphMessageSelect).not.toContain("body");
    expect(graphMessageSelect).not.toContain("bodyPreview");
    // Each page's cursor resumes after it: the last one holds a deltaLink per stream.
    const last = JSON.parse(pages.at(-1)!.cursor) as { links: Record<string, string> };
    expect(Object.keys(last.links)).toEqual(["mail:inbox", "mail:sentitems", "calendar"]);
    for (const link of Object.values(last.links)) expect(link).toContain("$deltatoken=");
  });

  it("resumes from a mid-round page's cursor without re-reading the pages before it", async () => {
    seed();
    const { pages } = await fetchAll(null);
    const resumed = await fetchAll(pages[3]!.cursor);
    const rest = pages.slice(4).flatMap((p) => p.records);
    expect(idsOf(resumed.records)).toEqual(idsOf(rest));
  });

  it("an incremental sync picks up only the new messages", async () => {
    seed(inbox.slice(0, 60));
    const first = await fetchAll(null);
    const newcomers = inbox.slice(60);
    server.put(mailbox, "mail:inbox", newcomers);
    const next = await fetchAll(first.cursor);
    expect(next.records.map((r) => r.type === "email" && r.messageId).sort()).toEqual(
      messageIdsOf(newcomers),
    );
    // And nothing at all when nothing changed.
    const idle = await fetchAll(next.cursor);
    expect(idle.records).toEqual([]);
  });

  it("a lost delta token is cursor-invalid, and the full resync gives the same set", async () => {
    seed(inbox.slice(0, 60));
    const first = await fetchAll(null);
    server.put(mailbox, "mail:inbox", inbox.slice(60));
    const second = await fetchAll(first.cursor);
    server.forgetDeltaState();
    const error = await fetchError(second.cursor);
    expect(error.kind).toBe("cursor-invalid");
    expect(error.message).toMatch(/410 syncStateNotFound/);
    expect(error.message).not.toMatch(/\$deltatoken=[^…]/); // state tokens are not echoed
    const resync = await fetchAll(null);
    expect(idsOf(resync.records)).toEqual(idsOf([...first.records, ...second.records]));
  });

  it("a cursor it did not write, or one pointing at another host, is cursor-invalid", async () => {
    expect((await fetchError("not json")).kind).toBe("cursor-invalid");
    const foreign = JSON.stringify({ v: 1, links: { "mail:inbox": "https://evil.example/v1.0/x" } });
    expect((await fetchError(foreign)).kind).toBe("cursor-invalid");
  });

  it("honours Retry-After on 429 and 503: waits at least that long, then carries on", async () => {
    seed();
    server.throttle(1, 7, 429);
    server.throttle(1, 3, 503);
    const { records } = await fetchAll(null);
    expect(records.filter((r) => r.type === "email")).toHaveLength(411);
    expect(sleeps).toEqual([7000, 3000]);
    const graph = server.requests.filter((r) => r.path.startsWith("/v1.0/"));
    const throttled = graph.filter((r) => r.status === 429 || r.status === 503);
    expect(throttled.map((r) => r.status)).toEqual([429, 503]);
    // Measured on the shared clock: the retry came no sooner than the server asked.
    for (const [k, r] of graph.entries()) {
      if (r.status !== 429 && r.status !== 503) continue;
      const retry = graph[k + 1]!;
      expect(retry.at - r.at).toBeGreaterThanOrEqual((r.status === 429 ? 7 : 3) * 1000);
    }
  });

  it("a Retry-After longer than it waits itself goes to the runner as temporary with retryAfterMs", async () => {
    seed();
    server.throttle(1, 120);
    const error = await fetchError(null);
    expect(error.kind).toBe("temporary");
    expect(error.retryAfterMs).toBe(120_000);
    expect(sleeps).toEqual([]);
  });

  it("an access token the server expired early is refreshed once and the request retried", async () => {
    seed();
    const c = connector();
    const signal = new AbortController().signal;
    let cursor: string | null = null;
    for await (const page of c.fetch(mailbox, null, signal)) cursor = page.cursor;
    server.put(mailbox, "mail:inbox", [
      { ...inbox[0]!, id: "AAMk-new", internetMessageId: "<new@enron.com>" },
    ]);
    server.expireTokens();
    const before = server.requests.length;
    const records: SourceRecord[] = [];
    for await (const page of c.fetch(mailbox, cursor, signal)) records.push(...page.records);
    expect(records.map((r) => r.type === "email" && r.messageId)).toEqual(["new@enron.com"]);
    const after = server.requests.slice(before).map((r) => `${r.method} ${r.status}`);
    expect(after.slice(0, 3)).toEqual(["GET 401", "POST 200", "GET 200"]);
    expect(after.filter((s) => s === "GET 401")).toHaveLength(1);
  });

  it("refreshes a token its own clock says is about to expire, before any 401", async () => {
    server = await (async () => {
      await server.close();
      return new GraphTestServer({ now: () => clock, tokenTtlS: 300 }).start();
    })();
    seed();
    const c = connector();
    const signal = new AbortController().signal;
    const pages: ConnectorPage[] = [];
    for await (const page of c.fetch(mailbox, null, signal)) {
      pages.push(page);
      clock += 120_000; // two minutes a page: tokens of five minutes run out during the sync
    }
    const tokens = server.requests.filter((r) => r.method === "POST");
    expect(tokens.length).toBeGreaterThan(2);
    expect(server.requests.filter((r) => r.status === 401)).toEqual([]);
  });

  it("auth failures are ConnectorError auth: a denied mailbox, a wrong secret, a 401 after refresh", async () => {
    seed();
    server.deny(mailbox);
    const denied = await fetchError(null);
    expect(denied.kind).toBe("auth");
    expect(denied.message).toMatch(/403 ErrorAccessDenied/);

    const wrong = await fetchError(null, { clientSecret: "not-the-secret-of-this-app" });
    expect(wrong.kind).toBe("auth");
    expect(wrong.message).toMatch(/invalid_client/);
    expect(wrong.message).not.toContain("not-the-secret-of-this-app");

    await server.close();
    server = await new GraphTestServer({ now: () => clock, tokenTtlS: 0 }).start();
    const always = await fetchError(null);
    expect(always.kind).toBe("auth");
    expect(always.message).toMatch(/401 InvalidAuthenticationToken/);
    expect(server.requests.filter((r) => r.method === "POST")).toHaveLength(2); // refreshed once
  });

  it("reports deleted items as removed", async () => {
    seed();
    const first = await fetchAll(null);
    const gone = [String(inbox[0]!.id), String(sent[5]!.id), String(events[0]!.id)];
    server.remove(mailbox, "mail:inbox", gone.slice(0, 1));
    server.remove(mailbox, "mail:sentitems", gone.slice(1, 2));
    server.remove(mailbox, "calendar", gone.slice(2));
    const next = await fetchAll(first.cursor);
    expect(next.removed.sort()).toEqual([...gone].sort());
    expect(next.records).toEqual([]);
  });

  it("stops when the signal is aborted", async () => {
    seed();
    const controller = new AbortController();
    const pages: ConnectorPage[] = [];
    await expect(
      (async () => {
        for await (const page of connector().fetch(mailbox, null, controller.signal)) {
          pages.push(page);
          if (pages.length === 2) controller.abort(new Error("stop"));
        }
      })(),
    ).rejects.toThrow("stop");
    expect(pages).toHaveLength(2);
  });
});
