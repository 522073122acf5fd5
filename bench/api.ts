/**
 * `npm run bench -- api [--route /api/session] [--seconds 10] [--connections 50] [--postgres URL]`:
 * starts the API on loopback over a fresh store with one tenant and a signed-in seller, then drives
 * one route with autocannon and prints requests/s and latency percentiles. The who-knows-whom route
 * on the scaled demo tenant is the issue's target; until it exists any route can be measured.
 */
import autocannon from "autocannon";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp } from "../src/api/app";
import { loadConfig } from "../src/config/config";
import { startSession } from "../src/services/auth.service";
import { createContext } from "../src/services/context";
import { createTenant } from "../src/services/tenant.service";
import { findUserByAddress } from "../src/store/directory.repository";
import { openStore } from "../src/store/store";

export interface ApiBenchOptions {
  route: string;
  seconds: number;
  connections: number;
  databaseUrl?: string;
}

export interface ApiBenchResult {
  route: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
}

export async function benchApi(options: ApiBenchOptions): Promise<ApiBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), "kith-bench-api-"));
  const store = await openStore(options.databaseUrl ?? join(dir, "kith.db"));
  const ctx = createContext(store);
  const config = loadConfig({ KITH_DATABASE_URL: ":memory:", KITH_LOG_LEVEL: "silent" });
  const app = await buildApp({ ctx, config });
  try {
    const slug = `bench${Date.now().toString(36)}`;
    const tenant = await createTenant(ctx, {
      name: slug,
      slug,
      domains: [`${slug}.example`],
      admin: { email: `admin@${slug}.example` },
    });
    const user = await findUserByAddress(store.db, tenant.id, `admin@${slug}.example`);
    if (!user) throw new Error("bench user missing");
    const session = await startSession(ctx, tenant.id, user, "link", 3_600_000);
    const url = await app.listen({ host: "127.0.0.1", port: 0 });
    const result = await autocannon({
      url: `${url}${options.route}`,
      connections: options.connections,
      duration: options.seconds,
      headers: { authorization: `Bearer ${session.token}` },
    });
    return {
      route: options.route,
      requestsPerSecond: result.requests.average,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      non2xx: result.non2xx,
    };
  } finally {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(args: string[]): Promise<void> {
  const option = (name: string, fallback: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
  };
  const postgres = option("postgres", "");
  const result = await benchApi({
    route: option("route", "/api/session"),
    seconds: Number(option("seconds", "10")),
    connections: Number(option("connections", "50")),
    ...(postgres ? { databaseUrl: postgres } : {}),
  });
  console.log(
    `api ${result.route}: ${Math.round(result.requestsPerSecond)} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms${result.non2xx ? `, ${result.non2xx} non-2xx` : ""} (goal ≥ 3000 req/s, p99 ≤ 20 ms)`,
  );
}
