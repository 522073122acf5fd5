import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachEngine, inspect } from "../../test/helpers/engines";
import { reviewLinkIn, startSmtpCapture, type SmtpCapture } from "../../test/helpers/smtp";
import { isKithError, type ErrorCode } from "../domain/errors";
import { listAudit } from "../store/audit.repository";
import { findUserByAddress } from "../store/directory.repository";
import { loadSignedInUser, type SignedInUser } from "./auth.service";
import type { ServiceContext } from "./context";
import { importDirectory } from "./directory.service";
import { createSmtpMailer, type Mailer } from "./mailer";
import {
  cancelPartnerRequest,
  createPartnerRequest,
  decideAsReviewer,
  decideByLink,
  dismissPartnerInsight,
  getPartnerRequest,
  listMyReviews,
  listRequestsOfPartner,
  listSharedWithPartners,
  readPartnerTelemetry,
  readReviewByLink,
  replacePartnerReviewer,
  resubmitPartnerRequest,
  revokePartnerRequest,
  type PartnerMailDeps,
} from "./partner.service";
import { createTenant } from "./tenant.service";

let smtp: SmtpCapture;
let mailer: Mailer;
beforeAll(async () => {
  smtp = await startSmtpCapture();
  mailer = createSmtpMailer(smtp.url, "Kith <kith@kith.test>");
});
afterAll(async () => {
  mailer.close();
  await smtp.close();
});

async function rejects(promise: Promise<unknown>, code: ErrorCode, message?: RegExp): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isKithError(error) ? error.code : error).toBe(code);
  if (message && isKithError(error)) expect(error.message).toMatch(message);
}

