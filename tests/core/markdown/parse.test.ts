import { MarkdownFormatError, parseCaseMarkdown, renderCaseMarkdown } from '../../../src/core/markdown';
import { doc, fixture, snapshotOf } from './helpers';

describe('parseCaseMarkdown, layout A (default template)', () => {
  const parsed = parseCaseMarkdown(fixture('layout-a.md'));

  it('reads the title, preamble and layout', () => {
    expect(parsed.title).toBe('[Prototype] Business case: Apply for a fishing licence');
    expect(parsed.layout.preamble).toBe('This prototype case is a draft. References in brackets point at the key\ndecisions below, for example (0a, 1).\n\nOwner: the licensing team.');
    expect(parsed.layout.decisionsHeading).toEqual({ level: 2, text: 'Key decisions that shaped this', intro: 'Each decision links to the evidence behind it.' });
    expect(parsed.layout.sprintLevel).toBe(3);
    expect(parsed.layout.decisionStyle).toBe('inline');
    expect(parsed.layout.decisionsAt).toBe(7);
  });

  it('reads the sections, keeping level 4 headings and code in the body', () => {
    const { sections } = parsed.layout;
    expect(sections.map((s) => `${s.level} ${s.heading}`)).toEqual([
      '2 Strategic Case', '3 Strategic Context', '3 Strategic Objectives', '3 Critical Success Factors',
      '3 Benefits', '2 Economic Case', '3 Options', '2 Appendix',
    ]);
    expect(sections[0].body).toBe('');
    expect(sections[2].body).toBe('To be written.');
    expect(sections[1].body).toContain('#### What problem are we trying to solve?\n\n- People buy the wrong licence');
    expect(sections[1].body).toContain('```sh\n# a comment in a code block, not a heading\n## nor is this\nDecision 7: nor a decision\n```');
    expect(sections[7].body).toBe('Glossary of terms.');
  });

  it('reads the sprints, with suffixes and intros', () => {
    expect(parsed.sprints).toEqual([
      { number: 0, suffix: '', intro: '', startsOn: null },
      { number: 1, suffix: ': Discovery', intro: 'We spent this sprint with bailiffs.', startsOn: null },
      { number: 2, suffix: ' (3–14 Feb)', intro: '', startsOn: null },
      { number: 3, suffix: '', intro: '', startsOn: null },
    ]);
  });

  it('reads the decisions with their sprint, status and source', () => {
    expect(parsed.decisions.map((d) => [d.number, d.sprint])).toEqual([[0, 1], [1, 1], [2, 2], [3, 2], [4, 2]]);
    expect(parsed.decisions[0]).toEqual({
      number: 0, sprint: 1, text: 'We decided to test the case in private beta first',
      status: 'active', statusReason: null, supersededBy: null, sourceUrl: null, deciders: [], points: [],
    });
    expect(parsed.decisions[1]).toMatchObject({
      text: 'We will drop the paper form\n\nThis takes effect from the next sprint.',
      status: 'withdrawn', statusReason: 'the paper form is a legal requirement',
    });
    expect(parsed.decisions[2]).toMatchObject({ text: 'We will send renewal reminders by email', sourceUrl: 'https://chat.example.org/p/456' });
    expect(parsed.decisions[3]).toMatchObject({ status: 'superseded', supersededBy: 4, statusReason: null });
  });

  it('reads evidence letters, positions, sources, a malformed link and a back-reference', () => {
    const labels = parsed.evidence.map((e) => [e.decision, e.letter, e.refersTo, e.position]);
    expect(labels).toEqual([
      [0, 'a', null, 0], [0, 'b', null, 1], [1, 'a', null, 0], [3, 'a', null, 0],
      [4, null, '0a', 0], [4, 'a', null, 1], [4, 'b', null, 2],
    ]);
    expect(parsed.evidence[1].text).toBe('[Research round 1]((https://example.org/round-1) says the same');
    expect(parsed.evidence[2]).toMatchObject({ text: 'Legal advice, March', sourceUrl: 'https://chat.example.org/p/123' });
    expect(parsed.evidence[4].text).toBe('See above');
    expect(parsed.evidence[6]).toMatchObject({ text: '[Notes](https://example.org/notes)', sourceUrl: null });
  });
});

