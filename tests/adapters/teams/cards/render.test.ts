/** Every Reply kind as an Adaptive Card: escaped, version 1.5, under the size limit. */
import { fitItems, jsonBytes, CARD_LIMIT_BYTES } from '../../../../adapters/teams/cards/escape';
import { cardActivity, renderCard, replyActivity, welcomeCard } from '../../../../adapters/teams/cards/render';
import { decisionFormCard, evidenceFormCard } from '../../../../adapters/teams/cards/forms';
import { card, text } from '../../../../adapters/teams/cards/elements';
import { HELP } from '../../../../src/core/help';
import type { DecisionView, Reply } from '../../../../src/core/views';
import type { DigestView } from '../../../../src/core/digest-views';
import { digestSections } from '../../../../src/core/digest';
import { markdownTexts } from '../../../helpers/card-texts';
import { hostileAssessmentOf } from '../../../helpers/hostile-assessment';

const EVIL = '*b* _i_ [x](https://evil.example) <at>All</at> & `c` # h > q';

function decision(n: number, textValue = `Decision text ${n}`, evidence = 1): DecisionView {
  return {
    number: n, sprint: 1, sprintHeading: 'Sprint 1', text: textValue, status: 'active', statusLabel: null, statusReason: null, supersededBy: null, deciders: [], decidedBy: null,
    author: { id: 'U1', name: 'Ann' }, when: '26 Nov 2026, 10:00', imported: false, sourceUrl: null,
    evidence: Array.from({ length: evidence }, (_, i) => ({ label: `${n}${String.fromCharCode(97 + i)}`, title: `Evidence ${n}${String.fromCharCode(97 + i)}`, text: `Evidence ${i} for ${n}`, author: { id: 'U1', name: 'Ann' }, when: '26 Nov 2026, 10:00', sourceUrl: null, points: [] })),
    revisions: [], phase: null, points: [],
  };
}

/** EVIL as Teams shows it: the link by its label, the code span without its backticks. */
const SHOWN = '*b* _i_ x <at>All</at> & c # h > q';

/** Each RichTextBlock's runs joined as they show, and the URLs its runs open. */
function richBlocks(value: unknown): { text: string; links: string[] }[] {
  const out: { text: string; links: string[] }[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as { type?: string; inlines?: { text: string; selectAction?: { url: string } }[] };
      if (o.type === 'RichTextBlock' && o.inlines) {
        out.push({ text: o.inlines.map((r) => r.text).join(''), links: o.inlines.flatMap((r) => (r.selectAction ? [r.selectAction.url] : [])) });
      }
      Object.values(o).forEach(walk);
    }
  };
  walk(value);
  return out;
}

function allTexts(value: unknown): string {
  return JSON.stringify(value);
}

const digestFacts: Omit<DigestView, 'sections'> = {
  caseTitle: EVIL, period: '23 to 29 Nov 2026', quiet: false,
  added: [decision(1, EVIL)], edited: [], withdrawn: [], superseded: [], accepted: [], rejected: [],
  newEvidence: [{ decision: 1, label: '1a', text: EVIL }], sectionsChanged: ['Benefits'], imported: null,
  gaps: { decisionsWithoutEvidence: [{ number: 2, text: 'No evidence yet' }], emptySections: [{ heading: 'Options', prompt: 'What could you do?' }], brokenCitations: [{ section: 'Benefits', citation: '9z' }], uncitedEvidence: ['1a'], awaitingDecision: [] },
  perSprint: [{ sprint: 1, heading: 'Sprint 1', decisions: 2, evidence: 1 }],
  link: { kind: 'page', url: 'https://decisions.example/case/abc' },
  published: null, phase: null, timelineUrl: null, phasesEnded: [],
};
const digest: DigestView = { ...digestFacts, sections: digestSections(digestFacts) };

