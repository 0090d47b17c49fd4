import crypto from 'node:crypto';
import { z } from 'zod';

/**
 * The one place that reads the environment. Every variable of API.md is parsed and validated here,
 * once; a bad value stops the process with one line naming the variable (see `configOrExit`).
 */
const bool = z.enum(['on', 'off', 'true', 'false', '1', '0']).transform((v) => v === 'on' || v === 'true' || v === '1');
const optionalString = z.string().trim().min(1).optional();

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  DATA_DIR: z.string().default('.data'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SMS_PROVIDER: z.enum(['console', 'webhook']).default('console'),
  SMS_WEBHOOK_URL: z.string().url().optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
  MAIL_FROM: z.string().default('Loopin <no-reply@loopin.local>'),
  STRIPE_WEBHOOK_SECRET: optionalString,
  RAZORPAY_WEBHOOK_SECRET: optionalString,
  ADMIN_EMAIL: z.string().email().optional(),
  ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  SCHEDULER: bool.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PUBLIC_URL: z.string().url().optional(),
  HOLD_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  TRUST_PROXY: z.string().default('loopback'),

  // Payments (API.md "Payments"). Webhook secrets unset → that provider's webhook answers 503;
  // API credentials unset → orders carry `client: null` and refunds are recorded for staff.
  STRIPE_SECRET_KEY: optionalString,
  RAZORPAY_KEY_ID: optionalString,
  RAZORPAY_KEY_SECRET: optionalString,
  PAYPAL_WEBHOOK_ID: optionalString,
  PAYPAL_CERT_PEM: optionalString,
  PAYPAL_CLIENT_ID: optionalString,
  PAYPAL_CLIENT_SECRET: optionalString,
  PAYPAL_ENVIRONMENT: z.enum(['sandbox', 'live']).default('sandbox'),
  // Paytm's checksum is AES-128: its merchant keys are 16 characters.
  PAYTM_MERCHANT_KEY: z.string().length(16, 'must be the 16-character Paytm merchant key').optional(),
  PAYTM_MID: optionalString,
  PHONEPE_SALT_KEY: optionalString,
  PHONEPE_SALT_INDEX: optionalString,
  PHONEPE_MERCHANT_ID: optionalString,
  GPAY_GATEWAY: z.enum(['razorpay']).default('razorpay'),
  PLATFORM_FEE_PERCENT: z.string().regex(/^\d{1,2}(\.\d{1,2})?$|^100(\.0{1,2})?$/, 'must be a percentage like 2.5').default('0'),
  PLATFORM_FEE_FIXED: z.string().regex(/^\d{1,6}(\.\d{1,2})?$/, 'must be a decimal amount like 10.00').default('0.00'),
  CURRENCY: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like INR').default('INR'),
  BANK_ACCOUNT_NAME: optionalString,
  BANK_ACCOUNT_NUMBER: optionalString,
  BANK_IFSC: optionalString,
  BANK_NAME: optionalString,
  CASH_ORDER_HOURS: z.coerce.number().int().min(1).max(24 * 14).default(24),

  // Tickets and check-in (API.md "Tickets and check-in").
  TICKET_SIGNING_KEY: optionalString,
  CHECKIN_OPENS_HOURS_BEFORE: z.coerce.number().min(0).max(24 * 7).default(6),

  // Host money (API.md "Host money").
  PAYOUT_ENCRYPTION_KEY: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (32 bytes)').optional(),
  // Rotation: the keys PAYOUT_ENCRYPTION_KEY replaced, comma-separated 64-hex keys; rows sealed under
  // them still open (each row names its key id), and `npm run job -- reseal-payout-accounts` moves them on.
  PAYOUT_ENCRYPTION_KEYS_PREVIOUS: z.string()
    .transform((v) => v.split(',').map((k) => k.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be comma-separated keys of 64 hex characters each')))
    .default([]),
  BALANCE_HOLD_DAYS: z.coerce.number().int().min(0).max(365).default(7),
  // Panel refunds above this amount (any currency) ask the staff member's password again (src/admin/reauth.ts).
  REFUND_REAUTH_ABOVE: z.string().regex(/^\d{1,8}(\.\d{1,2})?$/, 'must be a decimal amount like 5000.00').default('5000.00'),

  // Media and host webhooks (API.md "Media", "Host webhooks").
  STORAGE_URL: z.string().regex(/^(file|s3):\/\//, 'must be a file:// or s3:// URL').optional(),
  S3_ENDPOINT: z.string().url().optional(),
  AWS_REGION: optionalString,
  AWS_ACCESS_KEY_ID: optionalString,
  AWS_SECRET_ACCESS_KEY: optionalString,
  WEBHOOK_ALLOW_PRIVATE_URLS: z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1').default(false),

  // Live availability (API.md "Waitlist and availability"): SSE streams each instance holds at most,
  // and one client (an IP when anonymous, else the user); the heartbeat comment's period.
  AVAILABILITY_STREAMS_PER_INSTANCE: z.coerce.number().int().min(1).max(100_000).default(1000),
  AVAILABILITY_STREAMS_PER_CLIENT: z.coerce.number().int().min(1).max(1000).default(8),
  AVAILABILITY_HEARTBEAT_MS: z.coerce.number().int().min(10).max(20_000).default(15_000),
  // At most one recompute per streamed event in this window, however many changes arrive in it.
  AVAILABILITY_COALESCE_MS: z.coerce.number().int().min(0).max(5_000).default(75),

  // HTTP hardening.
  CORS_ORIGINS: z.string().default(''),
});

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`Invalid configuration: ${String(issue.path[0])} ${issue.message}`);
  }
  const cfg = parsed.data;
  if (cfg.NODE_ENV === 'production') {
    if (!cfg.JWT_SECRET) throw new ConfigError('Invalid configuration: JWT_SECRET is required in production');
    if (!cfg.DATABASE_URL) throw new ConfigError('Invalid configuration: DATABASE_URL is required in production');
    if (!cfg.TICKET_SIGNING_KEY) throw new ConfigError('Invalid configuration: TICKET_SIGNING_KEY is required in production');
  }
  if (cfg.TICKET_SIGNING_KEY && !isEd25519PrivateKey(cfg.TICKET_SIGNING_KEY)) {
    throw new ConfigError('Invalid configuration: TICKET_SIGNING_KEY must be an Ed25519 private key (PEM)');
  }
  if (cfg.NODE_ENV === 'production' && !cfg.PAYOUT_ENCRYPTION_KEY) {
    throw new ConfigError('Invalid configuration: PAYOUT_ENCRYPTION_KEY is required in production');
  }
  if (cfg.PAYOUT_ENCRYPTION_KEYS_PREVIOUS.length && !cfg.PAYOUT_ENCRYPTION_KEY) {
    throw new ConfigError('Invalid configuration: PAYOUT_ENCRYPTION_KEYS_PREVIOUS needs PAYOUT_ENCRYPTION_KEY (the key they were rotated to)');
  }
  if (cfg.SMS_PROVIDER === 'webhook' && !cfg.SMS_WEBHOOK_URL) {
    throw new ConfigError('Invalid configuration: SMS_WEBHOOK_URL is required when SMS_PROVIDER=webhook');
  }
  return cfg;
}

/** A PEM from the environment may carry its newlines as `\n` (src/modules/attendance/signing.ts reads it the same way). */
function isEd25519PrivateKey(pem: string): boolean {
  try {
    return crypto.createPrivateKey(pem.replace(/\\n/g, '\n').trim()).asymmetricKeyType === 'ed25519';
  } catch {
    return false;
  }
}

/** Loads the config or prints one clear line and exits non-zero. */
export function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
}

let current: Config | undefined;

/** The process-wide config; loaded on first use. Tests may replace it with `setConfig`. */
export function config(): Config {
  current ??= configOrExit();
  return current;
}

export function setConfig(next: Config): void {
  current = next;
}
