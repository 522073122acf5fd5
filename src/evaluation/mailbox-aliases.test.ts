import { describe, expect, it } from "vitest";
import {
  groupInternalAddresses,
  localPartFits,
  ownerNameModel,
  personLocalPart,
  resolveOwnerIdentities,
} from "./mailbox-aliases";

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

describe("grouping internal addresses into people (real Enron spellings)", () => {
  const owners = [
    { mailboxId: "scholtes-d", primary: "diana.scholtes@enron.com", aliases: ["dscholt@ect.enron.com"] },
    {
      mailboxId: "allen-p",
      primary: "phillip.allen@enron.com",
      aliases: ["pallen@enron.com", "k..allen@enron.com"],
    },
  ];
  const seen = [
    "dscholt@enron.com",
    "cindy'.'olson@enron.com",
    "cindy.olson@enron.com",
    "sally_keepers@enron.com",
    "sally.keepers@enron.com",
    "dianetaylor@enron.com",
    "diane.taylor@enron.com",
    "diane_taylor@enron.com",
    "kevin.m.presto@enron.com",
    "kevin.presto@enron.com",
    "rosalee.fleming@enron.com",
    "rflemin@enron.com",
    "'12007'@enron.com",
    "boadway/canwest/ibm.jill@enron.com",
    ".bob@enron.com",
    "john.smith@enron.com",
    "jsmith@enron.com",
  ];
  const { people, unidentifiable } = groupInternalAddresses(seen, owners);
  const of = (a: string) => people.find((p) => p.primary === a || p.aliases.includes(a));

  it("joins an owner's other spellings to the owner", () => {
    expect(of("dscholt@enron.com")).toMatchObject({
      primary: "diana.scholtes@enron.com",
      ownerMailboxId: "scholtes-d",
    });
    expect(of("pallen@enron.com")?.primary).toBe("phillip.allen@enron.com");
  });

  it.each([
    ["cindy'.'olson@enron.com", "cindy.olson@enron.com"],
    ["sally_keepers@enron.com", "sally.keepers@enron.com"],
    ["dianetaylor@enron.com", "diane.taylor@enron.com"],
    ["diane_taylor@enron.com", "diane.taylor@enron.com"],
    ["kevin.m.presto@enron.com", "kevin.presto@enron.com"],
    ["rflemin@enron.com", "rosalee.fleming@enron.com"],
  ])("%s is %s", (alias, primary) => expect(of(alias)?.primary).toBe(primary));

  it("keeps short names that could be anyone apart, and drops conversion artefacts", () => {
    expect(of("jsmith@enron.com")?.primary).toBe("jsmith@enron.com"); // last name under 6 letters
    expect(unidentifiable).toEqual(
      [".bob@enron.com", "'12007'@enron.com", "boadway/canwest/ibm.jill@enron.com"].sort(),
    );
    expect(personLocalPart("mcguire'.'bud@enron.com")).toBe("mcguire.bud");
  });
});
