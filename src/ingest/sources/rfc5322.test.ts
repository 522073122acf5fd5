import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseAddressList } from "./address-list";
import { decodeEncodedWords } from "./encoded-words";
import { parseMailDate } from "./mail-date";
import { readEml, readMaildir, readMbox } from "./rfc5322";
import { describeWithCorpora, enronMbox, linuxCifsMbox } from "../../../test/helpers/corpora";
import { collect, fixtures, only } from "./test-helpers";

const sample = join(fixtures, "enron-sample.mbox");

describe("mbox (real Enron excerpts)", () => {
  it("splits where Python's mailbox does: >From body lines are not separators", async () => {
    const records = await collect(readMbox(sample));
    expect(records).toHaveLength(7);
    expect(only(records, "email")).toHaveLength(7);
    expect(records.map((r) => r.position.record)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(readFileSync(sample, "latin1")).toContain("\n>From our initial set of meetings");
  });

  it("reads the headers Kith keeps and never Bcc", async () => {
    const [first, , folded] = only(await collect(readMbox(sample)), "email");
    expect(first).toMatchObject({
      messageId: "20582259.1075855379239.JavaMail.evans@thyme",
      from: { address: "phillip.allen@enron.com" },
      to: [{ address: "johnniebrown@juno.com" }],
      subject: "",
      owner: "Allen-P",
      folder: "\\Phillip_Allen_Jan2002_1\\Allen, Phillip K.\\'Sent Mail",
    });
    expect(first!.sentAt?.toISOString()).toBe("2001-04-23T19:41:00.000Z");
    // Folded To/Cc continue on tab-indented lines; Bcc (a copy of Cc in this corpus) is ignored.
    expect(folded!.to.length).toBeGreaterThan(5);
    expect(folded!.cc.map((m) => m.address)).toContain("gary.hickerson@enron.com");
    expect(JSON.stringify(folded)).not.toMatch(/bcc/i);
  });

  it("decodes RFC 2047 encoded words", async () => {
    const records = only(await collect(readMbox(sample)), "email");
    expect(records[3]!.subject).toBe("Enron,s Entry Into Global Metals Market");
  });

  it("keeps the header block whole when a folded Subject contains blank lines", async () => {
    const records = only(await collect(readMbox(sample)), "email");
    const xbox = records[4]!;
    expect(xbox.subject).toBe("Win an Xbox at a participating TACO BELL !");
    expect(xbox.owner).toBe("Kuykendall-T");
    expect(xbox.folder).toBe("\\TKUYKEN (Non-Privileged)\\Kuykendall, Tori\\Deleted Items");
    const calendarItem = records[5]!;
    expect(calendarItem.subject).toBe("Meeting: Teb Lokey's Tariff Analysis of 1 company vs. 2 companies");
    expect(calendarItem.sentAt?.toISOString()).toBe("2001-03-09T19:15:36.000Z");
    expect(calendarItem.owner).toBe("Lokey-T");
    expect(calendarItem.noise.calendarNotification).toBe(true);
    expect(records[6]!.folder).toBe("\\GWHALLE (Non-Privileged)\\Calendar");
  });

  it("lets the caller's owner win over X-Origin", async () => {
    const records = only(await collect(readMbox(sample, { owner: "phillip.allen@enron.com" })), "email");
    expect(new Set(records.map((r) => r.owner))).toEqual(new Set(["phillip.allen@enron.com"]));
  });

  it("reads mailing-list threading headers and noise signals (linux-cifs slice)", async () => {
    const records = only(await collect(readMbox(join(fixtures, "linux-cifs-slice.mbox"))), "email");
    expect(records).toHaveLength(12);
    expect(records.every((r) => r.noise.listId === true)).toBe(true);
    const reply = records.find(
      (r) => r.messageId === "CAKywueS9kMHTzpTQwaUyg+8roF=1vxcE-WH1Y6JVRceURKQk-w@mail.gmail.com",
    )!;
    expect(reply.inReplyTo).toBe("CAN05THRcm_tatCNex7DbuHNfcYkJnower3pAyPbsZ+HmiCqWtA@mail.gmail.com");
    expect(reply.conversationId).not.toBeNull();
    expect(reply.from).toEqual({ address: "piastryyy@gmail.com", name: "Pavel Shilovsky" });
    expect(reply.sentAt?.toISOString()).toBe("2019-04-29T18:58:57.000Z");
  });

  it("rejects a message without headers, naming file, record and offset, and goes on", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const file = join(mkdtempSync(join(tmpdir(), "kith-mbox-")), "broken.mbox");
    const real = readFileSync(sample, "latin1").split(/(?=^From MAILER-DAEMON)/m);
    writeFileSync(
      file,
      `${real[0]}From MAILER-DAEMON Mon Apr 18 14:23:23 2022\n\njust a body line\n\n${real[1]}`,
      "latin1",
    );
    const records = await collect(readMbox(file));
    expect(records.map((r) => r.type)).toEqual(["email", "rejected", "email"]);
    expect(records[1]).toMatchObject({
      position: { file, record: 2 },
      reason: "empty message: no header block",
    });
    expect(records[1]!.position.offset).toBe(real[0]!.length);
  });
});

