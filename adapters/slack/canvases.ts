/**
 * Slack's canvases, for core's canvas keeper (ChannelCanvases): the channel's own canvas
 * (conversations.canvases.create), a canvas apart shared with the channel when the channel
 * has one of its own (canvases.create, then canvases.access.set with read access), and the
 * whole content replaced (canvases.edit, operation `replace`, no section: the whole canvas).
 * Every failure comes back as a CanvasFailure in core's terms; a 429 is not waited out here.
 */
import type { Logger } from '../../src/logger';
import type { Place } from '../../src/core/model';
import { CanvasFailure, type CanvasFailureKind, type CanvasRefusal, type ChannelCanvases } from '../../src/core/ports';
import { classify, describe } from './errors';
import type { WebClient } from './post';

/** Slack's codes, by what they mean for keeping a case in a canvas. */
const REFUSALS: Record<string, CanvasRefusal> = {
  team_tier_cannot_create_channel_canvases: 'plan',
  free_team_canvas_tab_already_exists: 'plan',
  free_teams_cannot_create_non_tabbed_canvases: 'plan',
  paid_only: 'plan',
  canvas_disabled_user_team: 'disabled',
  canvas_disabled_file_team: 'disabled',
  canvas_not_found: 'not found',
  file_not_found: 'not found',
  canvas_deleted: 'not found',
  not_in_channel: 'not in channel',
  channel_not_found: 'not in channel',
  is_archived: 'not in channel',
  missing_scope: 'missing scope',
  no_permission: 'restricted',
  restricted_action: 'restricted',
  access_denied: 'restricted',
  token_revoked: 'not installed',
  invalid_auth: 'not installed',
  not_authed: 'not installed',
  account_inactive: 'not installed',
  team_access_not_granted: 'not installed',
  canvas_too_large: 'too big',
  document_content_too_large: 'too big',
  invalid_document_content: 'too big',
};

/** Slack failed on its side: tried again later, not a refusal. */
const ON_SLACKS_SIDE = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'canvas_creation_failed', 'channel_canvas_creation_failed', 'canvas_tab_creation_failed', 'canvas_editing_failed', 'ratelimited']);

/** A Web API error in core's terms. */
export function canvasFailure(err: unknown): CanvasFailureKind {
  const f = classify(err);
  switch (f.kind) {
    case 'rate-limited': return { kind: 'rate limited', retryAfterMs: Math.max(1, f.retryAfter) * 1000 };
    case 'platform': {
      const reason = REFUSALS[f.error];
      if (reason) return { kind: 'refused', reason, code: f.error };
      if (ON_SLACKS_SIDE.has(f.error)) return { kind: 'unavailable', detail: f.error };
      return { kind: 'refused', reason: 'other', code: f.error };
    }
    case 'http':
    case 'unreachable':
    case 'other':
      return { kind: 'unavailable', detail: describe(err) };
  }
}

const platformCode = (err: unknown): string | null => {
  const f = classify(err);
  return f.kind === 'platform' ? f.error : null;
};

export function slackCanvases(deps: { botToken: (workspace: string) => Promise<string | null>; client: (token: string) => WebClient; logger: Logger }): ChannelCanvases {
  async function clientFor(place: Place): Promise<WebClient> {
    if (place.platform !== 'slack') throw new CanvasFailure({ kind: 'refused', reason: 'other', code: 'not_a_slack_channel' });
    let token: string | null;
    try {
      token = await deps.botToken(place.workspace);
    } catch (err) {
      deps.logger.error({ err, workspace: place.workspace }, 'Slack: could not read the workspace installation');
      throw new CanvasFailure({ kind: 'unavailable', detail: 'the installation could not be read' });
    }
    if (!token) throw new CanvasFailure({ kind: 'refused', reason: 'not installed', code: 'not_installed' });
    return deps.client(token);
  }

  /** Runs one Web API call; its failure in core's terms, logged once without a token. */
  async function call<T>(place: Place, method: string, run: (client: WebClient) => Promise<T>): Promise<T> {
    const client = await clientFor(place);
    try {
      return await run(client);
    } catch (err) {
      const failure = canvasFailure(err);
      if (failure.kind !== 'rate limited') deps.logger.warn({ workspace: place.workspace, channel: place.channel, method, reason: describe(err) }, 'Slack: a canvas call failed');
      throw new CanvasFailure(failure);
    }
  }

  const content = (markdown: string) => ({ type: 'markdown' as const, markdown });

  return {
    async createChannelCanvas(place, title, markdown) {
      const client = await clientFor(place);
      try {
        const res = await client.conversations.canvases.create({ channel_id: place.channel, title, document_content: content(markdown) });
        if (typeof res.canvas_id !== 'string') throw new CanvasFailure({ kind: 'unavailable', detail: 'Slack gave no canvas id' });
        return { created: res.canvas_id };
      } catch (err) {
        if (err instanceof CanvasFailure) throw err;
        // The channel has a canvas already. The bot records the id of every canvas it makes
        // the moment it has it, so one it has no record of is someone else's: never written over.
        if (platformCode(err) === 'channel_canvas_already_exists') return { exists: { id: null, ours: false } };
        const failure = canvasFailure(err);
        if (failure.kind !== 'rate limited') deps.logger.warn({ workspace: place.workspace, channel: place.channel, method: 'conversations.canvases.create', reason: describe(err) }, 'Slack: a canvas call failed');
        throw new CanvasFailure(failure);
      }
    },

    async createStandalone(place, title, markdown) {
      const made = await call(place, 'canvases.create', (c) => c.canvases.create({ title, document_content: content(markdown) }));
      if (typeof made.canvas_id !== 'string') throw new CanvasFailure({ kind: 'unavailable', detail: 'Slack gave no canvas id' });
      // Its link, for the reply; without files:read or on a failure, the reply says where to look instead.
      let url: string | null = null;
      try {
        const info = await (await clientFor(place)).files.info({ file: made.canvas_id });
        const link = info.file?.permalink;
        if (typeof link === 'string' && /^https:\/\/[^\s<>|]+$/.test(link)) url = link;
      } catch {
        url = null;
      }
      return { id: made.canvas_id, url };
    },

    async shareWithChannel(place, canvasId) {
      // Read only: the canvas is the bot's record of the case, changed through /decision.
      await call(place, 'canvases.access.set', (c) => c.canvases.access.set({ canvas_id: canvasId, access_level: 'read', channel_ids: [place.channel] }));
    },

    async replace(place, canvasId, markdown) {
      await call(place, 'canvases.edit', (c) => c.canvases.edit({ canvas_id: canvasId, changes: [{ operation: 'replace', document_content: content(markdown) }] }));
    },
  };
}
