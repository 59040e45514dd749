/** The business case itself: its outline, one section's text, its title and its template. */
import type { CaseDraft } from '../case-draft';
import { count, gist } from '../format';
import { checkText, notAFit } from '../grammar';
import { closeOpenFence, readSprintHeading } from '../markdown';
import type { Section } from '../model';
import { isEmptySection, sectionPrompt, templateSections, TEMPLATES, TO_BE_WRITTEN } from '../templates';
import { said } from '../said';
import { error, notice, touch, warnCitations, type Handlers, type Kit } from './kit';
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
 * Written sections a new template lacks go back under the parent they had ("Benefits"
 * under "Strategic Case"), after that parent's own subsections; with no such parent in
 * the new template, at the end as a top-level section, so none looks like part of the
 * section before it.
 */
function placeKept(sections: Section[], kept: Section[], old: Section[]): Section[] {
  const out = [...sections];
  const top = Math.min(...sections.map((s) => s.level), 2);
  for (const k of kept) {
    const at = old.indexOf(k);
    const parent = old.slice(0, at).reverse().find((s) => s.level < k.level);
    const p = parent ? out.findIndex((s) => s.heading.toLowerCase() === parent.heading.toLowerCase() && s.level === parent.level) : -1;
    if (!parent || p < 0) {
      out.push({ ...k, level: top });
      continue;
    }
    let end = p + 1;
    while (end < out.length && (out[end] as Section).level > parent.level) end += 1;
    out.splice(end, 0, k);
  }
  return out;
}

export function caseDocumentHandlers(kit: Kit): Pick<Handlers, 'case' | 'case section' | 'case title' | 'case template'> {
  const change = (draft: CaseDraft, actor: { id: string; name: string }, rest: Omit<Parameters<CaseDraft['addChange']>[0], 'id' | 'actor' | 'at'>) =>
    draft.addChange({ id: kit.deps.newId(), actor, at: kit.nowIso(), ...rest });

  return {
    async case(ctx) {
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
    },

    async 'case section'(ctx, { text, typed }) {
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
        change(draft, ctx.actor, {
          description: `rewrote the ${heading} section`, undo: [{ op: 'putSection', heading, body: before }],
          touches: [touch.section(heading)], subject: { kind: 'section', heading },
        });
        // What changed, in the channel: the new text, shortened at a word (links kept whole).
        const excerpt = shorten(markdown.replace(/\s+/g, ' ').trim(), SECTION_EXCERPT);
        return warnCitations(notice(said`${ctx.actor} ${isEmptySection(before) ? 'wrote' : 'rewrote'} the ${heading} section of the case: “${excerpt}”`), draft, [markdown]);
      });
    },

    async 'case title'(ctx, { text: title }) {
      const problem = checkText(title, 'A title', 200);
      if (problem) return error(problem, 'text');
      // "# Sprint 4" opens the decisions part of the document, so export could not be read back.
      if (readSprintHeading(title)) return error('A case title cannot start with "Sprint" and a number: the document would read it as a sprint. Try another wording.', 'text');
      return kit.write(ctx, (draft) => {
        const before = draft.case.title;
        draft.setCase({ title });
        change(draft, ctx.actor, { description: 'renamed the case', undo: [{ op: 'putCase', fields: { title: before } }], touches: [touch.caseField('title')] });
        return notice(said`${ctx.actor} renamed the case: ${title}`);
      });
    },

    async 'case template'(ctx, { template }) {
      return kit.write(ctx, (draft) => {
        const c = draft.case;
        if (c.template === template) return error(`This case already uses the ${TEMPLATES[template].label} template.`);
        // The new template's sections, keeping the text of any section both share and every written section the new one lacks.
        const fresh = templateSections(template);
        const byHeading = new Map(c.layout.sections.map((s) => [s.heading.toLowerCase(), s]));
        const sections: Section[] = fresh.map((s) => {
          const old = byHeading.get(s.heading.toLowerCase());
          return old ? { ...s, body: old.body } : s;
        });
        const kept = c.layout.sections.filter((s) => !fresh.some((f) => f.heading.toLowerCase() === s.heading.toLowerCase()) && !isEmptySection(s.body));
        const all = placeKept(sections, kept, c.layout.sections);
        draft.setCase({ template, layout: { ...c.layout, sections: all, decisionsAt: all.length } });
        change(draft, ctx.actor, {
          description: `switched the case to the ${TEMPLATES[template].label} template`,
          undo: [{ op: 'putCase', fields: { template: c.template, layout: c.layout } }],
          touches: [touch.caseField('template'), touch.caseField('layout')],
        });
        return notice(said`${ctx.actor} switched the case to the ${TEMPLATES[template].label} template.${kept.length ? ` Kept ${kept.length} written section${kept.length === 1 ? '' : 's'} it does not have.` : ''}`);
      });
    },
  };
}