const replies: Reply[] = [
  { kind: 'decision', visibility: 'channel', summary: `Decision 1 recorded: ${EVIL}`, event: 'recorded', decision: decision(1, EVIL), newEvidence: null, undo: 'change-1' },
  { kind: 'decision', visibility: 'caller', summary: 'Decision 1', event: 'shown', decision: { ...decision(1, EVIL), revisions: [{ text: EVIL, editedBy: { id: 'U1', name: 'Ann' }, when: 'x' }] }, newEvidence: null, undo: null },
  { kind: 'decisions', visibility: 'caller', summary: 'All: 1', heading: 'All decisions', decisions: [decision(1, EVIL)], emptyText: 'None', total: 1, next: null },
  { kind: 'decisions', visibility: 'caller', summary: 'All: 0', heading: 'All decisions', decisions: [], emptyText: 'No decisions yet.', total: 0, next: null },
  { kind: 'notice', visibility: 'channel', summary: `Ann renamed the case: ${EVIL}` },
  { kind: 'sprint', visibility: 'channel', summary: 'Sprint 2 started', sprint: { number: 2, heading: 'Sprint 2', startsOn: '2026-11-26', endsOn: '2026-12-09', length: '2 weeks', timeZone: 'Europe/London', decisionCount: 0, phase: null } },
  { kind: 'case', visibility: 'caller', summary: 'Case', title: EVIL, template: 'prototype', templateLabel: 'Prototype', sections: [{ heading: 'Benefits', level: 3, empty: true, prompt: 'Who gains?' }], decisionCount: 1, evidenceCount: 0, sprintCount: 1 },
  { kind: 'section', visibility: 'caller', summary: 'Benefits', heading: 'Benefits', body: EVIL, empty: false, prompt: null },
  { kind: 'digest', visibility: 'channel', summary: 'Digest', digest },
  { kind: 'retro', visibility: 'channel', summary: 'Retro', retro: { caseTitle: null, sprint: { number: 1, heading: 'Sprint 1' }, question: 'What did you decide?', decisions: [decision(1, EVIL, 0)], proposals: [], withoutEvidence: [] } },
  { kind: 'export', visibility: 'caller', summary: 'Export', markdown: `# Case\n\n${EVIL}`, filename: 'case.md', url: 'https://decisions.example/case.md?t=1', files: [{ name: 'case.md', markdown: `# Case\n\n${EVIL}`, url: 'https://decisions.example/case.md?t=1' }], describes: 'the business case' },
  { kind: 'export', visibility: 'caller', summary: 'Export', markdown: `# Case\n\n${EVIL}\n${'x'.repeat(50_000)}`, filename: 'case.md', url: null, files: [{ name: 'case.md', markdown: `# Case\n\n${EVIL}\n${'x'.repeat(50_000)}`, url: null }], describes: 'the business case' },
  { kind: 'share', visibility: 'caller', summary: 'Share', url: 'https://decisions.example/case?t=1' },
  { kind: 'help', visibility: 'caller', summary: 'Help', entries: HELP, topic: null, greeting: false },
  { kind: 'help', visibility: 'caller', summary: 'Hello!', entries: HELP, topic: null, greeting: true },
  { kind: 'help', visibility: 'caller', summary: 'Help', entries: [HELP[1] ?? HELP[0]!], topic: 'evidence', greeting: false },
  { kind: 'form', visibility: 'caller', summary: 'Form', form: { sprints: [{ number: 1, heading: 'Sprint 1' }, { number: 0, heading: 'Sprint 0' }], current: 1, text: EVIL, sourceUrl: 'https://teams.microsoft.com/l/message/1' } },
  { kind: 'error', visibility: 'caller', summary: EVIL, message: EVIL, suggestion: 'record x', field: null },
  { kind: 'phases', visibility: 'channel', summary: `Ann started ${EVIL}`, phases: [{ kind: 'beta', label: EVIL, from: 1, to: null, span: 'from Sprint 1', decisions: 2, current: true }], sprint: { number: 1, heading: 'Sprint 1', phase: EVIL }, undo: 'change-2' },
  { kind: 'assessment', visibility: 'caller', summary: EVIL, assessment: hostileAssessmentOf(EVIL), url: 'https://decisions.example/cases/c/assessment?phase=alpha&token=t' },
  { kind: 'assessment', visibility: 'caller', summary: EVIL, assessment: hostileAssessmentOf(EVIL), url: null },
  { kind: 'decision', visibility: 'channel', summary: `Decision 1 tagged: ${EVIL}`, event: 'tagged', decision: { ...decision(1, EVIL), phase: EVIL, points: [{ number: 5, title: EVIL }] }, newEvidence: null, undo: 'change-3' },
];