describe("mbox reader across read chunks", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    const { rmSync } = await import("node:fs");
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** A synthetic mbox of `count` messages with bodies of up to 3 KB, so header blocks straddle the 1 MB reads. */
  const writeMbox = async (count: number, eol: string) => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "kith-mbox-"));
    dirs.push(dir);
    const file = join(dir, "synthetic.mbox");
    let text = "";
    const offsets: number[] = [];
    for (let n = 1; n <= count; n++) {
      offsets.push(Buffer.byteLength(text, "latin1"));
      const lines = [
        "From sender@x.com Mon Apr 23 12:41:00 2001",
        `Message-ID: <${n}@kith>`,
        "From: Ann <ann@x.com>",
        `Subject: message ${n}`,
        "",
        ...Array.from({ length: (n * 7919) % 60 }, (_, k) =>
          k % 9 === 0
            ? ">From an escaped line, not a separator"
            : `line ${k} of ${n}: text From inside a line`,
        ),
        "",
      ];
      text += lines.join(eol) + eol;
    }
    writeFileSync(file, text, "latin1");
    return { file, offsets };
  };

  it.each([
    ["LF", "\n"],
    ["CRLF", "\r\n"],
  ])("finds every message and its offset (%s)", async (_, eol) => {
    const { file, offsets } = await writeMbox(3000, eol);
    const records = only(await collect(readMbox(file)), "email");
    expect(records.map((r) => r.messageId)).toEqual(offsets.map((_, i) => `${i + 1}@kith`));
    expect(records.map((r) => r.position.offset)).toEqual(offsets);
    expect(records[2999]!.subject).toBe("message 3000");
  });

  it("gives the same records when readers are interleaved (read buffers are reused)", async () => {
    const a = (await writeMbox(2500, "\n")).file;
    const b = join(fixtures, "enron-sample.mbox");
    const c = join(fixtures, "linux-cifs-slice.mbox");
    const sequential = [await collect(readMbox(a)), await collect(readMbox(b)), await collect(readMbox(c))];
    const readers = [readMbox(a), readMbox(b), readMbox(c)];
    const interleaved: unknown[][] = [[], [], []];
    for (let open = readers.length; open > 0;) {
      open = 0;
      for (const [i, reader] of readers.entries()) {
        const next = await reader.next();
        if (next.done === true) continue;
        interleaved[i]!.push(next.value);
        open++;
      }
    }
    expect(interleaved).toEqual(sequential);
  });
});

describe("maildir and .eml (real Enron messages)", () => {
  it("reads cur/ and new/ of every maildir folder and skips tmp/", async () => {
    const records = only(await collect(readMaildir(join(fixtures, "maildir"))), "email");
    expect(records).toHaveLength(4);
    expect(records.map((r) => r.position.file.split("maildir/")[1])).toEqual([
      "cur/1100000001.M1P1.kith:2,S",
      "cur/1100000002.M2P1.kith:2,S",
      "new/1100000003.M3P1.kith",
      ".Sent/cur/1100000005.M5P1.kith:2,S",
    ]);
    expect(records.some((r) => r.messageId === "partial@kith")).toBe(false);
    expect(records[3]!.subject).toBe("Re: Chelsea Villas");
  });

  it("reads one .eml", async () => {
    const [record] = await collect(readEml(join(fixtures, "enron-message.eml")));
    expect(record).toMatchObject({
      type: "email",
      from: { address: "office.chairman@enron.com" },
      owner: "Badeer-R",
    });
  });
});

