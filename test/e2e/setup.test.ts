// End to end: the committed `setup` bundle, run as the GitHub runner runs it, against the
// Teleport double's CDN and proxy (teleport-behaviour.md §5.1 for /webapi/find, §6 for the CDN).
import { execFile } from 'node:child_process';
import { access, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Double, startDouble } from '../double';
import { runAction, runWorkflow } from '../runner';
import { expectOneLineFailure, expectSuccess, filesUnder, runnerFor } from './helpers';

const exec = promisify(execFile);
let double: Double;

beforeAll(async () => {
  double = await startDouble({ proxy: { serverVersion: '17.4.2', toolsVersion: '17.2.8' } });
});
afterAll(async () => {
  await double?.close();
});

const tarballGets = (name: string) =>
  double.cdn.requests.filter((r) => r.method === 'GET' && r.path === `/${name}`).length;

describe('setup installs verified binaries', () => {
  it('installs a pinned version onto PATH with the documented outputs', async () => {
    const opts = await runnerFor(double);
    const job = await runAction('packages/setup', { version: 'v17.4.2' }, opts);
    expectSuccess(job);
    const outputs = job.steps[0]!.outputs;
    expect(outputs).toMatchObject({
      version: '17.4.2',
      edition: 'oss',
      fips: 'false',
      'cache-hit': 'false',
    });
    expect(outputs.path).toBe(join(opts.toolCache!, 'teleport', '17.4.2', 'amd64'));
    // The whole tarball, as the official action installs it (17.x ships teleport-update).
    expect((await readdir(outputs.path!)).sort()).toEqual([
      'fdpass-teleport',
      'tbot',
      'tctl',
      'teleport',
      'teleport-update',
      'tsh',
    ]);
    expect(job.path[0]).toBe(outputs.path);
    expect(job.summary).toMatch(
      /Installed Teleport OSS 17\.4\.2 \(teleport, tbot, tsh, tctl, fdpass-teleport, teleport-update\) for linux-amd64 downloaded from https:\/\/.*teleport-v17\.4\.2-linux-amd64-bin\.tar\.gz, SHA-256 verified\./,
    );
    const { stdout } = await exec(join(outputs.path!, 'tbot'), ['version']);
    expect(stdout).toMatch(/^Teleport v17\.4\.2 git:v17\.4\.2-0-g[0-9a-f]+ go\d/); // teleport-behaviour.md §1.4
  });

  it('runs tbot from PATH in a later step of the workflow', async () => {
    const job = await runWorkflow(
      `
on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: ./packages/setup
        id: teleport
        with:
          version: auto
          proxy: \${{ vars.TELEPORT_PROXY }}
      - run: |
          tbot version
          tsh version
          echo "installed=\${{ steps.teleport.outputs.version }}"
`,
      await runnerFor(double, { vars: { TELEPORT_PROXY: double.proxy.addr } }),
    );
    expectSuccess(job);
    // version: auto follows auto_update.tools_version, not the proxy's own version.
    expect(job.steps[1]!.log).toMatch(/Teleport v17\.2\.8 git:/);
    expect(job.steps[1]!.log).toContain('installed=17.2.8');
  });

  it('falls back to server_version on a proxy without auto_update', async () => {
    const old = await double.startProxy({ legacy: true, serverVersion: '16.5.4' });
    const job = await runAction(
      'packages/setup',
      { version: 'auto', proxy: old.addr },
      await runnerFor(double),
    );
    expectSuccess(job);
    expect(job.steps[0]!.outputs.version).toBe('16.5.4');
    expect(job.steps[0]!.log).toMatch(
      /server version \(no auto_update in \/webapi\/find\) 16\.5\.4/,
    );
  });

  it.each([
    [
      'enterprise',
      { edition: 'ent' as const },
      'teleport-ent-v17.4.2-linux-amd64-bin.tar.gz',
      'false',
    ],
    [
      'FIPS',
      { edition: 'ent' as const, fips: true },
      'teleport-ent-v17.4.2-linux-amd64-fips-bin.tar.gz',
      'true',
    ],
  ])(
    'follows an %s cluster: right URL, right top folder',
    async (_label, build, artifact, fips) => {
      const proxy = await double.startProxy({ serverVersion: '17.4.2', ...build });
      const before = tarballGets(artifact);
      const job = await runAction(
        'packages/setup',
        { version: 'auto', proxy: proxy.addr },
        await runnerFor(double),
      );
      expectSuccess(job);
      expect(tarballGets(artifact)).toBe(before + 1);
      expect(job.steps[0]!.outputs).toMatchObject({ edition: 'enterprise', fips });
      const { stdout } = await exec(join(job.steps[0]!.outputs.path!, 'tbot'), ['version']);
      expect(stdout).toMatch(/^Teleport Enterprise v17\.4\.2 /); // only teleport-ent/ holds these
    },
  );

  it('keeps the official enterprise input working', async () => {
    const job = await runAction(
      'packages/setup',
      { version: '17.4.2', enterprise: 'true' },
      await runnerFor(double),
    );
    expectSuccess(job);
    expect(job.steps[0]!.outputs.edition).toBe('enterprise');
    expect(job.summary).toContain('teleport-ent-v17.4.2-linux-amd64-bin.tar.gz');
  });

  it('installs extra binaries on request', async () => {
    const job = await runAction(
      'packages/setup',
      { version: '17.4.2', binaries: 'tbot teleport' },
      await runnerFor(double),
    );
    expectSuccess(job);
    expect((await readdir(job.steps[0]!.outputs.path!)).sort()).toEqual(['tbot', 'teleport']);
  });
});

