import type { AppContext, Surface } from '../../src/surface';

/** Slack through Bolt: filled in by the Slack work. Returns null when Slack is not configured. */
export async function mountSlack(ctx: AppContext): Promise<Surface | null> {
  ctx.logger.info('Slack is off: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (HTTP), SLACK_APP_TOKEN and SLACK_BOT_TOKEN (Socket Mode), or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET (OAuth) to switch it on.');
  return null;
}
