/** The business case itself: its outline, one section's text, its title and its template. */
import type { CaseDraft } from '../case-draft';
import { count, gist } from '../format';
import { checkText, notAFit } from '../grammar';
import { closeOpenFence, readSprintHeading } from '../markdown';
import type { DocumentLayout, Section, SourceForm, TemplateName } from '../model';
import { isEmptySection, sectionPrompt, templateSections, TEMPLATES, TO_BE_WRITTEN } from '../templates';
import { said } from '../said';
import { error, notice, touch, warnCitations, type Handler, type Handlers, type Kit } from './kit';
import { shorten } from '../markdown/inline';

/** How much of a rewritten section the channel is shown. */
const SECTION_EXCERPT = 200;

/** The section a `case <section> <markdown>` command names: the longest heading it starts with. */
function matchSection(draft: CaseDraft, text: string): { index: number; rest: string } | null {
  const lower = text.toLowerCase();
  let best: { index: number; rest: string; len: number } | null = null;
  draft.case.layout.sections.forEach((s, index) => {
    const h = s.heading.toLowerCase();
    if (lower.startsWith(h) && (lower.length === h.length || /[\s:]/.test(lower[h.length] ?? ''))) {
      if (!best || h.length > best.len) best = { index, rest: text.slice(h.length).replace(/^:?[ \t]*\n?/, ''), len: h.length };
    }
  });
  return best;
}

/**
 * Sections a new template lacks go back under the parent they had ("Benefits" under
 * "Strategic Case"), after that parent's own subsections. One with no such parent goes
 * back before the section that followed it (an "Executive Summary" before the "Strategic
 * Case"), else at the end, at the top level, so none looks like part of the section before it.
 */
function placeKept(sections: Section[], kept: Section[], old: Section[]): Section[] {
  const out = [...sections];
  const top = Math.min(...sections.map((s) => s.level), 2);
  const sameAs = (a: Section) => (b: Section) => b === a || (b.heading.toLowerCase() === a.heading.toLowerCase() && b.level === a.level);
  for (const k of kept) {
    const at = old.indexOf(k);
    const parent = old.slice(0, at).reverse().find((s) => s.level < k.level);
    const p = parent ? out.findIndex(sameAs(parent)) : -1;
    if (!parent || p < 0) {
      // The section itself when its level is already right, so its spelling in the document follows it.
      const placed = k.level === top ? k : { ...k, level: top };
      const follower = old.slice(at + 1).find((s) => s.level <= k.level && out.some(sameAs(s)));
      const before = follower ? out.findIndex(sameAs(follower)) : -1;
      out.splice(before < 0 ? out.length : before, 0, placed);
      continue;
    }
    let end = p + 1;
    while (end < out.length && (out[end] as Section).level > parent.level) end += 1;
    out.splice(end, 0, k);
  }
  return out;
}

/**
 * A section the case holds only because its template put it there: the old template's own
 * heading with the text a new case starts it with, in a case begun in chat. Switching
 * template drops only these; a section of an imported document is the team's, and any
 * other text is someone's writing, so both stay.
 */
function templateLeftover(s: Section, layout: DocumentLayout, from: TemplateName): boolean {
  if (layout.source || layout.files) return false;
  return templateSections(from).some((t) => t.heading.toLowerCase() === s.heading.toLowerCase() && t.level === s.level && t.body === s.body);
}

/**
 * The layout under a new template: its sections in its order, each one the case already has
 * kept exactly as it is (heading, level, text), the rest new and "To be written."; every
 * other section kept under the parent it had (templateLeftover aside); sections after the
 * key decisions stay there. The imported document's own spelling follows each section to
 * its new place, so every section not added is written back byte for byte.
 */