describe('caching', () => {
  it('hits the tool cache on the second run without downloading', async () => {
    const opts = await runnerFor(double);
    const artifact = 'teleport-v18.6.4-linux-amd64-bin.tar.gz';
    const first = await runAction('packages/setup', { version: '18.6.4' }, opts);
    expect(first.steps[0]!.outputs['cache-hit']).toBe('false');
    const gets = tarballGets(artifact);
    const second = await runAction(
      'packages/setup',
      { version: '18.6.4' },
      { ...opts, workDir: undefined },
    );
    expectSuccess(second);
    expect(second.steps[0]!.outputs['cache-hit']).toBe('true');
    expect(second.steps[0]!.outputs.path).toBe(first.steps[0]!.outputs.path);
    expect(tarballGets(artifact)).toBe(gets);
    expect(second.summary).toContain('from the tool cache');
  });

  it('lets two jobs install the same version at once and leaves one good copy', async () => {
    const opts = await runnerFor(double);
    const jobs = await Promise.all([
      runAction('packages/setup', { version: '16.5.4' }, { ...opts, workDir: undefined }),
      runAction('packages/setup', { version: '16.5.4' }, { ...opts, workDir: undefined }),
    ]);
    expect(jobs.map((j) => j.status)).toEqual(['success', 'success']);
    const versionDir = join(opts.toolCache!, 'teleport', '16.5.4');
    expect((await readdir(versionDir)).sort()).toEqual(['amd64', 'amd64.complete']);
    await exec(join(versionDir, 'amd64', 'tbot'), ['version']);
  });
});

describe('network faults', () => {
  it('logs progress (percent, MB/s) at most every few seconds on a slow download', async () => {
    double.cdn.inject({ kind: 'slow-body', bytesPerSecond: 15_000, times: 1 });
    const job = await runAction('packages/setup', { version: '17.2.8' }, await runnerFor(double));
    double.cdn.clearFaults();
    expectSuccess(job);
    const lines = job.log.split('\n').filter((l) => l.includes('Downloading:'));
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines[0]).toMatch(/Downloading: \d+% \([\d.]+ of [\d.]+ MB\) at [\d.]+ MB\/s$/);
    // One line per 5 s at most: a ~7 s download gives one, never a flood.
    expect(lines.length).toBeLessThanOrEqual(Math.ceil(job.steps[0]!.durationMs / 5000));
  });

  it('retries 5xx answers, then succeeds', async () => {
    double.cdn.inject({ kind: 'status', status: 503, times: 2 });
    const job = await runAction('packages/setup', { version: '17.4.2' }, await runnerFor(double));
    double.cdn.clearFaults();
    expectSuccess(job);
    expect(job.log).toMatch(/HTTP 503\), retrying/);
  });

  it('retries a connection cut mid-body, then succeeds', async () => {
    double.cdn.inject({ kind: 'drop-mid-body', times: 1 });
    const job = await runAction('packages/setup', { version: '17.4.2' }, await runnerFor(double));
    double.cdn.clearFaults();
    expectSuccess(job);
    expect(job.log).toMatch(/connection closed after \d+ of \d+ bytes\), retrying/);
    const { stdout } = await exec(join(job.steps[0]!.outputs.path!, 'tbot'), ['version']);
    expect(stdout).toMatch(/^Teleport v17\.4\.2 /);
  });

  it('gives up on a persistent failure with a clear error and nothing installed', async () => {
    double.cdn.inject({ kind: 'status', status: 502, times: 100 });
    const opts = await runnerFor(double);
    const job = await runAction('packages/setup', { version: '17.4.2' }, opts);
    double.cdn.clearFaults();
    expectOneLineFailure(
      job,
      /^setup: Could not download https:\/\/\S+: HTTP 502; the step retried and gave up$/,
    );
    expect(await filesUnder(opts.toolCache!)).toEqual([]);
  });

  it('refuses a tarball whose checksum does not match, installing nothing', async () => {
    double.cdn.inject({ kind: 'wrong-checksum', times: 1 });
    const opts = await runnerFor(double);
    const job = await runAction('packages/setup', { version: '17.4.2' }, opts);
    double.cdn.clearFaults();
    expectOneLineFailure(
      job,
      /^setup: Checksum mismatch for https:\/\/\S+: expected SHA-256 [0-9a-f]{64}, got [0-9a-f]{64}; nothing was installed/,
    );
    expect(await filesUnder(opts.toolCache!)).toEqual([]);
  });

  it('checks a pinned hash instead of the published one', async () => {
    const { sha256 } = await double.cdn.tarball({
      version: '17.4.2',
      edition: 'oss',
      os: 'linux',
      arch: 'amd64',
      size: 'small',
    });
    const good = await runAction(
      'packages/setup',
      { version: '17.4.2', sha256 },
      await runnerFor(double),
    );
    expectSuccess(good);
    const opts = await runnerFor(double);
    const bad = await runAction(
      'packages/setup',
      { version: '17.4.2', sha256: 'f'.repeat(64) },
      opts,
    );
    expectOneLineFailure(bad, /Checksum mismatch/);
    expect(await filesUnder(opts.toolCache!)).toEqual([]);
  });

  it('names a version the CDN does not have', async () => {
    const opts = await runnerFor(double);
    const job = await runAction('packages/setup', { version: '17.9.9' }, opts);
    expectOneLineFailure(
      job,
      /^setup: Teleport 17\.9\.9 \(OSS, linux-amd64\) is not published at https:\/\/\S+: .*answered 404; check 'version' and 'edition'$/,
    );
    expect(await filesUnder(opts.toolCache!)).toEqual([]);
  });
});

