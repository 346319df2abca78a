import { InputError } from '../errors';

/** What a Teleport tarball holds that a user may ask for (teleport-behaviour.md §6.3). */
export const KNOWN_BINARIES = [
  'tbot',
  'tsh',
  'tctl',
  'teleport',
  'fdpass-teleport',
  'teleport-update',
];
export const DEFAULT_BINARIES = ['tbot', 'tsh', 'tctl'];

/** Parses the `binaries` input: names separated by spaces, commas or new lines. */
export function parseBinaries(raw: string, input = 'binaries'): string[] {
  const names = raw.split(/[\s,]+/).filter(Boolean);
  if (names.length === 0) return [...DEFAULT_BINARIES];
  const unknown = names.filter((name) => !KNOWN_BINARIES.includes(name));
  if (unknown.length > 0) {
    throw new InputError(
      input,
      `unknown ${unknown.join(', ')}: choose from ${KNOWN_BINARIES.join(', ')}`,
    );
  }
  return [...new Set(names)];
}
