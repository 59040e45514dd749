/**
 * Block Kit messages from core view models. Every reply kind renders here, within Slack's
 * limits (50 blocks, 3,000 characters a section) and with all user text escaped.
 */
import { count, importedWords } from '../../../src/core/format';
import type { types } from '@slack/bolt';
import type { DecisionView, EvidenceView, HelpEntry, PointView, Reply, ReplyOf } from '../../../src/core/views';
import type { DigestView, RetroPromptView } from '../../../src/core/digest-views';
import type { AssessmentView } from '../../../src/core/assessment-views';
import { withPhase } from '../../../src/core/phases';
import { LIMITS, cut, esc, firstLine, link, mention, mrkdwn, plain, quote, withPeople } from './escape';
import { shorten } from '../../../src/core/markdown/inline';

export type Block = types.KnownBlock;
export type ButtonElement = types.Button;

/** A message: Block Kit plus the plain-text fallback Slack shows in notifications. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** Where the rest of a long text can be read. */
export const CASE_POINTER = '_(shortened: `/decision export` has the whole case)_';

export const ACTIONS = {
  addEvidence: 'decision.evidence',
  edit: 'decision.edit',
  undo: 'decision.undo',
  retroRecord: 'retro.record',
  retroEvidence: 'retro.evidence',
} as const;

/** Collects blocks and keeps the message inside Slack's limits. */
export class BlockList {
  private readonly blocks: Block[] = [];
  private dropped = 0;

  constructor(private readonly pointer: string = CASE_POINTER, private readonly max: number = LIMITS.blocks) {}

  get length(): number {
    return this.blocks.length;
  }

  /** Room left, keeping one block for the "not everything fits" note. */
  get room(): number {
    return this.max - 1 - this.blocks.length;
  }

  add(block: Block): this {
    if (this.room <= 0) this.dropped += 1;
    else this.blocks.push(block);
    return this;
  }

  section(mrkdwn: string, accessory?: ButtonElement): this {
    if (mrkdwn.trim() === '') return this;
    const text = cut(mrkdwn, LIMITS.sectionText, this.pointer);
    return this.add(accessory ? { type: 'section', text: { type: 'mrkdwn', text }, accessory } : { type: 'section', text: { type: 'mrkdwn', text } });
  }

  /** Lines packed into as few sections as fit 3,000 characters each. */
  lines(lines: string[]): this {
    let current = '';
    for (const line of lines) {
      const piece = cut(line, LIMITS.sectionText, this.pointer);
      if (current !== '' && current.length + 1 + piece.length > LIMITS.sectionText) {
        this.section(current);
        current = piece;
      } else {
        current = current === '' ? piece : `${current}\n${piece}`;
      }
    }
    if (current !== '') this.section(current);
    return this;
  }

  context(items: string[]): this {
    const elements = items.filter((t) => t.trim() !== '').slice(0, LIMITS.contextElements)
      .map((t) => ({ type: 'mrkdwn' as const, text: cut(t, LIMITS.contextElementText, '') }));
    if (elements.length === 0) return this;
    return this.add({ type: 'context', elements });
  }

  header(text: string): this {
    return this.add({ type: 'header', text: { type: 'plain_text', text: plain(text, LIMITS.headerText) || ' ' } });
  }

  divider(): this {
    return this.add({ type: 'divider' });
  }

  actions(blockId: string, buttons: ButtonElement[]): this {
    if (buttons.length === 0) return this;
    return this.add({ type: 'actions', block_id: blockId, elements: buttons });
  }

