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
  it('booleans: true/false in any case, the fallback when empty', () => {
    expect(parseBooleanInput(with_('TRUE'), 'x', false)).toBe(true);
    expect(parseBooleanInput(with_('false'), 'x', true)).toBe(false);
    expect(parseBooleanInput(with_(''), 'x', true)).toBe(true);
    expect(() => parseBooleanInput(with_('yes'), 'x', true)).toThrow(
      "Input 'x': 'yes' is not 'true' or 'false'",
    );
  });
  it('booleans that may be auto', () => {
    expect(parseBooleanOrAutoInput(with_(''), 'x')).toBe('auto');
    expect(parseBooleanOrAutoInput(with_('Auto'), 'x')).toBe('auto');
    expect(parseBooleanOrAutoInput(with_('true'), 'x')).toBe(true);
    expect(() => parseBooleanOrAutoInput(with_('1'), 'x')).toThrow(
      "Input 'x': '1' is not one of 'auto', 'true' or 'false'",
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
