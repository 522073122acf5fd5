import { Type } from "@sinclair/typebox";
import { createCredentialCipher } from "../../services/credentials";
import {
  addLiveSource,
  listLiveSources,
  removeLiveSource,
  resumeLiveSource,
  type SourceStatus,
} from "../../services/live-sync.service";
import { adminRoles, defineRoute } from "../route";
import { NullableDateTime, iso, isoOrNull } from "../schemas";

/**
 * Live mail sources (IMAP, Microsoft Graph) and their sync state per mailbox: the admin "Sources"
 * screen. Secrets go in (add, resume) and never come back out: a view says only whether one is set.
 */
const Stage = Type.Union(
  ["pending_full_fetch", "fetching", "importing", "idle", "paused", "failed"].map((s) => Type.Literal(s)),
  {
    description:
      "where the mailbox's sync is: a full fetch pending, fetching, importing, idle, paused (auth: see reason), failed (retrying)",
  },
);

const MailboxView = Type.Object({
  mailbox: Type.String(),
  login: Type.Union([Type.String(), Type.Null()]),
  stage: Stage,
  cursor: Type.Union([Type.String(), Type.Null()], {
    description: "where the next read starts (IMAP: folder UIDVALIDITY/last UID)",
  }),
  lastSuccessAt: NullableDateTime,
  failureCount: Type.Integer(),
  nextAttemptAt: NullableDateTime,
  lagMs: Type.Union([Type.Number(), Type.Null()], {
    description:
      "delivered to the mail server → stored in Kith, for the newest message of the last cycle that read any",
  }),
  reason: Type.Union([Type.String(), Type.Null()], {
    description: "why it is paused or failed, or what the last cycle set aside",
  }),
  imported: Type.Integer(),
  worker: Type.Union([Type.String(), Type.Null()], { description: "the worker syncing it now" }),
  hasCredential: Type.Boolean(),
});

const SourceView = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal("imap"), Type.Literal("graph")]),
  name: Type.String(),
  settings: Type.Record(Type.String(), Type.Unknown(), {
    description: "connection settings; never a secret",
  }),
  hasCredential: Type.Boolean(),
  createdAt: Type.String({ format: "date-time" }),
  mailboxes: Type.Array(MailboxView),
});

function present(s: SourceStatus) {
  return {
    ...s,
    createdAt: iso(s.createdAt),
    mailboxes: s.mailboxes.map((m) => ({
      ...m,
      lastSuccessAt: isoOrNull(m.lastSuccessAt),
      nextAttemptAt: isoOrNull(m.nextAttemptAt),
    })),
  };
}

const Secret = Type.String({
  minLength: 1,
  maxLength: 8192,
  description: "write-only: stored encrypted, never returned",
});

export const sourceRoutes = [
  defineRoute({
    method: "GET",
    url: "/api/sources",
    summary: "Live mail sources and each mailbox's sync state (administrators)",
    tags: ["sources"],
    access: adminRoles.either,
    schema: { response: Type.Object({ sources: Type.Array(SourceView) }) },
    handler: async ({ ctx, user }) => ({ sources: (await listLiveSources(ctx, user.tenantId)).map(present) }),
  }),
  defineRoute({
    method: "POST",
    url: "/api/sources",
    summary:
      "Connect a live mail source (IMAP server or Microsoft 365 tenant) and its mailboxes (administrators)",
    tags: ["sources"],
    access: adminRoles.either,
    status: 201,
    schema: {
      body: Type.Object(
        {
          kind: Type.Union([Type.Literal("imap"), Type.Literal("graph")]),
          name: Type.String({ minLength: 1, maxLength: 200 }),
          settings: Type.Record(Type.String(), Type.Unknown(), {
            description:
              "IMAP: host, port, tls (implicit|starttls|none), auth (password|xoauth2), folders, pageSize. " +
              "Graph: tenantId, clientId, tokenUrl, graphBaseUrl, folders, calendar (false or { pastDays, futureDays }), pageSize; the client secret goes in `secret`",
          }),
          secret: Type.Optional(Secret),
          mailboxes: Type.Array(
            Type.Object(
              { address: Type.String(), login: Type.Optional(Type.String()), secret: Type.Optional(Secret) },
              { additionalProperties: false },
            ),
            { minItems: 1, maxItems: 10_000 },
          ),
        },
        { additionalProperties: false },
      ),
      response: SourceView,
    },
    handler: async ({ deps, ctx, user, body }) =>
      present(
        await addLiveSource(
          ctx,
          createCredentialCipher(deps.config.secretKey),
          user.tenantId,
          {
            kind: body.kind,
            name: body.name,
            settings: body.settings,
            ...(body.secret ? { secret: body.secret } : {}),
            mailboxes: body.mailboxes.map((m) => ({
              address: m.address,
              ...(m.login ? { login: m.login } : {}),
              ...(m.secret ? { secret: m.secret } : {}),
            })),
          },
          user.email,
        ),
      ),
  }),
  defineRoute({
    method: "POST",
    url: "/api/sources/:id/resume",
    summary: "Resume a paused or failed source or mailbox, optionally with a new secret (administrators)",
    tags: ["sources"],
    access: adminRoles.either,
    schema: {
      params: Type.Object({ id: Type.String() }),
      body: Type.Object(
        { mailbox: Type.Optional(Type.String()), secret: Type.Optional(Secret) },
        { additionalProperties: false },
      ),
      response: SourceView,
    },
    handler: async ({ deps, ctx, user, params, body }) =>
      present(
        await resumeLiveSource(
          ctx,
          createCredentialCipher(deps.config.secretKey),
          user.tenantId,
          params.id,
          {
            ...(body.mailbox ? { mailbox: body.mailbox } : {}),
            ...(body.secret ? { secret: body.secret } : {}),
          },
          user.email,
        ),
      ),
  }),
  defineRoute({
    method: "DELETE",
    url: "/api/sources/:id",
    summary: "Disconnect a live mail source; what it imported stays (administrators)",
    tags: ["sources"],
    access: adminRoles.either,
    schema: { params: Type.Object({ id: Type.String() }), response: Type.Object({ removed: Type.String() }) },
    handler: async ({ ctx, user, params }) => {
      await removeLiveSource(ctx, user.tenantId, params.id, user.email);
      return { removed: params.id };
    },
  }),
];
