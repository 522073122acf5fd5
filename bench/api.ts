/**
 * `npm run bench -- api [--pairs 1000000] [--seconds 10] [--connections 50] [--route /api/session]
 * [--engines sqlite,postgres] [--postgres URL] [--cpu-prof FILE]`: the issue's target, on both
 * engines in one run. For each engine: builds the Contoso demo tenant on a fresh store (PostgreSQL:
 * a schema of its own, dropped afterwards), scales it to `--pairs` (user, person) strength states
 * written straight into pair_state (realistic states built with `buildPairState` from generated
 * touches: a few colleagues per outside person, mail both ways and some meetings over the last
 * year), signs in a seller, starts the API in a separate process (bench/api-server.ts) and drives
 * who-knows-whom for random known people with autocannon from this process, then `/api/session`
 * (the framework and authentication reference). Prints req/s, p50, p99 and the server process's
 * CPU time per request (what other processes' load moves least), and the load average;
 * `--cpu-prof FILE`: a V8 CPU profile of the server during the measured who-knows-whom run
 * (FILE.<engine>.cpuprofile, for Chrome DevTools). Never asserts.
 */
import autocannon from "autocannon";
import { sql } from "kysely";
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureDemoTenant } from "../src/demo/demo";
import { buildPairState, defaultStrengthParams, type PairState, type Touch } from "../src/insights/strength";
import { startSession } from "../src/services/auth.service";
import { createContext, type ServiceContext } from "../src/services/context";
import { findUserByAddress, listUsers } from "../src/store/directory.repository";
import { countRows } from "../src/store/insight.repository";
import { writePairStates } from "../src/store/interaction.repository";
import { openStore } from "../src/store/store";
import { asOwner } from "../src/store/tenant-scope";
import { createSeededRng } from "../src/insights/rng";

export interface ApiBenchResult {
  route: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  requests: number;
  /** The server process's CPU time per request served (user + system). */
  serverCpuMicrosPerRequest: number;
}

const here = dirname(fileURLToPath(import.meta.url));
const day = 86_400_000;
const introducersPerPerson = 4;

/** Outside person i: spread over 20,000 organisations so accounts look like real ones. */
export const personAddress = (i: number) => `person${i}@org${i % 20_000}.example`;

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
export async function seedPairs(ctx: ServiceContext, tenantId: string, pairs: number): Promise<number> {
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
 * The load generator: autocannon on this process's thread, while the server runs in its own
 * process (bench/api-server.ts), so on two cores one runs Kith and the other the load, and the
 * figures are the server's.
 */
async function drive(
  url: string,
  token: string,
  seconds: number,
  connections: number,
  path: () => string,
  route: string,
): Promise<ApiBenchResult> {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    headers: { authorization: `Bearer ${token}` },
    requests: [
      {
        setupRequest: (request) => {
          request.path = path();
          return request;
        },
      },
    ],
  });
  return {
    route,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    requests: result.requests.total,
    serverCpuMicrosPerRequest: 0,
  };
}

/** The server process: started on the bench's store, answering `{ url }`; profiled on request. */
class ServerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(storeUrl: string, schema: string): Promise<ServerProcess> {
    const child = fork(join(here, "api-server.ts"), [storeUrl, schema], {
      execArgv: ["--max-semi-space-size=64", "--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const url = await new Promise<string>((resolve, reject) => {
      child.once("message", (m) => resolve((m as { url: string }).url));
      child.once("exit", (code) => reject(new Error(`bench API server exited with ${code}`)));
    });
    return new ServerProcess(child, url);
  }

  async profile(file: string | null): Promise<void> {
    const acked = new Promise((resolve) => this.child.once("message", resolve));
    this.child.send({ profile: file });
    await acked;
  }

  /** CPU time (µs) the server process has used so far. */
  async cpuMicros(): Promise<number> {
    const answer = new Promise<number>((resolve) =>
      this.child.once("message", (m) => resolve((m as { cpuMicros: number }).cpuMicros)),
    );
    this.child.send("cpu");
    return answer;
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.send("stop");
    await exited;
  }
}

interface EngineFigures {
  engine: string;
  pairs: number;
  results: ApiBenchResult[];
}

