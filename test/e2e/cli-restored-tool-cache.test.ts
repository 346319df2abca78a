// End to end: `teleport-ci setup` with TELEPORT_CI_TOOL_CACHE, the folder a GitLab `cache:` or
// a CircleCI `restore_cache` brings back in a later pipeline. A restored folder is used without
// downloading the tarball again only when its record matches the checksum the CDN publishes:
// whoever could save that cache could have written anything into it.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Double, startDouble } from '../double';
import { repoRoot } from './helpers';

const exec = promisify(execFile);
const CLI = join(repoRoot, 'packages', 'cli', 'dist', 'teleport-ci.cjs');
const VERSION = '17.4.2';
let double: Double;
let base: string;

beforeAll(async () => {
  double = await startDouble();
  base = await mkdtemp(join(tmpdir(), 'restored-tool-cache-'));
});
afterAll(async () => {
  await double?.close();
});

async function setup(toolCache: string, job: string) {
  const home = join(base, job);
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    TMPDIR: tmpdir(),
    GITLAB_CI: 'true',
    CI_JOB_ID: job,
    TELEPORT_CI_TOOL_CACHE: toolCache,
    ...double.env,
  };
  const r = await exec(CLI, ['setup', '--version', VERSION, '--print-env'], { env }).then(
    (ok) => ({ code: 0, stdout: ok.stdout, stderr: ok.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
  const path = /^export PATH='([^']+)':/m.exec(r.stdout)?.[1];
  return { ...r, path };
}

const tarballGets = () =>
  double.cdn.requests.filter((r) => r.method === 'GET' && r.path.endsWith('.tar.gz')).length;

describe('TELEPORT_CI_TOOL_CACHE restored from a CI cache', () => {
  it('a faithful copy is reused without downloading the tarball', async () => {
    const first = join(base, 'pipeline1', '.teleport-ci', 'tools');
    const a = await setup(first, 'job1');
    expect(a.code, a.stderr).toBe(0);
    expect(a.path?.startsWith(first)).toBe(true);
    const downloads = tarballGets();

    // The cache of a later pipeline: the same files, new inodes and times.
    const second = join(base, 'pipeline2', '.teleport-ci', 'tools');
    await cp(first, second, { recursive: true });
    const b = await setup(second, 'job2');
    expect(b.code, b.stderr).toBe(0);
    expect(b.path?.startsWith(second)).toBe(true);
    expect(tarballGets()).toBe(downloads);
    const { stdout } = await exec(join(b.path!, 'tbot'), ['version']);
    expect(stdout).toMatch(new RegExp(`^Teleport v${VERSION.replace(/\./g, '\\.')} `));
  });

  it('a copy whose binaries and record were both rewritten is not run: the tarball is downloaded again', async () => {
    const first = join(base, 'pipeline3', '.teleport-ci', 'tools');
    expect((await setup(first, 'job3')).code).toBe(0);
    const poisoned = join(base, 'pipeline4', '.teleport-ci', 'tools');
    await cp(first, poisoned, { recursive: true });
    // Rewrite tbot and make the slot's record agree with the planted file.
    const slot = join(poisoned, 'teleport', VERSION);
    const [arch] = (await readdir(slot)).filter((n) => !n.includes('.'));
    const tbot = join(slot, arch!, 'tbot');
    const planted = '#!/bin/sh\necho planted\n';
    await writeFile(tbot, planted, { mode: 0o755 });
    const marker = join(slot, `${arch}.complete`);
    const record = JSON.parse(await readFile(marker, 'utf8'));
    const { createHash } = await import('node:crypto');
    record.binaries.tbot = createHash('sha256').update(planted).digest('hex');
    record.archiveSha256 = createHash('sha256').update('a tarball of my own').digest('hex');
    delete record.identities;
    await writeFile(marker, JSON.stringify(record));

    const downloads = tarballGets();
    const run = await setup(poisoned, 'job4');
    expect(run.code, run.stderr).toBe(0);
    expect(tarballGets()).toBe(downloads + 1);
    const { stdout } = await exec(join(run.path!, 'tbot'), ['version']);
    expect(stdout).not.toContain('planted');
    expect(stdout).toMatch(/^Teleport v17\.4\.2 /);
  });
});
