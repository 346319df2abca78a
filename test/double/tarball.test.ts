import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Edition, TarballSpec } from './artifact';
import { BENCH_SIZES, tarballEntries } from './layout';
import { PADDING_CLOSE } from './standin';
import { buildTarball } from './tarball';
import { run } from './test-helpers';

let work: string;
let cache: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'double-tarball-'));
  cache = path.join(work, 'cache');
});
afterAll(() => rm(work, { recursive: true, force: true }));

const spec = (over: Partial<TarballSpec> = {}): TarballSpec => ({
  version: '17.4.2',
  edition: 'oss',
  os: 'linux',
  arch: 'amd64',
  size: 'small',
  ...over,
});

/** Extracts the tarball into a fresh directory and returns that directory. */
async function extract(file: string, into?: string): Promise<string> {
  const dest = into ?? (await mkdtemp(path.join(work, 'x-')));
  await mkdir(dest, { recursive: true });
  const r = await run('tar', ['-xzf', file, '-C', dest]);
  expect(r.stderr).toBe('');
  return dest;
}

const members = (top: string, withUpdate: boolean) =>
  [
    `${top}/`,
    `${top}/CHANGELOG.md`,
    `${top}/LICENSE-community`,
    `${top}/README.md`,
    `${top}/VERSION`,
    `${top}/examples/`,
    `${top}/examples/systemd/`,
    `${top}/examples/systemd/teleport.service`,
    `${top}/fdpass-teleport`,
    `${top}/install`,
    `${top}/tbot`,
    `${top}/tctl`,
    `${top}/teleport`,
    ...(withUpdate ? [`${top}/teleport-update`] : []),
    `${top}/tsh`,
  ].sort();

describe('buildTarball layout (teleport-behaviour.md §6.3)', () => {
  it.each<[Edition, string, string]>([
    ['oss', 'teleport', 'teleport-v17.4.2-linux-amd64-bin.tar.gz'],
    ['enterprise', 'teleport-ent', 'teleport-ent-v17.4.2-linux-amd64-bin.tar.gz'],
    ['fips', 'teleport-ent', 'teleport-ent-v17.4.2-linux-amd64-fips-bin.tar.gz'],
  ])('%s: top folder %s/, the full file set, named %s', async (edition, top, name) => {
    const built = await buildTarball(spec({ edition }), cache);
    expect(path.basename(built.path)).toBe(name);
    expect(built.name).toBe(name);
    const list = await run('tar', ['-tzf', built.path]);
    expect(list.stdout.trim().split('\n').sort()).toEqual(members(top, true));
  });

  it('has no teleport-update before 17', async () => {
    const built = await buildTarball(spec({ version: '16.5.4' }), cache);
    const list = await run('tar', ['-tzf', built.path]);
    expect(list.stdout.trim().split('\n').sort()).toEqual(members('teleport', false));
  });

  it('marks the binaries and install executable (0755), the rest 0644', async () => {
    const built = await buildTarball(spec(), cache);
    const { stdout } = await run('tar', ['-tvzf', built.path]);
    const modes = Object.fromEntries(
      stdout
        .trim()
        .split('\n')
        .map((l) => l.split(/\s+/))
        .map((f) => [f.at(-1), f[0]]),
    );
    for (const bin of [
      'teleport',
      'tctl',
      'tsh',
      'tbot',
      'fdpass-teleport',
      'teleport-update',
      'install',
    ]) {
      expect(modes[`teleport/${bin}`]).toBe('-rwxr-xr-x');
    }
    expect(modes['teleport/VERSION']).toBe('-rw-r--r--');
    expect(modes['teleport/examples/systemd/teleport.service']).toBe('-rw-r--r--');
  });

  it('writes VERSION as v<ver> and a root-only install script', async () => {
    const dir = await extract((await buildTarball(spec(), cache)).path);
    expect(await readFile(path.join(dir, 'teleport/VERSION'), 'utf8')).toBe('v17.4.2\n');
    const install = await readFile(path.join(dir, 'teleport/install'), 'utf8');
    expect(install).toMatch(/^#!\/bin\/sh\n/);
    expect(install).toContain('ERROR: You must be root');
    expect(install).toContain('cp -f teleport tctl tsh tbot fdpass-teleport teleport-update');
  });

  it('builds darwin tarballs too', async () => {
    const built = await buildTarball(spec({ os: 'darwin', arch: 'arm64' }), cache);
    expect(built.name).toBe('teleport-v17.4.2-darwin-arm64-bin.tar.gz');
  });
});

describe('stand-in binaries (teleport-behaviour.md §1.4, §1.6)', () => {
  const versionRe = (product: string) =>
    new RegExp(`^${product} v17\\.4\\.2 git:v17\\.4\\.2-0-g[0-9a-f]{7} go1\\.23\\.7\\n$`);

  it('answers `version` with the exact real line, for every binary', async () => {
    const dir = await extract((await buildTarball(spec(), cache)).path);
    const lines = new Set<string>();
    for (const bin of ['tbot', 'tsh', 'tctl', 'teleport', 'fdpass-teleport', 'teleport-update']) {
      const r = await run(path.join(dir, 'teleport', bin), ['version']);
      expect(r).toMatchObject({ code: 0, stderr: '' });
      expect(r.stdout).toMatch(versionRe('Teleport'));
      lines.add(r.stdout);
    }
    expect(lines.size).toBe(1); // one build, one git ref
  });

  it.each<Edition>(['enterprise', 'fips'])('%s says Teleport Enterprise', async (edition) => {
    const dir = await extract((await buildTarball(spec({ edition }), cache)).path);
    const r = await run(path.join(dir, 'teleport-ent', 'tbot'), ['version']);
    expect(r.stdout).toMatch(versionRe('Teleport Enterprise'));
  });

  it('fails anything else with ERROR: on stderr and exit 1', async () => {
    const dir = await extract((await buildTarball(spec(), cache)).path);
    // (tbot is the full stand-in, tested in standin/; the others only know `version`.)
    for (const args of [['login', '--proxy', 'x'], []]) {
      const r = await run(path.join(dir, 'teleport', 'tsh'), args);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^ERROR: .*not implemented yet by this Teleport double stand-in/);
    }
  });

  it('also runs when extracted under a "type": "module" package (loaded as ESM)', async () => {
    const root = await mkdtemp(path.join(work, 'esm-'));
    await writeFile(path.join(root, 'package.json'), '{"type":"module"}\n');
    const dir = await extract((await buildTarball(spec(), cache)).path, path.join(root, 'tools'));
    const ok = await run(path.join(dir, 'teleport', 'tbot'), ['version']);
    expect(ok.stdout).toMatch(versionRe('Teleport'));
    const bad = await run(path.join(dir, 'teleport', 'tbot'), ['start']);
    expect(bad.code).toBe(1);
  });

  it('keeps its padding inside one block comment that never contains */', async () => {
    const dir = await extract((await buildTarball(spec(), cache)).path);
    const bytes = await readFile(path.join(dir, 'teleport', 'tbot'));
    const text = bytes.toString('latin1');
    expect(
      text.startsWith(`#!/bin/sh\n':' //; exec "\${TELEPORT_DOUBLE_NODE:-node}" "$0" "$@"\n`),
    ).toBe(true);
    const open = text.indexOf('\n/* ');
    expect(text.endsWith(PADDING_CLOSE)).toBe(true);
    expect(text.indexOf('*/')).toBe(text.length - PADDING_CLOSE.length + 1);
    const padding = bytes.subarray(open + 4, bytes.length - PADDING_CLOSE.length);
    expect(padding.length).toBe(4096);
    expect(padding.every((b) => b >= 0x30 && b <= 0x6f)).toBe(true);
  });
});

