import { createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { KithError } from "../domain/errors";
import {
  cipherFor,
  cipherForRewrite,
  destroyedCipher,
  keyedCipher,
  keyedFormat,
  readableCipher,
  readableFormat,
  setCipherSource,
  setRewriteSource,
} from "./field-cipher";

const tenant = "7c0e6a52-8d7e-4b8e-9a43-2a4d7f1f0c11";
const other = "0b3c1d8e-5a4f-4c2e-8e61-9f7d2b6a4e22";
const address = "Zed.Quimby@Alpha-Client.test";
const subject = "Alpha merger terms — für Zoë 🚀";

describe("readable cipher", () => {
  const cipher = readableCipher(tenant);

  it("keeps text as it is behind format byte 0, and opens it back", () => {
    const sealed = cipher.seal("subject", subject);
    expect(sealed[0]).toBe(readableFormat);
    expect(sealed.subarray(1).toString("utf8")).toBe(subject);
    expect(cipher.open("subject", sealed)).toBe(subject);
    expect(cipher.open("name", cipher.seal("name", ""))).toBe("");
  });

  it("keys addresses by the contract's unkeyed hash of the lower-cased address", () => {
    const expected = createHash("sha256")
      .update(`kith-address\0${tenant}\0${address.toLowerCase()}`)
      .digest()
      .subarray(0, 8);
    expect(cipher.addressKey(address)).toEqual(expected);
    expect(cipher.addressKey(address.toUpperCase())).toEqual(expected);
    expect(cipher.domainKey("alpha-client.test")).not.toEqual(cipher.addressKey("alpha-client.test"));
  });

  it("does not open a keyed value", () => {
    const sealed = keyedCipher(tenant, randomBytes(32)).seal("subject", subject);
    expect(cipher.open("subject", sealed)).toBeNull();
  });
});

describe("keyed cipher", () => {
  const dataKey = randomBytes(32);
  const cipher = keyedCipher(tenant, dataKey);

  it("seals as format 1 | 12-byte nonce | AES-256-GCM ciphertext | 16-byte tag, and opens it back", () => {
    const sealed = cipher.seal("subject", subject);
    expect(sealed[0]).toBe(keyedFormat);
    expect(sealed.length).toBe(1 + 12 + Buffer.byteLength(subject) + 16);
    expect(sealed.toString("latin1")).not.toContain("Alpha merger");
    expect(cipher.open("subject", sealed)).toBe(subject);
    expect(cipher.open("name", cipher.seal("name", ""))).toBe("");
  });

  it("is plain AES-256-GCM under an HKDF subkey, with the field and tenant as additional data", () => {
    const sealKey = Buffer.from(
      hkdfSync("sha256", dataKey, Buffer.alloc(0), `kith-live-seal\0${tenant}`, 32),
    );
    const sealed = cipher.seal("name", "Zed Quimby");
    const decipher = createDecipheriv("aes-256-gcm", sealKey, sealed.subarray(1, 13));
    decipher.setAAD(Buffer.from(`name\0${tenant}`));
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    const plain = Buffer.concat([decipher.update(sealed.subarray(13, sealed.length - 16)), decipher.final()]);
    expect(plain.toString("utf8")).toBe("Zed Quimby");
    // The data key itself seals nothing: only its subkeys are used.
    const direct = createDecipheriv("aes-256-gcm", dataKey, sealed.subarray(1, 13));
    direct.setAAD(Buffer.from(`name\0${tenant}`));
    direct.setAuthTag(sealed.subarray(sealed.length - 16));
    direct.update(sealed.subarray(13, sealed.length - 16));
    expect(() => direct.final()).toThrow();
  });

  it("uses a new nonce for every seal, across refills of the nonce pool", () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 5000; i++)
      nonces.add(cipher.seal("address", address).subarray(1, 13).toString("hex"));
    expect(nonces.size).toBe(5000);
  });

  it("opens nothing moved to another field or tenant, altered, or under another key", () => {
    const sealed = cipher.seal("address", address);
    expect(cipher.open("name", sealed)).toBeNull();
    expect(keyedCipher(other, dataKey).open("address", sealed)).toBeNull();
    expect(keyedCipher(tenant, randomBytes(32)).open("address", sealed)).toBeNull();
    for (const at of [1, 13, sealed.length - 1]) {
      const altered = Buffer.from(sealed);
      altered[at] = (altered[at] ?? 0) ^ 1;
      expect(cipher.open("address", altered), `byte ${at}`).toBeNull();
    }
    expect(cipher.open("address", sealed.subarray(0, 20))).toBeNull();
    expect(cipher.open("address", Buffer.alloc(0))).toBeNull();
    expect(cipher.open("address", Buffer.from([7, 1, 2, 3]))).toBeNull();
  });

  it("opens the readable format too (rows written before keys were configured)", () => {
    expect(cipher.open("subject", readableCipher(tenant).seal("subject", subject))).toBe(subject);
  });

  it("keys addresses and domains by an 8-byte HMAC-SHA256 under an HKDF subkey of the data key", () => {
    const indexKey = Buffer.from(
      hkdfSync("sha256", dataKey, Buffer.alloc(0), `kith-live-index\0${tenant}`, 32),
    );
    const hmac = (text: string) => createHmac("sha256", indexKey).update(text).digest().subarray(0, 8);
    expect(cipher.addressKey(address)).toEqual(hmac(`address\0${address.toLowerCase()}`));
    expect(cipher.addressKey(address.toLowerCase())).toEqual(cipher.addressKey(address));
    expect(cipher.domainKey("Alpha-Client.test")).toEqual(hmac("domain\0alpha-client.test"));
    // Unlinkable without the key: neither the readable hash nor another tenant's key matches.
    expect(cipher.addressKey(address)).not.toEqual(readableCipher(tenant).addressKey(address));
    expect(cipher.addressKey(address)).not.toEqual(keyedCipher(other, dataKey).addressKey(address));
    expect(cipher.addressKey(address)).not.toEqual(keyedCipher(tenant, randomBytes(32)).addressKey(address));
  });

  it("refuses a data key that is not 32 bytes", () => {
    expect(() => keyedCipher(tenant, randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe("destroyed cipher", () => {
  const cipher = destroyedCipher(tenant);

  it("opens nothing keyed and refuses every write or lookup with a KithError", () => {
    const sealed = keyedCipher(tenant, randomBytes(32)).seal("name", "Zed Quimby");
    expect(cipher.open("name", sealed)).toBeNull();
    for (const attempt of [
      () => cipher.seal("name", "Zed Quimby"),
      () => cipher.addressKey(address),
      () => cipher.domainKey("alpha-client.test"),
    ]) {
      const error = (() => {
        try {
          attempt();
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(error).toBeInstanceOf(KithError);
      expect(error).toMatchObject({
        code: "consent_required",
        message: expect.stringMatching(/data key was destroyed/) as unknown,
      });
    }
  });
});

describe("the process-wide source", () => {
  afterEach(() => setCipherSource(readableCipher));

  it("is readable by default and follows setCipherSource", () => {
    expect(cipherFor(tenant).seal("subject", "x")[0]).toBe(readableFormat);
    const key = randomBytes(32);
    setCipherSource((t) => keyedCipher(t, key));
    const sealed = cipherFor(tenant).seal("subject", "x");
    expect(sealed[0]).toBe(keyedFormat);
    expect(keyedCipher(tenant, key).open("subject", sealed)).toBe("x");
  });

  it("rewrites with cipherFor's cipher unless a rewrite source is set; setCipherSource drops it", async () => {
    expect((await cipherForRewrite(tenant)).seal("subject", "x")[0]).toBe(readableFormat);
    const key = randomBytes(32);
    setRewriteSource((t) => Promise.resolve(keyedCipher(t, key)));
    expect((await cipherForRewrite(tenant)).seal("subject", "x")[0]).toBe(keyedFormat);
    expect(cipherFor(tenant).seal("subject", "x")[0]).toBe(readableFormat);
    setCipherSource(readableCipher);
    expect((await cipherForRewrite(tenant)).seal("subject", "x")[0]).toBe(readableFormat);
  });
});
