import { config, type Config } from '../../../config.js';
import { ConsoleSmsProvider } from './console.js';
import { WebhookSmsProvider } from './webhook.js';

export interface SmsMessage {
  to: string;
  body: string;
}

/** Anything that can deliver a text message. `send` rejects when delivery was not accepted. */
export interface SmsProvider {
  readonly name: string;
  send(message: SmsMessage): Promise<void>;
}

/** The provider SMS_PROVIDER names (API.md: `console` by default, `webhook` to SMS_WEBHOOK_URL). */
export function createSmsProvider(cfg: Pick<Config, 'SMS_PROVIDER' | 'SMS_WEBHOOK_URL'>): SmsProvider {
  if (cfg.SMS_PROVIDER === 'webhook') {
    if (!cfg.SMS_WEBHOOK_URL) throw new Error('SMS_WEBHOOK_URL is required when SMS_PROVIDER=webhook');
    return new WebhookSmsProvider(cfg.SMS_WEBHOOK_URL);
  }
  return new ConsoleSmsProvider();
}

let current: SmsProvider | undefined;

export function smsProvider(): SmsProvider {
  current ??= createSmsProvider(config());
  return current;
}

/** Replaces the process-wide provider (tests point it at a local webhook); `undefined` resets it. */
export function setSmsProvider(provider: SmsProvider | undefined): void {
  current = provider;
}
