import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { createTenantWithUsers, directoryUser } from "../../test/helpers/directory";
import { describeEachEngine } from "../../test/helpers/engines";
import { grantConsent, setRelationshipIntelligence } from "../services/consent.service";
import { runCli } from "./program";
import type { Io } from "./runtime";

const admin = "admin@corp.test";
const amy = "amy@corp.test";

let n = 0;
function message(from: string, to: string): string {
  n++;
  return [
    "From MAILER-DAEMON Mon Apr 18 14:23:23 2022",
    `Message-ID: <f${n}@corp.test>`,
    `Date: Mon, ${String(1 + (n % 27))} Apr 2026 09:00:00 +0000`,
    `From: ${from}`,
    `To: ${to}`,
    `Subject: note ${n}`,
    "",
    "(body)",
    "",
  ].join("\n");
}

describeEachEngine("kith import: a folder of mbox files, progress on a terminal only", (h) => {
  let folder = "";
  beforeAll(async () => {
    h.setNow("2026-06-01T00:00:00Z");
    const ctx = h.ctx();
    const tenantId = await createTenantWithUsers(
      ctx,
      { name: "Corp", slug: "corp", domain: "corp.test", admin },
      [directoryUser(amy)],
    );
    for (const t of ["identifiable", "aggregated", "personal"] as const)
      await grantConsent(ctx, tenantId, t, admin);
    await setRelationshipIntelligence(ctx, tenantId, true, admin);
    folder = mkdtempSync(join(tmpdir(), "kith-mboxes-"));
    writeFileSync(join(folder, "inbox.mbox"), [1, 2, 3].map(() => message("x@acme.example", amy)).join(""));
    writeFileSync(join(folder, "sent.mbox"), [1, 2].map(() => message(amy, "x@acme.example")).join(""));
    writeFileSync(join(folder, ".DS_Store"), "not mail");
  });

  const kith = async (args: string[], progress?: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: Io = {
      out: (s) => out.push(s),
      err: (s) => err.push(s),
      ...(progress ? { progress: (s: string) => progress.push(s) } : {}),
    };
    const code = await runCli(args, io, { KITH_DATABASE_URL: h.url() });
    return { code, out: out.join("\n"), err: err.join("\n") };
  };

  it("imports every mbox in a folder as one batch, each file named in the summary", async () => {
    const progress: string[] = [];
    const r = await kith(["import", folder, "--tenant", "corp", "--owner", amy], progress);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain(`imported ${folder}`);
    expect(r.out).toMatch(/stored {6}5/);
    expect(r.out).toContain(`${join(folder, "inbox.mbox")}: mbox, 3 read, 3 stored`);
    expect(r.out).toContain(`${join(folder, "sent.mbox")}: mbox, 2 read, 2 stored`);
    expect(r.out).not.toContain(".DS_Store");
    // On a terminal: status lines, the last one clearing the line.
    expect(progress.some((l) => /^importing (inbox|sent)\.mbox \([12]\/2\) {2}\d+ read/.test(l))).toBe(true);
    expect(progress.at(-1)).toBe("");
  });

  it("prints no progress with --json, and none where the output is not a terminal", async () => {
    const progress: string[] = [];
    const json = await kith(["import", folder, "--tenant", "corp", "--owner", amy, "--json"], progress);
    expect(json.code).toBe(0);
    expect(progress).toEqual([]);
    expect(JSON.parse(json.out)).toMatchObject({ status: "done", read: 5, stored: 0, duplicates: 5 });
    const piped = await kith(["import", folder, "--tenant", "corp", "--owner", amy]);
    expect(piped.code).toBe(0);
    expect(piped.err).toBe("");
  });

  it("refuses a folder with nothing to import, naming it", async () => {
    const empty = join(folder, "empty");
    mkdirSync(empty);
    const r = await kith(["import", empty, "--tenant", "corp", "--owner", amy]);
    expect(r.code).toBe(3);
    expect(r.err).toContain(`nothing to import in folder ${empty}`);
  });
});
