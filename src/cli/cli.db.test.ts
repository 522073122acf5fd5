import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropSchema, testPostgresUrl } from "../../test/helpers/engines";
import { runCli } from "./program";

const fixture = (name: string) => new URL(`../../test/fixtures/directory/${name}`, import.meta.url).pathname;

/** The README's newcomer walk-through, run through the real command parser on each engine. */
for (const engine of ["sqlite", "postgres"] as const) {
  describe(`kith CLI newcomer flow [${engine}]`, () => {
    let databaseUrl = "";
    let cleanup: () => Promise<void> = () => Promise.resolve();

    beforeAll(async () => {
      if (engine === "sqlite") {
        const dir = mkdtempSync(join(tmpdir(), "kith-cli-"));
        databaseUrl = join(dir, "kith.db");
        cleanup = () => Promise.resolve(rmSync(dir, { recursive: true, force: true }));
      } else {
        const schema = `cli_${randomBytes(6).toString("hex")}`;
        const client = new pg.Client({ connectionString: testPostgresUrl });
        await client.connect();
        await client.query(`create schema ${schema}`);
        await client.end();
        databaseUrl = `${testPostgresUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
        cleanup = () => dropSchema(schema);
      }
    });
    afterAll(() => cleanup());

    async function kith(...args: string[]) {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(
        args,
        { out: (s) => out.push(s), err: (s) => err.push(s) },
        { KITH_DATABASE_URL: databaseUrl },
      );
      return { code, out: out.join(""), err: err.join("") };
    }

    it("creates a tenant, imports a directory, grants consent and reads the status", async () => {
      const created = await kith(
        "tenant",
        "create",
        "--name",
        "Contoso",
        "--domain",
        "contoso.com,contoso.co.uk",
        "--json",
      );
      expect(created.code).toBe(0);
      expect(JSON.parse(created.out)).toMatchObject({
        slug: "contoso",
        domains: ["contoso.co.uk", "contoso.com"],
      });

      const imported = await kith(
        "directory",
        "import",
        fixture("contoso.json"),
        "--tenant",
        "contoso",
        "--json",
      );
      expect(imported.code).toBe(0);
      expect(JSON.parse(imported.out)).toMatchObject({ users: { created: 6 } });
      const again = await kith("directory", "import", fixture("contoso.json"), "--tenant", "contoso");
      expect(again.out).toContain("nothing changed");

      expect(
        (await kith("consent", "grant", "identifiable", "--tenant", "contoso", "--by", "admin@contoso.com"))
          .code,
      ).toBe(0);
      const status = await kith("consent", "status", "--tenant", "contoso", "--json");
      expect(JSON.parse(status.out)).toMatchObject({
        consents: [
          { type: "personal", granted: false },
          { type: "aggregated", granted: false },
          { type: "identifiable", granted: true },
        ],
        users: { total: 6, sharing: 6 },
      });
      expect((await kith("consent", "status", "--tenant", "contoso")).out).toMatch(/identifiable\s+GRANTED/);
    });

    it("gives clear errors and meaningful exit codes for bad input", async () => {
      const unknownType = await kith(
        "consent",
        "grant",
        "everything",
        "--tenant",
        "contoso",
        "--by",
        "admin@contoso.com",
      );
      expect(unknownType).toMatchObject({ code: 3 });
      expect(unknownType.err).toContain('unknown consent type "everything"');

      const nonAdmin = await kith(
        "consent",
        "withdraw",
        "identifiable",
        "--tenant",
        "contoso",
        "--by",
        "amber.lee@contoso.com",
      );
      expect(nonAdmin.code).toBe(4);
      expect(nonAdmin.err).toContain("not a Global Administrator");

      const broken = await kith("directory", "import", fixture("broken.csv"), "--tenant", "contoso");
      expect(broken.code).toBe(3);
      expect(broken.err).toContain(
        'broken.csv line 3: email "eve@" is not a valid address: it has no domain after the @',
      );
      expect((await kith("directory", "users", "--tenant", "contoso", "--json")).out).not.toContain(
        "frank@contoso.com",
      );

      const nope = await kith("consent", "status", "--tenant", "nope");
      expect(nope.code, nope.err).toBe(5);
      expect((await kith("consent", "bogus")).code).toBe(2);
      expect(
        (await kith("privacy", "set-sharing", "amber.lee@contoso.com", "maybe", "--tenant", "contoso")).code,
      ).toBe(2);
    });

    it("privacy switches and opt-out groups are recorded, and the audit chain verifies", async () => {
      expect(
        (await kith("privacy", "set-sharing", "amber.lee@contoso.com", "off", "--tenant", "contoso")).code,
      ).toBe(0);
      const shown = await kith("privacy", "show", "amber.lee@contoso.com", "--tenant", "contoso", "--json");
      expect(JSON.parse(shown.out)).toMatchObject({ sharingEffective: false, privacy: { sharing: "off" } });
      expect((JSON.parse(shown.out) as { receipts: unknown[] }).receipts).toHaveLength(1);
      expect(
        (
          await kith(
            "privacy",
            "opt-out-groups",
            "set",
            "8a1d2e3f-0000-4000-8000-000000000ma1",
            "--tenant",
            "contoso",
            "--by",
            "admin@contoso.com",
          )
        ).code,
      ).toBe(0);
      const verify = await kith("audit", "verify", "--tenant", "contoso", "--json");
      expect(verify.code).toBe(0);
      expect(JSON.parse(verify.out)).toMatchObject({ ok: true });
      const list = await kith("audit", "list", "--tenant", "contoso", "--action", "privacy.", "--json");
      expect((JSON.parse(list.out) as { action: string }[]).map((e) => e.action)).toEqual([
        "privacy.sharing_off",
      ]);
    });

    it("prints help for every command", async () => {
      for (const args of [
        ["--help"],
        ["consent", "grant", "--help"],
        ["audit", "verify", "--help"],
        ["directory", "import", "--help"],
      ]) {
        const r = await kith(...args);
        expect(r.code, args.join(" ")).toBe(0);
        expect(r.out).toContain("Usage: kith");
      }
    });
  });
}