describe('parseCaseMarkdown, layout B (sprints at the top)', () => {
  const parsed = parseCaseMarkdown(fixture('layout-b.md'));

  it('reads the layout', () => {
    expect(parsed.title).toBe('Key decisions that shaped our prototype case');
    expect(parsed.layout).toEqual({ preamble: '', sections: [], decisionsAt: 0, decisionsHeading: null, sprintLevel: 2, decisionStyle: 'heading', source: expect.any(Object) });
  });

  it('reads sprints, decisions (with a gap in numbers) and evidence', () => {
    expect(parsed.sprints.map((s) => s.number)).toEqual([0, 1, 2, 3]);
    expect(parsed.decisions.map((d) => `${d.number}@${d.sprint}`)).toEqual(['0@1', '1@1', '2@2', '3@2', '5@3']);
    expect(parsed.decisions[3].text).toBe('We ran a session to raise our assumptions.\n\nIt helped us see what we do not already know.');
    expect(parsed.evidence.filter((e) => e.letter !== null).map((e) => `${e.decision}${e.letter}`)).toEqual(['0a', '1a', '1b', '5a', '5b']);
    const back = parsed.evidence.find((e) => e.refersTo !== null);
    expect(back).toEqual({ decision: 5, letter: null, refersTo: '1a', position: 0, text: 'See above', sourceUrl: null, points: [] });
    expect(parsed.evidence[2].text).toBe('[Most big decisions are made by policy teams]((https://example.org/slides) which we should learn more about.');
  });
});

describe('parseCaseMarkdown, a document with no sprints', () => {
  it('has no decisions part and keeps every section', () => {
    const parsed = parseCaseMarkdown(fixture('no-sprints.md'));
    expect(parsed.sprints).toEqual([]);
    expect(parsed.decisions).toEqual([]);
    expect(parsed.layout.decisionsHeading).toBeNull();
    expect(parsed.layout.sprintLevel).toBe(3);
    expect(parsed.layout.decisionStyle).toBe('inline');
    expect(parsed.layout.decisionsAt).toBe(parsed.layout.sections.length);
    expect(parsed.layout.sections.map((s) => s.heading)).toEqual(['Executive Summary', 'Strategic Case', 'Strategic Context', 'Benefits', 'Economic Case', 'Options']);
    expect(parsed.layout.sections[2].body).toContain('##### Repeating steps when buying a licence');
  });

  it('has a null title when there is no H1 first', () => {
    expect(parseCaseMarkdown(doc('Some notes', '', '## Benefits', '', 'Fewer calls')).title).toBeNull();
    expect(parseCaseMarkdown(doc('Some notes', '', '## Benefits')).layout.preamble).toBe('Some notes');
  });
});

