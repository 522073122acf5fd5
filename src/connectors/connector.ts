import type { SourceRecord } from "../domain/interaction";

/**
 * The contract every live mail connector (IMAP, Microsoft Graph) implements (issue 16). A connector
 * knows how to talk to one kind of mail server; the sync runner (services) owns stages, leases,
 * retries, the collection gate and the import. A connector never decides what is kept.
 */
export interface MailboxConnector {
  readonly kind: "imap" | "graph";
  /**
   * Reads what is new in one mailbox since `cursor` (null: a full fetch). Yields pages in order;
   * a page's `cursor` is durable only after the runner committed the page's records, so a crash
   * between pages re-reads at most one page (dedupe keeps that safe). Throws `ConnectorError`.
   */
  fetch(mailbox: string, cursor: string | null, signal: AbortSignal): AsyncIterable<ConnectorPage>;
  /** Closes connections and timers. */
  close(): Promise<void>;
}

export interface ConnectorPage {
  /** Parsed records; `RejectedRecord`s carry the reason one bad message was not read. */
  records: SourceRecord[];
  /** Ids the server reports deleted since the cursor (Graph `@removed`); informative only. */
  removed: string[];
  /** Where the next fetch starts once this page is committed (opaque to the runner). */
  cursor: string;
  /** When the newest item of the page reached the server (IMAP INTERNALDATE), for the lag shown to the admin. */
  arrivedAt?: Date;
}

/**
 * Wraps every request a connector sends to a mail server for `mailbox` (connect and sign-in
 * included): the runner checks there that the mailbox may still be read, holding off a consent
 * withdrawal until the request is on its way, and throws instead of calling `send` when it may not.
 */
export type RequestGuard = <T>(mailbox: string, send: () => Promise<T>) => Promise<T>;

/** What the runner does about a failure. */
export type ConnectorErrorKind =
  /** Network, 5xx, 429: retry with backoff (at least `retryAfterMs` when the server said so). */
  | "temporary"
  /** Bad credentials, missing permission: pause the source and tell the admin. */
  | "auth"
  /** UIDVALIDITY changed, delta token expired or invalid: drop the cursor, fetch in full. */
  | "cursor-invalid";

export class ConnectorError extends Error {
  constructor(
    readonly kind: ConnectorErrorKind,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "ConnectorError";
  }
}
