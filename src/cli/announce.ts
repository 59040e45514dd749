/**
 * `decisions import … --into slack:…|teams:…`: the import, then its announcement in that
 * channel or conversation, as the Slack import form makes it. The app is started only to
 * post (as `decisions tick` does: Slack through chat.postMessage with the bot token or the
 * workspace's installation, Teams through the conversation reference kept when the bot
 * joined), so the process opens no port.
 */
import type { Writable } from 'node:stream';
import type { Config } from '../config';
import { startApp, systemClock } from '../app';
import { createLogger } from '../logger';
import { placeName } from '../core/commands/import-case';
import { timeOrderedId } from '../ids';
import { importInto } from './import-export';
import type { ImportRequest } from './import-export';

const PLATFORM_SETTINGS = {
  slack: 'Slack is not configured here: set SLACK_BOT_TOKEN (and SLACK_API_URL if not slack.com), or run it where the OAuth installations are',
  teams: 'Teams is not configured here: set MicrosoftAppId and MicrosoftAppPassword (or TEAMS_LOCAL=1 for the Emulator)',
  console: '',
} as const;

export async function importAndAnnounce(config: Config, request: ImportRequest, out: { stdout: Writable; stderr: Writable }): Promise<void> {
  // Logs go to stderr: stdout is the report. Only warnings and errors unless LOG_LEVEL asks for more.
  const logger = createLogger(process.env.LOG_LEVEL ? config.logLevel : 'warn', out.stderr);
  const app = await startApp(config, logger, { clock: systemClock, newId: timeOrderedId, receive: false, scheduler: false });
  try {
    const announcement = await importInto(app.service, request, out);
    const where = placeName(request.place);
    const surface = app.surfaces.find((s) => s.platform === request.place.platform);
    const c = await app.store.findCase(request.place);
    if (!surface?.post || !c) {
      out.stderr.write(`Imported, but ${where} was not told: ${PLATFORM_SETTINGS[request.place.platform]}.\n`);
      return;
    }
    const posted = await surface.post(c, announcement);
    if (posted.ok) out.stdout.write(`Announced in ${where}.\n`);
    else out.stderr.write(`Imported, but ${where} could not be told: ${posted.reason}\n`);
  } finally {
    await app.stop();
  }
}
