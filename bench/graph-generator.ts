/**
 * Generates a Graph-shaped NDJSON mail export for the ingest benchmark, deterministically:
 * ~20k internal users, 500k external addresses on ~40k domains with Zipf-skewed popularity,
 * 1–8 recipients, a year of dates, a third of the messages present in two mailboxes, and lines
 * of about 850 bytes with the members real Graph exports carry (ids, etags, links, previews).
 */
import { createSeededRng as seeded } from "../src/insights/rng";
import { createWriteStream } from "node:fs";
import { once } from "node:events";

export const benchShape = {
  internalUsers: 20_000,
  externalAddresses: 500_000,
  externalDomains: 40_000,
  internalDomain: "contoso.com",
};

export const internalAddress = (i: number) => `user${i}@${benchShape.internalDomain}`;

function zipfSampler(n: number, s: number, rand: () => number): () => number {
  // Inverse-CDF over a precomputed cumulative table: O(log n) per draw.
  const cdf = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += 1 / Math.pow(i + 1, s);
    cdf[i] = total;
  }
  return () => {
    const x = rand() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

const words = [
  "quarterly",
  "review",
  "pricing",
  "contract",
  "renewal",
  "proposal",
  "update",
  "meeting",
  "follow",
  "up",
  "invoice",
  "shipment",
  "forecast",
  "pilot",
  "roadmap",
  "support",
  "ticket",
  "draft",
  "agenda",
  "notes",
];

export async function generateGraphNdjson(
  path: string,
  records: number,
  seed = 42,
): Promise<{ lines: number; bytes: number; distinct: number }> {
  const rand = seeded(seed);
  const domain = zipfSampler(benchShape.externalDomains, 1.1, rand);
  const perDomain = Math.ceil(benchShape.externalAddresses / benchShape.externalDomains);
  const user = zipfSampler(benchShape.internalUsers, 0.6, rand);
  const external = () => `contact${Math.floor(rand() * perDomain)}@d${domain()}.example.com`;
  const yearStart = Date.UTC(2025, 11, 1);
  const out = createWriteStream(path, { highWaterMark: 1 << 22 });
  let bytes = 0;
  let lines = 0;
  const id = () => Math.floor(rand() * 2 ** 52).toString(36);
  const write = async (line: string) => {
    bytes += Buffer.byteLength(line) + 1;
    lines++;
    if (!out.write(`${line}\n`)) await once(out, "drain");
  };
  let n = 0;
  for (; lines < records; n++) {
    const outbound = rand() < 0.55;
    const sender = outbound ? internalAddress(user()) : external();
    const count = 1 + Math.floor(rand() * rand() * 8);
    const recipients: string[] = [];
    for (let r = 0; r < count; r++)
      recipients.push(rand() < (outbound ? 0.7 : 0.25) ? external() : internalAddress(user()));
    if (!outbound) recipients[0] = internalAddress(user());
    const to = recipients.slice(0, Math.max(1, count - Math.floor(count / 3)));
    const cc = recipients.slice(to.length);
    const sent = new Date(yearStart + Math.floor(rand() * 365 * 86_400_000))
      .toISOString()
      .replace(".000Z", "Z");
    const subject = Array.from(
      { length: 3 + Math.floor(rand() * 5) },
      () => words[Math.floor(rand() * words.length)],
    ).join(" ");
    const messageId = `<${id()}.${n}@${outbound ? benchShape.internalDomain : "mail.example.com"}>`;
    const conv = `AAQkAD${id()}${id()}`;
    const addr = (a: string) =>
      `{"emailAddress":{"name":"${a.slice(0, a.indexOf("@")).replace(/\d+/, " ")}","address":"${a}"}}`;
    const base = (owner: string) =>
      `{"@odata.etag":"W/\\"CQAAABYAAAD${id()}\\"","id":"AAMkAD${id()}${id()}${id()}=","createdDateTime":"${sent}","lastModifiedDateTime":"${sent}","receivedDateTime":"${sent}","sentDateTime":"${sent}","internetMessageId":"${messageId}","subject":"${subject}","bodyPreview":"Following up as discussed.","parentFolderId":"AAMkAD${id()}AAA=","conversationId":"${conv}","from":${addr(sender)},"toRecipients":[${to.map(addr).join(",")}],"ccRecipients":[${cc.map(addr).join(",")}],"bccRecipients":[],"mailboxOwner":"${owner}"}`;
    const owner = outbound
      ? sender
      : (recipients.find((r) => r.endsWith(benchShape.internalDomain)) ?? internalAddress(0));
    await write(base(owner));
    // A third of messages also sit in a second mailbox (a colleague on the thread).
    if (n % 3 === 0 && lines < records) await write(base(internalAddress(user())));
  }
  out.end();
  await once(out, "finish");
  return { lines, bytes, distinct: n };
}
