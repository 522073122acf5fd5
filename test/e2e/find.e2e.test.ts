/**
 * A seller's day end to end (issue 17, items 1–4): signing in alone by an emailed link (real SMTP),
 * finding anyone from the header, the lists of accounts, contacts and leads, the account and
 * opportunity pages, and the pipeline chart — each screen at desktop width and at 390 px, with
 * screenshots in test-results/screenshots/.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDemoData } from "../../src/demo/generate";
import { startSmtpCapture, type SmtpCapture } from "../helpers/smtp";
import { launchChromium, open, screenshot, startKith, type KithProcess } from "./harness";

const demo = generateDemoData(new Date());
const fabrikamContact = demo.contacts.find((c) => c.accountId === "acc-fabrikam")!;

let smtp: SmtpCapture;
let kith: KithProcess;
let browser: Browser;
let desk: Page;
let phone: Page;

const widths = { desk: { width: 1366, height: 900 }, phone: { width: 390, height: 844 } } as const;

/** Both pages on the same path; `check` runs on each, then a screenshot of each. */
async function both(path: string, name: string, check: (page: Page) => Promise<void>): Promise<void> {
  for (const [label, page] of [
    ["desktop", desk],
    ["phone", phone],
  ] as const) {
    await open(page, kith.url, path);
    await check(page);
    // Nothing may stick out sideways on a phone: the page scrolls down, never across.
    if (label === "phone") {
      const overflow = Number(
        await page.evaluate("document.documentElement.scrollWidth - window.innerWidth"),
      );
      expect(overflow, `${name} is wider than the phone`).toBeLessThanOrEqual(1);
    }
    await screenshot(page, `find-${name}-${label}`);
  }
}

async function signInByEmail(viewport: { width: number; height: number }, address: string): Promise<Page> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(45_000);
  await page.goto(`${kith.url}/app/`);
  await page.getByRole("heading", { name: "Sign in to Kith" }).waitFor();
  await page.getByLabel("Email me a sign-in link").fill(address);
  await page.getByRole("button", { name: "Email me a link" }).click();
  await page.getByText("Check your inbox").waitFor();
  const mail = await smtp.waitFor(address);
  smtp.messages.splice(smtp.messages.indexOf(mail), 1);
  const link = /http\S+\/auth\/link\?token=\S+/.exec(mail.text)?.[0];
  expect(link).toBeDefined();
  await page.goto(link!);
  await page.waitForURL(/\/app\/$/);
  await page.getByRole("search").first().waitFor();
  return page;
}

