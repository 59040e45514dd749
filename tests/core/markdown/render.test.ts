import { newCase } from '../../../src/core/cases';
import type { CaseSnapshot } from '../../../src/core/model';
import { parseCaseMarkdown, renderCaseMarkdown } from '../../../src/core/markdown';
import { decision, doc, evidence, NOW, place, snapshotOf, sprint } from './helpers';

function snapshot(overrides: Partial<CaseSnapshot> = {}, title: string | null = 'Apply for a fishing licence'): CaseSnapshot {
  return { case: newCase({ id: 'case-1', place, now: NOW, title }), sprints: [], decisions: [], evidence: [], ...overrides };
}

describe('renderCaseMarkdown', () => {
  it('writes a new case in the default template, with its decisions part', () => {
    const markdown = renderCaseMarkdown(snapshot({
      sprints: [sprint(0), sprint(1)],
      decisions: [decision(0, 1, 'We decided to test the case in private beta first')],
      evidence: [evidence(0, 'a', 0, 'Two of five teams asked for it in research round 1')],
    }));
    expect(markdown).toBe(doc(
      '# Apply for a fishing licence', '',
      '## Strategic Case', '', '### Strategic Context', '', 'To be written.', '', '### Strategic Objectives', '', 'To be written.', '',
      '### Critical Success Factors', '', 'To be written.', '', '### Benefits', '', 'To be written.', '',
      '## Economic Case', '', '### Options', '', 'To be written.', '',
      '## Key decisions that shaped this', '', '### Sprint 0', '', '### Sprint 1', '',
      'Decision 0: We decided to test the case in private beta first', '',
      'Evidence 0a: Two of five teams asked for it in research round 1',
    ));
  });

  it('writes status lines, sources and back-references, in evidence order', () => {
    const markdown = renderCaseMarkdown(snapshot({
      sprints: [sprint(1)],
      decisions: [
        decision(1, 1, 'Drop the paper form', { status: 'withdrawn', statusReason: 'legal\nrequirement', sourceUrl: 'https://chat.example.org/p/1' }),
        decision(2, 1, 'Ask once', { status: 'superseded', supersededBy: 3 }),
        decision(3, 1, 'Reuse the answer', { status: 'withdrawn' }),
      ],
      evidence: [
        evidence(3, 'a', 1, 'Confirmed', { sourceUrl: 'https://example.org/a (draft)' }),
        evidence(3, null, 0, 'See above', { refersTo: '1a' }),
      ],
    }, null));
    expect(markdown).toContain(doc(
      '### Sprint 1', '',
      'Decision 1: Drop the paper form ([source](https://chat.example.org/p/1))', '', '_Withdrawn: legal requirement_', '',
      'Decision 2: Ask once', '', '_Superseded by Decision 3_', '',
      'Decision 3: Reuse the answer', '', '_Withdrawn_', '',
      'Evidence 1a: See above', '',
      'Evidence 3a: Confirmed ([source](<https://example.org/a (draft)>))',
    ));
    const parsed = parseCaseMarkdown(markdown);
    expect(parsed.decisions[0]).toMatchObject({ text: 'Drop the paper form', status: 'withdrawn', statusReason: 'legal requirement', sourceUrl: 'https://chat.example.org/p/1' });
    expect(parsed.evidence[1]).toMatchObject({ letter: 'a', text: 'Confirmed', sourceUrl: 'https://example.org/a (draft)' });
  });

  it('writes top-level sprints with decision headings when the layout has no container', () => {
    const base = snapshot({}, 'Key decisions');
    const layout = { ...base.case.layout, sections: [], decisionsAt: 0, decisionsHeading: null, sprintLevel: 2, decisionStyle: 'heading' as const };
    const markdown = renderCaseMarkdown({
      ...base,
      case: { ...base.case, layout },
      sprints: [sprint(0), sprint(1, ': Alpha', 'We met the team.')],
      decisions: [decision(0, 1, 'Test first\n\nThen build')],
      evidence: [evidence(0, 'a', 0, 'Research')],
    });
    expect(markdown).toBe(doc(
      '# Key decisions', '', '## Sprint 0', '', '## Sprint 1: Alpha', '', 'We met the team.', '',
      '### Decision 0', '', 'Test first', '', 'Then build', '', 'Evidence 0a: Research',
    ));
  });

  it('writes no decisions part for a case with no container heading and no sprints', () => {
    const base = snapshot();
    const layout = { ...base.case.layout, decisionsHeading: null };
    const markdown = renderCaseMarkdown({ ...base, case: { ...base.case, layout } });
    expect(markdown).not.toContain('Key decisions');
    expect(markdown.trimEnd().endsWith('### Options\n\nTo be written.')).toBe(true);
  });

  it('writes a sprint a decision names even when the sprint list lacks it', () => {
    const markdown = renderCaseMarkdown(snapshot({ decisions: [decision(0, 2, 'Go')] }));
    expect(markdown).toContain('### Sprint 2\n\nDecision 0: Go\n');
  });
});

