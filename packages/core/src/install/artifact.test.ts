import { describe, expect, it } from 'vitest';
import { artifactName, resolveCdnBase, toolName, topFolder } from './artifact';

const linux = { os: 'linux', arch: 'amd64' } as const;

describe('artifact naming (teleport-behaviour.md §6.1, §6.3)', () => {
  it('names OSS, Enterprise and FIPS tarballs like the CDN', () => {
    const base = { version: '17.4.2', target: linux };
    expect(artifactName({ ...base, edition: 'oss', fips: false })).toBe(
      'teleport-v17.4.2-linux-amd64-bin.tar.gz',
    );
    expect(artifactName({ ...base, edition: 'enterprise', fips: false })).toBe(
      'teleport-ent-v17.4.2-linux-amd64-bin.tar.gz',
    );
    expect(artifactName({ ...base, edition: 'enterprise', fips: true })).toBe(
      'teleport-ent-v17.4.2-linux-amd64-fips-bin.tar.gz',
    );
    expect(
      artifactName({
        version: '16.5.4',
        edition: 'oss',
        fips: false,
        target: { os: 'darwin', arch: 'arm64' },
      }),
    ).toBe('teleport-v16.5.4-darwin-arm64-bin.tar.gz');
  });
  it('knows the top folder and keeps editions apart in the cache', () => {
    expect(topFolder({ edition: 'oss', fips: false })).toBe('teleport');
    expect(topFolder({ edition: 'enterprise', fips: false })).toBe('teleport-ent');
    expect(topFolder({ edition: 'enterprise', fips: true })).toBe('teleport-ent');
    expect(toolName({ edition: 'enterprise', fips: true })).toBe('teleport-ent-fips');
  });
  it('refuses FIPS off Linux', () => {
    expect(() =>
      artifactName({
        version: '17.4.2',
        edition: 'enterprise',
        fips: true,
        target: { os: 'darwin', arch: 'arm64' },
      }),
    ).toThrow(/FIPS builds exist only for Linux/);
  });
  it('takes the CDN base from the input, then TELEPORT_CDN_BASE_URL', () => {
    expect(resolveCdnBase('', {})).toBe('https://cdn.teleport.dev');
    expect(resolveCdnBase('', { TELEPORT_CDN_BASE_URL: 'https://mirror.test/t/' })).toBe(
      'https://mirror.test/t',
    );
    expect(resolveCdnBase('https://a.test', { TELEPORT_CDN_BASE_URL: 'https://b.test' })).toBe(
      'https://a.test',
    );
    expect(() => resolveCdnBase('ftp://x', {})).toThrow(/^Input 'cdn-base-url'/);
  });
});
