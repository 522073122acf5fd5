import { ImapFlow, type FetchMessageObject, type ImapFlowOptions } from "imapflow";
import type { EmailRecord, SourceRecord } from "../domain/interaction";
import { decodeHeaderBytes, emailFromHeaders, parseHeaderBlock } from "../ingest/sources/mail-headers";
import { ConnectorError, type ConnectorPage, type MailboxConnector, type RequestGuard } from "./connector";

/**
 * The IMAP connector (issue 16): reads header fields only (`BODY.PEEK[HEADER.FIELDS (…)]`, never a
 * body), with every folder opened read-only (EXAMINE), so no `\Seen` flag or anything else on the
 * server changes. The cursor is UIDVALIDITY + the last UID read, per folder; a UIDVALIDITY that
 * differs from the cursor's voids it (`cursor-invalid`: the runner fetches in full again).
 */

export interface ImapSettings {
  host: string;
  port: number;
  /** "implicit": TLS from the first byte (993); "starttls": upgrade a plain connection; "none": loopback tests only. */
  tls: "implicit" | "starttls" | "none";
  /** Folders read besides INBOX and the \Sent folder (the admin's list; by path). */
  folders?: string[];
  /** Messages per page (one FETCH, one transaction of the runner). */
  pageSize?: number;
  /** Accept a self-signed server certificate (a test or an in-house server the admin vouches for). */
  allowSelfSigned?: boolean;
}

/** How one mailbox signs in: its login and a password or an OAuth 2.0 access token (XOAUTH2). */
export interface ImapLogin {
  login: string;
  secret: { method: "password"; password: string } | { method: "xoauth2"; accessToken: string };
}

export interface ImapConnectorOptions {
  settings: ImapSettings;
  /** The login of a mailbox (by owner address); throws for a mailbox the source does not hold. */
  loginFor(mailbox: string): ImapLogin;
  /** Wraps every request sent to the server (the runner's consent check); default: none. */
  guard?: RequestGuard;
}

/** The header fields Kith reads: addressing, date, ids and the noise signals; nothing else. */
export const imapHeaderFields = [
  "message-id",
  "date",
  "from",
  "sender",
  "to",
  "cc",
  "subject",
  "in-reply-to",
  "references",
  "list-id",
  "list-unsubscribe",
  "precedence",
  "auto-submitted",
  "content-type",
  "content-class",
];

const defaultPageSize = 500;

interface FolderCursor {
  validity: string;
  uid: number;
}

interface ImapCursor {
  v: 1;
  folders: Record<string, FolderCursor>;
}

function parseCursor(cursor: string | null): ImapCursor {
  if (cursor === null) return { v: 1, folders: {} };
  try {
    const parsed = JSON.parse(cursor) as Partial<ImapCursor>;
    if (parsed.v === 1 && parsed.folders && typeof parsed.folders === "object")
      return { v: 1, folders: parsed.folders };
  } catch {
    // falls through
  }
  throw new ConnectorError("cursor-invalid", "the stored IMAP cursor is not one this version wrote");
}

/** imapflow's errors, sorted by what the runner should do about them. */
function classify(error: unknown, what: string): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const e = error as {
    authenticationFailed?: boolean;
    serverResponseCode?: string;
    message?: string;
    code?: string;
  };
  const detail = e.message ?? String(error);
  if (e.authenticationFailed && e.serverResponseCode !== "UNAVAILABLE")
    return new ConnectorError(
      "auth",
      `${what}: the server refused the login (${e.serverResponseCode ?? "NO"})`,
    );
  return new ConnectorError("temporary", `${what}: ${detail}${e.code ? ` (${e.code})` : ""}`);
}

export function createImapConnector(options: ImapConnectorOptions): MailboxConnector & ImapConnectorExtras {
  return new ImapConnector(options);
}

export interface ImapConnectorExtras {
  /** Resolves true when the server reports new mail in INBOX (IDLE), false at once if it has no IDLE. */
  waitForChange(mailbox: string, signal: AbortSignal): Promise<boolean>;
}

const passThrough: RequestGuard = (_mailbox, send) => send();

class ImapConnector implements MailboxConnector, ImapConnectorExtras {
  readonly kind = "imap" as const;
  private readonly guard: RequestGuard;
  private readonly open = new Set<ImapFlow>();
  private readonly watchers = new Map<string, Watcher>();

  constructor(private readonly options: ImapConnectorOptions) {
    this.guard = options.guard ?? passThrough;
  }

