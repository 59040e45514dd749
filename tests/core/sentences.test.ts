/**
 * A typed decision is never silently taken for another command: the one rule (grammar.ts,
 * notAFit) over every command word, through the case service on a real SQLite store.
 */
import path from 'node:path';
import fc from 'fast-check';
import { openSqliteStore } from '../../src/store/sqlite';
import type { Store } from '../../src/store/store';
import { createCaseService } from '../../src/core/service';
import type { CaseService } from '../../src/core/service';
import { COMMAND_WORDS, closestCommand, parseCommand } from '../../src/core/grammar';
import type { Place } from '../../src/core/model';
import { fakeClock, sequentialIds } from '../helpers/fake-clock';
import { tempDir } from '../helpers/temp-dir';

const place: Place = { platform: 'console', workspace: 'local', channel: 'sentences' };
const ana = { id: 'U1', name: 'Ana' };
const HINT = 'To record it as a decision, start with `record`.';

/**
 * Ordinary words of a decision: no command word, no word a command takes (`all`, `start`,
 * `on`, …) or a near miss of one, no weekday, no section heading, no number.
 */
const WORDS = ['workers', 'will', 'use', 'the', 'paper', 'form', 'for', 'a', 'supplier', 'through', 'desk', 'people', 'service',
  'policy', 'council', 'prototype', 'weekly', 'content', 'design', 'clearer', 'language', 'guidance', 'claims', 'letters',
  'online', 'phone', 'calls', 'to', 'every', 'team', 'user', 'needs', 'first', 'plain', 'English', 'G-Cloud'];
// In lower case, a near miss of a command word after `help` is a typo ("help lsit"): not these.
const word = fc.constantFrom(...WORDS.filter((w) => closestCommand(w) === null));
const capital = (w: string): string => `${w[0]?.toUpperCase() ?? ''}${w.slice(1)}`;

let store: Store;
let service: CaseService;
let cleanup: () => void;

beforeAll(() => {
  const t = tempDir();
  cleanup = t.cleanup;
  store = openSqliteStore(path.join(t.dir, 'decisions.sqlite'));
  service = createCaseService({ store, clock: fakeClock('2026-11-26T10:00:00Z'), newId: sequentialIds() });
});

afterAll(async () => {
  await store.close();
  cleanup();
});

// `record` and `propose` take any words: the text they record.
const others = COMMAND_WORDS.filter((w) => w !== 'record' && w !== 'propose');

describe('a sentence that starts with a command word', () => {
  it('written as a sentence (a capital, five words or more) is never run as the command: the reply offers `record`', async () => {
    await fc.assert(fc.asyncProperty(fc.constantFrom(...others), fc.array(word, { minLength: 4, maxLength: 9 }), async (command, tail) => {
      const text = `${capital(command)} ${tail.join(' ')}`;
      const reply = await service.run({ place, actor: ana }, text);
      expect(reply).toMatchObject({ kind: 'error', suggestion: `record ${text}` });
      expect(reply.kind === 'error' && reply.message).toContain(HINT);
    }), { numRuns: 300 });
    // Nothing ran that writes: there is no case at all.
    expect(await store.listCases()).toEqual([]);
  });

  it('in lower case, three words or more that do not fit the command get the same reply; only `search` takes any words', async () => {
    await fc.assert(fc.asyncProperty(fc.constantFrom(...others), fc.array(word, { minLength: 2, maxLength: 9 }), async (command, tail) => {
      const text = `${command} ${tail.join(' ')}`;
      const reply = await service.run({ place, actor: ana }, text);
      if (command === 'search') {
        expect(parseCommand(text)).toEqual({ name: 'search', words: tail.join(' '), page: 1 });
        expect(reply.kind).toBe('decisions');
      } else {
        expect(reply).toMatchObject({ kind: 'error', suggestion: `record ${text}` });
      }
    }), { numRuns: 300 });
    expect(await store.listCases()).toEqual([]);
  });

  it.each([
    'Search for a supplier through G-Cloud 14',
    'Case workers will use the new claim form',
    'Help desk staff will answer calls in Welsh',
    'Sprint reviews will be on Tuesdays',
    'Publish more often than monthly',
    'Retro notes will be kept in the wiki',
  ])('%s: recorded only when asked, with the hint', async (text) => {
    const reply = await service.run({ place, actor: ana }, text);
    expect(reply).toMatchObject({ kind: 'error', suggestion: `record ${text}` });
    expect(reply.summary).toContain(HINT);
  });

  it('a command that fits stays that command', () => {
    expect(parseCommand('search paper form')).toEqual({ name: 'search', words: 'paper form', page: 1 });
    expect(parseCommand('Search paper form')).toEqual({ name: 'search', words: 'paper form', page: 1 });
    expect(parseCommand('Search paper form page 2')).toEqual({ name: 'search', words: 'paper form', page: 2 });
    expect(parseCommand('help evidence')).toEqual({ name: 'help', topic: 'evidence' });
    expect(parseCommand('help lsit')).toMatchObject({ name: 'error', suggestion: 'help list' });
    expect(parseCommand('Evidence 3 Readers stumbled on three undefined terms')).toEqual({ name: 'evidence', decision: 3, text: 'Readers stumbled on three undefined terms' });
    // A near miss in lower case is a typo; with a capital it reads as a sentence.
    expect(parseCommand('sprint strat Private beta')).toMatchObject({ name: 'error', suggestion: 'sprint start Private beta' });
    expect(parseCommand('Sprint strat Private beta')).toMatchObject({ name: 'error', suggestion: 'record Sprint strat Private beta' });
  });

  it('a case section that fits is written, capital or not', async () => {
    const reply = await service.run({ place, actor: ana }, 'Case Benefits Fewer calls to the contact centre');
    expect(reply.kind).toBe('notice');
  });
});
