/**
 * The web app end to end: a real Kith server process with the Contoso demo tenant on a temporary
 * SQLite store, Debian's Chromium, and one person per browser context (their own cookie jar).
 * The tests run in order and share the server: each step builds on the state the previous left.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDemoData } from "../../src/demo/generate";
import { launchChromium, open, screenshot, signIn, startKith, type KithProcess } from "./harness";

const demo = generateDemoData(new Date());
// A customer contact several colleagues know (the demo's first account's first contact).
const contact = demo.contacts[0]!.email;
const contactPath = `/people/${encodeURIComponent(contact)}`;
const serviceUser = demo.directory.users.find((u) => u.roles?.includes("Customer Service"))!.email;

let kith: KithProcess;
let browser: Browser;
let admin: Page;
let seller: Page;

async function introducerEmails(page: Page): Promise<string[]> {
  await page.locator("[data-testid=wkw] li[data-introducer]").first().waitFor();
  const rows = await page.locator("li[data-introducer]").all();
  return Promise.all(rows.map(async (r) => (await r.getAttribute("data-introducer")) ?? ""));
}

/** The who-knows-whom card (the KPI panel next to it answers for itself). */
const wkwCard = (page: Page) =>
  page.locator(".card", { has: page.getByRole("heading", { name: /^Who knows/ }) });

