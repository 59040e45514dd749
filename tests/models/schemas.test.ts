/** The mongoose schemas, checked without a server: validation, casting, defaults. */
import mongoose, { type Connection } from 'mongoose';
import { registerModels, SCHEMA_VERSION, SCHEMA_VERSION_ID, type Models } from '../../models';
import { newCase } from '../../src/core/cases';

const NOW = '2025-03-03T09:00:00.000Z';
const author = { id: 'U1', name: 'Alice' };

let conn: Connection;
let m: Models;

beforeAll(() => {
  // A connection that never connects: models work on it without a server.
  conn = mongoose.createConnection();
  m = registerModels(conn);
});

afterAll(async () => {
  await conn.close();
});

/** The messages of a validation failure, by path; {} when valid. */
async function problems(doc: { validate(): Promise<unknown> }): Promise<Record<string, string>> {
  try {
    await doc.validate();
    return {};
  } catch (err) {
    if (!(err instanceof mongoose.Error.ValidationError)) throw err;
    return Object.fromEntries(Object.entries(err.errors).map(([path, e]) => [path, e.message]));
  }
}

function caseDoc(overrides: Record<string, unknown> = {}) {
  const c = newCase({ id: 'case-1', place: { platform: 'slack', workspace: 'T1', channel: 'C1' }, now: NOW });
  return {
    _id: c.id, place: c.place, title: c.title, template: c.template, timeZone: c.timeZone, sprintLength: c.sprintLength,
    layout: c.layout, schedule: c.schedule, shareVersion: c.shareVersion, createdAt: c.createdAt, updatedAt: c.updatedAt,
    ...overrides,
  };
}

function decisionDoc(overrides: Record<string, unknown> = {}) {
  return {
    caseId: 'case-1', number: 0, sprint: 1, text: 'We will drop the paper form', author, createdAt: NOW, updatedAt: NOW,
    status: 'active', statusReason: null, supersededBy: null, sourceUrl: null, revisions: [], ...overrides,
  };
}

function evidenceDoc(overrides: Record<string, unknown> = {}) {
  return {
    _id: 'ev-1', caseId: 'case-1', decision: 0, letter: 'a', refersTo: null, position: 0, text: 'Nobody used it',
    author, createdAt: NOW, sourceUrl: null, ...overrides,
  };
}

describe('models on a connection', () => {
  it('registers every model on the given connection, not the global one, once', () => {
    expect(Object.keys(conn.models).sort()).toEqual(
      ['Announcement', 'Case', 'Change', 'Claim', 'ConversationRef', 'Counter', 'Decision', 'Evidence', 'GitHubLink', 'Installation', 'Sprint'],
    );
    expect(mongoose.models.Case).toBeUndefined();
    expect(registerModels(conn).Case).toBe(m.Case);
    expect(conn.get('sanitizeFilter')).toBe(true);
  });

  it('uses fixed collection names', () => {
    expect(m.Case.collection.collectionName).toBe('cases');
    expect(m.Evidence.collection.collectionName).toBe('evidence');
    expect(m.ConversationRef.collection.collectionName).toBe('conversation_refs');
    expect(m.Claim.collection.collectionName).toBe('claims');
  });
});

