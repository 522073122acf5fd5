import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { emailKeys, monthOf, normaliseSubject } from "./identity";

/** The definitions the stored keys were made with; the fast paths must give exactly these. */
const subjectAsDefined = (s: string | null) => (s ?? "").toLowerCase().replace(/\s+/g, " ").trim();
const hash64AsDefined = (text: string) => createHash("sha1").update(text).digest("hex").slice(0, 16);

describe("normaliseSubject", () => {
  it.each([
    [null, ""],
    ["", ""],
    ["quarterly numbers", "quarterly numbers"],
    ["RE: Quarterly Numbers", "re: quarterly numbers"],
    ["  padded  ", "padded"],
    ["two  spaces", "two spaces"],
    ["tab\tand\nnewline", "tab and newline"],
    ["non\u00a0breaking", "non breaking"],
    ["Ünïcode CASE", "ünïcode case"],
    [" ", ""],
    ["trailing ", "trailing"],
  ])("%j → %j", (subject, expected) => {
    expect(normaliseSubject(subject)).toBe(expected);
    expect(normaliseSubject(subject)).toBe(subjectAsDefined(subject));
  });

  it("agrees with its definition on random mixes of case, spaces and other whitespace", () => {
    const alphabet = ["a", "Z", " ", "  ", "\t", "\u00a0", "\u2028", "é", "É", ".", "\u0000"];
    let seed = 1;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 2000; i++) {
      const s = Array.from({ length: next() % 10 }, () => alphabet[next() % alphabet.length]).join("");
      expect(normaliseSubject(s)).toBe(subjectAsDefined(s));
    }
  });
});

describe("emailKeys", () => {
  const base = {
    messageId: " <ABC@Example.COM> ",
    sentAt: new Date("2001-05-10T12:34:56.789Z"),
    from: "a@x.example",
    subject: "RE:  Hello",
  };

  it("is the SHA-1 of the documented texts: stored keys never change", () => {
    const keys = emailKeys({ ...base, recipients: ["c@x.example", "b@x.example", "c@x.example"] });
    expect(keys).toEqual({
      fingerprint: hash64AsDefined("e|989498096|a@x.example|b@x.example,c@x.example|re: hello"),
      messageKey: hash64AsDefined("m|<abc@example.com>"),
    });
  });

  it("does not depend on the order or repetition of recipients", () => {
    const one = emailKeys({ ...base, recipients: ["b@x.example", "c@x.example", "a@x.example"] });
    const other = emailKeys({
      ...base,
      recipients: ["a@x.example", "c@x.example", "b@x.example", "a@x.example", "c@x.example"],
    });
    expect(other).toEqual(one);
    expect(emailKeys({ ...base, recipients: [] }).fingerprint).toBe(
      hash64AsDefined("e|989498096|a@x.example||re: hello"),
    );
    expect(emailKeys({ ...base, recipients: ["z@x.example"] }).fingerprint).toBe(
      hash64AsDefined("e|989498096|a@x.example|z@x.example|re: hello"),
    );
  });
});

it("monthOf reads a Date or epoch milliseconds alike", () => {
  const at = Date.UTC(2001, 11, 31, 23, 59, 59);
  expect(monthOf(at)).toBe(200112);
  expect(monthOf(new Date(at))).toBe(200112);
  expect(monthOf(at + 1000)).toBe(200201);
});
