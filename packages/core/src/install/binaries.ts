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
/** In every tarball since Machine ID shipped (teleport-behaviour.md §6.3). */
export const ALWAYS_SHIPPED = ['teleport', 'tbot', 'tsh', 'tctl'];
/**
 * In some tarballs only: `fdpass-teleport` since the SSH multiplexer, `teleport-update` in
 * newer releases (first versions unverified, teleport-behaviour.md §9).
 */
export const SOMETIMES_SHIPPED = ['fdpass-teleport', 'teleport-update'];

export interface BinaryRequest {
  /** Installed, or the install fails naming the missing one. */
  required: string[];
  /** Installed where the tarball has them. */
  optional: string[];
}

/**
 * Parses the `binaries` input: names separated by spaces, commas or new lines. Empty or
 * `all` installs the whole tarball's binaries, as the official `setup` action does.
 */
export function parseBinaries(raw: string, input = 'binaries'): BinaryRequest {
  const names = raw.split(/[\s,]+/).filter(Boolean);
  if (names.length === 0 || (names.length === 1 && names[0]!.toLowerCase() === 'all')) {
    return { required: [...ALWAYS_SHIPPED], optional: [...SOMETIMES_SHIPPED] };
  }
  const unknown = names.filter((name) => !KNOWN_BINARIES.includes(name));
  if (unknown.length > 0) {
    throw new InputError(
      input,
      `unknown ${unknown.join(', ')}: choose from ${KNOWN_BINARIES.join(', ')}, or 'all'`,
    );
  }
  return { required: [...new Set(names)], optional: [] };
}