describe('renderCard', () => {
  it.each(replies.map((r, i) => [`${r.kind} #${i}`, r] as const))('renders %s as an Adaptive Card 1.5 under the limit, user text escaped', (_name, reply) => {
    const activity = replyActivity(reply);
    const content = (activity.attachments?.[0]?.content ?? {}) as Record<string, unknown>;
    expect(content.type).toBe('AdaptiveCard');
    expect(content.version).toBe('1.5');
    expect(jsonBytes(activity)).toBeLessThanOrEqual(CARD_LIMIT_BYTES);
    // User text never goes where Teams reads Markdown (TextBlock, FactSet) ...
    const texts = markdownTexts(content);
    expect(texts.join('\n')).not.toContain('evil.example');
    expect(texts.join('\n')).not.toContain('<at>');
    // ... only into TextRuns, shown exactly as written, with no backslash added: its own
    // link a run that opens it, its code span monospaced, nothing else read as markup.
    const runs = allTexts(content);
    expect(runs).not.toContain('\\*b');
    // An export shows the Markdown itself; a form keeps the text in its input to edit.
    if (!runs.includes('evil.example') || reply.kind === 'export' || reply.kind === 'form') return;
    const blocks = richBlocks(content);
    expect(blocks.some((b) => b.text.includes(SHOWN))).toBe(true);
    expect(blocks.flatMap((b) => b.links)).toContain('https://evil.example');
    for (const b of blocks) expect(b.text).not.toContain('[x](');
  });

  it('gives a digest its link button and a retro its Record a decision / Add evidence buttons', () => {
    const d = renderCard(replies.find((r) => r.kind === 'digest') as Reply);
    expect(d.actions?.map((a) => [a.type, a.url])).toEqual([['Action.OpenUrl', 'https://decisions.example/case/abc']]);
    const r = renderCard(replies.find((x) => x.kind === 'retro') as Reply);
    expect(r.actions?.map((a) => a.data)).toEqual([{ action: 'openForm' }, { action: 'openEvidenceForm' }]);
  });

  it('gives a digest a button to this week\'s pull request on GitHub', () => {
    const d = renderCard({ kind: 'digest', visibility: 'channel', summary: 'Digest', digest: { ...digest, published: { kind: 'pull request', url: 'https://github.com/acme/case/pull/3', number: 3, repository: 'acme/case', label: 'pull request #3 in acme/case' } } });
    expect(d.actions?.map((a) => [a.type, a.title, a.url])).toEqual([
      ['Action.OpenUrl', 'Read the whole case', 'https://decisions.example/case/abc'],
      ['Action.OpenUrl', 'Published to GitHub: pull request #3 in acme/case', 'https://github.com/acme/case/pull/3'],
    ]);
  });

  it('offers a download link for an export, or says what an operator must set, with the start of the Markdown', () => {
    const exports = replies.filter((r) => r.kind === 'export');
    expect(allTexts(renderCard(exports[0] as Reply))).toContain('Download the Markdown');
    const without = allTexts(renderCard(exports[1] as Reply));
    expect(without).toContain('PUBLIC_URL and SHARE_SECRET');
    expect(without).toContain('# Case');
    expect(without).toContain('RichTextBlock');
  });

  it('keeps a decision with a great deal of evidence under the limit', () => {
    const big = decision(3, 'x'.repeat(3000), 0);
    big.evidence = Array.from({ length: 40 }, (_, i) => ({ label: `3${i}`, title: `Evidence 3${i}`, text: 'e'.repeat(3000), author: { id: 'U1', name: 'Ann' }, when: 'x', sourceUrl: null, points: [] }));
    const activity = replyActivity({ kind: 'decision', visibility: 'channel', summary: 'Decision 3', event: 'shown', decision: big, newEvidence: null, undo: null });
    expect(jsonBytes(activity)).toBeLessThanOrEqual(CARD_LIMIT_BYTES);
    expect(allTexts(activity)).toContain('more pieces of evidence not shown here');
  });

  it('falls back to a short card when a card cannot be cut to fit', () => {
    const huge = card([text('y'.repeat(40_000))]);
    const activity = cardActivity(huge, 'A summary');
    expect(jsonBytes(activity)).toBeLessThanOrEqual(CARD_LIMIT_BYTES);
    expect(allTexts(activity)).toContain('too long to show in Teams');
  });
});

describe('forms', () => {
  it('prefills the decision form and preselects the current sprint; the text input is not escaped', () => {
    const f = decisionFormCard({ sprints: [{ number: 2, heading: 'Sprint 2' }, { number: 1, heading: 'Sprint 1' }], current: 2, text: EVIL, sourceUrl: null });
    const inputs = f.body.filter((e) => e.type.startsWith('Input.'));
    expect(inputs.map((i) => [i.id, i.value])).toEqual([['text', EVIL], ['sprint', '2'], ['evidence', undefined], ['decidedBy', undefined], ['points', undefined]]);
  });

  it('offers the decisions in the evidence form, or the decision form when there are none', () => {
    const f = evidenceFormCard([{ number: 4, text: 'Four' }, { number: 2, text: 'Two' }], { decision: 2 });
    const choice = f.body.find((e) => e.type === 'Input.ChoiceSet');
    expect(choice?.value).toBe('2');
    expect((choice?.choices as { value: string }[]).map((c) => c.value)).toEqual(['4', '2']);
    expect(evidenceFormCard([]).actions?.[0]?.data).toEqual({ action: 'openForm' });
  });

  it('welcomes with the commands', () => {
    expect(allTexts(welcomeCard(HELP))).toContain('evidence');
  });
});

describe('fitItems', () => {
  it('keeps the most items that fit, and says how many it left out', () => {
    const items = Array.from({ length: 100 }, (_, i) => `item ${i} ${'z'.repeat(100)}`);
    const result = fitItems(items, (shown, omitted) => ({ shown, omitted }), 2000);
    expect(jsonBytes(result)).toBeLessThanOrEqual(2000);
    expect(result.shown.length + result.omitted).toBe(100);
    expect(jsonBytes({ shown: items.slice(0, result.shown.length + 1), omitted: result.omitted - 1 })).toBeGreaterThan(2000);
  });
});
