/**
 * Microsoft Teams through botbuilder's CloudAdapter at POST /api/messages.
 *
 * Every botbuilder import stays inside adapters/teams/, so moving to the Microsoft
 * 365 Agents SDK later touches this folder only.
 *
 * With MicrosoftAppId set, every request must carry a valid Bot Framework token
 * (401 otherwise). Without it the bot runs unauthenticated for local use, as the
 * Bot Framework Emulator expects, and then refuses (403) any activity whose
 * serviceUrl is not on this machine, so nobody can make it call other hosts.
 *
 * botbuilder is large (about 25 MB of memory and a quarter of a second to load). With
 * MicrosoftAppId set it loads at start, so a wrong Teams configuration stops the start;
 * in local mode, where no configuration can be wrong, it loads on first use (the first
 * activity, or the first post to a Teams case), so a bot that serves only Slack never
 * pays for it.
 */
import type { Activity, CloudAdapter, ConfigurationBotFrameworkAuthentication, ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import type { AppContext, Surface } from '../../src/surface';
import { ConfigError } from '../../src/config';
import type { TeamsConfig } from '../../src/config';
import { sendText } from '../../src/server/http';
import type { DecisionsBot } from './bot';
import { isLoopbackUrl } from './activity';
import { readActivityRequest, shimResponse } from './http-shim';
import { createPoster, safeError } from './post';
import { cardActivity } from './cards/render';
import { card, text } from './cards/elements';

export const MESSAGES_PATH = '/api/messages';

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
  const bot = new DecisionsBot({ service: ctx.service, store: ctx.store, clock: ctx.clock, logger });
  const post = createPoster({ adapter, store: ctx.store, appId: config.teams.appId ?? '', logger });
  return { auth, adapter, bot, post };
}

export async function mountTeams(ctx: AppContext): Promise<Surface | null> {
  const { config, logger, http } = ctx;
  const teams = config.teams;
  const local = teams.appId === null;

  let loading: Promise<Runtime> | null = null;
  const runtime = (): Promise<Runtime> => {
    loading ??= loadRuntime(ctx);
    return loading;
  };
  // Authenticated: load now, so a configuration botbuilder refuses stops the start.
  if (!local) await runtime();

  // Mounted only to post (`decisions tick`): nothing listens for activities.
  if (ctx.receive !== false) http.route('POST', MESSAGES_PATH, async (req, res) => {
    const request = await readActivityRequest(req);
    if (local && !isLoopbackUrl(request.body?.serviceUrl)) {
      logger.warn({ serviceUrl: String(request.body?.serviceUrl ?? '').slice(0, 100) }, 'Teams: refused an activity whose serviceUrl is not on this machine (local mode)');
      return sendText(res, 403, 'Without MicrosoftAppId this bot only answers activities whose serviceUrl is on this machine (the Bot Framework Emulator). Set MicrosoftAppId and MicrosoftAppPassword for Teams.');
    }
    const { auth, adapter, bot } = await runtime();
    if (!local) {
      // botbuilder answers some bad tokens (a wrong signature, an expired token) with 500;
      // whatever is wrong with the token, the answer is 401 and nothing runs.
      const header = request.headers.authorization ?? '';
      try {
        await auth.authenticateRequest(request.body as Partial<Activity> as Activity, Array.isArray(header) ? header[0] ?? '' : header);
      } catch (err) {
        logger.warn({ reason: safeError(err).message }, 'Teams: refused a request without a valid Bot Framework token');
        return sendText(res, 401, 'Unauthorized');
      }
    }
    await adapter.process(request, shimResponse(res), (context) => bot.run(context));
  });

  const description = local
    ? `Teams: unauthenticated local mode at POST ${MESSAGES_PATH} (Bot Framework Emulator); set MicrosoftAppId and MicrosoftAppPassword for Teams`
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
