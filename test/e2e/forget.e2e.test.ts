/**
 * Deletion requests by external people in the web app (issue 18): a Global administrator forgets a
 * customer contact on the Deletion requests screen, sees the receipt (without the address), finds
 * it again by address, and a seller's who-knows-whom then knows nobody by that address.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { generateDemoData } from "../../src/demo/generate";
import { launchChromium, open, screenshot, signIn, startKith, type KithProcess } from "./harness";

const demo = generateDemoData(new Date());
// Another account's contact than web.e2e.test.ts uses, so the two files never share a person.
const contact = demo.contacts.at(-1)!.email;
const contactPath = `/people/${encodeURIComponent(contact)}`;

let kith: KithProcess;
let browser: Browser;
let admin: Page;
let seller: Page;

beforeAll(async () => {
  [kith, browser] = await Promise.all([startKith(), launchChromium()]);
  admin = await signIn(browser, kith.adminLink);
  seller = await signIn(browser, kith.sellerLink);
});

afterAll(async () => {
  await browser?.close();
  await kith?.stop();
});

it("an administrator forgets a contact, sees the receipt, and the seller's who-knows-whom no longer knows them", async () => {
  await open(seller, kith.url, contactPath);
  await seller.locator("[data-testid=wkw] li[data-introducer]").first().waitFor();
  expect(await seller.getByRole("link", { name: "Deletion requests" }).count()).toBe(0);

  await admin.getByRole("link", { name: "Deletion requests" }).click();
  await admin.getByRole("heading", { name: "Deletion requests" }).waitFor();
  await admin.getByText("No deletion requests yet.").waitFor();
  await admin.getByLabel("Their email address").fill(contact);
  await admin.getByLabel("Reason (kept on the receipt)").fill("letter of 2026-12-01");
  await admin.getByRole("button", { name: "Forget this person" }).click();
  const dialog = admin.getByRole("dialog");
  await dialog.getByText("cannot be restored").waitFor();
  await dialog.getByRole("button", { name: "Forget and delete their data" }).click();
  const notice = admin.locator(".notice-ok", { hasText: "Forgotten" });
  await notice.getByText(/\d+ connection strengths/).waitFor();
  const receiptId = await notice.locator("[data-receipt]").getAttribute("data-receipt");
  expect(receiptId).toMatch(/^[0-9a-f-]{36}$/);
  expect((await notice.textContent())?.toLowerCase()).not.toContain(contact);
  const table = admin.getByRole("table", { name: "Deletion request receipts" });
  await table.getByRole("cell", { name: "letter of 2026-12-01" }).waitFor();
  await screenshot(admin, "deletion-request-receipt");

  await admin.getByLabel("Was this address forgotten?").fill(contact);
  await admin.getByRole("button", { name: "Check" }).click();
  await table.getByRole("cell", { name: receiptId! }).waitFor();
  await admin.getByLabel("Was this address forgotten?").fill("someone.else@example.org");
  await admin.getByRole("button", { name: "Check" }).click();
  await admin.getByText("No deletion request for someone.else@example.org.").waitFor();

  await open(seller, kith.url, contactPath);
  await seller.getByTestId("wkw-nobody").waitFor();
  expect(await seller.locator("li[data-introducer]").count()).toBe(0);
  await screenshot(seller, "forgotten-contact-wkw");
});
