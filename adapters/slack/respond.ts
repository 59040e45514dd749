/**
 * Getting a reply to the right people once a request is acknowledged: the channel
 * (chat.postMessage, or the response URL where the bot is not a member), only the caller
 * (the response URL, or chat.postEphemeral), a modal, or an uploaded Markdown file.
 */
import type { Logger } from '../../src/logger';
import type { Reply, ReplyOf } from '../../src/core/views';
import type { ModalView } from './render/modals';
import type { SlackMessage } from './render/blocks';
import { errorMessage, renderReply, simple } from './render/blocks';
import { esc, link } from './render/escape';
import { NOT_A_MEMBER_ERRORS, describe, explain, platformError } from './errors';
import { withRateLimitRetry } from './post';
import type { WebClient } from './post';
import type { Announcements, Posted } from './announcements';
import { postToResponseUrl } from './response-url';

/** Everything needed to answer one person in one channel. */
export interface Target {
  client: WebClient;
  channel: string;
  user: string;
  /** From the command, button or shortcut: lets us answer where the bot is not a member. */
  responseUrl: string | null;
  logger: Logger;
}

/** How long a listener may work before it must acknowledge (Slack waits 3 seconds). */
export const ACK_DEADLINE_MS = 2500;

export const LATE = Symbol('late');

/** The work's result, or LATE when it takes longer than `ms` (the work carries on). */
export async function within<T>(work: Promise<T>, ms: number = ACK_DEADLINE_MS): Promise<T | typeof LATE> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof LATE>((resolve) => { timer = setTimeout(() => resolve(LATE), ms); });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The body of a slash command's response (or a response URL post). */
export function responseBody(message: SlackMessage, visibility: Reply['visibility']): { response_type: 'in_channel' | 'ephemeral'; text: string; blocks: SlackMessage['blocks'] } {
  return { response_type: visibility === 'channel' ? 'in_channel' : 'ephemeral', text: message.text, blocks: message.blocks };
}


/** Only the caller sees it. */
export async function toCaller(t: Target, message: SlackMessage): Promise<void> {
  try {
    if (t.responseUrl) {
      await postToResponseUrl(t.responseUrl, { ...responseBody(message, 'caller'), replace_original: false });
      return;
    }
    await withRateLimitRetry(() => t.client.chat.postEphemeral({ channel: t.channel, user: t.user, text: message.text, blocks: message.blocks }));
  } catch (err) {
    t.logger.warn({ channel: t.channel, reason: describe(err) }, 'Slack: could not answer the user');
  }
}

/**
 * Everyone in the channel sees it. Falls back to the response URL where the bot is not a
 * member. Says where it was posted, or null when it could not be.
 */
export async function toChannel(t: Target, message: SlackMessage): Promise<Posted | null> {
  try {
    const res = await withRateLimitRetry(() => t.client.chat.postMessage({ channel: t.channel, text: message.text, blocks: message.blocks, unfurl_links: false, unfurl_media: false }));
    return res.ts ? { channel: res.channel ?? t.channel, ts: res.ts } : null;
  } catch (err) {
    const code = platformError(err);
    if (t.responseUrl && code !== null && NOT_A_MEMBER_ERRORS.has(code)) {
      try {
        await postToResponseUrl(t.responseUrl, { ...responseBody(message, 'channel'), replace_original: false });
        return null;
      } catch (err2) {
        t.logger.warn({ channel: t.channel, reason: describe(err2) }, 'Slack: the response URL failed too');
      }
    }
    t.logger.warn({ channel: t.channel, reason: describe(err) }, 'Slack: could not post to the channel');
    await toCaller(t, errorMessage(`I saved that, but could not post it in the channel. ${explain(err)}`));
    return null;
  }
}

/**
 * Sends a reply where its visibility says. A `form` needs a trigger, so here it only says
 * how. Then keeps where a change was announced, and marks the announcement of a change
 * just undone, so both stay true.
 */
export async function deliver(t: Target, reply: Reply, announcements: Announcements): Promise<void> {
  if (reply.kind === 'export') return sendExport(t, reply);
  const message = renderReply(reply);
  if (reply.visibility === 'channel') await announcements.remember(reply, await toChannel(t, message), message.text);
  else await toCaller(t, message);
  await announcements.markUndone(t.client, reply);
}

/** Uploads the case's Markdown to the channel, then tells the caller how it went. */
export async function sendExport(t: Target, reply: ReplyOf<'export'>): Promise<void> {
  try {
    // The team's own files: one, or the business case and its key decisions, under their names.
    const files = reply.files.length > 0 ? reply.files : [{ name: reply.filename, markdown: reply.markdown }];
    await withRateLimitRetry(() => t.client.filesUploadV2({
      channel_id: t.channel,
      file_uploads: files.map((f) => ({ file: Buffer.from(f.markdown, 'utf8'), filename: f.name, title: f.name })),
    }));
    await toCaller(t, simple(`I have posted ${esc(reply.describes)} in this channel as ${files.map((f) => `*${esc(f.name)}*`).join(' and ')}.`));
  } catch (err) {
    t.logger.warn({ channel: t.channel, reason: describe(err) }, 'Slack: the Markdown upload failed');
    const links = reply.files.filter((f) => f.url !== null);
    const download = links.length > 1
      ? ` You can download ${links.map((f) => link(f.url ?? '', f.name)).join(' and ')} instead.`
      : reply.url ? ` You can download it from ${link(reply.url, 'this link')} instead.` : '';
    await toCaller(t, simple(`:warning: I could not upload the Markdown file here. ${esc(explain(err))}${download}`));
  }
}

/** Opens a modal; on failure tells the caller why. */
export async function openModal(t: Target, triggerId: string, view: ModalView): Promise<boolean> {
  try {
    await t.client.views.open({ trigger_id: triggerId, view });
    return true;
  } catch (err) {
    t.logger.warn({ channel: t.channel, reason: describe(err) }, 'Slack: could not open the form');
    await toCaller(t, errorMessage(explain(err)));
    return false;
  }
}

/** An unexpected failure in our own code: logged in full, told in plain words. */
export function sorry(logger: Logger, err: unknown, what: string): SlackMessage {
  logger.error({ err }, `Slack: ${what} failed`);
  return errorMessage('Something went wrong on my side. Please try again, or check with `/decision list` whether it was saved.');
}
