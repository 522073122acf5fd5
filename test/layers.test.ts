import { resolve } from "node:path";
import { ESLint } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";
import { allowedImports, layerRules } from "../eslint.layers.js";

/**
 * The dependency rule is enforced by ESLint (eslint.layers.js, part of `npm run check`): these
 * cases lint small sources as if they sat in a layer and show that a new violation fails while
 * type-only imports and allowed edges pass.
 */
const root = resolve(import.meta.dirname, "..");
const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  overrideConfig: [
    {
      files: ["**/*.ts"],
      languageOptions: { parser: tseslint.parser },
      plugins: { "@typescript-eslint": tseslint.plugin },
    },
    ...layerRules(),
  ],
});

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, file) });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? "parse"}: ${m.message}`);
}

describe("the layer rule (ARCHITECTURE.md) in ESLint", () => {
  it.each([
    [
      "src/api/routes/new.routes.ts",
      'import { listUsers } from "../../store/directory.repository";\nvoid listUsers;',
    ],
    ["src/cli/new.command.ts", 'import { openStore } from "../store/store";\nvoid openStore;'],
    ["src/jobs/new.job.ts", 'import { insertJob } from "../store/job.repository";\nvoid insertJob;'],
    [
      "src/store/new.repository.ts",
      'import { importBatch } from "../services/ingest.service";\nvoid importBatch;',
    ],
    ["src/domain/new.ts", 'import { decayWeight } from "../insights/strength";\nvoid decayWeight;'],
    ["src/insights/new.ts", 'import { openStore } from "../store/store";\nvoid openStore;'],
    ["src/cli/serve2.command.ts", 'import { startServer } from "../main/server";\nvoid startServer;'],
    ["src/services/new.service.ts", 'export { runSync } from "../jobs/sync.job";'],
  ])("fails a value import that breaks the rule: %s", async (file, code) => {
    const found = await problems(file, code);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/no-restricted-imports: .*layer rule \(ARCHITECTURE\.md\)/);
  });

  it.each([
    ["src/api/routes/new.routes.ts", 'import type { Trx } from "../../store/store";\nexport type T = Trx;'],
    ["src/cli/new.command.ts", 'import { type Store } from "../store/store";\nexport type S = Store;'],
    [
      "src/api/routes/new.routes.ts",
      'import { listDirectoryUsers } from "../../services/directory-users.service";\nvoid listDirectoryUsers;',
    ],
    [
      "src/store/new.repository.ts",
      'import { buildPairState } from "../insights/strength";\nvoid buildPairState;',
    ],
    ["src/main/new.ts", 'import { openStore } from "../store/store";\nvoid openStore;'],
    ["src/services/x.db.test.ts", 'import { runCli } from "../cli/program";\nvoid runCli;'],
  ])("allows type-only imports and the edges the rule permits: %s", async (file, code) => {
    expect(await problems(file, code)).toEqual([]);
  });

  it("names every folder of src/ (a new folder must be placed in the rule)", async () => {
    const { readdirSync } = await import("node:fs");
    const folders = readdirSync(resolve(root, "src"), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(folders.filter((f) => !(f in allowedImports))).toEqual([]);
  });
});
