/**
 * Directory import at scale and its refusals (issue 12, items 13 and 14), on both engines: a
 * 200,000-user file imports and re-imports (no statement binds a variable per user), and an
 * import that would lock the tenant out, names an undeclared role or holds a broken address is
 * refused whole, naming file, line and reason.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachEngine, inspect } from "../../test/helpers/engines";
import { rolesAt } from "../domain/directory";
import { readDirectoryFile, parseDirectoryText } from "../ingest/directory-file";
import { countAudit, listAudit } from "../store/audit.repository";
import { listAssignments, listUsers } from "../store/directory.repository";
import type { Db } from "../store/store";
import { declareRole, findUserOrThrow, importDirectory, listTenantRoles } from "./directory.service";
import { createTenant } from "./tenant.service";

const admin = "admin@contoso.com";
const groupCount = 40;

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "kith-directory-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A CSV directory of `n` users plus the administrator, written in one go. Users u0…u(n-1) are
 * Salespeople in one of `groupCount` groups; `change` rewrites a user's row (null drops it).
 */
function writeDirectory(
  name: string,
  n: number,
  change: (i: number, row: { roles: string; groups: string }) => { roles: string; groups: string } | null = (
    _i,
    row,
  ) => row,
): string {
  const lines = [
    "email,name,aliases,roles,groups",
    `${admin},Ada Admin,,Global Administrator;System Administrator,`,
  ];
  for (let i = 0; i < n; i++) {
    const row = change(i, { roles: "Salesperson", groups: `g${i % groupCount}` });
    if (row) lines.push(`u${i}@contoso.com,User ${i},u${i}.alias@contoso.com,${row.roles},${row.groups}`);
  }
  const path = join(dir, name);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

/** The message a promise rejects with. */
async function messageOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected a rejection");
}

async function countRows(
  h: { store(): { db: Db } },
  table: "app_user" | "user_alias" | "group_membership" | "role_assignment",
  tenantId: string,
  open = false,
): Promise<number> {
  let query = h
    .store()
    .db.selectFrom(table)
    .select(sql<number>`count(*)`.as("n"))
    .where("tenant_id", "=", tenantId);
  if (open && (table === "group_membership" || table === "role_assignment"))
    query = query.where("valid_to", "is", null);
  return Number((await inspect(() => query.executeTakeFirstOrThrow())).n);
}

