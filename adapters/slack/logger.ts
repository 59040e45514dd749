/**
 * Bolt, the WebClient and the OAuth installer log through this: our pino logger, with any
 * token-shaped text masked. Their debug output goes to pino's `trace`, cut down to what
 * is safe to keep (see `summarise`).
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

/**
 * A debug line as it may be kept. Those lines carry whole Web API requests and answers
 * (message text, response URLs in a form's private_metadata, tokens in OAuth answers,
 * upload URLs), so only the words before the first ":" stay, with the size of the rest,
 * and the Web API method's name: "http request body: [412 characters]",
 * "http request url: [40 characters] (chat.postMessage)", "apiCall('views.open') start".
 */
export function summarise(text: string): string {
  const method = /\/api\/([\w.]+)/.exec(text)?.[1];
  const colon = text.indexOf(':');
  const head = (colon === -1 ? text : text.slice(0, colon)).slice(0, 120);
  const rest = colon === -1 ? '' : `: [${text.length - colon - 1} characters]`;
  return `${head}${rest}${method ? ` (${method})` : ''}`;
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
  const at = (method: 'info' | 'warn' | 'error') => (...parts: unknown[]) => {
    const { text, err } = line(parts, known);
    if (err) logger[method]({ err: { type: err.name, message: line([err.message], known).text, code: (err as { code?: unknown }).code } }, text);
    else logger[method](text);
  };
  const trace = (...parts: unknown[]) => {
    // Skip the work when trace is off: debug lines come by the dozen per request.
    if (!logger.isLevelEnabled('trace')) return;
    const { text, err } = line(parts, known);
    if (err) logger.trace({ err: { type: err.name, code: (err as { code?: unknown }).code } }, summarise(text));
    else logger.trace(summarise(text));
  };
  const warn = at('warn');
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
