import { describe, expect, it } from 'vitest';
import {
  intInput,
  listInput,
  parseBooleanInput,
  parseBooleanOrAutoInput,
  parseChoiceInput,
  requiredInput,
} from './inputs';
import { testPlatform } from './platform/test-platform';

const with_ = (value: string) => testPlatform({ inputs: { x: value } });

describe('reading inputs', () => {
  it('booleans: true/false/1/0 in any case and trimmed, the fallback when empty', () => {
    expect(parseBooleanInput(with_('TRUE'), 'x', false)).toBe(true);
    expect(parseBooleanInput(with_('false'), 'x', true)).toBe(false);
    expect(parseBooleanInput(with_('1'), 'x', false)).toBe(true);
    expect(parseBooleanInput(with_('0'), 'x', true)).toBe(false);
    expect(parseBooleanInput(with_(' False '), 'x', true)).toBe(false);
    // A platform that hands the value over untrimmed (a CLI flag, an environment variable).
    const untrimmed = { ...testPlatform(), getInput: () => '\tTrue\n' };
    expect(parseBooleanInput(untrimmed, 'x', false)).toBe(true);
    expect(parseBooleanInput(with_(''), 'x', true)).toBe(true);
    expect(parseBooleanInput(with_(''), 'x', false)).toBe(false);
    for (const bad of ['yes', 'no', 'on', '2', 'ture', '01']) {
      expect(() => parseBooleanInput(with_(bad), 'x', true)).toThrow(
        `Input 'x': '${bad}' is not one of 'true', 'false', '1' or '0'`,
      );
    }
  });
  it('booleans that may be auto', () => {
    expect(parseBooleanOrAutoInput(with_(''), 'x')).toBe('auto');
    expect(parseBooleanOrAutoInput(with_('Auto'), 'x')).toBe('auto');
    expect(parseBooleanOrAutoInput(with_('true'), 'x')).toBe(true);
    expect(parseBooleanOrAutoInput(with_('1'), 'x')).toBe(true);
    expect(parseBooleanOrAutoInput(with_('0'), 'x')).toBe(false);
    expect(() => parseBooleanOrAutoInput(with_('yes'), 'x')).toThrow(
      "Input 'x': 'yes' is not one of 'auto', 'true', 'false', '1' or '0'",
    );
  });
  it('choices', () => {
    expect(parseChoiceInput(with_('OSS'), 'x', ['auto', 'oss'], 'auto')).toBe('oss');
    expect(parseChoiceInput(with_(''), 'x', ['auto', 'oss'], 'auto')).toBe('auto');
    expect(() => parseChoiceInput(with_('pro'), 'x', ['a', 'b', 'c'], 'a')).toThrow(
      "Input 'x': 'pro' is not one of 'a', 'b' or 'c'",
    );
  });
  it('lists, required values and whole numbers', () => {
    expect(listInput(with_('a, b\nc  d'), 'x')).toEqual(['a', 'b', 'c', 'd']);
    expect(() => requiredInput(with_(''), 'x', 'give one')).toThrow(
      "Input 'x': is required: give one",
    );
    expect(intInput(with_(''), 'x', 7, 10)).toBe(7);
    expect(intInput(with_('10'), 'x', 7, 10)).toBe(10);
    expect(() => intInput(with_('11'), 'x', 7, 10)).toThrow(
      "Input 'x': '11' is not a whole number from 0 to 10",
    );
  });
});
