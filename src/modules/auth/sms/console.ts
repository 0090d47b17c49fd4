import { logger } from '../../../lib/logger.js';
import type { SmsMessage, SmsProvider } from './provider.js';

/**
 * The last messages the console provider "sent", newest last. It is the test hook (tests read the
 * code from here, as a person would read their phone) and is bounded so a long-running dev server
 * does not grow it forever.
 */
export const consoleOutbox: SmsMessage[] = [];
const OUTBOX_LIMIT = 200;

/**
 * Development provider: writes the text to the log at info. It is the only place an OTP code may
 * be logged, because in development the log *is* the phone.
 */
export class ConsoleSmsProvider implements SmsProvider {
  readonly name = 'console';

  async send(message: SmsMessage): Promise<void> {
    logger.info({ sms: { to: message.to, body: message.body } }, 'SMS (console provider)');
    consoleOutbox.push({ ...message });
    if (consoleOutbox.length > OUTBOX_LIMIT) consoleOutbox.splice(0, consoleOutbox.length - OUTBOX_LIMIT);
  }
}