describe('bad input: one line naming the input, nothing in the tool cache', () => {
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['empty version', { version: '' }, /^setup: Input 'version': is empty/],
    ['version 17', { version: '17' }, /^setup: Input 'version': '17' is not a full version/],
    ['version 17.4', { version: '17.4' }, /^setup: Input 'version': '17\.4' is not a full version/],
    [
      'version latest-ish',
      { version: 'latest-ish' },
      /^setup: Input 'version': 'latest-ish' is not a full version/,
    ],
    [
      'auto without proxy',
      { version: 'auto' },
      /^setup: Input 'proxy': is required with 'version: auto'/,
    ],
    [
      'proxy with a scheme',
      { version: 'auto', proxy: 'https://teleport.example.com' },
      /^setup: Input 'proxy': .* has a URL scheme/,
    ],
    [
      'proxy with a path',
      { version: 'auto', proxy: 'teleport.example.com/web' },
      /^setup: Input 'proxy': .* has a path/,
    ],
    [
      'proxy holding a Unicode line separator',
      { version: 'auto', proxy: 'teleport.example.com\u2028::add-path::/tmp' },
      /^setup: Input 'proxy': holds a control character or line separator \(U\+2028\)/,
    ],
    [
      'mirror holding a control character',
      { version: '17.4.2', 'cdn-base-url': 'https://mirror.example.com/\u0085x' },
      /^setup: Input 'cdn-base-url': holds a control character or line separator \(U\+0085\)/,
    ],
    [
      'unknown edition',
      { version: '17.4.2', edition: 'premium' },
      /^setup: Input 'edition': 'premium' is not one of 'auto', 'oss' or 'enterprise'/,
    ],
    [
      'malformed pinned hash',
      { version: '17.4.2', sha256: 'abc123' },
      /^setup: Input 'sha256': must be the 64 hexadecimal digits/,
    ],
    [
      'unknown binary',
      { version: '17.4.2', binaries: 'tbot kubectl' },
      /^setup: Input 'binaries': unknown kubectl/,
    ],
  ];
  it.each(cases)('%s', async (_label, inputs, message) => {
    const opts = await runnerFor(double);
    const job = await runAction('packages/setup', inputs, opts);
    expectOneLineFailure(job, message);
    expect(await filesUnder(opts.toolCache!)).toEqual([]);
  });

  it('an unreachable proxy', async () => {
    const opts = await runnerFor(double);
    const job = await runAction('packages/setup', { version: 'auto', proxy: 'localhost:1' }, opts);
    expectOneLineFailure(
      job,
      /^setup: Could not reach proxy localhost:1: connection refused; check 'proxy'/,
    );
    expect(await filesUnder(opts.toolCache!)).toEqual([]);
  });

  it('a proxy answering HTML', async () => {
    const html = await double.startProxy({ html: true });
    const opts = await runnerFor(double);
    const job = await runAction('packages/setup', { version: 'auto', proxy: html.addr }, opts);
    expectOneLineFailure(
      job,
      /^setup: Proxy localhost:\d+ is not a Teleport proxy: \/webapi\/find answered HTML, not JSON: check 'proxy'/,
    );
    expect(await filesUnder(opts.toolCache!)).toEqual([]);
  });

  it('an unsupported platform', async () => {
    const opts = await runnerFor(double, { runnerOs: 'Windows' });
    const job = await runAction('packages/setup', { version: '17.4.2' }, opts);
    expectOneLineFailure(
      job,
      /^setup: Windows runners are not supported: .*use Linux \(amd64, arm64, arm, 386\) and macOS \(amd64, arm64\)$/,
    );
    await expect(access(opts.toolCache!)).rejects.toThrow();
  });
});
