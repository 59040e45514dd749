/**
 * The assessment pack as Markdown (`assessment export`, `decisions assessment --out`): the
 * same view as the page, in the same order. A decision's text goes in a block quote and a
 * piece of evidence's in a list item, indented, so whatever Markdown a team wrote (headings,
 * a code fence left open) stays inside its own block and cannot break the pack around it.
 */
import type { AssessedDecision, AssessmentView } from './assessment-views';
import { closeOpenFence } from './markdown/escape';
import { pointList } from './service-standard';
import { withPhase } from './phases';
import type { TimelineView } from './timeline';

/** "pack-alpha.md"-style name for the file. */
export function assessmentFileName(view: AssessmentView, caseSlug: string): string {
  return `${caseSlug}-${view.scope.key ?? 'case'}-assessment.md`;
}

/** The pack's title: "Alpha assessment: Apply for a fishing licence". */
export function assessmentTitle(view: AssessmentView): string {
  const what = view.scope.kind === 'case' ? 'Service assessment' : `${view.scope.label} assessment`;
  return view.caseTitle ? `${what}: ${view.caseTitle}` : what;
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

function quoted(text: string): string {
  return closeOpenFence(text).split('\n').map((l) => (l === '' ? '>' : `> ${l}`)).join('\n');
}

function indented(text: string): string {
  return closeOpenFence(text).split('\n').map((l) => (l === '' ? '' : `  ${l}`)).join('\n');
}

/** One decision with its status, who, points and evidence. */
function decisionBlock(d: AssessedDecision, level: number): string {
  const facts = [
    `Status: ${d.statusLabel === null ? (d.status === 'active' ? 'active' : d.status) : oneLine(d.statusLabel)}.`,
    d.who ? `Who: ${oneLine(d.who)}.` : '',
    d.points.length > 0 ? `Service Standard points: ${pointList(d.points.map((p) => p.number))}.` : '',
  ].filter((x) => x !== '');
  const parts = [
    `${'#'.repeat(level)} Decision ${d.number} (${oneLine(withPhase(d.sprintHeading, d.phase))})`,
    d.text.trim() === '' ? '' : quoted(d.text),
    facts.join(' '),
  ];
  if (d.evidence.length === 0) parts.push('No evidence recorded.');
  else {
    parts.push(d.evidence.map((e) => {
      const points = e.points.length > 0 ? ` (Service Standard ${pointList(e.points.map((p) => p.number))})` : '';
      return `- **${oneLine(e.title)}**${points}${e.text.trim() === '' ? '' : `\n\n${indented(e.text)}`}`;
    }).join('\n\n'));
  }
  return parts.filter((p) => p !== '').join('\n\n');
}

function cell(text: string): string {
  return oneLine(text).replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
}

export function timelineTable(t: TimelineView): string {
  const rows = t.sprints.map((s) => `| ${cell(s.heading)} | ${cell(s.phase?.label ?? '')}${s.startsPhase ? ' (starts)' : ''} | ${s.decisionCount} | ${s.evidence} | ${s.decisions.withdrawn} | ${s.decisions.superseded} | ${s.decisions.proposed + s.decisions.rejected} |`);
  return ['| Sprint | Phase | Decisions | Evidence | Withdrawn | Superseded | Proposals |', '| --- | --- | ---: | ---: | ---: | ---: | ---: |', ...rows].join('\n');
}

export function renderAssessmentMarkdown(view: AssessmentView): string {
  const out: string[] = [
    `# ${oneLine(assessmentTitle(view))}`,
    oneLine(view.summary),
    `It covers ${view.scope.kind === 'case' ? 'the whole case' : oneLine(view.scope.label)}, ${view.scope.sprints}: ${view.decisionCount} decision${view.decisionCount === 1 ? '' : 's'} taken, with ${view.evidenceCount} piece${view.evidenceCount === 1 ? '' : 's'} of evidence.`,
    'What the team decided, point by point of the Service Standard, and what showed them.',
  ];
  for (const p of view.points) {
    out.push(`## ${p.number}. ${p.title}`);
    if (p.decisions.length === 0) out.push('No decision yet.');
    else if (!p.covered) out.push('No decision stands for this point: the only ones were withdrawn.');
    for (const d of p.decisions) out.push(decisionBlock(d, 3));
  }
  out.push('## Decisions with no point of the Service Standard');
  if (view.untagged.length === 0) out.push('None: every decision names a point.');
  for (const d of view.untagged) out.push(decisionBlock(d, 3));
  if (view.proposals.length > 0) {
    out.push('## Proposals, not decisions taken');
    for (const d of view.proposals) out.push(decisionBlock(d, 3));
  }
  out.push('## Gaps');
  out.push('### Points with no decision');
  out.push(view.uncovered.length === 0 ? 'None.' : view.uncovered.map((p) => `- ${p.number}. ${p.title}`).join('\n'));
  out.push('### Active decisions without evidence');
  out.push(view.gaps.withoutEvidence.length === 0 ? 'None.' : view.gaps.withoutEvidence.map((d) => `- Decision ${d.number} (${oneLine(d.sprintHeading)}): ${cell(firstLine(d.text))}`).join('\n'));
  out.push('### Superseded chains');
  out.push(view.gaps.chains.length === 0 ? 'None.' : view.gaps.chains.map((c) => `- ${c.links.map((l) => `Decision ${l.number} (${l.status ?? 'not in this case'})`).join(' → ')}`).join('\n'));
  out.push('### Citations that point at nothing');
  out.push(view.gaps.brokenCitations.length === 0 ? 'None.' : view.gaps.brokenCitations.map((b) => `- (${cell(b.citation)}) in ${cell(b.where)}`).join('\n'));
  out.push('## Timeline');
  out.push(oneLine(view.timeline.summary));
  if (view.timeline.sprints.length > 0) out.push(timelineTable(view.timeline));
  return `${out.join('\n\n')}\n`;
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return [...line].length > 200 ? `${[...line].slice(0, 199).join('')}…` : line;
}
