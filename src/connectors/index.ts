import { Type } from "@sinclair/typebox";
import { validationError } from "../domain/errors";
import { check, says } from "../domain/validate";
import type { MailboxConnector, RequestGuard } from "./connector";
import { createGraphConnector, type GraphConnectorOptions } from "./graph";
import { createImapConnector, type ImapLogin, type ImapSettings } from "./imap";

/**
 * Which connector reads a live source: one factory per kind. The runner (services/live-sync.service.ts)
 * knows nothing of IMAP or Graph; it hands a factory the source's settings, its decrypted secrets
 * and the request guard. Registering a kind is one line in `connectorFactories`.
 */
export type SourceKind = "imap" | "graph";

export interface ConnectorSpec {
  /** The source's settings as stored (checked by the factory). */
  settings: Record<string, unknown>;
  /** The source-wide secret, decrypted (Graph: the client secret); null when none. */
  sourceSecret: string | null;
  /** Per mailbox address: its login and decrypted secret (IMAP). */
  mailboxes: ReadonlyMap<string, { login: string | null; secret: string | null }>;
  guard: RequestGuard;
}

/** What a connector may add for the runner: push notification of new mail (IMAP IDLE). */
export interface WatchableConnector extends MailboxConnector {
  /** Resolves true on new mail (or when a watch was just set up); false when the server cannot push. */
  waitForChange?(mailbox: string, signal: AbortSignal): Promise<boolean>;
}

export const connectorFactories: Partial<Record<SourceKind, (spec: ConnectorSpec) => WatchableConnector>> = {
  imap: imapFromSpec,
  graph: graphFromSpec,
};

export function createConnector(kind: SourceKind, spec: ConnectorSpec): WatchableConnector {
  const factory = connectorFactories[kind];
  if (!factory)
    throw validationError(`no connector is registered for ${kind} sources in this version of Kith`);
  return factory(spec);
}

export const imapSettingsSchema = Type.Object(
  {
    host: Type.String({ minLength: 1 }),
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
    tls: Type.Union([Type.Literal("implicit"), Type.Literal("starttls"), Type.Literal("none")]),
    folders: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })),
    allowSelfSigned: Type.Optional(Type.Boolean()),
    auth: Type.Union([Type.Literal("password"), Type.Literal("xoauth2")]),
  },
  { additionalProperties: false },
);

export function checkImapSettings(settings: unknown): ImapSettings & { auth: "password" | "xoauth2" } {
  const result = check(imapSettingsSchema, settings);
  if (!result.ok) throw validationError(`IMAP source settings: ${result.problems.join("; ")}`);
  return result.value;
}

function imapFromSpec(spec: ConnectorSpec): WatchableConnector {
  const settings = checkImapSettings(spec.settings);
  return createImapConnector({
    settings,
    guard: spec.guard,
    loginFor(mailbox): ImapLogin {
      const entry = spec.mailboxes.get(mailbox);
      if (!entry?.secret) throw validationError(`no IMAP credential is stored for ${mailbox}`);
      const login = entry.login ?? mailbox;
      return settings.auth === "password"
        ? { login, secret: { method: "password", password: entry.secret } }
        : { login, secret: { method: "xoauth2", accessToken: entry.secret } };
    },
  });
}

const httpUrl = Type.String({ pattern: "^https?://[^\\s]+$", ...says("must be an http(s) URL") });

export const graphSettingsSchema = Type.Object(
  {
    tenantId: Type.String({ minLength: 1 }),
    clientId: Type.String({ minLength: 1 }),
    tokenUrl: Type.Optional(httpUrl),
    graphBaseUrl: Type.Optional(httpUrl),
    folders: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })),
    calendar: Type.Optional(
      Type.Union([
        Type.Literal(false),
        Type.Object(
          {
            pastDays: Type.Integer({ minimum: 0, maximum: 3650 }),
            futureDays: Type.Integer({ minimum: 0, maximum: 3650 }),
          },
          { additionalProperties: false },
        ),
      ]),
    ),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);

export type GraphSettings = Omit<GraphConnectorOptions, "clientSecret" | "fetch" | "guard" | "now" | "sleep">;

export function checkGraphSettings(settings: unknown): GraphSettings {
  const result = check(graphSettingsSchema, settings);
  if (!result.ok) throw validationError(`Microsoft Graph source settings: ${result.problems.join("; ")}`);
  return result.value;
}

function graphFromSpec(spec: ConnectorSpec): WatchableConnector {
  const settings = checkGraphSettings(spec.settings);
  if (!spec.sourceSecret) throw validationError("no client secret is stored for this Microsoft Graph source");
  return createGraphConnector({ ...settings, clientSecret: spec.sourceSecret, guard: spec.guard });
}

/** A cursor as the admin reads it: IMAP's folders with UIDVALIDITY/last UID, Graph's streams; never a token. */
export function describeCursor(kind: SourceKind, cursor: string | null): string | null {
  if (cursor === null) return null;
  if (kind === "imap") {
    try {
      const parsed = JSON.parse(cursor) as { folders?: Record<string, { validity: string; uid: number }> };
      return Object.entries(parsed.folders ?? {})
        .map(([folder, c]) => `${folder} ${c.validity}/${c.uid}`)
        .join(", ");
    } catch {
      return "unreadable";
    }
  }
  if (kind === "graph") {
    // Per stream whether a round is under way or done; the links themselves carry state tokens.
    try {
      const parsed = JSON.parse(cursor) as { links?: Record<string, string> };
      return Object.entries(parsed.links ?? {})
        .map(([stream, link]) => {
          const at = /[?&]\$deltatoken=/.test(link)
            ? "delta"
            : /[?&]\$skiptoken=/.test(link)
              ? "paging"
              : "start";
          return `${stream} ${at}`;
        })
        .join(", ");
    } catch {
      return "unreadable";
    }
  }
  return cursor.length > 60 ? `${cursor.slice(0, 57)}…` : cursor;
}