  private clientFor(mailbox: string): ImapFlow {
    const { settings } = this.options;
    const login = this.options.loginFor(mailbox);
    const auth: ImapFlowOptions["auth"] =
      login.secret.method === "password"
        ? { user: login.login, pass: login.secret.password }
        : { user: login.login, accessToken: login.secret.accessToken };
    const client = new ImapFlow({
      host: settings.host,
      port: settings.port,
      secure: settings.tls === "implicit",
      doSTARTTLS: settings.tls === "starttls" ? true : settings.tls === "none" ? false : undefined,
      ...(settings.allowSelfSigned ? { tls: { rejectUnauthorized: false } } : {}),
      auth,
      logger: false,
      // No command Kith did not ask for (an IDLE started on inactivity is a request too).
      disableAutoIdle: true,
      connectionTimeout: 30_000,
      greetingTimeout: 15_000,
      socketTimeout: 5 * 60_000,
    });
    // Errors surface through the awaited commands; an unhandled 'error' event would end the process.
    client.on("error", () => undefined);
    this.open.add(client);
    return client;
  }

  private async connect(mailbox: string, signal: AbortSignal): Promise<ImapFlow> {
    const client = this.clientFor(mailbox);
    const abort = () => client.close();
    signal.addEventListener("abort", abort, { once: true });
    client.once("close", () => signal.removeEventListener("abort", abort));
    try {
      await this.request(mailbox, `connecting to ${this.options.settings.host} for ${mailbox}`, () =>
        client.connect(),
      );
    } catch (error) {
      this.drop(client);
      throw error;
    }
    return client;
  }

  /**
   * Sends one request through the guard. What the server or the network answers is classified
   * here; what the guard throws (the mailbox may not be read) reaches the runner as it is.
   */
  private async request<T>(mailbox: string, what: string, send: () => Promise<T>): Promise<T> {
    return this.guard(mailbox, () =>
      send().catch((error: unknown) => {
        throw classify(error, what);
      }),
    );
  }

  /** Ends a connection without a LOGOUT: closing sends nothing more to the server. */
  private drop(client: ImapFlow): void {
    client.close();
    this.open.delete(client);
  }

  async *fetch(
    mailbox: string,
    cursorText: string | null,
    signal: AbortSignal,
  ): AsyncGenerator<ConnectorPage> {
    const cursor = parseCursor(cursorText);
    const client = await this.connect(mailbox, signal);
    try {
      const folders = await this.foldersOf(client, mailbox);
      const pageSize = this.options.settings.pageSize ?? defaultPageSize;
      for (const folder of folders) {
        signal.throwIfAborted();
        const opened = await this.request(mailbox, `opening ${folder} of ${mailbox}`, () =>
          client.mailboxOpen(folder, { readOnly: true }),
        );
        const validity = String(opened.uidValidity);
        const known = cursor.folders[folder];
        if (known && known.validity !== validity)
          throw new ConnectorError(
            "cursor-invalid",
            `UIDVALIDITY of ${folder} changed (${known.validity} → ${validity}): every UID read before is void`,
          );
        const after = known?.uid ?? 0;
        const uids = opened.exists === 0 ? [] : await this.newUids(client, mailbox, after);
        if (uids.length === 0) {
          if (!known) {
            cursor.folders[folder] = { validity, uid: 0 };
            yield { records: [], removed: [], cursor: JSON.stringify(cursor) };
          }
          continue;
        }
        for (let start = 0; start < uids.length; start += pageSize) {
          signal.throwIfAborted();
          const page = uids.slice(start, start + pageSize);
          const { records, arrivedAt } = await this.fetchPage(client, mailbox, folder, page);
          cursor.folders[folder] = { validity, uid: page[page.length - 1]! };
          yield {
            records,
            removed: [],
            cursor: JSON.stringify(cursor),
            ...(arrivedAt ? { arrivedAt } : {}),
          };
        }
      }
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw error;
    } finally {
      this.drop(client);
    }
  }

  /** INBOX, the \Sent folder (by special use, else a folder named Sent) and the admin's folders, once each. */
  private async foldersOf(client: ImapFlow, mailbox: string): Promise<string[]> {
    const listed = await this.request(mailbox, `listing the folders of ${mailbox}`, () => client.list());
    const sent = listed.find((f) => f.specialUse === "\\Sent") ?? listed.find((f) => /^sent$/i.test(f.path));
    const wanted = ["INBOX", ...(sent ? [sent.path] : []), ...(this.options.settings.folders ?? [])];
    const paths = new Set(listed.map((f) => f.path));
    const missing = wanted.filter((f) => f !== "INBOX" && !paths.has(f));
    if (missing.length > 0)
      throw new ConnectorError(
        "auth",
        `folder(s) ${missing.join(", ")} of ${mailbox} do not exist or are not readable`,
      );
    return [...new Set(wanted)];
  }

