import { describe, expect, it } from 'vitest';
import { artifactName, resolveCdnBase, toolName, topFolder } from './artifact';
import { parseBinaries } from './binaries';
import { parsePinnedSha256, parseSha256File } from './checksum';
import { resolveEdition } from './edition';
import { autoVersion, parseFindResponse } from './find';
import { parseProxyAddress } from './proxy-address';
import { detectTarget } from './target';
import { parseVersionInput } from './version';

const linux = { os: 'linux', arch: 'amd64' } as const;
const proxy = parseProxyAddress('teleport.example.com:443');

describe('version input', () => {
  it('accepts auto and full versions with or without v', () => {
    expect(parseVersionInput('auto')).toEqual({ kind: 'auto' });
    expect(parseVersionInput('17.4.2')).toEqual({ kind: 'exact', version: '17.4.2' });
    expect(parseVersionInput(' v17.4.2 ')).toEqual({ kind: 'exact', version: '17.4.2' });
    expect(parseVersionInput('18.0.0-rc.1')).toEqual({ kind: 'exact', version: '18.0.0-rc.1' });
  });
  it.each(['', '17', '17.4', 'latest-ish', 'v17.x'])('rejects %j naming the input', (raw) => {
    expect(() => parseVersionInput(raw)).toThrow(/^Input 'version': .*'17\.4\.2'/);
  });
});

describe('proxy input', () => {
  it('parses host and port, defaulting to 443', () => {
    expect(parseProxyAddress('teleport.example.com')).toEqual({
      host: 'teleport.example.com',
      port: 443,
      hostPort: 'teleport.example.com:443',
    });
    expect(parseProxyAddress('localhost:3080').hostPort).toBe('localhost:3080');
  });
  it.each([
    ['https://teleport.example.com', /has a URL scheme/],
    ['teleport.example.com/web', /has a path/],
    ['teleport.example.com:99999', /invalid port/],
    ['bad host:443', /not a host name/],
  ])('rejects %j', (raw, why) => {
    expect(() => parseProxyAddress(raw)).toThrow(why);
    expect(() => parseProxyAddress(raw)).toThrow(/^Input 'proxy'/);
  });
});

describe('edition', () => {
  const inputs = (edition = 'auto', enterprise = 'false', fips = 'auto') => ({
    edition,
    enterprise,
    fips,
  });
  it('follows the cluster when auto, OSS without one', () => {
    expect(resolveEdition(inputs(), { edition: 'ent' })).toEqual({
      edition: 'enterprise',
      fips: false,
    });
    expect(resolveEdition(inputs(), { edition: 'community' })).toEqual({
      edition: 'oss',
      fips: false,
    });
    expect(resolveEdition(inputs())).toEqual({ edition: 'oss', fips: false });
    expect(resolveEdition(inputs(), { edition: 'ent', fips: true })).toEqual({
      edition: 'enterprise',
      fips: true,
    });
  });
  it('lets explicit inputs win, and FIPS forces Enterprise', () => {
    expect(resolveEdition(inputs('oss'), { edition: 'ent' }).edition).toBe('oss');
    expect(resolveEdition(inputs('auto', 'true'), { edition: 'oss' }).edition).toBe('enterprise');
    expect(resolveEdition(inputs('auto', 'false', 'true'))).toEqual({
      edition: 'enterprise',
      fips: true,
    });
  });
  it('rejects unknown or contradictory values', () => {
    expect(() => resolveEdition(inputs('pro'))).toThrow(/^Input 'edition': 'pro' is not one of/);
    expect(() => resolveEdition(inputs('oss', 'true'))).toThrow(/contradicts/);
    expect(() => resolveEdition(inputs('auto', 'yes'))).toThrow(/^Input 'enterprise'/);
    expect(() => resolveEdition(inputs('oss', 'false', 'true'))).toThrow(/^Input 'fips'/);
  });
});

describe('artifact naming (facts §6.1, §6.3)', () => {
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

describe('runner platform', () => {
  it('maps runner and node names to CDN names', () => {
    expect(detectTarget({ RUNNER_OS: 'Linux', RUNNER_ARCH: 'X64' })).toEqual(linux);
    expect(detectTarget({ RUNNER_OS: 'Linux', RUNNER_ARCH: 'ARM64' })).toEqual({
      os: 'linux',
      arch: 'arm64',
    });
    expect(detectTarget({ RUNNER_OS: 'Linux', RUNNER_ARCH: 'X86' })).toEqual({
      os: 'linux',
      arch: '386',
    });
    expect(detectTarget({ RUNNER_OS: 'macOS', RUNNER_ARCH: 'ARM64' })).toEqual({
      os: 'darwin',
      arch: 'arm64',
    });
  });
  it('names what is supported when it is not', () => {
    expect(() => detectTarget({ RUNNER_OS: 'Windows', RUNNER_ARCH: 'X64' })).toThrow(
      /Windows runners are not supported.*Linux \(amd64, arm64, arm, 386\) and macOS/,
    );
    expect(() => detectTarget({ RUNNER_OS: 'Linux', RUNNER_ARCH: 'RISCV64' })).toThrow(
      /not supported/,
    );
  });
});

describe('binaries and checksums', () => {
  it('parses the binaries list', () => {
    expect(parseBinaries('')).toEqual(['tbot', 'tsh', 'tctl']);
    expect(parseBinaries('tbot, teleport\ntsh tbot')).toEqual(['tbot', 'teleport', 'tsh']);
    expect(() => parseBinaries('tbot kubectl')).toThrow(/^Input 'binaries': unknown kubectl/);
  });
  it('validates a pinned hash and reads sha256sum files (facts §6.2)', () => {
    const hex = 'a'.repeat(64);
    expect(parsePinnedSha256(hex.toUpperCase())).toBe(hex);
    expect(parsePinnedSha256('')).toBeUndefined();
    expect(() => parsePinnedSha256('abc')).toThrow(/^Input 'sha256': must be the 64 hexadecimal/);
    expect(parseSha256File(`${hex}  teleport-v17.4.2-linux-amd64-bin.tar.gz\n`, 'u')).toBe(hex);
    expect(() => parseSha256File('<html>', 'u')).toThrow(/does not hold a SHA-256/);
  });
});

describe('/webapi/find (facts §5.1)', () => {
  it('prefers auto_update.tools_version, falls back to server_version', () => {
    const modern = parseFindResponse(
      JSON.stringify({
        server_version: '17.4.2',
        edition: 'ent',
        fips: false,
        auto_update: { tools_version: '17.3.0' },
      }),
      proxy,
    );
    expect(autoVersion(modern, proxy)).toBe('17.3.0');
    expect(modern.edition).toBe('ent');
    const legacy = parseFindResponse(
      JSON.stringify({ proxy: {}, server_version: '15.4.0' }),
      proxy,
    );
    expect(autoVersion(legacy, proxy)).toBe('15.4.0');
  });
  it('explains answers that are not Teleport', () => {
    expect(() => parseFindResponse('<!doctype html><html>', proxy)).toThrow(
      /answered HTML, not JSON/,
    );
    expect(() => parseFindResponse('{"ok":true}', proxy)).toThrow(
      /without a proxy or server_version/,
    );
    expect(() => parseFindResponse('nope', proxy)).toThrow(/did not answer JSON/);
  });
});
