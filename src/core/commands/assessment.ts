/** The service assessment pack: `assessment [phase]` in chat, `assessment export [phase]` as Markdown. */
import { buildAssessment } from '../assessment';
import { assessmentFileName, renderAssessmentMarkdown } from '../assessment-markdown';
import { resolvePhase } from '../phases';
import { error, type Handlers, type Kit } from './kit';
import { slug } from './sharing';

export function assessmentHandlers(kit: Kit): Pick<Handlers, 'assessment' | 'assessment export'> {
  const { deps } = kit;
  /** The pack of the phase named, as the case stands; or why there is none. */
  async function pack(ctx: Parameters<Kit['read']>[0], phase: string | null) {
    const { draft, window } = await kit.read(ctx);
    const scope = resolvePhase(draft.sprintList(), window.number, phase);
    if ('problem' in scope) return { ok: false, problem: scope.problem } as const;
    const view = buildAssessment(draft.snapshot(), scope);
    const c = draft.case;
    const key = scope.kind === 'phase' ? scope.key : null;
    const exists = draft.readVersion !== null;
    return { ok: true, view, c, page: exists ? deps.assessmentUrl?.(c, key, 'page') ?? null : null, file: exists ? deps.assessmentUrl?.(c, key, 'markdown') ?? null : null } as const;
  }

  return {
    async assessment(ctx, { phase }) {
      const p = await pack(ctx, phase);
      if (!p.ok) return error(p.problem);
      return { kind: 'assessment', visibility: 'caller', caseId: p.c.id, assessment: p.view, url: p.page, summary: p.view.summary };
    },

    async 'assessment export'(ctx, { phase }) {
      const p = await pack(ctx, phase);
      if (!p.ok) return error(p.problem);
      const markdown = renderAssessmentMarkdown(p.view);
      const what = p.view.scope.kind === 'case' ? 'the assessment pack' : `the ${p.view.scope.label} assessment pack`;
      const filename = assessmentFileName(p.view, slug(p.c.title ?? 'business-case'));
      return {
        kind: 'export', visibility: 'caller', caseId: p.c.id, markdown, filename,
        url: p.file, files: [{ name: filename, markdown, url: p.file }], describes: what, summary: `${what[0]?.toUpperCase() ?? ''}${what.slice(1)} as Markdown: ${p.view.summary}`,
      };
    },
  };
}
