import pino from 'pino';
import type { Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/** Where logs go: a pino destination, or a terminal stream such as process.stderr. */
export type LogDestination = pino.DestinationStream & { isTTY?: boolean; fd?: number };

/**
 * A person at a terminal reads one line per entry: time, level, message, then the fields
 * (errors too, kept on the line). Anything else (a file, a pipe, a log collector) gets JSON.
 * Redaction runs before either, so both show the same secrets masked.
 */
function forTerminal(destination: LogDestination): pino.DestinationStream {
  return pretty({
    destination: destination.fd ?? destination, sync: true, singleLine: true, errorLikeObjectKeys: [],
    translateTime: 'SYS:yyyy-mm-dd HH:MM:ss', ignore: 'pid,hostname,service',
  });
}

/** Structured logs on stdout (or `destination`). Secrets are redacted wherever they might appear. */
export function createLogger(level: string = 'info', destination?: LogDestination): Logger {
  const terminal = destination === undefined ? process.stdout.isTTY === true : destination.isTTY === true;
  const out = terminal ? forTerminal(destination ?? process.stdout) : destination;
  return pino({
    level,
    base: { service: 'decisions' },
    redact: {
      paths: [
        'token', 'botToken', 'appToken', 'clientSecret', 'signingSecret', 'password', 'authorization',
        '*.token', '*.botToken', '*.authorization', 'headers.authorization', 'req.headers.authorization', '*.password',
        // Capability URLs: whoever has one can post in the channel.
        'responseUrl', 'response_url', '*.responseUrl', '*.response_url',
      ],
      censor: '[secret]',
    },
  }, out);
}

/** How often one kind of client mistake may be logged: one line per kind per window. */
export const MISTAKE_WINDOW_MS = 10_000;

/**
 * Logs a client's mistake (a bad signature, an abandoned upload, a body too large, a
 * broken OAuth redirect): one line, no stack, at most once per `kind` per window, the next
 * line saying how many like it were left out. Anyone can make these by the thousand, so
 * they must not flood the log; only our own failures log at error. `kind` is a fixed
 * string from our code, never from the request, so the table stays small.
 */
export type MistakeLog = (kind: string, level: 'info' | 'warn', fields: Record<string, unknown>, message: string) => void;

export function mistakeLog(logger: Logger, options: { windowMs?: number; now?: () => number } = {}): MistakeLog {
  const windowMs = options.windowMs ?? MISTAKE_WINDOW_MS;
  const now = options.now ?? Date.now;
  const seen = new Map<string, { at: number; suppressed: number }>();
  return (kind, level, fields, message) => {
    const t = now();
    const last = seen.get(kind);
    if (last && t - last.at < windowMs) {
      last.suppressed += 1;
      return;
    }
    const suppressed = last?.suppressed ?? 0;
    seen.set(kind, { at: t, suppressed: 0 });
    const more = suppressed > 0 ? ` (and ${suppressed} more like it since the last line)` : '';
    logger[level]({ ...fields, kind, ...(suppressed > 0 ? { suppressed } : {}) }, `${message}${more}`);
  };
}