describeEachEngine("partner data sharing", (h) => {
  let mail: PartnerMailDeps;
  let partnerId: string;
  let customerId: string;
  let partner: { tenantId: string; email: string };
  const suffix = h.engine;
  const customerDomain = `contoso-${suffix}.example`;
  const at = (local: string) => `${local}@${customerDomain}`;

  async function customerUser(ctx: ServiceContext, local: string): Promise<SignedInUser> {
    const user = await findUserByAddress(ctx.store.db, customerId, at(local));
    return loadSignedInUser(ctx, customerId, user!);
  }

  beforeAll(async () => {
    const ctx = h.ctx();
    mail = { mailer, publicUrl: "http://kith.test", linkTtlMs: 7 * 86_400_000 };
    const p = await createTenant(ctx, {
      name: "Northwind Partners",
      slug: `northwind-${suffix}`,
      domains: [`northwind-${suffix}.example`],
    });
    const c = await createTenant(ctx, {
      name: "Contoso Ltd",
      slug: `contoso-${suffix}`,
      domains: [customerDomain],
      admin: { email: at("admin") },
    });
    partnerId = p.id;
    customerId = c.id;
    partner = { tenantId: partnerId, email: `pa@northwind-${suffix}.example` };
    await importDirectory(
      ctx,
      partnerId,
      {
        roles: [],
        groups: [],
        users: [
          {
            email: partner.email,
            name: "Pat Partner",
            externalId: null,
            aliases: [],
            guest: false,
            roles: ["Partner Administrator"],
            groups: [],
          },
        ],
      },
      [],
      "test",
    );
    const user = (local: string, extra: { aliases?: string[]; guest?: boolean } = {}) => ({
      email: at(local),
      name: local,
      externalId: null,
      aliases: extra.aliases ?? [],
      guest: extra.guest ?? false,
      roles: [],
      groups: [],
    });
    await importDirectory(
      ctx,
      customerId,
      {
        roles: [],
        groups: [],
        users: [
          user("ann", { aliases: [at("a.nn")] }),
          user("bob"),
          user("cy"),
          user("dee"),
          user("contractor", { guest: true }),
        ],
      },
      [],
      "test",
    );
  });

  const newRequest = (reviewers = [at("ann"), at("bob")], extra: object = {}) =>
    createPartnerRequest(h.ctx(), mail, partner, {
      targetTenantId: customerId,
      environmentId: "env-prod-1",
      purpose: "production",
      reviewers,
      confirmedEmployees: true,
      ...extra,
    });

  describe("validation", () => {
    const cases: [string, () => Promise<unknown>, RegExp][] = [
      ["one reviewer", () => newRequest([at("ann")]), /exactly two reviewers/],
      ["the same reviewer twice", () => newRequest([at("ann"), at("ann")]), /different people/],
      [
        "the requester as reviewer",
        () => newRequest([at("ann"), `pa@northwind-${suffix}.example`]),
        /cannot be the requester/,
      ],
      [
        "no employee confirmation",
        () => newRequest(undefined, { confirmedEmployees: false }),
        /confirm that the reviewers/,
      ],
      [
        "a non-production environment without project",
        () => newRequest(undefined, { purpose: "uat" }),
        /project name/,
      ],
      ["no tenant id", () => newRequest(undefined, { targetTenantId: "  " }), /tenant id/],
    ];
    it.each(cases)("refuses %s", async (_name, attempt, message) => {
      await rejects(attempt(), "validation_failed", message);
    });
  });

  describe("the requester's answer never depends on the customer's directory (issue 12, item 9)", () => {
    const strangers = ["eve@evil.example", "mallory@evil.example"];
    const unknownTenant = "5d1c0e4e-0000-4000-8000-00000000beef";
    /** The three probes: no such tenant; the tenant, reviewers not in it; the tenant, its users. */
    const probes = () =>
      [
        { name: "no such tenant", targetTenantId: unknownTenant, reviewers: [at("cy"), at("dee")] },
        { name: "non-member reviewers", targetTenantId: customerId, reviewers: strangers },
        { name: "member reviewers", targetTenantId: customerId, reviewers: [at("cy"), at("dee")] },
      ] as const;
    /** What may differ between probes by construction: ids, the named tenant, the typed addresses. */
    const blind = (value: unknown, probe: { targetTenantId: string; reviewers: readonly string[] }) => {
      let text = JSON.stringify(value);
      text = text.replaceAll(probe.targetTenantId, "<target>");
      probe.reviewers.forEach((r, i) => (text = text.replaceAll(r, `<reviewer${i + 1}>`)));
      return text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<id>");
    };
    const outcome = async (attempt: Promise<unknown>) =>
      attempt.then(
        (value) => ({ ok: true, value }),
        (error: unknown) =>
          isKithError(error)
            ? { ok: false, code: error.code, message: error.message, details: error.details }
            : { ok: false, error: String(error) },
      );

    it("refuses an unticked checkbox with the same error whatever the target", async () => {
      const answers = [];
      for (const probe of probes())
        answers.push(
          blind(
            await outcome(
              newRequest([...probe.reviewers], {
                targetTenantId: probe.targetTenantId,
                confirmedEmployees: false,
              }),
            ),
            probe,
          ),
        );
      expect(answers[0]).toContain("confirmedEmployees");
      expect(answers[0]).not.toMatch(/not a user|no tenant/);
      expect(new Set(answers).size).toBe(1);
    });

    it("creates the request, audits it on the requester's chain and answers alike; only the customer's directory decides who gets a link", async () => {
      const ctx = h.ctx();
      const answers: string[] = [];
      const listings: string[] = [];
      const audits: string[] = [];
      const ids: string[] = [];
      for (const probe of probes()) {
        const change = await newRequest([...probe.reviewers], { targetTenantId: probe.targetTenantId });
        ids.push(change.request.id);
        answers.push(blind(change.request, probe));
        listings.push(
          blind(
            {
              one: await getPartnerRequest(ctx, partnerId, change.request.id),
              listed: (await listRequestsOfPartner(ctx, partnerId)).find((r) => r.id === change.request.id),
              insights: await outcome(readPartnerTelemetry(ctx, partnerId, change.request.id)),
            },
            probe,
          ),
        );
        const entry = (
          await listAudit(ctx.store.db, partnerId, { limit: 20, action: "partner.requested" })
        ).find((e) => e.subject === change.request.id);
        audits.push(blind({ action: entry?.action, actor: entry?.actor, details: entry?.details }, probe));
        await change.invitations;
      }
      expect(new Set(answers).size).toBe(1);
      expect(JSON.parse(answers[0]!)).toMatchObject({ status: "pending", customerName: null });
      expect(answers[0]).not.toContain("Contoso");
      expect(new Set(listings).size).toBe(1);
      expect(listings[0]).toContain("consent_required");
      expect(new Set(audits).size).toBe(1);
      expect(audits[0]).not.toMatch(/NotInDirectory|evil/);

      // The customer's side: members got a link, strangers none; its administrators see which.
      const cy = await smtp.waitFor(at("cy"));
      await smtp.waitFor(at("dee"));
      expect(smtp.messages.some((m) => m.to.some((to) => strangers.includes(to)))).toBe(false);
      const shared = await listSharedWithPartners(ctx, customerId);
      const [, nonMembers, members] = ids.map((id) => shared.find((r) => r.id === id));
      expect(shared.some((r) => r.id === ids[0])).toBe(false);
      expect(nonMembers?.reviewers.map((r) => r.directoryUser)).toEqual([false, false]);
      expect(members?.reviewers.map((r) => r.directoryUser)).toEqual([true, true]);
      const customerEntry = (
        await listAudit(ctx.store.db, customerId, { limit: 50, action: "partner.requested" })
      ).find((e) => e.subject === ids[1]);
      expect(customerEntry?.details).toMatchObject({ reviewersNotInDirectory: strangers });
      // A member's link works as before.
      expect((await decideByLink(ctx, reviewLinkIn(cy).token, "approve")).status).toBe("pending");
    });

    it("a request naming one non-member can never become Allowed; the partner still cannot tell", async () => {
      const ctx = h.ctx();
      const { request, invitations } = await newRequest([at("bob"), "eve@evil.example"]);
      expect((await invitations).map((d) => d.to)).toEqual([at("bob")]);
      const bob = reviewLinkIn(await smtp.waitFor(at("bob")));
      expect((await decideByLink(ctx, bob.token, "approve")).status).toBe("pending");
      // Nobody in the customer can answer for the stranger's slot.
      for (const local of ["ann", "cy", "dee", "admin"])
        expect(
          (await listMyReviews(ctx, await customerUser(ctx, local))).some((r) => r.request.id === request.id),
        ).toBe(false);
      const seen = await getPartnerRequest(ctx, partnerId, request.id);
      expect(seen.reviewers.map((r) => [r.decision, "directoryUser" in r])).toEqual([
        ["approved", false],
        ["pending", false],
      ]);
      expect(seen.reviewers[1]?.linkExpiresAt).toEqual(seen.reviewers[0]?.linkExpiresAt);
    });

    it("one person named twice by alias, or a guest, gets one link at most: the request cannot become Allowed", async () => {
      const ctx = h.ctx();
      const alias = await newRequest([at("ann"), at("a.nn")]);
      expect((await alias.invitations).map((d) => d.slot)).toEqual([1]);
      const guest = await newRequest([at("dee"), at("contractor")]);
      expect((await guest.invitations).map((d) => d.to)).toEqual([at("dee")]);
      const ann = await customerUser(ctx, "ann");
      expect((await decideAsReviewer(ctx, ann, alias.request.id, "approve")).status).toBe("pending");
      await smtp.waitFor(at("ann"));
      await smtp.waitFor(at("dee"));
    });

    it("editing a reviewer answers alike for a stranger and for an employee", async () => {
      const ctx = h.ctx();
      const answers: string[] = [];
      for (const email of ["trudy@evil.example", at("ann")]) {
        const { request, invitations } = await newRequest([at("bob"), at("cy")]);
        await invitations;
        const edited = await replacePartnerReviewer(ctx, mail, partner, request.id, {
          slot: 2,
          email,
          confirmedEmployee: true,
        });
        answers.push(blind(edited.request, { targetTenantId: customerId, reviewers: [at("bob"), email] }));
        const sent = await edited.invitations;
        expect(sent.length).toBe(email === at("ann") ? 1 : 0);
      }
      expect(new Set(answers).size).toBe(1);
      await smtp.waitFor(at("ann"));
      for (let i = 0; i < 2; i++) {
        await smtp.waitFor(at("bob"));
        await smtp.waitFor(at("cy"));
      }
    });

    it("a slug names no tenant: the request goes nowhere and the customer never sees it", async () => {
      const ctx = h.ctx();
      const { request, invitations } = await newRequest(undefined, { targetTenantId: `contoso-${suffix}` });
      expect(request).toMatchObject({ status: "pending", customerName: null });
      expect(await invitations).toEqual([]);
      expect((await listSharedWithPartners(ctx, customerId)).some((r) => r.id === request.id)).toBe(false);
      // Cancel and resubmit work the same against a tenant that does not exist.
      expect((await cancelPartnerRequest(ctx, partner, request.id)).status).toBe("cancelled");
      const again = await resubmitPartnerRequest(ctx, mail, partner, request.id, {
        reviewers: [at("ann"), at("bob")],
        confirmedEmployees: true,
      });
      expect(again.request.status).toBe("pending");
      expect(await again.invitations).toEqual([]);
    });
  });

  it("is Not Applicable for the requester's own tenant, with the insights visible", async () => {
    const { request, invitations } = await createPartnerRequest(h.ctx(), mail, partner, {
      targetTenantId: partnerId,
      environmentId: "own-dev",
      purpose: "dev",
      project: "Internal",
      reviewers: [],
      confirmedEmployees: false,
    });
    expect(request.status).toBe("not_applicable");
    expect(request.customerName).toBe("Northwind Partners");
    expect(await invitations).toEqual([]);
    await expect(readPartnerTelemetry(h.ctx(), partnerId, request.id)).resolves.toMatchObject({
      windowDays: 30,
    });
  });

  it("mails both reviewers over SMTP; both approve by link; Allowed resolves the name and shows insights", async () => {
    const ctx = h.ctx();
    const { request, invitations } = await newRequest();
    expect((await invitations).map((d) => [d.to, d.sent])).toEqual([
      [at("ann"), true],
      [at("bob"), true],
    ]);
    expect(request.status).toBe("pending");
    expect(request.customerName).toBeNull();
    await rejects(readPartnerTelemetry(ctx, partnerId, request.id), "consent_required");

    const annMail = await smtp.waitFor(at("ann"));
    expect(annMail.subject).toBe("Approve data sharing with Northwind Partners?");
    expect(annMail.text).toContain("env-prod-1");
    const annLink = reviewLinkIn(annMail);
    expect(annLink.url.startsWith("http://kith.test/app/partner-review#token=")).toBe(true);
    const bobLink = reviewLinkIn(await smtp.waitFor(at("bob")));
    expect(annLink.token).not.toBe(bobLink.token);

    // Only a hash is stored.
    const rows = await inspect(() =>
      ctx.store.db.selectFrom("partner_reviewer").select("link_hash").execute(),
    );
    expect(rows.some((r) => r.link_hash && annLink.token.includes(r.link_hash))).toBe(false);

    const review = await readReviewByLink(ctx, annLink.token);
    expect(review.reviewer.email).toBe(at("ann"));
    expect(review.request.customerName).toBe("Contoso Ltd");
    expect(review.canDecide).toBe(true);

    expect((await decideByLink(ctx, annLink.token, "approve")).status).toBe("pending");
    await rejects(decideByLink(ctx, annLink.token, "approve"), "not_authenticated", /already used/);
    const allowed = await decideByLink(ctx, bobLink.token, "approve");
    expect(allowed.status).toBe("allowed");
    expect(allowed.customerName).toBe("Contoso Ltd");

    // Seed telemetry in the customer's environment: one failed import today.
    h.setNow("2026-06-01T12:00:00Z");
    // Rows as the ingest pipeline writes them (finishBatch stamps the wall clock, not the test's).
    const batchRow = (id: string, status: string, hour: number, summary: object) => ({
      tenant_id: customerId,
      id,
      kind: "import",
      label: "/mail/someone@contoso.example.mbox",
      status,
      started_at: Date.parse(`2026-06-01T0${hour}:00:00Z`),
      finished_at: Date.parse(`2026-06-01T0${hour}:05:00Z`),
      summary: JSON.stringify(summary),
      checkpoint: null,
    });
    await inspect(() =>
      ctx.store.db
        .insertInto("ingest_batch")
        .values([
          batchRow(`b-ok-${suffix}`, "done", 8, { read: 100, rejected: 1 }),
          batchRow(`b-bad-${suffix}`, "failed", 9, { read: 0, failure: "disk full" }),
        ])
        .execute(),
    );
    const telemetry = await readPartnerTelemetry(ctx, partnerId, request.id);
    const failure = telemetry.insights.find((i) => i.rule === "ingest-failures");
    expect(failure).toMatchObject({ impact: "medium", category: "ingest", scope: "ingest" });
    expect(failure?.detail).toHaveLength(30);
    expect(JSON.stringify(telemetry.insights)).not.toMatch(/mbox|@/);
    await dismissPartnerInsight(ctx, partner, request.id, failure!.id);
    const after = await readPartnerTelemetry(ctx, partnerId, request.id);
    expect(after.insights.some((i) => i.id === failure!.id)).toBe(false);

    // The customer sees it and revokes; the partner loses the name and the insights.
    const admin = await customerUser(ctx, "admin");
    const shared = await listSharedWithPartners(ctx, customerId);
    expect(shared.find((s) => s.id === request.id)?.partnerName).toBe("Northwind Partners");
    const revoked = await revokePartnerRequest(ctx, admin, request.id);
    expect(revoked.status).toBe("not_allowed");
    expect(revoked.closedReason).toBe("revoked");
    const [own] = (await listRequestsOfPartner(ctx, partnerId)).filter((r) => r.id === request.id);
    expect(own?.customerName).toBeNull();
    await rejects(readPartnerTelemetry(ctx, partnerId, request.id), "consent_required");
    await rejects(revokePartnerRequest(ctx, admin, request.id), "conflict");

    // Every step is on both audit chains.
    for (const tenantId of [partnerId, customerId]) {
      const actions = (await listAudit(ctx.store.db, tenantId, { limit: 100, action: "partner." }))
        .filter((e) => e.subject === request.id)
        .map((e) => e.action)
        .reverse();
      expect(actions).toEqual([
        "partner.requested",
        "partner.approved",
        "partner.approved",
        "partner.revoked",
      ]);
    }
  });

  it("a rejection is terminal: Not Allowed, the other link dies, a new request is needed", async () => {
    const ctx = h.ctx();
    const { request } = await newRequest([at("cy"), at("dee")]);
    const cy = reviewLinkIn(await smtp.waitFor(at("cy")));
    const dee = reviewLinkIn(await smtp.waitFor(at("dee")));
    const rejected = await decideByLink(ctx, cy.token, "reject");
    expect(rejected.status).toBe("not_allowed");
    expect(rejected.reviewers.map((r) => r.decision)).toEqual(["rejected", "cancelled"]);
    await rejects(decideByLink(ctx, dee.token, "approve"), "conflict", /submit a new request/);
    await rejects(cancelPartnerRequest(ctx, partner, request.id), "conflict");
  });

  it("cancel withdraws both links; resubmit with edited reviewers mails them afresh", async () => {
    const ctx = h.ctx();
    const { request } = await newRequest([at("ann"), at("bob")]);
    const ann = reviewLinkIn(await smtp.waitFor(at("ann")));
    await smtp.waitFor(at("bob"));
    const cancelled = await cancelPartnerRequest(ctx, partner, request.id);
    expect(cancelled.status).toBe("cancelled");
    expect(cancelled.reviewers.map((r) => r.decision)).toEqual(["cancelled", "cancelled"]);
    await rejects(decideByLink(ctx, ann.token, "approve"), "conflict");
    await rejects(
      resubmitPartnerRequest(ctx, mail, partner, request.id, {
        reviewers: [at("ann"), at("cy")],
        confirmedEmployees: false,
      }),
      "validation_failed",
    );
    const { request: again, invitations } = await resubmitPartnerRequest(ctx, mail, partner, request.id, {
      reviewers: [at("ann"), at("cy")],
      confirmedEmployees: true,
    });
    expect(again.status).toBe("pending");
    expect(again.reviewers.map((r) => [r.email, r.decision])).toEqual([
      [at("ann"), "pending"],
      [at("cy"), "pending"],
    ]);
    expect((await invitations).every((d) => d.sent)).toBe(true);
    await rejects(decideByLink(ctx, ann.token, "approve"), "not_authenticated", /withdrawn/);
    const fresh = reviewLinkIn(await smtp.waitFor(at("ann")));
    expect((await decideByLink(ctx, fresh.token, "approve")).status).toBe("pending");
    await smtp.waitFor(at("cy"));
  });

  it("edit reviewer: the old link dies, the new reviewer is mailed, the other approval stands", async () => {
    const ctx = h.ctx();
    const { request } = await newRequest([at("bob"), at("cy")]);
    const bob = reviewLinkIn(await smtp.waitFor(at("bob")));
    const cy = reviewLinkIn(await smtp.waitFor(at("cy")));
    await decideByLink(ctx, bob.token, "approve");
    await rejects(
      replacePartnerReviewer(ctx, mail, partner, request.id, {
        slot: 2,
        email: at("bob"),
        confirmedEmployee: true,
      }),
      "validation_failed",
      /different people/,
    );
    await rejects(
      replacePartnerReviewer(ctx, mail, partner, request.id, {
        slot: 2,
        email: at("dee"),
        confirmedEmployee: false,
      }),
      "validation_failed",
      /confirm/,
    );
    const { request: edited, invitations } = await replacePartnerReviewer(ctx, mail, partner, request.id, {
      slot: 2,
      email: at("dee"),
      confirmedEmployee: true,
    });
    expect(await invitations).toEqual([{ slot: 2, to: at("dee"), sent: true }]);
    expect(edited.reviewers.map((r) => [r.email, r.decision])).toEqual([
      [at("bob"), "approved"],
      [at("dee"), "pending"],
    ]);
    await rejects(decideByLink(ctx, cy.token, "approve"), "not_authenticated", /withdrawn/);

    // Dee answers from the data-consent page while signed in; that spends her emailed link too.
    const dee = await customerUser(ctx, "dee");
    const reviews = await listMyReviews(ctx, dee);
    expect(reviews.find((r) => r.request.id === request.id)).toMatchObject({ slot: 2, canDecide: true });
    const deeLink = reviewLinkIn(await smtp.waitFor(at("dee")));
    const allowed = await decideAsReviewer(ctx, dee, request.id, "approve");
    expect(allowed.status).toBe("allowed");
    await rejects(decideByLink(ctx, deeLink.token, "approve"), "not_authenticated", /already used/);
    // Someone who is not a reviewer cannot answer.
    await rejects(decideAsReviewer(ctx, await customerUser(ctx, "cy"), request.id, "approve"), "not_found");
    const audit = (
      await listAudit(ctx.store.db, customerId, { limit: 100, action: "partner.reviewer_replaced" })
    ).find((e) => e.subject === request.id);
    expect(audit?.details).toMatchObject({
      slot: 2,
      from: at("cy"),
      to: at("dee"),
      confirmedEmployees: true,
    });
  });

  it("links expire", async () => {
    const ctx = h.ctx();
    h.setNow("2026-06-01T12:00:00Z");
    await newRequest([at("ann"), at("dee")]);
    const ann = reviewLinkIn(await smtp.waitFor(at("ann")));
    await smtp.waitFor(at("dee"));
    h.setNow("2026-06-09T12:00:00Z");
    await rejects(readReviewByLink(ctx, ann.token), "not_authenticated", /expired/);
    await rejects(decideByLink(ctx, "nonsense", "approve"), "not_authenticated", /not valid/);
    h.setNow("2026-06-01T12:00:00Z");
  });

  it("another tenant cannot see or act on the request", async () => {
    const ctx = h.ctx();
    const { request } = await newRequest([at("ann"), at("bob")]);
    await smtp.waitFor(at("ann"));
    await smtp.waitFor(at("bob"));
    const stranger = { tenantId: customerId, email: at("admin") };
    await rejects(cancelPartnerRequest(ctx, stranger, request.id), "not_found");
    await rejects(readPartnerTelemetry(ctx, customerId, request.id), "not_found");
  });
});
