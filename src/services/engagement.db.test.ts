/**
 * Differentially private account engagement through the service, on both engines: the
 * differencing attack of issue 12, repeated questions, averaging over fresh releases against the
 * budget, concurrency, and what a withdrawal does to releases.
 */
import { beforeAll, expect, it } from "vitest";
import { createTenantWithUsers, directoryUser } from "../../test/helpers/directory";
import { describeEachEngine, inspect } from "../../test/helpers/engines";
import type { EmailRecord, SourceRecord } from "../domain/interaction";
import { isKithError } from "../domain/errors";
import { grantConsent, setDataSharing, withdrawConsent } from "./consent.service";
import { accountEngagement, parsePeriod, type EngagementAnswer } from "./engagement.service";
import { importRecords } from "./ingest.service";

const day = 86_400_000;
let seq = 0;
function email(at: number, from: string, to: string[]): EmailRecord {
  seq++;
  return {
    type: "email",
    position: { file: "generated", record: seq },
    messageId: `m${seq}@engagement.test`,
    conversationId: null,
    inReplyTo: null,
    sentAt: new Date(at),
    from: { address: from },
    to: to.map((address) => ({ address })),
    cc: [],
    subject: null,
    owner: null,
    folder: null,
    noise: {},
  };
}

/** Six colleagues, each sending 3 emails to `domain` and receiving 3 from it in May 2026. */
function sixColleaguesMail(domain: string, colleagues: string[]): SourceRecord[] {
  const buyer = `buyer@${domain}`;
  return colleagues.flatMap((c, i) =>
    [0, 1, 2].flatMap((n) => {
      const at = Date.UTC(2026, 4, 2 + n * 7, 9 + i);
      return [email(at, c, [buyer]), email(at + 3_600_000, buyer, [c])];
    }),
  );
}

async function refusal(
  promise: Promise<unknown>,
): Promise<{ code: string; details: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    if (isKithError(error)) return { code: error.code, details: error.details };
    throw error;
  }
  throw new Error("expected a refusal");
}

const numbers = (a: EngagementAnswer) => ({ engagement: a.engagement, releasedAt: a.release.releasedAt });

