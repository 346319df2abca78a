// The whole tarball by default: optional members the archive may lack, macOS app bundles
// installed whole, and the record that lets a later whole-tarball request hit the cache.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { placementOf } from './bundles';
import { downloadAndExtract } from './download';
import { expectedFiles } from './tool-cache';

const exec = promisify(execFile);
const log = { info() {}, warning() {}, debug() {} } as never;
const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** A `teleport/` tarball holding `files` (path → content; `->target` makes a link), served once. */
async function tarball(files: Record<string, string>) {
  const work = await mkdtemp(join(tmpdir(), 'whole-'));
  for (const [path, content] of Object.entries(files)) {
    const file = join(work, 'teleport', path);
    await mkdir(join(file, '..'), { recursive: true });
    if (content.startsWith('->')) await symlink(content.slice(2), file);
    else await writeFile(file, content, { mode: 0o755 });
  }
  await exec('tar', ['-czf', join(work, 't.tar.gz'), '-C', work, 'teleport']);
  const body = await readFile(join(work, 't.tar.gz'));
  const server = createServer((_req, res) => res.end(body));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => server.close());
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/t.tar.gz`,
    sha256: createHash('sha256').update(body).digest('hex'),
    stagingDir: join(work, 'staging'),
  };
}

describe('extracting the whole tarball', () => {
  it('takes optional members where present and names the missing ones', async () => {
    const t = await tarball({ tbot: 'x', teleport: 'x', 'fdpass-teleport': 'x' });
    const { missing } = await downloadAndExtract({
      url: t.url,
      expectedSha256: t.sha256,
      stagingDir: t.stagingDir,
      members: ['teleport/tbot', 'teleport/teleport'],
      optionalMembers: ['teleport/fdpass-teleport', 'teleport/teleport-update'],
      log,
    });
    expect(missing).toEqual(['teleport/teleport-update']);
    expect(await readFile(join(t.stagingDir, 'fdpass-teleport'), 'utf8')).toBe('x');
  });

  it('still fails naming a required member the archive lacks', async () => {
    const t = await tarball({ tbot: 'x' });
    await expect(
      downloadAndExtract({
        url: t.url,
        expectedSha256: t.sha256,
        stagingDir: t.stagingDir,
        members: ['teleport/tbot', 'teleport/teleport-update'],
        optionalMembers: ['teleport/fdpass-teleport'],
        log,
      }),
    ).rejects.toThrow(/has no teleport\/teleport-update: check 'binaries'/);
  });

  it('installs an app bundle whole and checks the binary inside it', async () => {
    const t = await tarball({
      'tsh.app/Contents/MacOS/tsh': 'tsh',
      'tsh.app/Contents/Info.plist': 'plist',
    });
    await downloadAndExtract({
      url: t.url,
      expectedSha256: t.sha256,
      stagingDir: t.stagingDir,
      members: ['teleport/tsh.app'],
      files: ['tsh.app/Contents/MacOS/tsh'],
      log,
    });
    expect(await readFile(join(t.stagingDir, 'tsh.app/Contents/Info.plist'), 'utf8')).toBe('plist');
  });

  it('refuses a bundle whose folder is a symbolic link (it could lead outside)', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'outside-'));
    await mkdir(join(outside, 'MacOS'));
    await writeFile(join(outside, 'MacOS', 'tsh'), 'x');
    const t = await tarball({ 'tsh.app/Contents': `->${outside}` });
    await expect(
      downloadAndExtract({
        url: t.url,
        expectedSha256: t.sha256,
        stagingDir: t.stagingDir,
        members: ['teleport/tsh.app'],
        files: ['tsh.app/Contents/MacOS/tsh'],
        log,
      }),
    ).rejects.toThrow(/holds teleport\/tsh\.app\/Contents as no folder/);
  });
});

describe('where each binary sits', () => {
  it('tsh and tctl from app bundles in v17+ darwin tarballs only', () => {
    const mac = { os: 'darwin', arch: 'arm64' } as const;
    expect(placementOf('tsh', '17.0.0', mac)).toEqual({
      name: 'tsh',
      member: 'tsh.app',
      file: 'tsh.app/Contents/MacOS/tsh',
      link: 'tsh',
    });
    expect(placementOf('tbot', '17.0.0', mac)).toEqual({
      name: 'tbot',
      member: 'tbot',
      file: 'tbot',
    });
    expect(placementOf('tctl', '16.5.4', mac).member).toBe('tctl');
    expect(placementOf('tctl', '18.6.4', { os: 'linux', arch: 'amd64' }).member).toBe('tctl');
  });
});

describe('the slot record', () => {
  const record = {
    archiveSha256: 'a',
    binaries: {},
    identities: { tbot: 'i', 'fdpass-teleport': 'i' },
    absent: ['teleport-update'],
  };
  it('expects the optional binaries it holds, not those the archive lacks', () => {
    expect(expectedFiles(record, ['tbot'], ['fdpass-teleport', 'teleport-update'])).toEqual([
      'tbot',
      'fdpass-teleport',
    ]);
  });
  it('cannot tell for an optional binary it neither holds nor knows absent', () => {
    expect(expectedFiles({ ...record, absent: [] }, ['tbot'], ['teleport-update'])).toBeUndefined();
  });
});
