/** Block Kit from every reply kind: escaped user text, plain-text fallbacks, and Slack's limits. */
import { renderReply } from '../../../../adapters/slack/render/blocks';
import type { SlackMessage } from '../../../../adapters/slack/render/blocks';
import { decisionModal, editModal, evidenceModal } from '../../../../adapters/slack/render/modals';
import { homeView } from '../../../../adapters/slack/render/home';
import { HELP } from '../../../../src/core/help';
import type { DecisionView, Reply } from '../../../../src/core/views';
import type { DigestView } from '../../../../src/core/digest-views';
import { digestSections } from '../../../../src/core/digest';
import type { AssessmentView } from '../../../../src/core/assessment-views';
import { hostileAssessmentOf } from '../../../helpers/hostile-assessment';
import { allStrings } from '../helpers';

/** Everything a person could type that must never reach Slack as markup. */
const EVIL = '<!channel> <!here> @here <@U123> <https://evil.example|click> & <script>alert(1)</script>';
const FORBIDDEN = ['<!channel>', '<!here>', '<@U123>', '<https://evil', '<script>', '@here', '@channel'];

const actor = { id: 'U0ANA', name: `ana ${EVIL}` };

function decision(n: number, over: Partial<DecisionView> = {}): DecisionView {
  return {
    number: n, sprint: 1, sprintHeading: `Sprint 1${EVIL}`, text: `Decision text ${n} ${EVIL}`, status: 'active', statusLabel: null, statusReason: null, supersededBy: null, deciders: [], decidedBy: null,
    author: actor, when: '26 Nov 2026, 10:00', imported: false, sourceUrl: null,
    evidence: [{ label: `${n}a`, title: `Evidence ${n}a`, text: `Evidence ${EVIL}`, author: actor, when: '26 Nov 2026, 10:05', sourceUrl: 'https://evil.example/x|<click>', points: [{ number: 5, title: EVIL }] }],
    revisions: [{ text: `Old ${EVIL}`, editedBy: actor, when: '26 Nov 2026, 10:10' }],
    phase: EVIL, points: [{ number: 1, title: EVIL }],
    ...over,
  };
}

const digestFacts: Omit<DigestView, 'sections'> = {
  caseTitle: EVIL, period: '23 to 29 Nov 2026', quiet: false,
  added: [decision(1)], edited: [decision(2)], withdrawn: [decision(3, { status: 'withdrawn', statusLabel: `withdrawn: ${EVIL}`, statusReason: EVIL })], superseded: [decision(4, { status: 'superseded', statusLabel: 'superseded by Decision 5', supersededBy: 5 })], accepted: [], rejected: [],
  newEvidence: [{ decision: 1, label: '1a', text: EVIL }], sectionsChanged: [EVIL], imported: null,
  gaps: { decisionsWithoutEvidence: [{ number: 2, text: EVIL }], emptySections: [{ heading: EVIL, prompt: EVIL }], brokenCitations: [{ section: EVIL, citation: EVIL }], uncitedEvidence: [EVIL], awaitingDecision: [] },
  perSprint: [{ sprint: 1, heading: EVIL, decisions: 3, evidence: 2 }],
  link: { kind: 'page', url: `https://cases.example/c?t=1&x=${EVIL}` },
  published: null, phase: `Sprint 7, ${EVIL}`, timelineUrl: `https://cases.example/c?t=1#timeline${EVIL}`,
  phasesEnded: [{ label: EVIL, span: 'Sprints 2 to 6', url: `https://cases.example/c/assessment?phase=${EVIL}` }, { label: EVIL, span: 'Sprint 1', url: null }],
};
const digest: DigestView = { ...digestFacts, sections: digestSections(digestFacts) };

const base = { summary: `Summary ${EVIL}`, visibility: 'channel' as const };

const hostileAssessment = (): AssessmentView => hostileAssessmentOf(EVIL);

