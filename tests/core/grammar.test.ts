import { checkText, closestCommand, parseCommand } from '../../src/core/grammar';

describe('parseCommand', () => {
  it.each([
    ['We will put definitions inline', { name: 'record', text: 'We will put definitions inline' }],
    ['record list the options in a table', { name: 'record', text: 'list the options in a table' }],
    ['evidence 8 Readers stumbled', { name: 'evidence', decision: 8, text: 'Readers stumbled' }],
    ['evidence #8: Readers stumbled', { name: 'evidence', decision: 8, text: 'Readers stumbled' }],
    ['list', { name: 'list', scope: { kind: 'current' } }],
    ['list all', { name: 'list', scope: { kind: 'all' } }],
    ['list sprint 3', { name: 'list', scope: { kind: 'sprint', sprint: 3 } }],
    ['list Iteration 3', { name: 'list', scope: { kind: 'named', name: 'Iteration 3' } }],
    ['list sprint M2-S5', { name: 'list', scope: { kind: 'named', name: 'sprint M2-S5' } }],
    ['list imported', { name: 'list', scope: { kind: 'named', name: 'imported' } }],
    ['show 12', { name: 'show', decision: 12 }],
    ['search paper form', { name: 'search', words: 'paper form', page: 1 }],
    ['search paper form page 3', { name: 'search', words: 'paper form', page: 3 }],
    ['edit 3 New words', { name: 'edit', decision: 3, text: 'New words' }],
    ['withdraw 3', { name: 'withdraw', decision: 3, reason: null }],
    ['withdraw 3 No longer true', { name: 'withdraw', decision: 3, reason: 'No longer true' }],
    ['supersede 3 with 7', { name: 'supersede', decision: 3, by: 7 }],
    ['undo', { name: 'undo', change: null }],
    ['sprint', { name: 'sprint' }],
    ['sprint start Private beta', { name: 'sprint start', label: 'Private beta' }],
    ['sprint start', { name: 'sprint start', label: null }],
    ['sprint length 10 days', { name: 'sprint length', count: 10, unit: 'days' }],
    ['sprint length 1 week', { name: 'sprint length', count: 1, unit: 'weeks' }],
    ['case', { name: 'case' }],
    ['case Strategic Context Our text (3a)', { name: 'case section', text: 'Strategic Context Our text (3a)', typed: 'case Strategic Context Our text (3a)' }],
    ['retro', { name: 'retro' }],
    ['case title Apply for a fishing licence', { name: 'case title', text: 'Apply for a fishing licence' }],
    ['case template five-case', { name: 'case template', template: 'five-case' }],
    ['digest', { name: 'digest' }],
    ['digest off', { name: 'digest switch', on: false }],
    ['digest tue 08:30', { name: 'digest time', weekday: 2, time: '08:30' }],
    ['retro 9:05', { name: 'retro time', time: '09:05' }],
    ['timezone America/New_York', { name: 'timezone', timeZone: 'America/New_York' }],
    ['share revoke', { name: 'share', revoke: true }],
    ['canvas', { name: 'canvas' }],
    ['canvas on', { name: 'canvas switch', on: true }],
    ['Canvas OFF', { name: 'canvas switch', on: false }],
    ['export', { name: 'export' }],
    ['help evidence', { name: 'help', topic: 'evidence' }],
    ['', { name: 'form' }],
    ['   ', { name: 'form' }],
    ['We will publish weekly by @ana', { name: 'record', text: 'We will publish weekly', decidedBy: '@ana' }],
    ['record We will go by @Ana Smith and @ben', { name: 'record', text: 'We will go', decidedBy: '@Ana Smith and @ben' }],
    ['We will ship by Friday', { name: 'record', text: 'We will ship by Friday' }],
    ['propose We will drop the paper form', { name: 'record', text: 'We will drop the paper form', proposed: true }],
    ['accept 3', { name: 'accept', decision: 3, decidedBy: null }],
    ['accept #3 by @ana', { name: 'accept', decision: 3, decidedBy: '@ana' }],
    ['reject 3', { name: 'reject', decision: 3, reason: null }],
    ['reject 3 Too costly', { name: 'reject', decision: 3, reason: 'Too costly' }],
    ['holidays', { name: 'holidays', region: null }],
    ['holidays Northern Ireland', { name: 'holidays', region: 'northern-ireland' }],
    ['holidays default', { name: 'holidays', region: 'default' }],
  ])('%j', (input, expected) => {
    expect(parseCommand(input)).toEqual(expected);
  });

  it('keeps line breaks inside text and normalises CRLF', () => {
    expect(parseCommand('evidence 2 First line\r\nSecond line')).toEqual({ name: 'evidence', decision: 2, text: 'First line\nSecond line' });
  });

  it('refuses other words after canvas, suggesting the nearest', () => {
    const r = parseCommand('canvas onn');
    expect(r).toMatchObject({ name: 'error', suggestion: 'canvas on' });
    expect(parseCommand('canvas please')).toMatchObject({ name: 'error', suggestion: null });
  });

  it.each([
    ['lsit', 'list'],
    ['evidnce 3 something seen', 'evidence 3 something seen'],
    ['shwo 4', 'show 4'],
    ['udno', 'undo'],
  ])('suggests a command for the typo %j', (input, suggestion) => {
    const r = parseCommand(input);
    expect(r.name).toBe('error');
    if (r.name === 'error') {
      expect(r.suggestion).toBe(suggestion);
      // The surface says "Did you mean …?" its own way; the message names the mistake only.
      expect(r.message).toBe(`There is no command "${input.split(' ')[0] ?? ''}".`);
    }
  });

  it.each([
    ['evidence', 'needs a decision number'],
    ['evidence x text', '"x" is not a decision number'],
    ['evidence 3', 'needs some text'],
    ['show', 'needs a decision number'],
    ['supersede 3', 'two decision numbers'],
    ['supersede 3 with 3', 'cannot supersede itself'],
    ['sprint length 0 days', '1 day to 13 weeks'],
    ['sprint length lots', '`sprint length 2 weeks`'],
    ['case template green', 'prototype` or `five-case'],
    ['digest someday', 'digest monday 09:00'],
    ['retro 25:00', 'not a time'],
    ['undo that', 'takes no words'],
    ['list the options', '`list` takes'],
    ['list sprint 999999', '`list` takes nothing'],
    ['list sprint -1', '`list` takes nothing'],
  ])('refuses %j in plain words', (input, words) => {
    const r = parseCommand(input);
    expect(r.name).toBe('error');
    if (r.name === 'error') expect(r.message).toContain(words);
  });

  it.each(['list the options', 'Show the costs on the first page'])('offers to record the sentence %j that starts with a command word', (input) => {
    const r = parseCommand(input);
    expect(r.name === 'error' && r.suggestion).toBe(`record ${input}`);
    expect(r.name === 'error' && r.message).toContain('To record it as a decision, start with `record`.');
  });
});

