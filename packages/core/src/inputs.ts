import { InputError } from './errors';
import type { CiPlatform } from './platform/platform';

// Every way an input is read, in one place, so each kind of value is checked the same way
// in every action and in the CLI.

// The official actions read `true`/`1` as true and anything else as false, so a workflow may
// write either spelling; a typo (`ture`, `yes`) fails instead of silently meaning false.
const TRUE_WORDS = ['true', '1'];
const FALSE_WORDS = ['false', '0'];

/** A boolean input (`true`/`false`/`1`/`0`, any case, trimmed), or `fallback` when empty. */
export function parseBooleanInput(platform: CiPlatform, name: string, fallback: boolean): boolean {
  const raw = platform.getInput(name).trim();
  const value = raw.toLowerCase();
  if (value === '') return fallback;
  if (TRUE_WORDS.includes(value)) return true;
  if (FALSE_WORDS.includes(value)) return false;
  throw new InputError(name, `'${raw}' is not one of 'true', 'false', '1' or '0'`);
}

/** A boolean that may also be left to `auto` (the default when empty). */
export function parseBooleanOrAutoInput(platform: CiPlatform, name: string): boolean | 'auto' {
  const raw = platform.getInput(name).trim();
  const value = raw.toLowerCase();
  if (value === '' || value === 'auto') return 'auto';
  if (TRUE_WORDS.includes(value)) return true;
  if (FALSE_WORDS.includes(value)) return false;
  throw new InputError(name, `'${raw}' is not one of 'auto', 'true', 'false', '1' or '0'`);
}

/** One of a fixed set of words (any case), or `fallback` when empty. */
export function parseChoiceInput<T extends string>(
  platform: CiPlatform,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const raw = platform.getInput(name);
  const value = raw.toLowerCase();
  if (value === '') return fallback;
  if ((choices as readonly string[]).includes(value)) return value as T;
  const names = choices.map((c) => `'${c}'`);
  throw new InputError(
    name,
    `'${raw}' is not one of ${names.slice(0, -1).join(', ')} or ${names.at(-1)}`,
  );
}

// Control characters, and the Unicode line and paragraph separators: YAML 1.1 readers (go-yaml,
// which tbot uses) take U+0085, U+2028 and U+2029 as line breaks, so in a value that reaches a
// configuration file they could start a new key. A one-line value may hold none of them; a
// multi-line one (a list) only new lines and tabs.
const NOT_IN_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const NOT_IN_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]/;

/** Refuses a value holding a character that could break out of the file it is written to. */
export function refuseUnsafeText(name: string, value: string, multiLine = false): string {
  const bad = (multiLine ? NOT_IN_LINES : NOT_IN_ONE_LINE).exec(value);
  if (bad) {
    const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    throw new InputError(
      name,
      `holds a control character or line separator (U+${code}): give it on one line, in plain characters`,
    );
  }
  return value;
}

/** A one-line text input ('' when not given), without control characters or line breaks. */
export function textInput(platform: CiPlatform, name: string): string {
  return refuseUnsafeText(name, platform.getInput(name));
}

/** A text input that may span lines (new lines and tabs only). */
export function multiLineInput(platform: CiPlatform, name: string): string {
  return refuseUnsafeText(name, platform.getInput(name), true);
}

/** A list input: items separated by commas, spaces or new lines. */
export function listInput(platform: CiPlatform, name: string): string[] {
  return multiLineInput(platform, name)
    .split(/[\s,]+/)
    .filter(Boolean);
}

/** An input that must be given; `example` says what to give. */
export function requiredInput(platform: CiPlatform, name: string, example: string): string {
  const value = textInput(platform, name);
  if (!value) throw new InputError(name, `is required: ${example}`);
  return value;
}

/** A whole number (decimal digits only) from `min` to `max`, or `fallback` when empty. */
export function intInput(
  platform: CiPlatform,
  name: string,
  fallback: number,
  max: number,
  min = 0,
): number {
  const raw = platform.getInput(name);
  if (!raw) return fallback;
  // Number() would also take '0x10', '1e3' or ' 1 ': only plain digits are meant.
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new InputError(name, `'${raw}' is not a whole number from ${min} to ${max}`);
  }
  return n;
}
