/**
 * A Microsoft Graph-compatible HTTP server on 127.0.0.1 for the Graph connector's tests (no Graph
 * service is reachable here). It implements the documented behaviours the connector relies on, and
 * nothing else (README "Microsoft 365" lists what it does not cover):
 *
 * - `POST /{tenant}/oauth2/v2.0/token`: client credentials → bearer tokens that expire (`tokenTtlS`);
 *   a wrong client secret → 401 `invalid_client`.
 * - `GET /v1.0/users/{id}/mailFolders/{folder}/messages/delta` and `/v1.0/users/{id}/calendarView/delta`
 *   (`startDateTime`/`endDateTime` required): a round of pages (`Prefer: odata.maxpagesize`) linked by
 *   `@odata.nextLink` (`$skiptoken`), ending with `@odata.deltaLink` (`$deltatoken`); the next round
 *   returns only what changed since (new items, `@removed` for deleted ones). `$select` on messages
 *   is applied and encoded into the tokens, as Graph does.
 * - On demand: throttling (429/503 + `Retry-After`), lost delta state (410 `syncStateNotFound`),
 *   expired access tokens (401 `InvalidAuthenticationToken`), denied mailboxes (403 `ErrorAccessDenied`).
 *
 * Items are built from the real corpus by the helpers at the end (Enron mbox → Graph messages).
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { EmailRecord, Mailbox, MeetingRecord, SourceRecord } from "../../src/domain/interaction";

type Json = Record<string, unknown>;

interface Change {
  seq: number;
  id: string;
  /** The item, or null when it was deleted. */
  item: Json | null;
}

interface Round {
  items: Json[];
  /** What the deltaLink at the end of the round encodes. */
  end: DeltaState;
}

interface DeltaState {
  generation: number;
  seq: number;
  select: string[] | null;
  window: { start: number; end: number } | null;
}

export interface GraphRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  /** The server's clock when it answered. */
  at: number;
}

export interface GraphServerOptions {
  clientId?: string;
  clientSecret?: string;
  /** Lifetime of issued access tokens, seconds (`expires_in`). Default 3600. */
  tokenTtlS?: number;
  /** The server's clock (token expiry). Default the wall clock. */
  now?: () => number;
}

export class GraphTestServer {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Every request, in order (the token endpoint included). */
  readonly requests: GraphRequest[] = [];
  private server: Server | null = null;
  private origin = "";
  private readonly changes = new Map<string, Change[]>();
  private seq = 0;
  private generation = 0;
  private readonly rounds = new Map<string, Round>();
  private readonly tokens = new Map<string, number>();
  private readonly denied = new Set<string>();
  private throttles: { status: number; retryAfterS: number }[] = [];
  private readonly now: () => number;