describe('checkText', () => {
  it('refuses empty, over-long and control-character text', () => {
    expect(checkText(' ', 'A decision')).toMatch(/needs some text/);
    expect(checkText('x'.repeat(3001), 'A decision')).toMatch(/3,001 characters long; the most is 3,000/);
    expect(checkText('x'.repeat(3000), 'A decision')).toBeNull();
    expect(checkText('bell\u0007', 'A decision')).toMatch(/control characters/);
    expect(checkText('tabs\tand\nlines are fine', 'A decision')).toBeNull();
  });

  it('counts emoji as one character each', () => {
    expect(checkText('😀'.repeat(3000), 'A decision')).toBeNull();
  });
});

describe('closestCommand', () => {
  it('does not mistake ordinary words for commands', () => {
    expect(closestCommand('We')).toBeNull();
    expect(closestCommand('Ship')).toBeNull();
    expect(closestCommand('list')).toBeNull();
  });
});

describe('one rule on every surface for what comes before the command', () => {
  it.each([
    ['/decision list', { name: 'list', scope: { kind: 'current' } }],
    ['decision list', { name: 'list', scope: { kind: 'current' } }],
    ['@Decisions list', { name: 'list', scope: { kind: 'current' } }],
    ['<at>Decisions</at> list', { name: 'list', scope: { kind: 'current' } }],
    ['@Decisions /decision We will publish weekly', { name: 'record', text: 'We will publish weekly' }],
    ['Decision: we will publish weekly', { name: 'record', text: 'we will publish weekly' }],
    ['Decisions are hard to keep', { name: 'record', text: 'Decisions are hard to keep' }],
    ['@channel we will publish weekly', { name: 'record', text: '@channel we will publish weekly' }],
  ])('%s', (input, command) => {
    expect(parseCommand(input)).toEqual(command);
  });

  it.each(['hi', 'Hello', 'hello there!', 'Hey @Decisions', 'Good morning', 'thanks', 'test', 'Approved', '@Decisions hi'])(
    'a greeting or a lone word that is no command (%s) gets the welcome, never a record',
    (input) => {
      expect(parseCommand(input)).toEqual({ name: 'help', topic: null, greeting: true });
    },
  );

  it('a sentence is still a decision, even one that starts with a greeting word', () => {
    expect(parseCommand('Hi-vis jackets will be worn on every site visit from now on')).toMatchObject({ name: 'record' });
    expect(parseCommand('Ship it')).toMatchObject({ name: 'record' });
  });
});