  private async newUids(client: ImapFlow, mailbox: string, after: number): Promise<number[]> {
    const found = await this.request(mailbox, `searching ${mailbox}`, () =>
      client.search({ uid: `${after + 1}:*` }, { uid: true }),
    );
    // `N:*` always matches the highest UID, even one below N (RFC 3501 §6.4.8).
    return (found || []).filter((uid) => uid > after).sort((a, b) => a - b);
  }

  private async fetchPage(
    client: ImapFlow,
    mailbox: string,
    folder: string,
    uids: number[],
  ): Promise<{ records: SourceRecord[]; arrivedAt: Date | null }> {
    const records: SourceRecord[] = [];
    let arrivedAt: Date | null = null;
    const file = `imap://${this.options.settings.host}/${mailbox}/${folder}`;
    const messages = await this.request(mailbox, `fetching ${folder} of ${mailbox}`, () =>
      client.fetchAll(
        uids.join(","),
        { uid: true, headers: imapHeaderFields, internalDate: true },
        { uid: true },
      ),
    );
    for (const message of messages) {
      records.push(recordOf(message, { file, mailbox, folder }));
      const internal = message.internalDate instanceof Date ? message.internalDate : null;
      if (internal && (!arrivedAt || internal > arrivedAt)) arrivedAt = internal;
    }
    return { records, arrivedAt };
  }

  async waitForChange(mailbox: string, signal: AbortSignal): Promise<boolean> {
    let watcher = this.watchers.get(mailbox);
    if (!watcher || watcher.dead) {
      watcher = new Watcher();
      this.watchers.set(mailbox, watcher);
      const client = await this.connect(mailbox, signal);
      watcher.client = client;
      if (!client.capabilities.has("IDLE")) {
        this.drop(client);
        watcher.dead = true;
        return false;
      }
      client.on("exists", () => watcher!.notify());
      client.on("close", () => watcher!.end());
      await this.request(mailbox, `watching INBOX of ${mailbox}`, () =>
        client.mailboxOpen("INBOX", { readOnly: true }),
      ).catch((error: unknown) => {
        watcher!.end();
        throw error;
      });
      await this.guard(mailbox, async () => {
        client.idle().catch(() => watcher!.end());
        // IDLE is written on the next turn; the guard holds until it is on its way.
        await new Promise((done) => setImmediate(done));
      });
      // Mail delivered between the caller's last fetch and this IDLE raised no EXISTS here: the
      // first wait answers "changed" so the caller fetches once more, now that nothing can slip by.
      watcher.notify();
    }
    return watcher.wait(signal);
  }

  async close(): Promise<void> {
    for (const client of this.open) client.close();
    this.open.clear();
    for (const watcher of this.watchers.values()) watcher.end();
    this.watchers.clear();
    return Promise.resolve();
  }
}

/** One IDLE connection per mailbox: counts the server's EXISTS reports between waits. */
class Watcher {
  client: ImapFlow | null = null;
  dead = false;
  private pending = false;
  private waiters: (() => void)[] = [];

  notify(): void {
    this.pending = true;
    for (const w of this.waiters.splice(0)) w();
  }

  end(): void {
    this.dead = true;
    this.client?.close();
    this.notify();
  }

  wait(signal: AbortSignal): Promise<boolean> {
    if (this.pending || this.dead) {
      this.pending = false;
      return Promise.resolve(true);
    }
    return new Promise((resolve, reject) => {
      const done = () => {
        signal.removeEventListener("abort", aborted);
        this.pending = false;
        resolve(true);
      };
      const aborted = () => {
        this.waiters = this.waiters.filter((w) => w !== done);
        reject(signal.reason as Error);
      };
      signal.addEventListener("abort", aborted, { once: true });
      this.waiters.push(done);
    });
  }
}

/** One message's header fields as an email record owned by the mailbox; a bad one as a rejection. */
function recordOf(
  message: FetchMessageObject,
  where: { file: string; mailbox: string; folder: string },
): SourceRecord {
  const position = { file: where.file, record: message.uid };
  if (!message.headers || message.headers.length === 0)
    return { type: "rejected", position, reason: `UID ${message.uid}: the server sent no header fields` };
  try {
    const headers = parseHeaderBlock(decodeHeaderBytes(message.headers));
    const record: EmailRecord = emailFromHeaders(headers, {
      position,
      owner: where.mailbox,
      folder: where.folder,
    });
    return record;
  } catch (error) {
    return {
      type: "rejected",
      position,
      reason: `UID ${message.uid}: unreadable header fields (${error instanceof Error ? error.message : String(error)})`,
    };
  }
}
