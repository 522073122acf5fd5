import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { validationError } from "../domain/errors";
import { createCredentialCipher } from "../services/credentials";
import {
  addLiveSource,
  listLiveSources,
  newWorkerId,
  removeLiveSource,
  resumeLiveSource,
  syncMailbox,
  type MailboxInput,
  type SourceStatus,
} from "../services/live-sync.service";
import { emit, resolveTenantId, tenantOption, type CommandEnv } from "./runtime";

/**
 * `kith sources …` for live mail sources (IMAP, Microsoft Graph): add, resume,
 * remove, sync one cycle now, and the table of every source × mailbox state (`kith sources`).
 * Secrets never go on the command line (other users see it in `ps`): they come from an
 * environment variable named by the admin or from a file, and are never printed back.
 */

const age = (from: Date | null, now: Date) => {
  if (!from) return "never";
  const s = Math.round((now.getTime() - from.getTime()) / 1000);
  return s < 0
    ? `in ${-s}s`
    : s < 120
      ? `${s}s ago`
      : s < 7200
        ? `${Math.round(s / 60)}m ago`
        : `${Math.round(s / 3600)}h ago`;
};
const until = (at: Date | null, now: Date) => {
  if (!at) return "—";
  const s = Math.round((at.getTime() - now.getTime()) / 1000);
  return s <= 0 ? "now" : s < 120 ? `in ${s}s` : `in ${Math.round(s / 60)}m`;
};

