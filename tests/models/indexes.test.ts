/** The indexes the MongoDB store relies on, read from the schemas (no server needed). */
import type { Schema } from 'mongoose';
import { SCHEMAS } from '../../models';

type IndexSpec = [Record<string, unknown>, Record<string, unknown>];

function indexes(name: keyof typeof SCHEMAS): IndexSpec[] {
  return SCHEMAS[name].indexes() as IndexSpec[];
}

function find(name: keyof typeof SCHEMAS, keys: string[]): IndexSpec | undefined {
  return indexes(name).find(([fields]) => JSON.stringify(Object.keys(fields)) === JSON.stringify(keys));
}

describe('unique keys that protect the invariants', () => {
  it('one case per place', () => {
    const spec = find('Case', ['place.platform', 'place.workspace', 'place.channel']);
    expect(spec?.[1]).toMatchObject({ unique: true });
  });

  it('one decision per (case, number)', () => {
    expect(find('Decision', ['caseId', 'number'])?.[1]).toMatchObject({ unique: true });
  });

  it('one evidence item per (decision, letter), leaving back-references (no letter) free', () => {
    const spec = find('Evidence', ['caseId', 'decision', 'letter']);
    expect(spec?.[1]).toMatchObject({ unique: true, partialFilterExpression: { letter: { $type: 'string' } } });
    expect(find('Evidence', ['caseId', 'decision', 'position'])?.[1]).toMatchObject({ unique: true });
  });

  it('one sprint per (case, number) and one conversation reference per place', () => {
    expect(find('Sprint', ['caseId', 'number'])?.[1]).toMatchObject({ unique: true });
    expect(find('ConversationRef', ['place.platform', 'place.workspace', 'place.channel'])?.[1]).toMatchObject({ unique: true });
  });

  it('one claim per key (case, kind, period), and one installation per key: both are the string _id', () => {
    expect(SCHEMAS.Claim.path('_id').instance).toBe('String');
    expect(SCHEMAS.Installation.path('_id').instance).toBe('String');
    expect(SCHEMAS.Counter.path('_id').instance).toBe('String');
  });
});

describe('indexes the queries need', () => {
  it('lists cases by creation time, decisions by sprint, and changes by actor and by time', () => {
    expect(find('Case', ['createdAt', '_id'])).toBeDefined();
    expect(find('Decision', ['caseId', 'sprint', 'number'])).toBeDefined();
    expect(find('Change', ['caseId', 'actor.id', 'at', 'order'])).toBeDefined();
    expect(find('Change', ['caseId', 'at', 'order'])).toBeDefined();
  });

  it('finds the changes of a case after a version (changesAfter, and the commit order of listChanges)', () => {
    expect(find('Change', ['caseId', 'version'])?.[1]).toMatchObject({ name: 'by_version' });
    expect(find('Change', ['caseId', 'version'])?.[1].unique).toBeUndefined();
  });

  it('names every index, so a change of options shows up as a conflict rather than a silent duplicate', () => {
    for (const name of Object.keys(SCHEMAS) as Array<keyof typeof SCHEMAS>) {
      for (const [, options] of indexes(name)) expect(typeof options.name).toBe('string');
    }
  });
});

describe('schema options', () => {
  it('every schema refuses unknown paths in writes and in filters, and carries a schema version', () => {
    for (const schema of Object.values(SCHEMAS) as unknown as Schema[]) {
      expect(schema.options.strict).toBe('throw');
      expect(schema.options.strictQuery).toBe('throw');
      expect(schema.path('schemaVersion')).toBeDefined();
    }
  });
});
