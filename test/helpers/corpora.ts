/**
 * The real email corpora (Enron mailboxes, the linux-cifs list) live outside the repository. One
 * variable names their folder: `KITH_CORPORA`, default `../shared/data` beside the checkout.
 * Tests that need them are skipped, with the reason in their name, where the folder is absent — a
 * clone elsewhere still passes `npm test` — but in CI (`CI` set) a missing corpus fails the run:
 * CI must run every check it claims.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "vitest";

const repository = fileURLToPath(new URL("../..", import.meta.url));

export const corporaDir = resolve(repository, process.env.KITH_CORPORA ?? "../shared/data");
export const enronMbox = join(corporaDir, "enron/mbox");
export const linuxCifsMbox = join(corporaDir, "mailing-lists/linux-cifs/linux-cifs-2019-2020.mbox");

const present = existsSync(enronMbox) && existsSync(linuxCifsMbox);
const missing = `the real corpora are not at ${corporaDir} (set KITH_CORPORA to their folder)`;
const inCi = Boolean(process.env.CI);

/**
 * `describe` for cases that read the real corpora (see the module comment for when they skip).
 * `body` may define nested suites, e.g. `describeEachEngine`.
 */
export function describeWithCorpora(name: string, body: () => void): void {
  if (present) describe(name, body);
  else if (inCi)
    describe(name, () =>
      it("finds the real corpora", () => {
        throw new Error(`${missing}; CI runs every corpus test`);
      }),
    );
  else describe.skipIf(true)(`${name} (skipped: ${missing})`, body);
}