  /** The blocks, with a last note when some did not fit. */
  done(): Block[] {
    const out = [...this.blocks];
    if (this.dropped > 0) out.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Not everything fits in one message. ${this.pointer}` }] });
    return out;
  }
}

export function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): ButtonElement {
  const b: ButtonElement = { type: 'button', text: { type: 'plain_text', text: plain(text, LIMITS.buttonText) }, action_id: actionId, value };
  if (style) b.style = style;
  return b;
}

/** The plain-text fallback: escaped, one paragraph, within limits. */
export function fallback(text: string): string {
  return cut(text, LIMITS.fallbackText, '');
}

function statusText(d: DecisionView): string {
  return d.statusLabel === null ? '' : ` · _${esc(d.statusLabel)}_`;
}

/** "Service Standard 1 (Understand users and their needs), 5 (…)", or just the numbers when `short`. */
function pointsText(points: PointView[], short = false): string {
  return `Service Standard ${points.map((p) => (short ? String(p.number) : `${p.number} (${esc(p.title)})`)).join(', ')}`;
}

function evidenceLine(e: EvidenceView, max: number): string {
  const source = e.sourceUrl ? ` (${link(e.sourceUrl, 'source')})` : '';
  const label = esc(e.title);
  const text = max > 0 ? firstLine(e.text, max) : e.text;
  const points = e.points.length > 0 ? ` _[${pointsText(e.points, true)}]_` : '';
  return `• *${label}:* ${mrkdwn(text).replace(/\n/g, '\n    ')}${source}${points}`;
}

/** "Sprint 7, Alpha" for a decision. */
function where(d: DecisionView): string {
  return esc(withPhase(d.sprintHeading, d.phase));
}

/** One decision in a list: its text cut short, its evidence one line each. */
export function decisionListItem(d: DecisionView): string {
  const points = d.points.length > 0 ? ` · ${pointsText(d.points, true)}` : '';
  const head = `*Decision ${d.number}* · ${where(d)}${statusText(d)}${d.decidedBy ? ` · decided by ${esc(d.decidedBy)}` : ''}${points}`;
  const text = quote(shorten(d.text, 500));
  const evidence = d.evidence.slice(0, 10).map((e) => evidenceLine(e, 200));
  if (d.evidence.length > 10) evidence.push(`• _and ${count(d.evidence.length - 10, 'more piece', 'more pieces')} of evidence: \`/decision show ${d.number}\`_`);
  return [head, text, ...evidence].join('\n');
}

/** `undo`: the change the message announces; its Undo button takes back exactly that one. */
function decisionButtons(d: DecisionView, undo: string | null): ButtonElement[] {
  const value = String(d.number);
  const buttons: ButtonElement[] = [];
  if (d.status === 'active' || d.status === 'proposed') {
    buttons.push(button('Add evidence', ACTIONS.addEvidence, value, 'primary'), button('Edit', ACTIONS.edit, value));
  }
  if (undo) buttons.push(button('Undo', ACTIONS.undo, undo));
  return buttons;
}

/** The person who did what a decision reply announces, when the view says who. */
function actorOf(reply: ReplyOf<'decision'>): { id: string; name: string } | null {
  const d = reply.decision;
  if (reply.event === 'recorded' || reply.event === 'proposed') return d.author;
  if (reply.event === 'evidence added') return d.evidence.find((e) => e.label === reply.newEvidence)?.author ?? null;
  if (reply.event === 'edited') return d.revisions[d.revisions.length - 1]?.editedBy ?? null;
  return null;
}

