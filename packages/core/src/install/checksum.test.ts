import { describe, expect, it } from 'vitest';
import { parseBinaries } from './binaries';
import { parsePinnedSha256, parseSha256File } from './checksum';

describe('binaries and checksums', () => {
  it('parses the binaries list', () => {
    // The whole tarball by default, as the official setup action installs it.
    const all = {
      required: ['teleport', 'tbot', 'tsh', 'tctl'],
      optional: ['fdpass-teleport', 'teleport-update'],
    };
    expect(parseBinaries('')).toEqual(all);
    expect(parseBinaries('ALL')).toEqual(all);
    expect(parseBinaries('tbot, teleport\ntsh tbot')).toEqual({
      required: ['tbot', 'teleport', 'tsh'],
      optional: [],
    });
    expect(() => parseBinaries('tbot kubectl')).toThrow(/^Input 'binaries': unknown kubectl/);
  });
  it('validates a pinned hash and reads sha256sum files (teleport-behaviour.md §6.2)', () => {
    const hex = 'a'.repeat(64);
    expect(parsePinnedSha256(hex.toUpperCase())).toBe(hex);
    expect(parsePinnedSha256('')).toBeUndefined();
    expect(() => parsePinnedSha256('abc')).toThrow(/^Input 'sha256': must be the 64 hexadecimal/);
    expect(parseSha256File(`${hex}  teleport-v17.4.2-linux-amd64-bin.tar.gz\n`, 'u')).toBe(hex);
    expect(() => parseSha256File('<html>', 'u')).toThrow(/does not hold a SHA-256/);
  });
});
