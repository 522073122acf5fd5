/**
 * Microsoft Graph connector (issue 16): app-only OAuth 2.0 client credentials, then per mailbox one
 * delta round per mail folder (`users/{id}/mailFolders/{folder}/messages/delta`, metadata only
 * through `$select`) and one over the calendar (`users/{id}/calendarView/delta`). Items become
 * records through the same mapping as Graph files (ingest/sources/graph-map.ts), so a message
 * fetched live and one exported to NDJSON are the same record.
 *
 * The cursor is this connector's own: a JSON object naming, per stream, the link to call next (the
 * `@odata.nextLink` inside a round, the `@odata.deltaLink` after it). Every page yielded carries
 * the cursor that resumes right after it, so a crash re-reads at most one page.
 */
import type { SourceRecord } from "../domain/interaction";
import { graphItemToRecord } from "../ingest/sources/graph-map";
import { ConnectorError, type ConnectorPage, type MailboxConnector, type RequestGuard } from "./connector";

export interface GraphConnectorOptions {
  /** The Microsoft Entra tenant (directory) id or domain the app is registered in. */
  tenantId: string;
  /** Application (client) id of the app registration. */
  clientId: string;
  /** Client secret of the app registration; kept in memory, never logged or put in an error. */
  clientSecret: string;
  /** Default `https://login.microsoftonline.com/{tenantId}/oauth2/v2.0/token`. */
  tokenUrl?: string;
  /** Default `https://graph.microsoft.com/v1.0`; every link followed must start with it. */
  graphBaseUrl?: string;
  /** Default `https://graph.microsoft.com/.default` (the app's granted application permissions). */
  scope?: string;
  /** Mail folders read per mailbox, by id or well-known name. Default `["inbox", "sentitems"]`. */
  folders?: readonly string[];
  /**
   * The calendar window read per mailbox (calendarView delta needs fixed bounds, set when a full
   * fetch starts and carried by its links); `false` reads no calendar. Default 365 days back, 90 ahead.
   */
  calendar?: { pastDays: number; futureDays: number } | false;
  /** `Prefer: odata.maxpagesize` (Graph may send fewer). Default 100. */
  pageSize?: number;
  /** Default the global fetch. */
  fetch?: typeof fetch;
  /**
   * Wraps every HTTP request (the token request included) for the mailbox it is made for: the
   * runner's collection gate. What it throws reaches the caller unchanged. Default: none.
   */
  guard?: RequestGuard;
  /** Clock for token expiry and HTTP-date `Retry-After`. Default the wall clock. */
  now?: () => Date;
  /** How a throttled request waits before its retry. Default a timer that the signal cancels. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /**
   * Throttling (429/503) is retried here up to this many times when the server asks for at most
   * `maxRetryWaitMs`; past either, it surfaces as a temporary ConnectorError with `retryAfterMs`
   * for the runner's backoff. Defaults 3 and 30 s.
   */
  maxRetries?: number;
  maxRetryWaitMs?: number;
}

/**
 * Exactly the message properties `graphItemToRecord` reads: addresses, dates, ids, subject, the
 * draft flag and the Internet headers its noise filters look at. Never `body`, `bodyPreview` or
 * attachments. `@odata.type` (meeting notifications) comes with every item anyway.
 */
export const graphMessageSelect = [
  "internetMessageId",
  "conversationId",
  "sentDateTime",
  "receivedDateTime",
  "from",
  "sender",
  "toRecipients",
  "ccRecipients",
  "subject",
  "isDraft",
  "internetMessageHeaders",
] as const;

const defaultFolders = ["inbox", "sentitems"] as const;
const calendarStream = "calendar";
/** Refresh an access token this long before it expires, so a request never races its expiry. */
const tokenSkewMs = 60_000;

/** Per stream (`mail:<folder>` or `calendar`), the link to call next. */
interface GraphCursor {
  v: 1;
  links: Record<string, string>;
}

interface AccessToken {
  value: string;
  expiresAt: number;
}

type Json = Record<string, unknown>;

export function createGraphConnector(options: GraphConnectorOptions): MailboxConnector {
  return new GraphConnector(options);
}

class GraphConnector implements MailboxConnector {
  readonly kind = "graph" as const;
  private readonly base: string;
  private readonly tokenUrl: string;
  private readonly http: typeof fetch;
  private readonly guard: RequestGuard;
  private readonly now: () => Date;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private token: AccessToken | null = null;
  private closed = false;

  constructor(private readonly options: GraphConnectorOptions) {
    this.base = (options.graphBaseUrl ?? "https://graph.microsoft.com/v1.0").replace(/\/+$/, "");
    this.tokenUrl =
      options.tokenUrl ??
      `https://login.microsoftonline.com/${encodeURIComponent(options.tenantId)}/oauth2/v2.0/token`;
    this.http = options.fetch ?? fetch;
    this.guard = options.guard ?? ((_mailbox, send) => send());
    this.now = options.now ?? (() => new Date());
    this.sleep = options.sleep ?? sleepFor;
  }