export function switchTemplate(layout: DocumentLayout, from: TemplateName, to: TemplateName): { layout: DocumentLayout; kept: number } {
  const at = Math.min(Math.max(layout.decisionsAt, 0), layout.sections.length);
  const before = layout.sections.slice(0, at);
  const after = layout.sections.slice(at);
  const same = (a: Section, b: { heading: string }) => a.heading.trim().toLowerCase() === b.heading.trim().toLowerCase();
  const fresh = templateSections(to).filter((t) => !after.some((s) => same(s, t)));
  const used = new Set<Section>();
  const ordered = fresh.map((t) => {
    const old = before.find((s) => !used.has(s) && same(s, t));
    if (!old) return t;
    used.add(old);
    return old;
  });
  const kept = before.filter((s) => !used.has(s) && !templateLeftover(s, layout, from));
  const head = placeKept(ordered, kept, before);
  const sections = [...head, ...after];
  // Old index -> new index, for every section carried over as it was.
  const moved = new Map<number, number>();
  layout.sections.forEach((s, i) => {
    const j = sections.indexOf(s);
    if (j >= 0) moved.set(i, j);
  });
  const next: DocumentLayout = { ...layout, sections, decisionsAt: head.length };
  if (layout.source) next.source = moveSections(layout.source, (i) => moved.get(i));
  // Two files: the business case's sections are numbered from 0 in its file; those after the
  // key decisions, in theirs, from the first one after them, which stays where it was.
  if (layout.files) next.files = { ...layout.files, case: { ...layout.files.case, source: layout.files.case.source && moveSections(layout.files.case.source, (i) => (i < at ? moved.get(i) : undefined)) } };
  return { layout: next, kept: kept.length };
}

/** The source form with each section's part under its section's new index; parts of sections gone are dropped. */
function moveSections(source: SourceForm, to: (index: number) => number | undefined): SourceForm {
  const parts = source.parts.flatMap((p) => {
    const m = /^section:(\d+)$/.exec(p.key);
    if (!m) return [p];
    const j = to(Number(m[1]));
    return j === undefined ? [] : [{ ...p, key: `section:${j}` }];
  });
  return { ...source, parts };
}

/** Adds a change by `actor`, now. */
function change(kit: Kit, draft: CaseDraft, actor: { id: string; name: string }, rest: Omit<Parameters<CaseDraft['addChange']>[0], 'id' | 'actor' | 'at'>): void {
  draft.addChange({ id: kit.deps.newId(), actor, at: kit.nowIso(), ...rest });
}

function showCase(kit: Kit): Handler<'case'> {
  return async (ctx) => {
    const { draft } = await kit.read(ctx);
    const c = draft.case;
    const sections = c.layout.sections.map((s, i) => {
      const next = c.layout.sections[i + 1];
      const parent = next !== undefined && next.level > s.level && s.body.trim() === '';
      const empty = !parent && isEmptySection(s.body);
      return { heading: s.heading, level: s.level, empty, prompt: empty ? sectionPrompt(c.template, s.heading) : null };
    });
    const emptyCount = sections.filter((s) => s.empty).length;
    const decisionCount = draft.decisionList().length;
    const evidenceCount = draft.evidenceList().length;
    return {
      kind: 'case', visibility: 'caller', caseId: c.id, title: c.title, template: c.template, templateLabel: TEMPLATES[c.template].label,
      sections, decisionCount, evidenceCount, sprintCount: draft.sprintList().length,
      summary: `${c.title ?? 'Business case'}: ${count(sections.length, 'section')}, ${emptyCount} still to be written; ${count(decisionCount, 'decision')}, ${count(evidenceCount, 'piece of evidence', 'pieces of evidence')}.`,
    };
  };
}

