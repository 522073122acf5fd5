/**
 * `kith directory …` as an operator meets it (issue 12, items 13 and 14): exit codes from
 * cli/runtime.ts, messages that name file, line and reason, and never a stack trace.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachEngine } from "../../test/helpers/engines";
import { exitCodes } from "./runtime";
import { runCli } from "./program";

const admin = "admin@contoso.com";
/** A line of a V8 stack trace. */
const stackLine = /^\s+at .+\(?.*:\d+:\d+\)?$/m;

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "kith-dir-cli-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

async function kithWith(url: string, args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    args,
    { out: (s) => out.push(s), err: (s) => err.push(s) },
    { KITH_DATABASE_URL: url, KITH_TENANT: "contoso" },
  );
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describeEachEngine("kith directory (CLI)", (h) => {
  const kith = (...args: string[]) => kithWith(h.url(), args);

  beforeAll(async () => {
    const created = await kith(
      "tenant",
      "create",
      "--name",
      "Contoso",
      "--domain",
      "contoso.com",
      "--admin",
      admin,
    );
    expect(created.code).toBe(0);
  });

  it("imports a directory of 40,000 users (past SQLite's 32,766 variables) and lists them again", async () => {
    const lines = ["email,name,roles", `${admin},Ada Admin,Global Administrator;System Administrator`];
    for (let i = 0; i < 40_000; i++) lines.push(`p${i}@contoso.com,P ${i},Salesperson`);
    const path = file(`big-${h.engine}.csv`, lines);
    const first = await kith("directory", "import", path);
    expect(first.err).toBe("");
    expect(first.code).toBe(0);
    expect(first.out).toContain("40000 created");
    // Before the fix every later command reading the directory failed for good.
    const again = await kith("directory", "import", path);
    expect(again).toMatchObject({ code: 0, err: "" });
    expect(again.out).toContain("nothing changed");
    const users = await kith("directory", "users", "--json");
    expect(users.code).toBe(0);
    expect((JSON.parse(users.out) as unknown[]).length).toBe(40_001);
  }, 300_000);

  it("refuses an import that removes the last Global Administrator: exit 3, the reason, nothing applied", async () => {
    const path = file(`lockout-${h.engine}.csv`, [
      "email,name,roles",
      `${admin},Ada Admin,`,
      "zed@contoso.com,Zed,Salesperson",
    ]);
    const refused = await kith("directory", "import", path);
    expect(refused.code).toBe(exitCodes.validation_failed);
    expect(refused.err).toContain(
      `kith: validation failed: directory import refused, nothing imported: it would leave the tenant without an active Global Administrator (the role is removed from ${admin} (${path} line 2))`,
    );
    expect(refused.err).not.toMatch(stackLine);
    const users = JSON.parse((await kith("directory", "users", "--json")).out) as {
      email: string;
      roles: string[];
    }[];
    expect(users.find((u) => u.email === admin)?.roles).toEqual([
      "Global Administrator",
      "System Administrator",
    ]);
    expect(users.some((u) => u.email === "zed@contoso.com")).toBe(false);
  });

  it("an unknown role is refused with file, line, value and a suggestion; `directory roles add` declares a custom one", async () => {
    const path = file(`roles-${h.engine}.csv`, [
      "email,name,roles",
      "zed@contoso.com,Zed,Sales Manger",
      "yan@contoso.com,Yan,Customer Service",
    ]);
    const refused = await kith("directory", "import", path);
    expect(refused.code).toBe(3);
    expect(refused.err).toContain(
      `${path} line 2: unknown role "Sales Manger" (did you mean "Sales Manager"?)`,
    );
    expect(refused.err).toContain(`${path} line 3: unknown role "Customer Service": a role is built in`);
    expect(refused.err).not.toMatch(stackLine);

    const declared = await kith("directory", "roles", "add", "Customer Service", "--by", admin);
    expect(declared).toMatchObject({ code: 0, out: "role declared: Customer Service" });
    expect((await kith("directory", "roles", "add", "Customer Service")).out).toBe(
      "role already known: Customer Service",
    );
    const listed = JSON.parse((await kith("directory", "roles", "list", "--json")).out) as {
      name: string;
      builtIn: boolean;
    }[];
    expect(listed).toContainEqual({ name: "Customer Service", builtIn: false });
    expect(listed).toContainEqual({ name: "Global Administrator", builtIn: true });
    const audit = JSON.parse((await kith("audit", "list", "--action", "role.created", "--json")).out) as {
      actor: string;
      subject: string;
    }[];
    expect(audit[0]).toMatchObject({ actor: admin, subject: "Customer Service" });

    const fixed = file(`roles-fixed-${h.engine}.csv`, [
      "email,name,roles",
      "zed@contoso.com,Zed,Sales Manager",
      "yan@contoso.com,Yan,Customer Service",
    ]);
    expect((await kith("directory", "import", fixed)).code).toBe(0);
  });

  it("a malformed address is refused with file, line and reason, and no user of the file is kept", async () => {
    const path = file(`addresses-${h.engine}.csv`, [
      "email,name,roles",
      "good@contoso.com,Good,Salesperson",
      "bob@@enron.com,Bob,Salesperson",
    ]);
    const refused = await kith("directory", "import", path);
    expect(refused.code).toBe(3);
    expect(refused.err).toContain(
      `${path} line 3: email "bob@@enron.com" is not a valid address: it has 2 @ signs (one is allowed)`,
    );
    const users = (await kith("directory", "users", "--json")).out;
    expect(users).not.toContain("good@contoso.com");
  });
});

it("an unexpected failure during an import prints one line without a stack trace, exit 1 (stack with KITH_DEBUG=1)", async () => {
  const path = file("any.csv", ["email,name", "a@contoso.com,A"]);
  // Nothing listens on port 9: the store cannot be opened, an error no rule of Kith names.
  const url = "postgres://postgres@127.0.0.1:9/none";
  const failed = await kithWith(url, ["directory", "import", path]);
  expect(failed.code).toBe(exitCodes.unexpected);
  expect(failed.err).toMatch(/^kith: unexpected error: .*connect.*\(KITH_DEBUG=1 shows where\)$/);
  expect(failed.err).not.toMatch(stackLine);
  const out: string[] = [];
  const code = await runCli(
    ["directory", "import", path],
    { out: () => undefined, err: (s) => out.push(s) },
    {
      KITH_DATABASE_URL: url,
      KITH_TENANT: "contoso",
      KITH_DEBUG: "1",
    },
  );
  expect(code).toBe(1);
  expect(out.join("\n")).toMatch(stackLine);
});