/** The state table: one line per source × mailbox. */
export function renderLiveSources(sources: readonly SourceStatus[], now: Date): string[] {
  if (sources.length === 0)
    return ["live sources: none (add one with `kith sources add-imap` or `add-graph`)"];
  const lines = ["live sources (source × mailbox)"];
  const header = [
    "source",
    "mailbox",
    "stage",
    "cursor",
    "last success",
    "failures",
    "next attempt",
    "lag",
    "imported",
  ];
  const rows = sources.flatMap((s) =>
    s.mailboxes.map((m) => [
      `${s.id} (${s.kind})`,
      m.mailbox,
      m.stage,
      m.cursor ?? "—",
      age(m.lastSuccessAt, now),
      String(m.failureCount),
      until(m.nextAttemptAt, now),
      m.lagMs === null ? "—" : `${(m.lagMs / 1000).toFixed(1)}s`,
      String(m.imported),
    ]),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i]!)).join("  ")}`.trimEnd();
  lines.push(line(header), ...rows.map(line));
  for (const s of sources)
    for (const m of s.mailboxes)
      if (m.reason)
        lines.push(`  ${s.id} ${m.mailbox}: ${m.stage === "paused" ? "PAUSED — " : ""}${m.reason}`);
  return lines;
}

function secretFromEnv(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const value = process.env[name];
  if (!value) throw validationError(`the environment variable ${name} (the secret) is not set or empty`);
  return value;
}

async function secretFromFile(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw validationError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const secret = text.trim();
  if (!secret) throw validationError(`${path} (the secret) is empty`);
  return secret;
}

/** `[{ "address": "…", "login": "…", "secret": "…" }]`: many mailboxes and their secrets at once. */
async function mailboxesFromFile(path: string): Promise<MailboxInput[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw validationError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!Array.isArray(parsed))
    throw validationError(`${path}: expected a JSON array of { address, login?, secret }`);
  return parsed.map((entry: unknown, i) => {
    const e = entry as Record<string, unknown>;
    if (typeof e?.address !== "string" || typeof e.secret !== "string")
      throw validationError(`${path}: entry ${i + 1} needs "address" and "secret" strings`);
    return {
      address: e.address,
      secret: e.secret,
      ...(typeof e.login === "string" ? { login: e.login } : {}),
    };
  });
}

export function registerLiveSourceCommands(sources: Command, env: CommandEnv): void {
  const cipher = () => createCredentialCipher(env.config().secretKey);

  tenantOption(sources.command("add-imap").description("connect an IMAP server's mailboxes (live sync)"))
    .requiredOption("--name <name>", "a name for the source")
    .requiredOption("--host <host>", "IMAP server host")
    .option("--port <port>", "port (default 993 with TLS, 143 otherwise)", (v) => Number.parseInt(v, 10))
    .option("--tls <mode>", "implicit (993), starttls or none (loopback tests only)", "implicit")
    .option(
      "--auth <method>",
      "password or xoauth2 (the secret is then an OAuth 2.0 access token)",
      "password",
    )
    .option("--folder <path...>", "folders to read besides INBOX and the Sent folder")
    .option("--mailbox <address>", "one mailbox (owner address); its secret from --secret-env")
    .option("--login <login>", "the mailbox's IMAP login when it is not the address")
    .option("--secret-env <name>", "environment variable holding the mailbox's password or token")
    .option("--mailboxes-file <file>", 'JSON [{ "address", "login"?, "secret" }] for many mailboxes')
    .option("--by <email>", "the administrator acting (audit)", "cli")
    .option("--json", "print JSON")
    .action(
      async (o: {
        tenant?: string;
        name: string;
        host: string;
        port?: number;
        tls: string;
        auth: string;
        folder?: string[];
        mailbox?: string;
        login?: string;
        secretEnv?: string;
        mailboxesFile?: string;
        by: string;
        json?: boolean;
      }) => {
        const mailboxes: MailboxInput[] = o.mailboxesFile ? await mailboxesFromFile(o.mailboxesFile) : [];
        if (o.mailbox) {
          const secret = secretFromEnv(o.secretEnv);
          mailboxes.push({
            address: o.mailbox,
            ...(o.login ? { login: o.login } : {}),
            ...(secret ? { secret } : {}),
          });
        }
        if (mailboxes.length === 0) throw validationError("name a mailbox (--mailbox) or a --mailboxes-file");
        const added = await env.withContext(async (ctx) =>
          addLiveSource(
            ctx,
            cipher(),
            await resolveTenantId(ctx, env, o.tenant),
            {
              kind: "imap",
              name: o.name,
              settings: {
                host: o.host,
                port: o.port ?? (o.tls === "implicit" ? 993 : 143),
                tls: o.tls,
                auth: o.auth,
                ...(o.folder ? { folders: o.folder } : {}),
              },
              mailboxes,
            },
            o.by,
          ),
        );
        emit(env.io, o.json, added, () =>
          [`added ${added.id}: ${added.mailboxes.length} mailbox(es), each pending a full fetch`].join("\n"),
        );
      },
    );

  tenantOption(
    sources
      .command("add-graph")
      .description("connect a Microsoft 365 tenant's mailboxes through Microsoft Graph (live sync)"),
  )
    .requiredOption("--name <name>", "a name for the source")
    .requiredOption("--tenant-id <id>", "Microsoft Entra directory (tenant) id or domain")
    .requiredOption("--client-id <id>", "application (client) id of the app registration")
    .option(
      "--token-url <url>",
      "token endpoint (default https://login.microsoftonline.com/{tenant-id}/oauth2/v2.0/token)",
    )
    .option("--graph-url <url>", "Graph base URL (default https://graph.microsoft.com/v1.0)")
    .option(
      "--folder <folder...>",
      "mail folders to read, by id or well-known name (default inbox sentitems)",
    )
    .option("--no-calendar", "do not read calendars (no Calendars.ReadBasic.All permission)")
    .requiredOption("--mailbox <address...>", "the mailboxes to read (owner addresses)")
    .option("--secret-env <name>", "environment variable holding the app's client secret")
    .option("--secret-file <file>", "file holding the app's client secret")
    .option("--by <email>", "the administrator acting (audit)", "cli")
    .option("--json", "print JSON")
    .action(
      async (o: {
        tenant?: string;
        name: string;
        tenantId: string;
        clientId: string;
        tokenUrl?: string;
        graphUrl?: string;
        folder?: string[];
        calendar: boolean;
        mailbox: string[];
        secretEnv?: string;
        secretFile?: string;
        by: string;
        json?: boolean;
      }) => {
        if ((o.secretEnv === undefined) === (o.secretFile === undefined))
          throw validationError("give the client secret with exactly one of --secret-env or --secret-file");
        const secret =
          o.secretEnv !== undefined ? secretFromEnv(o.secretEnv)! : await secretFromFile(o.secretFile!);
        const added = await env.withContext(async (ctx) =>
          addLiveSource(
            ctx,
            cipher(),
            await resolveTenantId(ctx, env, o.tenant),
            {
              kind: "graph",
              name: o.name,
              settings: {
                tenantId: o.tenantId,
                clientId: o.clientId,
                ...(o.tokenUrl ? { tokenUrl: o.tokenUrl } : {}),
                ...(o.graphUrl ? { graphBaseUrl: o.graphUrl } : {}),
                ...(o.folder ? { folders: o.folder } : {}),
                ...(o.calendar ? {} : { calendar: false }),
              },
              secret,
              mailboxes: o.mailbox.map((address) => ({ address })),
            },
            o.by,
          ),
        );
        emit(
          env.io,
          o.json,
          added,
          () => `added ${added.id}: ${added.mailboxes.length} mailbox(es), each pending a full fetch`,
        );
      },
    );

  tenantOption(
    sources
      .command("resume")
      .description("resume a paused or failed live source, optionally with a new secret"),
  )
    .argument("<source>", "source id")
    .option("--mailbox <address>", "only this mailbox")
    .option(
      "--secret-env <name>",
      "environment variable holding the new password or token (Graph: the client secret)",
    )
    .option("--by <email>", "the administrator acting (audit)", "cli")
    .option("--json", "print JSON")
    .action(
      async (
        id: string,
        o: { tenant?: string; mailbox?: string; secretEnv?: string; by: string; json?: boolean },
      ) => {
        const secret = secretFromEnv(o.secretEnv);
        const status = await env.withContext(async (ctx) =>
          resumeLiveSource(
            ctx,
            cipher(),
            await resolveTenantId(ctx, env, o.tenant),
            id,
            { ...(o.mailbox ? { mailbox: o.mailbox } : {}), ...(secret ? { secret } : {}) },
            o.by,
          ),
        );
        emit(env.io, o.json, status, () => `resumed ${status.id}`);
      },
    );

  tenantOption(sources.command("remove").description("disconnect a live source (what it imported stays)"))
    .argument("<source>", "source id")
    .option("--by <email>", "the administrator acting (audit)", "cli")
    .action(async (id: string, o: { tenant?: string; by: string }) => {
      await env.withContext(async (ctx) =>
        removeLiveSource(ctx, await resolveTenantId(ctx, env, o.tenant), id, o.by),
      );
      env.io.out(`removed ${id}`);
    });

  tenantOption(sources.command("sync").description("one live sync cycle now, in the foreground"))
    .argument("<source>", "source id")
    .option("--mailbox <address>", "only this mailbox")
    .option("--json", "print JSON")
    .action(async (id: string, o: { tenant?: string; mailbox?: string; json?: boolean }) => {
      const results = await env.withContext(async (ctx) => {
        const tenantId = await resolveTenantId(ctx, env, o.tenant);
        const source = (await listLiveSources(ctx, tenantId)).find((s) => s.id === id);
        if (!source) throw validationError(`no live source ${id}`);
        const deps = {
          cipher: cipher(),
          workerId: newWorkerId(),
          pollIntervalMs: env.config().livePollIntervalMs,
        };
        const out: Record<string, unknown> = {};
        for (const m of source.mailboxes.filter((x) => !o.mailbox || x.mailbox === o.mailbox.toLowerCase()))
          out[m.mailbox] = await syncMailbox(ctx, deps, tenantId, { sourceId: id, mailbox: m.mailbox });
        return out;
      });
      emit(env.io, o.json, results, () =>
        Object.entries(results)
          .map(([mailbox, outcome]) => `${mailbox}: ${JSON.stringify(outcome)}`)
          .join("\n"),
      );
    });
}