  async *fetch(mailbox: string, cursor: string | null, signal: AbortSignal): AsyncIterable<ConnectorPage> {
    if (this.closed) throw new Error("the Graph connector is closed");
    const state = cursor === null ? this.startCursor(mailbox) : this.parseCursor(cursor);
    const owner = mailbox.includes("@") ? mailbox.toLowerCase() : null;
    for (const stream of Object.keys(state.links)) {
      let link = state.links[stream]!;
      let record = 0;
      for (;;) {
        signal.throwIfAborted();
        const body = await this.get(mailbox, link, signal);
        const items = Array.isArray(body.value) ? (body.value as unknown[]) : [];
        const records: SourceRecord[] = [];
        const removed: string[] = [];
        const file = `graph:${mailbox}/${stream}`;
        for (const item of items) {
          record++;
          if (isObject(item) && item["@removed"] !== undefined) {
            if (typeof item.id === "string") removed.push(item.id);
            continue;
          }
          const folder = stream.startsWith("mail:") ? stream.slice(5) : null;
          const value = folder !== null && isObject(item) ? { ...item, folder } : item;
          records.push(graphItemToRecord(value, { file, record }, owner));
        }
        const next = stringOf(body["@odata.nextLink"]);
        const delta = stringOf(body["@odata.deltaLink"]);
        if (next === null && delta === null)
          throw new ConnectorError(
            "temporary",
            `${file}: a delta page had neither @odata.nextLink nor @odata.deltaLink`,
          );
        link = this.ownLink(next ?? delta!);
        state.links[stream] = link;
        yield { records, removed, cursor: JSON.stringify(state) };
        if (next === null) break;
      }
    }
  }

  close(): Promise<void> {
    this.closed = true;
    this.token = null;
    return Promise.resolve();
  }

  private startCursor(mailbox: string): GraphCursor {
    const user = `${this.base}/users/${encodeURIComponent(mailbox)}`;
    const links: Record<string, string> = {};
    const select = `$select=${graphMessageSelect.join(",")}`;
    for (const folder of this.options.folders ?? defaultFolders)
      links[`mail:${folder}`] = `${user}/mailFolders/${encodeURIComponent(folder)}/messages/delta?${select}`;
    const calendar = this.options.calendar ?? { pastDays: 365, futureDays: 90 };
    if (calendar !== false) {
      const day = 86_400_000;
      const now = this.now().getTime();
      const start = new Date(now - calendar.pastDays * day).toISOString();
      const end = new Date(now + calendar.futureDays * day).toISOString();
      // calendarView delta takes no $select (documented): Calendars.ReadBasic.All keeps bodies out.
      links[calendarStream] = `${user}/calendarView/delta?startDateTime=${start}&endDateTime=${end}`;
    }
    return { v: 1, links };
  }

  private parseCursor(cursor: string): GraphCursor {
    let parsed: unknown;
    try {
      parsed = JSON.parse(cursor);
    } catch {
      parsed = null;
    }
    if (!isObject(parsed) || parsed.v !== 1 || !isObject(parsed.links))
      throw new ConnectorError("cursor-invalid", "the stored Graph cursor is not one this connector wrote");
    const links: Record<string, string> = {};
    for (const [stream, link] of Object.entries(parsed.links)) {
      if (typeof link !== "string" || !link.startsWith(`${this.base}/`))
        throw new ConnectorError(
          "cursor-invalid",
          `the stored Graph cursor's ${stream} link is not on ${this.base}`,
        );
      links[stream] = link;
    }
    return { v: 1, links };
  }

  /** A link from a response, refused unless it is on the configured Graph (the token goes with it). */
  private ownLink(link: string): string {
    if (!link.startsWith(`${this.base}/`))
      throw new ConnectorError(
        "auth",
        `Graph answered with a link outside ${this.base}; refusing to follow it`,
      );
    return link;
  }

