import { beforeAll, expect, it } from "vitest";
import { createTenantWithUsers, directoryUser } from "../../test/helpers/directory";
import { describeEachEngine, inspect } from "../../test/helpers/engines";
import type { EmailRecord } from "../domain/interaction";
import { startSession, type NewSession } from "../services/auth.service";
import { grantConsent, setDataSharing } from "../services/consent.service";
import { importRecords } from "../services/ingest.service";
import { findUserByAddress } from "../store/directory.repository";
import { asSession, errorCode, testConfig, type App } from "./api.fixture";
import { buildApp } from "./app";

/** GET /api/accounts/:account/engagement on both engines: noised by default, one release for all. */
describeEachEngine("engagement API", (h) => {
  let app: App;
  let tenantId = "";
  let seller: NewSession;
  let admin: NewSession;
  const colleagues = ["c1", "c2", "c3", "c4", "c5", "c6"].map((c) => `${c}@contoso.com`);
  const get = (session: NewSession, account: string, period: string) =>
    app.inject(
      asSession(session, {
        method: "GET",
        url: `/api/accounts/${account}/engagement?period=${encodeURIComponent(period)}`,
      }),
    );

  beforeAll(async () => {
    h.setNow("2026-06-03T09:00:00Z");
    const ctx = h.ctx();
    tenantId = await createTenantWithUsers(
      ctx,
      { name: "Contoso", slug: "contoso", domain: "contoso.com", admin: "admin@contoso.com" },
      ["seller@contoso.com", ...colleagues].map((e) => directoryUser(e)),
    );
    await grantConsent(ctx, tenantId, "aggregated", "admin@contoso.com");
    let n = 0;
    const mail = (at: number, from: string, to: string): EmailRecord => ({
      type: "email",
      position: { file: "generated", record: ++n },
      messageId: `m${n}@api.test`,
      conversationId: null,
      inReplyTo: null,
      sentAt: new Date(at),
      from: { address: from },
      to: [{ address: to }],
      cc: [],
      subject: null,
      owner: null,
      folder: null,
      noise: {},
    });
    const records = colleagues.flatMap((c, i) =>
      [0, 1, 2].flatMap((k) => {
        const at = Date.UTC(2026, 4, 2 + 7 * k, 9 + i);
        return [mail(at, c, "buyer@fabrikam.com"), mail(at + 3_600_000, "buyer@fabrikam.com", c)];
      }),
    );
    expect((await importRecords(ctx, tenantId, [{ name: "generated", records }])).status).toBe("done");
    const session = async (email: string) =>
      startSession(
        ctx,
        tenantId,
        (await findUserByAddress(ctx.store.db, tenantId, email))!,
        "link",
        3_600_000,
      );
    seller = await session("seller@contoso.com");
    admin = await session("admin@contoso.com");
    app = await buildApp({ ctx, config: testConfig() });
  });

  it("noises every published figure, answers everyone from one release, and shows the budget to administrators only", async () => {
    const first = await get(seller, "fabrikam.com", "month:2026-05");
    expect(first.statusCode, first.body).toBe(200);
    const body = first.json<{
      engagement: { period: string; figures: Record<string, { value: number | null; noised?: boolean }> };
      release: { fresh: boolean; epsilon: number };
      privacyBudget?: unknown;
    }>();
    expect(body.engagement.period).toBe("month:2026-05");
    for (const f of ["emailsToAccount", "emailsFromAccount", "ourPeopleInvolved", "theirPeopleInvolved"])
      expect(body.engagement.figures[f], f).toMatchObject({ noised: true });
    expect(body.release).toMatchObject({ fresh: true, epsilon: 2 });
    expect(body.privacyBudget).toBeUndefined();

    await setDataSharing(h.ctx(), tenantId, colleagues[0]!, false);
    const asAdmin = await get(admin, "fabrikam.com", "month:2026-05");
    expect(asAdmin.statusCode, asAdmin.body).toBe(200);
    const adminBody = asAdmin.json<typeof body>();
    expect(adminBody.engagement).toEqual(body.engagement);
    expect(adminBody.release.fresh).toBe(false);
    expect(adminBody.privacyBudget).toMatchObject({
      epsilonBudget: 100,
      epsilonSpent: 2,
      epsilonRemaining: 98,
    });
  });

  it("refuses a never-released period once the budget is spent (409), and still answers released ones", async () => {
    await inspect(() =>
      h
        .store()
        .db.updateTable("engagement_privacy")
        .set({ spent_micro: 99_500_000 })
        .where("tenant_id", "=", tenantId)
        .execute(),
    );
    const refused = await get(seller, "fabrikam.com", "month:2026-04");
    expect(refused.statusCode).toBe(409);
    expect(errorCode(refused)).toBe("conflict");
    expect(refused.body).toMatch(/privacy budget/);
    expect(refused.body).not.toMatch(/at \w+ \(/); // no stack trace
    expect((await get(seller, "fabrikam.com", "month:2026-05")).statusCode).toBe(200);
  });

  it("refuses open periods and malformed ones with a clear 400", async () => {
    for (const period of ["month:2026-06", "month:2026-13", "2026-05"]) {
      const r = await get(seller, "fabrikam.com", period);
      expect(r.statusCode, period).toBe(400);
      expect(errorCode(r)).toBe("validation_failed");
    }
  });
});
