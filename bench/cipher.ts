/**
 * `npm run bench -- cipher`: what sealing collected data costs per call (store/field-cipher.ts),
 * for a 40-byte address: seal, open and keyed hash under a tenant's data key, through `cipherFor`
 * with live data keys (services/data-keys.ts: the key store's stat re-check included), and the
 * readable cipher as the reference measured in the same process. Never asserts.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureLiveKey } from "../src/services/backup-keys";
import { useDataKeys } from "../src/services/data-keys";
import { cipherFor, keyedCipher, readableCipher } from "../src/store/field-cipher";

const rounds = 50_000;

function perCall(work: (i: number) => unknown): number {
  for (let i = 0; i < 5_000; i++) work(i % 1000);
  const started = performance.now();
  for (let i = 0; i < rounds; i++) work(i % 1000);
  return ((performance.now() - started) * 1000) / rounds;
}

export async function run(): Promise<void> {
  const texts = Array.from(
    { length: 1000 },
    (_, i) => `person.number${String(i).padStart(4, "0")}@example-corporate.test`,
  );
  const tenant = randomUUID();
  const keyed = keyedCipher(tenant, randomBytes(32));
  const readable = readableCipher(tenant);
  const sealed = texts.map((t) => keyed.seal("address", t));
  const plain = texts.map((t) => readable.seal("address", t));
  const figures: [string, number, number][] = [
    [
      "seal",
      perCall((i) => keyed.seal("address", texts[i]!)),
      perCall((i) => readable.seal("address", texts[i]!)),
    ],
    [
      "open",
      perCall((i) => keyed.open("address", sealed[i]!)),
      perCall((i) => readable.open("address", plain[i]!)),
    ],
    [
      "addressKey",
      perCall((i) => keyed.addressKey(texts[i]!)),
      perCall((i) => readable.addressKey(texts[i]!)),
    ],
  ];
  // Through cipherFor with live data keys, as the repositories call it.
  const dir = mkdtempSync(join(tmpdir(), "kith-bench-cipher-"));
  const keys = { keyStore: join(dir, "keystore.json"), kek: randomBytes(32) };
  try {
    useDataKeys(keys);
    await ensureLiveKey(keys, tenant, new Date(), [], false);
    const viaSource = perCall((i) => cipherFor(tenant).seal("address", texts[i]!));
    figures.push(["cipherFor + seal", viaSource, figures[0]![2]]);
  } finally {
    useDataKeys(null);
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`field cipher, µs per call for a 40-byte address (${rounds.toLocaleString("en")} calls each):`);
  for (const [name, keyedUs, readableUs] of figures)
    console.log(
      `  ${name.padEnd(17)} sealed ${keyedUs.toFixed(2)} µs, readable ${readableUs.toFixed(2)} µs (${(keyedUs / readableUs).toFixed(1)}×)`,
    );
}
