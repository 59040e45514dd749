/**
 * Microsoft Teams through botbuilder's CloudAdapter at POST /api/messages.
 *
 * Every botbuilder import stays inside adapters/teams/, so moving to the Microsoft
 * 365 Agents SDK later touches this folder only.
 *
 * Three modes, from the configuration:
 * - MicrosoftAppId set: every request must carry a valid Bot Framework token that says
 *   when it expires (401 otherwise, before anything runs).
 * - TEAMS_LOCAL=1: unauthenticated, for the Bot Framework Emulator. Only requests from a
 *   loopback peer, not relayed by a proxy, whose serviceUrl is on this machine; and never
 *   expectReplies, which would hand a case's replies to whoever asked.
 * - Neither: Teams is off. /api/messages answers 401 without reading the request, so a
 *   Slack-only deployment lets nobody record, read or make the bot call anything.
 *
 * botbuilder is large (about 25 MB of memory and a quarter of a second to load). With
 * MicrosoftAppId set it loads at start, so a wrong Teams configuration stops the start;
 * in local mode, where no configuration can be wrong, it loads on first use (the first
 * activity, or the first post to a Teams case); when Teams is off, never.
 */
import type { Activity, CloudAdapter, ConfigurationBotFrameworkAuthentication, ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppContext, Surface } from '../../src/surface';
import { ConfigError } from '../../src/config';
import type { TeamsConfig } from '../../src/config';
import { sendText } from '../../src/server/http';
import type { DecisionsBot } from './bot';
import { isLoopbackAddress, isLoopbackUrl } from './activity';
import { tokenProblem } from './token';
import { readActivityRequest, shimResponse } from './http-shim';
import { createPoster, safeError } from './post';
import { cardActivity } from './cards/render';
import { card, text } from './cards/elements';

export const MESSAGES_PATH = '/api/messages';

/** The start line when Teams is off: which variables switch it on. */
export const OFF_MESSAGE = 'Teams is off: set MicrosoftAppId and MicrosoftAppPassword (with MicrosoftAppType and MicrosoftAppTenantId for a single-tenant bot or a managed identity) to switch it on, or TEAMS_LOCAL=1 for the Bot Framework Emulator on this machine.';

const LOCAL_ONLY = 'With TEAMS_LOCAL=1 this bot only answers the Bot Framework Emulator on this machine. Set MicrosoftAppId and MicrosoftAppPassword for Teams.';

type Header = string | string[] | undefined;

function first(header: Header): string {
  return Array.isArray(header) ? header[0] ?? '' : header ?? '';
}

function wantsReplies(body: Record<string, unknown> | undefined): boolean {
  const mode = body?.deliveryMode;
  return typeof mode === 'string' && mode.toLowerCase() === 'expectreplies';
}

function authOptions(teams: TeamsConfig): ConfigurationBotFrameworkAuthenticationOptions {
  if (teams.appId === null) return {};
  const options: ConfigurationBotFrameworkAuthenticationOptions = { MicrosoftAppId: teams.appId, MicrosoftAppType: teams.appType };
  if (teams.appPassword !== null) options.MicrosoftAppPassword = teams.appPassword;
  if (teams.tenantId !== null) options.MicrosoftAppTenantId = teams.tenantId;
  return options;
}

/** The botbuilder parts: the authentication, the adapter, the bot and the poster. */
interface Runtime {
  auth: ConfigurationBotFrameworkAuthentication;
  adapter: CloudAdapter;
  bot: DecisionsBot;
  post: ReturnType<typeof createPoster>;
}

