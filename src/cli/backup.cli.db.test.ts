import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropSchema, testPostgresUrl } from "../../test/helpers/engines";
import { runCli } from "./program";

/** `kith backup` and `kith restore` through the real command parser, on each engine. */
for (const engine of ["sqlite", "postgres"] as const) {
  describe(`kith backup / restore CLI [${engine}]`, () => {
    const dir = mkdtempSync(join(tmpdir(), "kith-backup-cli-"));
    const schemas: string[] = [];
    const kek = randomBytes(32).toString("base64");
    const keyStore = join(dir, "keys.json");
    let source = "";

    /** A store URL nobody has used: a new SQLite path, or a new empty PostgreSQL schema. */
    async function newStoreUrl(name: string): Promise<string> {
      if (engine === "sqlite") return join(dir, `${name}.db`);
      const schema = `cli_${randomBytes(6).toString("hex")}`;
      schemas.push(schema);
      const client = new pg.Client({ connectionString: testPostgresUrl });
      await client.connect();
      await client.query(`create schema ${schema}`);
      await client.end();
      return `${testPostgresUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    }

    async function tableCount(schema: string): Promise<number> {
      const client = new pg.Client({ connectionString: testPostgresUrl });
      await client.connect();
      try {
        const { rows } = await client.query<{ n: string }>(
          "select count(*) as n from information_schema.tables where table_schema = $1",
          [schema],
        );
        return Number(rows[0]?.n);
      } finally {
        await client.end();
      }
    }

    async function kith(url: string, env: Record<string, string>, ...args: string[]) {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(
        args,
        { out: (s) => out.push(s), err: (s) => err.push(s) },
        { KITH_DATABASE_URL: url, KITH_BACKUP_KEYSTORE: keyStore, ...env },
      );
      return { code, out: out.join(""), err: err.join("") };
    }

    beforeAll(async () => {
      source = await newStoreUrl("source");
      const created = await kith(
        source,
        {},
        "tenant",
        "create",
        "--name",
        "Contoso",
        "--domain",
        "contoso.com",
      );
      expect(created.code).toBe(0);
    });
    afterAll(async () => {
      for (const schema of schemas) await dropSchema(schema);
      rmSync(dir, { recursive: true, force: true });
    });

    it("backs up, refuses a missing or wrong KEK without touching the target, and restores", async () => {
      const file = join(dir, "contoso.kithbak");
      const missing = await kith(source, {}, "backup", file);
      expect(missing.code).toBe(3);
      expect(missing.err).toMatch(/KITH_BACKUP_KEK or KITH_BACKUP_KEK_FILE/);

      const made = await kith(source, { KITH_BACKUP_KEK: kek }, "backup", file, "--json");
      expect(made.code).toBe(0);
      expect(JSON.parse(made.out)).toMatchObject({ tenants: 1, rows: { tenant: 1 } });

      const target = await newStoreUrl("target");
      const wrong = await kith(target, { KITH_BACKUP_KEK: randomBytes(32).toString("hex") }, "restore", file);
      expect(wrong.code).toBe(3);
      expect(wrong.err).toMatch(/does not open key store/);
      if (engine === "sqlite") expect(existsSync(target)).toBe(false);
      else expect(await tableCount(schemas.at(-1)!)).toBe(0);

      const restored = await kith(target, { KITH_BACKUP_KEK: kek }, "restore", file);
      expect(restored.code).toBe(0);
      expect(restored.out).toMatch(/tenants back whole: \S+/);
      const listed = await kith(target, {}, "tenant", "list", "--json");
      expect(listed.out).toContain("contoso");

      const again = await kith(target, { KITH_BACKUP_KEK: kek }, "restore", file);
      expect(again.code).toBe(6);
      expect(again.err).toMatch(/fresh store/);
    });
  });
}