beforeAll(async () => {
  [kith, browser] = await Promise.all([startKith(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await kith?.stop();
});

describe("the web app in Chromium", () => {
  it("signs the administrator and a seller in by one-time link", async () => {
    admin = await signIn(browser, kith.adminLink);
    seller = await signIn(browser, kith.sellerLink);
    await admin.getByRole("link", { name: "Consent center" }).waitFor();
    expect(await seller.getByRole("link", { name: "Consent center" }).count()).toBe(0);
    await screenshot(seller, "home-seller");
  });

  it("a Global administrator withdraws identifiable consent after a dialog stating the consequences; the seller sees 'consent missing'", async () => {
    await open(admin, kith.url, "/consent");
    const card = admin.locator("[data-consent=identifiable]");
    await card.getByText("Granted", { exact: true }).waitFor();
    await card.getByRole("button", { name: "Withdraw identifiable consent" }).click();
    const dialog = admin.getByRole("dialog");
    await dialog.getByText("within 24 hours and backups within 30 days").waitFor();
    // The demo also holds aggregated consent, so the dialog must say data stays until that goes too.
    await dialog.getByText("If aggregated consent is not granted either").waitFor();
    await dialog.getByText("deleted from Kith's live store in the same step as the withdrawal").waitFor();
    await screenshot(admin, "consent-withdraw-dialog");
    await dialog.getByRole("button", { name: "Withdraw and delete" }).click();
    await card.getByText("Not granted", { exact: true }).waitFor();

    await open(seller, kith.url, contactPath);
    await wkwCard(seller).getByRole("alert").getByText("Consent missing").waitFor();
    await screenshot(seller, "wkw-consent-missing");
  });

  it("the administrator grants identifiable consent again (auto opt-in stated) and the history shows both changes", async () => {
    const card = admin.locator("[data-consent=identifiable]");
    await card.getByRole("button", { name: "Grant identifiable consent" }).click();
    const dialog = admin.getByRole("dialog");
    await dialog.getByText("Every user is opted in automatically").waitFor();
    await dialog.getByRole("button", { name: "Grant consent" }).click();
    await card.getByText("Granted", { exact: true }).waitFor();
    await admin.getByRole("cell", { name: "withdrawn" }).first().waitFor();
    await screenshot(admin, "consent-center");
  });

  it("a seller sees who knows a contact, strongest first, in list and graph view, with the reason and an introduction draft", async () => {
    await open(seller, kith.url, contactPath);
    const emails = await introducerEmails(seller);
    expect(emails.length).toBeGreaterThan(1);
    expect(emails.length).toBeLessThanOrEqual(5);
    expect(emails).not.toContain(kith.seller);
    const strengths = (
      await seller.locator("li[data-introducer] .strength-cell .small").allTextContents()
    ).map((t) => Number.parseInt(t, 10));
    expect(strengths).toEqual([...strengths].sort((a, b) => b - a));

    // The KPI and health panel for the same person, with its 60-day activity chart.
    await seller.locator("figure.chart svg rect").first().waitFor();
    await seller
      .getByRole("cell", { name: "Emails sent" })
      .or(seller.getByRole("rowheader", { name: "Emails sent" }))
      .first()
      .waitFor();

    await seller.locator("li[data-introducer] .strength-cell").first().focus();
    await seller
      .getByRole("tooltip")
      .filter({ visible: true })
      .getByText(/emails?/)
      .waitFor();
    await screenshot(seller, "wkw-list");

    await seller
      .getByRole("button", { name: /^Get introduced by/ })
      .first()
      .click();
    const draft = seller.getByRole("region", { name: "Introduction email draft" });
    await draft.getByText(`Introduction to`).waitFor();
    expect(await draft.locator("textarea").inputValue()).toContain(contact);

    await seller.getByText("Graph", { exact: true }).click();
    const nodes = seller.locator("svg.radial g.node");
    expect(await nodes.count()).toBe(emails.length);
    await nodes.first().focus();
    await seller.locator(".graph-side h3").waitFor();
    await screenshot(seller, "wkw-graph");
  });

  it("says clearly when nobody knows a person, and offers other ways in", async () => {
    const domain = contact.split("@")[1];
    await open(seller, kith.url, `/people/${encodeURIComponent(`nobody.here@${domain}`)}`);
    await seller.getByText("Nobody at your company knows this person yet").waitFor();
    await seller.getByText(/Colleagues who know others at/).waitFor();
    await screenshot(seller, "wkw-nobody-knows");
  });

  it("labels colleagues who only shared someone's large-list mail as a weak lead", async () => {
    // The server's own answer for the contact, with every introducer's evidence turned to "bulk",
    // as the API answers for a person nobody wrote to directly.
    const pattern = "**/api/who-knows-whom?**";
    await seller.route(pattern, async (route) => {
      const response = await route.fetch();
      const answer = (await response.json()) as { introducers: { evidence: string }[] };
      for (const introducer of answer.introducers) introducer.evidence = "bulk";
      await route.fulfill({ response, json: answer });
    });
    await open(seller, kith.url, contactPath);
    await seller.getByTestId("wkw-bulk-only").waitFor();
    await seller
      .getByText(/bulk mail only/)
      .first()
      .waitFor();
    await seller.unroute(pattern);
  });

  it("shows warmer ways in below introducers who all know someone weakly", async () => {
    // The server's own answer for the contact, its introducers turned weak and one warm path added,
    // as the API answers when everyone who knows the person knows them weakly.
    const pattern = "**/api/who-knows-whom?**";
    await seller.route(pattern, async (route) => {
      const response = await route.fetch();
      const answer = (await response.json()) as {
        introducers: { name: string; label: string }[];
        introPaths?: unknown[];
      };
      for (const introducer of answer.introducers) introducer.label = "weak";
      const first = answer.introducers[0]!.name;
      answer.introPaths = [
        {
          via: ["you", "Pat Warm", first],
          score: 61,
          hops: [
            { from: "you", to: "Pat Warm", strength: 80, label: "strong", explanation: "12 emails with Pat" },
            {
              from: "Pat Warm",
              to: first,
              strength: 76,
              label: "strong",
              explanation: "9 meetings together",
            },
          ],
        },
      ];
      await route.fulfill({ response, json: answer });
    });
    await open(seller, kith.url, contactPath);
    const warm = seller.getByTestId("wkw-warm-paths");
    await warm.getByText(/you → Pat Warm → /).waitFor();
    expect(await warm.locator("li").first().getAttribute("title")).toBe(
      "12 emails with Pat · 9 meetings together",
    );
    await seller.unroute(pattern);
  });

  it("an introducer turns data sharing off, gets a receipt, and vanishes from the seller's widget", async () => {
    await open(seller, kith.url, contactPath);
    const before = await introducerEmails(seller);
    const leaving = before[0]!;
    const person = await signIn(browser, await kith.loginLink(leaving));
    await open(person, kith.url, "/privacy");
    await person.getByRole("heading", { name: "What Kith holds about me" }).waitFor();
    await person.locator(".ties li").first().waitFor();
    await screenshot(person, "my-privacy");
    await person.getByRole("switch", { name: /Share my email and meeting metadata/ }).click();
    const dialog = person.getByRole("dialog");
    await dialog.getByText("You disappear from “who knows whom”").waitFor();
    await dialog.getByRole("button", { name: "Turn off and delete my data" }).click();
    await person.getByText("Your data sharing is off and your data was deleted").waitFor();
    await person
      .getByText(/interactions \(emails and meetings\) deleted/)
      .first()
      .waitFor();
    await screenshot(person, "my-privacy-receipt");
    await person.context().close();

    await seller.reload();
    const after = await introducerEmails(seller);
    expect(after).not.toContain(leaving);
    expect(after.length).toBeGreaterThan(0);
  });

  it("a role without access sees 'insufficient privileges', not an empty list", async () => {
    const page = await signIn(browser, await kith.loginLink(serviceUser));
    await open(page, kith.url, contactPath);
    await wkwCard(page).getByRole("alert").getByText("Insufficient privileges").waitFor();
    expect(await page.getByText("Nobody at your company knows").count()).toBe(0);
    await screenshot(page, "wkw-insufficient-privileges");
    await page.context().close();
  });

  it("shows the administrator's settings, backfill months, and a verified audit chain with the consent changes", async () => {
    await open(admin, kith.url, "/settings");
    await admin.getByRole("heading", { name: "Connection strength weights" }).waitFor();
    await admin.locator("ol.months li").first().waitFor();
    expect(await admin.locator("ol.months li").count()).toBe(12);
    // The demo imports one batch, not monthly backfills: the screen says so with its size.
    await admin.getByText(/Demo data imported \([\d,]+ interactions/).waitFor();
    await admin.getByRole("heading", { name: "Introduction email template" }).waitFor();
    // The self-fitted strength card: not fitted yet, or fitted by the scheduled job with its date.
    await admin
      .getByTestId("strength-fit")
      .getByRole("heading", { name: "Strength fitted to your mail" })
      .waitFor();
    await admin
      .getByTestId("strength-fit")
      .getByText(/Not fitted yet|Fitted \d{4}-\d{2}-\d{2} on mail up to/)
      .waitFor();
    await screenshot(admin, "ri-settings");

    // Health scoring and collection settings are editable and audited.
    await admin.getByLabel("Expected communication").selectOption("monthly");
    await admin.getByLabel("Good from").fill("65");
    await admin.getByRole("button", { name: "Save health scoring" }).click();
    await admin.getByText("Good 65–100, Fair 40–64, Poor 0–39").waitFor();
    await admin.getByLabel("Capture level").selectOption("subject");
    await admin.getByLabel("filter automated").uncheck();
    await admin.getByRole("button", { name: "Save collection settings" }).click();
    await admin.getByRole("status").getByText("Saved.").first().waitFor();

    await open(admin, kith.url, "/audit");
    await admin.getByText("Chain verified").waitFor();
    await admin
      .getByRole("cell", { name: /consent\./ })
      .first()
      .waitFor();
    await admin
      .getByRole("cell", { name: /privacy\.|sharing/ })
      .first()
      .waitFor();
    await admin.getByRole("cell", { name: "settings.health_changed" }).first().waitFor();
    await admin.getByRole("cell", { name: "settings.noise_filters_changed" }).first().waitFor();
    await screenshot(admin, "audit-log");
  });

  it("shows a seller their own network and an account's colleagues", async () => {
    await open(seller, kith.url, "/network");
    await seller.getByRole("heading", { name: "Strongest ties" }).waitFor();
    await seller.locator(".ties li").first().waitFor();
    await screenshot(seller, "my-network");

    await open(seller, kith.url, `/accounts/${encodeURIComponent(contact.split("@")[1]!)}`);
    await seller.getByRole("heading", { name: "Colleagues who know people here" }).waitFor();
    await seller.locator("li.introducer").first().waitFor();
    // Released figures as rows, or (a quiet month) one line saying why they are withheld.
    await seller
      .getByRole("rowheader", { name: "Engagement score (0–100)" })
      .or(seller.getByTestId("engagement-withheld"))
      .first()
      .waitFor();
    await screenshot(seller, "account");
  });

  it("lists a seller's open opportunities from the API and stays usable with 10,000 long-named ones", async () => {
    await open(seller, kith.url, "/opportunities");
    // The demo's CRM gives the signed-in seller the first Fabrikam deal.
    await seller.locator("tbody tr").filter({ hasText: "Fabrikam" }).first().waitFor();
    await screenshot(seller, "opportunities-demo");

    // The same screen fed 10,000 rows through the browser.
    const gradeOf = (score: number) => (score >= 60 ? "good" : score >= 40 ? "fair" : "poor");
    const long = "Global multi-year enterprise platform renewal with extended premium support and training";
    const rows = Array.from({ length: 10_000 }, (_, i) => ({
      id: `opp-${i}`,
      name: `${long} #${i}`,
      account: `account-with-a-rather-long-identifier-${i % 97}`,
      estimatedClose: new Date(Date.UTC(2027, i % 12, 1 + (i % 28))).toISOString(),
      estimatedRevenue: 1000 + ((i * 7919) % 500_000),
      health: {
        state: gradeOf((i * 37) % 101),
        score: (i * 37) % 101,
        grade: gradeOf((i * 37) % 101),
        trend: ["improving", "steady", "declining", "not_enough_info"][i % 4],
        previousScore: null,
        factors: null,
      },
    }));
    await seller.route("**/api/me/opportunities", (route) =>
      route.fulfill({ json: { opportunities: rows } }),
    );
    await seller.reload();
    await seller.getByText("Page 1 of 400").waitFor();
    expect(await seller.locator("tbody tr").count()).toBe(25);
    await seller.getByRole("button", { name: /^Health/ }).click();
    const firstHealth = await seller.locator("tbody tr td:last-child strong").first().textContent();
    expect(Number(firstHealth)).toBe(100);
    await screenshot(seller, "opportunities-10000");
    await seller.unroute("**/api/me/opportunities");
  });
});
