/**
 * Slack through Bolt, on our one HTTP server (or Socket Mode), in one workspace or many.
 * The environment picks the mode (see mode.ts); listeners turn payloads into core calls
 * and render core's view models as Block Kit.
 */
import { App, SocketModeReceiver, webApi } from '@slack/bolt';
import type { Authorize, Logger as BoltLogger, Receiver } from '@slack/bolt';
import { InstallProvider } from '@slack/oauth';
import type { AppContext, Surface } from '../../src/surface';
import { mistakeLog, type MistakeLog } from '../../src/logger';
import { sendText } from '../../src/server/http';
import { boltLogger } from './logger';
import { describeMode, OFF_MESSAGE, slackMode } from './mode';
import type { SlackMode } from './mode';
import { SlackHttpReceiver } from './receiver';
import { createInstallationStore } from './installation-store';
import type { SlackInstallationStore } from './installation-store';
import { classify, describe } from './errors';
import { clientOptions, clientPool, createPoster } from './post';
import { slackCanvases } from './canvases';
import { LATE, within } from './respond';
import type { SlackDeps } from './deps';
import { announcementKey, createAnnouncements } from './announcements';
import { createPeople } from './people';
import { register as registerCommands } from './listeners/commands';
import { register as registerActions } from './listeners/actions';
import { register as registerViews } from './listeners/views';
import { register as registerShortcuts } from './listeners/shortcuts';
import { register as registerEvents } from './listeners/events';

/**
 * The least the bot needs: commands and shortcuts, posting, the Markdown upload, reading the
 * files chosen in the import form, the user's channels for App Home, and the case in the
 * channel's canvas.
 */
export const BOT_SCOPES = ['commands', 'chat:write', 'files:write', 'files:read', 'channels:read', 'groups:read', 'users:read', 'canvases:write'];

export const PATHS = { events: '/slack/events', install: '/slack/install', redirect: '/slack/oauth_redirect' } as const;

