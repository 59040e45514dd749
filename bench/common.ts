/**
 * What every benchmark figure looks like, and the arithmetic they share.
 *
 * A figure is `{ name, value, baseline, ratio, target, met }`: `value` is ours, `baseline`
 * the same measure of the baseline taken in the same run on the same machine, `ratio` is
 * value / baseline, `target` says what the ratio must be, and `met` whether it is (null
 * where the issue sets no target: the figure is reported only).
 */
export interface Entry {
  name: string;
  value: number;
  baseline: number;
  ratio: number | null;
  target: string;
  met: boolean | null;
  unit?: string;
  note?: string;
}

export type Target = { kind: 'max'; ratio: number } | { kind: 'min'; ratio: number } | { kind: 'none' };

export const atMost = (ratio: number): Target => ({ kind: 'max', ratio });
export const atLeast = (ratio: number): Target => ({ kind: 'min', ratio });
export const reportOnly: Target = { kind: 'none' };

export function round(n: number, places = 2): number {
  const f = 10 ** places;
  return Math.round(n * f) / f;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] ?? Number.NaN : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The value at quantile q (0..1) of unsorted samples, nearest rank. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export function entry(name: string, value: number, baseline: number, target: Target, extra: { unit?: string; note?: string; places?: number } = {}): Entry {
  const ratio = baseline > 0 && Number.isFinite(value) ? value / baseline : null;
  let targetText = 'none (reported)';
  let met: boolean | null = null;
  if (target.kind === 'max') {
    targetText = `ratio <= ${target.ratio}`;
    met = ratio !== null && ratio <= target.ratio;
  } else if (target.kind === 'min') {
    targetText = `ratio >= ${target.ratio}`;
    met = ratio !== null && ratio >= target.ratio;
  }
  const places = extra.places ?? 2;
  return {
    name, value: round(value, places), baseline: round(baseline, places), ratio: ratio === null ? null : round(ratio, 3),
    target: targetText, met,
    ...(extra.unit ? { unit: extra.unit } : {}),
    ...(extra.note ? { note: extra.note } : {}),
  };
}

/** The figures as a fixed-width table, one line each. */
export function table(entries: Entry[]): string {
  const rows = [['name', 'value', 'baseline', 'ratio', 'target', 'met']];
  for (const e of entries) {
    const unit = e.unit ? ` ${e.unit}` : '';
    rows.push([e.name, `${e.value}${unit}`, `${e.baseline}${unit}`, e.ratio === null ? '-' : String(e.ratio), e.target, e.met === null ? '-' : e.met ? 'yes' : 'NO']);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ').trimEnd()).join('\n');
}
