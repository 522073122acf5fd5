/**
 * Issue 17, the seller's and the administrator's day (items 5–8) in Chromium at desktop width and
 * at 390 px: dormant relationships on the contact page, phone layouts (menu, introducers, tables),
 * navigation and messages by role, the partner flow without SMTP, the audit log's filters and CSV
 * export, the settings' explanations, and purge checks only after a withdrawal. A real
 * `kith serve --demo` (no SMTP configured), old mail imported with the real CLI.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDemoData } from "../../src/demo/generate";
import { launchChromium, open, screenshot, signIn, startKith, type KithProcess } from "./harness";

const root = resolve(import.meta.dirname, "../..");
const demo = generateDemoData(new Date());
const sellers = demo.directory.users.filter((u) => (u.roles ?? []).includes("Salesperson"));
const phone = { width: 390, height: 844 };
const desktop = { width: 1366, height: 900 };
const oldContact = "olga.old@tailspin-archive.example";

let kith: KithProcess;
let browser: Browser;
let admin: Page;
let seller: Page;
let dir: string;

async function cli(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(root, "bin/kith.mjs"), ...args], {
    cwd: root,
    env: kith.env,
  });
  return stdout;
}

/*
 * 40 messages between a colleague and Olga, one every two days, the last 540 days ago: dormant (no
 * contact for over a year) yet inside the tenant's 24-month retention window, which `kith serve`
 * enforces (mail older than that is deleted, so it could not show as dormant).
 */
const lastOldMail = new Date(
  Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate(), 10) -
    540 * 86_400_000,
);
function oldMbox(colleague: string): string {
  const last = lastOldMail.getTime();
  return Array.from({ length: 40 }, (_, i) => {
    const at = new Date(last - (39 - i) * 2 * 86_400_000).toUTCString();
    const [from, to] = i % 2 === 0 ? [colleague, oldContact] : [oldContact, colleague];
    return [
      "From MAILER-DAEMON Mon Apr 18 14:23:23 2022",
      `Message-ID: <old${i}@tailspin-archive.example>`,
      `Date: ${at}`,
      `From: ${from}`,
      `To: ${to}`,
      `Subject: order ${i}`,
      "",
      "(body)",
      "",
    ].join("\n");
  }).join("");
}

/** The same page at phone width, a screenshot, and back. */
async function atPhone(page: Page, name: string, check?: () => Promise<void>): Promise<void> {
  await page.setViewportSize(phone);
  await check?.();
  await screenshot(page, `${name}-390`);
  await page.setViewportSize(desktop);
}

/** True when no two of these elements' boxes overlap and each fits the viewport width. */
async function noOverlap(page: Page, selector: string): Promise<boolean> {
  const width = page.viewportSize()?.width ?? 0;
  const boxes = (await Promise.all((await page.locator(selector).all()).map((l) => l.boundingBox()))).filter(
    (b) => b !== null,
  );
  if (boxes.length === 0 || boxes.some((b) => b.x < -1 || b.x + b.width > width + 1)) return false;
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      const apart =
        a.x + a.width <= b.x + 1 ||
        b.x + b.width <= a.x + 1 ||
        a.y + a.height <= b.y + 1 ||
        b.y + b.height <= a.y + 1;
      if (!apart) return false;
    }
  return true;
}

/** True when the element shows its whole text (not cut with an ellipsis). */
const whole = (e: { scrollWidth: number; clientWidth: number }) => e.scrollWidth <= e.clientWidth + 1;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "kith-day-e2e-"));
  [kith, browser] = await Promise.all([startKith(), launchChromium()]);
  // Old mail of a colleague who is not the signed-in seller.
  const colleague = sellers.find((u) => u.email !== kith.seller)!.email;
  const file = join(dir, "archive.mbox");
  writeFileSync(file, oldMbox(colleague));
  await cli("import", file, "--tenant", "contoso", "--owner", colleague, "--json");
  [admin, seller] = await Promise.all([signIn(browser, kith.adminLink), signIn(browser, kith.sellerLink)]);
});

