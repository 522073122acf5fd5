/**
 * The SQL the repositories run, per engine, as reviewers read it (test/sql/<engine>.sql): one fixed
 * scenario through the services — directory, consent, an import, who knows whom, the account view,
 * KPIs, My network, engagement, a user turning sharing off — with every statement recorded, values
 * replaced by `?`, and each distinct statement listed once, sorted. A change to a query shows as a
 * diff of the snapshot; CI fails on a snapshot that differs (update with `npx vitest run -u` and
 * review the diff).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createTenantWithUsers, directoryUser } from "../../test/helpers/directory";
import { dropSchema, testPostgresUrl } from "../../test/helpers/engines";
import { emailRecord as email } from "../../test/helpers/records";
import { grantConsent, setDataSharing, setRelationshipIntelligence } from "../services/consent.service";
import { createContext } from "../services/context";
import { accountEngagement, parsePeriod } from "../services/engagement.service";
import { importRecords } from "../services/ingest.service";
import { recordKpis } from "../services/kpis.service";
import { search, searchKinds } from "../services/search.service";
import { myNetwork } from "../services/my-network.service";
import { accountIntroducers, whoKnowsWhom } from "../services/who-knows-whom.service";
import { openStore } from "./store";

/** A statement as the snapshot lists it: values and placeholders as `?`, white space folded. */
export function normaliseStatement(text: string): string {
  return text
    .replace(/'(?:[^']|'')*'/g, "?")
    .replace(/\$\d+/g, "?")
    .replace(/(?<![\w.])-?\d+(\.\d+)?(e[+-]?\d+)?(?![\w])/gi, "?")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/;$/, "");
}

describe.each(["sqlite", "postgres"] as const)("SQL the repositories run [%s]", (engine) => {
  it("is the reviewed SQL (test/sql snapshot)", { timeout: 120_000 }, async () => {
    const statements = new Set<string>();
    let recording = false;
    const onStatement = (text: string) => {
      if (recording) statements.add(normaliseStatement(text));
    };
    const dir = mkdtempSync(join(tmpdir(), "kith-sql-"));
    const schema = `sql_${randomBytes(5).toString("hex")}`;
    const store =
      engine === "sqlite"
        ? await openStore(join(dir, "kith.db"), { onStatement })
        : await openStore(testPostgresUrl, { schema, onStatement });
    try {
      const ctx = createContext(store, () => new Date("2026-06-01T09:00:00Z"));
      recording = true;
      const admin = "admin@contoso.com";
      const tenantId = await createTenantWithUsers(
        ctx,
        { name: "Contoso", slug: "contoso", domain: "contoso.com", admin },
        ["alice", "bob", "carl", "dana", "erin", "fay"].map((n) => directoryUser(`${n}@contoso.com`)),
      );
      for (const type of ["identifiable", "aggregated", "personal"] as const)
        await grantConsent(ctx, tenantId, type, admin);
      await setRelationshipIntelligence(ctx, tenantId, true, admin);
      const colleagues = ["alice", "bob", "carl", "dana", "erin", "fay"].map((n) => `${n}@contoso.com`);
      const records = colleagues.flatMap((c, i) => [
        email(`2026-05-0${1 + (i % 8)}T10:00:00Z`, c, ["lee@fabrikam.com"]),
        email(`2026-05-1${i % 9}T11:00:00Z`, "lee@fabrikam.com", [c, "kim@fabrikam.com"]),
      ]);
      expect((await importRecords(ctx, tenantId, [{ name: "snapshot", records }])).stored).toBe(
        records.length,
      );
      expect(
        (await whoKnowsWhom(ctx, tenantId, "lee@fabrikam.com", "alice@contoso.com")).introducers.length,
      ).toBe(5);
      await accountIntroducers(ctx, tenantId, "fabrikam.com", "alice@contoso.com");
      await recordKpis(ctx, tenantId, "contact", "lee@fabrikam.com", "alice@contoso.com");
      await myNetwork(ctx, tenantId, "alice@contoso.com");
      // Find anyone (issue 17): every kind, and a list of one kind with an empty term.
      const found = await search(ctx, tenantId, "alice@contoso.com", {
        term: "fabrik",
        kinds: searchKinds,
        page: { limit: 10, offset: 0 },
      });
      expect(found.people?.rows.map((p) => p.email)).toEqual(["lee@fabrikam.com"]);
      await search(ctx, tenantId, "alice@contoso.com", {
        term: "",
        kinds: ["account"],
        page: { limit: 25, offset: 0 },
      });
      await accountEngagement(ctx, tenantId, "fabrikam.com", parsePeriod("month:2026-05"), admin);
      await setDataSharing(ctx, tenantId, "bob@contoso.com", false);
      recording = false;
      const text = `-- ${engine}: ${statements.size} distinct statements (src/store/sql-snapshot.db.test.ts)\n${[...statements].sort().join(";\n")};\n`;
      await expect(text).toMatchFileSnapshot(`../../test/sql/${engine}.sql`);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
      if (engine === "postgres") await dropSchema(schema);
    }
  });
});
