import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { KithError } from "../domain/errors";
import {
  cipherFor,
  cipherForRewrite,
  keyedCipher,
  keyedFormat,
  readableCipher,
  readableFormat,
} from "../store/field-cipher";
import type { Store } from "../store/store";
import { dataKeysFor, ensureLiveKey, forgetTenant, type BackupKeys } from "./backup-keys";
import { createContext } from "./context";
import { configureDataKeys, currentDataKeys, dataKeyState, revalidateMs, useDataKeys } from "./data-keys";

/**
 * The live store's key source at the key-store level (no store): which cipher a tenant gets, that
 * its live key is its backup key, and that a destruction, by this process or another, is seen.
 */
const dir = mkdtempSync(join(tmpdir(), "kith-data-keys-"));
const now = new Date("2026-06-01T09:00:00Z");
let keys: BackupKeys;
let n = 0;
const tenant = () => `tenant-${++n}`;

beforeEach(() => {
  keys = { kek: randomBytes(32), keyStore: join(dir, `keystore-${++n}.json`) };
  useDataKeys(keys);
});
afterEach(() => useDataKeys(null));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What another process does: changes the file by a rename, which this process's listener never hears. */
function changeKeyStoreElsewhere(change: (file: { keys: { tenantId: string }[] }) => void): void {
  const file = JSON.parse(readFileSync(keys.keyStore, "utf8")) as { keys: { tenantId: string }[] };
  change(file);
  writeFileSync(`${keys.keyStore}.elsewhere`, JSON.stringify(file));
  renameSync(`${keys.keyStore}.elsewhere`, keys.keyStore);
}

function thrown(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  return null;
}

describe("live data keys", () => {
  it("without a key store configured, every tenant is readable", () => {
    useDataKeys(null);
    expect(currentDataKeys()).toBeNull();
    const t = tenant();
    expect(dataKeyState(t)).toBe("readable");
    expect(cipherFor(t).seal("subject", "x")[0]).toBe(readableFormat);
  });

  it("gives an empty tenant a live key, which is its backup data key", async () => {
    const t = tenant();
    expect(dataKeyState(t)).toBe("readable");
    expect(await ensureLiveKey(keys, t, now, [], false)).toBe(true);
    expect(dataKeyState(t)).toBe("keyed");
    const sealed = cipherFor(t).seal("address", "zed@client.test");
    expect(sealed[0]).toBe(keyedFormat);
    expect(cipherFor(t).open("address", sealed)).toBe("zed@client.test");
    // A backup uses the same key: one destruction covers the live store and the backups.
    const backupKey = (await dataKeysFor(keys, [t], now)).get(t);
    expect(backupKey && keyedCipher(t, backupKey.key).open("address", sealed)).toBe("zed@client.test");
  });

  it("gives an empty tenant with an older backup key a new live key, which later backups use", async () => {
    const t = tenant();
    const older = (await dataKeysFor(keys, [t], now)).get(t);
    expect(dataKeyState(t)).toBe("readable");
    await ensureLiveKey(keys, t, now, [], false);
    expect(dataKeyState(t)).toBe("keyed");
    const sealed = cipherFor(t).seal("name", "Zed Quimby");
    const later = (await dataKeysFor(keys, [t], now)).get(t);
    expect(later?.id).not.toBe(older?.id);
    expect(later && keyedCipher(t, later.key).open("name", sealed)).toBe("Zed Quimby");
    // The older key stays for the backups made with it, until a withdrawal destroys both.
    const stored = () => JSON.parse(readFileSync(keys.keyStore, "utf8")) as { keys: { tenantId: string }[] };
    expect(stored().keys.filter((k) => k.tenantId === t)).toHaveLength(2);
    await forgetTenant(keys.keyStore, t, now, "consent withdrawn");
    expect(stored().keys.filter((k) => k.tenantId === t)).toHaveLength(0);
    expect(dataKeyState(t)).toBe("destroyed");
  });

  it("keeps a tenant with collected data readable, its address keys stable, even once a backup gave it a key", async () => {
    const t = tenant();
    const before = readableCipher(t).addressKey("Zed@Client.test");
    expect(await ensureLiveKey(keys, t, now, [], true)).toBe(false);
    await dataKeysFor(keys, [t], now);
    expect(await ensureLiveKey(keys, t, now, [], true)).toBe(false);
    expect(dataKeyState(t)).toBe("readable");
    expect(cipherFor(t).addressKey("zed@client.test")).toEqual(before);
    expect(cipherFor(t).seal("subject", "x")[0]).toBe(readableFormat);
  });

  it("seals nothing once the key is destroyed; a cipher taken before follows; other tenants are unaffected", async () => {
    const [t, other] = [tenant(), tenant()];
    await ensureLiveKey(keys, t, now, [], false);
    await ensureLiveKey(keys, other, now, [], false);
    const held = cipherFor(t);
    const sealed = held.seal("subject", "Alpha merger terms");
    const otherSealed = cipherFor(other).seal("subject", "Beta renewal");
    await forgetTenant(keys.keyStore, t, now, "consent withdrawn: identifiable");
    expect(dataKeyState(t)).toBe("destroyed");
    expect(held.open("subject", sealed)).toBeNull();
    expect(cipherFor(t).open("subject", sealed)).toBeNull();
    for (const attempt of [() => held.seal("subject", "x"), () => cipherFor(t).addressKey("a@b.test")])
      expect(thrown(attempt)).toBeInstanceOf(KithError);
    expect(cipherFor(other).open("subject", otherSealed)).toBe("Beta renewal");
    // A backup made after the withdrawal gives the tenant a new backup key: the live store stays shut.
    await dataKeysFor(keys, [t, other], now);
    expect(dataKeyState(t)).toBe("destroyed");
    // Consent granted again on the emptied store: a new key; the old rows stay unreadable.
    await ensureLiveKey(keys, t, new Date(now.getTime() + 1000), [], false);
    expect(dataKeyState(t)).toBe("keyed");
    expect(cipherFor(t).open("subject", sealed)).toBeNull();
    expect(cipherFor(t).open("subject", cipherFor(t).seal("subject", "again"))).toBe("again");
  });

  it("sees another process's destruction at the next cipherFor, by the key store's stat", async () => {
    const t = tenant();
    await ensureLiveKey(keys, t, now, [], false);
    const sealed = cipherFor(t).seal("subject", "Gamma plans");
    expect(cipherFor(t).open("subject", sealed)).toBe("Gamma plans");
    changeKeyStoreElsewhere((file) => {
      file.keys = file.keys.filter((k) => k.tenantId !== t);
    });
    await new Promise((resolve) => setTimeout(resolve, revalidateMs + 1));
    expect(cipherFor(t).open("subject", sealed)).toBeNull();
  });

  it("does not adopt a key that a withdrawal made elsewhere should have destroyed", async () => {
    const t = tenant();
    await ensureLiveKey(keys, t, now, [], false);
    const sealed = cipherFor(t).seal("subject", "before");
    const receipt = { tenantId: t, userId: null, at: now.getTime() + 5000, reason: "consent withdrawn" };
    await ensureLiveKey(keys, t, new Date(now.getTime() + 9000), [receipt], false);
    expect(dataKeyState(t)).toBe("keyed");
    expect(cipherFor(t).open("subject", sealed)).toBeNull();
  });

  it("gives a readable tenant a key for a rewrite of all its data, and a withdrawn one none", async () => {
    const [t, withdrawn] = [tenant(), tenant()];
    const readableHash = cipherFor(t).addressKey("zed@client.test");
    const rewrite = await cipherForRewrite(t);
    expect(dataKeyState(t)).toBe("keyed");
    expect(rewrite.seal("address", "zed@client.test")[0]).toBe(keyedFormat);
    expect(rewrite.addressKey("zed@client.test")).not.toEqual(readableHash);
    // Rows not yet rewritten still open (readable format) under the new cipher.
    expect(rewrite.open("address", readableCipher(t).seal("address", "zed@client.test"))).toBe(
      "zed@client.test",
    );
    await ensureLiveKey(keys, withdrawn, now, [], false);
    await forgetTenant(keys.keyStore, withdrawn, now, "consent withdrawn");
    await cipherForRewrite(withdrawn);
    expect(dataKeyState(withdrawn)).toBe("destroyed");
    useDataKeys(null);
    const other = tenant();
    expect((await cipherForRewrite(other)).seal("subject", "x")[0]).toBe(readableFormat);
  });

  it("fails at start-up on a KEK the key store was not made with", async () => {
    await ensureLiveKey(keys, tenant(), now, [], false);
    expect(() => useDataKeys({ ...keys, kek: randomBytes(32) })).toThrow(/does not open key store/);
  });
});

