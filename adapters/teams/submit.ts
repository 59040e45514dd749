/**
 * What comes back from a card: Action.Submit's data merged with the card's inputs,
 * in `activity.value` (a message) or `value.data` (a task module). Untrusted: read
 * field by field.
 */

export type Submitted =
  /** `evidence`: the field as written; core takes each line as one piece. */
  /** `points`: the Service Standard points chosen, as Teams sends a multi-select ("1,5"); core reads and checks them. */
  | { action: 'record'; text: string; sprint?: number; evidence: string; decidedBy: string; points: string; sourceUrl: string | null }
  | { action: 'evidence'; decision: number | null; text: string }
  | { action: 'edit'; decision: number | null; text: string }
  /** `change`: the change the card announced; null on cards from before change ids. */
  | { action: 'undo'; change: string | null }
  | { action: 'openForm' }
  | { action: 'openEvidenceForm'; decision: number | null }
  | { action: 'run'; text: string };

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && /^\d{1,6}$/.test(v.trim())) return Number(v.trim());
  return null;
}

/** Only web links are kept as a source. */
export function sourceUrl(v: unknown): string | null {
  return typeof v === 'string' && v.length <= 2000 && /^https?:\/\/\S+$/i.test(v) ? v : null;
}

export function parseSubmit(value: unknown): Submitted | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  switch (v.action) {
    case 'record':
      return { action: 'record', text: str(v.text), sprint: num(v.sprint) ?? undefined, evidence: str(v.evidence), decidedBy: str(v.decidedBy), points: str(v.points).slice(0, 200), sourceUrl: sourceUrl(v.sourceUrl) };
    case 'evidence':
      return { action: 'evidence', decision: num(v.decision), text: str(v.evidenceText) };
    case 'edit':
      return { action: 'edit', decision: num(v.decision), text: str(v.editText) };
    case 'undo':
      return { action: 'undo', change: typeof v.change === 'string' && /^[\w-]{1,100}$/.test(v.change) ? v.change : null };
    case 'openForm':
      return { action: 'openForm' };
    case 'openEvidenceForm':
      return { action: 'openEvidenceForm', decision: num(v.decision) };
    case 'run':
      return typeof v.text === 'string' ? { action: 'run', text: v.text } : null;
    default:
      return null;
  }
}
