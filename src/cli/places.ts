/**
 * Where the command line imports into and exports from: a Slack channel or a Teams
 * conversation, named the way `import` in chat names it (slack:<team id>/<channel id>,
 * teams:<tenant id>/<conversation id>), or a console case by its name.
 */
import type { Place } from '../core/model';
import { baseConversationId } from '../../adapters/teams/activity';
import { UsageError } from './errors';

const SLACK_ID = /^[A-Z0-9]{2,30}$/;

/** The place `value` names; UsageError in one line when it names none. */
export function parsePlace(value: string, option: string): Place {
  const usage = `${option} takes slack:<team id>/<channel id> or teams:<tenant id>/<conversation id>`;
  const m = /^(slack|teams):([^/\s]+)\/(\S+)$/.exec(value);
  if (!m) throw new UsageError(`${usage}, got "${value.slice(0, 80)}".`);
  const [, platform, workspace = '', channel = ''] = m;
  if (platform === 'slack') {
    if (!SLACK_ID.test(workspace) || !SLACK_ID.test(channel)) {
      throw new UsageError(`${option}: Slack ids are capital letters and digits, such as slack:T0123ABCD/C0123ABCD (the channel's id is at the bottom of its details); got "${value.slice(0, 80)}".`);
    }
    return { platform: 'slack', workspace, channel };
  }
  if (workspace.length > 100 || channel.length > 500) throw new UsageError(`${usage}; that one is too long to be either.`);
  // A thread's id carries ";messageid=…": the case is the conversation's.
  return { platform: 'teams', workspace, channel: baseConversationId(channel) };
}
