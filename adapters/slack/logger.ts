/**
 * Bolt, the WebClient and the OAuth installer log through this: our pino logger, with any
 * token-shaped text masked. Their debug output (request bodies) goes to pino's `trace`.
 */
import { LogLevel } from '@slack/bolt';
import type { Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../src/logger';

const TOKEN = /\b(xox[abposre]|xapp)-[A-Za-z0-9-]+/g;
const SECRET_FIELD = /("?(?:client_secret|refresh_token|access_token|signing_secret|state_secret)"?\s*[:=]\s*"?)[^"&,\s}]+/gi;

/** Masks Slack tokens and secret-named fields in free text. */
export function maskTokens(text: string): string {
  return text.replace(TOKEN, '$1-[secret]').replace(SECRET_FIELD, '$1[secret]');
}

function line(parts: unknown[], secrets: string[]): { text: string; err: Error | undefined } {
  let err: Error | undefined;
  const words = parts.map((p) => {
    if (p instanceof Error) {
      err ??= p;
      return p.message;
    }
    return typeof p === 'string' ? p : JSON.stringify(p);
  });
  let text = maskTokens(words.join(' '));
  for (const secret of secrets) text = text.split(secret).join('[secret]');
  return { text, err };
}

/** `secrets`: configured values (signing secret, client secret, …) never to appear in a log line. */
export function boltLogger(logger: Logger, secrets: string[] = []): BoltLogger {
  const known = secrets.filter((s) => s.length >= 8);
  let level = LogLevel.INFO;
  const at = (method: 'trace' | 'info' | 'warn' | 'error') => (...parts: unknown[]) => {
    const { text, err } = line(parts, known);
    if (err) logger[method]({ err: { type: err.name, message: line([err.message], known).text, code: (err as { code?: unknown }).code } }, text);
    else logger[method](text);
  };
  const warn = at('warn');
  const trace = at('trace');
  return {
    debug: trace,
    info: at('info'),
    // The WebClient warns "http request failed" on every network failure; the caller logs one clearer line.
    warn: (...parts: unknown[]) => (typeof parts[0] === 'string' && parts[0].startsWith('http request failed') ? trace(...parts) : warn(...parts)),
    error: at('error'),
    setLevel: (l: LogLevel) => { level = l; },
    getLevel: () => level,
    setName: () => undefined,
  };
}