/** One reply of every kind, each full of hostile text. */
const EVERY_REPLY: Reply[] = [
  ...(['recorded', 'evidence added', 'edited', 'withdrawn', 'superseded', 'tagged', 'shown'] as const).map((event) => ({ ...base, kind: 'decision' as const, event, decision: decision(7), newEvidence: '7a', undo: 'change-1' })),
  { ...base, kind: 'decisions', heading: EVIL, decisions: [decision(1), decision(2)], emptyText: EVIL, total: 70, next: `search ${EVIL} page 2` },
  { ...base, kind: 'decisions', heading: EVIL, decisions: [], emptyText: EVIL, total: 0, next: null },
  { ...base, kind: 'notice' },
  { ...base, kind: 'sprint', sprint: { number: 2, heading: EVIL, startsOn: EVIL, endsOn: EVIL, length: EVIL, timeZone: EVIL, decisionCount: 3, phase: EVIL } },
  { ...base, kind: 'phases', phases: [{ kind: 'alpha', label: EVIL, from: 2, to: null, span: 'from Sprint 2', decisions: 3, current: true }], sprint: { number: 2, heading: EVIL, phase: EVIL }, undo: 'change-2' },
  { ...base, kind: 'assessment', assessment: hostileAssessment(), url: `https://cases.example/c/assessment?phase=x&t=${EVIL}` },
  { ...base, kind: 'assessment', assessment: hostileAssessment(), url: null },
  { ...base, kind: 'case', title: EVIL, template: 'prototype', templateLabel: EVIL, sections: [{ heading: EVIL, level: 3, empty: true, prompt: EVIL }], decisionCount: 1, evidenceCount: 1, sprintCount: 1 },
  { ...base, kind: 'section', heading: EVIL, body: EVIL, empty: false, prompt: null },
  { ...base, kind: 'section', heading: EVIL, body: '', empty: true, prompt: EVIL },
  { ...base, kind: 'digest', digest },
  { ...base, kind: 'retro', retro: { caseTitle: EVIL, sprint: { number: 1, heading: EVIL }, question: EVIL, decisions: [decision(1), decision(2, { evidence: [] })], proposals: [], withoutEvidence: [decision(2)] } },
  { ...base, kind: 'export', markdown: EVIL, filename: EVIL, url: `https://cases.example/c.md?${EVIL}`, files: [{ name: EVIL, markdown: EVIL, url: `https://cases.example/c.md?${EVIL}` }], describes: EVIL },
  { ...base, kind: 'share', url: `https://cases.example/${EVIL}` },
  { ...base, kind: 'help', entries: [...HELP, { command: EVIL, usage: EVIL, summary: EVIL, examples: [EVIL] }], topic: null, greeting: false },
  { ...base, kind: 'help', entries: HELP, topic: null, greeting: true },
  { ...base, kind: 'help', entries: [{ command: 'evidence', usage: EVIL, summary: EVIL, examples: [EVIL] }], topic: 'evidence', greeting: false },
  { ...base, kind: 'form', form: { sprints: [{ number: 1, heading: EVIL }], current: 1, text: EVIL, sourceUrl: null } },
  { ...base, kind: 'error', message: EVIL, suggestion: EVIL, field: null },
];

function expectSafe(strings: string[]): void {
  for (const s of strings) {
    for (const bad of FORBIDDEN) {
      if (s.includes(bad)) throw new Error(`rendered text contains ${bad}: ${s.slice(0, 300)}`);
    }
  }
}