function rewriteSection(kit: Kit): Handler<'case section'> {
  return async (ctx, { text, typed }) => {
    const { draft: peek } = await kit.read(ctx);
    const found = matchSection(peek, text);
    if (!found) {
      const names = peek.case.layout.sections.map((s) => s.heading);
      // The section meant is the one sharing the most words with the start of the text.
      const words = text.toLowerCase().split(/\s+/).slice(0, 6);
      const score = (n: string) => n.toLowerCase().split(/\s+/).filter((w) => w.length > 2 && words.includes(w)).length;
      const near = [...names].sort((a, b) => score(b) - score(a))[0];
      const suggestion = near !== undefined && score(near) > 0 ? near : null;
      // No section fits: the grammar's one rule says whether this was a sentence to record ("Case workers will …").
      const refused = notAFit(typed ?? `case ${text}`,
        `No section of this case is called "${gist(text.split('\n')[0] ?? '', 40)}" or starts that way. Its sections: ${names.join(', ') || 'none'}.`,
        suggestion ? `case ${suggestion}` : null);
      return error(refused.message, null, refused.suggestion);
    }
    // A code fence left open would run into the next section: close it, as export would.
    const markdown = closeOpenFence(found.rest.trim());
    if (markdown === '') {
      const c = peek.case;
      const section = c.layout.sections[found.index] as Section;
      const empty = isEmptySection(section.body);
      return { kind: 'section', visibility: 'caller', caseId: c.id, heading: section.heading, body: section.body, empty, prompt: empty ? sectionPrompt(c.template, section.heading) : null, summary: `${section.heading}: ${empty ? TO_BE_WRITTEN : gist(section.body)}` };
    }
    const heading = (peek.case.layout.sections[found.index] as Section).heading;
    const problem = checkText(markdown, `The ${heading} section`);
    if (problem) return error(problem, 'text');
    return kit.write(ctx, (draft) => {
      // Found again by its heading on the state this write commits against.
      const { layout } = draft.case;
      const index = layout.sections.findIndex((s) => s.heading === heading);
      if (index < 0) return error(`The case has no ${heading} section any more. Nothing changed.`);
      const before = (layout.sections[index] as Section).body;
      draft.setCase({ layout: { ...layout, sections: layout.sections.map((s, i) => (i === index ? { ...s, body: markdown } : s)) } });
      change(kit, draft, ctx.actor, {
        description: `rewrote the ${heading} section`, undo: [{ op: 'putSection', heading, body: before }],
        touches: [touch.section(heading)], subject: { kind: 'section', heading },
      });
      // What changed, in the channel: the new text, shortened at a word (links kept whole).
      const excerpt = shorten(markdown.replace(/\s+/g, ' ').trim(), SECTION_EXCERPT);
      return warnCitations(notice(said`${ctx.actor} ${isEmptySection(before) ? 'wrote' : 'rewrote'} the ${heading} section of the case: “${excerpt}”`), draft, [markdown]);
    });
  };
}

function renameCase(kit: Kit): Handler<'case title'> {
  return async (ctx, { text: title }) => {
    const problem = checkText(title, 'A title', 200);
    if (problem) return error(problem, 'text');
    // "# Sprint 4" opens the decisions part of the document, so export could not be read back.
    if (readSprintHeading(title)) return error('A case title cannot start with "Sprint" and a number: the document would read it as a sprint. Try another wording.', 'text');
    return kit.write(ctx, (draft) => {
      const before = draft.case.title;
      draft.setCase({ title });
      change(kit, draft, ctx.actor, { description: 'renamed the case', undo: [{ op: 'putCase', fields: { title: before } }], touches: [touch.caseField('title')] });
      return notice(said`${ctx.actor} renamed the case: ${title}`);
    });
  };
}

function switchCaseTemplate(kit: Kit): Handler<'case template'> {
  return async (ctx, { template }) => {
    return kit.write(ctx, (draft) => {
      const c = draft.case;
      if (c.template === template) return error(`This case already uses the ${TEMPLATES[template].label} template.`);
      const { layout, kept } = switchTemplate(c.layout, c.template, template);
      draft.setCase({ template, layout });
      change(kit, draft, ctx.actor, {
        description: `switched the case to the ${TEMPLATES[template].label} template`,
        undo: [{ op: 'putCase', fields: { template: c.template, layout: c.layout } }],
        touches: [touch.caseField('template'), touch.caseField('layout')],
      });
      return notice(said`${ctx.actor} switched the case to the ${TEMPLATES[template].label} template.${kept > 0 ? ` Kept ${kept} section${kept === 1 ? '' : 's'} it does not have.` : ''}`);
    });
  };
}

export function caseDocumentHandlers(kit: Kit): Pick<Handlers, 'case' | 'case section' | 'case title' | 'case template'> {
  return { case: showCase(kit), 'case section': rewriteSection(kit), 'case title': renameCase(kit), 'case template': switchCaseTemplate(kit) };
}
