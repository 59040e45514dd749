/**
 * The case as canvas Markdown: made from the document view the case page uses, so it shows
 * the same parts in the same order; escaped so that nothing typed pings, mentions, makes a
 * heading, list item or link the bot did not write; within Slack's 1 MiB.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { importCase } from '../../../src/core/import';
import { caseDocumentView } from '../../../src/core/document-view';
import { CANVAS_MAX_BYTES, KEPT_BY_LINE, canvasMarkdown, escapeCanvasText } from '../../../src/core/canvas/markdown';
import type { CaseSnapshot, Decision, Place } from '../../../src/core/model';
import { newCase } from '../../../src/core/cases';
import { injectionCase, INJECTIONS } from '../../server/injections';
import { phaseName } from '../../helpers/arbitrary-cases';

const place: Place = { platform: 'slack', workspace: 'T1', channel: 'C1' };
const PAGE = 'https://decisions.example.org/cases/case-1?token=abc_DEF-123';
const md = new MarkdownIt({ html: false, linkify: false });

function fixtureCase(): CaseSnapshot {
  const text = fs.readFileSync(path.resolve(__dirname, '../../fixtures/pages/licence-case.md'), 'utf8');
  let n = 0;
  return importCase(text, { id: 'case-1', place, now: new Date('2026-11-26T10:00:00Z'), newId: () => `e${(n += 1)}` }).snapshot;
}

/** What a CommonMark reader makes of the canvas: its headings, its links, and its text. */
function read(markdown: string): { headings: string[]; links: string[]; text: string; lists: number } {
  const tokens = md.parse(markdown, {});
  const headings: string[] = [];
  const links: string[] = [];
  let text = '';
  let lists = 0;
  tokens.forEach((t, i) => {
    if (t.type === 'heading_open') headings.push(`${t.tag} ${(tokens[i + 1]?.children ?? []).map((c) => c.content).join('')}`);
    if (t.type === 'bullet_list_open' || t.type === 'ordered_list_open') lists += 1;
    const walk = (list: typeof tokens): void => {
      for (const c of list) {
        if (c.type === 'link_open') links.push(String(c.attrGet('href')));
        if (c.type === 'image') links.push(`image:${String(c.attrGet('src'))}`);
        if (c.type === 'text' || c.type === 'code_inline') text += c.content;
        if (c.children) walk(c.children);
      }
    };
    if (t.children) walk(t.children);
    if (t.type === 'fence' || t.type === 'code_block') text += t.content;
  });
  return { headings, links, text, lists };
}

