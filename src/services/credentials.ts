import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { validationError } from "../domain/errors";

/**
 * Live sources' credentials at rest: AES-256-GCM (node:crypto) with a key from the environment
 * (`KITH_SECRET_KEY`), never from the database. Each ciphertext is bound to the row it belongs
 * to (`context`, as additional authenticated data), so one copied onto another source or mailbox
 * does not decrypt. Stored as `v1:` + base64(nonce ‖ tag ‖ ciphertext).
 */
export interface CredentialCipher {
  seal(plain: string, context: string): string;
  open(sealed: string, context: string): string;
}

const version = "v1:";

export function createCredentialCipher(keyText: string | null): CredentialCipher {
  const key = keyText === null ? null : decodeKey(keyText);
  const requireKey = () => {
    if (key === null)
      throw validationError(
        "KITH_SECRET_KEY is not set: live mail sources need it to encrypt and read their credentials (openssl rand -base64 32)",
      );
    return key;
  };
  return {
    seal(plain, context) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", requireKey(), nonce);
      cipher.setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return version + Buffer.concat([nonce, cipher.getAuthTag(), body]).toString("base64");
    },
    open(sealed, context) {
      if (!sealed.startsWith(version)) throw new Error("a stored credential is in an unknown format");
      const bytes = Buffer.from(sealed.slice(version.length), "base64");
      const decipher = createDecipheriv("aes-256-gcm", requireKey(), bytes.subarray(0, 12));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(bytes.subarray(12, 28));
      try {
        return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8");
      } catch {
        throw new Error(
          "a stored credential does not decrypt with KITH_SECRET_KEY (another key, or it was altered)",
        );
      }
    },
  };
}

function decodeKey(text: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, "hex") : Buffer.from(text, "base64");
  if (key.length !== 32) throw validationError("KITH_SECRET_KEY must be 32 bytes (base64 or hex)");
  return key;
}
