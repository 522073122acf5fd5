/**
 * `npm run bench -- live [--messages 1000] [--rate 20] [--poll 10s] [--postgres URL] [--skip-initial]`:
 * live mail latency against a real Dovecot (test/helpers/dovecot.ts), through the real runner and
 * the worker's loop (jobs/live-sync.loop.ts) on a fresh store.
 *
 * 1. Initial sync: Phillip Allen's whole Enron mailbox (all 10 folders, 3,034 messages; the sent
 *    folders as Sent, the rest in INBOX) over IMAP, pages of 500: messages/s.
 * 2. Live: `--messages` real messages (Phillip's sent mail, each with a fresh Message-ID and today's
 *    Date) delivered into a second mailbox's maildir at `--rate` a second, as an MDA delivers, once
 *    with the IDLE watch and once polling every `--poll`. Latency per message: delivered → its page
 *    committed. The commit is what who-knows-whom reads (the pair states are written in the same
 *    transaction, no cache in between); the run checks the last message's recipient shows up there.
 * Prints p50/p95/max; never asserts. `BENCH_TRACE=1` prints every cycle and the next attempt it set.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { enronMessages, startDovecot, type Dovecot } from "../test/helpers/dovecot";
import { parseDuration } from "../src/config/config";
import { LiveSyncLoop } from "../src/jobs/live-sync.loop";
import { grantConsent, setRelationshipIntelligence } from "../src/services/consent.service";
import { createContext, type ServiceContext } from "../src/services/context";
import { createCredentialCipher } from "../src/services/credentials";
import { importDirectory } from "../src/services/directory.service";
import {
  addLiveSource,
  listLiveSources,
  markMailboxDue,
  newWorkerId,
  syncMailbox,
  type LiveSyncDeps,
} from "../src/services/live-sync.service";
import { createTenant } from "../src/services/tenant.service";
import { whoKnowsWhom } from "../src/services/who-knows-whom.service";
import { openStore } from "../src/store/store";

const phillip = "phillip.allen@enron.com";
const admin = "admin@enron.com";
const mbox = "/work/shared/data/enron/mbox";

function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

function report(label: string, latencies: number[], missing: number): void {
  const sorted = [...latencies].sort((a, b) => a - b);
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(
    `${label.padEnd(24)} n=${sorted.length}${missing ? ` (NOT SEEN: ${missing})` : ""}  p50 ${s(percentile(sorted, 50))}  p95 ${s(percentile(sorted, 95))}  max ${s(sorted.at(-1) ?? NaN)}`,
  );
}

/** Phillip's sent mail with a fresh Message-ID and Date: each one a new message the runner has never seen. */
function freshMessages(count: number): string[] {
  const base = enronMessages("enron.allen-p._sent_mail").filter((raw) => /^To: \S+@/m.test(raw));
  const run = randomBytes(3).toString("hex");
  return Array.from({ length: count }, (_, i) =>
    base[i % base.length]!.replace(/^Message-ID: .*$/m, `Message-ID: <live-${run}-${i}@kith.bench>`).replace(
      /^Date: .*$/m,
      `Date: ${new Date().toUTCString()}`,
    ),
  );
}

async function livePhase(
  ctx: ServiceContext,
  deps: LiveSyncDeps,
  dovecot: Dovecot,
  login: string,
  messages: string[],
  ratePerSecond: number,
  watch: boolean,
  target: { tenantId: string; sourceId: string; mailbox: string },
): Promise<{ latencies: number[]; missing: number }> {
  const delivered = new Map<string, number>();
  const latencies: number[] = [];
  let resolveAll: () => void = () => undefined;
  const allSeen = new Promise<void>((done) => (resolveAll = done));
  const loop = new LiveSyncLoop(
    ctx,
    {
      ...deps,
      onPage: ({ page }) => {
        const now = Date.now();
        for (const r of page.records) {
          if (r.type !== "email" || !r.messageId) continue;
          const at = delivered.get(r.messageId);
          if (at === undefined) continue;
          latencies.push(now - at);
          delivered.delete(r.messageId);
        }
        if (latencies.length === messages.length) resolveAll();
      },
    },
    {
      tickMs: 250,
      watch,
      log: (m, f) => console.error(m, f ?? ""),
      onCycle: (t, o) =>
        process.env.BENCH_TRACE &&
        void listLiveSources(ctx, t.tenantId).then((all) =>
          console.error(
            new Date().toISOString(),
            o.status,
            "read" in o ? o.read : "",
            all.find((x) => x.id === t.sourceId)?.mailboxes[0]?.nextAttemptAt?.toISOString(),
          ),
        ),
    },
  );
  // Due now, whatever the last phase scheduled.
  await markMailboxDue(ctx, target.tenantId, target);
  loop.start();
  // Let the loop take the mailbox and (IDLE) set its watch up before the first delivery.
  await new Promise((done) => setTimeout(done, 3000));
  const interval = 1000 / ratePerSecond;
  const started = Date.now();
  for (const [i, raw] of messages.entries()) {
    const wait = started + i * interval - Date.now();
    if (wait > 0) await new Promise((done) => setTimeout(done, wait));
    const id = /^Message-ID: <([^>]+)>/m.exec(raw)![1]!;
    delivered.set(id, Date.now());
    dovecot.deliver(login, "INBOX", raw);
  }
  const deadline = parseDuration(option(process.argv, "poll", "10s")) + 60_000;
  await Promise.race([allSeen, new Promise((done) => setTimeout(done, deadline))]);
  await loop.stop();
  return { latencies, missing: delivered.size };
}

