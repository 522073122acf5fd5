import nodemailer, { type Transporter } from "nodemailer";
import type { Config } from "../config/config";

/**
 * Outgoing mail. nodemailer speaks SMTP (STARTTLS, auth from the URL, pooling) so Kith does not;
 * the service layer sees only `send`. A deployment without KITH_SMTP_URL gets no mailer, and the
 * callers report "not sent" rather than pretending.
 */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): void;
}

export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  const transport: Transporter = nodemailer.createTransport(smtpUrl);
  return {
    async send(mail) {
      const info = (await transport.sendMail({ from, ...mail })) as { messageId?: string };
      return { messageId: info.messageId ?? "" };
    },
    close: () => transport.close(),
  };
}

const byConfig = new WeakMap<Readonly<Config>, Mailer | null>();

/** One mailer per configuration, made on first use (the API and CLI share this). */
export function mailerFor(config: Readonly<Config>): Mailer | null {
  if (!byConfig.has(config))
    byConfig.set(config, config.smtpUrl ? createSmtpMailer(config.smtpUrl, config.mailFrom) : null);
  return byConfig.get(config) ?? null;
}