async function benchEngine(
  engine: "sqlite" | "postgres",
  options: {
    pairs: number;
    seconds: number;
    connections: number;
    postgres: string;
    extraRoute: string;
    cpuProf: string;
  },
): Promise<EngineFigures> {
  const dir = mkdtempSync(join(tmpdir(), "kith-bench-api-"));
  // PostgreSQL: a schema of its own, dropped afterwards (the database may be shared).
  const schema = engine === "postgres" ? `bench_api_${process.pid}` : "";
  const storeUrl = engine === "postgres" ? options.postgres : join(dir, "kith.db");
  const store = await openStore(storeUrl, schema ? { schema } : {});
  let server: ServerProcess | null = null;
  try {
    const ctx = createContext(store);
    let started = Date.now();
    const demo = await ensureDemoTenant(ctx);
    console.log(`${engine}: demo tenant built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    started = Date.now();
    const persons = await seedPairs(ctx, demo.tenantId, options.pairs);
    const total = await countRows(store.db, "pair_state", demo.tenantId);
    console.log(
      `${engine}: pair_state: ${total} (user, person) pairs (${persons} seeded people) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    if (engine === "postgres") await asOwner(() => sql`analyze`.execute(store.db));
    const seller = await findUserByAddress(store.db, demo.tenantId, demo.seller);
    if (!seller) throw new Error("bench seller missing");
    const session = await startSession(ctx, demo.tenantId, seller, "link", 3_600_000);
    server = await ServerProcess.start(storeUrl, schema);
    const { url } = server;
    // A random known person per request (same address scheme as personAddress).
    const wkw = () => {
      const i = Math.floor(Math.random() * persons);
      return `/api/who-knows-whom?email=${encodeURIComponent(personAddress(i))}`;
    };
    // Warm-up (JIT, page cache), not reported.
    await drive(url, session.token, 2, options.connections, wkw, "warm-up");
    const routes: [string, () => string][] = [
      ["/api/who-knows-whom?email=<random known person>", wkw],
      ["/api/session", () => "/api/session"],
      ...(options.extraRoute
        ? [[options.extraRoute, () => options.extraRoute] as [string, () => string]]
        : []),
    ];
    const results: ApiBenchResult[] = [];
    for (const [route, path] of routes) {
      const profiling = options.cpuProf && path === wkw;
      if (profiling)
        await server.profile(options.cpuProf.replace(/(\.cpuprofile)?$/, `.${engine}.cpuprofile`));
      const cpuBefore = await server.cpuMicros();
      const r = await drive(url, session.token, options.seconds, options.connections, path, route);
      r.serverCpuMicrosPerRequest = (await server.cpuMicros()) - cpuBefore;
      r.serverCpuMicrosPerRequest /= Math.max(1, r.requests);
      if (profiling) await server.profile(null);
      results.push(r);
      console.log(`${engine}: ${line(r, options.connections, options.seconds)}`);
    }
    return { engine, pairs: total, results };
  } finally {
    await server?.stop();
    if (schema) await asOwner(() => sql.raw(`drop schema if exists ${schema} cascade`).execute(store.db));
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const line = (r: ApiBenchResult, connections: number, seconds: number) =>
  `api ${r.route}: ${Math.round(r.requestsPerSecond)} req/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms${r.non2xx ? `, ${r.non2xx} non-2xx` : ""}, server CPU ${Math.round(r.serverCpuMicrosPerRequest)} µs/request (${connections} connections, ${seconds} s)`;

export async function run(args: string[]): Promise<void> {
  const option = (name: string, fallback: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
  };
  const options = {
    pairs: Number(option("pairs", "1000000")),
    seconds: Number(option("seconds", "10")),
    connections: Number(option("connections", "50")),
    postgres: option(
      "postgres",
      process.env.KITH_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
    ),
    extraRoute: option("route", ""),
    cpuProf: option("cpu-prof", ""),
  };
  const engines = option("engines", "sqlite,postgres").split(",") as ("sqlite" | "postgres")[];
  const figures: EngineFigures[] = [];
  for (const engine of engines) figures.push(await benchEngine(engine, options));
  console.log(
    `\nsummary (load generator and server in separate processes; goal for who-knows-whom: ≥ 3,000 req/s, p99 ≤ 20 ms at 1M pairs; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")})`,
  );
  for (const f of figures) {
    const [wkw, session] = f.results;
    if (!wkw || !session) continue;
    const met = wkw.requestsPerSecond >= 3000 && wkw.p99Ms <= 20 ? "goal met" : "goal NOT met";
    console.log(
      `  ${f.engine.padEnd(8)} ${f.pairs} pairs: who-knows-whom ${Math.round(wkw.requestsPerSecond)} req/s p99 ${wkw.p99Ms} ms, ${Math.round(wkw.serverCpuMicrosPerRequest)} µs CPU/request (${met}); /api/session ${Math.round(session.requestsPerSecond)} req/s p99 ${session.p99Ms} ms, ${Math.round(session.serverCpuMicrosPerRequest)} µs CPU/request; ratio ${(wkw.requestsPerSecond / session.requestsPerSecond).toFixed(2)}`,
    );
  }
}
