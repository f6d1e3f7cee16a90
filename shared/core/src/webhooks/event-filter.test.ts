import { describe, expect, it } from 'vitest';
import { isEventTypePattern, matchesEventType } from './event-filter.ts';

describe('isEventTypePattern', () => {
  it.each(['*', 'paper.*', 'trending.*', 'paper.created', 'trending.entered', 'paper.version.added'])(
    'accepts %s',
    (p) => expect(isEventTypePattern(p)).toBe(true),
  );
  it.each(['', '**', 'paper*', '*.created', 'paper.*.x', 'Paper.created', 'paper..x', '.paper', '$where'])(
    'refuses %s',
    (p) => expect(isEventTypePattern(p)).toBe(false),
  );
});

describe('matchesEventType', () => {
  it.each([
    [['*'], 'paper.created', true],
    [['paper.*'], 'paper.created', true],
    [['paper.*'], 'paper.version.added', true],
    [['paper.*'], 'papers.created', false],
    [['paper.*'], 'trending.entered', false],
    [['trending.entered'], 'trending.entered', true],
    [['trending.entered'], 'trending.left', false],
    [['paper.*', 'trending.entered'], 'trending.entered', true],
    [[], 'paper.created', false],
  ] as const)('%j matches %s: %s', (patterns, type, expected) => {
    expect(matchesEventType(patterns, type)).toBe(expected);
  });
});
