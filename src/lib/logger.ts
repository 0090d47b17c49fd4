import pino from 'pino';
import { config } from '../config.js';

/** One logger. Secrets never reach it: tokens, OTP codes, passwords and cookies are redacted. */
export const logger = pino({
  level: config().LOG_LEVEL,
  redact: {
    paths: [
      'req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]',
      '*.otp_code', '*.password', '*.refresh_token', '*.access_token', '*.ticket_secret', '*.token',
    ],
    censor: '[redacted]',
  },
});
