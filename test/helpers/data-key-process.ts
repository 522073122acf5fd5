/**
 * Another Kith process on the same key store (data-keys.db.test.ts): it wires its ciphers from its
 * own configuration, as `kith serve` does, opens sealed values, waits, and opens them again, so a
 * test can withdraw consent in between and see this process notice the destroyed key.
 *
 * Run as `node --import tsx test/helpers/data-key-process.ts` with the environment:
 *   KITH_DATABASE_URL, KITH_BACKUP_KEYSTORE, KITH_BACKUP_KEK   as for `kith serve`
 *   SEALED   JSON array of { tenant, field, hex } to open
 * Protocol on stdout: `before <json>` (each opened text or null, and each tenant's key state); a
 * line on stdin; then `after <json>` and exit.
 */
import { createInterface } from "node:readline";
import { loadConfig } from "../../src/config/config";
import { clockFrom, openContext } from "../../src/services/context";
import { dataKeyState } from "../../src/services/data-keys";
import { cipherFor } from "../../src/store/field-cipher";

const config = loadConfig();
const { close } = await openContext(config.databaseUrl, clockFrom(config.clockStart), config.backup);
const sealed = JSON.parse(process.env.SEALED ?? "[]") as { tenant: string; field: string; hex: string }[];
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

const look = () =>
  JSON.stringify({
    opened: sealed.map((s) => cipherFor(s.tenant).open(s.field, Buffer.from(s.hex, "hex"))),
    states: sealed.map((s) => dataKeyState(s.tenant)),
  });

try {
  process.stdout.write(`before ${look()}\n`);
  await lines.next();
  process.stdout.write(`after ${look()}\n`);
} finally {
  await close();
  process.exit(0);
}