describeEachEngine("account engagement releases", (h) => {
  const admin = "admin@contoso.com";
  const seller = "seller@contoso.com";
  const colleagues = ["c1", "c2", "c3", "c4", "c5", "c6"].map((c) => `${c}@contoso.com`);
  const may = parsePeriod("month:2026-05");
  const start = Date.UTC(2026, 5, 3, 9);
  let tenantId = "";

  beforeAll(async () => {
    h.setNow(new Date(start));
    const ctx = h.ctx();
    tenantId = await createTenantWithUsers(
      ctx,
      { name: "Contoso", slug: "contoso", domain: "contoso.com", admin },
      [seller, ...colleagues].map((e) => directoryUser(e)),
    );
    await grantConsent(ctx, tenantId, "aggregated", admin);
    const summary = await importRecords(ctx, tenantId, [
      {
        name: "generated",
        records: [
          ...sixColleaguesMail("fabrikam.com", colleagues),
          ...sixColleaguesMail("northwind.com", colleagues),
          ...sixColleaguesMail("tailspin.com", colleagues),
          ...sixColleaguesMail("litware.com", colleagues),
        ],
      },
    ]);
    expect(summary.status).toBe("done");
  });

  it("answers the same numbers before and after a colleague opts out (the differencing attack)", async () => {
    h.setNow(new Date(start));
    const ctx = h.ctx();
    const before = await accountEngagement(ctx, tenantId, "fabrikam.com", may, seller);
    expect(before.release).toMatchObject({ generation: 1, fresh: true, stale: false, epsilon: 2 });
    for (const figure of ["emailsToAccount", "emailsFromAccount", "ourPeopleInvolved"] as const)
      expect(before.engagement.figures[figure]).toMatchObject({ noised: true });

    await setDataSharing(ctx, tenantId, colleagues[5]!, false);
    const after = await accountEngagement(ctx, tenantId, "fabrikam.com", may, colleagues[0]!);
    const asOperator = await accountEngagement(ctx, tenantId, "fabrikam.com", may, null);
    expect(numbers(after)).toEqual(numbers(before));
    expect(numbers(asOperator)).toEqual(numbers(before));
    expect(after.release).toMatchObject({ fresh: false, generation: 1 });
    expect(after.privacyBudget.epsilonSpent).toBe(before.privacyBudget.epsilonSpent);
  });

  it("repeats a question 1,000 times for the ε of one release, with identical numbers", async () => {
    h.setNow(new Date(start));
    const ctx = h.ctx();
    const first = await accountEngagement(ctx, tenantId, "northwind.com", may, seller);
    expect(first.release.fresh).toBe(true);
    for (let i = 0; i < 1000; i++) {
      const again = await accountEngagement(ctx, tenantId, "northwind.com", may, i % 2 ? seller : null);
      expect(numbers(again)).toEqual(numbers(first));
      expect(again.privacyBudget.epsilonSpent).toBe(first.privacyBudget.epsilonSpent);
    }
  }, 180_000);

  it("refreshes an unsettled period at most weekly, with fresh noise, and keeps published figures published", async () => {
    const ctx = h.ctx();
    h.setNow(new Date(start));
    const first = await accountEngagement(ctx, tenantId, "tailspin.com", may, seller);
    expect(first.engagement.figures.emailsToAccount).toMatchObject({ noised: true });
    // Down to 4 colleagues: below k now, but turning published figures into "suppressed" would
    // tell that someone behind them left.
    await setDataSharing(ctx, tenantId, colleagues[4]!, false);
    const releases = [first];
    // Asked every day for six weeks: a fresh release only when the last one expired, then none.
    for (let d = 1; d <= 42; d++) {
      h.setNow(new Date(start + d * day));
      const a = await accountEngagement(ctx, tenantId, "tailspin.com", may, seller);
      if (a.release.fresh) releases.push(a);
    }
    expect(releases.map((r) => r.release.generation)).toEqual([1, 2, 3, 4, 5]);
    expect(releases.at(-1)?.release.expiresAt).toBeNull();
    const gaps = releases
      .slice(1)
      .map((r, i) => Date.parse(r.release.releasedAt) - Date.parse(releases[i]!.release.releasedAt));
    expect(gaps.every((g) => g >= 7 * day)).toBe(true);
    // Every release is still published, each with its own noise: the exact counts (12 each way
    // from the four colleagues left) are not what they all show.
    for (const r of releases) {
      expect(r.engagement.figures.emailsToAccount).toMatchObject({ noised: true });
      expect(r.engagement.figures.ourPeopleInvolved).toMatchObject({ noised: true });
    }
    const shown = releases
      .slice(1)
      .map(
        (r) =>
          `${r.engagement.figures.emailsToAccount.value}/${r.engagement.figures.emailsFromAccount.value}`,
      );
    expect(shown.every((s) => s === "12/12")).toBe(false);
  });

  it("answers two simultaneous first questions with one release and one spend", async () => {
    h.setNow(new Date(start));
    const ctx = h.ctx();
    const spentBefore = (await accountEngagement(ctx, tenantId, "fabrikam.com", may, null)).privacyBudget
      .epsilonSpent;
    const week = parsePeriod("week:2026-05-2");
    const [a, b] = await Promise.all([
      accountEngagement(ctx, tenantId, "litware.com", week, seller),
      accountEngagement(ctx, tenantId, "litware.com", week, null),
    ]);
    expect(numbers(a)).toEqual(numbers(b));
    expect([a.release.fresh, b.release.fresh].filter(Boolean)).toHaveLength(1);
    const after = await accountEngagement(ctx, tenantId, "litware.com", week, null);
    expect(after.privacyBudget.epsilonSpent).toBe(spentBefore + 2);
  });

  it("bounds averaging by the budget: once spent, no fresh release anywhere and never exact figures", async () => {
    h.setNow(new Date(start));
    const ctx = h.ctx();
    const spent = async () =>
      (await accountEngagement(ctx, tenantId, "fabrikam.com", may, null)).privacyBudget.epsilonSpent;
    // Burn the budget on closed cells (empty ones cost a release too) at the largest ε allowed.
    const made: string[] = [];
    let refused: { code: string; details: Record<string, unknown> } | null = null;
    for (let m = 1; m <= 12 && refused === null; m++) {
      for (const w of [1, 2, 3, 4]) {
        const period = `week:2025-${String(m).padStart(2, "0")}-${w}`;
        try {
          await accountEngagement(ctx, tenantId, "fabrikam.com", parsePeriod(period), null, { epsilon: 10 });
          made.push(period);
        } catch (error) {
          if (!isKithError(error)) throw error;
          refused = { code: error.code, details: error.details };
          break;
        }
      }
    }
    expect(refused).toMatchObject({
      code: "conflict",
      details: { reason: "privacy_budget_exhausted", epsilonBudget: 100 },
    });
    expect(await spent()).toBeLessThanOrEqual(100);
    expect(made.length).toBeLessThanOrEqual(10);

    // The averaging attack: ask for the same cell again and again as releases expire. Fresh noise
    // only while the budget pays for it; after that the last release, unchanged.
    const left = (await accountEngagement(ctx, tenantId, "fabrikam.com", may, null)).privacyBudget;
    expect(left.epsilonRemaining).toBeLessThan(10);
    const answers: EngagementAnswer[] = [];
    for (let d = 8; d <= 60; d++) {
      h.setNow(new Date(start + d * day));
      answers.push(await accountEngagement(ctx, tenantId, "northwind.com", may, seller));
    }
    const fresh = answers.filter((a) => a.release.fresh);
    expect(fresh.length).toBeLessThanOrEqual(Math.floor(left.epsilonRemaining / left.releaseEpsilon));
    const lastFresh = answers.lastIndexOf(fresh.at(-1) ?? answers[0]!);
    for (const a of answers.slice(lastFresh)) expect(a.engagement).toEqual(answers[lastFresh]!.engagement);
    expect(answers.some((a) => a.release.stale)).toBe(true);
    expect(await spent()).toBeLessThanOrEqual(100);
    // A cell never released is refused outright.
    expect(await refusal(accountEngagement(ctx, tenantId, "litware.com", may, seller))).toMatchObject({
      code: "conflict",
      details: { reason: "privacy_budget_exhausted" },
    });
  });

  it("refuses ε 0, negative, above the maximum, and open periods", async () => {
    h.setNow(new Date(start));
    const ctx = h.ctx();
    for (const epsilon of [0, -1, Number.NaN, 11, Number.POSITIVE_INFINITY])
      expect(
        (await refusal(accountEngagement(ctx, tenantId, "fabrikam.com", may, null, { epsilon }))).code,
      ).toBe("validation_failed");
    expect(
      (await refusal(accountEngagement(ctx, tenantId, "fabrikam.com", parsePeriod("month:2026-06"), null)))
        .code,
    ).toBe("validation_failed");
  });

  it("drops releases with the data when the last collection consent is withdrawn, keeping the ledger", async () => {
    h.setNow(new Date(start + 60 * day));
    const ctx = h.ctx();
    const count = async () =>
      (
        await inspect(() =>
          ctx.store.db
            .selectFrom("engagement_release")
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .where("tenant_id", "=", tenantId)
            .executeTakeFirstOrThrow(),
        )
      ).n;
    expect(Number(await count())).toBeGreaterThan(0);
    const withdrawal = await withdrawConsent(ctx, tenantId, "aggregated", admin);
    expect(withdrawal.receipt?.counts.engagementReleases).toBeGreaterThan(0);
    expect(Number(await count())).toBe(0);
    expect((await refusal(accountEngagement(ctx, tenantId, "fabrikam.com", may, seller))).code).toBe(
      "consent_required",
    );
    const ledger = await inspect(() =>
      ctx.store.db
        .selectFrom("engagement_privacy")
        .select("spent_micro")
        .where("tenant_id", "=", tenantId)
        .executeTakeFirstOrThrow(),
    );
    expect(Number(ledger.spent_micro)).toBeGreaterThan(90_000_000);
  });
});
