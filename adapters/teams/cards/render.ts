/** Every core Reply as an Adaptive Card 1.5, and as a Teams message activity. */
import { count } from '../../../src/core/format';
import type { Activity } from 'botbuilder';
import type { HelpEntry, Reply } from '../../../src/core/views';
import { ADAPTIVE_CARD_CONTENT_TYPE, card, md, openUrl, rich, saidRuns, submit, text, verbatim } from './elements';
import type { AdaptiveCard, Element } from './elements';
import { CARD_BUDGET_BYTES, cut, fitItems, jsonBytes } from './escape';
import { decisionCard, decisionsCard } from './decisions';
import { decisionFormCard } from './forms';
import { digestCard, retroCard } from './digest';
import { assessmentCard, phasesCard } from './assessment';

/** How much of an export's Markdown a card shows when there is no download link. */
const EXPORT_PREVIEW_CHARS = 3000;

/** Where the reply goes: in a personal chat nobody needs to mention the bot. */
export interface Where {
  personal?: boolean;
}

/** How a command is typed here: after the mention, or alone in a personal chat. */
function typed(command: string, where: Where): string {
  return where.personal ? command : `@Decisions ${command}`;
}

/** A command and what it does, one line each: its code spans monospaced (a FactSet would show their backticks). */
function entryLines(entries: HelpEntry[], title: (e: HelpEntry) => string): Element[] {
  return entries.map((e) => rich([{ text: title(e), weight: 'Bolder', fontType: 'Monospace' }, ` ${e.summary}`], { spacing: 'Small' }));
}

function helpCard(entries: HelpEntry[], topic: string | null, where: Where): AdaptiveCard {
  if (topic !== null && entries[0]) {
    const e = entries[0];
    return card([
      text(typed(e.usage, where), { weight: 'Bolder', fontType: 'Monospace' }),
      text(e.summary),
      ...(e.details ?? []).map((x) => text(x, { spacing: 'None' })),
      md('**Examples**'),
      ...e.examples.map((x) => text(typed(x, where), { fontType: 'Monospace', spacing: 'None' })),
    ]);
  }
  return card([
    md(where.personal ? '**Commands**: type the command, no mention needed.' : '**Commands**: mention me, then the command. In a chat with me, just type it.'),
    ...entryLines(entries, (e) => e.usage),
  ], [submit('Record a decision', { action: 'openForm' }, 'positive')]);
}

export function renderCard(reply: Reply, where: Where = {}): AdaptiveCard {
  switch (reply.kind) {
    case 'decision':
      return decisionCard(reply);
    case 'decisions':
      return decisionsCard(reply);
    case 'notice':
      return card([rich(saidRuns(reply.summary, reply.people))], reply.undo ? [submit('Undo', { action: 'undo', change: reply.undo })] : []);
    case 'sprint':
    case 'import':
      return card([rich(saidRuns(reply.summary, reply.people))]);
    case 'phases':
      return phasesCard(reply);
    case 'assessment':
      return assessmentCard(reply);
    case 'share':
      return card([md('Anyone with this link can read the whole case.'), text(reply.url, { size: 'Small', isSubtle: true })], openUrl('Open the case', reply.url));
    case 'case': {
      const rows: Element[] = reply.sections.map((s) => text(`${'  '.repeat(Math.max(0, s.level - 2))}${s.heading}${s.empty ? ` (to be written${s.prompt ? `: ${s.prompt}` : ''})` : ''}`, { spacing: 'None', ...(s.empty ? { isSubtle: true } : {}) }));
      return fitItems(rows, (shown, omitted) => card([
        text(reply.title ?? 'Business case', { weight: 'Bolder', size: 'Medium' }),
        text(`${reply.templateLabel} template`, { isSubtle: true, spacing: 'None' }),
        ...shown,
        ...(omitted > 0 ? [text(`${omitted} more sections: use \`export\` for the whole case.`, { isSubtle: true })] : []),
        text(`${count(reply.decisionCount, 'decision')}, ${count(reply.evidenceCount, 'piece of evidence', 'pieces of evidence')}, ${count(reply.sprintCount, 'sprint')}.`, { separator: true }),
      ]));
    }
    case 'section':
      return card([
        text(reply.heading, { weight: 'Bolder' }),
        reply.empty ? text(`To be written.${reply.prompt ? ` ${reply.prompt}` : ''}`, { isSubtle: true }) : text(reply.body),
      ]);
    case 'digest':
      return digestCard(reply.digest);
    case 'retro':
      return retroCard(reply.retro);
    case 'export':
      if (reply.files.some((f) => f.url !== null)) {
        // The team's own files, each its own download (two when the key decisions are kept apart).
        return card(
          [text(reply.summary), ...reply.files.map((f) => text(f.name, { isSubtle: true, size: 'Small', spacing: 'None' }))],
          reply.files.flatMap((f) => openUrl(reply.files.length === 1 ? 'Download the Markdown' : `Download ${f.name}`, f.url)),
        );
      }
      return card([
        text(reply.summary),
        md('Teams cannot attach the file here: to download it, an operator must set PUBLIC_URL and SHARE_SECRET. The start of the case:', { isSubtle: true }),
        verbatim(cut(reply.markdown, EXPORT_PREVIEW_CHARS), { fontType: 'Monospace', size: 'Small' }),
      ]);
    case 'help':
      return reply.greeting ? welcomeCard(reply.entries, where) : helpCard(reply.entries, reply.topic, where);
    case 'form':
      return decisionFormCard(reply.form);
    case 'error':
      return card(
        [rich(saidRuns(reply.message, reply.people), { color: 'Attention' })],
        reply.suggestion ? [submit(cut(`Try: ${reply.suggestion}`, 60), { action: 'run', text: reply.suggestion })] : [],
      );
  }
}

/** The welcome posted when the bot joins a team, channel or chat, and the answer to a hello. */
export function welcomeCard(entries: HelpEntry[], where: Where = {}): AdaptiveCard {
  const how = where.personal
    ? 'Type a decision to record it, for example `We will publish weekly`. Then `evidence 0 What we saw` adds evidence to it, and `list` shows this sprint\'s decisions.'
    : 'Mention me with a decision to record it, for example `@Decisions We will publish weekly`. Then `@Decisions evidence 0 What we saw` adds evidence to it, and `@Decisions list` shows this sprint\'s decisions.';
  return card([
    md('**Hello! I keep this conversation\'s decisions, the evidence behind them, and its business case.**'),
    text(how),
    ...entryLines(entries, (e) => e.command),
  ], [submit('Record a decision', { action: 'openForm' }, 'positive')]);
}

/** A card too big for Teams even after cutting: say so rather than fail to send. */
function tooBig(summary: string): AdaptiveCard {
  return card([text(cut(summary, 500)), text('This is too long to show in Teams. Use `export` for the whole case.', { isSubtle: true })]);
}

export function cardActivity(c: AdaptiveCard, summary: string): Partial<Activity> {
  const content = jsonBytes(c) <= CARD_BUDGET_BYTES ? c : tooBig(summary);
  return {
    type: 'message',
    summary: cut(summary.replace(/\s+/g, ' '), 200),
    attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content }],
  };
}

export function replyActivity(reply: Reply, where: Where = {}): Partial<Activity> {
  const c = renderCard(reply, where);
  // The reply's warning (citations that point at nothing) comes last, where it is read.
  if (reply.warning) c.body = [...c.body, text(reply.warning, { color: 'Warning', separator: true })];
  return cardActivity(c, reply.summary);
}