describe('advice that fits the mistake', () => {
  it('offers `record …` only for what reads like a sentence', () => {
    expect(parseCommand('Show the costs first')).toMatchObject({ name: 'error', message: expect.stringContaining('To record it as a decision, start with `record`.'), suggestion: 'record Show the costs first' });
    for (const input of ['supersede 1 with 1', 'sprint length 0 days', 'digest funday 25:00', 'list sprint two three']) {
      const r = parseCommand(input);
      expect(r).toMatchObject({ name: 'error' });
      if (r.name === 'error' && !/\d/.test(input.split(' ').slice(1).join(' '))) continue;
      expect(r.name === 'error' ? r.message : '').not.toContain('To record it as a decision');
    }
  });
});

describe('publish', () => {
  it.each([
    ['publish', { name: 'publish' }],
    ['publish now', { name: 'publish now' }],
    ['publish off', { name: 'publish off' }],
    ['publish mode pr', { name: 'publish mode', mode: 'pr' }],
    ['publish mode COMMIT', { name: 'publish mode', mode: 'commit' }],
    ['publish github acme/case', { name: 'publish github', owner: 'acme', repo: 'case', path: null, branch: null }],
    ['publish github acme/case docs/business-case.md', { name: 'publish github', owner: 'acme', repo: 'case', path: 'docs/business-case.md', branch: null }],
    ['publish github acme/case docs/business-case.md release/2026', { name: 'publish github', owner: 'acme', repo: 'case', path: 'docs/business-case.md', branch: 'release/2026' }],
    ['publish github https://github.com/acme/case.git', { name: 'publish github', owner: 'acme', repo: 'case', path: null, branch: null }],
    ['publish github https://github.example.org/acme-team/case.v2/', { name: 'publish github', owner: 'acme-team', repo: 'case.v2', path: null, branch: null }],
  ])('%j', (input, expected) => {
    expect(parseCommand(input)).toEqual(expected);
  });

  it.each([
    ['publish github', /needs the repository as owner\/name/],
    ['publish github acme', /"acme" is not a GitHub repository/],
    ['publish github acme/../etc', /is not a GitHub repository/],
    ['publish github acme/case main', /"main" is not a Markdown file path: .*a branch name goes after the path/],
    ['publish github acme/case /etc/passwd.md', /is not a file path in the repository/],
    ['publish github acme/case docs/../x.md', /is not a file path in the repository/],
    ['publish github acme/case x.md -main', /"-main" is not a branch name/],
    ['publish github acme/case x.md a..b', /"a\.\.b" is not a branch name/],
    ['publish github acme/case x.md main extra', /takes a repository, a file path and a branch, in that order/],
    ['publish mode daily', /`publish mode` takes `pr`/],
    ['publish now please', /`publish now` takes no words/],
  ])('refuses %j in plain words', (input, message) => {
    const r = parseCommand(input);
    expect(r.name).toBe('error');
    if (r.name === 'error') expect(r.message).toMatch(message);
  });

  it('suggests the sub-command a typo was near', () => {
    expect(parseCommand('publish nwo')).toEqual({ name: 'error', message: '`publish` takes nothing, `github <owner>/<repo> [path] [branch]`, `now`, `mode pr|commit` or `off`.', suggestion: 'publish now' });
  });

  it('is a command word: "publsh" is a typo of it', () => {
    expect(closestCommand('publsh')).toBe('publish');
  });
});