beforeAll(async () => {
  smtp = await startSmtpCapture();
  process.env.KITH_SMTP_URL = smtp.url;
  [kith, browser] = await Promise.all([startKith(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await kith?.stop();
  await smtp?.close();
  delete process.env.KITH_SMTP_URL;
});

describe("a seller finds anyone and reads accounts and deals", () => {
  it("signs in without an operator: the sign-in page emails a link; a used link explains itself and offers a new one", async () => {
    const context = await browser.newContext({ viewport: widths.phone });
    const page = await context.newPage();
    await page.goto(`${kith.url}/app/`);
    await page.getByLabel("Email me a sign-in link").fill("nobody@contoso.com");
    await page.getByRole("button", { name: "Email me a link" }).click();
    // The same answer as for a real user: no account enumeration.
    await page
      .getByText(/If nobody@contoso.com belongs to a Kith user, a sign-in link is on its way/)
      .waitFor();
    await screenshot(page, "find-signin-requested-phone");
    await context.close();

    desk = await signInByEmail(widths.desk, kith.seller);
    phone = await signInByEmail(widths.phone, kith.seller);

    // The link in the mail was used: opening it again lands on a friendly page, not JSON.
    const again = await browser.newContext({ viewport: widths.desk });
    const used = await again.newPage();
    const link = await kith.loginLink(kith.seller);
    await used.goto(link);
    await used.waitForURL(/\/app\/$/);
    const second = await again.newPage();
    await second.goto(link);
    await second.waitForURL(/\/app\/signin\?link=used/);
    await second.getByText("This sign-in link was already used").waitFor();
    await second.getByRole("button", { name: "Email me a link" }).waitFor();
    await screenshot(second, "find-signin-used-link-desktop");
    await again.close();
  });

  it("finds a company, its people and its deals from the search bar in the header", async () => {
    await both("/", "home", async (page) => {
      await page.getByRole("heading", { name: /^Hello/ }).waitFor();
    });
    for (const page of [desk, phone]) {
      await page.locator("#header-q").fill("fabrikam");
      await page.locator("#header-q").press("Enter");
      await page.waitForURL(/\/app\/search\?q=fabrikam/);
      await page.getByRole("heading", { name: "Results for “fabrikam”" }).waitFor();
      await page.locator("[data-section=Accounts]").getByRole("link", { name: "Fabrikam" }).waitFor();
      await page
        .locator("[data-section=Contacts]")
        .getByRole("link", { name: fabrikamContact.name })
        .waitFor();
      await page.locator("[data-section=Opportunities] li").first().waitFor();
    }
    await both("/search?q=fabrikam", "search-results", async (page) => {
      await page.locator("[data-section=Accounts]").waitFor();
    });
    await both("/search?q=zzzznotthere", "search-nothing", async (page) => {
      await page.getByText("Nothing found").waitFor();
    });
  });

  it("lists accounts, contacts and leads, filtered and paged", async () => {
    await both("/accounts", "accounts", async (page) => {
      await page.getByRole("heading", { name: "Accounts" }).waitFor();
      await page.getByRole("link", { name: "Fabrikam" }).waitFor();
      expect(await page.locator("ul.rows li").count()).toBe(12);
    });
    await both("/contacts?q=fabrikam", "contacts", async (page) => {
      await page.getByRole("link", { name: fabrikamContact.name }).waitFor();
    });
    await both("/leads", "leads", async (page) => {
      await page.getByRole("link", { name: "Prospect 1", exact: true }).waitFor();
    });
    await both("/leads/lead-1", "lead", async (page) => {
      await page.getByRole("heading", { name: "Prospect 1", exact: true, level: 1 }).waitFor();
      await page.getByRole("heading", { name: "Relationship analytics" }).waitFor();
      // Who knows whom inside the lead's page (nobody knows a demo prospect), and its KPIs.
      await page.getByTestId("wkw-nobody").or(page.getByTestId("wkw")).waitFor();
      await page.locator("p.summary").waitFor();
    });
  });

  it("shows an account's health, deals and contacts, colleagues in 'most contacted by', withheld engagement said once", async () => {
    await both("/accounts/acc-fabrikam", "account", async (page) => {
      await page.getByTestId("account-health").locator(".health strong").waitFor();
      await page.getByRole("heading", { name: /^Opportunities \(\d+\)/ }).waitFor();
      await page.getByRole("heading", { name: /^Contacts \(\d+\)/ }).waitFor();
      await page.getByRole("link", { name: fabrikamContact.name }).first().waitFor();
      await page.locator("figure.chart svg rect").first().waitFor();
      const by = await page.getByTestId("most-contacted-by").textContent();
      // Colleagues by name, never the customer's addresses.
      expect(by).not.toContain("@fabrikam.com");
      expect(by).toMatch(/[A-Z][a-z]+ [A-Z][a-z]+ \(\d+\)/);
      await page.locator("h2", { hasText: "Account engagement" }).waitFor();
      expect(await page.getByText("suppressed (fewer than 5 people)").count()).toBe(0);
    });
    await both("/accounts/no-such-company.example", "account-unknown", async (page) => {
      await page.getByText("Unknown account").waitFor();
      expect(await page.getByRole("alert").count()).toBe(0);
      expect(await page.locator(".notice").count()).toBe(1);
    });
  });

  it("opens a deal by its name with amount, stage, close date, account and who knows its buying committee", async () => {
    await both("/opportunities/opp-1", "opportunity", async (page) => {
      await page.getByRole("heading", { name: /^Fabrikam — / }).waitFor();
      const facts = page.getByTestId("opportunity-facts");
      await facts.getByText(/^\$[\d,]+$/).waitFor();
      await facts.getByText(/^Open · (Qualify|Develop|Propose|Negotiate)$/).waitFor();
      await facts.getByRole("link", { name: "Fabrikam" }).waitFor();
      await page.locator(".committee .member").first().waitFor();
      await page.locator(".committee .knower").first().waitFor();
      // The 60-day chart has a date axis.
      await page.locator("figure.chart svg g.axis text").first().waitFor();
    });
  });

  it("draws the pipeline with axis scales, ticks, a legend and colour by grade", async () => {
    await both("/opportunities", "pipeline", async (page) => {
      await page.locator("svg.bubbles circle").first().waitFor();
      expect(await page.locator("svg.bubbles g.axis text").count()).toBeGreaterThan(5);
      await page.getByText("Good (60–100)").waitFor();
      await page.getByText("Poor (0–39)").waitFor();
      const circles = await page.locator("svg.bubbles circle").all();
      const fills = new Set(await Promise.all(circles.map((c) => c.getAttribute("fill"))));
      // The demo's book of business is not all "Good".
      expect(fills.size).toBeGreaterThan(1);
    });
  });
});
