/** The App Home tab: what the bot does, its commands, and the cases in the user's channels. */
import type { types } from '@slack/bolt';
import type { HelpEntry } from '../../../src/core/views';
import { channelLink, esc, firstLine, mrkdwn } from './escape';
import { BlockList } from './blocks';

export interface HomeCase {
  channel: string;
  sprint: string;
  lastDecision: { number: number; text: string } | null;
}

export interface HomeInput {
  help: HelpEntry[];
  cases: HomeCase[];
  /** Set when the user's channels could not be read. */
  problem: string | null;
}

export function homeView(input: HomeInput): types.HomeView {
  const blocks = new BlockList('_(more in each channel with `/decision list all`)_');
  blocks.header('Decisions');
  blocks.section('I keep each channel’s sprint decisions, the evidence behind them and its business case. '
    + 'Type `/decision` and a decision in a channel to record it; I number it and announce it there. '
    + 'At the end of each sprint I ask for a retro, and every week I post what changed.');
  blocks.section('*Commands*');
  blocks.lines([
    ...input.help.slice(0, 20).map((h) => `• \`/decision ${esc(h.usage)}\` ${esc(h.summary)}`),
    '• `/evidence &lt;N&gt; &lt;text&gt;` Add evidence to decision N.',
    '• On any message, the ⋮ menu has *Record as decision* and *Add as evidence*.',
  ]);
  blocks.divider();
  blocks.section('*Your cases*');
  if (input.problem) blocks.context([esc(input.problem)]);
  if (input.cases.length === 0) {
    blocks.section('None of your channels has a case yet. Type `/decision help` in a channel to start one.');
  } else {
    blocks.lines(input.cases.slice(0, 100).map((c) => {
      const last = c.lastDecision ? `last: *Decision ${c.lastDecision.number}* ${mrkdwn(firstLine(c.lastDecision.text, 150))}` : 'no decisions yet';
      return `• ${channelLink(c.channel)} · ${esc(c.sprint)} · ${last}`;
    }));
  }
  return { type: 'home', blocks: blocks.done() };
}
