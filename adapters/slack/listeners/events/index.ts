/**
 * Events: App Home opened (publish the Home tab), and the app uninstalled or its tokens
 * revoked (delete the workspace's installation, tokens and all).
 */
import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from '@slack/bolt';
import { HELP } from '../../../../src/core/help';
import type { SlackDeps } from '../../deps';
import { workspaceOf } from '../../context';
import { describe } from '../../errors';
import { homeView } from '../../render/home';
import type { HomeCase } from '../../render/home';
import type { WebClient } from '../../post';

type EventArgs<T extends string> = SlackEventMiddlewareArgs<T> & AllMiddlewareArgs;

/** At most this many pages of a user's channels are read for the Home tab. */
const MAX_CHANNEL_PAGES = 10;

/** The channels the user is in that the bot may see (public ones, and private ones it shares). */
async function channelsOf(client: WebClient, user: string): Promise<Set<string>> {
  const channels = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_CHANNEL_PAGES; page += 1) {
    const res = await client.users.conversations({ user, types: 'public_channel,private_channel', exclude_archived: true, limit: 200, ...(cursor ? { cursor } : {}) });
    for (const c of res.channels ?? []) if (c.id) channels.add(c.id);
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!cursor) break;
  }
  return channels;
}

export async function onAppHomeOpened(args: EventArgs<'app_home_opened'>, deps: SlackDeps): Promise<void> {
  const { event, client, context, body } = args;
  if (event.tab !== 'home') return;
  const workspace = workspaceOf(context.teamId ?? body.team_id, context.enterpriseId ?? body.enterprise_id);
  let cases: HomeCase[] = [];
  let problem: string | null = null;
  if (workspace) {
    try {
      const mine = await channelsOf(client, event.user);
      const all = (await deps.store.listCases({ platform: 'slack', workspace })).filter((c) => mine.has(c.place.channel)).slice(0, 50);
      cases = await Promise.all(all.map(async (c) => ({ channel: c.place.channel, ...(await deps.service.summary(c)) })));
    } catch (err) {
      deps.logger.warn({ reason: describe(err) }, 'Slack: could not list the user’s cases for App Home');
      problem = 'I could not read your channels just now, so your cases are not listed. Open this tab again in a moment.';
    }
  }
  try {
    await client.views.publish({ user_id: event.user, view: homeView({ help: HELP, cases, problem }) });
  } catch (err) {
    deps.logger.warn({ reason: describe(err) }, 'Slack: could not publish App Home');
  }
}

async function forget(args: AllMiddlewareArgs & { body: { team_id?: string; enterprise_id?: string } }, deps: SlackDeps, why: string): Promise<void> {
  const { context, body } = args;
  const teamId = context.teamId ?? body.team_id;
  const enterpriseId = context.enterpriseId ?? body.enterprise_id;
  const isEnterpriseInstall = context.isEnterpriseInstall === true;
  const workspace = isEnterpriseInstall ? enterpriseId : workspaceOf(teamId, enterpriseId);
  if (!deps.installations) {
    deps.logger.info({ workspace }, `Slack: ${why}; in single-workspace mode there is no stored installation to delete`);
    return;
  }
  await deps.installations.deleteInstallation(isEnterpriseInstall
    ? { isEnterpriseInstall: true, enterpriseId: enterpriseId ?? '', teamId: undefined }
    : { isEnterpriseInstall: false, teamId: teamId ?? enterpriseId ?? '', enterpriseId });
  deps.logger.info({ workspace }, `Slack: ${why}; deleted the workspace's installation and its tokens`);
}

export async function onAppUninstalled(args: EventArgs<'app_uninstalled'>, deps: SlackDeps): Promise<void> {
  await forget(args, deps, 'the app was uninstalled');
}

export async function onTokensRevoked(args: EventArgs<'tokens_revoked'>, deps: SlackDeps): Promise<void> {
  const bot = args.event.tokens?.bot ?? [];
  if (bot.length === 0) return; // Only user tokens went; we keep none.
  await forget(args, deps, 'the bot token was revoked');
}

/** One listener for every event, dispatching here (see commands/index.ts); the manifest subscribes to these three only. */
export function register(app: App, deps: SlackDeps): void {
  app.event(/.*/, (args) => {
    switch (args.event.type) {
      case 'app_home_opened': return onAppHomeOpened(args as EventArgs<'app_home_opened'>, deps);
      case 'app_uninstalled': return onAppUninstalled(args as EventArgs<'app_uninstalled'>, deps);
      case 'tokens_revoked': return onTokensRevoked(args as EventArgs<'tokens_revoked'>, deps);
      default: return Promise.resolve();
    }
  });
}
