/**
 * The administrators' Sources screen end to end: a real `kith serve --demo` whose worker syncs live
 * IMAP sources from a real Dovecot, and Debian's Chromium. One source signs in; one has a stale
 * password, is paused, and shows the reason until the administrator resumes it with the right one.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import { promisify } from "node:util";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enronMessages, startDovecot, type Dovecot } from "../helpers/dovecot";
import { launchChromium, screenshot, signIn, startKith, type KithProcess } from "./harness";

const root = resolve(import.meta.dirname, "../..");
const password = "seller-imap-Pa55";
let kith: KithProcess;
let browser: Browser;
let dovecot: Dovecot;
let admin: Page;

const kithCli = async (args: string[], env: NodeJS.ProcessEnv) =>
  (await promisify(execFile)(process.execPath, [resolve(root, "bin/kith.mjs"), ...args], { cwd: root, env }))
    .stdout;

beforeAll(async () => {
  [kith, browser, dovecot] = await Promise.all([
    startKith({ KITH_SECRET_KEY: randomBytes(32).toString("base64"), KITH_LIVE_POLL_INTERVAL: "5s" }),
    launchChromium(),
    startDovecot({
      users: [
        {
          login: "seller",
          password,
          folders: { INBOX: enronMessages("enron.quenet-j.inbox").map((raw) => ({ raw })) },
        },
      ],
    }),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await kith?.stop();
  await dovecot?.stop();
});

describe("the Sources screen in Chromium", () => {
  it("shows each mailbox's sync state, and a paused mailbox's sign-in failure until it is resumed", async () => {
    const add = (name: string, secret: string) =>
      kithCli(
        [
          "sources",
          "add-imap",
          "--tenant",
          "contoso",
          "--name",
          name,
          "--host",
          "127.0.0.1",
          "--port",
          String(dovecot.port),
          "--tls",
          "none",
          "--mailbox",
          kith.seller,
          "--login",
          "seller",
          "--secret-env",
          "KITH_E2E_IMAP_SECRET",
          "--json",
        ],
        { ...kith.env, KITH_E2E_IMAP_SECRET: secret },
      );
    const good = (JSON.parse(await add("Mail server", password)) as { id: string }).id;
    const stale = (JSON.parse(await add("Old mail server", "an-old-password")) as { id: string }).id;

    admin = await signIn(browser, kith.adminLink);
    await admin.getByRole("link", { name: "Sources" }).click();
    await admin.getByRole("heading", { name: "Sources" }).waitFor();
    const row = (source: string) =>
      admin.locator(`[data-source="${source}"] tr[data-mailbox="${kith.seller}"]`);
    // The worker syncs both within seconds; the screen shows it after a reload.
    await expect
      .poll(
        async () => {
          await admin.reload();
          await admin.getByRole("heading", { name: "Sources" }).waitFor();
          return [
            await row(good).locator("[data-stage]").getAttribute("data-stage"),
            await row(stale).locator("[data-stage]").getAttribute("data-stage"),
          ];
        },
        { timeout: 60_000, interval: 1000 },
      )
      .toEqual(["idle", "paused"]);
    await expect.poll(() => row(good).locator("td").nth(1).textContent()).toMatch(/^INBOX \d+\/13$/);
    const reason = admin.locator(`[data-source="${stale}"] [data-reason="${kith.seller}"]`);
    expect(await reason.textContent()).toMatch(/sign-in refused.*Update the credentials and resume/);
    expect(await admin.content()).not.toContain("an-old-password");
    expect(await admin.content()).not.toContain(password);
    await screenshot(admin, "sources-paused");

    await admin.locator(`[data-source="${stale}"]`).getByLabel("New password or token").fill(password);
    await admin.locator(`[data-source="${stale}"]`).getByRole("button", { name: "Resume" }).click();
    await expect
      .poll(
        async () => {
          await admin.reload();
          await admin.getByRole("heading", { name: "Sources" }).waitFor();
          return row(stale).locator("[data-stage]").getAttribute("data-stage");
        },
        { timeout: 60_000, interval: 1000 },
      )
      .toBe("idle");
    await screenshot(admin, "sources-resumed");
  });
});