describe('cases', () => {
  it('accepts a whole case and keeps nested layout as written', async () => {
    const doc = new m.Case(caseDoc({ title: null }));
    expect(await problems(doc)).toEqual({});
    expect(doc.title).toBeNull();
    expect(doc.toObject().layout).toEqual(caseDoc().layout);
  });

  it('stamps the schema version and has storage timestamps apart from the domain times', () => {
    const doc = new m.Case(caseDoc());
    expect(doc.schemaVersion).toBe(SCHEMA_VERSION);
    expect(m.Case.schema.path('insertedAt')).toBeDefined();
    expect(m.Case.schema.path('modifiedAt')).toBeDefined();
    expect(m.Case.schema.path('createdAt').instance).toBe('String');
  });

  it('refuses a missing place, an unknown platform or template, and a bad sprint length', async () => {
    expect(Object.keys(await problems(new m.Case(caseDoc({ place: undefined }))))).toContain('place');
    expect(Object.keys(await problems(new m.Case(caseDoc({ place: { platform: 'irc', workspace: 'T', channel: 'C' } })))))
      .toContain('place.platform');
    expect(Object.keys(await problems(new m.Case(caseDoc({ template: 'six-case' }))))).toContain('template');
    expect(Object.keys(await problems(new m.Case(caseDoc({ sprintLength: { count: 0, unit: 'weeks' } }))))).toContain('sprintLength.count');
    expect(Object.keys(await problems(new m.Case(caseDoc({ sprintLength: { count: 2, unit: 'months' } }))))).toContain('sprintLength.unit');
    expect(Object.keys(await problems(new m.Case(caseDoc({ shareVersion: 1.5 }))))).toContain('shareVersion');
  });

  it('refuses a field the schema does not know', () => {
    expect(() => new m.Case(caseDoc({ isAdmin: true }))).toThrow(/not in schema/);
  });

  it('carries a version, a whole number from 0, which a case from before versions lacks (0 by default)', async () => {
    const doc = new m.Case(caseDoc({ version: 4 }));
    expect(await problems(doc)).toEqual({});
    expect(doc.version).toBe(4);
    expect(new m.Case(caseDoc()).version).toBe(0);
    expect(Object.keys(await problems(new m.Case(caseDoc({ version: -1 }))))).toEqual(['version']);
    expect(Object.keys(await problems(new m.Case(caseDoc({ version: 1.5 }))))).toEqual(['version']);
  });

  it('has no write mark unless a commit without transactions puts one on (an ISO time)', async () => {
    expect(new m.Case(caseDoc()).writing).toBeNull();
    const marked = new m.Case(caseDoc({ version: 2, writing: '2025-03-03T09:00:30.000Z' }));
    expect(await problems(marked)).toEqual({});
    expect(marked.writing).toBe('2025-03-03T09:00:30.000Z');
  });
});

describe('sprints', () => {
  it('allow an empty suffix and intro, but not a missing one', async () => {
    expect(await problems(new m.Sprint({ caseId: 'c', number: 0, suffix: '', intro: '', startsOn: null }))).toEqual({});
    expect(Object.keys(await problems(new m.Sprint({ caseId: 'c', number: 0, intro: '' })))).toEqual(['suffix']);
    expect(Object.keys(await problems(new m.Sprint({ caseId: 'c', number: 0, suffix: null, intro: '' })))).toEqual(['suffix']);
  });
});

describe('decisions', () => {
  it('accept a decision with revisions', async () => {
    const doc = new m.Decision(decisionDoc({ revisions: [{ text: 'Earlier', editedBy: author, editedAt: NOW }] }));
    expect(await problems(doc)).toEqual({});
  });

  it('cast numbers given as text, and refuse what is not a whole number from 0', async () => {
    const cast = new m.Decision(decisionDoc({ number: '7', sprint: '2' }));
    expect(cast.number).toBe(7);
    expect(cast.sprint).toBe(2);
    expect(Object.keys(await problems(new m.Decision(decisionDoc({ number: -1 })))).sort()).toEqual(['number']);
    expect(Object.keys(await problems(new m.Decision(decisionDoc({ number: 1.5 })))).sort()).toEqual(['number']);
    expect(Object.keys(await problems(new m.Decision(decisionDoc({ number: 'seven' })))).sort()).toEqual(['number']);
  });

  it('refuse an unknown status and an author without an id', async () => {
    expect(Object.keys(await problems(new m.Decision(decisionDoc({ status: 'deleted' }))))).toEqual(['status']);
    expect(Object.keys(await problems(new m.Decision(decisionDoc({ author: { name: 'Alice' } }))))).toEqual(['author.id']);
  });

  it('refuse an object where text belongs: user text cannot smuggle in an operator', async () => {
    expect(Object.keys(await problems(new m.Decision(decisionDoc({ text: { $gt: '' } }))))).toEqual(['text']);
  });
});

