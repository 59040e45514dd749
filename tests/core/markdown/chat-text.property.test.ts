/**
 * Text typed in chat can never break a team's files, whatever layout they are in: written
 * into a case of the Sprint N layout, a decision log (headings or "**Decision:**" lines) or a
 * folder of ADRs, and read back, every decision and piece of evidence is the text typed,
 * even when it holds lines shaped like the layouts' own structure.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { importCaseFiles } from '../../../src/core/import';
import type { ImportFile } from '../../../src/core/import';
import { closeOpenFence, renderCaseFiles } from '../../../src/core/markdown';
import { splitTitle } from '../../../src/core/markdown/adr';
import type { CaseSnapshot } from '../../../src/core/model';
import { sequentialIds } from '../../helpers/fake-clock';
import { ADR_FIXTURES, folderFiles } from '../../helpers/folder';
import { decision, evidence } from './helpers';

const place = { platform: 'console' as const, workspace: 'local', channel: 'typed' };
const input = () => ({ id: 'case-1', place, now: new Date('2026-11-26T10:00:00Z'), newId: sequentialIds('ev') });
const fixture = (dir: string, name: string): ImportFile => ({ name, markdown: fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', dir, name), 'utf8') });

const CASES: Array<[string, ImportFile[]]> = [
  ['the Sprint N layout', [fixture('markdown', 'layout-b.md')]],
  ['a log of decision headings', [fixture('logs', 'sprint-m2-s5.md')]],
  ['a log of **Decision:** lines', [fixture('logs', 'iterations.md')]],
  ['a business case and a log', [fixture('alphagov', 'prototype-case-joined-up-services.MD'), fixture('logs', 'beta-log.md')]],
  // Without its second ADR numbered 6, which takes the next free number on every import.
  ['a folder of ADRs', folderFiles(path.join(ADR_FIXTURES, 'nygard')).filter((f) => f.name !== '0006-deprecate-the-nightly-export.md')],
];

/** Lines shaped like every layout's structure, and ordinary ones. */
const LINES = [
  'We will go', 'Plain words', '## Decision 9: sneaky', '### Decision: sneaky', '**Decision:** sneaky', '__Decision 4__: sneaky', '## Iteration 7',
  '## Sprint 12', '# Title', '## Status', 'Superseded by [1. x](0001-x.md)', 'Status: Accepted', '* Status: rejected', 'Date: 2020-01-01',
  '---', 'title: sneaky', 'Decision 3: sneaky', 'Evidence 1a: sneaky', '_Withdrawn_', '_Superseded by Decision 2_', '#### Decision 2 - sneaky',
  '_Proposed_', '_Rejected: sneaky_', '_Decided by Ana and Ben_', 'Deciders: sneaky', '## Context', '## Evidence', '```', '~~~', '- a list', '  - nested', '> quote', '<div>', '{% raw %}', '\\## escaped already', '([source](https://x.example))',
  // The lines that hold phases and Service Standard points, in every layout.
  '_Service Standard: 1 (Understand users and their needs)_', '_Service Standard: 3, 14_', '\\_Service Standard: 2_', '_Phase: Alpha_', '_Phase: Beta (Private beta)_',
];

const texts = fc.array(fc.constantFrom(...LINES, ''), { minLength: 1, maxLength: 6 }).map((lines) => {
  // As chat stores text: no blank line at either end, at most one between lines.
  const joined = lines.join('\n').replace(/\n{3,}/g, '\n\n').trim();
  return joined === '' ? 'We will go' : joined;
  // A code fence left open is closed on export (it would swallow what follows): typed text with one is not kept as typed, by design.
}).filter((t) => !/^\s/.test(t) && closeOpenFence(t) === t);

/** An ADR's title is its first line: a line break straight after it reads back as a paragraph break. */
const asAdr = (text: string): string => {
  const { title, body } = splitTitle(text);
  return body === '' ? title : `${title}\n\n${body}`;
};

describe.each(CASES)('in %s', (_name, files) => {
  const { snapshot } = importCaseFiles(files, input());
  const adr = snapshot.case.layout.adr !== undefined && snapshot.case.layout.adr !== null;

  // An ADR's title is the decision's first line, so a decision opening with a code fence has none.
  const decisions = adr ? texts.filter((t) => !/^(?:```|~~~)/.test(t)) : texts;

  it('a decision and its evidence typed in chat read back as typed', () => {
    fc.assert(fc.property(decisions, texts, texts, (d, e1, e2) => {
      const s: CaseSnapshot = structuredClone(snapshot);
      const last = Math.max(...s.decisions.map((x) => x.number));
      const sprint = Math.max(...s.sprints.map((x) => x.number));
      s.decisions.push(decision(last + 1, sprint, d, { createdAt: '2026-11-27T09:00:00.000Z', status: 'proposed', deciders: ['Ana', 'Ben Smith'] }));
      s.evidence.push(evidence(last + 1, 'a', 0, e1), evidence(last + 1, 'b', 1, e2));
      const first = s.decisions[0]!;
      s.decisions[0] = { ...first, text: d };
      const written = renderCaseFiles(s, 'x.md').map((f) => ({ name: f.name, path: f.name, markdown: f.markdown }));
      const back = importCaseFiles(written, input()).snapshot;
      const want = adr ? asAdr(d) : d;
      expect(back.decisions.map((x) => x.number)).toEqual(s.decisions.map((x) => x.number).sort((a, b) => a - b));
      expect(back.decisions.find((x) => x.number === last + 1)).toMatchObject({ text: want, status: 'proposed', deciders: ['Ana', 'Ben Smith'] });
      expect(back.decisions.find((x) => x.number === first.number)?.text).toBe(want);
      expect(back.evidence.filter((x) => x.decision === last + 1).map((x) => x.text)).toEqual([e1, e2]);
    }), { numRuns: 150 });
  });
});
