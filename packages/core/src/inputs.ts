import { InputError } from './errors';
import type { CiPlatform } from './platform/platform';

// Every way an input is read, in one place, so each kind of value is checked the same way
// in every action and in the CLI.

/** A boolean input (`true`/`false`, any case), or `fallback` when empty. */
export function parseBooleanInput(platform: CiPlatform, name: string, fallback: boolean): boolean {
  const raw = platform.getInput(name);
  const value = raw.toLowerCase();
  if (value === '') return fallback;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new InputError(name, `'${raw}' is not 'true' or 'false'`);
}

/** A boolean that may also be left to `auto` (the default when empty). */
export function parseBooleanOrAutoInput(platform: CiPlatform, name: string): boolean | 'auto' {
  const raw = platform.getInput(name);
  const value = raw.toLowerCase();
  if (value === '' || value === 'auto') return 'auto';
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new InputError(name, `'${raw}' is not one of 'auto', 'true' or 'false'`);
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

/** A list input: items separated by commas, spaces or new lines. */
export function listInput(platform: CiPlatform, name: string): string[] {
  return platform
    .getInput(name)
    .split(/[\s,]+/)
    .filter(Boolean);
}

/** An input that must be given; `example` says what to give. */
export function requiredInput(platform: CiPlatform, name: string, example: string): string {
  const value = platform.getInput(name);
  if (!value) throw new InputError(name, `is required: ${example}`);
  return value;
}

/** A whole number from 0 to `max`, or `fallback` when empty. */
export function intInput(
  platform: CiPlatform,
  name: string,
  fallback: number,
  max: number,
): number {
  const raw = platform.getInput(name);
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > max) {
    throw new InputError(name, `'${raw}' is not a whole number from 0 to ${max}`);
  }
  return n;
}
