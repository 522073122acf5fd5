/**
 * `npm run bench -- api [--pairs 1000000] [--seconds 10] [--connections 50] [--route /api/session]
 * [--postgres URL] [--cpu-prof FILE]`: the issue's target (`--cpu-prof`: a V8 CPU profile of the
 * server's thread during the measured who-knows-whom run only, for Chrome DevTools). Builds the Contoso demo tenant on a fresh store, scales it to
 * `--pairs` (user, person) strength states written straight into pair_state (realistic states built
 * with `buildPairState` from generated touches: a few colleagues per outside person, mail both ways
 * and some meetings over the last year), signs in a seller, starts the API on loopback and drives
 * who-knows-whom for random known people with autocannon, then `/api/session`. Prints req/s, p50
 * and p99; never asserts.
 */
import autocannon from "autocannon";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as inspector from "node:inspector/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp } from "../src/api/app";
import { loadConfig } from "../src/config/config";
import { ensureDemoTenant } from "../src/demo/demo";
import { buildPairState, defaultStrengthParams, type PairState, type Touch } from "../src/insights/strength";
import { startSession } from "../src/services/auth.service";
import { createContext, type ServiceContext } from "../src/services/context";
import { findUserByAddress, listUsers } from "../src/store/directory.repository";
import { countRows, writePairStates } from "../src/store/insight.repository";
import { openStore } from "../src/store/store";
import { createSeededRng } from "../src/insights/rng";

export interface ApiBenchResult {
  route: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
}

const day = 86_400_000;
const introducersPerPerson = 4;

/** Outside person i: spread over 20,000 organisations so accounts look like real ones. */
const personAddress = (i: number) => `person${i}@org${i % 20_000}.example`;

function touchesFor(rng: () => number, now: number): Touch[] {
  const touches: Touch[] = [];
  const n = 1 + Math.floor(rng() * 12);
  for (let k = 0; k < n; k++) {
    const at = now - Math.floor(rng() * 365 * day);
    const meeting = rng() < 0.15;
    touches.push({
      at,
      kind: meeting ? "meeting" : "email",
      direction: meeting ? "mutual" : rng() < 0.55 ? "out" : "in",
      groupSize: 2 + Math.floor(rng() * (meeting ? 6 : 3)),
    });
  }
  return touches.sort((a, b) => a.at - b.at);
}

/** Writes `pairs` strength states for the tenant's users, 50,000 per transaction. */
async function seedPairs(ctx: ServiceContext, tenantId: string, pairs: number): Promise<number> {
  const users = (await listUsers(ctx.store.db, tenantId)).map((u) => u.id);
  const rng = createSeededRng(42);
  const now = ctx.now().getTime();
  const persons = Math.ceil(pairs / introducersPerPerson);
  let written = 0;
  let chunk = new Map<string, PairState>();
  const flush = async () => {
    const states = chunk;
    chunk = new Map();
    await ctx.store.transaction((trx) => writePairStates(trx, tenantId, "pair_state", states));
  };
  for (let p = 0; p < persons && written < pairs; p++) {
    const person = personAddress(p);
    const start = Math.floor(rng() * users.length);
    for (let k = 0; k < introducersPerPerson && written < pairs; k++) {
      const user = users[(start + k * 7) % users.length]!;
      chunk.set(`${person}\u0000${user}`, buildPairState(touchesFor(rng, now), defaultStrengthParams));
      written++;
    }
    if (chunk.size >= 50_000) await flush();
  }
  if (chunk.size) await flush();
  return persons;
}

/**
 * The load generator runs in a worker thread (autocannon `workers`), so it does not share the
 * server's event loop: on two cores, one runs Kith, the other the load. Each request's path comes
 * from `setupFile`, a module the worker loads.
 */
async function drive(
  url: string,
  token: string,
  seconds: number,
  connections: number,
  setupFile: string,
  route: string,
): Promise<ApiBenchResult> {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    workers: 1,
    headers: { authorization: `Bearer ${token}` },
    requests: [{ setupRequest: setupFile }],
  });
  return {
    route,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
  };
}

export async function run(args: string[]): Promise<void> {
  const option = (name: string, fallback: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
  };
  const pairs = Number(option("pairs", "1000000"));
  const seconds = Number(option("seconds", "10"));
  const connections = Number(option("connections", "50"));
  const postgres = option("postgres", "");
  const extraRoute = option("route", "");
  const cpuProf = option("cpu-prof", "");
  const dir = mkdtempSync(join(tmpdir(), "kith-bench-api-"));
  const store = await openStore(postgres || join(dir, "kith.db"));
  const ctx = createContext(store);
  const config = loadConfig({ KITH_DATABASE_URL: ":memory:", KITH_LOG_LEVEL: "info" });
  // The server's own logger at its default level, written to /dev/null: what production pays.
  const app = await buildApp({ ctx, config, logger: { level: "info", file: "/dev/null" } });
  try {
    let started = Date.now();
    const demo = await ensureDemoTenant(ctx);
    console.log(`demo tenant built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    started = Date.now();
    const persons = await seedPairs(ctx, demo.tenantId, pairs);
    const total = await countRows(store.db, "pair_state", demo.tenantId);
    console.log(
      `pair_state: ${total} (user, person) pairs (${persons} seeded people) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    const seller = await findUserByAddress(store.db, demo.tenantId, demo.seller);
    if (!seller) throw new Error("bench seller missing");
    const session = await startSession(ctx, demo.tenantId, seller, "link", 3_600_000);
    const url = await app.listen({ host: "127.0.0.1", port: 0 });
    const setup = (name: string, body: string) => {
      const file = join(dir, `${name}.cjs`);
      writeFileSync(file, `module.exports = (request) => { ${body} return request; };\n`);
      return file;
    };
    // A random known person per request (same address scheme as personAddress).
    const wkwSetup = setup(
      "wkw",
      `const i = Math.floor(Math.random() * ${persons}); request.path = "/api/who-knows-whom?email=" + encodeURIComponent("person" + i + "@org" + (i % 20000) + ".example");`,
    );
    // Warm-up (JIT, page cache), not reported.
    await drive(url, session.token, 2, connections, wkwSetup, "warm-up");
    const routes: [string, string][] = [
      ["/api/who-knows-whom?email=<random known person>", wkwSetup],
      ["/api/session", setup("session", `request.path = "/api/session";`)],
      ...(extraRoute
        ? [[extraRoute, setup("extra", `request.path = ${JSON.stringify(extraRoute)};`)] as [string, string]]
        : []),
    ];
    for (const [route, file] of routes) {
      const profiling = cpuProf && file === wkwSetup ? new inspector.Session() : null;
      if (profiling) {
        profiling.connect();
        await profiling.post("Profiler.enable");
        await profiling.post("Profiler.start");
      }
      const r = await drive(url, session.token, seconds, connections, file, route);
      if (profiling) {
        const { profile } = await profiling.post("Profiler.stop");
        writeFileSync(cpuProf, JSON.stringify(profile));
        profiling.disconnect();
      }
      console.log(
        `api ${r.route}: ${Math.round(r.requestsPerSecond)} req/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms${r.non2xx ? `, ${r.non2xx} non-2xx` : ""} (goal ≥ 3000 req/s, p99 ≤ 20 ms; ${connections} connections, ${seconds} s)`,
      );
    }
  } finally {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
