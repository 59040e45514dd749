/**
 * A case of ADRs written back as its files: the folder's own page (when it had one), and one
 * ADR per decision under the path it was imported from. A decision recorded in chat becomes
 * a new ADR beside the last one before it, named, numbered and laid out the same way
 * ("0008-use-queues.md", or "0008-use-queues/index.md"; "# 8. Use queues"; a Date line if
 * most of the others have one). Each phase is said in one ADR (adr-phases.ts).
 */
import type { AdrRecord, CaseSnapshot, Decision } from '../model';
import { localDate } from '../sprints';
import { adrUnits, DATE_LINE, dirOf, splitTitle } from './adr';
import { adrPhases } from './adr-phases';
import type { CaseFile } from './render';
import { assemble } from './source-form';
import { caseUnits, type CaseContent } from './units';

function slug(title: string): string {
  const s = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50).replace(/-+$/, '');
  return s === '' ? 'decision' : s;
}

/** The ADR a new one is modelled on: the last before it, else the first. */
function modelFor(records: readonly AdrRecord[], number: number): AdrRecord | undefined {
  const before = records.filter((r) => r.decision < number);
  return before.length > 0 ? before.reduce((a, b) => (b.decision > a.decision ? b : a)) : records[0];
}

/** A record for a decision recorded in chat, shaped like `model`. */
function newRecord(d: Decision, model: AdrRecord | undefined, dated: boolean, timeZone: string, taken: Set<string>): Omit<AdrRecord, 'source'> {
  const date = localDate(new Date(d.createdAt), timeZone);
  const title = splitTitle(d.text).title;
  const bundle = model ? /(?:^|\/)index\.(?:md|markdown)$/i.test(model.path) : false;
  const dir = model ? (bundle ? dirOf(dirOf(model.path).replace(/\/$/, '')) : dirOf(model.path)) : '';
  const modelName = model ? (bundle ? dirOf(model.path).replace(/\/$/, '').split('/').pop() ?? '' : model.path.split('/').pop() ?? '') : '';
  const lead = /^\d+/.exec(modelName)?.[0] ?? '';
  const dateNamed = /^(?:19|20)\d{6}$/.test(lead);
  const number = dateNamed ? date.replace(/-/g, '') : String(d.number).padStart(Math.max(lead.length, model ? 0 : 4), '0');
  const stem = `${number}-${slug(title)}`;
  let path = bundle ? `${dir}${stem}/index.md` : `${dir}${stem}.md`;
  for (let i = 2; taken.has(path); i++) path = bundle ? `${dir}${stem}-${i}/index.md` : `${dir}${stem}-${i}.md`;
  taken.add(path);
  // "ADR 0007: " becomes "ADR 0008: ", "7. " becomes "8. ", with as many digits.
  const titlePrefix = (model?.titlePrefix ?? `${d.number}. `).replace(/\d+/, (digits) => String(d.number).padStart(digits.length, '0'));
  const level = model?.sections[0]?.level ?? 2;
  return {
    decision: d.number,
    path,
    frontMatter: null,
    titlePrefix,
    preamble: dated ? `Date: ${date}` : '',
    statusLine: null,
    deciders: { line: null, meant: [] },
    sections: [{ level, heading: 'Status', role: 'status', body: 'Accepted' }, { level, heading: 'Decision', role: 'decision', body: '' }],
    meant: { status: 'active', statusReason: null, supersededBy: null },
  };
}

export function renderAdrFiles(snapshot: CaseSnapshot, content: CaseContent): CaseFile[] {
  const adr = snapshot.case.layout.adr;
  if (!adr) return [];
  const files: CaseFile[] = [];
  if (adr.index) files.push({ name: adr.index.path, markdown: assemble(caseUnits(content, 'case-file'), adr.index.source) });
  const records = new Map(adr.records.map((r) => [r.decision, r]));
  const taken = new Set([...adr.records.map((r) => r.path), ...(adr.index ? [adr.index.path] : [])]);
  const decisions = [...snapshot.decisions].sort((a, b) => a.number - b.number);
  const written = new Map<number, Omit<AdrRecord, 'source'> & { source?: AdrRecord['source'] }>();
  // A Date line when most of the folder's ADRs have one.
  const dated = adr.records.filter((r) => DATE_LINE.test(r.preamble)).length * 2 > adr.records.length;
  for (const d of decisions) written.set(d.number, records.get(d.number) ?? newRecord(d, modelFor(adr.records, d.number), dated, snapshot.case.timeZone, taken));
  const { carriers } = adrPhases(snapshot.sprints, decisions, adr.records);
  for (const d of decisions) {
    const record = written.get(d.number) as AdrRecord;
    const evidence = snapshot.evidence.filter((e) => e.decision === d.number).sort((a, b) => a.position - b.position);
    const by = d.supersededBy === null ? undefined : snapshot.decisions.find((x) => x.number === d.supersededBy);
    const units = adrUnits({
      record, text: d.text, sourceUrl: d.sourceUrl, points: d.points, evidence, deciders: d.deciders, phase: carriers.get(d.number) ?? null,
      status: { status: d.status, statusReason: d.statusReason, supersededBy: d.supersededBy },
      replacedBy: d.supersededBy === null ? null : { number: d.supersededBy, path: written.get(d.supersededBy)?.path ?? null, title: by ? splitTitle(by.text).title : '' },
    });
    files.push({ name: record.path, markdown: assemble(units, record.source ?? null) });
  }
  return files;
}
