/** The texts Teams reads as Markdown in a card: TextBlocks and facts (inputs and TextRuns are shown as typed). */
export function markdownTexts(card: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === 'TextBlock' && typeof o.text === 'string') out.push(o.text);
      if (o.type === 'FactSet') for (const f of o.facts as { title: string; value: string }[]) out.push(f.title, f.value);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}
