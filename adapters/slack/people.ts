/**
 * People as Slack shows them. In Slack, replies name people by mention (`<@U123>`, which
 * Slack draws with their current name); everywhere else (the export, the case page, the
 * digest, the console) a case names them by the display name they had when they acted.
 * That name comes from users.info (scope `users:read`), cached per workspace, because the
 * names in payloads are not it: a slash command's `user_name` is the old username
 * ("rainer"), a button's `username` another handle ("RMR").
 *
 * Slack being slow or the scope missing must never hold up a command: the lookup gives up
 * after a moment and the payload's name is used, and the miss is remembered for a minute.
 */
import type { CommandContext } from '../../src/core/service';
import type { Logger } from '../../src/logger';
import { clientPool } from './post';
import type { WebClient } from './post';
import { describe } from './errors';

const FOUND_MS = 60 * 60_000;
const MISSED_MS = 60_000;
/** Short: a command must still be answered within Slack's 3 seconds. */
const LOOKUP_TIMEOUT_MS = 800;
const MAX_ENTRIES = 10_000;

export interface People {
  /** The context with the actor named as Slack shows them. */
  named(client: WebClient, ctx: CommandContext): Promise<CommandContext>;
  /** Slack text with each `<@U…>` mention carrying the person's name, for `slackTextToPlain`. */
  mentionsNamed(client: WebClient, workspace: string, text: string): Promise<string>;
}

interface Entry {
  name: string | null;
  until: number;
}

interface UserInfo {
  user?: { name?: string; real_name?: string; profile?: { display_name?: string; real_name?: string } };
}

/** What Slack shows: the display name, else the full name, else the handle. */
export function shownName(info: UserInfo): string | null {
  const u = info.user;
  const name = u?.profile?.display_name?.trim() || u?.profile?.real_name?.trim() || u?.real_name?.trim() || u?.name?.trim() || '';
  return name === '' ? null : name.slice(0, 80);
}

export function createPeople(deps: { logger: Logger; apiUrl: string; now?: () => number }): People {
  const now = deps.now ?? Date.now;
  const cache = new Map<string, Entry>();
  // Lookups go through clients of their own: no retries, a short timeout.
  const lookupClients = clientPool(deps.apiUrl, deps.logger, [], { retryConfig: { retries: 0 }, timeout: LOOKUP_TIMEOUT_MS });
  const lookupClient = (client: WebClient): WebClient => lookupClients(client.token ?? '');

  async function lookUp(client: WebClient, workspace: string, userId: string): Promise<string | null> {
    const key = `${workspace}:${userId}`;
    const hit = cache.get(key);
    if (hit && hit.until > now()) return hit.name;
    let timer: NodeJS.Timeout | undefined;
    let name: string | null = null;
    try {
      const info = await Promise.race([
        lookupClient(client).users.info({ user: userId }) as Promise<UserInfo>,
        new Promise<never>((_resolve, reject) => { timer = setTimeout(() => reject(new Error('users.info took too long')), LOOKUP_TIMEOUT_MS); }),
      ]);
      name = shownName(info);
    } catch (err) {
      deps.logger.debug({ reason: describe(err) }, 'Slack: could not look up a display name; using the name in the request');
    } finally {
      clearTimeout(timer);
    }
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
    cache.set(key, { name, until: now() + (name === null ? MISSED_MS : FOUND_MS) });
    return name;
  }

  return {
    async named(client, ctx) {
      const name = await lookUp(client, ctx.place.workspace, ctx.actor.id);
      return name === null ? ctx : { ...ctx, actor: { ...ctx.actor, name } };
    },

    async mentionsNamed(client, workspace, text) {
      const ids = [...new Set([...text.matchAll(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g)].map((m) => m[1] as string))].slice(0, 20);
      const names = new Map(await Promise.all(ids.map(async (id) => [id, await lookUp(client, workspace, id)] as const)));
      return text.replace(/<@([UW][A-Z0-9]+)(\|[^>]*)?>/g, (m, id: string) => {
        const name = names.get(id);
        return name ? `<@${id}|${name.replace(/[<>|]/g, '')}>` : m;
      });
    },
  };
}
