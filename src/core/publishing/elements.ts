/**
 * A case document as the parts people edit, keyed by what they are rather than where they
 * stand: the title, the introduction, each section by its heading, each sprint, decision
 * and piece of evidence by its number or label. Each part's value is its normal form (what
 * export writes for it, whatever the spelling), so two versions of a document can be
 * compared part by part, and a part is "changed" only when what it says changed.
 */
import { caseUnits, type CaseContent } from '../markdown/units';

export interface Element {
  /** In plain words, for messages: "the Benefits section", "Decision 3", "Evidence 3a". */
  label: string;
  /** The part in normal form. */
  text: string;
}

/** The elements of a case, in document order. */
export function elementsOf(content: CaseContent): Map<string, Element> {
  const out = new Map<string, Element>();
  const used = new Map<string, number>();
  // A heading or a label used twice is a second element, not the same one.
  const unique = (key: string): string => {
    const n = (used.get(key) ?? 0) + 1;
    used.set(key, n);
    return n === 1 ? key : `${key}#${n}`;
  };
  const evidenceAt = new Map(content.evidence.map((e) => [`${e.decision}:${e.position}`, e]));
  for (const unit of caseUnits(content)) {
    const [kind = '', a = '', b = ''] = unit.key.split(':');
    let key: string;
    let label: string;
    switch (kind) {
      case 'section': {
        const heading = content.layout.sections[Number(a)]?.heading ?? '';
        key = sectionKey(heading);
        label = `the ${heading} section`;
        break;
      }
      case 'sprint':
        key = unit.key;
        label = `the heading of Sprint ${a}`;
        break;
      case 'decision':
        key = unit.key;
        label = `Decision ${a}`;
        break;
      case 'evidence': {
        const e = evidenceAt.get(`${a}:${b}`);
        const tag = e?.letter ?? `^${e?.refersTo ?? b}`;
        key = `evidence:${a}:${tag}`;
        label = e?.letter ? `Evidence ${a}${e.letter}` : `the pointer to Evidence ${e?.refersTo ?? '?'} under Decision ${a}`;
        break;
      }
      case 'title':
        key = unit.key;
        label = 'the title';
        break;
      case 'preamble':
        key = unit.key;
        label = 'the text before the first section';
        break;
      default:
        key = unit.key;
        label = 'the key decisions heading';
    }
    out.set(unique(key), { label, text: unit.text });
  }
  return out;
}

export function sectionKey(heading: string): string {
  return `section:${heading.toLowerCase()}`;
}
