import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSmtpCapture, type SmtpCapture } from "../../test/helpers/smtp";
import { createContext } from "../services/context";
import { importDirectory } from "../services/directory.service";
import { createTenant } from "../services/tenant.service";
import { openStore } from "../store/store";
import { runCli } from "./program";

let dir: string;
let databaseUrl: string;
let smtp: SmtpCapture;
let customerId: string;

async function kith(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    args,
    { out: (s) => out.push(s), err: (s) => err.push(s) },
    { KITH_DATABASE_URL: databaseUrl, KITH_SMTP_URL: smtp.url, KITH_PUBLIC_URL: "http://kith.test" },
  );
  return { code, out: out.join(""), err: err.join("") };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "kith-partner-cli-"));
  databaseUrl = join(dir, "kith.db");
  smtp = await startSmtpCapture();
  const store = await openStore(databaseUrl);
  const ctx = createContext(store);
  const partner = await createTenant(ctx, { name: "Northwind", domains: ["northwind.example"] });
  const customer = await createTenant(ctx, {
    name: "Contoso",
    domains: ["contoso.example"],
    admin: { email: "admin@contoso.example" },
  });
  customerId = customer.id;
  const user = (email: string, roles: string[] = []) => ({
    email,
    name: email,
    externalId: null,
    aliases: [],
    guest: false,
    roles,
    groups: [],
  });
  await importDirectory(
    ctx,
    partner.id,
    { roles: [], groups: [], users: [user("pa@northwind.example", ["Partner Administrator"])] },
    [],
    "test",
  );
  await importDirectory(
    ctx,
    customer.id,
    {
      roles: [],
      groups: [],
      users: [user("ann@contoso.example"), user("bob@contoso.example"), user("cy@contoso.example")],
    },
    [],
    "test",
  );
  await store.close();
});
afterAll(async () => {
  await smtp.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("kith partner", () => {
  it("requests, shows status, edits a reviewer, cancels; revoke needs Allowed", async () => {
    const base = ["--tenant", "northwind", "--by", "pa@northwind.example"];
    const refused = await kith(
      "partner",
      "request",
      ...base,
      "--target",
      customerId,
      "--environment",
      "env-1",
      "--purpose",
      "production",
      "--reviewer",
      "ann@contoso.example",
    );
    expect(refused.code).toBe(3);
    expect(refused.err).toContain("exactly two reviewers");
    expect(refused.err).toContain("confirm that the reviewers");

    const notAdmin = await kith(
      "partner",
      "request",
      "--tenant",
      "contoso",
      "--by",
      "ann@contoso.example",
      "--target",
      customerId,
      "--environment",
      "e",
      "--purpose",
      "production",
    );
    expect(notAdmin.code).toBe(4);

    const made = await kith(
      "partner",
      "request",
      ...base,
      "--target",
      customerId,
      "--environment",
      "env-1",
      "--purpose",
      "sandbox",
      "--project",
      "Pilot",
      "--reviewer",
      "ann@contoso.example",
      "--reviewer",
      "bob@contoso.example",
      "--confirm-employees",
      "--json",
    );
    expect(made.code).toBe(0);
    const { request } = JSON.parse(made.out) as { request: { id: string; status: string } };
    expect(request.status).toBe("pending");
    await smtp.waitFor("ann@contoso.example");
    await smtp.waitFor("bob@contoso.example");

    const edited = await kith(
      "partner",
      "edit-reviewer",
      request.id,
      ...base,
      "--slot",
      "2",
      "--email",
      "cy@contoso.example",
      "--confirm-employee",
    );
    expect(edited.code).toBe(0);
    expect(edited.out).toContain("mail to cy@contoso.example: sent");
    await smtp.waitFor("cy@contoso.example");

    const status = await kith("partner", "status", "--tenant", "northwind");
    expect(status.out).toContain("Pending");
    expect(status.out).toContain("(not resolved until Allowed)");
    const customerView = await kith("partner", "status", "--tenant", "contoso", "--json");
    expect(
      (JSON.parse(customerView.out) as { sharedWithPartners: unknown[] }).sharedWithPartners,
    ).toHaveLength(1);

    expect((await kith("partner", "cancel", request.id, ...base)).out).toContain("Cancelled");
    const revoke = await kith(
      "partner",
      "revoke",
      request.id,
      "--tenant",
      "contoso",
      "--by",
      "admin@contoso.example",
    );
    expect(revoke.code).toBe(6);
    expect(revoke.err).toContain("only an Allowed request can be revoked");
  });
});
