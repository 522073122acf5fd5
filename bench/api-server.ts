/**
 * The API server of `npm run bench -- api`, in its own process (bench/api.ts forks it), so the
 * figures are the server's alone: the load generator never shares its event loop or its core.
 * Opens the store the bench built (`argv[2]`: URL, `argv[3]`: PostgreSQL schema or ""), starts the
 * app on loopback with the production logger at its default level (written to /dev/null: what
 * production pays) and sends `{ url }` to the parent. Messages from the parent: `{ profile: FILE }`
 * starts a V8 CPU profile of this process, `{ profile: null }` writes it, `"cpu"` answers the CPU
 * time used so far, `"stop"` closes and exits.
 */
import { writeFileSync } from "node:fs";
import * as inspector from "node:inspector/promises";
import { buildApp } from "../src/api/app";
import { loadConfig } from "../src/config/config";
import { createContext } from "../src/services/context";
import { openStore } from "../src/store/store";

const [url, schema] = process.argv.slice(2);
if (!url || !process.send) throw new Error("usage: forked by bench/api.ts with a store URL");
// As `kith serve` opens it with the API among its services.
const store = await openStore(url, { ...(schema ? { schema } : {}), mapForReads: true });
const ctx = createContext(store);
const config = loadConfig({ KITH_DATABASE_URL: ":memory:", KITH_LOG_LEVEL: "info" });
const app = await buildApp({ ctx, config, logger: { level: "info", file: "/dev/null" } });
const listening = await app.listen({ host: "127.0.0.1", port: 0 });

let profiling: { session: inspector.Session; file: string } | null = null;
process.on("message", (message: unknown) => {
  void (async () => {
    if (message === "stop") {
      await app.close();
      await store.close();
      process.exit(0);
    }
    if (message === "cpu") {
      // CPU time this process has used so far (user + system, µs): the bench divides the
      // difference over a run by the requests served, a figure other processes' load barely moves.
      const { user, system } = process.cpuUsage();
      process.send?.({ cpuMicros: user + system });
      return;
    }
    const file = (message as { profile?: string | null }).profile;
    if (typeof file === "string") {
      const session = new inspector.Session();
      session.connect();
      await session.post("Profiler.enable");
      await session.post("Profiler.start");
      profiling = { session, file };
    } else if (file === null && profiling) {
      const { profile } = await profiling.session.post("Profiler.stop");
      writeFileSync(profiling.file, JSON.stringify(profile));
      profiling.session.disconnect();
      profiling = null;
    }
    process.send?.({ ack: true });
  })();
});
process.send({ url: listening });
