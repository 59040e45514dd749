/**
 * Where a change was announced, so an undo typed later marks that announcement as undone
 * (the Undo button marks the message it sits under itself).
 *
 * A slash command's answer is posted by the acknowledgement, so it has no ts: the only
 * handle on it is the command's response URL, which can replace that message for 30
 * minutes. A form's answer is posted with chat.postMessage, whose channel and ts
 * chat.update takes. A response URL lets anyone post in the channel, so it is stored
 * encrypted, and only for the undo window.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../../src/core/service';
import type { AnnouncementStore } from '../announcement-store';
import type { Reply } from '../../src/core/views';
import type { Logger } from '../../src/logger';
import { announcedChange, announcementExpiry, undoneChange } from '../../src/core/announcements';
import { decrypt, encrypt } from './crypto';
import { postToResponseUrl } from './response-url';
import { withRateLimitRetry } from './post';
import type { WebClient } from './post';
import { describe } from './errors';
import { withPeople } from './render/escape';

/** Where a message is: replaceable through a response URL, or by channel and ts. */
export type Posted = { responseUrl: string } | { channel: string; ts: string };

interface Stored {
  where: Posted;
  /** The announcement's text, shown struck through once undone. */
  text: string;
}

export interface Announcements {
  /** After a reply was posted: remembers where, when it is a change that can be undone. Never fails. */
  remember(reply: Reply, where: Posted | null, text: string): Promise<void>;
  /**
   * After an undo: marks the undone change's announcement, when it is known; `under` is the
   * message an Undo button sits under, which is that announcement. True when it marked it.
   * Never fails.
   */
  markUndone(client: WebClient, reply: Reply, under?: { responseUrl: string; text: string }): Promise<boolean>;
}

/** A key for the stored response URLs, derived from a secret the deployment already has. */
export function announcementKey(secret: string | Buffer): Buffer {
  return createHash('sha256').update('decisions/announcements/v1\0').update(secret).digest();
}

export function createAnnouncements(deps: { store: AnnouncementStore; key: Buffer; clock: Clock; logger: Logger }): Announcements {
  const { store, key, clock, logger } = deps;
  return {
    async remember(reply, where, text) {
      const undo = announcedChange(reply);
      if (undo === null || where === null) return;
      const expiresAt = announcementExpiry(clock.now());
      const stored: Stored = { where, text: text.slice(0, 2500) };
      try {
        await store.saveAnnouncement({ changeId: undo, data: encrypt(JSON.stringify(stored), key, undo), expiresAt });
      } catch (err) {
        logger.warn({ reason: describe(err) }, 'Slack: could not keep where a change was announced; undo will not mark it');
      }
    },

    async markUndone(client, reply, under) {
      const undid = undoneChange(reply);
      if (undid === null) return false;
      try {
        // Taken either way, so no later undo marks it again.
        const found = await store.takeAnnouncement(undid, clock.now().toISOString());
        const kept = found ? JSON.parse(decrypt(found.data, key, found.changeId)) as Stored : null;
        // The announcement's text is already Slack markup; the summary is rendered like any reply, people as mentions.
        const undone = (text: string): string => `~${text || 'This change'}~\n${withPeople(reply.summary, reply.people)}`;
        if (under) await postToResponseUrl(under.responseUrl, { replace_original: true, text: undone(under.text) });
        else if (!kept) return false;
        else if ('responseUrl' in kept.where) await postToResponseUrl(kept.where.responseUrl, { replace_original: true, text: undone(kept.text) });
        else {
          const { channel, ts } = kept.where;
          // An empty blocks list removes the old blocks (and their buttons) with the text.
          await withRateLimitRetry(() => client.chat.update({ channel, ts, text: undone(kept.text), blocks: [] }));
        }
        return true;
      } catch (err) {
        logger.warn({ reason: describe(err) }, 'Slack: could not mark the announcement as undone');
        return false;
      }
    },
  };
}