function renderDecision(reply: ReplyOf<'decision'>): SlackMessage {
  const d = reply.decision;
  const blocks = new BlockList(`_(shortened: \`/decision show ${d.number}\` has it all)_`);
  const actor = actorOf(reply);
  const who = actor ? mention(actor.id, actor.name) : null;
  let text: string;
  switch (reply.event) {
    case 'recorded':
    case 'proposed': {
      const verb = reply.event === 'proposed' ? 'proposed, to be agreed,' : 'recorded';
      text = `Decision ${d.number} ${verb} in ${esc(d.sprintHeading)} by ${who ?? esc(d.author.name)}: ${mrkdwn(firstLine(d.text, 200))}`;
      blocks.section(`*Decision ${d.number}* ${verb} in ${esc(d.sprintHeading)} by ${who ?? esc(d.author.name)}:\n${quote(d.text)}`);
      if (d.decidedBy) blocks.context([`Decided by ${esc(d.decidedBy)}`]);
      if (d.points.length > 0) blocks.context([pointsText(d.points)]);
      if (d.evidence.length > 0) blocks.lines(d.evidence.map((e) => evidenceLine(e, 0)));
      if (reply.event === 'proposed') blocks.context([`Settle it with \`/decision accept ${d.number}\` or \`/decision reject ${d.number} &lt;reason&gt;\`.`]);
      break;
    }
    case 'evidence added': {
      const e = d.evidence.find((x) => x.label === reply.newEvidence);
      text = `Evidence ${esc(reply.newEvidence ?? '')} added to Decision ${d.number} by ${who ?? 'someone'}: ${mrkdwn(firstLine(e?.text ?? '', 200))}`;
      blocks.section(`*Evidence ${esc(reply.newEvidence ?? '')}* added to *Decision ${d.number}* by ${who ?? 'someone'}:\n${quote(e?.text ?? '')}`);
      blocks.context([`Decision ${d.number}: ${mrkdwn(firstLine(d.text, 300))}`]);
      break;
    }
    case 'edited': {
      const before = d.revisions[d.revisions.length - 1];
      text = `Decision ${d.number} edited by ${who ?? 'someone'}: ${mrkdwn(firstLine(d.text, 200))}`;
      blocks.section(`*Decision ${d.number}* edited by ${who ?? 'someone'}:\n${quote(d.text)}`);
      if (before) blocks.context([`Before: ${mrkdwn(firstLine(before.text, 300))}`]);
      break;
    }
    case 'accepted':
    case 'rejected':
    case 'withdrawn':
    case 'superseded': {
      text = summaryOf(reply);
      blocks.section(`${summaryOf(reply)}\n${quote(firstLine(d.text, 500))}`);
      break;
    }
    case 'tagged': {
      text = summaryOf(reply);
      blocks.section(`${summaryOf(reply)}\n${quote(firstLine(d.text, 500))}`);
      const e = reply.newEvidence === null ? null : d.evidence.find((x) => x.label === reply.newEvidence);
      const now = e ? e.points : d.points;
      blocks.context([now.length > 0 ? `${esc(e ? e.title : `Decision ${d.number}`)} now: ${pointsText(now)}` : `${esc(e ? e.title : `Decision ${d.number}`)} has no points of the Service Standard now.`]);
      break;
    }
    case 'shown': {
      text = `Decision ${d.number}: ${mrkdwn(firstLine(d.text, 200))}`;
      blocks.section(`*Decision ${d.number}* · ${where(d)}${statusText(d)}\n${quote(d.text)}`);
      if (d.points.length > 0) blocks.context([pointsText(d.points)]);
      if (d.evidence.length > 0) blocks.lines(d.evidence.map((e) => evidenceLine(e, 0)));
      // Only an active decision can take evidence: a withdrawn or superseded one is not told to add some.
      else blocks.context([d.status === 'active' ? `No evidence yet. Add some with \`/evidence ${d.number} &lt;text&gt;\`.` : 'No evidence.']);
      const source = d.sourceUrl ? ` · from ${link(d.sourceUrl, 'this message')}` : '';
      if (d.decidedBy) blocks.context([`Decided by ${esc(d.decidedBy)}`]);
      blocks.context([`${d.imported ? esc(importedWords(d.when)) : `Recorded by ${mention(d.author.id, d.author.name)}, ${esc(d.when)}`}${source}`]);
      if (d.revisions.length > 0) {
        blocks.lines(['*Earlier wordings*', ...d.revisions.map((r) => `• ${esc(r.when)}, changed by ${mention(r.editedBy.id, r.editedBy.name)}: ${mrkdwn(firstLine(r.text, 500))}`)]);
      }
      break;
    }
  }
  if (reply.event === 'recorded' && d.sourceUrl) blocks.context([`From ${link(d.sourceUrl, 'this message')}`]);
  blocks.actions(`decision:${d.number}`, decisionButtons(d, reply.event === 'shown' ? null : reply.undo));
  return { text: fallback(text), blocks: blocks.done() };
}

/** "20" or, when only a page is shown, "20 of 70". */
function countOf(reply: ReplyOf<'decisions'>): string {
  return reply.total > reply.decisions.length ? `${reply.decisions.length} of ${reply.total}` : String(reply.decisions.length);
}