describe("configuration", () => {
  const store = {} as Store;

  it("with the key store but no KEK: tenants without a key stay readable, a keyed tenant's data is refused", async () => {
    const [keyed, plain] = [tenant(), tenant()];
    await ensureLiveKey(keys, keyed, now, [], false);
    const sealed = cipherFor(keyed).seal("subject", "Alpha merger terms");
    useDataKeys(null);
    expect(configureDataKeys({ keyStore: keys.keyStore, kek: null })).toBe("readable");
    expect(currentDataKeys()).toBeNull();
    expect(dataKeyState(keyed)).toBe("keyed");
    expect(dataKeyState(plain)).toBe("readable");
    expect(cipherFor(plain).seal("subject", "x")[0]).toBe(readableFormat);
    for (const attempt of [
      () => cipherFor(keyed).open("subject", sealed),
      () => cipherFor(keyed).seal("subject", "x"),
      () => cipherFor(keyed).addressKey("zed@client.test"),
    ])
      expect(thrown(attempt)).toMatchObject({
        code: "unavailable",
        message: expect.stringMatching(/no key-encryption key/) as unknown,
      });
    expect(cipherFor(keyed).open("subject", readableCipher(keyed).seal("subject", "old"))).toBe("old");
    // It still records withdrawals (no KEK needed), and sees them.
    await forgetTenant(keys.keyStore, keyed, now, "consent withdrawn");
    expect(dataKeyState(keyed)).toBe("destroyed");
  });

  it("seals with both the key store and the KEK set, readable otherwise", async () => {
    const t = tenant();
    await ensureLiveKey(keys, t, now, [], false);
    useDataKeys(null);
    expect(configureDataKeys({ keyStore: null, kek: { text: keys.kek.toString("base64") } })).toBe(
      "readable",
    );
    expect(dataKeyState(t)).toBe("readable");
    expect(currentDataKeys()).toBeNull();
    const kek = { text: keys.kek.toString("base64") };
    const ctx = createContext(store, () => now, { keyStore: keys.keyStore, kek });
    expect(ctx.backupKeyStore).toBe(keys.keyStore);
    expect(currentDataKeys()?.keyStore).toBe(keys.keyStore);
    expect(dataKeyState(t)).toBe("keyed");
    // A second context of the process (a path only) leaves the process-wide cipher as it is.
    createContext(store, () => now, keys.keyStore);
    expect(dataKeyState(t)).toBe("keyed");
    createContext(store, () => now, { keyStore: null, kek: null });
    expect(currentDataKeys()).toBeNull();
    expect(() =>
      createContext(store, () => now, {
        keyStore: keys.keyStore,
        kek: { text: randomBytes(32).toString("hex") },
      }),
    ).toThrow(/does not open key store/);
  });
});
