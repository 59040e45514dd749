/**
 * Decision logs (fixtures written for these tests): "## Decision N: …" and "## Decision: …"
 * under a title that names the sprint, "**Decision:** …" lines under "## Iteration N" with
 * front matter, and "### Decision 1" numbered again in each "## Beta N". Each is read into
 * sprints, decisions and evidence, comes back byte for byte, and a change made in chat is
 * written in the log's own layout.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseCaseMarkdown, renderCaseMarkdown, MarkdownFormatError } from '../../../src/core/markdown';
import type { ParsedCase } from '../../../src/core/markdown';
import { sprintHeading } from '../../../src/core/sprints';
import { decision, doc, evidence, snapshotOf } from './helpers';

const log = (name: string): string => fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'logs', name), 'utf8');
const normal = (parsed: ParsedCase): string => renderCaseMarkdown(snapshotOf({ ...parsed, layout: { ...parsed.layout, source: null } }));
const names = (parsed: ParsedCase): string[] => parsed.sprints.map((s) => sprintHeading(s, parsed.layout.sprintForms));
const summary = (parsed: ParsedCase) => parsed.decisions.map((d) => [d.number, d.sprint, d.text.split('\n')[0], d.status]);
const evidenceOf = (parsed: ParsedCase) => parsed.evidence.map((e) => [`${e.decision}${e.letter ?? ''}`, e.text.split('\n')[0]]);

describe('a decision log whose title names the sprint ("# Decisions Log — Sprint M2-S5: Naming")', () => {
  const markdown = log('sprint-m2-s5.md');
  const parsed = parseCaseMarkdown(markdown);

  it('reads its decisions, numbered and not, with their sub-sections and Evidence lines as evidence', () => {
    expect(parsed.recognised).toBe('log');
    expect(parsed.warnings).toEqual([]);
    expect(parsed.title).toBe('Decisions Log — Sprint M2-S5: Naming');
    expect(names(parsed)).toEqual(['Sprint M2-S5']);
    expect(summary(parsed)).toEqual([
      [1, 0, 'Fix naming service auth before the rename', 'active'],
      // "## Decision: Skill content loading approach" has no number: it takes the next one.
      [2, 0, 'Skill content loading approach', 'active'],
      [3, 0, 'Keep the old name as an alias for one sprint', 'active'],
    ]);
    expect(parsed.decisions[0]?.text).toBe('Fix naming service auth before the rename\n\nWe will move the naming service to the shared identity provider first.\nThe rename waits until it is done.');
    expect(evidenceOf(parsed)).toEqual([
      ['1a', 'Two clients broke last sprint because each kept its own token cache.'],
      ['1b', '- Rename first, then fix auth: more moving parts at once.'],
      ['2a', 'Loading everything at start took 14 seconds in the prototype.'],
      ['3a', 'Three teams call the service by its old name in scripts.'],
    ]);
    // What comes before the first decision and after the last are the case's sections.
    expect(parsed.layout.sections.map((s) => s.heading)).toEqual(['Context', 'Open questions']);
    expect(parsed.layout.decisionsAt).toBe(1);
  });

  it('comes back byte for byte, and its normal form reads back as the same case', () => {
    expect(renderCaseMarkdown(snapshotOf(parsed))).toBe(markdown);
    const reread = parseCaseMarkdown(normal(parsed));
    expect(reread.warnings).toEqual([]);
    expect({ ...reread, layout: { ...reread.layout, source: null } }).toEqual({ ...parsed, layout: { ...parsed.layout, source: null } });
  });

  it('writes a decision changed in chat in the log\'s own layout, and one recorded in chat after the last', () => {
    const snapshot = snapshotOf(parsed);
    const i = snapshot.decisions.findIndex((d) => d.number === 2);
    snapshot.decisions[i] = { ...snapshot.decisions[i]!, text: 'Skills load their content at start\n\nThe content store is too slow on first use.' };
    snapshot.decisions.push(decision(4, 0, 'We will publish the rename date in the channel'));
    snapshot.evidence.push(evidence(1, 'c', 2, 'The identity team agreed the dates'));
    const out = renderCaseMarkdown(snapshot);
    expect(out).toContain('## Decision: Skills load their content at start\n\nThe content store is too slow on first use.\n\n### Evidence\n');
    expect(out).toContain('- Keep both token caches: the bug stays.\n\nEvidence 1c: The identity team agreed the dates\n\n## Decision: Skill');
    expect(out).toContain('Evidence 3a: Three teams call the service by its old name in scripts.\n\n## Decision 4: We will publish the rename date in the channel\n\n## Open questions\n');
    // Untouched parts stay byte for byte, two trailing spaces included.
    expect(out).toContain('shared identity provider first.  \nThe rename waits');
    const reread = parseCaseMarkdown(out);
    expect(summary(reread).map((d) => d[0])).toEqual([1, 2, 3, 4]);
    expect(reread.decisions[1]?.text).toBe('Skills load their content at start\n\nThe content store is too slow on first use.');
    expect(evidenceOf(reread)).toContainEqual(['1c', 'The identity team agreed the dates']);
  });
});

describe('a design-history page: front matter, "## Iteration N" and "**Decision:**" lines', () => {
  const markdown = log('iterations.md');
  const parsed = parseCaseMarkdown(markdown);

  it('takes its title from the front matter and reads each iteration as a sprint', () => {
    expect(parsed.recognised).toBe('log');
    expect(parsed.warnings).toEqual([]);
    expect(parsed.title).toBe('Design history for Apply for a permit');
    expect(parsed.layout.frontMatter).toEqual({ yaml: 'title: Design history for Apply for a permit\nlayout: design-history\ntags: [decisions]', title: true });
    // "Iteration 3" is Sprint 3, so `list sprint 3` finds it; chat calls it by its own name.
    expect(parsed.sprints.map((s) => s.number)).toEqual([3, 4]);
    expect(names(parsed)).toEqual(['Iteration 3', 'Iteration 4']);
    expect(parsed.sprints[0]?.intro).toBe('We tested with six applicants in the library.');
    expect(summary(parsed)).toEqual([
      [1, 3, "We will ask for the permit type before the applicant's details.", 'active'],
      [2, 3, 'We will drop the optional phone number question.', 'active'],
      [3, 4, 'We will show the fee on the start page.', 'active'],
    ]);
    expect(evidenceOf(parsed)).toEqual([
      ['1a', 'Four of six applicants went back to change the type.'],
      ['3a', 'Two applicants left at the payment page when they saw the fee.'],
      ['3b', '"I would not have started if I\'d known it cost that much."'],
    ]);
  });

  it('comes back byte for byte; a new title is written into the front matter, the rest left as it was', () => {
    expect(renderCaseMarkdown(snapshotOf(parsed))).toBe(markdown);
    const snapshot = snapshotOf(parsed);
    snapshot.case.title = 'Apply for a permit: "design history"';
    snapshot.decisions.push(decision(4, 4, 'We will test the fee wording next'));
    const out = renderCaseMarkdown(snapshot);
    expect(out.startsWith('---\ntitle: "Apply for a permit: \\"design history\\""\nlayout: design-history\ntags: [decisions]\n---\n\nNotes from each iteration')).toBe(true);
    expect(out).not.toContain('# Apply');
    // Recorded in chat: written as the page writes decisions, without a number, since it comes next.
    expect(out.endsWith('"I would not have started if I\'d known it cost that much."\n\n**Decision:** We will test the fee wording next\n')).toBe(true);
    const reread = parseCaseMarkdown(out);
    expect(reread.title).toBe('Apply for a permit: "design history"');
    expect(summary(reread).at(-1)).toEqual([4, 4, 'We will test the fee wording next', 'active']);
  });
});

describe('a log that numbers its decisions again in each "## Beta N"', () => {
  const markdown = log('beta-log.md');
  const parsed = parseCaseMarkdown(markdown);

  it('gives the second "Decision 1" the next number, says so, and keeps what the log calls it', () => {
    expect(parsed.warnings).toEqual([]);
    expect(names(parsed)).toEqual(['Beta 1', 'Beta 2']);
    expect(summary(parsed)).toEqual([
      [1, 0, 'Send reminders by text message', 'active'],
      [2, 0, 'Keep paper applications open', 'withdrawn'],
      [3, 1, "Publish the service's performance data weekly", 'active'],
    ]);
    expect(parsed.decisions[1]?.statusReason).toBe('legal advice says paper must stay for now');
    expect(evidenceOf(parsed)).toEqual([['1a', '71% of applicants gave a mobile number.'], ['1b', 'Email open rate was 18% in private beta.'], ['3a', 'The service assessment asked for it.']]);
    expect(parsed.notes).toEqual(['Line 19: Decision 1 comes after Decision 2, so it is Decision 3 in this case; the log still says Decision 1.']);
    expect(renderCaseMarkdown(snapshotOf(parsed))).toBe(markdown);
  });

  it('writes a change to the renumbered decision under the number the log gave it', () => {
    const snapshot = snapshotOf(parsed);
    snapshot.decisions[2] = { ...snapshot.decisions[2]!, status: 'superseded', supersededBy: 4 };
    snapshot.decisions.push(decision(4, 1, 'Publish it monthly'));
    snapshot.evidence.push(evidence(3, 'b', 1, 'Weekly was too often for the data team'));
    const out = renderCaseMarkdown(snapshot);
    expect(out).toContain("## Beta 2\n\n### Decision 1: Publish the service's performance data weekly\n\n_Superseded by Decision 4_\n\nEvidence 1a: The service assessment asked for it.\n\nEvidence 1b: Weekly was too often for the data team\n\n### Decision 4: Publish it monthly\n");
    const reread = parseCaseMarkdown(out);
    expect(summary(reread)).toEqual([...summary(parsed).slice(0, 2), [3, 1, "Publish the service's performance data weekly", 'superseded'], [4, 1, 'Publish it monthly', 'active']]);
  });
});

describe('what a log cannot place, and documents with no decisions', () => {
  it('keeps a heading between decisions as text, with a warning; strict refuses it', () => {
    const markdown = doc('# Log', '', '## Sprint 4', '', '### Decision 1: Go', '', '## Notes', '', 'Later', '', '### Decision 2: Stay');
    const parsed = parseCaseMarkdown(markdown);
    expect(parsed.recognised).toBe('log');
    expect(parsed.warnings.map((w) => w.message)).toEqual(['Line 7: The heading “Notes” is between the decisions, where only sprint and decision headings start something new; kept as text of Decision 1.']);
    expect(parsed.decisions.map((d) => d.number)).toEqual([1, 2]);
    expect(renderCaseMarkdown(snapshotOf(parsed))).toBe(markdown);
    expect(() => parseCaseMarkdown(markdown, { strict: true })).toThrow(new MarkdownFormatError(7, 'The heading “Notes” is between the decisions, where only sprint and decision headings start something new.'));
  });

  it('puts decisions no sprint heading holds in one "Imported" sprint', () => {
    const parsed = parseCaseMarkdown(doc('# Architecture notes', '', '## Decision 7: Use one database', '', 'Postgres, managed.'));
    expect(names(parsed)).toEqual(['Imported']);
    expect(summary(parsed)).toEqual([[7, 0, 'Use one database', 'active']]);
  });

  it('says which heading speaks of decisions when it finds none', () => {
    const parsed = parseCaseMarkdown(doc('# Decisions Log', '', '## 2024-05-01 Use Postgres', '', 'We chose it.'));
    expect(parsed.decisions).toEqual([]);
    expect(parsed.decisionsMentioned).toEqual({ line: 1, text: '# Decisions Log' });
    // The Sprint N layout with empty sprints (a template) is a layout found: nothing to say.
    expect(parsed.recognised).toBe('sections');
    expect(parseCaseMarkdown(doc('## Key decisions', '', '### Sprint 0')).decisionsMentioned).toBeNull();
  });

  it('brings in a page of front matter and HTML with no Markdown heading as one block, with a warning', () => {
    const markdown = '---\ntitle: Service map\nlayout: page\n---\n<div class="map">\n  {% include map.html %}\n</div>\n';
    const parsed = parseCaseMarkdown(markdown);
    expect(parsed.recognised).toBe('page');
    expect(parsed.title).toBe('Service map');
    expect(parsed.layout.preamble).toBe('<div class="map">\n  {% include map.html %}\n</div>');
    expect(parsed.warnings.map((w) => w.message)).toEqual(['Line 5: The page has no Markdown heading (a line such as “# Title”), so it is kept whole, as one block of text before any section.']);
    expect(renderCaseMarkdown(snapshotOf(parsed))).toBe(markdown);
  });

  it('keeps front matter byte for byte over a document with its own # title', () => {
    const markdown = '---\r\ntitle: Not this one  \r\ndate: 2024-01-01\r\n---\r\n\r\n# Business case\r\n\r\n## Benefits\r\n\r\nFewer calls.\r\n';
    const parsed = parseCaseMarkdown(markdown);
    expect(parsed.title).toBe('Business case');
    expect(parsed.layout.frontMatter?.title).toBe(false);
    expect(renderCaseMarkdown(snapshotOf(parsed))).toBe(markdown);
  });
});