export async function run(args: string[]): Promise<void> {
  const count = Number(option(args, "messages", "1000"));
  const rate = Number(option(args, "rate", "20"));
  const pollMs = parseDuration(option(args, "poll", "10s"));
  const postgres = option(args, "postgres", "");
  const dir = mkdtempSync(join(tmpdir(), "kith-bench-live-"));
  const schema = `bench_live_${randomBytes(4).toString("hex")}`;
  const store = await openStore(postgres || join(dir, "kith.db"), postgres ? { schema } : {});
  const ctx = createContext(store);
  const cipher = createCredentialCipher(randomBytes(32).toString("base64"));

  const folders = readdirSync(mbox).filter((f) => f.startsWith("enron.allen-p."));
  const sentFolder = (f: string) => /\.(_sent_mail|sent|sent_items)$/.test(f);
  const inbox = folders.filter((f) => !sentFolder(f)).flatMap((f) => enronMessages(f));
  const sent = folders.filter(sentFolder).flatMap((f) => enronMessages(f));
  const live = freshMessages(2 * count);
  console.log(
    `starting Dovecot with allen-p (${inbox.length} + ${sent.length} messages) and an empty live mailbox…`,
  );
  const dovecot = await startDovecot({
    users: [
      {
        login: "allen-p",
        password: "bench-pw-1",
        folders: { INBOX: inbox.map((raw) => ({ raw })), Sent: sent.map((raw) => ({ raw })) },
      },
      { login: "allen-live", password: "bench-pw-2", folders: { INBOX: [] } },
    ],
  });
  try {
    const { id: tenantId } = await createTenant(ctx, {
      name: "Enron",
      slug: "enron",
      domains: ["enron.com"],
      admin: { email: admin },
    });
    const user = (email: string, roles: string[]) => ({
      email,
      externalId: null,
      name: null,
      aliases: [],
      guest: false,
      roles,
      groups: null,
    });
    await importDirectory(
      ctx,
      tenantId,
      {
        users: [
          user(admin, ["Global Administrator", "System Administrator"]),
          user(phillip, ["Salesperson"]),
          user("viewer@enron.com", ["Salesperson"]),
        ],
        groups: [],
        roles: [],
      },
      [],
      admin,
    );
    await grantConsent(ctx, tenantId, "identifiable", admin);
    await setRelationshipIntelligence(ctx, tenantId, true, admin);
    const source = (login: string, password: string) =>
      addLiveSource(
        ctx,
        cipher,
        tenantId,
        {
          kind: "imap",
          name: login,
          settings: { host: "127.0.0.1", port: dovecot.port, tls: "none", auth: "password", pageSize: 500 },
          mailboxes: [{ address: phillip, login, secret: password }],
        },
        admin,
      );

    if (!args.includes("--skip-initial")) {
      const full = await source("allen-p", "bench-pw-1");
      const t0 = performance.now();
      const outcome = await syncMailbox(ctx, { cipher, workerId: newWorkerId() }, tenantId, {
        sourceId: full.id,
        mailbox: phillip,
      });
      const seconds = (performance.now() - t0) / 1000;
      if (outcome.status !== "synced") throw new Error(`initial sync: ${JSON.stringify(outcome)}`);
      console.log(
        `initial sync (${store.engine}): ${outcome.read} messages in ${seconds.toFixed(1)} s = ${Math.round(outcome.read / seconds)} messages/s (${outcome.stored} stored, ${outcome.pages} pages)`,
      );
    }

    const liveSource = await source("allen-live", "bench-pw-2");
    const deps = { cipher, workerId: newWorkerId() };
    console.log(`delivering ${count} messages at ${rate}/s with IDLE…`);
    const idle = await livePhase(
      ctx,
      { ...deps, pollIntervalMs: 10 * 60_000 },
      dovecot,
      "allen-live",
      live.slice(0, count),
      rate,
      true,
      { tenantId, sourceId: liveSource.id, mailbox: phillip },
    );
    console.log(`delivering ${count} messages at ${rate}/s, polling every ${pollMs / 1000} s…`);
    const polled = await livePhase(
      ctx,
      { ...deps, pollIntervalMs: pollMs },
      dovecot,
      "allen-live",
      live.slice(count),
      rate,
      false,
      { tenantId, sourceId: liveSource.id, mailbox: phillip },
    );
    const lastTo =
      live
        .map((raw) => /^To: (\S+@[^\s,]+)/m.exec(raw)?.[1]?.toLowerCase() ?? "")
        .filter((to) => to && !to.endsWith("@enron.com"))
        .at(-1) ?? "";
    const wkw = await whoKnowsWhom(ctx, tenantId, lastTo, "viewer@enron.com").catch((e: unknown) =>
      String(e),
    );
    const visible = typeof wkw === "object" && JSON.stringify(wkw).includes(phillip);
    if (!visible && process.env.BENCH_TRACE) console.error(JSON.stringify(wkw).slice(0, 600));
    console.log(
      `delivered → committed (visible to who-knows-whom; last recipient ${lastTo} ${visible ? "shows Phillip" : "DOES NOT show Phillip"})`,
    );
    report("IDLE", idle.latencies, idle.missing);
    report(`polling every ${pollMs / 1000} s`, polled.latencies, polled.missing);
    console.log(`source ${liveSource.id}; store ${store.engine}`);
  } finally {
    await store.close();
    await dovecot.stop();
    if (postgres) {
      const client = new pg.Client({ connectionString: postgres });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