describeEachEngine("directory import", (h) => {
  let n = 0;
  async function freshTenant(): Promise<string> {
    h.setNow("2026-06-01T09:00:00Z");
    const { id } = await createTenant(h.ctx(), {
      name: `Dir ${++n}`,
      slug: `dir-${n}`,
      domains: ["contoso.com"],
      admin: { email: admin },
    });
    return id;
  }
  const importFile = async (tenantId: string, path: string) => {
    const { document, errors } = await readDirectoryFile(path);
    return importDirectory(h.ctx(), tenantId, document, errors, "cli");
  };

  it("imports 200,000 users in one transaction, then a changed file with role changes and removals from groups", async () => {
    const tenantId = await freshTenant();
    const users = 200_000;
    const path = writeDirectory(`big-${h.engine}.csv`, users);
    const auditBefore = await countAudit(h.store().db, tenantId);

    let started = performance.now();
    const first = await importFile(tenantId, path);
    const firstMs = performance.now() - started;
    expect(first.users).toEqual({ created: users, updated: 1, unchanged: 0 }); // the admin gets a name
    expect(first.groups.created).toBe(groupCount);
    expect(first.memberships).toEqual({ added: users, ended: 0 });
    expect(first.roleAssignments).toEqual({ added: users, ended: 0 });
    expect(await countRows(h, "app_user", tenantId)).toBe(users + 1);
    expect(await countRows(h, "user_alias", tenantId)).toBe(users);
    expect(await countRows(h, "group_membership", tenantId, true)).toBe(users);
    expect(await countRows(h, "role_assignment", tenantId, true)).toBe(users + 2);
    // One entry per change plus the summary, in one unbroken chain.
    expect(await countAudit(h.store().db, tenantId)).toBe(auditBefore + first.changes.length + 1);
    expect((await listUsers(h.store().db, tenantId)).length).toBe(users + 1);

    // Every 10th user becomes a Sales Manager; every 7th leaves its groups; the last 1,000 are
    // absent from the file, which leaves them as they are (README "Directory files").
    h.setNow("2026-06-02T09:00:00Z");
    const changed = writeDirectory(`big-changed-${h.engine}.csv`, users, (i, row) =>
      i >= users - 1000
        ? null
        : { roles: i % 10 === 0 ? "Sales Manager" : row.roles, groups: i % 7 === 0 ? "" : row.groups },
    );
    started = performance.now();
    const second = await importFile(tenantId, changed);
    const secondMs = performance.now() - started;
    const managers = Math.ceil((users - 1000) / 10);
    const leavers = Math.ceil((users - 1000) / 7);
    expect(second.users).toEqual({ created: 0, updated: 0, unchanged: users - 1000 + 1 });
    expect(second.roleAssignments).toEqual({ added: managers, ended: managers });
    expect(second.memberships).toEqual({ added: 0, ended: leavers });
    expect(await countRows(h, "group_membership", tenantId, true)).toBe(users - leavers);
    const u10 = await findUserOrThrow(h.ctx(), tenantId, "u10@contoso.com");
    const roles = (await listAssignments(h.store().db, tenantId, [u10.id])).get(u10.id) ?? [];
    expect([...rolesAt(roles, new Date("2026-06-01T12:00:00Z"))]).toEqual(["Salesperson"]);
    expect([...rolesAt(roles, new Date("2026-06-02T12:00:00Z"))]).toEqual(["Sales Manager"]);
    expect(await findUserOrThrow(h.ctx(), tenantId, `u${users - 1}@contoso.com`)).toBeDefined();

    // Idempotent at scale: the same file again changes nothing and writes nothing.
    const auditAfter = await countAudit(h.store().db, tenantId);
    const third = await importFile(tenantId, changed);
    expect(third.changes).toEqual([]);
    expect(await countAudit(h.store().db, tenantId)).toBe(auditAfter);
    console.log(
      `[${h.engine}] 200k-user directory import: first ${(firstMs / 1000).toFixed(1)} s, changed re-import ${(secondMs / 1000).toFixed(1)} s`,
    );
  }, 600_000);

  it("refuses an import that leaves no active Global Administrator, naming why, and applies nothing of it", async () => {
    const tenantId = await freshTenant();
    const path = join(dir, `lockout-${h.engine}.csv`);
    // The file: an empty roles cell for the only Global and System Administrator.
    writeFileSync(
      path,
      ["email,name,roles", `${admin},Ada Admin,`, "amber@contoso.com,Amber,Salesperson", ""].join("\n"),
    );
    const before = await countAudit(h.store().db, tenantId);
    await expect(importFile(tenantId, path)).rejects.toMatchObject({
      code: "validation_failed",
      message: expect.stringContaining(
        `it would leave the tenant without an active Global Administrator (the role is removed from ${admin} (${path} line 2))`,
      ) as unknown,
    });
    await expect(findUserOrThrow(h.ctx(), tenantId, "amber@contoso.com")).rejects.toMatchObject({
      code: "not_found",
    });
    const adminUser = await findUserOrThrow(h.ctx(), tenantId, admin);
    const roles = (await listAssignments(h.store().db, tenantId, [adminUser.id])).get(adminUser.id) ?? [];
    expect([...rolesAt(roles, h.ctx().now())].sort()).toEqual([
      "Global Administrator",
      "System Administrator",
    ]);
    expect(await countAudit(h.store().db, tenantId)).toBe(before);

    // Handing the role to someone else in the same file is fine.
    writeFileSync(
      path,
      ["email,name,roles", `${admin},Ada Admin,`, "amber@contoso.com,Amber,Global Administrator", ""].join(
        "\n",
      ),
    );
    expect((await importFile(tenantId, path)).roleAssignments).toEqual({ added: 1, ended: 2 });
  });

  it("refuses an undeclared role, naming file, line and value with a suggestion; a declared one is accepted", async () => {
    const tenantId = await freshTenant();
    const path = join(dir, `roles-${h.engine}.csv`);
    writeFileSync(
      path,
      [
        "email,name,roles",
        `${admin},Ada Admin,Global Administrator;System Administrator`,
        "amber@contoso.com,Amber,Salesprson",
        "bob@contoso.com,Bob,Customer Service",
        "",
      ].join("\n"),
    );
    const refused = importFile(tenantId, path);
    await expect(refused).rejects.toMatchObject({ code: "validation_failed" });
    const message = await messageOf(refused);
    expect(message).toContain(`${path} line 3: unknown role "Salesprson" (did you mean "Salesperson"?)`);
    expect(message).toContain(`${path} line 4: unknown role "Customer Service":`);
    expect(message).toContain("kith directory roles add");
    expect(await countRows(h, "app_user", tenantId)).toBe(1);
    expect((await listTenantRoles(h.ctx(), tenantId)).map((r) => r.name)).not.toContain("Salesprson");

    expect(await declareRole(h.ctx(), tenantId, "Customer Service", admin)).toEqual({
      name: "Customer Service",
      created: true,
    });
    expect(await declareRole(h.ctx(), tenantId, "Customer Service", admin)).toMatchObject({ created: false });
    await expect(declareRole(h.ctx(), tenantId, "salesperson", admin)).rejects.toMatchObject({
      code: "validation_failed",
      message: 'role "salesperson" differs from the existing role "Salesperson" only by case',
    });
    const [declared] = await listAudit(h.store().db, tenantId, { limit: 1, action: "role.created" });
    expect(declared).toMatchObject({
      actor: admin,
      subject: "Customer Service",
      details: { declared: true },
    });

    writeFileSync(
      path,
      [
        "email,name,roles",
        `${admin},Ada Admin,Global Administrator;System Administrator`,
        "amber@contoso.com,Amber,Salesperson",
        "bob@contoso.com,Bob,Customer Service",
        "",
      ].join("\n"),
    );
    expect((await importFile(tenantId, path)).users.created).toBe(2);

    // JSON files may declare custom roles in their header, as before.
    const { document, errors } = parseDirectoryText(
      JSON.stringify({
        roles: ["Partner Desk"],
        users: [{ email: "cy@contoso.com", roles: ["Partner Desk"] }],
      }),
      "request body",
      "json",
    );
    expect((await importDirectory(h.ctx(), tenantId, document, errors, admin)).rolesCreated).toEqual([
      "Partner Desk",
    ]);
  });

  it("refuses a file with a malformed address whole (the good records are not kept), naming file, line and reason", async () => {
    const tenantId = await freshTenant();
    const path = join(dir, `addresses-${h.engine}.csv`);
    writeFileSync(
      path,
      [
        "email,name,aliases,roles",
        "amber@contoso.com,Amber,,Salesperson",
        "bob@@enron.com,Bob,,Salesperson",
        "cy@contoso.com,Cy,cy@contoso,Salesperson",
        "dee smith@contoso.com,Dee,,Salesperson",
        "",
      ].join("\n"),
    );
    const refused = importFile(tenantId, path);
    await expect(refused).rejects.toMatchObject({ code: "validation_failed" });
    const message = await messageOf(refused);
    expect(message.split("\n").slice(1)).toEqual([
      `  ${path} line 3: email "bob@@enron.com" is not a valid address: it has 2 @ signs (one is allowed)`,
      `  ${path} line 4: alias "cy@contoso" is not a valid address: it has a domain without a dot ("contoso")`,
      `  ${path} line 5: email "dee smith@contoso.com" is not a valid address: it contains a space`,
    ]);
    expect(await countRows(h, "app_user", tenantId)).toBe(1);
  });

  it("an address of a deactivated user is a conflict naming the line, not a crash", async () => {
    const tenantId = await freshTenant();
    const path = join(dir, `deactivated-${h.engine}.csv`);
    writeFileSync(path, ["email,name,roles", "amber@contoso.com,Amber,Salesperson", ""].join("\n"));
    await importFile(tenantId, path);
    await inspect(() =>
      h
        .store()
        .db.updateTable("app_user")
        .set({ deleted_at: Date.parse("2026-06-01T10:00:00Z") })
        .where("tenant_id", "=", tenantId)
        .where("email", "=", "amber@contoso.com")
        .execute(),
    );
    await expect(importFile(tenantId, path)).rejects.toMatchObject({
      code: "conflict",
      message: `${path} line 2: amber@contoso.com belongs to the deactivated user amber@contoso.com (reactivate them through SCIM); nothing imported`,
    });
  });
});
