/**
 * Graph NDJSON parse benchmark: `node --import tsx src/ingest/sources/graph-ndjson.bench.ts [lines] [workers]`.
 * Generates a file of Graph message lines (~850 bytes each, shaped like Microsoft's documented
 * message example, with a body) once, then times JSON.parse of every line (the baseline), the
 * inline scanner path and the worker pool.
 */
import { createReadStream, existsSync, openSync, statSync, writeSync, closeSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { readGraph } from "./graph";

const lines = Number(process.argv[2] ?? 1_000_000);
const workers = Number(process.argv[3] ?? Math.max(2, availableParallelism()));
const file = join(tmpdir(), `kith-graph-bench-${lines}.ndjson`);

function generate(): void {
  const fd = openSync(file, "w");
  const people = ["adele.vance", "megan.bowen", "alex.wilber", "lee.gu", "nestor.wilke", "pradeep.gupta"];
  let buffer = "";
  for (let i = 0; i < lines; i++) {
    const p = (k: number) => people[(i + k) % people.length]!;
    const sent = new Date(Date.UTC(2024, 0, 1) + i * 37_000).toISOString().replace(".000Z", "Z");
    const message = {
      id: `AAMkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1${i}`,
      receivedDateTime: sent,
      sentDateTime: sent,
      internetMessageId: `<MWHPR1301MB2${i}@MWHPR1301MB2240.namprd13.prod.outlook.com>`,
      subject: `Q${(i % 4) + 1} pipeline review for account ${i % 997}`,
      bodyPreview: "Hi team, notes attached.",
      parentFolderId: "AAMkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1OGY5OTZhYmY4OAAuAAAAAAAiQ8W967B7TKAAA=",
      conversationId: `AAQkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZi${i % 50_000}=`,
      isDraft: false,
      body: {
        contentType: "html",
        content: "<html><body><p>Hi team, notes attached.</p></body></html>",
      },
      from: { emailAddress: { name: "Megan Bowen", address: `${p(0)}@contoso.onmicrosoft.com` } },
      toRecipients: [{ emailAddress: { name: "Lee Gu", address: `${p(1)}@fabrikam.com` } }],
      ccRecipients: [{ emailAddress: { name: "Alex Wilber", address: `${p(2)}@contoso.onmicrosoft.com` } }],
    };
    buffer += `${JSON.stringify(message)}\n`;
    if (buffer.length > 1 << 20) {
      writeSync(fd, buffer);
      buffer = "";
    }
  }
  writeSync(fd, buffer);
  closeSync(fd);
}

async function time(label: string, run: () => Promise<number>): Promise<void> {
  const started = performance.now();
  const count = await run();
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${label.padEnd(28)} ${count} records in ${seconds.toFixed(2)} s = ${Math.round(count / seconds)} lines/s`,
  );
}

if (!existsSync(file)) generate();
console.log(
  `${file}: ${lines} lines, ${(statSync(file).size / lines).toFixed(0)} bytes/line, ${workers} workers`,
);
await time("readline + JSON.parse", async () => {
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(file) })) {
    if (JSON.parse(line) !== null) n++;
  }
  return n;
});
for (const [label, count] of [
  ["readGraph, inline", 1],
  [`readGraph, ${workers} threads`, workers],
] as const) {
  await time(label, async () => {
    let n = 0;
    for await (const record of readGraph(file, { workers: count })) if (record.type === "email") n++;
    return n;
  });
}
