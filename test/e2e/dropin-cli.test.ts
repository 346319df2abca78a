// End to end: `teleport-ci` (the committed single-file bundle) as a drop-in for the official
// actions' behaviour on other CIs, against the Teleport double.
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Double, startDouble } from '../double';
import { repoRoot } from './helpers';

const CLI = join(repoRoot, 'packages', 'cli', 'dist', 'teleport-ci.cjs');
let double: Double;

beforeAll(async () => {
  double = await startDouble({ proxy: { serverVersion: '17.4.2', toolsVersion: '17.2.8' } });
});
afterAll(async () => {
  await double?.close();
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in a fresh GitLab-like job environment (no host variables leak in). */
async function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const home = await mkdtemp(join(tmpdir(), 'cli-dropin-'));
  return new Promise((resolve) => {
    const child = spawn(CLI, args, {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: home,
        TMPDIR: home,
        GITLAB_CI: 'true',
        CI_JOB_ID: '7',
        ...double.env,
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('teleport-ci setup defaults to version auto when a proxy is known', () => {
  it('--proxy alone installs the version the cluster asks for', async () => {
    const run = await cli(['setup', '--proxy', double.proxy.addr, '--print-env']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("No --version given: installing what the proxy asks for ('auto')");
    expect(run.stdout).toContain("export TELEPORT_CI_VERSION='17.2.8'"); // auto_update.tools_version
  });
  it('TELEPORT_PROXY alone does too', async () => {
    const run = await cli(['setup', '--print-env'], { TELEPORT_PROXY: double.proxy.addr });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("export TELEPORT_CI_VERSION='17.2.8'");
  });
  it('an explicit version still wins', async () => {
    const run = await cli([
      'setup',
      '--proxy',
      double.proxy.addr,
      '--version',
      '17.4.2',
      '--print-env',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("export TELEPORT_CI_VERSION='17.4.2'");
  });
});
