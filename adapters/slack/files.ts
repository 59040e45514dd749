/**
 * Reading the files a person chose in the import form: files.info for each, then its
 * private download URL with the bot token (Slack needs `files:read`). The token only ever
 * goes to Slack's own hosts (or the configured SLACK_API_URL's); what is read is bounded
 * and checked by core before it is parsed: too big, binary or not UTF-8 are refused in
 * plain words.
 */
import type { ImportFile } from '../../src/core/import';
import { ImportRefused, MAX_IMPORT_TOTAL_BYTES } from '../../src/core/import';
import { checkFileSize, documentText, MAX_IMPORT_FILE_BYTES, tooLargeToRead } from '../../src/core/document-file';
import { explain } from './errors';
import { withRateLimitRetry } from './post';
import type { WebClient } from './post';

const DOWNLOAD_TIMEOUT_MS = 10_000;

/** A file Slack could not give us, said in the person's words. */
export class FileUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileUnavailable';
  }
}

/**
 * True for a URL the bot token may be sent to: Slack's own hosts over https, or the
 * configured API host and its subdomains (GovSlack serves files from files.<its host>).
 */
export function mayCarryToken(url: string, apiUrl: string): boolean {
  let u: URL;
  let api: URL;
  try {
    u = new URL(url);
    api = new URL(apiUrl);
  } catch {
    return false;
  }
  if (u.username || u.password) return false;
  const under = (host: string): boolean => u.hostname === host || u.hostname.endsWith(`.${host}`);
  if (u.protocol === 'https:' && under('slack.com')) return true;
  return u.protocol === api.protocol && u.port === api.port && under(api.hostname);
}

/** Whether a download failed by running out of time (the error itself may be undici's "terminated"). */
const timedOut = (err: unknown, signal: AbortSignal): boolean => signal.aborted || (err instanceof Error && err.name === 'TimeoutError');

const tooSlow = (name: string): FileUnavailable => new FileUnavailable(`Slack took too long to send ${name} (${DOWNLOAD_TIMEOUT_MS / 1000} s); try again. Nothing imported.`);

/** The body of `res`, refusing more than the import limit without reading it all. */
async function boundedBody(res: Response, name: string, signal: AbortSignal): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > 0) checkFileSize(name, declared);
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (res.body) {
    const reader = res.body.getReader();
    for (;;) {
      let read: Awaited<ReturnType<typeof reader.read>>;
      try {
        read = await reader.read();
      } catch (err) {
        if (timedOut(err, signal)) throw tooSlow(name);
        throw new FileUnavailable(`Slack stopped sending ${name} part of the way; try again. Nothing imported.`);
      }
      const { done, value } = read;
      if (done) break;
      total += value.length;
      if (total > MAX_IMPORT_FILE_BYTES) {
        await reader.cancel().catch(() => undefined);
        throw tooLargeToRead(name);
      }
      chunks.push(value);
    }
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

async function download(url: string, token: string, name: string): Promise<Uint8Array> {
  let res: Response;
  const signal = AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS);
  try {
    res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal });
  } catch (err) {
    if (timedOut(err, signal)) throw tooSlow(name);
    throw new FileUnavailable(`I could not download ${name} from Slack just now. Please try again in a moment.`);
  }
  if (!res.ok) {
    await res.arrayBuffer().catch(() => undefined);
    throw new FileUnavailable(`Slack would not let me download ${name} (HTTP ${res.status}). Please try again, or ask an admin to reinstall Decisions so it may read files.`);
  }
  // Without the files:read permission Slack answers a download with its sign-in page.
  if ((res.headers.get('content-type') ?? '').toLowerCase().includes('text/html')) {
    await res.arrayBuffer().catch(() => undefined);
    throw new FileUnavailable(`Slack gave me a web page instead of ${name}: Decisions may lack the files:read permission. Ask an admin to reinstall it from the app’s page.`);
  }
  return boundedBody(res, name, signal);
}

interface SlackFile {
  name?: string;
  title?: string;
  size?: number;
  url_private_download?: string;
  url_private?: string;
}

/**
 * The names and texts of the chosen files, in the order chosen. Throws ImportRefused (too
 * big, not text) or FileUnavailable (Slack would not give it), each in plain words.
 */
export async function readChosenFiles(client: WebClient, ids: readonly string[]): Promise<ImportFile[]> {
  const token = client.token;
  if (!token) throw new FileUnavailable('I have no token to read files with here. Ask an admin to reinstall Decisions.');
  const out: ImportFile[] = [];
  let total = 0;
  for (const id of ids) {
    let file: SlackFile | undefined;
    try {
      file = (await withRateLimitRetry(() => client.files.info({ file: id }))).file as SlackFile | undefined;
    } catch (err) {
      throw new FileUnavailable(`I could not read the file you chose: ${explain(err)}`);
    }
    const name = file?.name || file?.title || 'the file';
    const url = file?.url_private_download ?? file?.url_private;
    if (!file || !url) throw new FileUnavailable(`Slack did not give me a way to download ${name}. Please choose it again.`);
    if (typeof file.size === 'number') {
      checkFileSize(name, file.size);
      // Before downloading more: all the files together are bounded too.
      total += file.size;
      if (total > MAX_IMPORT_TOTAL_BYTES) throw new ImportRefused(`The files chosen come to more than ${MAX_IMPORT_TOTAL_BYTES / 1024 / 1024} MB; an import reads at most that in all. Nothing imported.`);
    }
    if (!mayCarryToken(url, client.slackApiUrl)) throw new FileUnavailable(`Slack gave ${name} an address I will not send the bot's token to. Nothing imported.`);
    out.push({ name, markdown: documentText(await download(url, token, name), name) });
  }
  return out;
}

/** What to say when reading the chosen files failed; null for a failure of our own (to be logged). */
export function fileProblem(err: unknown): string | null {
  return err instanceof ImportRefused || err instanceof FileUnavailable ? err.message : null;
}
