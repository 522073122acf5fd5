import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readManifest } from "./manifest";
import { detectFormat } from "./source";
import { describeWithCorpora, enronMbox } from "../../../test/helpers/corpora";
import { fixtures } from "./test-helpers";

describe("detectFormat", () => {
  it.each([
    ["enron-sample.mbox", "mbox"],
    ["linux-cifs-slice.mbox", "mbox"],
    ["maildir", "maildir"],
    ["enron-message.eml", "eml"],
    ["recurring.ics", "ics"],
    ["graph/message.json", "graph"],
    ["graph/messages-array.json", "graph"],
    ["graph/messages-page.json", "graph"],
    ["graph/messages.ndjson", "graph"],
    ["graph/events.ndjson", "graph"],
    ["crm/crm.json", "crm"],
    ["crm/activities.csv", "crm"],
    ["crm/mixed.csv", "crm"],
  ])("%s is %s", async (path, format) => {
    expect((await detectFormat(join(fixtures, path))).format).toBe(format);
  });

  it("names the file when the format is unknown or the file unreadable", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kith-detect-"));
    writeFileSync(join(dir, "notes.txt"), "just some text\n");
    await expect(detectFormat(join(dir, "notes.txt"))).rejects.toThrow(
      /unknown source format for file .*notes\.txt/,
    );
    await expect(detectFormat(join(dir, "missing.mbox"))).rejects.toThrow(/cannot read .*missing\.mbox/);
  });
});

describe("readManifest", () => {
  it("maps paths (relative to the manifest) to normalised owners; the longest path wins", async () => {
    const manifest = await readManifest(join(fixtures, "kith-manifest.json"));
    expect(manifest.ownerFor(join(fixtures, "enron-sample.mbox"))).toBe("phillip.allen@enron.com");
    expect(manifest.ownerFor(join(fixtures, "maildir", "cur", "1100000001.M1P1.kith:2,S"))).toBe(
      "phillip.allen@enron.com",
    );
    expect(manifest.ownerFor(join(fixtures, "maildir", ".Sent", "cur", "x"))).toBe("k..allen@enron.com");
    expect(manifest.ownerFor(join(fixtures, "maildir-other"))).toBeNull();
  });

  it("reads CSV and reports every bad entry with its line", async () => {
    await expect(readManifest(join(fixtures, "kith-manifest.csv"))).rejects.toThrow(
      'line 4: owner "not-an-address" is not an email address',
    );
    const dir = mkdtempSync(join(tmpdir(), "kith-manifest-"));
    writeFileSync(join(dir, "m.csv"), 'path,owner\na.mbox,"Steve French <SMFrench@gmail.com>"\n');
    const manifest = await readManifest(join(dir, "m.csv"));
    expect(manifest.mailboxes).toEqual([{ path: join(dir, "a.mbox"), owner: "smfrench@gmail.com" }]);
  });
});

describeWithCorpora("detectFormat on the real corpora", () => {
  it("recognises a real Enron mbox file without an extension", async () => {
    expect((await detectFormat(join(enronMbox, "enron.allen-p._sent_mail"))).format).toBe("mbox");
  });
});