/** No form Slack reads as a mention survives anywhere in the Markdown, escaped or not. */
function expectNoMentions(markdown: string): void {
  expect(markdown).not.toMatch(/<\\?[!@#]/);
  expect(markdown).not.toMatch(/@(?:channel|here|everyone)\b/i);
  expect(markdown).not.toMatch(/@U[A-Z0-9]/);
  expect(markdown).not.toMatch(/!\\?\[/);
}

describe('the case as canvas Markdown', () => {
  it('opens with who keeps it and how to change it, then the case as the page has it, each decision linked to its anchor', () => {
    const { markdown, title, cut } = canvasMarkdown(caseDocumentView(fixtureCase()), { page: PAGE });
    expect(cut).toBe(false);
    expect(title).toBe('[Prototype] Business case: Apply for a fishing licence');
    expect(markdown.split('\n')[0]).toBe(KEPT_BY_LINE);
    expect(KEPT_BY_LINE).toContain('`/decision`');
    const { headings, links } = read(markdown);
    const snap = fixtureCase();
    // The page's outline: the title, then every section, the key decisions part and each sprint, in the export's order.
    const { layout } = snap.case;
    const level = (n: number): string => (n <= 2 ? 'h2' : 'h3');
    expect(headings).toEqual([
      'h1 [Prototype] Business case: Apply for a fishing licence',
      ...layout.sections.slice(0, layout.decisionsAt).map((s) => `${level(s.level)} ${s.heading}`),
      'h2 Key decisions that shaped this',
      ...snap.sprints.map((s) => `h3 Sprint ${s.number}${s.suffix}`),
      ...layout.sections.slice(layout.decisionsAt).map((s) => `${level(s.level)} ${s.heading}`),
    ]);
    for (const d of snap.decisions) expect(links).toContain(`${PAGE}#decision-${d.number}`);
    expect(links[0]).toBe(PAGE);
    // Status and evidence, in the words of the page.
    expect(markdown).toContain('— Withdrawn: the paper form is a legal requirement');
    expect(markdown).toMatch(/- \*\*Evidence 0a:\*\* Two of five teams asked for it/);
  });

  it('names decisions without links when sharing is not set up', () => {
    const { markdown } = canvasMarkdown(caseDocumentView(fixtureCase()), { page: null });
    expect(read(markdown).links.filter((l) => l.includes('decisions.example.org'))).toEqual([]);
    expect(markdown).toContain('**Decision 0**');
  });

  it('keeps the formatting people typed, as canvas Markdown: lists, bold, links, quotes, code', () => {
    const base = fixtureCase();
    const d = base.decisions[0] as Decision;
    const snap = { ...base, decisions: [{ ...d, text: 'We will:\n\n- **ask once**\n- keep [the notes](https://example.org/notes)\n\n> a quote\n\n```\ncode <here>\n```' }, ...base.decisions.slice(1)] };
    const { markdown } = canvasMarkdown(caseDocumentView(snap), { page: null });
    expect(markdown).toContain('- **ask once**\n- keep [the notes](https://example.org/notes)\n\n> a quote\n\n```\ncode <here>\n```');
  });

  it('leaves every injection inert: no mention, no heading, list or link the bot did not write, no script', () => {
    const snap = injectionCase('case-i', place, '2026-11-26T10:00:00.000Z');
    const slack = ['<!channel>', '<!here|here>', '<!everyone>', '<!subteam^S123|@team>', '<@U0ANA>', '<#C0GENERAL|general>', '@channel @here @everyone', '![](@U123ABC)', '![](#C123ABC)', '# Heading', '## Decision 9', '- a list item', '1. numbered', '> quote', '[link](https://evil.example)', '| a |\n| - |'];
    const corpus = [...INJECTIONS, ...slack];
    const c = { ...snap.case, title: '<!channel> # Title @here', layout: { ...snap.case.layout, sections: snap.case.layout.sections.map((s, i) => ({ ...s, heading: corpus[i % corpus.length] ?? s.heading })) } };
    const decisions = corpus.map((text, i): Decision => ({ ...(snap.decisions[i % snap.decisions.length] as Decision), number: i, text, deciders: [corpus[(i + 3) % corpus.length] ?? ''], statusReason: corpus[(i + 1) % corpus.length] ?? null, author: { id: 'U9', name: corpus[(i + 2) % corpus.length] ?? '' } }));
    const evidence = snap.evidence.filter((e) => e.decision < decisions.length);
    const { markdown, title } = canvasMarkdown(caseDocumentView({ ...snap, case: c, decisions, evidence }), { page: PAGE });
    expectNoMentions(markdown);
    expectNoMentions(title);
    const { headings, links, text } = read(markdown);
    // Only the bot's headings: the title, one per section and sprint, the key decisions part, the phase Sprint 1 starts.
    expect(headings.length).toBe(1 + c.layout.sections.length + 1 + 3 + 1);
    expect(headings.filter((h) => /^h[456]/.test(h))).toEqual([]);
    // Links go only to the web: the case page, or a web link a person wrote.
    for (const l of links) expect(l).toMatch(/^https?:\/\//);
    expect(links.some((l) => /javascript|data:|vbscript|file:/i.test(l))).toBe(false);
    // What people typed is still there to read, as text.
    expect(text).toContain('<script>alert(1)</script>');
    expect(text).toContain('channel');
  });

  it('property: typed text shaped like structure or mentions never becomes either', () => {
    const piece = fc.constantFrom('#', '##', '- ', '* ', '1. ', '> ', '```', '|', '[', ']', '(', ')', '!', '<', '>', '@', '!channel', '@here', 'U123', '#C1', '\n', '\n\n', ' ', 'text', '_', '*', '`', '\\', '&amp;', ':', '---', '===', 'https://evil.example/x');
    const typed = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(''));
    fc.assert(fc.property(typed, typed, typed, (decisionText, sectionBody, evidenceText) => {
      const base = newCase({ id: 'case-p', place, now: '2026-11-26T10:00:00.000Z' });
      const sections = [{ level: 2, heading: 'Benefits', body: sectionBody }];
      const snap: CaseSnapshot = {
        case: { ...base, layout: { ...base.layout, sections, decisionsAt: 1 } },
        sprints: [{ number: 1, suffix: '', intro: '', startsOn: null }],
        decisions: [{ number: 0, sprint: 1, text: decisionText, author: { id: 'U1', name: 'Ana' }, createdAt: base.createdAt, updatedAt: base.createdAt, status: 'active', statusReason: null, supersededBy: null, sourceUrl: null, revisions: [], deciders: [], points: [] }],
        evidence: [{ id: 'e1', decision: 0, letter: 'a', refersTo: null, position: 0, text: evidenceText, author: { id: 'U1', name: 'Ana' }, createdAt: base.createdAt, sourceUrl: null, points: [] }],
      };
      const { markdown } = canvasMarkdown(caseDocumentView(snap), { page: PAGE });
      expectNoMentions(markdown);
      const { headings, links } = read(markdown);
      expect(headings).toEqual(['h1 Business case', 'h2 Benefits', 'h2 Key decisions that shaped this', 'h3 Sprint 1']);
      // A link comes only from the bot (the page) or from a web address typed whole, which stays a link as on every surface.
      for (const l of links) expect(l === PAGE || l === `${PAGE}#decision-0` || l === 'https://evil.example/x').toBe(true);
    }), { numRuns: 300 });
  });

  it('escapes text so a CommonMark reader gives back what was typed', () => {
    for (const s of ['a*b*c', '[x](y)', '<b>', 'under_score', '#1 fan', '| pipe |', 'back\\slash', '~~no~~', 'a & b']) {
      expect(md.renderInline(escapeCanvasText(s))).toBe(md.utils.escapeHtml(s));
    }
  });

  it('a case too big for a canvas stops at a decision, says so and links the page for the rest; small ones fit whole', () => {
    const base = newCase({ id: 'case-big', place, now: '2026-11-26T10:00:00.000Z' });
    const decisions: Decision[] = Array.from({ length: 5000 }, (_, n) => ({
      number: n, sprint: 1, text: `Decision text ${n} ${'word '.repeat(50)}`, author: { id: 'U1', name: 'Ana' }, createdAt: base.createdAt, updatedAt: base.createdAt,
      status: 'active', statusReason: null, supersededBy: null, sourceUrl: null, revisions: [], deciders: [], points: [],
    }));
    const snap: CaseSnapshot = { case: base, sprints: [{ number: 1, suffix: '', intro: '', startsOn: null }], decisions, evidence: [] };
    const view = caseDocumentView(snap);
    const big = canvasMarkdown(view, { page: PAGE });
    expect(big.cut).toBe(true);
    expect(Buffer.byteLength(big.markdown, 'utf8')).toBeLessThanOrEqual(CANVAS_MAX_BYTES);
    expect(Buffer.byteLength(big.markdown, 'utf8')).toBeGreaterThan(CANVAS_MAX_BYTES - 2_000);
    const last = /The rest, from Decision (\d+) on: it is on \[the case page\]\(([^)]+)\)/.exec(big.markdown);
    expect(last?.[2]).toBe(PAGE);
    const from = Number(last?.[1]);
    expect(big.markdown).toContain(`#decision-${from - 1})`);
    expect(big.markdown).not.toContain(`#decision-${from})`);
    // Without sharing it says how to get the whole case instead.
    const off = canvasMarkdown(view, { page: null }, 50_000);
    expect(off.cut).toBe(true);
    expect(Buffer.byteLength(off.markdown, 'utf8')).toBeLessThanOrEqual(50_000);
    expect(off.markdown).toMatch(/type `\/decision export` in the channel for the whole case/);
    expect(canvasMarkdown(view, { page: PAGE }, 100_000_000).cut).toBe(false);
  });
});

describe('phases and points of the Service Standard in the canvas', () => {
  const base = newCase({ id: 'case-ph', place, now: '2026-11-26T10:00:00.000Z' });
  const ana = { id: 'U1', name: 'Ana' };
  const decision = (number: number, sprint: number, points: number[] = []): Decision => ({
    number, sprint, text: `Decision text ${number}`, author: ana, createdAt: base.createdAt, updatedAt: base.createdAt,
    status: 'active', statusReason: null, supersededBy: null, sourceUrl: null, revisions: [], deciders: [], points,
  });
  function phased(alpha: string | null, beta: string | null, layout: Partial<CaseSnapshot['case']['layout']> = {}): CaseSnapshot {
    return {
      case: { ...base, layout: { ...base.layout, ...layout } },
      sprints: [
        { number: 0, suffix: '', intro: '', startsOn: null },
        { number: 1, suffix: '', intro: '', startsOn: null, phase: { kind: 'alpha', name: alpha } },
        { number: 2, suffix: '', intro: '', startsOn: null },
        { number: 3, suffix: '', intro: '', startsOn: null, phase: { kind: 'beta', name: beta } },
      ],
      decisions: [decision(0, 0), decision(1, 1, [1, 5]), decision(2, 3)],
      evidence: [{ id: 'e1', decision: 1, letter: 'a', refersTo: null, position: 0, text: 'Users asked', author: ana, createdAt: base.createdAt, sourceUrl: null, points: [14] }],
    };
  }

  it('heads each phase\'s sprints with the phase, by the name the team gave it, and a case without phases with none', () => {
    const { headings } = read(canvasMarkdown(caseDocumentView(phased(null, 'Private beta')), { page: PAGE }).markdown);
    const sections = base.layout.sections.map((s) => `${s.level <= 2 ? 'h2' : 'h3'} ${s.heading}`);
    expect(headings).toEqual(['h1 Business case', ...sections, 'h2 Key decisions that shaped this', 'h3 Sprint 0', 'h2 Alpha', 'h3 Sprint 1', 'h3 Sprint 2', 'h2 Private beta', 'h3 Sprint 3']);
    const none = { ...phased(null, null), sprints: phased(null, null).sprints.map(({ phase: _p, ...s }) => s) };
    expect(read(canvasMarkdown(caseDocumentView(none), { page: PAGE }).markdown).headings.slice(-4)).toEqual(['h3 Sprint 0', 'h3 Sprint 1', 'h3 Sprint 2', 'h3 Sprint 3']);
  });

  it('puts a phase above its sprints where the case\'s sprints are top-level headings', () => {
    const { headings } = read(canvasMarkdown(caseDocumentView(phased(null, null, { decisionsHeading: null, sprintLevel: 2, decisionsAt: 0 })), { page: null }).markdown);
    expect(headings.slice(1, 7)).toEqual(['h2 Sprint 0', 'h2 Alpha', 'h3 Sprint 1', 'h3 Sprint 2', 'h2 Beta', 'h3 Sprint 3']);
  });

  it('shows the points of a decision and of its evidence, with their titles, as the export words them', () => {
    const { markdown } = canvasMarkdown(caseDocumentView(phased(null, null)), { page: PAGE });
    const decision1 = markdown.slice(markdown.indexOf('Decision 1]'), markdown.indexOf('Decision 2]'));
    expect(decision1).toContain('\n\n*Service Standard: 1 (Understand users and their needs), 5 (Make sure everyone can use the service)*\n\n');
    expect(decision1).toMatch(/- \*\*Evidence 1a:\*\* Users asked\n\n {2}\*Service Standard: 14 \(Operate a reliable service\)\*/);
    // A decision with no points says nothing of them.
    expect(markdown.slice(markdown.indexOf('Decision 2]'))).not.toContain('Service Standard');
  });

  it('a phase named with a mention or a heading stays inert text under one heading of the bot\'s, even where the canvas is cut', () => {
    const hostile = ['<!channel> # Heading', '# Heading', '- item', '1. item', '@here @channel', '<@U0ANA> <#C0GEN|general>', '![](@U123ABC)', '## Beta\n# Not a heading', '> quote', '[link](https://evil.example)', 'Alpha #', '**bold** _x_', '\\', '===', '<!subteam^S1|@team>'];
    const names = fc.oneof(fc.constantFrom(...hostile), phaseName);
    fc.assert(fc.property(names, names, fc.integer({ min: 2_000, max: 6_000 }), (alpha, beta, maxBytes) => {
      const view = caseDocumentView(phased(alpha, beta));
      const { markdown } = canvasMarkdown(view, { page: PAGE });
      expectNoMentions(markdown);
      const { headings, links } = read(markdown);
      const typed = (name: string): string => `h2 ${name.replace(/\s+/g, ' ').trim()}`;
      expect(headings.slice(-6).map((h) => h.replace(/\u2060/g, ''))).toEqual(['h3 Sprint 0', typed(alpha), 'h3 Sprint 1', 'h3 Sprint 2', typed(beta), 'h3 Sprint 3']);
      for (const l of links) expect(l.startsWith(PAGE)).toBe(true);
      // Cut anywhere, the note naming where the rest starts is as inert.
      const cut = canvasMarkdown(view, { page: PAGE }, maxBytes);
      expectNoMentions(cut.markdown);
      expect(read(cut.markdown).headings.length).toBeLessThanOrEqual(headings.length);
    }), { numRuns: 300 });
  });
});
