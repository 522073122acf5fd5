import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/** One message as the SMTP server received and mailparser read it. */
export interface CapturedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
}

export interface SmtpCapture {
  /** smtp://127.0.0.1:<port> for KITH_SMTP_URL. */
  url: string;
  messages: CapturedMail[];
  /** Resolves when a message to `address` has arrived (or rejects after `timeoutMs`). */
  waitFor(address: string, timeoutMs?: number): Promise<CapturedMail>;
  close(): Promise<void>;
}

/**
 * A real SMTP server on loopback (the `smtp-server` package) that keeps every message it is sent,
 * parsed with mailparser: tests see exactly what a reviewer's mail client would.
 */
export async function startSmtpCapture(): Promise<SmtpCapture> {
  const messages: CapturedMail[] = [];
  const waiters: { address: string; resolve: (m: CapturedMail) => void }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const mail: CapturedMail = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            html: typeof parsed.html === "string" ? parsed.html : "",
          };
          messages.push(mail);
          const waiter = waiters.find((w) => mail.to.includes(w.address));
          if (waiter) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(mail);
          }
          callback();
        })
        .catch((error: unknown) => callback(error as Error));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    waitFor(address, timeoutMs = 10_000) {
      const wanted = address.toLowerCase();
      const seen = messages.find((m) => m.to.includes(wanted) && !claimed.has(m));
      if (seen) {
        claimed.add(seen);
        return Promise.resolve(seen);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no mail to ${address} within ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          address: wanted,
          resolve: (m) => {
            clearTimeout(timer);
            claimed.add(m);
            resolve(m);
          },
        });
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const claimed = new WeakSet<CapturedMail>();

/** The reviewer link in a captured mail's text, and its token. */
export function reviewLinkIn(mail: CapturedMail): { url: string; token: string } {
  const match = /(https?:\/\/\S+\/app\/partner-review#token=(\S+))/.exec(mail.text);
  if (!match?.[1] || !match[2]) throw new Error(`no review link in mail "${mail.subject}"`);
  return { url: match[1], token: decodeURIComponent(match[2]) };
}
