import type { Transporter } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type JSONTransport from 'nodemailer/lib/json-transport/index.js';
import { config } from '../../../config.js';
import { logger } from '../../../lib/logger.js';

export type OutgoingEmail = Mail.Options & { to: string; subject: string; messageId: string };

let cached: { url: string | undefined; transport: Transporter } | undefined;

/**
 * The nodemailer transport from config().SMTP_URL, rebuilt if the URL changes (tests point it at
 * an in-process server). SMTP_URL unset → a JSON transport: the message is only logged (no body,
 * which may carry personal data) and counts as delivered.
 */
async function transport(): Promise<Transporter> {
  // Loaded with the first email (the deliver-emails job), not with every process that imports this file.
  const { default: nodemailer } = await import('nodemailer');
  const url = config().SMTP_URL;
  if (cached?.url !== url) {
    cached?.transport.close();
    const defaults = { from: config().MAIL_FROM };
    const next: Transporter = url
      // Short timeouts: a hung server fails the attempt (retried later) instead of stalling the batch.
      ? nodemailer.createTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as SMTPTransport.Options, defaults)
      : nodemailer.createTransport({ jsonTransport: true } as JSONTransport.Options, defaults);
    cached = { url, transport: next };
  }
  return cached!.transport;
}

/** Sends one email; resolves once the server accepted it (SMTP 250), rejects on any failure. */
export async function sendEmail(message: OutgoingEmail): Promise<void> {
  const info = await (await transport()).sendMail(message);
  if (!config().SMTP_URL) {
    logger.info({ to: message.to, subject: message.subject, messageId: message.messageId }, 'email (SMTP_URL unset: logged, not sent)');
    return;
  }
  if (info.rejected.length > 0) throw new Error(`recipient rejected: ${info.rejected.join(', ')}`);
}
