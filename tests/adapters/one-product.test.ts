/**
 * One product on every surface: the digest's groups and a decision's status are worked out
 * once in core, and Slack, Teams and the console each show all of them, in the same order.
 */
import { renderReply } from '../../adapters/slack/render/blocks';
import { renderCard } from '../../adapters/teams/cards/render';
import { digestText, renderText } from '../../adapters/console/render';
import { digestSections } from '../../src/core/digest';
import type { DigestView } from '../../src/core/digest-views';
import type { DecisionView, Reply } from '../../src/core/views';
import { allStrings } from './slack/helpers';

const ann = { id: 'U1', name: 'Ann' };

function decision(n: number, over: Partial<DecisionView> = {}): DecisionView {
  return {
    number: n, sprint: 1, sprintHeading: 'Sprint 1', text: `We will try option ${n}`, status: 'active', statusLabel: null, statusReason: null, supersededBy: null, deciders: [], decidedBy: null,
    author: ann, when: '26 Nov 2026, 10:00', imported: false, sourceUrl: null, evidence: [], revisions: [], phase: null, points: [], ...over,
  };
}

const facts: Omit<DigestView, 'sections'> = {
  caseTitle: 'Licences', period: '23 to 29 Nov 2026', quiet: false,
  added: [decision(5)], edited: [decision(4)], withdrawn: [decision(2, { status: 'withdrawn', statusLabel: 'withdrawn: too costly', statusReason: 'too costly' })],
  superseded: [decision(3, { status: 'superseded', statusLabel: 'superseded by Decision 5', supersededBy: 5 })], accepted: [], rejected: [],
  newEvidence: [{ decision: 5, label: '5a', text: 'Three of five had it to hand' }], sectionsChanged: ['Benefits'], imported: null,
  gaps: { decisionsWithoutEvidence: [{ number: 4, text: 'We will ask second' }], emptySections: [{ heading: 'Options', prompt: 'What could you do?' }], brokenCitations: [{ section: 'Benefits', citation: '9z' }], uncitedEvidence: ['5a'], awaitingDecision: [] },
  perSprint: [{ sprint: 1, heading: 'Sprint 1', decisions: 4, evidence: 1 }],
  link: { kind: 'export', url: null }, published: null, phase: null, timelineUrl: null, phasesEnded: [],
};
const digest: DigestView = { ...facts, sections: digestSections(facts) };
const reply: Reply = { kind: 'digest', visibility: 'channel', summary: 'Weekly digest', digest };

/** Where each text first appears in a rendering; -1 when it is missing. */
function positions(rendered: string, texts: string[]): number[] {
  return texts.map((t) => rendered.indexOf(t));
}

const surfaces: Array<[string, string]> = [
  ['Slack', allStrings(renderReply(reply).blocks).join('\n')],
  ['Teams', allStrings(renderCard(reply)).join('\n')],
  ['the console', digestText(digest)],
];

describe('the weekly digest', () => {
  it('has eleven groups here, from what changed to the counts per sprint', () => {
    expect(digest.sections.map((s) => s.title)).toEqual([
      'New decisions', 'Edited', 'Withdrawn', 'Superseded', 'New evidence', 'Sections changed',
      'Decisions with no evidence', 'Sections still to be written', 'Citations that point at nothing', 'Evidence no section cites', 'Per sprint',
    ]);
  });

  it.each(surfaces)('%s shows every group title and every line, in core\'s order', (_surface, rendered) => {
    const texts = digest.sections.flatMap((s) => [s.title, ...s.items]);
    const at = positions(rendered, texts);
    expect(texts.filter((_, i) => at[i] === -1)).toEqual([]);
    const titles = positions(rendered, digest.sections.map((s) => s.title));
    expect(titles).toEqual([...titles].sort((a, b) => a - b));
  });
});

describe('a decision\'s status', () => {
  const withdrawn = decision(2, { status: 'withdrawn', statusLabel: 'withdrawn: too costly', statusReason: 'too costly' });
  const shown: Reply = { kind: 'decision', visibility: 'caller', summary: 'Decision 2', event: 'shown', decision: withdrawn, newEvidence: null, undo: null };

  it.each([
    ['Slack', allStrings(renderReply(shown).blocks).join('\n')],
    ['Teams', allStrings(renderCard(shown)).join('\n')],
    ['the console', renderText(shown)],
  ])('%s says it in core\'s words', (_surface, rendered) => {
    expect(rendered).toContain('withdrawn: too costly');
  });
});

describe('phases and points of the Service Standard', () => {
  const tagged = decision(2, {
    phase: 'Private beta', points: [{ number: 1, title: 'Understand users and their needs' }, { number: 5, title: 'Make sure everyone can use the service' }],
    evidence: [{ label: '2a', title: 'Evidence 2a', text: 'Two of five used a screen reader', author: ann, when: 'x', sourceUrl: null, points: [{ number: 5, title: 'Make sure everyone can use the service' }] }],
  });
  const shown: Reply = { kind: 'decision', visibility: 'caller', summary: 'Decision 2', event: 'shown', decision: tagged, newEvidence: null, undo: null };
  const listed: Reply = { kind: 'decisions', visibility: 'caller', summary: 'All', heading: 'All decisions', decisions: [tagged], emptyText: '', total: 1, next: null };

  it.each([
    ['Slack', allStrings(renderReply(shown).blocks).join('\n'), allStrings(renderReply(listed).blocks).join('\n')],
    ['Teams', allStrings(renderCard(shown)).join('\n'), allStrings(renderCard(listed)).join('\n')],
    ['the console', renderText(shown), renderText(listed)],
  ])('%s says the sprint with its phase, each point with its title, and the evidence\'s points', (_surface, one, list) => {
    for (const rendered of [one, list]) expect(rendered).toContain('Sprint 1, Private beta');
    expect(one).toMatch(/Service Standard:? 1 \(Understand users and their needs\), 5 \(Make sure everyone can use the service\)/);
    expect(one).toContain('Service Standard 5]');
  });
});
