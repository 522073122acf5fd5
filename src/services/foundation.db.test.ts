import { sql } from "kysely";
import { beforeAll, expect, it } from "vitest";
import { describeEachEngine, inspect } from "../../test/helpers/engines";
import { groupsAt, rolesAt } from "../domain/directory";
import { decideCollection } from "../domain/consent-policy";
import { readDirectoryFile } from "../ingest/directory-file";
import { listAssignments, listMemberships } from "../store/directory.repository";
import { readPrivacy } from "../store/consent.repository";
import { verifyAuditChain, listAuditEntries } from "./audit.service";
import {
  consentStatus,
  grantConsent,
  parseConsentType,
  readConsent,
  setCollectionRoles,
  setDataSharing,
  setInsightRole,
  setOptedOutGroups,
  setRelationshipIntelligence,
  withdrawConsent,
} from "./consent.service";
import { findUserOrThrow, importDirectory } from "./directory.service";
import { createTenant } from "./tenant.service";

const fixture = (name: string) => new URL(`../../test/fixtures/directory/${name}`, import.meta.url).pathname;

describeEachEngine("foundation: tenants, directory, consent ledger, audit", (h) => {
  let tenantId = "";

  beforeAll(async () => {
    h.setNow("2026-06-01T09:00:00Z");
    const tenant = await createTenant(h.ctx(), {
      name: "Contoso",
      domains: ["contoso.com", "Contoso.co.uk"],
    });
    tenantId = tenant.id;
  });

  it("creates a tenant with normalised domains and refuses a duplicate slug", async () => {
    const status = await consentStatus(h.ctx(), tenantId);
    expect(status.consents.every((c) => !c.granted)).toBe(true);
    await expect(createTenant(h.ctx(), { name: "Contoso", domains: ["contoso.com"] })).rejects.toMatchObject({
      code: "conflict",
    });
    await expect(createTenant(h.ctx(), { name: "Bad", domains: ["not a domain"] })).rejects.toMatchObject({
      code: "validation_failed",
    });
  });

  it("rejects a directory file with broken rows, naming each, and writes nothing", async () => {
    const { document, errors } = await readDirectoryFile(fixture("broken.csv"));
    expect(errors.map((e) => [e.record, e.reason])).toEqual([
      [3, 'email "eve@" is not a valid address: it has no domain after the @'],
      [4, 'guest must be true or false, not "maybe"'],
    ]);
    await expect(importDirectory(h.ctx(), tenantId, document, errors, "cli")).rejects.toMatchObject({
      code: "validation_failed",
    });
    await expect(findUserOrThrow(h.ctx(), tenantId, "admin@contoso.com")).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("imports a JSON directory, then re-imports it with no change", async () => {
    const { document, errors } = await readDirectoryFile(fixture("contoso.json"));
    const first = await importDirectory(h.ctx(), tenantId, document, errors, "cli");
    expect(first.users).toEqual({ created: 6, updated: 0, unchanged: 0 });
    expect(first.groups.created).toBe(3);
    expect(first.rolesCreated).toEqual(["Customer Service"]);
    expect(first.memberships.added).toBe(3);
    h.setNow("2026-06-01T10:00:00Z");
    const again = await importDirectory(h.ctx(), tenantId, document, errors, "cli");
    expect(again.changes).toEqual([]);
    expect(again.users).toEqual({ created: 0, updated: 0, unchanged: 6 });
    const amber = await findUserOrThrow(h.ctx(), tenantId, "A.Lee@contoso.com");
    expect(amber.email).toBe("amber.lee@contoso.com");
  });

  it("imports the CSV form of the same directory without changing anything it already holds", async () => {
    const { document, errors } = await readDirectoryFile(fixture("contoso.csv"));
    expect(errors).toEqual([]);
    const report = await importDirectory(h.ctx(), tenantId, document, errors, "cli");
    expect(report.changes).toEqual([]);
  });

  it("keeps membership and role history so 'was U in G at t' is answerable", async () => {
    h.setNow("2026-06-10T00:00:00Z");
    const { document } = await readDirectoryFile(fixture("contoso.json"));
    const moved = document.users.map((u) =>
      u.email === "amber.lee@contoso.com"
        ? { ...u, groups: ["8a1d2e3f-0000-4000-8000-000000000ma1"], roles: ["Salesperson", "Sales Manager"] }
        : u,
    );
    const report = await importDirectory(h.ctx(), tenantId, { ...document, users: moved }, [], "cli");
    expect(report.memberships).toEqual({ added: 1, ended: 1 });
    expect(report.roleAssignments).toEqual({ added: 1, ended: 0 });
    const amber = await findUserOrThrow(h.ctx(), tenantId, "amber.lee@contoso.com");
    const memberships = (await listMemberships(h.store().db, tenantId, [amber.id])).get(amber.id) ?? [];
    expect([...groupsAt(memberships, new Date("2026-06-05T00:00:00Z"))]).toEqual(["sales-emea"]);
    expect([...groupsAt(memberships, new Date("2026-06-11T00:00:00Z"))]).toEqual([
      "8a1d2e3f-0000-4000-8000-000000000ma1",
    ]);
    const roles = (await listAssignments(h.store().db, tenantId, [amber.id])).get(amber.id) ?? [];
    expect(rolesAt(roles, new Date("2026-06-05T00:00:00Z")).has("Sales Manager")).toBe(false);
    expect(rolesAt(roles, new Date("2026-06-11T00:00:00Z")).has("Sales Manager")).toBe(true);
  });

  it("refuses an unknown consent type and a grant by a non-administrator", async () => {
    expect(() => parseConsentType("everything")).toThrow(/unknown consent type "everything"/);
    await expect(
      grantConsent(h.ctx(), tenantId, "identifiable", "bob.stone@contoso.com"),
    ).rejects.toMatchObject({
      code: "insufficient_privileges",
    });
    await expect(grantConsent(h.ctx(), tenantId, "identifiable", "nobody@contoso.com")).rejects.toMatchObject(
      {
        code: "insufficient_privileges",
      },
    );
    expect((await readConsent(h.ctx(), tenantId)).consents.identifiable.granted).toBe(false);
  });

  it("a user who opted out before the grant stays out after it; everyone else is opted in", async () => {
    h.setNow("2026-06-12T00:00:00Z");
    await setDataSharing(h.ctx(), tenantId, "dan.cho@contoso.com", false);
    const change = await grantConsent(h.ctx(), tenantId, "identifiable", "admin@contoso.com");
    expect(change.changed).toBe(true);
    const status = await consentStatus(h.ctx(), tenantId);
    expect(status.users).toMatchObject({ total: 6, sharing: 5, optedOutByUser: 1 });
    const dan = await findUserOrThrow(h.ctx(), tenantId, "dan.cho@contoso.com");
    expect((await readPrivacy(h.store().db, tenantId, dan.id)).sharing).toBe("off");
    // Granting again is a no-op, not a second history entry.
    expect((await grantConsent(h.ctx(), tenantId, "identifiable", "admin@contoso.com")).changed).toBe(false);
    expect((await consentStatus(h.ctx(), tenantId)).history).toHaveLength(1);
  });

  it("an opted-out group refuses collection from now on (Amber after her move to M&A)", async () => {
    await setOptedOutGroups(h.ctx(), tenantId, ["8a1d2e3f-0000-4000-8000-000000000ma1"], "admin@contoso.com");
    const consent = await readConsent(h.ctx(), tenantId);
    const amber = await findUserOrThrow(h.ctx(), tenantId, "amber.lee@contoso.com");
    const subject = {
      userId: amber.id,
      privacy: await readPrivacy(h.store().db, tenantId, amber.id),
      memberships: (await listMemberships(h.store().db, tenantId, [amber.id])).get(amber.id) ?? [],
      roleAssignments: (await listAssignments(h.store().db, tenantId, [amber.id])).get(amber.id) ?? [],
    };
    expect(decideCollection(subject, consent, new Date("2026-06-12T00:00:00Z"))).toMatchObject({
      rule: "opted_out_group",
    });
    expect((await consentStatus(h.ctx(), tenantId)).users.inOptedOutGroups).toBe(1);
    await expect(setOptedOutGroups(h.ctx(), tenantId, ["x"], "bob.stone@contoso.com")).rejects.toMatchObject({
      code: "insufficient_privileges",
    });
  });

  it("System administrator settings: enable, restrict collection roles, grant insight roles", async () => {
    expect((await setRelationshipIntelligence(h.ctx(), tenantId, true, "admin@contoso.com")).state).toBe(
      "active",
    );
    await expect(
      setCollectionRoles(h.ctx(), tenantId, ["No Such Role"], "admin@contoso.com"),
    ).rejects.toMatchObject({ code: "validation_failed" });
    expect(await setCollectionRoles(h.ctx(), tenantId, ["Salesperson"], "admin@contoso.com")).toEqual([
      "Salesperson",
    ]);
    expect(
      await setInsightRole(
        h.ctx(),
        tenantId,
        "who_knows_whom",
        "Customer Service",
        true,
        "admin@contoso.com",
      ),
    ).toContain("Customer Service");
    await expect(
      setInsightRole(h.ctx(), tenantId, "who_knows_whom", "Salesperson", false, "bob.stone@contoso.com"),
    ).rejects.toMatchObject({
      code: "insufficient_privileges",
    });
    const consent = await readConsent(h.ctx(), tenantId);
    expect(consent.collectionRoles).toEqual(["Salesperson"]);
    expect(consent.insightRoles.who_knows_whom).toEqual(["Customer Service", "Sales Manager", "Salesperson"]);
  });

  it("withdrawal opts everyone out and leaves a receipt; a re-grant keeps personal opt-outs", async () => {
    h.setNow("2026-06-20T00:00:00Z");
    const change = await withdrawConsent(h.ctx(), tenantId, "identifiable", "admin@contoso.com");
    expect(change.receipt?.scope).toBe("tenant");
    expect((await consentStatus(h.ctx(), tenantId)).users.sharing).toBe(0);
    h.setNow("2026-06-21T00:00:00Z");
    await grantConsent(h.ctx(), tenantId, "aggregated", "admin@contoso.com");
    const status = await consentStatus(h.ctx(), tenantId);
    // Collection is restricted to Salesperson (above): "sharing" counts whom the gate lets through.
    expect(status.users).toMatchObject({ total: 6, optedOutByUser: 1 });
    expect(status.users.sharing + status.users.outsideCollectionRoles + status.users.inOptedOutGroups).toBe(
      5,
    );
    expect(status.users.outsideCollectionRoles).toBeGreaterThan(0);
    expect(status.history.map((e) => [e.type, e.granted])).toEqual([
      ["identifiable", true],
      ["identifiable", false],
      ["aggregated", true],
    ]);
  });

  it("writes every change to the audit chain, which verifies", async () => {
    const entries = await listAuditEntries(h.ctx(), tenantId, { limit: 1000 });
    const actions = new Set(entries.map((e) => e.action));
    for (const action of [
      "tenant.created",
      "user.created",
      "group.member_added",
      "group.member_removed",
      "role.assigned",
      "consent.granted",
      "consent.withdrawn",
      "consent.opt_out_groups_changed",
      "privacy.sharing_off",
      "data.deleted",
      "ri.enabled",
      "ri.collection_roles_changed",
      "ri.insight_role_granted",
    ]) {
      expect(actions, action).toContain(action);
    }
    const result = await verifyAuditChain(h.ctx(), tenantId);
    expect(result).toMatchObject({ ok: true, problems: [] });
    expect(result.checked).toBe(entries.length);
  });

  it("detects an entry edited through SQL", async () => {
    const db = h.store().db;
    const target = await inspect(() =>
      db
        .selectFrom("audit_log")
        .select(["seq", "details"])
        .where("tenant_id", "=", tenantId)
        .where("action", "=", "consent.granted")
        .executeTakeFirstOrThrow(),
    );
    await inspect(() =>
      db
        .updateTable("audit_log")
        .set({ actor: "someone-else@contoso.com" })
        .where("tenant_id", "=", tenantId)
        .where("seq", "=", target.seq)
        .execute(),
    );
    const result = await verifyAuditChain(h.ctx(), tenantId);
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual(
      expect.objectContaining({ seq: target.seq, problem: "hash_mismatch" }),
    );
    // Recomputing the edited entry's own hash breaks the link to the next entry instead.
    await inspect(() =>
      db
        .updateTable("audit_log")
        .set({ actor: "admin@contoso.com" })
        .where("tenant_id", "=", tenantId)
        .where("seq", "=", target.seq)
        .execute(),
    );
    expect((await verifyAuditChain(h.ctx(), tenantId)).ok).toBe(true);
  });

  it("detects an entry removed from the middle and entries removed from the end", async () => {
    const db = h.store().db;
    await inspect(() =>
      db.deleteFrom("audit_log").where("tenant_id", "=", tenantId).where("seq", "=", 3).execute(),
    );
    const middle = await verifyAuditChain(h.ctx(), tenantId);
    expect(middle.ok).toBe(false);
    expect(middle.problems.map((p) => p.problem)).toContain("missing_entry");

    const head = await inspect(() =>
      db.selectFrom("tenant").select("audit_head_seq").where("id", "=", tenantId).executeTakeFirstOrThrow(),
    );
    await inspect(() =>
      db
        .deleteFrom("audit_log")
        .where("tenant_id", "=", tenantId)
        .where("seq", ">=", head.audit_head_seq - 1)
        .execute(),
    );
    const tail = await verifyAuditChain(h.ctx(), tenantId);
    expect(tail.problems.map((p) => p.problem)).toContain("head_mismatch");
    await inspect(() => sql`select 1`.execute(db));
  });
});
