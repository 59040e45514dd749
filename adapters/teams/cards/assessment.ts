/** The case's phases, and the assessment pack in chat: its summary, each point in a line, the gaps and the link. */
import type { ReplyOf } from '../../../src/core/views';
import { card, md, openUrl, rich, saidRuns, submit, text } from './elements';
import type { AdaptiveCard, Element } from './elements';
import { cut } from './escape';

/** Phase names are the team's words: shown as text runs, never as Markdown. */
export function phasesCard(reply: ReplyOf<'phases'>): AdaptiveCard {
  const rows = reply.phases.map((p) => rich([{ text: p.label, weight: 'Bolder' }, `: ${p.span}, ${p.decisions} decision${p.decisions === 1 ? '' : 's'}${p.current ? ' (now)' : ''}`], { spacing: 'None' }));
  return card([rich(saidRuns(reply.summary, reply.people)), ...rows], reply.undo ? [submit('Undo', { action: 'undo', change: reply.undo })] : []);
}

export function assessmentCard(reply: ReplyOf<'assessment'>): AdaptiveCard {
  const a = reply.assessment;
  const lines = a.points.map((p) => {
    const ds = p.decisions.map((d) => `${d.number}${d.status === 'active' ? '' : ` (${d.status})`}`);
    return rich([{ text: `${p.number}. ${cut(p.title, 60)}`, weight: 'Bolder' }, `: ${ds.length === 0 ? 'nothing yet' : `Decision${ds.length === 1 ? '' : 's'} ${ds.join(', ')}`}`], { spacing: 'None' });
  });
  const gaps: string[] = [];
  if (a.untagged.length > 0) gaps.push(`${a.untagged.length} with no point`);
  if (a.proposals.length > 0) gaps.push(`${a.proposals.length} proposal${a.proposals.length === 1 ? '' : 's'} listed apart`);
  if (a.gaps.withoutEvidence.length > 0) gaps.push(`${a.gaps.withoutEvidence.length} without evidence`);
  if (a.gaps.chains.length > 0) gaps.push(`${a.gaps.chains.length} superseded chain${a.gaps.chains.length === 1 ? '' : 's'}`);
  if (a.gaps.brokenCitations.length > 0) gaps.push(`${a.gaps.brokenCitations.length} citation${a.gaps.brokenCitations.length === 1 ? '' : 's'} pointing at nothing`);
  const body: Element[] = [
    text(`${a.scope.kind === 'case' ? 'Service assessment' : `${a.scope.label} assessment`}${a.caseTitle ? `: ${a.caseTitle}` : ''}`, { weight: 'Bolder', size: 'Medium' }),
    text(a.scope.sprints, { isSubtle: true, spacing: 'None' }),
    text(a.summary),
    ...lines,
  ];
  if (gaps.length > 0) body.push(text(`Decisions: ${gaps.join(' · ')}`, { isSubtle: true }));
  const exporting = `assessment export${a.scope.key ? ` ${a.scope.key}` : ''}`;
  if (!reply.url) body.push(md(`The whole pack as Markdown: \`${exporting}\`.`, { isSubtle: true }));
  return card(body, [...openUrl('Open the assessment pack', reply.url), submit('Get it as Markdown', { action: 'run', text: exporting })]);
}
