// End to end: several jobs of a self-hosted runner sharing one tool cache, as the committed
// `setup` bundle sees them: parallel installs of different binaries, a job killed mid-download,
// and a slot changed between jobs.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Double, startDouble } from '../double';
import { runAction } from '../runner';
import { expectSuccess, repoRoot, runnerFor } from './helpers';

const exec = promisify(execFile);
let double: Double;

beforeAll(async () => {
  double = await startDouble();
});
afterAll(async () => {
  await double?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('one tool cache, several jobs', () => {
  it('8 parallel installs of different binaries all succeed and each finds what it asked for', async () => {
    const opts = await runnerFor(double);
    const mixes = [
      'tbot',
      'tsh tctl',
      'tbot teleport',
      'tctl',
      'tbot tsh tctl',
      'teleport fdpass-teleport',
      'tsh',
      'tbot tsh tctl teleport',
    ];
    const jobs = await Promise.all(
      mixes.map((binaries) =>
        runAction(
          'packages/setup',
          { version: '17.1.0', binaries },
          { ...opts, workDir: undefined, stepTimeoutMs: 170_000 },
        ),
      ),
    );
    for (const [i, job] of jobs.entries()) {
      expectSuccess(job);
      const dir = job.steps[0]!.outputs.path!;
      expect(job.path[0]).toBe(dir);
      const present = await readdir(dir);
      for (const name of mixes[i]!.split(' ')) expect(present, mixes[i]).toContain(name);
    }
    const versionDir = join(opts.toolCache!, 'teleport', '17.1.0');
    expect((await readdir(versionDir)).sort()).toEqual(['amd64', 'amd64.complete']);
    expect((await readdir(join(versionDir, 'amd64'))).sort()).toEqual([
      'fdpass-teleport',
      'tbot',
      'tctl',
      'teleport',
      'tsh',
    ]);
    const { stdout } = await exec(join(versionDir, 'amd64', 'tbot'), ['version']);
    expect(stdout).toMatch(/^Teleport v17\.1\.0 /);
  }, 240_000);

  it('a job killed mid-download leaves nothing a later install trips on', async () => {
    const opts = await runnerFor(double);
    const versionDir = join(opts.toolCache!, 'teleport', '16.5.4');
    const temp = await mkdtemp(join(tmpdir(), 'killed-'));
    await mkdir(join(temp, 'files'));
    double.cdn.inject({ kind: 'slow-body', bytesPerSecond: 20_000, times: 1 });
    // The bundle as the runner starts it, so the test can SIGKILL it (no cleanup runs).
    const child: ChildProcess = spawn(
      process.execPath,
      [join(repoRoot, 'packages/setup/dist/main.mjs')],
      {
        env: {
          ...opts.env,
          PATH: process.env.PATH ?? '',
          RUNNER_OS: 'Linux',
          RUNNER_ARCH: 'X64',
          RUNNER_TOOL_CACHE: opts.toolCache!,
          RUNNER_TEMP: temp,
          GITHUB_OUTPUT: join(temp, 'files', 'output'),
          GITHUB_PATH: join(temp, 'files', 'path'),
          GITHUB_STEP_SUMMARY: join(temp, 'files', 'summary'),
          INPUT_VERSION: '16.5.4',
          INPUT_CACHE: 'false',
        },
        stdio: 'ignore',
      },
    );
    const exited = new Promise((r) => child.once('exit', r));
    const serving = () =>
      double.cdn.requests.some(
        (r) => r.path === '/teleport-v16.5.4-linux-amd64-bin.tar.gz' && r.bytesSent > 0,
      );
    for (let i = 0; i < 200 && !serving(); i++) await sleep(50);
    expect(serving()).toBe(true);
    await sleep(300);
    child.kill('SIGKILL');
    await exited;
    double.cdn.clearFaults();
    // What the kill left: a staging folder, and no slot.
    expect((await readdir(versionDir)).filter((n) => n.startsWith('.staging-'))).toHaveLength(1);

    const later = await runAction(
      'packages/setup',
      { version: '16.5.4', binaries: 'tbot' },
      { ...opts, workDir: undefined },
    );
    expectSuccess(later);
    expect(later.steps[0]!.outputs['cache-hit']).toBe('false');
    expect((await readdir(versionDir)).sort()).toEqual(['amd64', 'amd64.complete']);
    const { stdout } = await exec(join(versionDir, 'amd64', 'tbot'), ['version']);
    expect(stdout).toMatch(/^Teleport v16\.5\.4 /);
  });

  it('re-checks a reused slot: a tbot replaced between jobs is a miss, with a warning', async () => {
    const opts = await runnerFor(double);
    const first = await runAction('packages/setup', { version: '17.2.8' }, opts);
    expectSuccess(first);
    const dir = first.steps[0]!.outputs.path!;
    await writeFile(join(dir, 'tbot'), '#!/bin/sh\necho planted\n');
    const second = await runAction(
      'packages/setup',
      { version: '17.2.8' },
      { ...opts, workDir: undefined },
    );
    expectSuccess(second);
    expect(second.steps[0]!.outputs['cache-hit']).toBe('false');
    expect(second.annotations.map((a) => `${a.level}: ${a.message}`)).toEqual([
      expect.stringMatching(
        /^warning: The tool cache at \S+ does not match its record \(tbot changed since it was installed\); downloading again$/,
      ),
    ]);
    const { stdout } = await exec(join(dir, 'tbot'), ['version']);
    expect(stdout).toMatch(/^Teleport v17\.2\.8 /);
  });
});