function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>${html(title)}</title></head><body><h1>${html(title)}</h1>${body}</body></html>`;
}

/** Every configured secret, so no log line can carry one. */
function secretsOf(mode: SlackMode): string[] {
  const out: string[] = [];
  if (mode.auth.kind === 'token') out.push(mode.auth.botToken);
  else out.push(mode.auth.clientSecret, mode.auth.stateSecret, mode.auth.encryptionKey.toString('hex'));
  if (mode.transport.kind === 'http') out.push(mode.transport.signingSecret);
  else if (mode.transport.kind === 'socket') out.push(mode.transport.appToken);
  return out;
}

/** The key for stored response URLs: from ENCRYPTION_KEY with OAuth, else from the bot token (never stored). */
function announcementKeyFor(mode: SlackMode): Buffer {
  return announcementKey(mode.auth.kind === 'oauth' ? mode.auth.encryptionKey : mode.auth.botToken);
}

interface Installer {
  provider: InstallProvider;
  store: SlackInstallationStore;
}

/** Redirects that failed through the visitor's doing (no code, a stale or forged state, "Cancel"): not our failure. */
const VISITOR_MISTAKES = new Set(['slack_oauth_missing_code', 'slack_oauth_missing_state', 'slack_oauth_invalid_state', 'slack_oauth_installer_authorization_error']);

function createInstaller(ctx: AppContext, mode: SlackMode & { auth: { kind: 'oauth' } }, base: ReturnType<typeof clientOptions>, slackLog: BoltLogger): Installer {
  const store = createInstallationStore({ store: ctx.store, key: mode.auth.encryptionKey, clock: ctx.clock });
  // handleCallback logs every failed redirect at error (the Error, alone) before calling our
  // failure callback, which logs it once at the level it deserves: that one goes to trace.
  const installerLog: BoltLogger = {
    ...slackLog,
    error: (...parts: unknown[]) => (parts.length === 1 && parts[0] instanceof Error ? slackLog.debug(...parts) : slackLog.error(...parts)),
  };
  const provider = new InstallProvider({
    clientId: mode.auth.clientId,
    clientSecret: mode.auth.clientSecret,
    stateSecret: mode.auth.stateSecret,
    installationStore: store,
    logger: installerLog,
    authorizationUrl: mode.authorizeUrl,
    clientOptions: { slackApiUrl: base.slackApiUrl, retryConfig: base.retryConfig, timeout: base.timeout },
    installUrlOptions: {
      scopes: BOT_SCOPES,
      ...(ctx.config.publicUrl ? { redirectUri: `${ctx.config.publicUrl}${PATHS.redirect}` } : {}),
    },
    renderHtmlForInstallPath: (url) => page('Add Decisions to Slack', `<p>Decisions keeps your team’s sprint decisions, the evidence behind them and your business case, in the channel.</p><p><a href="${html(url)}">Add to Slack</a></p>`),
  });
  return { provider, store };
}

function mountInstallRoutes(ctx: AppContext, installer: Installer, logger: AppContext['logger'], mistake: MistakeLog): void {
  ctx.http.route('GET', PATHS.install, async (req, res) => {
    await installer.provider.handleInstallPath(req, res);
  });
  ctx.http.route('GET', PATHS.redirect, async (req, res) => {
    await installer.provider.handleCallback(req, res, {
      success: (installation, _options, _req, response) => {
        const name = installation.team?.name ?? installation.enterprise?.name ?? 'your workspace';
        logger.info({ workspace: installation.team?.id ?? installation.enterprise?.id }, 'Slack: installed in a workspace');
        sendText(response, 200, page('Decisions is installed', `<p>Decisions is now in ${html(name)}. In a channel, type <code>/decision help</code> to start.</p>`), 'text/html; charset=utf-8');
      },
      failure: (error, _options, _req, response) => {
        const code = String(error.code ?? 'unknown');
        if (VISITOR_MISTAKES.has(code)) mistake(`slack oauth ${code}`, 'info', { reason: code }, 'Slack: an installation redirect was not valid; the visitor was asked to try again');
        // Slack refused the code or could not be reached: worth a look, not our bug.
        else if (code.startsWith('slack_webapi_')) mistake(`slack oauth ${code}`, 'warn', { reason: describe(error) }, 'Slack: an installation did not complete');
        else logger.error({ err: { type: error.name, message: error.message, code } }, 'Slack: an installation failed on our side');
        sendText(response, 400, page('The installation did not finish', `<p>Slack did not complete the installation (${html(String(error.code ?? 'error'))}). <a href="${PATHS.install}">Try again</a>.</p>`), 'text/html; charset=utf-8');
      },
    });
  });
}

/** Slack through Bolt. Returns null when Slack is not configured; throws ConfigError when it is half configured. */
export async function mountSlack(ctx: AppContext): Promise<Surface | null> {
  const receive = ctx.receive !== false;
  const mode = slackMode(ctx.config, { receive });
  if (!mode) {
    ctx.logger.info(OFF_MESSAGE);
    return null;
  }
  const logger = ctx.logger.child({ surface: 'slack' });
  const mistake = mistakeLog(logger);
  const secrets = secretsOf(mode);
  const slackLog = boltLogger(logger, secrets);
  const options = clientOptions(mode.apiUrl, logger, secrets);
  const clientFor = clientPool(mode.apiUrl, logger, secrets);

  if (mode.transport.kind === 'none') {
    // Only posting (`decisions tick`): tokens from SLACK_BOT_TOKEN or the stored installations; nothing listens or connects.
    const auth = mode.auth;
    const postOnlyToken = auth.kind === 'token'
      ? async () => auth.botToken
      : (() => {
        const installs = createInstallationStore({ store: ctx.store, key: auth.encryptionKey, clock: ctx.clock });
        return (workspace: string) => installs.botToken(workspace);
      })();
    return { platform: 'slack', description: describeMode(mode), post: createPoster({ botToken: postOnlyToken, client: clientFor, logger }), canvases: slackCanvases({ botToken: postOnlyToken, client: clientFor, logger }), async stop() {} };
  }
  const transport = mode.transport;

  // Where tokens come from.
  let installer: Installer | null = null;
  let authorize: Authorize<boolean>;
  let botToken: (workspace: string) => Promise<string | null>;
  let identity: { botId?: string; botUserId?: string } = {};
  if (mode.auth.kind === 'oauth') {
    const inst = createInstaller(ctx, { ...mode, auth: mode.auth }, options, slackLog);
    installer = inst;
    authorize = (source) => inst.provider.authorize(source);
    botToken = (workspace) => inst.store.botToken(workspace);
    mountInstallRoutes(ctx, inst, logger, mistake);
  } else {
    const token = mode.auth.botToken;
    authorize = async () => ({ botToken: token, ...identity });
    botToken = async () => token;
  }

  // How Slack reaches us.
  let receiver: Receiver;
  let httpReceiver: SlackHttpReceiver | null = null;
  if (transport.kind === 'http') {
    httpReceiver = new SlackHttpReceiver({ signingSecret: transport.signingSecret, logger, clock: ctx.clock });
    receiver = httpReceiver;
    ctx.http.route('POST', PATHS.events, httpReceiver.handler);
  } else {
    receiver = new SocketModeReceiver({
      appToken: transport.appToken,
      logger: slackLog,
      // apps.connections.open goes to SLACK_API_URL too; a few quick retries, not Bolt's hundred.
      installerOptions: { clientOptions: { slackApiUrl: options.slackApiUrl, retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2000 }, timeout: options.timeout } },
    });
  }

  const app = new App({ receiver, authorize, logger: slackLog, clientOptions: options, convoStore: false });
  app.error(async (error) => {
    if (error.code === 'slack_bolt_authorization_error') {
      mistake('slack unknown workspace', 'warn', { reason: error.message.slice(0, 200) }, 'Slack: a request came from a workspace with no installation; ignored');
      return;
    }
    logger.error({ err: { type: error.name, message: error.message, code: error.code } }, 'Slack: a listener failed');
  });
  const announcements = createAnnouncements({ store: ctx.store, key: announcementKeyFor(mode), clock: ctx.clock, logger });
  const deps: SlackDeps = { service: ctx.service, store: ctx.store, logger, installations: installer?.store ?? null, announcements, people: createPeople({ logger, apiUrl: mode.apiUrl }) };
  registerCommands(app, deps);
  registerActions(app, deps);
  registerViews(app, deps);
  registerShortcuts(app, deps);
  registerEvents(app, deps);

  const apiUrl = mode.apiUrl;
  /** Checks the single workspace's token once, so a wrong token or an unreachable Slack shows at start. */
  async function checkToken(token: string): Promise<void> {
    const probe = new webApi.WebClient(token, { ...options, retryConfig: { retries: 0 }, timeout: 5000 });
    try {
      const res = await probe.auth.test();
      identity = { ...(res.bot_id ? { botId: res.bot_id } : {}), ...(res.user_id ? { botUserId: res.user_id } : {}) };
      logger.info({ team: res.team_id }, `Slack: connected to ${res.team ?? res.team_id ?? 'the workspace'} as @${res.user ?? 'the bot'}`);
    } catch (err) {
      const f = classify(err);
      if (f.kind === 'platform') logger.error(`Slack refused SLACK_BOT_TOKEN at ${apiUrl} (${f.error}); still serving, but Slack requests will fail until the token is fixed.`);
      else logger.warn(`Slack is unreachable at ${apiUrl} (${f.kind === 'unreachable' ? f.message : describe(err)}); still serving: slash commands are answered, but forms, channel posts, uploads and digests fail until it is reachable.`);
    }
  }

  let socketStarted = false;
  return {
    platform: 'slack',
    description: describeMode(mode),
    post: createPoster({ botToken, client: clientFor, logger }),
    canvases: slackCanvases({ botToken, client: clientFor, logger }),
    async start() {
      if (mode.auth.kind === 'token') await checkToken(mode.auth.botToken);
      if (transport.kind === 'socket') {
        socketStarted = true;
        const connecting = (receiver.start() as Promise<unknown>).then(
          () => logger.info('Slack: Socket Mode connected'),
          (err: unknown) => logger.warn(`Slack: Socket Mode could not connect through ${apiUrl} (${describe(err)}); still serving the rest.`),
        );
        if ((await within(connecting, 10_000)) === LATE) logger.warn('Slack: Socket Mode is still connecting; carrying on.');
      }
    },
    async stop() {
      if (httpReceiver) await httpReceiver.stop();
      else if (socketStarted) await receiver.stop();
    },
  };
}
