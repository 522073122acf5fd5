/**
 * Partner data sharing end to end (SPEC §5): a real `kith serve --demo` process mailing over real
 * SMTP to a capture server on loopback, and Debian's Chromium. A partner's administrator asks for
 * Contoso's telemetry on the Data consent page; each reviewer opens the link from their mail
 * without signing in and approves; the partner then sees Contoso's name; Contoso's administrator
 * revokes, and the name is hidden again.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDemoData } from "../../src/demo/generate";
import { reviewLinkIn, startSmtpCapture, type SmtpCapture } from "../helpers/smtp";
import { launchChromium, open, screenshot, signIn, startKith, type KithProcess } from "./harness";

const root = resolve(import.meta.dirname, "../..");
const demo = generateDemoData(new Date());
const [first, second] = demo.directory.users.filter(
  (u) => !u.guest && !(u.roles ?? []).includes("Global Administrator"),
);

let smtp: SmtpCapture;
let kith: KithProcess;
let browser: Browser;
let dir: string;

async function cli(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(root, "bin/kith.mjs"), ...args], {
    cwd: root,
    env: kith.env,
  });
  return stdout;
}

beforeAll(async () => {
  smtp = await startSmtpCapture();
  // startKith passes this process's environment to the server.
  process.env.KITH_SMTP_URL = smtp.url;
  process.env.KITH_MAIL_FROM = "Kith <kith@kith.test>";
  dir = mkdtempSync(join(tmpdir(), "kith-partner-e2e-"));
  [kith, browser] = await Promise.all([startKith(), launchChromium()]);
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
});

afterAll(async () => {
  await browser?.close();
  await kith?.stop();
  await smtp?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("partner data sharing in the browser", () => {
  it("runs the reviewer link flow with real mail, then the customer revokes", async () => {
    expect(first && second).toBeTruthy();
    const tenants = JSON.parse(await cli("tenant", "list", "--json")) as { id: string; slug: string }[];
    const contosoId = tenants.find((t) => t.slug === "contoso")!.id;
    const link = JSON.parse(
      await cli("login-link", "pa@northwind.example", "--tenant", "northwind", "--json"),
    ) as {
      url: string;
    };

    // The partner asks on the Data consent page.
    const partner: Page = await signIn(browser, link.url);
    await partner.getByRole("link", { name: "Data consent" }).click();
    const form = partner.getByRole("form", { name: "New data-sharing request" });
    await form.getByLabel("Customer tenant id").fill(contosoId);
    await form.getByLabel("Environment id").fill("contoso-prod");
    await form.getByLabel("First reviewer (customer email)").fill(first!.email);
    await form.getByLabel("Second reviewer (customer email)").fill(first!.email);
    await form.getByRole("button", { name: "Send to reviewers" }).click();
    await expect.poll(() => form.getByRole("alert").textContent()).toMatch(/different people/);
    await form.getByLabel("Second reviewer (customer email)").fill(second!.email);
    await form.getByLabel(/Both reviewers are employees/).check();
    await form.getByRole("button", { name: "Send to reviewers" }).click();
    const card = partner.locator("article[data-request]");
    await card.locator("[data-status=pending]").waitFor();
    expect(await card.textContent()).toContain("Customer name hidden until Allowed");

    // Each reviewer follows the link from their mail, without a session.
    for (const reviewer of [first!, second!]) {
      const mail = await smtp.waitFor(reviewer.email, 20_000);
      expect(mail.subject).toBe("Approve data sharing with Northwind Partners?");
      const { url } = reviewLinkIn(mail);
      expect(url.startsWith(`${kith.url}/app/partner-review#token=`)).toBe(true);
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(url);
      await page.getByRole("button", { name: "Approve" }).click();
      await page.getByTestId("request-status").waitFor();
      const status = await page.getByTestId("request-status").textContent();
      expect(status).toBe(reviewer === first ? "Pending" : "Allowed");
      if (reviewer === second) await screenshot(page, "partner-review-approved");
      // Single use: opening the same link again is refused.
      await page.goto("about:blank");
      await page.goto(url);
      await page.getByText("already used").waitFor();
      await context.close();
    }

    await partner.reload();
    await card.locator("[data-status=allowed]").waitFor();
    expect(await card.locator("h3").textContent()).toContain("Contoso");
    await card
      .getByRole("list", { name: "Telemetry insights" })
      .or(card.getByText("No findings"))
      .first()
      .waitFor();
    await screenshot(partner, "partner-data-consent-allowed");

    // Contoso's Global Administrator revokes.
    const admin = await signIn(browser, kith.adminLink);
    await open(admin, kith.url, "/shared-with-partners");
    const row = admin.locator("tr[data-request]");
    await row.locator("[data-status=allowed]").waitFor();
    await row.getByRole("button", { name: "Revoke" }).click();
    await row.locator("[data-status=not_allowed]").waitFor();

    await partner.reload();
    await card.locator("[data-status=not_allowed]").waitFor();
    expect(await card.textContent()).toContain("Customer name hidden until Allowed");
  });
});
