// End to end: the committed `setup` bundle on a runner that sets neither RUNNER_TOOL_CACHE nor
// RUNNER_TEMP (a hand-rolled or containerised runner), where the shared temp folder may hold
// what another user planted there.
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Double, startDouble } from '../double';
import { repoRoot } from './helpers';

const exec = promisify(execFile);
let double: Double;

beforeAll(async () => {
  double = await startDouble();
});
afterAll(async () => {
  await double?.close();
});

/** Runs the bundle with only the variables such a runner sets; resolves with its outputs. */
async function runBare(machine: string) {
  const files = join(machine, 'files');
  await mkdir(files, { recursive: true });
  const env = {
    ...double.env,
    PATH: process.env.PATH ?? '',
    HOME: join(machine, 'home'),
    TMPDIR: join(machine, 'tmp'),
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    GITHUB_OUTPUT: join(files, 'output'),
    GITHUB_PATH: join(files, 'path'),
    GITHUB_STEP_SUMMARY: join(files, 'summary'),
    INPUT_VERSION: '17.4.2',
    INPUT_CACHE: 'false',
  };
  for (const f of [env.GITHUB_OUTPUT, env.GITHUB_PATH, env.GITHUB_STEP_SUMMARY])
    await writeFile(f, '');
  const result = await exec(process.execPath, [join(repoRoot, 'packages/setup/dist/main.mjs')], {
    env,
  }).then(
    (r) => ({ code: 0, out: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
  );
  const output = await readFile(env.GITHUB_OUTPUT, 'utf8');
  const path = /^path<<(\S+)\n(.*)\n\1$/m.exec(output)?.[2];
  return { ...result, path };
}

describe('no RUNNER_TOOL_CACHE, no RUNNER_TEMP', () => {
  it('ignores a world-writable teleport-tool-cache planted in the temp folder', async () => {
    const machine = await mkdtemp(join(tmpdir(), 'bare-'));
    const planted = join(machine, 'tmp', 'teleport-tool-cache');
    const slot = join(planted, 'teleport', '17.4.2', 'amd64');
    await mkdir(slot, { recursive: true });
    for (const n of ['tbot', 'tsh', 'tctl']) {
      await writeFile(join(slot, n), '#!/bin/sh\necho planted\n', { mode: 0o755 });
    }
    await writeFile(`${slot}.complete`, '');
    await chmod(planted, 0o777);

    const run = await runBare(machine);
    expect(run.code, run.out).toBe(0);
    const home = join(machine, 'home', '.cache', 'teleport-actions', 'tools');
    expect(run.path).toBe(join(home, 'teleport', '17.4.2', 'amd64'));
    expect((await stat(home)).mode & 0o777).toBe(0o700);
    const { stdout } = await exec(join(run.path!, 'tbot'), ['version']);
    expect(stdout).toMatch(/^Teleport v17\.4\.2 /);
  });

  it('refuses a default tool cache that others may write to, in one line', async () => {
    const machine = await mkdtemp(join(tmpdir(), 'bare-'));
    const home = join(machine, 'home', '.cache', 'teleport-actions', 'tools');
    await mkdir(home, { recursive: true });
    await chmod(home, 0o777);
    const run = await runBare(machine);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(
      new RegExp(
        `^::error::setup: The tool cache ${home} is not private \\(writable by others\\): remove it, or set RUNNER_TOOL_CACHE`,
        'm',
      ),
    );
    expect(run.path).toBeUndefined();
  });
});