describeWithCorpora("whole corpora", () => {
  it("counts every Enron mbox file exactly as Python's mailbox module does (speed: npm run bench)", async () => {
    const expected = new Map(
      readFileSync(join(fixtures, "enron-counts.tsv"), "utf8")
        .trim()
        .split("\n")
        .slice(1)
        .map((line) => line.split("\t") as [string, string])
        .map(([file, count]) => [file, Number(count)]),
    );
    const files = readdirSync(enronMbox).sort();
    expect(files).toHaveLength(471);
    const actual = new Map<string, number>();
    let rejected = 0;
    let withOwner = 0;
    for (const file of files) {
      let count = 0;
      for await (const record of readMbox(join(enronMbox, file))) {
        count++;
        if (record.type === "rejected") rejected++;
        else if (record.type === "email" && record.owner !== null && record.folder !== null) withOwner++;
      }
      actual.set(file, count);
    }
    expect(actual).toEqual(expected);
    expect([...actual.values()].reduce((a, b) => a + b, 0)).toBe(43_451);
    expect(rejected).toBe(0);
    expect(withOwner).toBe(43_451); // the blank-line Subject items keep X-Origin and X-Folder too
  });

  it("counts the linux-cifs archive (3,541 messages, 2,730 with In-Reply-To)", async () => {
    const records = only(await collect(readMbox(linuxCifsMbox)), "email");
    expect(records).toHaveLength(3541);
    expect(records.filter((r) => r.inReplyTo !== null)).toHaveLength(2730);
    expect(records.filter((r) => r.sentAt === null)).toHaveLength(0);
  });
});

describe("header values", () => {
  it.each([
    ["Mon, 23 Apr 2001 12:41:00 -0700 (PDT)", "2001-04-23T19:41:00.000Z"],
    ["23 Apr 2001 12:41 PDT", "2001-04-23T19:41:00.000Z"],
    ["Mon, 23 Apr 01 12:41:00 +0000", "2001-04-23T12:41:00.000Z"],
    ["Mon, 23 Apr 99 12:41:00 GMT", "1999-04-23T12:41:00.000Z"],
    ["Mon, 23 Apr 101 12:41:00 +0000", "2001-04-23T12:41:00.000Z"],
    ["Mon, 23 Apr 2001 12:41:00", "2001-04-23T12:41:00.000Z"],
    ["Mon Apr 23 12:41:00 2001", "2001-04-23T12:41:00.000Z"],
    ["2001-04-23T12:41:00+02:00", "2001-04-23T10:41:00.000Z"],
    ["Mon, 31 Feb 2001 12:41:00 +0000", null],
    ["yesterday afternoon", null],
    ["", null],
  ])("date %j → %s", (raw, iso) => {
    expect(parseMailDate(raw)?.toISOString() ?? null).toBe(iso);
  });

  it("parses address lists with quoted commas, comments, groups and Exchange junk", () => {
    expect(
      parseAddressList(
        '"Allen, Phillip K." <Phillip.Allen@enron.com>, pallen@enron.com (Phillip Allen), Team: a@x.com, b@x.com;, undisclosed-recipients:;, Kenneth Krasny/ENRON_DEVELOPMENT@ENRON, =?utf-8?q?J=C3=BCrgen?= <j@x.de>',
      ),
    ).toEqual([
      { address: "phillip.allen@enron.com", name: "Allen, Phillip K." },
      { address: "pallen@enron.com", name: "Phillip Allen" },
      { address: "a@x.com" },
      { address: "b@x.com" },
      { address: "Kenneth Krasny/ENRON_DEVELOPMENT@ENRON" },
      { address: "j@x.de", name: "Jürgen" },
    ]);
  });

  it("decodes encoded words, joining adjacent ones", () => {
    expect(decodeEncodedWords("=?UTF-8?B?Q2Fmw6k=?= =?UTF-8?Q?_cr=C3=A8me?= ok")).toBe("Café crème ok");
    expect(decodeEncodedWords("=?iso-8859-1?q?Gr=FC=DFe?=")).toBe("Grüße");
    expect(decodeEncodedWords("=?x-unknown?q?abc?=")).toBe("abc");
  });
});
