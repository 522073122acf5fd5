import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropSchema, testPostgresUrl } from "../../test/helpers/engines";
import { runCli } from "./program";

/** `kith scim token|tokens|revoke` (issue 12, item 10) through the real command parser on each engine. */
for (const engine of ["sqlite", "postgres"] as const) {
  describe(`kith scim tokens [${engine}]`, () => {
    let databaseUrl = "";
    let cleanup: () => Promise<void> = () => Promise.resolve();

    beforeAll(async () => {
      if (engine === "sqlite") {
        const dir = mkdtempSync(join(tmpdir(), "kith-scim-cli-"));
        databaseUrl = join(dir, "kith.db");
        cleanup = () => Promise.resolve(rmSync(dir, { recursive: true, force: true }));
      } else {
        const schema = `scimcli_${randomBytes(6).toString("hex")}`;
        const client = new pg.Client({ connectionString: testPostgresUrl });
        await client.connect();
        await client.query(`create schema ${schema}`);
        await client.end();
        databaseUrl = `${testPostgresUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
        cleanup = () => dropSchema(schema);
      }
      const created = await kith("tenant", "create", "--name", "Fabrikam", "--domain", "fabrikam.example");
      expect(created.code).toBe(0);
    });
    afterAll(() => cleanup());

    async function kith(...args: string[]) {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(
        args,
        { out: (s) => out.push(s), err: (s) => err.push(s) },
        { KITH_DATABASE_URL: databaseUrl, KITH_PUBLIC_URL: "http://kith.test" },
      );
      return { code, out: out.join(""), err: err.join("") };
    }

    it("creates an expiring token, lists it with its lifecycle, revokes it once", async () => {
      const made = await kith(
        "scim",
        "token",
        "--tenant",
        "fabrikam",
        "--label",
        "Okta",
        "--ttl",
        "90d",
        "--json",
      );
      expect(made.code).toBe(0);
      const token = JSON.parse(made.out) as {
        id: string;
        token: string;
        baseUrl: string;
        createdAt: string;
        expiresAt: string;
        createdBy: string;
        status: string;
      };
      expect(token).toMatchObject({
        baseUrl: "http://kith.test/scim/v2",
        createdBy: "operator",
        status: "active",
      });
      expect(Date.parse(token.expiresAt) - Date.parse(token.createdAt)).toBe(90 * 86_400_000);
      const forever = await kith("scim", "token", "--tenant", "fabrikam");
      expect(forever.out).toContain("never expires");

      const listed = await kith("scim", "tokens", "--tenant", "fabrikam", "--json");
      const tokens = JSON.parse(listed.out) as { id: string; label: string; lastUsedAt: string | null }[];
      expect(tokens.map((t) => t.label).sort()).toEqual(["Okta", "identity provider"]);
      expect(listed.out).not.toContain(token.token.split(".")[1]);
      const human = await kith("scim", "tokens", "--tenant", "fabrikam");
      expect(human.out).toMatch(
        new RegExp(`${token.id} +active +"Okta", created .* by operator, expires .*, last used never`),
      );

      const revoked = await kith("scim", "revoke", token.id, "--tenant", "fabrikam");
      expect(revoked.code).toBe(0);
      expect(revoked.out).toMatch(/revoked .* revoked .* by operator/);
      const again = await kith("scim", "revoke", token.id, "--tenant", "fabrikam");
      expect(again.code).toBe(6);
      expect(again.err).toContain("already revoked");
      expect((await kith("scim", "revoke", "no-such-id", "--tenant", "fabrikam")).code).toBe(5);
      const after = JSON.parse((await kith("scim", "tokens", "--tenant", "fabrikam", "--json")).out) as {
        id: string;
        status: string;
        revokedBy: string | null;
      }[];
      expect(after.find((t) => t.id === token.id)).toMatchObject({
        status: "revoked",
        revokedBy: "operator",
      });

      const audit = await kith("audit", "list", "--tenant", "fabrikam", "--json");
      expect(audit.out).toContain("scim.token_created");
      expect(audit.out).toContain("scim.token_revoked");
    });

    it("refuses a zero or malformed --ttl with a usage or input error", async () => {
      expect((await kith("scim", "token", "--tenant", "fabrikam", "--ttl", "0d")).code).toBe(3);
      const bad = await kith("scim", "token", "--tenant", "fabrikam", "--ttl", "soon");
      expect(bad.code).toBe(2);
      expect(bad.err).toContain("a duration like");
    });
  });
}
