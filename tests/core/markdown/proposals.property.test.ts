/**
 * Proposed decisions and who took a decision survive the Markdown: for any case (statuses
 * proposed, rejected with or without a reason, active, withdrawn, superseded; any names as
 * deciders), export then import gives back every decision's status, reason and deciders;
 * and a document that has neither is given back byte for byte, nothing added.
 */
import fc from 'fast-check';
import { parseCaseMarkdown, renderCaseMarkdown } from '../../../src/core/markdown';
import { newCase } from '../../../src/core/cases';
import type { CaseSnapshot, Decision, DecisionStatus } from '../../../src/core/model';
import { decision, NOW, place, snapshotOf, sprint } from './helpers';

/** A name as people type one: letters, spaces, apostrophes, hyphens, accents, a few symbols; never a list separator. */
const name = fc.stringMatching(/^[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ' .-]{0,20}[A-Za-zÀ-ÿ.]$/)
  .filter((n) => !/\band\b/i.test(n) && n.trim() === n && !/\s{2}/.test(n));

const decisionArb = fc.record({
  status: fc.constantFrom<DecisionStatus>('active', 'proposed', 'rejected', 'withdrawn', 'superseded'),
  reason: fc.option(fc.constantFrom('Too costly for now', 'Research showed nobody needed it', 'Out of scope: see 3a', 'Not _yet_'), { nil: null }),
  deciders: fc.uniqueArray(name, { maxLength: 4, selector: (n) => n }),
  text: fc.constantFrom('We will publish weekly', 'We will drop the paper form\nfor good', '_Proposed_', '_Decided by Ana_', 'Decided by the board', 'We will test _Rejected: x_ ideas'),
});

const snapshots = fc.array(decisionArb, { minLength: 1, maxLength: 8 }).map((items): CaseSnapshot => {
  const base = newCase({ id: 'case-1', place, now: NOW });
  const decisions: Decision[] = items.map((d, i) => decision(i, i * 2 < items.length ? 0 : 1, d.text, {
    status: d.status === 'superseded' && i === items.length - 1 ? 'active' : d.status,
    statusReason: d.status === 'withdrawn' || d.status === 'rejected' ? d.reason : null,
    supersededBy: d.status === 'superseded' && i < items.length - 1 ? i + 1 : null,
    deciders: d.deciders,
  }));
  return { case: base, sprints: [sprint(0), sprint(1)], decisions, evidence: [] };
});

const essentials = (ds: ReadonlyArray<Pick<Decision, 'number' | 'text' | 'status' | 'statusReason' | 'supersededBy' | 'deciders'>>) =>
  ds.map((d) => ({ number: d.number, text: d.text, status: d.status, statusReason: d.statusReason, supersededBy: d.supersededBy, deciders: d.deciders }));

it('export then import gives back every status, reason and decider', () => {
  fc.assert(fc.property(snapshots, (snap) => {
    const markdown = renderCaseMarkdown(snap);
    const parsed = parseCaseMarkdown(markdown, { strict: true });
    expect(essentials(parsed.decisions)).toEqual(essentials(snap.decisions));
    // And read back and written again, the same bytes.
    expect(renderCaseMarkdown(snapshotOf(parsed))).toBe(markdown);
  }), { numRuns: 800 });
});

it('writes them as a person reads them', () => {
  const snap: CaseSnapshot = {
    case: newCase({ id: 'case-1', place, now: NOW }),
    sprints: [sprint(0)],
    decisions: [
      decision(0, 0, 'We will publish weekly', { deciders: ['Ana Smith', 'Ben', 'Cy'] }),
      decision(1, 0, 'We will drop the paper form', { status: 'proposed' }),
      decision(2, 0, 'We will build an app', { status: 'rejected', statusReason: 'Too costly for now', deciders: ['Ana Smith'] }),
    ],
    evidence: [],
  };
  expect(renderCaseMarkdown(snap)).toContain([
    'Decision 0: We will publish weekly', '', '_Decided by Ana Smith, Ben and Cy_', '',
    'Decision 1: We will drop the paper form', '', '_Proposed_', '',
    'Decision 2: We will build an app', '', '_Decided by Ana Smith_', '', '_Rejected: Too costly for now_',
  ].join('\n'));
});

it('a document with neither proposals nor deciders comes back byte for byte, with nothing added', () => {
  const LINES = ['### Sprint 0', '### Sprint 1', 'Decision 0: We will go  ', 'Decision 1: Stay', 'Evidence 1a: Seen', '_Withdrawn: no_', '', '', 'Plain text ', 'Decided by the board'];
  fc.assert(fc.property(fc.array(fc.constantFrom(...LINES), { maxLength: 30 }), (lines) => {
    const markdown = `## Key decisions\n\n### Sprint 0\n\n${lines.join('\n')}\n`;
    const parsed = parseCaseMarkdown(markdown);
    expect(parsed.decisions.every((d) => d.deciders.length === 0 && d.status !== 'proposed' && d.status !== 'rejected')).toBe(true);
    const out = renderCaseMarkdown(snapshotOf(parsed));
    expect(out).toBe(markdown);
    expect(out).not.toMatch(/_Decided by|_Proposed_|_Rejected/);
  }), { numRuns: 500 });
});