function expectWithinLimits(m: SlackMessage): void {
  expect(m.blocks.length).toBeLessThanOrEqual(50);
  expect(m.text.length).toBeGreaterThan(0);
  expect(m.text.length).toBeLessThanOrEqual(3000);
  for (const b of m.blocks) {
    if (b.type === 'section') expect(b.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
    if (b.type === 'context') {
      expect(b.elements.length).toBeLessThanOrEqual(10);
      for (const e of b.elements) if ('text' in e && typeof e.text === 'string') expect(e.text.length).toBeLessThanOrEqual(2000);
    }
    if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(150);
  }
}

describe.each(EVERY_REPLY.map((r) => [`${r.kind}${r.kind === 'decision' ? ` (${r.event})` : ''}`, r] as const))('%s', (_name, reply) => {
  it('escapes every piece of user text, in blocks and fallback', () => {
    const m = renderReply(reply);
    expectSafe([m.text, ...allStrings(m.blocks)]);
  });

  it('stays within Slack’s limits, with a plain-text fallback', () => {
    expectWithinLimits(renderReply(reply));
  });
});

describe('our own markup', () => {
  it('mentions the author of an announcement with <@USERID>, once, as ours', () => {
    const m = renderReply(EVERY_REPLY[0] as Reply);
    expect(m.text).toMatch(/^Decision 7 recorded in Sprint 1.* by <@U0ANA>: /);
    expect(allStrings(m.blocks).join('\n').match(/<@[A-Z0-9]+>/g)).toEqual(['<@U0ANA>']);
  });

  it('links a safe source and shows an unsafe one as text', () => {
    const m = renderReply({ ...base, kind: 'decision', event: 'shown', decision: decision(1, { sourceUrl: 'https://example.slack.com/archives/C1/p1' }), newEvidence: null, undo: null });
    const all = allStrings(m.blocks).join('\n');
    expect(all).toContain('<https://example.slack.com/archives/C1/p1|this message>');
    expect(all).not.toContain('<https://evil.example/x');
  });
});

describe('the digest\'s link to GitHub', () => {
  it('links this week\'s pull request, and a hostile repository name stays text', () => {
    const published = { kind: 'pull request' as const, url: 'https://github.com/acme/case/pull/3', number: 3, repository: 'acme/case', label: 'pull request #3 in acme/case' };
    const all = allStrings(renderReply({ ...base, kind: 'digest', digest: { ...digest, published } }).blocks).join('\n');
    expect(all).toContain('Published to GitHub: <https://github.com/acme/case/pull/3|pull request #3 in acme/case>');
    const hostile = allStrings(renderReply({ ...base, kind: 'digest', digest: { ...digest, published: { ...published, repository: EVIL, label: `pull request #3 in ${EVIL}` } } }).blocks);
    expectSafe(hostile);
    expect(allStrings(renderReply({ ...base, kind: 'digest', digest }).blocks).join('\n')).not.toContain('GitHub');
  });
});

describe('limits', () => {
  it('a list of 200 decisions renders within 50 blocks and 3,000 characters a section, saying where the rest is', () => {
    const evidence = (i: number) => ['a', 'b', 'c'].map((l) => ({ label: `${i}${l}`, title: `Evidence ${i}${l}`, text: 'seen '.repeat(60), author: actor, when: '', sourceUrl: null, points: [] }));
    const many = Array.from({ length: 200 }, (_, i) => decision(i, { text: `Decision ${i}: ${'word '.repeat(80)}`, evidence: evidence(i) }));
    const m = renderReply({ ...base, kind: 'decisions', heading: 'All decisions', decisions: many, emptyText: '', total: many.length, next: null });
    expectWithinLimits(m);
    const all = allStrings(m.blocks).join('\n');
    expect(all).toContain('Decision 0');
    expect(all).toMatch(/more not shown here/);
    expect(all).toContain('/decision export');
  });

  it('cuts one very long decision with a pointer to the full text', () => {
    const long = decision(3, { text: 'x'.repeat(2990) + ' & ' + 'y'.repeat(500), evidence: Array.from({ length: 100 }, (_, i) => ({ label: `3${i}`, title: `Evidence 3${i}`, text: 'e'.repeat(500), author: actor, when: '', sourceUrl: null, points: [] })) });
    const m = renderReply({ ...base, kind: 'decision', event: 'shown', decision: long, newEvidence: null, undo: null });
    expectWithinLimits(m);
    expect(allStrings(m.blocks).join('\n')).toContain('/decision show 3');
  });

  it('a digest with hundreds of items stays within the limits', () => {
    const big: DigestView = { ...digest, added: Array.from({ length: 300 }, (_, i) => decision(i)), newEvidence: Array.from({ length: 300 }, (_, i) => ({ decision: i, label: `${i}a`, text: 'z'.repeat(400) })) };
    expectWithinLimits(renderReply({ ...base, kind: 'digest', digest: big }));
  });
});

describe('modals and home', () => {
  const meta = { channel: 'C1', responseUrl: null, sourceUrl: 'https://evil.example|<x>', decision: null };

  it('escape what they show but give editable text back as typed', () => {
    const form = { sprints: [{ number: 1, heading: EVIL }], current: 1, text: EVIL, sourceUrl: null };
    const views = [
      decisionModal(form, meta),
      evidenceModal({ choices: [{ number: 1, text: EVIL }], text: EVIL }, meta),
      evidenceModal({ decision: { number: 1, text: EVIL } }, meta),
      editModal({ number: 1, text: EVIL }, meta),
    ];
    for (const v of views) {
      const shown = allStrings(v.blocks.map((b) => ({ ...b, element: b.type === 'input' && 'element' in b ? { ...b.element, initial_value: undefined } : undefined })));
      expectSafe(shown);
      expect(v.blocks.length).toBeLessThanOrEqual(100);
    }
    const decisionInput = views[0]?.blocks.find((b) => b.block_id === 'text');
    expect(JSON.stringify(decisionInput)).toContain(JSON.stringify(EVIL).slice(1, -1));
  });

  it('the Home tab escapes case data and stays within limits', () => {
    const view = homeView({ help: HELP, cases: Array.from({ length: 120 }, (_, i) => ({ channel: `C${i}`, sprint: EVIL, lastDecision: { number: i, text: EVIL } })), problem: EVIL });
    expectSafe(allStrings(view.blocks));
    expect(view.blocks.length).toBeLessThanOrEqual(50);
  });
});