async function loadRuntime(ctx: AppContext): Promise<Runtime> {
  const { config, logger } = ctx;
  const [{ CloudAdapter, ConfigurationBotFrameworkAuthentication }, { DecisionsBot }] = await Promise.all([import('botbuilder'), import('./bot')]);
  let auth: ConfigurationBotFrameworkAuthentication;
  try {
    auth = new ConfigurationBotFrameworkAuthentication(authOptions(config.teams));
  } catch (err) {
    // botbuilder's own checks (a password with UserAssignedMSI, a missing tenant): one clear line.
    throw new ConfigError(`Teams: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context, error) => {
    logger.error({ err: safeError(error), activityType: context.activity.type }, 'Teams: turn failed');
    try {
      await context.sendActivity(cardActivity(card([text('Sorry, something went wrong on my side. Please try again in a moment.')]), 'Sorry, something went wrong.'));
    } catch {
      // The conversation cannot be reached either: the log line above is all we can do.
    }
  };
  const bot = new DecisionsBot({ service: ctx.service, store: ctx.store, clock: ctx.clock, logger, appId: config.teams.appId ?? '' });
  const post = createPoster({ adapter, store: ctx.store, appId: config.teams.appId ?? '', logger });
  return { auth, adapter, bot, post };
}

export async function mountTeams(ctx: AppContext): Promise<Surface | null> {
  const { config, logger, http } = ctx;
  const teams = config.teams;
  const receive = ctx.receive !== false;

  if (teams.appId === null && !teams.local) {
    logger.info(OFF_MESSAGE);
    // Answered rather than 404, so whoever points a messaging endpoint here learns why; the
    // request is not read and botbuilder never loads.
    if (receive) http.route('POST', MESSAGES_PATH, (_req, res) => sendText(res, 401, 'Teams is off on this server: it has no MicrosoftAppId.'));
    return null;
  }
  const local = teams.local;

  let loading: Promise<Runtime> | null = null;
  const runtime = (): Promise<Runtime> => {
    loading ??= loadRuntime(ctx);
    return loading;
  };
  // Authenticated: load now, so a configuration botbuilder refuses stops the start.
  if (!local) await runtime();

  const refuse = (res: ServerResponse, status: number, text: string, log: Record<string, unknown>, why: string) => {
    logger.warn(log, `Teams: refused ${why}`);
    sendText(res, status, text);
  };

  /** Local mode: the Emulator on this machine, talking to a connector on this machine, and nothing else. */
  async function serveLocal(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const peer = req.socket.remoteAddress;
    if (!isLoopbackAddress(peer)) return refuse(res, 403, LOCAL_ONLY, { peer }, 'a request from another machine (TEAMS_LOCAL=1)');
    // A proxy on this machine makes every peer look local: what it relays came from elsewhere.
    if (req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined) {
      return refuse(res, 403, LOCAL_ONLY, { forwardedFor: first(req.headers['x-forwarded-for'] ?? req.headers.forwarded).slice(0, 100) }, 'a request relayed by a proxy (TEAMS_LOCAL=1)');
    }
    const request = await readActivityRequest(req);
    if (!isLoopbackUrl(request.body?.serviceUrl)) {
      return refuse(res, 403, LOCAL_ONLY, { serviceUrl: String(request.body?.serviceUrl ?? '').slice(0, 100) }, 'an activity whose serviceUrl is not on this machine (TEAMS_LOCAL=1)');
    }
    if (wantsReplies(request.body)) {
      return refuse(res, 403, 'deliveryMode expectReplies needs Bot Framework authentication (MicrosoftAppId); the Emulator does not need it.', {}, 'an expectReplies activity (TEAMS_LOCAL=1)');
    }
    const { adapter, bot } = await runtime();
    await adapter.process(request, shimResponse(res), (context) => bot.run(context));
  }

  /** Teams itself: a valid Bot Framework token on every request. */
  async function serveAuthenticated(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const request = await readActivityRequest(req);
    const header = first(request.headers.authorization);
    // Real time, as botbuilder checks it (the app's clock is for schedules).
    const problem = tokenProblem(header, Math.floor(Date.now() / 1000));
    if (problem !== null) return refuse(res, 401, 'Unauthorized', { reason: problem }, 'a request without a valid Bot Framework token');
    const { auth, adapter, bot } = await runtime();
    // botbuilder answers some bad tokens (a wrong signature, an expired token) with 500;
    // whatever is wrong with the token, the answer is 401 and nothing runs.
    try {
      await auth.authenticateRequest(request.body as Partial<Activity> as Activity, header);
    } catch (err) {
      return refuse(res, 401, 'Unauthorized', { reason: safeError(err).message }, 'a request without a valid Bot Framework token');
    }
    await adapter.process(request, shimResponse(res), (context) => bot.run(context));
  }

  // Mounted only to post (`decisions tick`): nothing listens for activities.
  if (receive) http.route('POST', MESSAGES_PATH, local ? serveLocal : serveAuthenticated);

  const description = local
    ? `Teams: unauthenticated local mode (TEAMS_LOCAL=1) at POST ${MESSAGES_PATH} for the Bot Framework Emulator: only requests from this machine, with a serviceUrl on this machine`
    : `Teams: Bot Framework authentication for app ${teams.appId} (${teams.appType}) at POST ${MESSAGES_PATH}`;

  return {
    platform: 'teams',
    description,
    post: async (c, reply) => (await runtime()).post(c, reply),
    async stop() {
      // Nothing to close: the shared HTTP server stops the requests.
    },
  };
}
