import pino from 'pino';
import type { Logger } from 'pino';

export type { Logger };

/** Structured logs. Secrets are redacted wherever they might appear. */
export function createLogger(level: string = 'info', destination?: pino.DestinationStream): Logger {
  return pino({
    level,
    base: { service: 'decisions' },
    redact: {
      paths: ['token', 'botToken', 'appToken', 'clientSecret', 'signingSecret', 'password', 'authorization', '*.token', '*.botToken', '*.authorization', 'headers.authorization', 'req.headers.authorization', '*.password'],
      censor: '[secret]',
    },
  }, destination);
}