  /**
   * GET with the app's token. 401 once → a fresh token and one retry; throttling → bounded waits
   * (`Retry-After`); everything else becomes the ConnectorError that says what the runner does.
   */
  private async get(mailbox: string, url: string, signal: AbortSignal): Promise<Json> {
    const maxRetries = this.options.maxRetries ?? 3;
    const maxWait = this.options.maxRetryWaitMs ?? 30_000;
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken(mailbox, signal, refreshed);
      const response = await this.request(mailbox, url, {
        headers: {
          authorization: `Bearer ${token}`,
          accept: "application/json",
          prefer: `odata.maxpagesize=${this.options.pageSize ?? 100}`,
        },
        signal,
      });
      if (response.ok) return (await readJson(response, "Graph")) ?? {};
      const error = await graphError(response);
      const what = `GET ${redactUrl(url)}: ${response.status}${error.code ? ` ${error.code}` : ""}${error.message ? `: ${error.message}` : ""}`;
      if (response.status === 401 && !refreshed) {
        // The token expired (or was revoked) before our clock said so: one fresh token, one retry.
        this.token = null;
        refreshed = true;
        continue;
      }
      if (response.status === 401 || response.status === 403)
        throw new ConnectorError(
          "auth",
          `${what} (check the app's permissions and application access policy)`,
        );
      if (response.status === 410 || isResyncCode(error.code))
        throw new ConnectorError("cursor-invalid", `${what} (delta state lost: a full resync follows)`);
      if (response.status === 429 || response.status >= 500) {
        const retryAfterMs = retryAfter(response, this.now()) ?? 1000 * 2 ** attempt;
        if (attempt < maxRetries && retryAfterMs <= maxWait) {
          await this.sleep(retryAfterMs, signal);
          continue;
        }
        throw new ConnectorError("temporary", what, retryAfterMs);
      }
      // 400, 404 (no such mailbox, REST not enabled for it)…: retrying the same request cannot
      // help; the source is paused for an administrator to look at.
      throw new ConnectorError("auth", what);
    }
  }

  private async accessToken(mailbox: string, signal: AbortSignal, forceNew: boolean): Promise<string> {
    const now = this.now().getTime();
    if (!forceNew && this.token !== null && this.token.expiresAt - tokenSkewMs > now) return this.token.value;
    this.token = null;
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: this.options.clientId,
      client_secret: this.options.clientSecret,
      scope: this.options.scope ?? "https://graph.microsoft.com/.default",
    });
    const response = await this.request(mailbox, this.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: form.toString(),
      signal,
    });
    const body = await readJson(response, "the token endpoint").catch(() => null);
    if (!response.ok) {
      const code = typeof body?.error === "string" ? body.error : `HTTP ${response.status}`;
      const description =
        typeof body?.error_description === "string" ? `: ${body.error_description.split("\n")[0]}` : "";
      const what = `token request for client ${this.options.clientId} failed: ${code}${description}`;
      if (response.status === 429 || response.status >= 500)
        throw new ConnectorError("temporary", what, retryAfter(response, this.now()) ?? undefined);
      throw new ConnectorError("auth", what);
    }
    const value = body?.access_token;
    const expiresIn = Number(body?.expires_in);
    if (typeof value !== "string" || value === "" || !Number.isFinite(expiresIn))
      throw new ConnectorError("temporary", "the token endpoint answered without access_token/expires_in");
    this.token = { value, expiresAt: now + expiresIn * 1000 };
    return value;
  }

  /**
   * One HTTP request on behalf of `mailbox`, through the guard: a refusal of the guard is thrown
   * as it is; what the network answers is classified here.
   */
  private request(mailbox: string, url: string, init: RequestInit): Promise<Response> {
    return this.guard(mailbox, () => this.send(url, init));
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    try {
      return await this.http(url, init);
    } catch (error) {
      if (init.signal?.aborted) throw init.signal.reason;
      const reason =
        error instanceof Error
          ? error.cause instanceof Error
            ? error.cause.message
            : error.message
          : String(error);
      throw new ConnectorError("temporary", `${redactUrl(url)} unreachable: ${reason}`);
    }
  }
}

/** Graph's documented "start over" error codes (with 410 Gone or another 4xx). */
function isResyncCode(code: string | null): boolean {
  return code !== null && /^(syncStateNotFound|resyncRequired|syncStateInvalid)$/i.test(code);
}

async function graphError(response: Response): Promise<{ code: string | null; message: string | null }> {
  const body = await readJson(response, "Graph").catch(() => null);
  const error = isObject(body?.error) ? body.error : null;
  return {
    code: typeof error?.code === "string" ? error.code : null,
    message: typeof error?.message === "string" ? error.message.slice(0, 300) : null,
  };
}

async function readJson(response: Response, what: string): Promise<Json | null> {
  const text = await response.text();
  if (text.trim() === "") return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return isObject(parsed) ? parsed : null;
  } catch {
    throw new ConnectorError("temporary", `${what} answered ${response.status} with a body that is not JSON`);
  }
}

/** `Retry-After` in ms: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfter(response: Response, now: Date): number | null {
  const header = response.headers.get("retry-after");
  if (header === null) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

/** A link without its state tokens, for messages (they are bearer-like and long). */
function redactUrl(url: string): string {
  return url.replace(/([?&]\$(deltatoken|skiptoken)=)[^&]*/gi, "$1…");
}

function sleepFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringOf(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}
