import { describe, expect, it } from 'vitest';
import {
  type ArtifactSpec,
  artifactName,
  binaryNames,
  isPublished,
  parseArtifactName,
  topFolder,
  versionLine,
} from './artifact';

const spec = (over: Partial<ArtifactSpec> = {}): ArtifactSpec => ({
  version: '17.4.2',
  edition: 'oss',
  os: 'linux',
  arch: 'amd64',
  ...over,
});

describe('artifactName (teleport-behaviour.md §6.1)', () => {
  it.each([
    [spec(), 'teleport-v17.4.2-linux-amd64-bin.tar.gz'],
    [spec({ edition: 'enterprise', arch: 'arm64' }), 'teleport-ent-v17.4.2-linux-arm64-bin.tar.gz'],
    // FIPS forces the -ent package name.
    [spec({ edition: 'fips' }), 'teleport-ent-v17.4.2-linux-amd64-fips-bin.tar.gz'],
    [spec({ os: 'darwin', arch: 'arm64' }), 'teleport-v17.4.2-darwin-arm64-bin.tar.gz'],
    [spec({ version: '16.5.4', arch: '386' }), 'teleport-v16.5.4-linux-386-bin.tar.gz'],
    [spec({ arch: 'arm' }), 'teleport-v17.4.2-linux-arm-bin.tar.gz'],
  ])('%o → %s, and back', (s, name) => {
    expect(artifactName(s)).toBe(name);
    expect(parseArtifactName(name)).toEqual(s);
  });

  it('parses pre-release versions', () => {
    expect(parseArtifactName('teleport-v18.0.0-rc.1-linux-amd64-bin.tar.gz')?.version).toBe(
      '18.0.0-rc.1',
    );
  });

  it.each([
    'teleport-17.4.2-linux-amd64-bin.tar.gz', // no v
    'teleport-v17.4.2-linux-amd64-fips-bin.tar.gz', // FIPS without -ent
    'teleport-v17.4.2-windows-amd64-bin.zip',
    'teleport-v17.4.2-linux-x86_64-bin.tar.gz',
    'teleport-v17.4.2-linux-amd64-bin.tar.gz.sha256',
    'teleport-vlatest-linux-amd64-bin.tar.gz',
    'tbot-v17.4.2-linux-amd64-bin.tar.gz',
    '',
  ])('rejects %s', (name) => {
    expect(parseArtifactName(name)).toBeUndefined();
  });
});

describe('layout facts', () => {
  it('uses teleport/ for OSS and teleport-ent/ for Enterprise and FIPS (teleport-behaviour.md §6.3)', () => {
    expect(topFolder(spec())).toBe('teleport');
    expect(topFolder(spec({ edition: 'enterprise' }))).toBe('teleport-ent');
    expect(topFolder(spec({ edition: 'fips' }))).toBe('teleport-ent');
  });

  it('ships teleport-update from 17 on (teleport-behaviour.md §6.3)', () => {
    expect(binaryNames(spec({ version: '16.5.4' }))).toEqual([
      'teleport',
      'tctl',
      'tsh',
      'tbot',
      'fdpass-teleport',
    ]);
    expect(binaryNames(spec())).toContain('teleport-update');
  });

  it('publishes darwin for OSS and Enterprise on amd64/arm64 only, never FIPS', () => {
    expect(isPublished(spec({ os: 'darwin', arch: 'arm64' }))).toBe(true);
    expect(isPublished(spec({ os: 'darwin', edition: 'enterprise' }))).toBe(true);
    expect(isPublished(spec({ os: 'darwin', edition: 'fips' }))).toBe(false);
    expect(isPublished(spec({ os: 'darwin', arch: '386' }))).toBe(false);
    expect(isPublished(spec({ arch: '386' }))).toBe(true);
  });
});

describe('versionLine (teleport-behaviour.md §1.4)', () => {
  it('has the real one-line format', () => {
    expect(versionLine(spec())).toMatch(
      /^Teleport v17\.4\.2 git:v17\.4\.2-0-g[0-9a-f]{7} go1\.23\.7$/,
    );
    expect(versionLine(spec({ edition: 'fips' }))).toMatch(
      /^Teleport Enterprise v17\.4\.2 git:v17\.4\.2-0-g[0-9a-f]{7} go1\.23\.7$/,
    );
  });

  it('parses with the regexes real consumers use', () => {
    // teleport-actions: `Teleport (?:Enterprise )?v(?<version>[^ ]*)`.
    const actions = /Teleport (?:Enterprise )?v(?<version>[^ ]*)/;
    expect(actions.exec(versionLine(spec({ edition: 'enterprise' })))?.groups?.version).toBe(
      '17.4.2',
    );
    // tsh auto-update: `Teleport v(.*) git`.
    expect(/Teleport v(.*) git/.exec(versionLine(spec()))?.[1]).toBe('17.4.2');
  });
});
