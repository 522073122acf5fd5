import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachEngine } from "../../test/helpers/engines";
import { runCli } from "./program";

const excerpt = new URL("../../test/fixtures/insights/enron-allen-excerpt.mbox", import.meta.url).pathname;
const allen = "phillip.allen@enron.com";
const target = "jsmith@austintx.com";

/**
 * Every insight command through the real command parser, on the committed Enron excerpt set up
 * the way `kith eval-setup enron` sets up the full corpus, on both engines. The temporary directory
 * holds the input files only.
 */
describeEachEngine("kith insight commands on the Enron excerpt", (h) => {
  let dir = "";
  const env = () => ({ KITH_DATABASE_URL: h.url() });

  async function kith(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const line = (s: string) => (s.endsWith("\n") ? s : `${s}\n`);
    const code = await runCli(args, { out: (s) => out.push(line(s)), err: (s) => err.push(line(s)) }, env());
    return { code, out: out.join(""), err: err.join("") };
  }
  const json = async (...args: string[]): Promise<unknown> => {
    const r = await kith(...args, "--json");
    expect(r.code, `${args.join(" ")}: ${r.err}`).toBe(0);
    return JSON.parse(r.out) as unknown;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "kith-insights-cli-"));
    mkdirSync(join(dir, "corpus", "mbox"), { recursive: true });
    copyFileSync(excerpt, join(dir, "corpus", "mbox", "enron.allen-p._sent_mail"));
    writeFileSync(
      join(dir, "crm.json"),
      JSON.stringify({
        format: "kith-crm/1",
        accounts: [
          { id: "acc-austin", name: "Austin TX", domains: ["austintx.com"], primaryContactId: "con-js" },
        ],
        contacts: [{ id: "con-js", email: target, name: "J Smith", accountId: "acc-austin" }],
        leads: [{ id: "lead-js", email: target, name: "J Smith", ownerEmail: allen, status: "active" }],
        opportunities: [
          {
            id: "opp-austin",
            name: "Austin land deal",
            accountId: "acc-austin",
            ownerEmail: allen,
            customerContactId: "con-js",
            status: "open",
            estimatedCloseDate: "2001-12-31",
            estimatedRevenue: 250000,
          },
        ],
      }),
    );
    const setup = await kith("eval-setup", "enron", "--data", join(dir, "corpus"), "--json");
    expect(setup.code, setup.err).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("crm import", async () => {
    expect(await json("crm", "import", join(dir, "crm.json"), "--tenant", "enron")).toMatchObject({
      status: "done",
      imported: { accounts: 1, contacts: 1, leads: 1, opportunities: 1 },
    });
  });

  it("wkw: arguments, --as-of and --targets-file (NDJSON)", async () => {
    // The excerpt is from 2000–2001: strengths "now" have decayed to nothing, so ask as of then.
    const answer = (await json("wkw", target, "--tenant", "enron", "--as-of", "2001-06-01")) as {
      introducers: { email: string }[];
    };
    expect(answer.introducers.map((i) => i.email)).toEqual([allen]);
    const early = (await json("wkw", target, "--tenant", "enron", "--as-of", "1999-01-01")) as {
      introducers: unknown[];
    };
    expect(early.introducers).toEqual([]);
    writeFileSync(join(dir, "targets.txt"), `${target}\n{"email":"nobody@nowhere.example"}\n`);
    const file = await kith(
      "wkw",
      "--tenant",
      "enron",
      "--as-of",
      "2001-06-01",
      "--targets-file",
      join(dir, "targets.txt"),
    );
    expect(file.code).toBe(0);
    expect(file.out.trim().split("\n")).toHaveLength(2);
  });

  it("account-introducers, kpis for every record type, opportunities and the bubble chart", async () => {
    expect(
      await json("account-introducers", "acc-austin", "--tenant", "enron", "--as-of", "2001-06-01"),
    ).toMatchObject({
      account: { name: "Austin TX" },
      introducers: [{ email: allen }],
    });
    for (const [type, key] of [
      ["contact", target],
      ["lead", "lead-js"],
      ["opportunity", "opp-austin"],
      ["account", "acc-austin"],
    ] as const) {
      const a = (await json("kpis", type, key, "--tenant", "enron")) as { kpis: { activityCount: number } };
      expect(a.kpis.activityCount, type).toBeGreaterThan(0);
    }
    const mine = (await json("opportunities", "--tenant", "enron", "--viewer", allen)) as {
      opportunities: { id: string }[];
    };
    expect(mine.opportunities.map((o) => o.id)).toEqual(["opp-austin"]);
    const chart = (await json("opportunities", "--tenant", "enron", "--viewer", allen, "--bubbles")) as {
      bubbles: unknown[];
      unplaced: unknown[];
    };
    expect(chart.bubbles.length + chart.unplaced.length).toBe(1);
  });

  it("engagement, my-network and eval", async () => {
    const e = (await json("engagement", "austintx.com", "--tenant", "enron", "--period", "year:2000")) as {
      engagement: { figures: { emailsToAccount: { value: number | null } } };
    };
    expect(e.engagement.figures.emailsToAccount.value).toBeNull(); // one colleague: below k = 5
    const mine = (await json("my-network", allen, "--tenant", "enron", "--as-of", "2001-06-01")) as {
      strongestTies: unknown[];
    };
    expect(mine.strongestTies.length).toBeGreaterThan(0);
    const text = await kith("eval", "--tenant", "enron", "--split", "2001-01-01", "--level", "account");
    expect(text.code, text.err).toBe(0);
    expect(text.out).toMatch(/Targets evaluated: \d+/);
  });

  it("settings: strength parameters (with recompute) and the introduction template", async () => {
    const s = (await json(
      "settings",
      "strength",
      "--tenant",
      "enron",
      "--by",
      allen,
      "--half-life",
      "60",
    )) as {
      recomputed: { pairs: number } | null;
    };
    expect(s.recomputed?.pairs).toBeGreaterThan(0);
    const t = await kith(
      "settings",
      "intro-template",
      "--tenant",
      "enron",
      "--by",
      allen,
      "--subject",
      "Intro to {{target.name}}",
      "--body",
      "Hi {{introducer.firstName}}",
    );
    expect(t.code, t.err).toBe(0);
    // Both changes are audited, like the same changes through the HTTP API.
    const entries = (await json("audit", "list", "--tenant", "enron", "--action", "settings.")) as {
      action: string;
      actor: string;
    }[];
    expect(entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(["settings.strength_params_changed", "settings.introduction_template_changed"]),
    );
    expect(entries.every((e) => e.actor === allen)).toBe(true);
    // The recompute recorded what the states were built with: the same change again needs none.
    const again = (await json(
      "settings",
      "strength",
      "--tenant",
      "enron",
      "--by",
      allen,
      "--half-life",
      "60",
    )) as { recomputed: unknown };
    expect(again.recomputed).toBeNull();
    expect((await kith("audit", "verify", "--tenant", "enron")).code).toBe(0);
  });
});