describe('parseCaseMarkdown, strict, refuses malformed documents; by default keeps them whole with a warning', () => {
  function refusal(markdown: string): MarkdownFormatError {
    try {
      parseCaseMarkdown(markdown, { strict: true });
    } catch (err) {
      expect(err).toBeInstanceOf(MarkdownFormatError);
      return err as MarkdownFormatError;
    }
    throw new Error('expected the document to be refused');
  }

  const cases: Array<[string, string, number, string]> = [
    ['evidence before any decision',
      doc('# Case', '', '## Key decisions', '', '### Sprint 1', '', 'Intro', '', 'Evidence 3a: Too early'),
      9, 'Line 9: Evidence 3a comes before any decision.'],
    ['evidence before the first decision of its sprint',
      doc('### Sprint 1', '', 'Decision 3: Go', '', '### Sprint 2', '', 'Evidence 3a: Lost'),
      7, 'Line 7: Evidence 3a comes before any decision in Sprint 2.'],
    ['evidence for a later decision',
      doc('### Sprint 1', '', 'Decision 3: Go', '', 'Evidence 4a: Not yet'),
      5, 'Line 5: Evidence 4a is under Decision 3, but names the later Decision 4.'],
    ['a repeated decision number',
      doc('## Sprint 1', '', '### Decision 1', '', 'Go', '', '## Sprint 2', '', '### Decision 1', '', 'Again'),
      9, 'Line 9: Decision 1 appears twice: it is also on line 3.'],
    ['a decision number going backwards',
      doc('### Sprint 1', '', 'Decision 5: Go', '', 'Decision 4: Back'),
      5, 'Line 5: Decision 4 comes after Decision 5. Decisions must be numbered in order.'],
    ['a repeated evidence letter',
      doc('### Sprint 1', '', 'Decision 1: Go', '', 'Evidence 1a: One', '', 'Evidence 1b: Two', '', 'Evidence 1a: Three'),
      9, 'Line 9: Evidence 1a appears twice under Decision 1.'],
    ['a repeated sprint',
      doc('# Case', '', '## Sprint 1', '', '## Sprint 2', '', '## Sprint 2'),
      7, 'Line 7: Sprint 2 appears twice.'],
    ['a sprint going backwards',
      doc('# Case', '', '## Sprint 3', '', '## Sprint 2'),
      5, 'Line 5: Sprint 2 comes after Sprint 3. Sprints must go in order.'],
    ['a heading inside the decisions part',
      doc('## Sprint 1', '', '### Decision 1', '', 'Go', '', '#### Notes'),
      7, 'Line 7: The heading “Notes” is inside the key decisions part, where only Sprint and Decision headings can go.'],
    ['a decision heading at the wrong level',
      doc('## Sprint 1', '', '#### Decision 1'),
      3, 'Line 3: The heading for Decision 1 should be level 3 (###), one below its sprint.'],
    ['a sprint heading at the wrong level',
      doc('## Sprint 1', '', '### Sprint 2'),
      3, 'Line 3: The heading for Sprint 2 should be level 2 (##), like the first sprint.'],
    ['decisions written in two styles',
      doc('## Sprint 1', '', '### Decision 1', '', 'Go', '', 'Decision 2: Inline'),
      7, 'Line 7: Decision 2 is written inline ("Decision N: …"), but Decision 1 is written as a heading. Write every decision the same way.'],
    ['a decision heading outside the decisions part',
      doc('# Case', '', '## Benefits', '', '#### Decision 2', '', '## Sprint 1'),
      5, 'Line 5: Decision 2 is not under a sprint. Decisions go under a Sprint heading.'],
    ['a sprint after the decisions part has ended',
      doc('## Key decisions', '', '### Sprint 1', '', '## Appendix', '', '### Sprint 2'),
      7, 'Line 7: Sprint 2 comes after the key decisions part has ended. Keep all the sprints together.'],
    ['a status after evidence',
      doc('### Sprint 1', '', 'Decision 1: Go', '', 'Evidence 1a: Why', '', '_Withdrawn_'),
      7, 'Line 7: The status of Decision 1 must come straight after its text, before its evidence.'],
    ['text after a status',
      doc('### Sprint 1', '', 'Decision 1: Go', '', '_Withdrawn_', '', 'More text'),
      7, 'Line 7: Only evidence can follow the status of Decision 1.'],
    ['a status before any decision',
      doc('### Sprint 1', '', '_Withdrawn_'),
      3, 'Line 3: “_Withdrawn_” comes before any decision in Sprint 1.'],
  ];

  it.each(cases)('%s', (_name, markdown, line, message) => {
    const err = refusal(markdown);
    expect(err.line).toBe(line);
    expect(err.message).toBe(message);
  });

  it.each(cases)('%s: kept as text, one warning naming the line, exported byte for byte', (_name, markdown, line, message) => {
    const parsed = parseCaseMarkdown(markdown);
    expect(parsed.warnings).toHaveLength(1);
    expect(parsed.warnings[0]?.line).toBe(line);
    expect(parsed.warnings[0]?.message.startsWith(message.replace(/\.$/, ''))).toBe(true);
    expect(parsed.warnings[0]?.message).toMatch(/; kept as text of .+\.$/);
    expect(renderCaseMarkdown(snapshotOf(parsed))).toBe(markdown);
    // Nothing is lost: the line's words are in the case.
    const words = markdown.split('\n')[line - 1].replace(/^#+\s*/, '').replace(/^_|_$/g, '');
    expect(JSON.stringify(parsed)).toContain(words);
  });

  it('counts lines the same way for \\r\\n documents', () => {
    const err = refusal(doc('# Case', '', '## Sprint 1', '', 'Evidence 3a: Too early').replace(/\n/g, '\r\n'));
    expect(err.line).toBe(5);
  });

  it('accepts gaps in decision numbers and a template that starts at Decision 1', () => {
    const parsed = parseCaseMarkdown(doc('### Sprint 0', '', 'Decision 1: One', '', 'Decision 4: Four', '', 'Evidence 1a: Back'));
    expect(parsed.decisions.map((d) => d.number)).toEqual([1, 4]);
    expect(parsed.evidence[0]).toMatchObject({ decision: 4, letter: null, refersTo: '1a' });
  });

  it('finds the decisions part by its first Sprint heading, whatever its case', () => {
    const parsed = parseCaseMarkdown(doc('# T', '', '## Plan', '', '### sprint 2', '', 'Decision 0: Go'));
    expect(parsed.layout.decisionsHeading).toEqual({ level: 2, text: 'Plan', intro: '' });
    expect(parsed.sprints).toEqual([{ number: 2, suffix: '', intro: '', startsOn: null }]);
  });
});
