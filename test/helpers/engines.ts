import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe } from "vitest";
import { createContext, type ServiceContext } from "../../src/services/context";
import { openStore, type Engine, type Store } from "../../src/store/store";
import { acrossTenants } from "../../src/store/tenant-scope";

/** PostgreSQL used by `*.db.test.ts`; CI starts it at 127.0.0.1:5432 (trust auth, database `test`). */
export const testPostgresUrl =
  process.env.KITH_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export interface EngineHarness {
  engine: Engine;
  /** A fresh, migrated store of this engine; closed and dropped after the suite. */
  store(): Store;
  /** A context whose clock the test moves with `setNow`. */
  ctx(): ServiceContext;
  setNow(at: Date | string): void;
  /** `KITH_DATABASE_URL` for another process to open the same store (the CLI, a paused import). */
  url(): string;
}

/**
 * Runs the same cases against SQLite and a real PostgreSQL (the Hono `common.case` pattern).
 * Each suite gets its own SQLite file or PostgreSQL schema, so files run in parallel safely.
 */
export function describeEachEngine(name: string, body: (h: EngineHarness) => void): void {
  for (const engine of ["sqlite", "postgres"] as const) {
    describe(`${name} [${engine}]`, () => {
      let store: Store | undefined;
      let dir: string | undefined;
      let schema: string | undefined;
      let now = new Date("2026-06-01T09:00:00Z");
      let context: ServiceContext | undefined;
      beforeAll(async () => {
        if (engine === "sqlite") {
          dir = mkdtempSync(join(tmpdir(), "kith-test-"));
          store = await openStore(join(dir, "kith.db"));
        } else {
          schema = `t_${randomBytes(6).toString("hex")}`;
          store = await openStore(testPostgresUrl, { schema });
        }
        context = createContext(store, () => now);
      });
      afterAll(async () => {
        await store?.close();
        if (dir) rmSync(dir, { recursive: true, force: true });
        if (schema) await dropSchema(schema);
      });
      body({
        engine,
        store: () => {
          if (!store) throw new Error("store not open yet: use it inside a test or hook");
          return store;
        },
        ctx: () => {
          if (!context) throw new Error("context not ready yet: use it inside a test or hook");
          return context;
        },
        setNow: (at) => {
          now = new Date(at);
        },
        url: () => {
          if (dir) return join(dir, "kith.db");
          if (schema) return `${testPostgresUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
          throw new Error("store not open yet: use it inside a test or hook");
        },
      });
    });
  }
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: testPostgresUrl });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}

/**
 * Runs a test's own look at the store (a raw query checking what a service left behind) across
 * every tenant: on PostgreSQL, statements outside any tenant scope see no rows (migration 0010).
 */
export function inspect<T>(work: () => Promise<T>): Promise<T> {
  return acrossTenants("a test inspecting the store", work);
}