afterAll(async () => {
  await browser?.close();
  await kith?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("the seller's and the administrator's day", () => {
  it("shows an old relationship as dormant with its last date, not as 'nobody knows'", async () => {
    await open(seller, kith.url, `/people/${encodeURIComponent(oldContact)}`);
    const dormant = seller.getByTestId("wkw-dormant");
    await dormant.getByRole("heading", { name: "Dormant relationships" }).waitFor();
    expect(await dormant.locator("li[data-dormant]").count()).toBe(1);
    const row = await dormant.locator("li[data-dormant]").textContent();
    const day = (locale: string) =>
      lastOldMail.toLocaleDateString(locale, {
        day: "numeric",
        month: "short",
        year: "numeric",
        timeZone: "UTC",
      });
    expect(row).toContain("dormant · last email ");
    expect([day("en-US"), day("en-GB")].some((d) => row?.includes(`dormant · last email ${d}`))).toBe(true);
    expect(row).toMatch(/was \d+ · strong, now \d+/);
    expect(await seller.getByText("Nobody at your company knows this person yet").count()).toBe(0);
    await screenshot(seller, "person-dormant");
    await atPhone(seller, "person-dormant", async () => {
      // The name is whole at 390 px (not cut to a few characters).
      const name = dormant.locator(".name").first();
      expect(await name.evaluate(whole)).toBe(true);
    });
  });

  it("keeps introducer names whole and the menu collapsed on a phone", async () => {
    const known = demo.contacts[0]!.email;
    await open(seller, kith.url, `/people/${encodeURIComponent(known)}`);
    await seller.locator("[data-testid=wkw] li[data-introducer]").first().waitFor();
    await atPhone(seller, "person-introducers", async () => {
      const names = seller.locator("li[data-introducer] .name");
      for (const n of await names.all()) expect(await n.evaluate(whole)).toBe(true);
      // The navigation is one button until opened, and the header stays short.
      const toggle = seller.getByRole("button", { name: "Menu" });
      await toggle.waitFor();
      expect(await seller.getByRole("link", { name: "My privacy" }).isVisible()).toBe(false);
      const header = await seller.locator("header.top").boundingBox();
      expect(header!.height).toBeLessThan(phone.height / 8);
      await toggle.click();
      await seller.getByRole("link", { name: "My privacy" }).waitFor();
      await screenshot(seller, "menu-open-390");
      await seller.getByRole("button", { name: "Close menu" }).click();
    });
  });

  it("lists opportunities readably at 390 px: stacked rows, nothing overlapping", async () => {
    await open(seller, kith.url, "/opportunities");
    await seller.locator("table.stacked tbody tr").first().waitFor();
    await screenshot(seller, "opportunities");
    await atPhone(seller, "opportunities", async () => {
      expect(await noOverlap(seller, "table.stacked tbody tr:first-child td")).toBe(true);
    });
  });

  it("gives each role its own navigation and messages", async () => {
    // A seller never sees an empty "Partner data sharing" item; the administrator does.
    expect(await seller.getByRole("link", { name: "Partner data sharing" }).count()).toBe(0);
    await admin.getByRole("link", { name: "Partner data sharing" }).waitFor();
    // The administrator, without a seller's grant, is not told to ask a System administrator.
    await open(admin, kith.url, `/people/${encodeURIComponent(demo.contacts[0]!.email)}`);
    await admin.getByText("Not granted to your roles").first().waitFor();
    expect(await admin.getByText("Ask a System administrator").count()).toBe(0);
    await admin.getByRole("link", { name: "Relationship intelligence" }).last().waitFor();
    await screenshot(admin, "person-admin-not-granted");
  });

  it("the partner flow says no reviewer was mailed without SMTP, the customer id is copyable, reviewers see the context", async () => {
    // Contoso's administrator finds the tenant id to give a partner.
    await open(admin, kith.url, "/shared-with-partners");
    const idCard = admin.getByTestId("tenant-id");
    await idCard.getByRole("button", { name: "Copy" }).waitFor();
    const contosoId = (await idCard.locator("code").textContent())!.trim();
    expect(contosoId.length).toBeGreaterThan(8);
    await screenshot(admin, "partner-sharing-admin");
    await atPhone(admin, "partner-sharing-admin");

    await cli(
      "tenant",
      "create",
      "--name",
      "Northwind Partners",
      "--slug",
      "northwind",
      "--domain",
      "northwind.example",
    );
    const file = join(dir, "northwind.json");
    writeFileSync(
      file,
      JSON.stringify({
        users: [{ email: "pa@northwind.example", name: "Pat Partner", roles: ["Partner Administrator"] }],
      }),
    );
    await cli("directory", "import", file, "--tenant", "northwind");
    const { url } = JSON.parse(
      await cli("login-link", "pa@northwind.example", "--tenant", "northwind", "--json"),
    ) as {
      url: string;
    };
    const partner = await signIn(browser, url);
    await open(partner, kith.url, "/partner");
    const form = partner.getByRole("form", { name: "New data-sharing request" });
    await form.getByText("finds it in Kith under").waitFor();
    const [first, second] = sellers.filter((u) => u.email !== kith.seller);
    await form.getByLabel("Customer tenant id").fill(contosoId);
    await form.getByLabel("Environment id").fill("contoso-prod");
    await form.getByLabel("First reviewer (customer email)").fill(first!.email);
    await form.getByLabel("Second reviewer (customer email)").fill(second!.email);
    await form.getByLabel(/Both reviewers are employees/).check();
    await form.getByRole("button", { name: "Send to reviewers" }).click();
    await form.getByText("Saved, but no reviewer was mailed").waitFor();
    await partner.locator("article[data-request]").waitFor();
    await screenshot(partner, "partner-request-no-smtp");

    // A reviewer signs in: the menu now has the item, and the request's context sits by Approve/Reject.
    const reviewer = await signIn(browser, await kith.loginLink(first!.email));
    await reviewer.getByRole("link", { name: "Partner data sharing" }).click();
    const context = reviewer.getByTestId("request-context");
    await context.waitFor();
    const text = await context.textContent();
    expect(text).toContain("Northwind Partners");
    expect(text).toContain("contoso-prod");
    expect(text).toMatch(/last 30\s+days/);
    await reviewer.getByRole("button", { name: "Approve" }).waitFor();
    await screenshot(reviewer, "partner-review-context");
    await atPhone(reviewer, "partner-review-context");
    // Contoso's administrator sees the request in the shared list, readable on a phone too.
    await open(admin, kith.url, "/shared-with-partners");
    await admin.locator("tr[data-request]").waitFor();
    await atPhone(admin, "partner-shared-list", async () => {
      expect(await noOverlap(admin, "tr[data-request] td")).toBe(true);
    });
  });

  it("explains each settings parameter by what it does to the ranking", async () => {
    await open(admin, kith.url, "/settings");
    await admin.getByRole("heading", { name: "Connection strength weights" }).waitFor();
    await admin.getByText("Strength orders who knows whom").waitFor();
    await admin.getByText("How often a healthy relationship hears from you").waitFor();
    await admin.getByText("above this many people a message does not count at all").waitFor();
    await expect.poll(() => admin.getByText(/^Loading /).count()).toBe(0);
    await screenshot(admin, "settings");
    await atPhone(admin, "settings");
  });

  it("shows purge checks only after a withdrawal", async () => {
    await open(admin, kith.url, "/consent");
    await admin.locator("[data-consent=identifiable]").getByText("Granted", { exact: true }).waitFor();
    await admin.getByRole("heading", { name: "History" }).waitFor();
    expect(await admin.getByRole("heading", { name: "Purge checks after withdrawal" }).count()).toBe(0);
    await screenshot(admin, "consent-never-withdrawn");
    const card = admin.locator("[data-consent=aggregated]");
    await card.getByRole("button", { name: "Withdraw aggregated consent" }).click();
    await admin.getByRole("dialog").getByRole("button", { name: "Withdraw and delete" }).click();
    await card.getByText("Not granted", { exact: true }).waitFor();
    await admin.getByRole("heading", { name: "Purge checks after withdrawal" }).waitFor();
    await card.getByRole("button", { name: "Grant aggregated consent" }).click();
    await admin.getByRole("dialog").getByRole("button", { name: "Grant consent" }).click();
    await card.getByText("Granted", { exact: true }).waitFor();
  });

  it("filters the audit log by actor, action and date on the server, shows readable details and exports CSV", async () => {
    await open(admin, kith.url, "/audit");
    const rows = admin.locator("table.audit tbody tr");
    await rows.first().waitFor();
    expect(await admin.locator("table.audit td").filter({ hasText: /^\{"/ }).count()).toBe(0);
    await screenshot(admin, "audit");
    const filters = admin.getByRole("form", { name: "Filter the audit log" });
    await filters.getByLabel("Actor", { exact: true }).fill("admin@contoso.com");
    await filters.getByLabel("Action starts with").fill("consent.");
    const today = new Date().toLocaleDateString("en-CA");
    await filters.getByLabel("From", { exact: true }).fill(today);
    await filters.getByLabel("To", { exact: true }).fill(today);
    const answered = admin.waitForResponse(
      (r) => r.url().includes("/api/audit?") && r.url().includes("actor="),
    );
    await filters.getByRole("button", { name: "Filter" }).click();
    const response = await answered;
    expect(response.url()).toContain("action=consent.");
    expect(response.url()).toContain("from=");
    await expect
      .poll(async () => (await admin.locator("table.audit tbody tr code").allTextContents()).join(" "))
      .toMatch(/^consent\.granted consent\.withdrawn/);
    const actions = await admin.locator("table.audit tbody tr code").allTextContents();
    expect(actions.every((a) => a.startsWith("consent."))).toBe(true);
    await screenshot(admin, "audit-filtered");
    await atPhone(admin, "audit-filtered", async () => {
      expect(await noOverlap(admin, "table.stacked tbody tr:first-child td")).toBe(true);
    });
    const href = await admin.getByRole("link", { name: "Export CSV" }).getAttribute("href");
    expect(href).toContain("actor=admin%40contoso.com");
    const csv = await admin.request.get(`${kith.url}${href}`);
    expect(csv.headers()["content-type"]).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe("seq,at,actor,action,subject,details,hash");
    expect(lines.length - 1).toBe(actions.length);
  });
});
