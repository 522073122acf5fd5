/**
 * Upgrades on a live store (issue 18): several Kith processes starting at once on one store —
 * one migrates, the others wait for it and then find nothing to do — on both engines, with real
 * processes. PostgreSQL: Kysely's session advisory lock; SQLite: the run's IMMEDIATE transaction.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Sqlite from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropSchema, testPostgresUrl } from "../../test/helpers/engines";
import { spawnNode } from "../../test/helpers/node-process";
import { migrationProvider } from "./migrations/index";

/** The lock id Kysely's PostgreSQL migrator takes (kysely/dist/esm/dialect/postgres/postgres-adapter.js). */
const kyselyMigrationLock = "3853314791062309107";

const migrate = (url: string) => spawnNode(["src/main/cli.ts", "migrate"], { KITH_DATABASE_URL: url });

/** Whether `exit` is still pending after `ms`. */
const stillRunning = async (exit: Promise<unknown>, ms: number) =>
  Promise.race([exit.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), ms))]);

for (const engine of ["sqlite", "postgres"] as const) {
  describe(`migrations with several processes [${engine}]`, () => {
    let dir = "";
    const schemas: string[] = [];
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), "kith-migrate-"));
    });
    afterAll(async () => {
      rmSync(dir, { recursive: true, force: true });
      for (const s of schemas) await dropSchema(s);
    });

    /** A fresh, empty store: its URL, and a reader of the migrations it recorded. */
    async function freshStore(): Promise<{ url: string; applied: () => Promise<string[]> }> {
      if (engine === "sqlite") {
        const path = join(dir, `${randomBytes(4).toString("hex")}.db`);
        return {
          url: path,
          applied: async () => {
            await Promise.resolve();
            const db = new Sqlite(path, { readonly: true });
            try {
              return Promise.resolve(
                (
                  db.prepare("select name from kysely_migration order by name").all() as { name: string }[]
                ).map((r) => r.name),
              );
            } finally {
              db.close();
            }
          },
        };
      }
      const schema = `mig_${randomBytes(5).toString("hex")}`;
      schemas.push(schema);
      const client = new pg.Client({ connectionString: testPostgresUrl });
      await client.connect();
      await client.query(`create schema ${schema}`);
      await client.end();
      return {
        url: `${testPostgresUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
        applied: async () => {
          const c = new pg.Client({ connectionString: testPostgresUrl });
          await c.connect();
          try {
            const { rows } = await c.query<{ name: string }>(
              `select name from ${schema}.kysely_migration order by name`,
            );
            return rows.map((r) => r.name);
          } finally {
            await c.end();
          }
        },
      };
    }

    it(
      "three processes starting at once on an empty store all come up, each migration applied once",
      { timeout: 60_000 },
      async () => {
        const store = await freshStore();
        const runs = await Promise.all(
          [migrate(store.url), migrate(store.url), migrate(store.url)].map((p) => p.exit),
        );
        for (const r of runs) {
          expect(r.stderr).toBe("");
          expect(r.code).toBe(0);
          expect(r.stdout).toContain(`store ready: ${engine}`);
        }
        const expected = Object.keys(await migrationProvider.getMigrations()).sort();
        expect(await store.applied()).toEqual(expected);
      },
    );

    it(
      "a process starting while another holds the migration lock waits for it, then finishes",
      { timeout: 60_000 },
      async () => {
        const store = await freshStore();
        let release: () => Promise<void>;
        if (engine === "sqlite") {
          const holder = new Sqlite(store.url);
          holder.pragma("journal_mode = WAL");
          holder.exec("begin immediate");
          release = () => {
            holder.exec("commit");
            holder.close();
            return Promise.resolve();
          };
        } else {
          const holder = new pg.Client({ connectionString: testPostgresUrl });
          await holder.connect();
          await holder.query(`select pg_advisory_lock(${kyselyMigrationLock})`);
          release = async () => {
            await holder.query(`select pg_advisory_unlock(${kyselyMigrationLock})`);
            await holder.end();
          };
        }
        const waiting = migrate(store.url);
        // SQLite: longer than the process's start (a few seconds here) plus its 5 s busy timeout, so
        // the wait is the migration lock's, not one statement's busy retry.
        expect(await stillRunning(waiting.exit, engine === "sqlite" ? 20_000 : 5000)).toBe(true);
        expect(await store.applied().catch(() => [])).toEqual([]);
        await release();
        const done = await waiting.exit;
        expect(done.stderr).toBe("");
        expect(done.code).toBe(0);
        expect((await store.applied()).length).toBeGreaterThan(0);
      },
    );
  });
}
