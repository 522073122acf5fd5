import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram, cliCommandModules, commandNamed, runCli } from "./program";
import { createCommandEnv, loadConfigModule } from "./runtime";

const quiet = { out: () => {}, err: () => {} };

describe("kith starts with the commands it runs only", () => {
  it("each lazy command module registers exactly the top-level commands its entry names", async () => {
    await loadConfigModule();
    const env = createCommandEnv(quiet, {}, { code: 0 });
    for (const m of [...cliCommandModules.before, ...cliCommandModules.after]) {
      const program = new Command("kith");
      (await m.load())(program, env);
      expect(program.commands.map((c) => c.name())).toEqual(m.names);
    }
  });

  it("names the command argv runs, also after `help`; none for options first", () => {
    expect(commandNamed(["wkw", "a@b.example", "--json"])).toBe("wkw");
    expect(commandNamed(["help", "import"])).toBe("import");
    expect(commandNamed(["--version"])).toBeNull();
    expect(commandNamed([])).toBeNull();
  });

  it("loads one module for a command, none for --version, all for help", async () => {
    await loadConfigModule();
    const env = createCommandEnv(quiet, {}, { code: 0 });
    const names = async (argv: string[]) => (await buildProgram(env, [], argv)).commands.map((c) => c.name());
    expect(await names(["import", "x.mbox"])).toEqual(["migrate", "demo", "import", "backfill", "sources"]);
    expect(await names(["--version"])).toEqual(["migrate", "demo"]);
    const all = await names(["--help"]);
    for (const m of [...cliCommandModules.before, ...cliCommandModules.after])
      for (const n of m.names) expect(all).toContain(n);
  });

  it("kith --version prints the package version", async () => {
    const out: string[] = [];
    expect(await runCli(["--version"], { out: (s) => out.push(s), err: (s) => out.push(s) }, {})).toBe(0);
    expect(out.join("").trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