describe('checksums (teleport-behaviour.md §6.2)', () => {
  it('writes <hex>  <name>\\n exactly as sha256sum does, and sha256sum -c accepts it', async () => {
    const built = await buildTarball(spec({ edition: 'enterprise', arch: 'arm64' }), cache);
    const dir = path.dirname(built.path);
    const sum = await run('sha256sum', [built.name], { cwd: dir });
    expect(built.sha256Text).toBe(sum.stdout);
    expect(built.sha256Text).toBe(`${built.sha256}  ${built.name}\n`);
    expect(await readFile(built.sha256Path, 'utf8')).toBe(sum.stdout);
    const check = await run('sha256sum', ['-c', `${built.name}.sha256`], { cwd: dir });
    expect(check).toMatchObject({ code: 0, stdout: `${built.name}: OK\n` });
    expect(built.bytes).toBe((await stat(built.path)).size);
  });
});

describe('cache', () => {
  it('builds once and reuses the file', async () => {
    const first = await buildTarball(spec({ arch: 'arm' }), cache);
    const before = (await stat(first.path)).mtimeMs;
    const again = await buildTarball(spec({ arch: 'arm' }), cache);
    expect(again).toEqual(first);
    expect((await stat(again.path)).mtimeMs).toBe(before);
  });

  it('gives concurrent callers the same tarball', async () => {
    const fresh = path.join(work, 'concurrent');
    const [a, b] = await Promise.all([
      buildTarball(spec({ arch: '386' }), fresh),
      buildTarball(spec({ arch: '386' }), fresh),
    ]);
    expect(a).toEqual(b);
  });

  it('is reproducible: another cache dir gets the same bytes', async () => {
    const a = await buildTarball(spec(), cache);
    const b = await buildTarball(spec(), path.join(work, 'other-cache'));
    expect(b.path).not.toBe(a.path);
    expect(b.sha256).toBe(a.sha256);
  });

  it('keys small and bench apart', async () => {
    const small = await buildTarball(spec(), cache);
    expect(path.basename(path.dirname(small.path))).toMatch(
      /^teleport-v17\.4\.2-linux-amd64-bin\.small\./,
    );
  });
});

describe('bench layout (not built here: see README.md)', () => {
  it('sizes each binary like the real one, ~507 MiB in all for 17.x', () => {
    const entries = tarballEntries(spec({ size: 'bench' }));
    let total = 0;
    for (const e of entries) {
      if (e.padding === undefined) continue;
      const name = path.posix.basename(e.path);
      const size = Buffer.byteLength(e.content) + e.padding + PADDING_CLOSE.length;
      expect(size).toBe(BENCH_SIZES[name]);
      total += size;
    }
    expect(total / 2 ** 20).toBe(507);
  });
});
