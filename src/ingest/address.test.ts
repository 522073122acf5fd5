import { describe, expect, it } from "vitest";
import { normaliseAddress } from "../domain/directory";
import { checkAddress, normaliseAddressFast } from "./address";

describe("normaliseAddressFast", () => {
  it("gives normaliseAddress's answer on awkward addresses", () => {
    const cases = [
      "ann@contoso.com",
      "Ann@Contoso.com",
      " ann@contoso.com ",
      "ann@contoso.com.",
      "<ann@contoso.com>",
      "Ann Lee <ann@contoso.com>",
      "mailto:ann@contoso.com",
      "MAILTO:ann@contoso.com",
      '"ann@contoso.com"',
      "'ann@contoso.com'",
      "@contoso.com",
      "ann@",
      "ann",
      "",
      "ann lee@contoso.com",
      "ann@contoso.com\t",
      "ännä@contoso.com",
      "a+b_c.d-e@x.y.z",
      "a@b@c.com",
      "a|b@c.com",
    ];
    for (const raw of cases) expect(normaliseAddressFast(raw), raw).toBe(normaliseAddress(raw));
  });

  it("agrees with normaliseAddress on random strings over the characters that matter", () => {
    let seed = 7;
    // A small LCG: deterministic, and no dependency on insights/ from ingest/.
    const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const alphabet = ["a", "Z", "@", ".", " ", "<", ">", '"', "'", ":", "m", "ä", "\t", "-", "+", "|"];
    for (let k = 0; k < 20_000; k++) {
      let raw = "";
      for (let n = Math.floor(rand() * 12); n > 0; n--) raw += alphabet[Math.floor(rand() * alphabet.length)];
      expect(normaliseAddressFast(raw), JSON.stringify(raw)).toBe(normaliseAddress(raw));
    }
  });
});

describe("checkAddress", () => {
  it.each([
    ["ann@contoso.com", "ann@contoso.com"],
    [" Ann.Lee@Contoso.COM ", "ann.lee@contoso.com"],
    ["Ann Lee <ann@contoso.com>", "ann@contoso.com"],
    ["a+b_c.d-e@x.y.z", "a+b_c.d-e@x.y.z"],
    ["o'brien@sub.example.co.uk", "o'brien@sub.example.co.uk"],
    ["ännä@contoso.com", "ännä@contoso.com"],
    ["k.allen@enron.com", "k.allen@enron.com"],
  ])("accepts %s", (raw, address) => {
    expect(checkAddress(raw)).toEqual({ address });
  });

  it.each([
    ["bob@@enron.com", "has 2 @ signs (one is allowed)"],
    ["a@b@c.com", "has 2 @ signs (one is allowed)"],
    ["bob.enron.com", "has no @"],
    ["", "is empty"],
    ["@enron.com", "has nothing before the @"],
    ["eve@", "has no domain after the @"],
    ["bob@enron", 'has a domain without a dot ("enron")'],
    ["bob smith@enron.com", "contains a space"],
    [".bob@enron.com", "has a local part starting or ending with a dot, or with two dots in a row"],
    ["k..allen@enron.com", "has a local part starting or ending with a dot, or with two dots in a row"],
    ["bob,smith@enron.com", 'has a character not allowed before the @: ","'],
    ["bob@enron..com", 'has an empty label in its domain ("enron..com")'],
    ["bob@-enron.com", 'has an invalid domain label "-enron" (letters, digits and inner hyphens only)'],
    ["bob@en_ron.com", 'has an invalid domain label "en_ron" (letters, digits and inner hyphens only)'],
    ["bob@10.0.0.1", 'has a numeric top-level domain ("10.0.0.1")'],
    [`${"a".repeat(65)}@enron.com`, "has a local part longer than 64 characters"],
  ])("refuses %s: %s", (raw, reason) => {
    expect(checkAddress(raw)).toEqual({ reason });
  });
});
