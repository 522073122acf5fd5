import { describe, expect, it } from "vitest";
import { localPartFits, ownerNameModel, resolveOwnerIdentities } from "./mailbox-aliases";

const allen = ownerNameModel("allen-p", ["Phillip K Allen", "Allen, Phillip K."]);
const isInternal = (a: string) => a.endsWith("enron.com");

describe("owner alias resolution (real Enron address shapes)", () => {
  it.each([
    ["phillip.allen@enron.com", true],
    ["k..allen@enron.com", true],
    ["pallen@enron.com", true],
    ["pallen@ect.enron.com", true],
    ["phillip.k.allen@enron.com", true],
    ["allen@enron.com", true], // bare: only trusted from sent folders
    ["ina.rangel@enron.com", false],
    ["d..allen@enron.com", false],
    ["tom.alonso@enron.com", false],
  ])("%s fits Phillip K Allen: %s", (address, fits) => {
    expect(localPartFits(address, allen).fits).toBe(fits);
  });

  it("reads truncated Exchange short names and hyphenated last names", () => {
    expect(localPartFits("mgrigsb@enron.com", ownerNameModel("grigsby-m", ["Mike Grigsby"])).fits).toBe(true);
    expect(
      localPartFits("doug.gilbert-smith@enron.com", ownerNameModel("gilbertsmith-d", ["Doug Gilbert-smith"]))
        .fits,
    ).toBe(true);
  });

  it("keeps assistants who send from the owner's mailbox as their own users, and resolves received aliases", () => {
    const [lay] = resolveOwnerIdentities(
      [
        {
          mailboxId: "lay-k",
          displayNames: ["Kenneth Lay", "Rosalee Fleming"],
          sentFrom: new Map([
            ["rosalee.fleming@enron.com", 497],
            ["kenneth.lay@enron.com", 15],
          ]),
          received: new Map([
            ["klay@enron.com", 40],
            ["kennethlay@enron.com", 1],
            ["layk@enron.com", 1],
            ["jeff.skilling@enron.com", 30],
          ]),
        },
      ],
      { isInternal },
    );
    expect(lay!.primary).toBe("kenneth.lay@enron.com");
    expect(lay!.aliases.sort()).toEqual(["kennethlay@enron.com", "klay@enron.com"]);
    const rejected = lay!.decisions.filter((d) => d.decision === "rejected").map((d) => d.address);
    expect(rejected).toContain("rosalee.fleming@enron.com");
    expect(rejected).toContain("layk@enron.com"); // initials need two messages
    expect(lay!.decisions.every((d) => d.reason.length > 0)).toBe(true);
  });

  it("gives an address that fits two owners to the one with more evidence, or to neither on a tie", () => {
    const owners = resolveOwnerIdentities(
      [
        {
          mailboxId: "allen-p",
          displayNames: ["Phillip Allen"],
          sentFrom: new Map([["phillip.allen@enron.com", 9]]),
          received: new Map([["pallen@enron.com", 5]]),
        },
        {
          mailboxId: "allen-pa",
          displayNames: ["Paul Allen"],
          sentFrom: new Map([["paul.allen@enron.com", 9]]),
          received: new Map([["pallen@enron.com", 2]]),
        },
      ],
      { isInternal },
    );
    expect(owners[0]!.aliases).toEqual(["pallen@enron.com"]);
    expect(owners[1]!.aliases).toEqual([]);
  });
});
