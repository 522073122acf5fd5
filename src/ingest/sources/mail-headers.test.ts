import { describe, expect, it } from "vitest";
import { emailFromHeaders, parseHeaderBlock, parseMessageId } from "./mail-headers";

const context = { position: { file: "test.mbox", record: 1 }, owner: null, folder: null };

describe("parseHeaderBlock", () => {
  it("matches names in any case, with or without space before the colon", () => {
    const headers = parseHeaderBlock(
      "MESSAGE-ID: <a@x>\nfrom: Ann <ann@x.com>\nSubject : Hi\nX-FileName: ann.nsf\nIn-Reply-To:<b@x>",
    );
    expect(Object.fromEntries(headers)).toEqual({
      "message-id": "<a@x>",
      from: "Ann <ann@x.com>",
      subject: "Hi",
      "in-reply-to": "<b@x>",
    });
  });

  it("unfolds continuations, keeps the first of a header and joins repeated To and Cc", () => {
    const headers = parseHeaderBlock(
      "To: a@x.com,\r\n\tb@x.com\r\nSubject: one\r\n  two\r\nSubject: again\r\nNotes junk line\r\nTo: c@x.com\r\nCc: d@x.com",
    );
    expect(Object.fromEntries(headers)).toEqual({
      to: "a@x.com, b@x.com, c@x.com",
      subject: "one two",
      cc: "d@x.com",
    });
  });
});

describe("parseMessageId", () => {
  it.each([
    ["<20582259.1075855379239.JavaMail.evans@thyme>", "20582259.1075855379239.JavaMail.evans@thyme"],
    ["  <a@x> <b@x>", "a@x"],
    ["<a b@x> <c@x>", "c@x"],
    ["<<a@x>>", "a@x"],
    ["bare@x trailing", "bare@x"],
    ["   ", null],
    [undefined, null],
  ])("%j → %j", (value, id) => {
    expect(parseMessageId(value)).toBe(id);
  });
});

describe("emailFromHeaders", () => {
  it("cleans subjects: control characters dropped, whitespace collapsed", () => {
    const subject = (raw: string) => emailFromHeaders(new Map([["subject", raw]]), context).subject;
    expect(subject("Re: Meeting at 10")).toBe("Re: Meeting at 10");
    expect(subject(" Re:\tMeeting\u0001 at  10 ")).toBe("Re: Meeting at 10");
    expect(subject("=?utf-8?q?Caf=C3=A9?=  =?utf-8?q?_cr=C3=A8me?=")).toBe("Café crème");
  });

  it("reads X-Origin as the owner, normalised when it is an address", () => {
    const owner = (raw: string) => emailFromHeaders(new Map([["x-origin", raw]]), context).owner;
    expect(owner("Allen-P")).toBe("Allen-P");
    expect(owner(" Phillip.Allen@Enron.com ")).toBe("phillip.allen@enron.com");
  });
});