function renderDecisions(reply: ReplyOf<'decisions'>): SlackMessage {
  const blocks = new BlockList();
  if (reply.decisions.length === 0) {
    blocks.section(esc(reply.emptyText));
    return { text: fallback(esc(reply.emptyText)), blocks: blocks.done() };
  }
  blocks.section(`*${esc(reply.heading)}* (${countOf(reply)})`);
  // Pack decisions into sections; stop, with a note, when no block is left for more.
  let current = '';
  let shown = 0;
  for (const d of reply.decisions) {
    const item = cut(decisionListItem(d), LIMITS.sectionText, `_(\`/decision show ${d.number}\` has it all)_`);
    if (current !== '' && current.length + 2 + item.length > LIMITS.sectionText) {
      // Keep a block for the last section and one for the note about the rest.
      if (blocks.room <= 2) break;
      blocks.section(current);
      current = '';
    }
    current = current === '' ? item : `${current}\n\n${item}`;
    shown += 1;
  }
  if (current !== '') blocks.section(current);
  if (shown < reply.decisions.length) {
    blocks.context([`And ${reply.decisions.length - shown} more not shown here. ${CASE_POINTER}`]);
  } else if (reply.next !== null) {
    blocks.context([`Showing ${reply.decisions.length} of ${reply.total}. Next: \`/decision ${esc(reply.next)}\``]);
  }
  return { text: fallback(esc(reply.summary)), blocks: blocks.done() };
}

function renderCase(reply: ReplyOf<'case'>): SlackMessage {
  const blocks = new BlockList();
  blocks.section(`*${esc(reply.title ?? 'Business case')}* (${esc(reply.templateLabel)})`);
  blocks.lines(reply.sections.map((s) => {
    const pad = '\u2003'.repeat(Math.max(0, s.level - 2));
    const empty = s.empty ? ` · _to be written${s.prompt ? `: ${esc(s.prompt)}` : ''}_` : '';
    return `${pad}• ${esc(s.heading)}${empty}`;
  }));
  blocks.context([`${count(reply.decisionCount, 'decision')}, ${count(reply.evidenceCount, 'piece of evidence', 'pieces of evidence')}, ${count(reply.sprintCount, 'sprint')}. Read or write a section with \`/decision case &lt;section&gt;\`.`]);
  return { text: fallback(esc(reply.summary)), blocks: blocks.done() };
}

function renderSection(reply: ReplyOf<'section'>): SlackMessage {
  const blocks = new BlockList();
  const body = reply.empty ? `_To be written._${reply.prompt ? ` ${esc(reply.prompt)}` : ''}` : mrkdwn(reply.body);
  blocks.section(`*${esc(reply.heading)}*\n${body}`);
  return { text: fallback(esc(reply.summary)), blocks: blocks.done() };
}

export function digestBlocks(d: DigestView, blocks: BlockList): void {
  blocks.section(`*Weekly digest${d.caseTitle ? `: ${esc(d.caseTitle)}` : ''}* (${esc(d.period)})${d.phase ? ` · ${esc(d.phase)}` : ''}`);
  if (d.quiet) blocks.section('A quiet week: nothing changed in the case.');
  for (const section of d.sections) blocks.lines([`*${esc(section.title)}*`, ...section.items.map((i) => `• ${mrkdwn(i)}`)]);
  for (const p of d.phasesEnded) {
    blocks.context([p.url ? `${esc(p.label)} has ended: ${link(p.url, `its assessment pack`)}` : `${esc(p.label)} has ended: \`/decision assessment\` with its name gives its assessment pack.`]);
  }
  blocks.context([d.link.url ? `Read the whole case: ${link(d.link.url, 'open the business case')}${d.timelineUrl ? ` · ${link(d.timelineUrl, 'the case over time')}` : ''}` : 'Read the whole case with `/decision export`.']);
  if (d.published) blocks.context([`Published to GitHub: ${link(d.published.url, d.published.label)}`]);
}