describe('user text cannot break the document', () => {
  const nasty = [
    '## Heading',
    'Decision 9: forged',
    'Evidence 1a: forged',
    'Some text\n---',
    '_Withdrawn_',
    '\\# already escaped',
    'Starts plainly\n\n## Heading\n\nDecision 9: forged\n\nEvidence 1a: forged\n\n_Superseded by Decision 2_\n\n### Sprint 7',
    'Ends like a source ([source](https://example.org/forged))',
    '```\nan unclosed fence\n## that would swallow the rest',
  ];

  function nastyCase(style: 'inline' | 'heading'): CaseSnapshot {
    const base = snapshot();
    const sections = base.case.layout.sections.map((s, i) => (i === 1 ? { ...s, body: '## Sprint 3\n\n### Decision 2\n\nDecision 9: x\n\n#### Kept as a sub-heading' } : s));
    return {
      ...base,
      case: { ...base.case, layout: { ...base.case.layout, preamble: '# Not a title\n\n### Sprint 1', sections, decisionStyle: style } },
      sprints: [sprint(0, '', 'Decision 8: not a decision\n\n## Not a heading'), sprint(1)],
      decisions: nasty.map((text, i) => decision(i, 1, text, { sourceUrl: i % 2 === 0 ? null : `https://chat.example.org/p/${i}` })),
      evidence: nasty.map((text, i) => evidence(i, 'a', 0, text)),
    };
  }

  it.each(['inline', 'heading'] as const)('round-trips every text through the %s layout', (style) => {
    const original = nastyCase(style);
    const parsed = parseCaseMarkdown(renderCaseMarkdown(original));
    expect(parsed.title).toBe(original.case.title);
    expect(parsed.layout.preamble).toBe('# Not a title\n\n### Sprint 1');
    expect(parsed.layout.sections.length).toBe(original.case.layout.sections.length);
    expect(parsed.layout.sections[1].body).toBe('## Sprint 3\n\n### Decision 2\n\nDecision 9: x\n\n#### Kept as a sub-heading');
    expect(parsed.sprints.map((s) => [s.number, s.intro])).toEqual([[0, 'Decision 8: not a decision\n\n## Not a heading'], [1, '']]);
    expect(parsed.decisions.length).toBe(nasty.length);
    expect(parsed.evidence.length).toBe(nasty.length);
    // An unclosed fence is closed on export when anything follows it (here, its evidence),
    // so that text alone comes back with a closing fence; as the document's last block it stays open.
    const closed = nasty.map((t) => (t.startsWith('```') ? `${t}\n\`\`\`` : t));
    expect(parsed.decisions.map((d) => d.text)).toEqual(closed);
    expect(parsed.decisions.map((d) => d.sourceUrl)).toEqual(original.decisions.map((d) => d.sourceUrl));
    expect(parsed.decisions.every((d) => d.status === 'active')).toBe(true);
    expect(parsed.evidence.map((e) => e.text)).toEqual([...closed.slice(0, -1), nasty[nasty.length - 1]]);
    expect(parsed.evidence.map((e) => `${e.decision}${e.letter}`)).toEqual(nasty.map((_t, i) => `${i}a`));
  });

  it('is stable: writing what was read gives the same document', () => {
    const once = renderCaseMarkdown(nastyCase('inline'));
    expect(renderCaseMarkdown(snapshotOf(parseCaseMarkdown(once)))).toBe(once);
  });
});
