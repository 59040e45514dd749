/** Renders core replies as plain terminal text. */
import { count, importedWords } from '../../src/core/format';
import { inlines } from '../../src/core/markdown/inline';
import type { DecisionView, PointView, Reply } from '../../src/core/views';
import type { DigestView, RetroPromptView } from '../../src/core/digest-views';
import type { AssessmentView } from '../../src/core/assessment-views';
import { withPhase } from '../../src/core/phases';

function points(ps: PointView[]): string {
  return ps.map((p) => `${p.number} (${p.title})`).join(', ');
}

function status(d: DecisionView): string {
  return d.statusLabel === null ? '' : ` [${d.statusLabel}]`;
}

function indent(text: string, pad: string): string {
  return text.split('\n').map((l, i) => (i === 0 ? l : pad + l)).join('\n');
}

export function decisionText(d: DecisionView, full: boolean): string {
  const lines = [`Decision ${d.number} (${withPhase(d.sprintHeading, d.phase)})${status(d)}: ${indent(d.text, '  ')}`];
  if (d.decidedBy) lines.push(`  Decided by ${d.decidedBy}`);
  if (d.points.length > 0) lines.push(`  Service Standard: ${points(d.points)}`);
  for (const e of d.evidence) lines.push(`  ${e.title}: ${indent(e.text, '    ')}${e.sourceUrl ? ` (source: ${e.sourceUrl})` : ''}${e.points.length > 0 ? ` [Service Standard ${e.points.map((p) => p.number).join(', ')}]` : ''}`);
  if (full) {
    lines.push(`  ${d.imported ? importedWords(d.when) : `Recorded by ${d.author.name}, ${d.when}`}${d.sourceUrl ? `, from ${d.sourceUrl}` : ''}`);
    for (const r of d.revisions) lines.push(`  Earlier wording (changed by ${r.editedBy.name}, ${r.when}): ${indent(r.text, '    ')}`);
  }
  return lines.join('\n');
}

export function digestText(d: DigestView): string {
  const out = [`Weekly digest${d.caseTitle ? `: ${d.caseTitle}` : ''} (${d.period})${d.phase ? `, ${d.phase}` : ''}`];
  if (d.quiet) out.push('A quiet week: nothing changed in the case.');
  for (const section of d.sections) out.push(`${section.title}:`, ...section.items.map((i) => `  - ${i}`));
  for (const p of d.phasesEnded) out.push(p.url ? `${p.label} has ended. Its assessment pack: ${p.url}` : `${p.label} has ended: \`assessment\` with its name gives its assessment pack.`);
  out.push(d.link.url ? `Read the whole case: ${d.link.url}` : 'Read the whole case with `export`.');
  if (d.timelineUrl) out.push(`The case over time: ${d.timelineUrl}`);
  if (d.published) out.push(`Published to GitHub: ${d.published.label}, ${d.published.url}`);
  return out.join('\n');
}

export function retroText(r: RetroPromptView): string {
  const out = [`Retro for ${r.sprint.heading}${r.caseTitle ? ` (${r.caseTitle})` : ''}`, r.question];
  if (r.decisions.length === 0) out.push('No decisions were recorded this sprint.');
  for (const d of r.decisions) out.push(`  Decision ${d.number}: ${d.text}${d.points.length > 0 ? ` [Service Standard ${d.points.map((p) => p.number).join(', ')}]` : ''}${d.evidence.length === 0 ? ' (no evidence yet)' : ''}`);
  if (r.proposals.length > 0) out.push('Awaiting a decision:', ...r.proposals.map((d) => `  Decision ${d.number}: ${d.text}`));
  return out.join('\n');
}