/** The assessment pack in chat: the summary, each point in a line, the gaps in counts, and the link. */
function renderAssessment(reply: ReplyOf<'assessment'>): SlackMessage {
  const a: AssessmentView = reply.assessment;
  const blocks = new BlockList('_(shortened: `/decision assessment export` has the whole pack)_');
  blocks.section(`*${esc(a.scope.kind === 'case' ? 'Service assessment' : `${a.scope.label} assessment`)}*${a.caseTitle ? ` (${esc(a.caseTitle)})` : ''} · ${esc(a.scope.sprints)}\n${esc(a.summary)}`);
  blocks.lines(a.points.map((p) => {
    const ds = p.decisions.map((d) => `${d.number}${d.status === 'active' ? '' : ` _(${esc(d.status)})_`}`);
    return `${p.covered ? '•' : '◦'} *${p.number}.* ${esc(p.title)}: ${ds.length === 0 ? '_nothing yet_' : `Decision${ds.length === 1 ? '' : 's'} ${ds.join(', ')}`}`;
  }));
  const gaps = [
    a.untagged.length > 0 ? `${a.untagged.length} with no point (${a.untagged.slice(0, 20).map((d) => d.number).join(', ')}${a.untagged.length > 20 ? '…' : ''})` : '',
    a.proposals.length > 0 ? `${a.proposals.length} proposal${a.proposals.length === 1 ? '' : 's'} listed apart` : '',
    a.gaps.withoutEvidence.length > 0 ? `${a.gaps.withoutEvidence.length} without evidence` : '',
    a.gaps.chains.length > 0 ? `${a.gaps.chains.length} superseded chain${a.gaps.chains.length === 1 ? '' : 's'}` : '',
    a.gaps.brokenCitations.length > 0 ? `${a.gaps.brokenCitations.length} citation${a.gaps.brokenCitations.length === 1 ? '' : 's'} pointing at nothing` : '',
  ].filter((g) => g !== '');
  if (gaps.length > 0) blocks.context([`Decisions: ${gaps.join(' · ')}`]);
  blocks.context([reply.url ? `The whole pack, printable: ${link(reply.url, 'open the assessment')} · as Markdown: \`/decision assessment export${a.scope.key ? ` ${esc(a.scope.key)}` : ''}\`` : `The whole pack as Markdown: \`/decision assessment export${a.scope.key ? ` ${esc(a.scope.key)}` : ''}\``]);
  return { text: fallback(esc(reply.summary)), blocks: blocks.done() };
}

function renderPhases(reply: ReplyOf<'phases'>): SlackMessage {
  const blocks = new BlockList().section(esc(reply.summary));
  if (reply.phases.length > 0) {
    blocks.lines(reply.phases.map((p) => `• *${esc(p.label)}*: ${esc(p.span)} · ${count(p.decisions, 'decision')}${p.current ? ' · _now_' : ''}`));
  }
  blocks.actions('phases', reply.undo ? [button('Undo', ACTIONS.undo, reply.undo)] : []);
  return { text: fallback(esc(reply.summary)), blocks: blocks.done() };
}

export function retroBlocks(r: RetroPromptView, blocks: BlockList): void {
  blocks.section(`*Retro for ${esc(r.sprint.heading)}*${r.caseTitle ? ` (${esc(r.caseTitle)})` : ''}\n${esc(r.question)}`);
  if (r.decisions.length === 0) blocks.section('No decisions were recorded this sprint.');
  else blocks.lines(r.decisions.map((d) => `• *Decision ${d.number}:* ${mrkdwn(firstLine(d.text, 300))}${d.points.length > 0 ? ` _[${pointsText(d.points, true)}]_` : ''}${d.evidence.length === 0 ? ' _(no evidence yet)_' : ''}`));
  if (r.withoutEvidence.length > 0) blocks.context([`${r.withoutEvidence.length} decision${r.withoutEvidence.length === 1 ? ' has' : 's have'} no evidence yet.`]);
  if (r.proposals.length > 0) {
    blocks.lines(['*Awaiting a decision*', ...r.proposals.map((d) => `• *Decision ${d.number}:* ${esc(firstLine(d.text, 300))}`)]);
    blocks.context(['Settle each with `/decision accept &lt;N&gt;` or `/decision reject &lt;N&gt; &lt;reason&gt;`.']);
  }
  blocks.actions('retro', [
    button('Record a decision', ACTIONS.retroRecord, String(r.sprint.number), 'primary'),
    button('Add evidence', ACTIONS.retroEvidence, String(r.sprint.number)),
  ]);
}

function helpLine(h: HelpEntry): string {
  return `• \`/decision ${esc(h.usage)}\` ${esc(h.summary)}`;
}

