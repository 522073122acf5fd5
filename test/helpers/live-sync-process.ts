/**
 * A live sync worker in a process of its own (the real runner, its own store connection): the
 * tests kill it mid-sync (kill -9) and run two against one store, as several `kith serve`
 * processes would.
 *
 * Run as `node --import tsx test/helpers/live-sync-process.ts` with the environment:
 *   KITH_DATABASE_URL, KITH_SECRET_KEY, KITH_NOW   the store, the credential key, the clock
 *   LIVE_TENANT, LIVE_SOURCE                       what to sync
 *   LIVE_MAILBOXES                                 comma-separated mailbox addresses, synced at once
 *   LIVE_PAGE_DELAY_MS                             a pause after each committed page (default 0)
 * Protocol on stdout: `page <n> <mailbox> <read> <stored> <duplicates>` after each committed page,
 * `outcome <mailbox> <json>` per mailbox, `done` last.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { loadConfig } from "../../src/config/config";
import { clockFrom, createContext } from "../../src/services/context";
import { createCredentialCipher } from "../../src/services/credentials";
import { newWorkerId, syncMailbox } from "../../src/services/live-sync.service";
import { openStore } from "../../src/store/store";

const config = loadConfig();
const store = await openStore(config.databaseUrl);
const ctx = createContext(store, clockFrom(config.clockStart));
const tenantId = process.env.LIVE_TENANT!;
const sourceId = process.env.LIVE_SOURCE!;
const delay = Number(process.env.LIVE_PAGE_DELAY_MS ?? 0);
let pages = 0;
const deps = {
  cipher: createCredentialCipher(config.secretKey),
  workerId: newWorkerId(),
  onPage: async (e: {
    key: { mailbox: string };
    summary: { read: number; stored: number; duplicates: number };
  }) => {
    process.stdout.write(
      `page ${++pages} ${e.key.mailbox} ${e.summary.read} ${e.summary.stored} ${e.summary.duplicates}\n`,
    );
    if (delay > 0) await sleep(delay);
  },
};
try {
  await Promise.all(
    process.env.LIVE_MAILBOXES!.split(",").map(async (mailbox) => {
      const outcome = await syncMailbox(ctx, deps, tenantId, { sourceId, mailbox });
      process.stdout.write(`outcome ${mailbox} ${JSON.stringify(outcome)}\n`);
    }),
  );
  process.stdout.write("done\n");
} finally {
  await store.close();
}