describe('evidence', () => {
  it('accepts a lettered item and a back-reference without a letter', async () => {
    expect(await problems(new m.Evidence(evidenceDoc()))).toEqual({});
    expect(await problems(new m.Evidence(evidenceDoc({ letter: null, refersTo: '0a', text: 'See above' })))).toEqual({});
  });

  it('refuses a letter that is not lower-case letters', async () => {
    expect(Object.keys(await problems(new m.Evidence(evidenceDoc({ letter: 'A1' }))))).toEqual(['letter']);
  });
});

describe('changes, counters, installations, references and claims', () => {
  it('keep undo steps and a subject as plain data, and order changes by an ObjectId', async () => {
    const doc = new m.Change({
      _id: 'ch-1', caseId: 'case-1', actor: author, at: NOW, description: 'edited Decision 0',
      undo: [{ op: 'putCase', fields: { title: null } }], subject: { kind: 'section', heading: 'Benefits' }, undoneAt: null,
    });
    expect(await problems(doc)).toEqual({});
    expect(doc.toObject().undo).toEqual([{ op: 'putCase', fields: { title: null } }]);
    expect(doc.order).toBeInstanceOf(mongoose.Types.ObjectId);
    const next = new m.Change({ _id: 'ch-2', caseId: 'case-1', actor: author, at: NOW, description: 'x', undo: [] });
    expect(next.order.toHexString() > doc.order.toHexString()).toBe(true);
  });

  it('keep the version a change committed and the keys it touched; old changes read as version 0, no keys', async () => {
    const doc = new m.Change({
      _id: 'ch-3', caseId: 'case-1', actor: author, at: NOW, version: 7, touches: ['decision.3', 'evidence.ev-1'],
      description: 'x', undo: [{ op: 'putSection', heading: 'Benefits', body: 'Faster.' }],
    });
    expect(await problems(doc)).toEqual({});
    expect(doc.version).toBe(7);
    expect(doc.toObject().touches).toEqual(['decision.3', 'evidence.ev-1']);
    expect(doc.toObject().undo).toEqual([{ op: 'putSection', heading: 'Benefits', body: 'Faster.' }]);
    const old = new m.Change({ _id: 'ch-4', caseId: 'case-1', actor: author, at: NOW, description: 'x', undo: [] });
    expect(old.version).toBe(0);
    expect(old.toObject().touches).toEqual([]);
    expect(Object.keys(await problems(new m.Change({
      _id: 'ch-5', caseId: 'case-1', actor: author, at: NOW, version: -1, description: 'x', undo: [],
    })))).toEqual(['version']);
  });

  it('a claim starts at attempt 1 and is not done', async () => {
    const claim = new m.Claim({ _id: 'digest:case-1:2025-W10', owner: 'worker-a', claimedAt: NOW, leaseUntil: NOW });
    expect(await problems(claim)).toEqual({});
    expect(claim.attempts).toBe(1);
    expect(claim.doneAt).toBeNull();
  });

  it('a counter (now only the schema-version stamp) holds a whole number', async () => {
    expect(await problems(new m.Counter({ _id: SCHEMA_VERSION_ID, seq: SCHEMA_VERSION }))).toEqual({});
    expect(Object.keys(await problems(new m.Counter({ _id: SCHEMA_VERSION_ID, seq: -1 })))).toEqual(['seq']);
  });

  it('schema version 2: versions on cases and changes; decisions no longer carry an evidence-write counter', () => {
    expect(SCHEMA_VERSION).toBe(2);
    expect(m.Decision.schema.path('evidenceWrites')).toBeUndefined();
  });

  it('installations and references need their data', async () => {
    expect(await problems(new m.Installation({ _id: 'T1', data: '{}', updatedAt: NOW }))).toEqual({});
    expect(Object.keys(await problems(new m.Installation({ _id: 'T1', updatedAt: NOW })))).toEqual(['data']);
    const place = { platform: 'teams', workspace: 'tenant', channel: '19:abc@thread.tacv2' };
    expect(await problems(new m.ConversationRef({ place, reference: '{}', updatedAt: NOW }))).toEqual({});
  });
});
