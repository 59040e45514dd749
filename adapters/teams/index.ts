import type { AppContext, Surface } from '../../src/surface';

/** Microsoft Teams through botbuilder: filled in by the Teams work. */
export async function mountTeams(ctx: AppContext): Promise<Surface | null> {
  ctx.logger.info('Teams is off: set MicrosoftAppId and MicrosoftAppPassword to switch it on.');
  return null;
}
