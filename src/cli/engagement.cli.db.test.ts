import { beforeAll, expect, it } from "vitest";
import { createTenantWithUsers, directoryUser } from "../../test/helpers/directory";
import { describeEachEngine } from "../../test/helpers/engines";
import type { EmailRecord } from "../domain/interaction";
import { grantConsent } from "../services/consent.service";
import { importRecords } from "../services/ingest.service";
import { runCli } from "./program";

/**
 * `kith engagement` through the real command parser, on both engines: noise by default, the budget
 * in --json, no way to turn noise off.
 */
describeEachEngine("kith engagement", (h) => {
  const env = () => ({ KITH_DATABASE_URL: h.url() });
  const colleagues = ["c1", "c2", "c3", "c4", "c5", "c6"].map((c) => `${c}@contoso.com`);

  async function kith(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const line = (s: string) => (s.endsWith("\n") ? s : `${s}\n`);
    const code = await runCli(args, { out: (s) => out.push(line(s)), err: (s) => err.push(line(s)) }, env());
    return { code, out: out.join(""), err: err.join("") };
  }
  interface Answer {
    engagement: { figures: Record<string, { value: number | null; noised?: boolean }> };
    release: { fresh: boolean; epsilon: number; generation: number };
    privacyBudget: { epsilonBudget: number; epsilonSpent: number; epsilonRemaining: number };
  }
  const engagement = async (...args: string[]): Promise<Answer> => {
    const r = await kith("engagement", "fabrikam.com", "--tenant", "contoso", ...args, "--json");
    expect(r.code, r.err).toBe(0);
    return JSON.parse(r.out) as Answer;
  };

  beforeAll(async () => {
    const ctx = h.ctx();
    const tenantId = await createTenantWithUsers(
      ctx,
      { name: "Contoso", slug: "contoso", domain: "contoso.com", admin: "admin@contoso.com" },
      colleagues.map((c) => directoryUser(c)),
    );
    await grantConsent(ctx, tenantId, "aggregated", "admin@contoso.com");
    let n = 0;
    const mail = (at: number, from: string, to: string): EmailRecord => ({
      type: "email",
      position: { file: "generated", record: ++n },
      messageId: `m${n}@cli.test`,
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
        const at = Date.UTC(2024, 2, 2 + 7 * k, 9 + i);
        return [mail(at, c, "buyer@fabrikam.com"), mail(at + 3_600_000, "buyer@fabrikam.com", c)];
      }),
    );
    expect((await importRecords(ctx, tenantId, [{ name: "generated", records }])).status).toBe("done");
  });

  it("noises by default, shows the budget, and answers again from the release, also after an opt-out", async () => {
    const first = await engagement("--period", "month:2024-03");
    for (const f of ["emailsToAccount", "emailsFromAccount", "ourPeopleInvolved"])
      expect(first.engagement.figures[f]).toMatchObject({ noised: true });
    expect(first.release).toMatchObject({ fresh: true, epsilon: 2, generation: 1 });
    expect(first.privacyBudget).toMatchObject({ epsilonBudget: 100, epsilonSpent: 2, epsilonRemaining: 98 });

    const optOut = await kith("privacy", "set-sharing", colleagues[5]!, "off", "--tenant", "contoso");
    expect(optOut.code, optOut.err).toBe(0);
    const again = await engagement("--period", "month:2024-03");
    expect(again.engagement).toEqual(first.engagement);
    expect(again.release.fresh).toBe(false);
    expect(again.privacyBudget.epsilonSpent).toBe(2);

    const text = await kith("engagement", "fabrikam.com", "--tenant", "contoso", "--period", "month:2024-03");
    expect(text.code, text.err).toBe(0);
    expect(text.out).toMatch(/differentially private/);
    expect(text.out).toMatch(/emailsToAccount\s+\d+ ±\d/);
    expect(text.out).toMatch(/ε budget: 2 of 100 spent/);
  });

  it("takes --noise as the ε of a fresh release, never 0 or off", async () => {
    for (const bad of ["0", "off", "-1", "11", ""]) {
      const r = await kith(
        "engagement",
        "fabrikam.com",
        "--tenant",
        "contoso",
        "--period",
        "week:2024-03-1",
        "--noise",
        bad,
      );
      expect(r.code, `--noise "${bad}"`).toBe(2);
      expect(r.err).toMatch(/cannot be turned off/);
    }
    const chosen = await engagement("--period", "week:2024-03-1", "--noise", "5");
    expect(chosen.release).toMatchObject({ fresh: true, epsilon: 5 });
    expect(chosen.privacyBudget.epsilonSpent).toBe(7);
  });
});
