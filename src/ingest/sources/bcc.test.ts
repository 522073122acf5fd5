/**
 * Bcc is never read (SPEC §2): an address that only a Bcc names must not reach any record, on
 * every reader of every format (Graph document and NDJSON, inline and in workers; RFC 5322).
 * And a malformed record's rejection (kept in batch summaries) names where, never what it held.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readGraph, readGraphBatches } from "./graph";
import { readEml, readMbox } from "./rfc5322";
import { collect } from "./test-helpers";

const dir = mkdtempSync(join(tmpdir(), "kith-bcc-"));
const hidden = "hidden.bcc@fabrikam.com";

function graphMessage(n: number): Record<string, unknown> {
  return {
    id: `m${n}`,
    sentDateTime: "2024-03-01T08:00:00Z",
    internetMessageId: `<m${n}@contoso.com>`,
    subject: "Kickoff",
    from: { emailAddress: { name: "Megan Bowen", address: "meganb@contoso.com" } },
    toRecipients: [{ emailAddress: { name: "Lee Gu", address: "lee.gu@fabrikam.com" } }],
    ccRecipients: [],
    bccRecipients: [{ emailAddress: { name: "Hidden", address: hidden } }],
  };
}

describe("Bcc is never read", () => {
  it("Graph JSON document: bccRecipients is ignored", async () => {
    const path = join(dir, "messages.json");
    writeFileSync(path, JSON.stringify({ value: [graphMessage(1), graphMessage(2)] }, null, 2));
    const records = await collect(readGraph(path));
    expect(records.map((r) => r.type)).toEqual(["email", "email"]);
    expect(JSON.stringify(records)).not.toContain(hidden);
  });

  it("Graph NDJSON, inline and in worker threads: bccRecipients is ignored", async () => {
    const path = join(dir, "messages.ndjson");
    writeFileSync(
      path,
      Array.from({ length: 50 }, (_, i) => JSON.stringify(graphMessage(i))).join("\n") + "\n",
    );
    for (const workers of [1, 2]) {
      const batches = await collect(readGraphBatches(path, { workers }));
      const records = batches.flat();
      expect(records.filter((r) => r.type === "email")).toHaveLength(50);
      expect(JSON.stringify(records)).not.toContain(hidden);
    }
  });

  it("RFC 5322 (.eml and mbox): Bcc, Resent-Bcc and X-bcc headers are ignored", async () => {
    const headers = [
      "Message-ID: <b1@contoso.com>",
      "Date: Fri, 1 Mar 2024 08:00:00 +0000",
      "From: Megan Bowen <meganb@contoso.com>",
      "To: Lee Gu <lee.gu@fabrikam.com>",
      `Bcc: Hidden <${hidden}>`,
      `Resent-Bcc: ${hidden}`,
      `X-bcc: ${hidden}`,
      "Subject: Kickoff",
      "",
      "body",
      "",
    ].join("\r\n");
    const eml = join(dir, "message.eml");
    writeFileSync(eml, headers);
    const mbox = join(dir, "messages.mbox");
    writeFileSync(
      mbox,
      `From meganb@contoso.com Fri Mar  1 08:00:00 2024\n${headers.replaceAll("\r\n", "\n")}\n`,
    );
    for (const records of [await collect(readEml(eml)), await collect(readMbox(mbox))]) {
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ type: "email", to: [{ address: "lee.gu@fabrikam.com" }], cc: [] });
      expect(JSON.stringify(records)).not.toContain(hidden);
    }
  });

  it("a malformed Graph record is rejected without quoting its content", async () => {
    const bad = `{"subject": "Secret pricing", "from": ${hidden}}`;
    const ndjson = join(dir, "bad.ndjson");
    writeFileSync(ndjson, `${JSON.stringify(graphMessage(1))}\n${bad}\n`);
    const document = join(dir, "bad.json");
    writeFileSync(document, `[\n  ${JSON.stringify(graphMessage(1))},\n  ${bad}\n]\n`);
    const whole = join(dir, "bad-whole.json");
    writeFileSync(whole, bad);
    for (const path of [ndjson, document, whole]) {
      const rejected = (await collect(readGraph(path))).filter((r) => r.type === "rejected");
      expect(rejected, path).toHaveLength(1);
      expect(JSON.stringify(rejected)).toMatch(/invalid JSON/);
      expect(JSON.stringify(rejected)).not.toContain("hidden.bcc");
      expect(JSON.stringify(rejected)).not.toContain("Secret");
    }
  });
});
