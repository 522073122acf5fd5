import { describe, expect, it } from "vitest";
import type { Mailbox } from "../../domain/interaction";
import { parseAddressList, parseMailboxHeader } from "./address-list";
import { collapseWhitespace } from "./encoded-words";

describe("parseAddressList on the shapes real headers take", () => {
  it.each<[string, string, Mailbox[]]>([
    [
      "quoted names with commas",
      '"Lay, Kenneth" <kenneth.lay@enron.com>, "Skilling, Jeff" <jeff.skilling@enron.com>',
      [
        { address: "kenneth.lay@enron.com", name: "Lay, Kenneth" },
        { address: "jeff.skilling@enron.com", name: "Skilling, Jeff" },
      ],
    ],
    [
      "escaped quotes and backslashes inside a quoted name",
      String.raw`"Jeff \"JS\" Skilling" <jeff.skilling@enron.com>, "a\\b, c" <ab@x.com>`,
      [
        { address: "jeff.skilling@enron.com", name: 'Jeff "JS" Skilling' },
        { address: "ab@x.com", name: "a\\b, c" },
      ],
    ],
    [
      "a comment as the name, after or before the address",
      "pallen@enron.com (Phillip Allen), (Mark Taylor) mark.taylor@enron.com",
      [
        { address: "pallen@enron.com", name: "Phillip Allen" },
        { address: "mark.taylor@enron.com", name: "Mark Taylor" },
      ],
    ],
    [
      "groups, empty groups and semicolons",
      "Team: a@x.com, b@x.com;, Other Team:;, c@x.com; d@x.com",
      [{ address: "a@x.com" }, { address: "b@x.com" }, { address: "c@x.com" }, { address: "d@x.com" }],
    ],
    [
      "mailto: is not a group",
      "mailto:Sara.Shackleton@ENRON.com, Sara Shackleton <mailto:sara.shackleton@enron.com>",
      [
        { address: "sara.shackleton@enron.com" },
        { address: "sara.shackleton@enron.com", name: "Sara Shackleton" },
      ],
    ],
    [
      "Notes and Exchange junk kept as raw text",
      'Kenneth Krasny/ENRON_DEVELOPMENT@ENRON, "Jones, Tana" </O=ENRON/OU=NA/CN=RECIPIENTS/CN=TJONES>',
      [
        { address: "Kenneth Krasny/ENRON_DEVELOPMENT@ENRON" },
        { address: "/O=ENRON/OU=NA/CN=RECIPIENTS/CN=TJONES", name: "Jones, Tana" },
      ],
    ],
    [
      "encoded words, bare and quoted",
      '=?iso-8859-1?Q?Fran=E7ois_Martin?= <f.martin@x.fr>, "=?utf-8?b?SsO8cmdlbg==?=" <j@x.de>',
      [
        { address: "f.martin@x.fr", name: "François Martin" },
        { address: "j@x.de", name: "Jürgen" },
      ],
    ],
    [
      "upper case, runs of whitespace and empty parts",
      "  Ken \t  Lay   <KLAY@ENRON.COM>  ,, , Phillip.Allen@Enron.com",
      [{ address: "klay@enron.com", name: "Ken Lay" }, { address: "phillip.allen@enron.com" }],
    ],
    [
      "a name that only repeats the address is dropped",
      "phillip.allen@enron.com <phillip.allen@enron.com>",
      [{ address: "phillip.allen@enron.com" }],
    ],
    ["nothing at all", " <> , ", []],
  ])("%s", (_, value, expected) => {
    expect(parseAddressList(value)).toEqual(expected);
  });

  it("takes the first mailbox of a single-mailbox header", () => {
    expect(parseMailboxHeader('"Allen, Phillip K." <Phillip.Allen@enron.com>, x@y.com')).toEqual({
      address: "phillip.allen@enron.com",
      name: "Allen, Phillip K.",
    });
    expect(parseMailboxHeader(undefined)).toBeNull();
  });
});

describe("collapseWhitespace", () => {
  it.each([
    ["Ken Lay", "Ken Lay"],
    [" Ken  Lay ", "Ken Lay"],
    ["Ken\tLay\r\n", "Ken Lay"],
    ["Ken\u00a0Lay\u2028", "Ken Lay"],
    ["Ken\u0001Lay", "Ken\u0001Lay"],
    ["", ""],
    ["   ", ""],
  ])("%j → %j, as the regex replace and trim give", (text, expected) => {
    expect(collapseWhitespace(text)).toBe(expected);
    expect(text.replace(/\s+/g, " ").trim()).toBe(expected);
  });
});
