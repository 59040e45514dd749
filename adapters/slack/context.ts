/**
 * Who is asking, and where, from each kind of Slack payload. The case is the channel:
 * `{ platform: 'slack', workspace: team id (enterprise id when there is no team), channel }`.
 */
import type { BlockAction, MessageShortcut, SlashCommand, ViewSubmitAction } from '@slack/bolt';
import type { CommandContext } from '../../src/core/service';

export function workspaceOf(teamId: string | null | undefined, enterpriseId: string | null | undefined): string | null {
  return teamId || enterpriseId || null;
}

function build(workspace: string | null, channel: string | null | undefined, userId: string, name: string | undefined): CommandContext | null {
  if (!workspace || !channel || !userId) return null;
  return { place: { platform: 'slack', workspace, channel }, actor: { id: userId, name: name || userId } };
}

export function commandContext(command: SlashCommand): CommandContext | null {
  return build(workspaceOf(command.team_id, command.enterprise_id), command.channel_id, command.user_id, command.user_name);
}

export function actionContext(body: BlockAction): CommandContext | null {
  const channel = body.channel?.id ?? (typeof body.container?.channel_id === 'string' ? body.container.channel_id : null);
  return build(workspaceOf(body.team?.id ?? body.user.team_id, body.enterprise?.id), channel, body.user.id, body.user.username ?? body.user.name);
}

export function viewContext(body: ViewSubmitAction, channel: string): CommandContext | null {
  return build(workspaceOf(body.team?.id ?? body.user.team_id, body.enterprise?.id), channel, body.user.id, body.user.name);
}

export function shortcutContext(body: MessageShortcut): CommandContext | null {
  return build(workspaceOf(body.team?.id ?? body.user.team_id, body.enterprise?.id), body.channel?.id, body.user.id, body.user.username ?? body.user.name);
}
