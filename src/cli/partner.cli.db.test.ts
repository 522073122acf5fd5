import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachEngine } from "../../test/helpers/engines";
import { startSmtpCapture, type SmtpCapture } from "../../test/helpers/smtp";
import { importDirectory } from "../services/directory.service";
import { createTenant } from "../services/tenant.service";
import { runCli } from "./program";

/** `kith partner` through the real command parser, on a store the suite prepared (both engines). */
describeEachEngine("kith partner CLI", (h) => {
  let smtp: SmtpCapture;
  let customerId: string;

  async function kith(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(
      args,
      { out: (s) => out.push(s), err: (s) => err.push(s) },
      { KITH_DATABASE_URL: h.url(), KITH_SMTP_URL: smtp.url, KITH_PUBLIC_URL: "http://kith.test" },
    );
    return { code, out: out.join(""), err: err.join("") };
  }

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    const ctx = h.ctx();
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
  });
  afterAll(async () => {
    await smtp.close();
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
      expect(edited.out).toContain("reviewers who are employees of the customer are mailed a link");
      expect(edited.out).not.toContain("sent");
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

  describe("kith partner request tells a partner nothing about another tenant (issue 12, item 9)", () => {
    const probes = () => [
      { target: "no-such-tenant", reviewers: ["ann@contoso.example", "bob@contoso.example"] },
      { target: customerId, reviewers: ["eve@evil.example", "mallory@evil.example"] },
      { target: customerId, reviewers: ["ann@contoso.example", "bob@contoso.example"] },
    ];
    const blind = (text: string, probe: { target: string; reviewers: string[] }) => {
      let out = text.replaceAll(probe.target, "<target>");
      probe.reviewers.forEach((r, i) => (out = out.replaceAll(r, `<reviewer${i + 1}>`)));
      return out
        .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<id>")
        .replace(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?Z?)?/g, "<time>")
        .replace(/ {2,}/g, " ");
    };
    const request = (probe: { target: string; reviewers: string[] }, ...extra: string[]) =>
      kith(
        "partner",
        "request",
        "--tenant",
        "northwind",
        "--by",
        "pa@northwind.example",
        "--target",
        probe.target,
        "--environment",
        "env-probe",
        "--purpose",
        "production",
        ...probe.reviewers.flatMap((r) => ["--reviewer", r]),
        ...extra,
      );

    it("prints the same refusal and the same request for a missing tenant, strangers and employees", async () => {
      const refusals = new Set<string>();
      const human = new Set<string>();
      const json = new Set<string>();
      for (const probe of probes()) {
        const refused = await request(probe);
        refusals.add(`${refused.code} ${blind(refused.err, probe)} ${refused.out}`);
        const made = await request(probe, "--confirm-employees");
        expect(made.code).toBe(0);
        human.add(blind(made.out, probe));
        const asJson = await request(probe, "--confirm-employees", "--json");
        json.add(blind(asJson.out, probe));
      }
      expect(refusals.size).toBe(1);
      expect([...refusals][0]).toMatch(/^3 .*confirm that the reviewers/);
      expect(human.size).toBe(1);
      expect([...human][0]).toContain("(not resolved until Allowed)");
      expect(json.size).toBe(1);
      expect([...json][0]).not.toMatch(/Contoso|directoryUser|deliver/);
      expect(smtp.messages.some((m) => m.to.some((to) => to.endsWith("@evil.example")))).toBe(false);
      // The customer's side shows which reviewer is not one of its users.
      const customerView = await kith("partner", "status", "--tenant", "contoso");
      expect(customerView.out).toMatch(
        /eve@evil\.example +pending +\(not in this tenant's directory: no link\)/,
      );
    });
  });
});
