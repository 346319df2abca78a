import { InputError, UserError } from '../errors';

const HEX64 = /^[0-9a-f]{64}$/;

/** Validates a pinned SHA-256 (the `sha256` input). */
export function parsePinnedSha256(raw: string, input = 'sha256'): string | undefined {
  const value = raw.trim().toLowerCase();
  if (value === '') return undefined;
  if (!HEX64.test(value)) {
    throw new InputError(
      input,
      'must be the 64 hexadecimal digits of a SHA-256, as in the .sha256 file',
    );
  }
  return value;
}

/**
 * Reads a `.sha256` file in `sha256sum` format (`<hex>  <name>`). Like Teleport's own
 * clients, only the first 64 characters count (teleport-behaviour.md §6.2).
 */
export function parseSha256File(text: string, url: string): string {
  const hex = text.trim().slice(0, 64).toLowerCase();
  if (!HEX64.test(hex)) throw new UserError(`${url} does not hold a SHA-256 checksum`);
  return hex;
}