function renderHelp(reply: ReplyOf<'help'>): SlackMessage {
  const blocks = new BlockList();
  const entry = reply.entries[0];
  if (reply.topic && entry) {
    blocks.section(`*\`/decision ${esc(entry.usage)}\`*\n${esc(entry.summary)}`);
    if (entry.details) blocks.lines(entry.details.map((x) => `• ${esc(x)}`));
    if (entry.examples.length > 0) blocks.lines(['*Examples*', ...entry.examples.map((x) => `• \`/decision ${esc(x)}\``)]);
    if (entry.command === 'evidence') blocks.context(['Also: `/evidence &lt;N&gt; &lt;text&gt;`']);
  } else {
    blocks.section(reply.greeting ? esc(reply.summary) : '*Decisions* keeps this channel’s decisions, the evidence behind them and the business case.');
    blocks.lines(reply.entries.map(helpLine));
    blocks.context(['`/evidence &lt;N&gt; &lt;text&gt;` adds evidence too. On any message, the ⋮ menu has *Record as decision* and *Add as evidence*. More on one command: `/decision help &lt;command&gt;`.']);
  }
  return { text: fallback(esc(reply.summary)), blocks: blocks.done() };
}

/** A reply's summary as mrkdwn, the people it names as mentions. */
function summaryOf(reply: Reply): string {
  return withPeople(reply.summary, reply.people);
}

/** Renders any reply as a message, with its warning last. `form` and `export` are handled by the caller (modal, upload); this is their fallback. */
export function renderReply(reply: Reply): SlackMessage {
  const message = renderKind(reply);
  if (!reply.warning) return message;
  const note: Block = { type: 'context', elements: [{ type: 'mrkdwn', text: cut(`:warning: ${esc(reply.warning)}`, LIMITS.contextElementText, '') }] };
  // In place of the last block when the message is already as long as Slack allows.
  const blocks = message.blocks.length < LIMITS.blocks ? [...message.blocks, note] : [...message.blocks.slice(0, -1), note];
  return { text: message.text, blocks };
}

function renderKind(reply: Reply): SlackMessage {
  switch (reply.kind) {
    case 'decision':
      return renderDecision(reply);
    case 'decisions':
      return renderDecisions(reply);
    case 'notice':
      if (reply.undo) {
        return { text: fallback(summaryOf(reply)), blocks: new BlockList().section(summaryOf(reply)).actions('notice', [button('Undo', ACTIONS.undo, reply.undo)]).done() };
      }
      return simple(summaryOf(reply));
    case 'phases':
      return renderPhases(reply);
    case 'assessment':
      return renderAssessment(reply);
    case 'sprint': {
      const s = reply.sprint;
      const blocks = new BlockList().section(summaryOf(reply))
        .context([`${esc(withPhase(s.heading, s.phase))}: ${esc(s.startsOn)} to ${esc(s.endsOn)} (${esc(s.length)}, ${esc(s.timeZone)}) · ${s.decisionCount} decision${s.decisionCount === 1 ? '' : 's'}`]);
      return { text: fallback(summaryOf(reply)), blocks: blocks.done() };
    }
    case 'case':
      return renderCase(reply);
    case 'section':
      return renderSection(reply);
    case 'digest': {
      const blocks = new BlockList();
      digestBlocks(reply.digest, blocks);
      return { text: fallback(esc(reply.summary)), blocks: blocks.done() };
    }
    case 'retro': {
      const blocks = new BlockList();
      retroBlocks(reply.retro, blocks);
      return { text: fallback(esc(reply.summary)), blocks: blocks.done() };
    }
    case 'export':
      return simple(`${esc(reply.summary)} File: ${esc(reply.filename)}${reply.url ? ` · ${link(reply.url, 'download it')}` : ''}`);
    case 'share':
      return simple(`Anyone with this link can read the case: ${link(reply.url, reply.url)}`);
    case 'help':
      return renderHelp(reply);
    case 'form':
      return simple('Type the decision after the command, for example: `/decision We will publish weekly`.');
    case 'import':
      return simple(esc(reply.summary));
    case 'error':
      return errorMessage(reply.message, reply.suggestion, reply.people);
  }
}

export function simple(mrkdwn: string): SlackMessage {
  return { text: fallback(mrkdwn), blocks: new BlockList().section(mrkdwn).done() };
}

/** An error in the user's words: never a stack trace. */
export function errorMessage(message: string, suggestion: string | null = null, people: Reply['people'] = []): SlackMessage {
  const tip = suggestion ? `\nDid you mean \`/decision ${esc(firstLine(suggestion, 200))}\`?` : '';
  return simple(`:warning: ${withPeople(message, people)}${tip}`);
}