/** The pack in a few lines: the summary, each point's decisions, the gaps, the link. */
export function assessmentText(a: AssessmentView, url: string | null): string {
  const out = [a.summary];
  for (const p of a.points) {
    const ds = p.decisions.map((d) => `${d.number}${d.status === 'active' ? '' : ` (${d.status})`}`);
    out.push(`  ${String(p.number).padStart(2)}. ${p.title}: ${ds.length === 0 ? 'nothing yet' : `Decision${ds.length === 1 ? '' : 's'} ${ds.join(', ')}`}`);
  }
  if (a.untagged.length > 0) out.push(`No point yet: Decision${a.untagged.length === 1 ? '' : 's'} ${a.untagged.map((d) => d.number).join(', ')}`);
  if (a.proposals.length > 0) out.push(`Proposals, not decisions taken: ${a.proposals.map((d) => d.number).join(', ')}`);
  if (a.gaps.withoutEvidence.length > 0) out.push(`Without evidence: ${a.gaps.withoutEvidence.map((d) => d.number).join(', ')}`);
  for (const c of a.gaps.chains) out.push(`Superseded: ${c.links.map((l) => `Decision ${l.number}${l.status === null ? ' (not in this case)' : ''}`).join(' -> ')}`);
  for (const b of a.gaps.brokenCitations) out.push(`Points at nothing: (${b.citation}) in ${b.where}`);
  out.push(url ? `The whole pack: ${url}` : 'The whole pack as Markdown: `assessment export`.');
  return out.join('\n');
}

/** Markdown links as a terminal shows them: "label (url)". */
function terminalLinks(text: string): string {
  return inlines(text).map((p) => (p.kind === 'link' ? (p.label === p.url ? p.url : `${p.label} (${p.url})`) : p.kind === 'code' ? p.raw : p.text)).join('');
}

export function renderText(reply: Reply): string {
  // The export is the Markdown itself, byte for byte; everything else shows its links as a terminal can.
  const text = reply.kind === 'export' ? renderKind(reply) : terminalLinks(renderKind(reply));
  return reply.warning ? `${text}\n${reply.warning}` : text;
}

function renderKind(reply: Reply): string {
  switch (reply.kind) {
    case 'decision': {
      const head = reply.event === 'shown' ? '' : `${reply.summary}\n`;
      return head + decisionText(reply.decision, reply.event === 'shown');
    }
    case 'decisions':
      if (reply.decisions.length === 0) return reply.emptyText;
      return [
        reply.total > reply.decisions.length ? `${reply.heading} (${reply.decisions.length} of ${reply.total}):` : `${reply.heading}:`,
        ...reply.decisions.map((d) => decisionText(d, false)),
        ...(reply.next !== null ? [`Next: ${reply.next}`] : []),
      ].join('\n');
    case 'sprint':
    case 'notice':
    case 'share':
    case 'import':
      return reply.summary;
    case 'phases':
      return [reply.summary, ...reply.phases.map((p) => `  ${p.label}: ${p.span}, ${count(p.decisions, 'decision')}${p.current ? ' (now)' : ''}`)].join('\n');
    case 'assessment':
      return assessmentText(reply.assessment, reply.url);
    case 'case': {
      const lines = [`${reply.title ?? 'Business case'} (${reply.templateLabel})`];
      for (const s of reply.sections) lines.push(`${'  '.repeat(Math.max(0, s.level - 2))}- ${s.heading}${s.empty ? ` (to be written${s.prompt ? `: ${s.prompt}` : ''})` : ''}`);
      lines.push(`${count(reply.decisionCount, 'decision')}, ${count(reply.evidenceCount, 'piece of evidence', 'pieces of evidence')}, ${count(reply.sprintCount, 'sprint')}.`);
      return lines.join('\n');
    }
    case 'section':
      return `${reply.heading}\n${reply.empty ? `To be written.${reply.prompt ? ` ${reply.prompt}` : ''}` : reply.body}`;
    case 'digest':
      return digestText(reply.digest);
    case 'retro':
      return retroText(reply.retro);
    case 'export':
      return reply.markdown;
    case 'help':
      if (reply.topic) {
        const e = reply.entries[0];
        return e ? `${e.usage}\n${e.summary}\n${(e.details ?? []).map((x) => `  ${x}\n`).join('')}Examples:\n${e.examples.map((x) => `  ${x}`).join('\n')}` : reply.summary;
      }
      // A usage too long for the column gets its description on the next line, not run into it.
      return [...(reply.greeting ? [reply.summary] : []), 'Commands:', ...reply.entries.map((e) => (e.usage.length < 40 ? `  ${e.usage.padEnd(40)} ${e.summary}` : `  ${e.usage}\n  ${''.padEnd(40)} ${e.summary}`))].join('\n');
    case 'form':
      return 'Type the decision after the command, for example: We will publish weekly';
    case 'error':
      return `${reply.message}${reply.suggestion ? `\nDid you mean: ${reply.suggestion.split('\n')[0] ?? ''}` : ''}`;
  }
}
