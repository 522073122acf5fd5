import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import ts from "typescript";
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

  it("names every folder of src/ (a new folder must be placed in the rule)", () => {
    const folders = readdirSync(resolve(root, "src"), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(folders.filter((f) => !(f in allowedImports))).toEqual([]);
  });
});

/** Value imports (and re-exports) of one source file, resolved to files; type-only ones left out. */
function valueImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest);
  const targets: string[] = [];
  for (const statement of source.statements) {
    let specifier: ts.Expression | undefined;
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      const named = clause?.namedBindings;
      const onlyTypes =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (!clause.name &&
            named !== undefined &&
            ts.isNamedImports(named) &&
            named.elements.every((e) => e.isTypeOnly)));
      if (!onlyTypes) specifier = statement.moduleSpecifier;
    } else if (ts.isExportDeclaration(statement) && !statement.isTypeOnly)
      specifier = statement.moduleSpecifier;
    if (specifier && ts.isStringLiteral(specifier) && specifier.text.startsWith(".")) {
      const target = resolve(dirname(file), specifier.text);
      for (const candidate of [`${target}.ts`, `${target}/index.ts`, target])
        if (existsSync(candidate) && candidate.endsWith(".ts")) {
          targets.push(candidate);
          break;
        }
    }
  }
  return targets;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(resolve(dir, e.name))
      : e.name.endsWith(".ts") && !/\.(test|fixture)\.ts$/.test(e.name)
        ? [resolve(dir, e.name)]
        : [],
  );
}

/** Every cycle found by a depth-first walk of the value-import graph, as module paths. */
export function importCycles(files: readonly string[]): string[][] {
  const edges = new Map(files.map((f) => [f, valueImports(f)]));
  const state = new Map<string, "open" | "done">();
  const cycles: string[][] = [];
  const visit = (file: string, stack: string[]) => {
    state.set(file, "open");
    stack.push(file);
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === "open") cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next, stack);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of edges.keys()) if (!state.has(file)) visit(file, []);
  return cycles.map((c) => c.map((f) => relative(root, f)));
}

describe("value imports between modules", () => {
  it("form no cycle in src/ (a cycle makes load order matter and hides a missing layer)", () => {
    expect(importCycles(sourceFiles(resolve(root, "src")))).toEqual([]);
  });
});
