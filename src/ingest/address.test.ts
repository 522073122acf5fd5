import { describe, expect, it } from "vitest";
import { normaliseAddress } from "../domain/directory";
import { normaliseAddressFast } from "./address";

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
