import type { SmsMessage, SmsProvider } from './provider.js';

export class SmsDeliveryFailed extends Error {}

/**
 * POSTs `{"to","body"}` as JSON to SMS_WEBHOOK_URL (a gateway of the operator's choosing). Anything
 * but a 2xx within the timeout is a failed delivery: the caller then voids the code.
 */
export class WebhookSmsProvider implements SmsProvider {
  readonly name = 'webhook';

  constructor(private readonly url: string, private readonly options: { timeoutMs?: number } = {}) {}

  async send(message: SmsMessage): Promise<void> {
    let status: number;
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ to: message.to, body: message.body }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
        redirect: 'error',
      });
      status = res.status;
      await res.body?.cancel();
    } catch (err) {
      throw new SmsDeliveryFailed(`SMS webhook unreachable: ${err instanceof Error ? err.name : 'error'}`);
    }
    if (status < 200 || status >= 300) throw new SmsDeliveryFailed(`SMS webhook answered ${status}`);
  }
}