  constructor(private readonly options: GraphServerOptions = {}) {
    this.clientId = options.clientId ?? "11111111-2222-3333-4444-555555555555";
    this.clientSecret = options.clientSecret ?? "test-secret-not-a-real-one";
    this.now = options.now ?? Date.now;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: Error) => {
        res.statusCode = 500;
        res.end(JSON.stringify({ error: { code: "generalException", message: error.message } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.server = server;
    this.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  get graphBaseUrl(): string {
    return `${this.origin}/v1.0`;
  }

  tokenUrl(tenant = "contoso"): string {
    return `${this.origin}/${tenant}/oauth2/v2.0/token`;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Adds (or updates) items of one mailbox's folder (`mail:<folder>`) or calendar (`calendar`). */
  put(mailbox: string, stream: string, items: readonly Json[]): void {
    const log = this.log(mailbox, stream);
    for (const item of items) log.push({ seq: ++this.seq, id: String(item.id), item });
  }

  /** Deletes items: the next delta round reports them under `@removed`. */
  remove(mailbox: string, stream: string, ids: readonly string[]): void {
    const log = this.log(mailbox, stream);
    for (const id of ids) log.push({ seq: ++this.seq, id, item: null });
  }

  /** The next `count` Graph requests are answered `status` with `Retry-After: retryAfterS`. */
  throttle(count: number, retryAfterS: number, status = 429): void {
    for (let i = 0; i < count; i++) this.throttles.push({ status, retryAfterS });
  }

  /** Every delta and skip token issued so far stops working (410 Gone, `syncStateNotFound`). */
  forgetDeltaState(): void {
    this.generation++;
    this.rounds.clear();
  }

  /** Every access token issued so far is expired from now on, whatever its `expires_in` said. */
  expireTokens(): void {
    for (const token of this.tokens.keys()) this.tokens.set(token, 0);
  }

  /** Requests for this mailbox get 403 (an application access policy leaving it out). */
  deny(mailbox: string): void {
    this.denied.add(mailbox.toLowerCase());
  }

  private log(mailbox: string, stream: string): Change[] {
    const key = `${mailbox.toLowerCase()}|${stream}`;
    let log = this.changes.get(key);
    if (!log) this.changes.set(key, (log = []));
    return log;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.origin);
    const query = Object.fromEntries(url.searchParams);
    const reply = (status: number, body: Json, headers: Record<string, string> = {}) => {
      this.requests.push({ method: req.method ?? "GET", path: url.pathname, query, status, at: this.now() });
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    const graphError = (
      status: number,
      code: string,
      message: string,
      headers: Record<string, string> = {},
    ) => reply(status, { error: { code, message } }, headers);

    if (req.method === "POST" && /^\/[^/]+\/oauth2\/v2\.0\/token$/.test(url.pathname)) {
      const form = new URLSearchParams(await readBody(req));
      if (form.get("grant_type") !== "client_credentials")
        return reply(400, { error: "unsupported_grant_type", error_description: "AADSTS70003" });
      if (form.get("client_id") !== this.clientId || form.get("client_secret") !== this.clientSecret)
        return reply(401, {
          error: "invalid_client",
          error_description: "AADSTS7000215: Invalid client secret provided.",
        });
      const token = randomBytes(16).toString("hex");
      const ttl = this.options.tokenTtlS ?? 3600;
      this.tokens.set(token, this.now() + ttl * 1000);
      return reply(200, { token_type: "Bearer", expires_in: ttl, access_token: token });
    }

    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const expiresAt = bearer ? this.tokens.get(bearer) : undefined;
    if (expiresAt === undefined)
      return graphError(401, "InvalidAuthenticationToken", "Access token is empty or not valid.");
    if (expiresAt <= this.now())
      return graphError(
        401,
        "InvalidAuthenticationToken",
        "Lifetime validation failed, the token is expired.",
      );
    const throttled = this.throttles.shift();
    if (throttled)
      return graphError(
        throttled.status,
        throttled.status === 429 ? "TooManyRequests" : "ServiceUnavailable",
        "Please retry after the time in Retry-After.",
        { "retry-after": String(throttled.retryAfterS) },
      );

    const mail = /^\/v1\.0\/users\/([^/]+)\/mailFolders\/([^/]+)\/messages\/delta$/.exec(url.pathname);
    const calendar = /^\/v1\.0\/users\/([^/]+)\/calendarView\/delta$/.exec(url.pathname);
    if (req.method !== "GET" || (!mail && !calendar))
      return graphError(400, "BadRequest", `Resource not found for the segment in ${url.pathname}`);
    const mailbox = decodeURIComponent((mail ?? calendar)![1]!).toLowerCase();
    const stream = mail ? `mail:${decodeURIComponent(mail[2]!)}` : "calendar";
    if (this.denied.has(mailbox))
      return graphError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
    const pageSize = Number(/odata\.maxpagesize=(\d+)/.exec(String(req.headers.prefer ?? ""))?.[1] ?? 10);

    let round: Round | undefined;
    let roundId: string;
    let offset = 0;
    if (query.$skiptoken !== undefined) {
      // A skip token names the round and the offset, so any page's nextLink can be called again.
      const [id, at] = query.$skiptoken.split(".");
      roundId = id ?? "";
      offset = Number(at);
      round = this.rounds.get(roundId);
      if (!round || !Number.isInteger(offset))
        return graphError(410, "syncStateNotFound", "The sync state generation is not found.");
    } else {
      let from: DeltaState;
      if (query.$deltatoken !== undefined) {
        const state = decodeState(query.$deltatoken);
        if (!state || state.generation !== this.generation)
          return graphError(410, "syncStateNotFound", "The sync state generation is not found.");
        from = state;
      } else {
        let window: DeltaState["window"] = null;
        if (calendar) {
          const start = Date.parse(query.startDateTime ?? "");
          const end = Date.parse(query.endDateTime ?? "");
          if (Number.isNaN(start) || Number.isNaN(end))
            return graphError(400, "ErrorInvalidParameter", "startDateTime and endDateTime are required.");
          window = { start, end };
        }
        // calendarView delta ignores $select (documented); message delta applies it.
        const select = mail && query.$select ? query.$select.split(",") : null;
        from = { generation: this.generation, seq: 0, select, window };
      }
      round = this.openRound(mailbox, stream, from);
      roundId = randomBytes(8).toString("hex");
      this.rounds.set(roundId, round);
    }
    const page = round.items.slice(offset, offset + pageSize);
    offset += page.length;
    const link = `${this.graphBaseUrl}${url.pathname.slice("/v1.0".length)}`;
    const body: Json = {
      "@odata.context": `${this.graphBaseUrl}/$metadata#Collection(${mail ? "message" : "event"})`,
      value: page,
    };
    if (offset < round.items.length) {
      body["@odata.nextLink"] = `${link}?$skiptoken=${roundId}.${offset}`;
    } else body["@odata.deltaLink"] = `${link}?$deltatoken=${encodeState(round.end)}`;
    return reply(200, body);
  }

  /** The items of a round: every live item (first round) or what changed after `from.seq`. */
  private openRound(mailbox: string, stream: string, from: DeltaState): Round {
    const latest = new Map<string, Change>();
    for (const change of this.log(mailbox, stream)) if (change.seq > from.seq) latest.set(change.id, change);
    const items: Json[] = [];
    for (const change of latest.values()) {
      if (change.item === null) {
        if (from.seq > 0) items.push({ id: change.id, "@removed": { reason: "deleted" } });
        continue;
      }
      if (from.window && !inWindow(change.item, from.window)) continue;
      items.push(project(change.item, from.select));
    }
    return { items, end: { ...from, seq: this.seq } };
  }
}

function inWindow(event: Json, window: { start: number; end: number }): boolean {
  const start = Date.parse(`${(event.start as { dateTime: string }).dateTime}Z`);
  return start >= window.start && start < window.end;
}

function project(item: Json, select: string[] | null): Json {
  if (select === null) return item;
  const out: Json = { id: item.id };
  if (item["@odata.type"] !== undefined) out["@odata.type"] = item["@odata.type"];
  for (const name of select) if (item[name] !== undefined) out[name] = item[name];
  return out;
}

function encodeState(state: DeltaState): string {
  return Buffer.from(JSON.stringify(state)).toString("base64url");
}

function decodeState(token: string): DeltaState | null {
  try {
    const state = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as DeltaState;
    return typeof state.generation === "number" && typeof state.seq === "number" ? state : null;
  } catch {
    return null;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

// ---- Graph resources from the real corpus ----

const recipient = (m: Mailbox) => ({
  emailAddress: { address: m.address, ...(m.name ? { name: m.name } : {}) },
});

let itemSeq = 0;

/**
 * An email record read from a corpus file → the Graph `message` a mailbox would serve for it
 * (the properties Graph has for what the record holds, plus a body Kith must never ask for).
 */
export function graphMessageOf(record: EmailRecord): Json {
  const sent = record.sentAt?.toISOString().replace(/\.\d{3}Z$/, "Z") ?? null;
  return {
    "@odata.type": "#microsoft.graph.message",
    id: `AAMk${(++itemSeq).toString(36).padStart(8, "0")}`,
    internetMessageId: record.messageId ? `<${record.messageId}>` : null,
    conversationId: record.conversationId,
    sentDateTime: sent,
    receivedDateTime: sent,
    subject: record.subject,
    from: record.from ? recipient(record.from) : null,
    sender: record.from ? recipient(record.from) : null,
    toRecipients: record.to.map(recipient),
    ccRecipients: record.cc.map(recipient),
    isDraft: false,
    internetMessageHeaders: [{ name: "Message-ID", value: record.messageId ?? "" }],
    body: { contentType: "text", content: "(a body: Kith must never select it)" },
    bodyPreview: "(a body preview: Kith must never select it)",
  };
}

/** A meeting record (from an .ics fixture) → a Graph `event` in UTC. */
export function graphEventOf(record: MeetingRecord): Json {
  const utc = (d: Date) => ({ dateTime: d.toISOString().replace("Z", "0000"), timeZone: "UTC" });
  return {
    "@odata.type": "#microsoft.graph.event",
    id: `AAMkEv${(++itemSeq).toString(36).padStart(8, "0")}`,
    iCalUId: record.uid,
    subject: record.subject,
    start: utc(record.start),
    end: utc(record.end),
    isCancelled: record.isCancelled,
    organizer: record.organizer ? recipient(record.organizer) : null,
    attendees: record.attendees.map((a) => ({
      ...recipient(a),
      type: a.type,
      status: { response: a.response === "tentative" ? "tentativelyAccepted" : a.response },
    })),
    body: { contentType: "html", content: "<p>(an event body)</p>" },
  };
}

/** Every email record of a source stream, as Graph messages (rejected records are left out). */
export async function graphMessagesFrom(records: AsyncIterable<SourceRecord>): Promise<Json[]> {
  const out: Json[] = [];
  for await (const record of records) if (record.type === "email") out.push(graphMessageOf(record));
  return out;
}
