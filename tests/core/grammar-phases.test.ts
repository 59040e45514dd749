/** The grammar of phases, points of the Service Standard and the assessment: one parser for every surface. */
import { parseCommand } from '../../src/core/grammar';
import { readPoints, readPointsLine, takeInlinePoints } from '../../src/core/service-standard';

describe('phase', () => {
  it.each([
    ['phase', { name: 'phase' }],
    ['phases', { name: 'phase' }],
    ['phase start alpha', { name: 'phase start', kind: 'alpha', label: null, sprint: null }],
    ['/decision phase start Beta Private beta', { name: 'phase start', kind: 'beta', label: 'Private beta', sprint: null }],
    ['phase start alpha from sprint 2', { name: 'phase start', kind: 'alpha', label: null, sprint: 2 }],
    ['phase start beta Public beta at Sprint 14', { name: 'phase start', kind: 'beta', label: 'Public beta', sprint: 14 }],
    ['phase start discovery sprint 0', { name: 'phase start', kind: 'discovery', label: null, sprint: 0 }],
    ['@Decisions phase start live', { name: 'phase start', kind: 'live', label: null, sprint: null }],
  ])('%s', (input, expected) => {
    expect(parseCommand(input)).toEqual(expected);
  });

  it('says which phases there are, and suggests the one a typo was near', () => {
    expect(parseCommand('phase start gamma')).toMatchObject({ name: 'error', message: '"gamma" is not a phase: discovery, alpha, beta or live, such as `phase start alpha` or `phase start beta Private beta`.', suggestion: null });
    expect(parseCommand('phase start alpah')).toMatchObject({ name: 'error', suggestion: 'phase start alpha' });
    expect(parseCommand('phase start')).toMatchObject({ name: 'error', message: expect.stringMatching(/^`phase start` needs the phase: discovery, alpha, beta or live/) });
    expect(parseCommand('phase alpha')).toMatchObject({ name: 'error', suggestion: 'phase start alpha' });
  });

  it('a sentence that starts with "phase" is a decision to record, not a phase', () => {
    expect(parseCommand('Phase out the paper form by March')).toMatchObject({ name: 'error', suggestion: 'record Phase out the paper form by March' });
  });
});

describe('tag and untag', () => {
  it.each([
    ['tag 8 1 5', { name: 'tag', target: { decision: 8, letters: null }, points: [1, 5] }],
    ['tag 8 5, 1 and 13', { name: 'tag', target: { decision: 8, letters: null }, points: [1, 5, 13] }],
    ['tag #8 SS 4', { name: 'tag', target: { decision: 8, letters: null }, points: [4] }],
    ['tag 8a 5', { name: 'tag', target: { decision: 8, letters: 'a' }, points: [5] }],
    ['tag 12AB points 2 & 3', { name: 'tag', target: { decision: 12, letters: 'ab' }, points: [2, 3] }],
    ['untag 8 5', { name: 'untag', target: { decision: 8, letters: null }, points: [5] }],
    ['untag 8a', { name: 'untag', target: { decision: 8, letters: 'a' }, points: null }],
  ])('%s', (input, expected) => {
    expect(parseCommand(input)).toEqual(expected);
  });

  it('refuses what is no point of the Service Standard, in plain words', () => {
    expect(parseCommand('tag 8 15')).toMatchObject({ name: 'error', message: 'There is no point 15 of the Service Standard. The Service Standard has 14 points, numbered 1 to 14: `help tag` lists them.' });
    expect(parseCommand('tag 8 0')).toMatchObject({ name: 'error', message: expect.stringContaining('There is no point 0') });
    expect(parseCommand('tag 8 <!channel>')).toMatchObject({ name: 'error', message: expect.stringContaining('"<!channel>" is not a point of the Service Standard.') });
    expect(parseCommand('tag 8')).toMatchObject({ name: 'error', message: expect.stringContaining('`tag 8` needs the points of the Service Standard') });
    expect(parseCommand('tag x 1')).toMatchObject({ name: 'error', message: expect.stringContaining('"x" is not a decision number or an evidence label') });
  });
});

describe('points inline when recording', () => {
  it.each([
    ['We will test with screen reader users [SS 5]', { name: 'record', text: 'We will test with screen reader users', points: '5' }],
    ['record We will publish weekly [ss 7, 8]', { name: 'record', text: 'We will publish weekly', points: '7, 8' }],
    ['We will drop the form by @ana [SS 2]', { name: 'record', text: 'We will drop the form', decidedBy: '@ana', points: '2' }],
    ['We will drop the form [SS 2] by @ana', { name: 'record', text: 'We will drop the form', decidedBy: '@ana', points: '2' }],
    ['propose We will build an app [SS 11]', { name: 'record', text: 'We will build an app', points: '11', proposed: true }],
    ['evidence 3 Two of five used a screen reader [SS 5]', { name: 'evidence', decision: 3, text: 'Two of five used a screen reader', points: '5' }],
    // Only at the very end: elsewhere it is the team's text.
    ['We will follow [SS 5] guidance from now on', { name: 'record', text: 'We will follow [SS 5] guidance from now on' }],
  ])('%s', (input, expected) => {
    expect(parseCommand(input)).toEqual(expected);
  });

  it('reads points as people type them, and the line the document gives them', () => {
    expect(readPoints('1 5')).toEqual([1, 5]);
    expect(readPoints('SS: 14, 1, 1')).toEqual([1, 14]);
    expect(readPoints('')).toMatchObject({ problem: expect.stringContaining('Name at least one point') });
    expect(takeInlinePoints('A decision [SS 1]\n')).toEqual({ text: 'A decision', points: '1' });
    expect(readPointsLine('_Service Standard: 1 (Understand users and their needs), 13 (Use and contribute to open standards, common components and patterns)_')).toEqual([1, 13]);
    expect(readPointsLine('_Service Standard: 4, 2_')).toEqual([2, 4]);
    expect(readPointsLine('_Service Standard: 15_')).toBeNull();
    expect(readPointsLine('_Service Standard: many_')).toBeNull();
  });
});

describe('assessment', () => {
  it.each([
    ['assessment', { name: 'assessment', phase: null }],
    ['assessment alpha', { name: 'assessment', phase: 'alpha' }],
    ['assessment Private beta', { name: 'assessment', phase: 'Private beta' }],
    ['assessment export', { name: 'assessment export', phase: null }],
    ['assessment export beta', { name: 'assessment export', phase: 'beta' }],
  ])('%s', (input, expected) => {
    expect(parseCommand(input)).toEqual(expected);
  });

  it('a sentence that starts with "Assessment" is a decision to record', () => {
    expect(parseCommand('Assessment of the options showed we should keep the paper form for now')).toMatchObject({ name: 'error', suggestion: 'record Assessment of the options showed we should keep the paper form for now' });
  });
});
