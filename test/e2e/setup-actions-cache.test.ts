// End to end: the committed `setup` bundle on "hosted runners" (a fresh machine per job: empty
// tool cache and workspace, at the same paths every time) with GitHub's Actions cache played
// by the cache service v2 double, so only the Actions cache can carry binaries between jobs.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Double, startDouble } from '../double';
import { type ActionsCacheServer, startActionsCacheServer } from '../double/actions-cache';
import { type JobResult, runAction } from '../runner';
import { expectSuccess, repoRoot } from './helpers';

const exec = promisify(execFile);
let double: Double;
let cache: ActionsCacheServer;

beforeAll(async () => {
  double = await startDouble();
});
afterAll(async () => {
  await double?.close();
});
beforeEach(async () => {
  cache = await startActionsCacheServer();
});
afterEach(async () => {
  await cache?.close();
});

const tarballGets = (name: string) =>
  double.cdn.requests.filter((r) => r.method === 'GET' && r.path === `/${name}`).length;
const archiveGets = () =>
  cache.requests.filter((r) => r.kind === 'blob' && r.method === 'GET').length;
const rpcs = () => cache.requests.filter((r) => r.kind === 'twirp').map((r) => r.rpc);

// The whole tarball, as the official setup action installs it (17.x ships teleport-update).
const ALL_BINARIES = ['fdpass-teleport', 'tbot', 'tctl', 'teleport', 'teleport-update', 'tsh'];
const warnings = (job: JobResult) => job.annotations.filter((a) => a.level === 'warning');
const errors = (job: JobResult) => job.annotations.filter((a) => a.level === 'error');
/** What the step printed, without the runner's `▼ Run` header (which echoes `cache: true`). */
const stepOutput = (job: JobResult) =>
  job.steps[0]!.log.split('\n').filter((l) => !/^(▼ Run | {2})/.test(l));

/**
 * A hosted runner: every job starts on a fresh machine whose tool cache and workspace are empty
 * but at the same paths as before (as /opt/hostedtoolcache is on GitHub). The paths matter:
 * `@actions/cache` derives an entry's version from the cached path and archives it relative
 * to the workspace.
 */
async function hostedRunner() {
  const machine = await mkdtemp(join(tmpdir(), 'hosted-'));
  const toolCache = join(machine, 'hostedtoolcache');
  const workspace = join(machine, 'work', 'repo', 'repo');
  return {
    toolCache,
    workspace,
    async job(
      inputs: Record<string, string>,
      env: Record<string, string> = { ...double.env, ...cache.env },
    ): Promise<JobResult> {
      await rm(toolCache, { recursive: true, force: true });
      await rm(workspace, { recursive: true, force: true });
      return runAction('packages/setup', inputs, {
        repoRoot,
        workDir: await mkdtemp(join(machine, 'job-')),
        workspace,
        toolCache,
        env,
        stepTimeoutMs: 170_000,
      });
    },
  };
}

describe('setup and the Actions cache on hosted runners', () => {
  it('saves on a miss; the next job, on a fresh machine, restores instead of downloading', async () => {
    const runner = await hostedRunner();
    const artifact = 'teleport-v17.4.2-linux-amd64-bin.tar.gz';
    const before = tarballGets(artifact);

    const a = await runner.job({ version: '17.4.2' });
    expectSuccess(a);
    expect(a.steps[0]!.outputs['cache-hit']).toBe('false');
    expect(tarballGets(artifact)).toBe(before + 1);
    expect(a.summary).toContain('SHA-256 verified');
    const entries = cache.entries();
    expect(entries).toHaveLength(1);
    expect(entries[0]!.key).toBe(
      'teleport-actions-teleport-17.4.2-linux-amd64-fdpass-teleport+tbot+tctl+teleport+teleport-update+tsh;',
    );
    expect(entries[0]!.size).toBeGreaterThan(0);
    expect(a.annotations).toEqual([]);

    const b = await runner.job({ version: '17.4.2' });
    expectSuccess(b);
    const out = b.steps[0]!.outputs;
    expect(out['cache-hit']).toBe('true');
    expect(out.path).toBe(join(runner.toolCache, 'teleport', '17.4.2', 'amd64'));
    expect(tarballGets(artifact)).toBe(before + 1); // no second tarball download
    expect(b.summary).toContain(
      `Installed Teleport OSS 17.4.2 (teleport, tbot, tsh, tctl, fdpass-teleport, teleport-update) for linux-amd64 from the Actions cache (originally ${double.cdn.baseUrl}/${artifact}).`,
    );
    expect(b.annotations).toEqual([]);
    expect(cache.entries()).toHaveLength(1); // a hit saves nothing
    expect(rpcs()).toEqual([
      'GetCacheEntryDownloadURL', // job A: miss
      'CreateCacheEntry',
      'FinalizeCacheEntryUpload',
      'GetCacheEntryDownloadURL', // job B: hit
    ]);
    expect(archiveGets()).toBe(1);
    expect((await readdir(out.path!)).sort()).toEqual(ALL_BINARIES);
    const { stdout } = await exec(join(out.path!, 'tbot'), ['version']);
    expect(stdout).toMatch(/^Teleport v17\.4\.2 git:v17\.4\.2-0-g[0-9a-f]+ go\d/);
  });

  it('keeps editions apart: an OSS entry is never restored for an Enterprise request', async () => {
    const runner = await hostedRunner();
    expectSuccess(await runner.job({ version: '17.4.2' }));
    const ent = await runner.job({ version: '17.4.2', edition: 'enterprise' });
    expectSuccess(ent);
    expect(ent.steps[0]!.outputs['cache-hit']).toBe('false');
    expect(archiveGets()).toBe(0);
    expect(cache.entries().map((e) => e.key)).toEqual([
      'teleport-actions-teleport-17.4.2-linux-amd64-fdpass-teleport+tbot+tctl+teleport+teleport-update+tsh;',
      'teleport-actions-teleport-ent-17.4.2-linux-amd64-fdpass-teleport+tbot+tctl+teleport+teleport-update+tsh;',
    ]);
    const { stdout } = await exec(join(ent.steps[0]!.outputs.path!, 'tbot'), ['version']);
    expect(stdout).toMatch(/^Teleport Enterprise v17\.4\.2 /);
  });

  it('with `cache: false`, never talks to the cache service', async () => {
    const runner = await hostedRunner();
    const a = await runner.job({ version: '16.5.4', cache: 'false' });
    const b = await runner.job({ version: '16.5.4', cache: 'false' });
    expectSuccess(a);
    expectSuccess(b);
    expect(b.steps[0]!.outputs['cache-hit']).toBe('false');
    expect(cache.requests).toEqual([]);
    expect(cache.entries()).toEqual([]);
  });

  // The library retries each twirp call 5 times over ~30 s before giving up: ~1 min here.
  it('only warns when the cache service answers 500 on restore and on save', async () => {
    cache.inject('all');
    const runner = await hostedRunner();
    const artifact = 'teleport-v18.6.4-linux-amd64-bin.tar.gz';
    const before = tarballGets(artifact);
    const job = await runner.job({ version: '18.6.4' });
    expectSuccess(job);
    expect(job.steps[0]!.outputs['cache-hit']).toBe('false');
    expect(tarballGets(artifact)).toBe(before + 1);
    expect(job.summary).toContain('SHA-256 verified');
    expect(errors(job)).toEqual([]);
    expect(job.log).toMatch(
      /^Warning: Failed to restore: Failed to GetCacheEntryDownloadURL: .*\(500\)/m,
    );
    // A refused reservation is what a concurrent save looks like to the library, which logs
    // it as information (it tells the case apart by the error's class name).
    expect(job.log).toMatch(
      /^Failed to save: Unable to reserve cache with key teleport-actions-teleport-18\.6\.4-/m,
    );
    // Both operations were tried, and every answer was a 500.
    expect(new Set(cache.requests.map((r) => `${r.rpc} ${r.status}`))).toEqual(
      new Set(['GetCacheEntryDownloadURL 500', 'CreateCacheEntry 500']),
    );
    expect(cache.entries()).toEqual([]);
    const { stdout } = await exec(join(job.steps[0]!.outputs.path!, 'tbot'), ['version']);
    expect(stdout).toMatch(/^Teleport v18\.6\.4 /);
  }, 180_000);

  it('only warns when the blob store fails the download, then the upload', async () => {
    const runner = await hostedRunner();
    expectSuccess(await runner.job({ version: '17.2.8' }));
    const saved = cache.entries();
    cache.inject({ fail: 'restore', at: 'blob' });
    const restoreFails = await runner.job({ version: '17.2.8' });
    expectSuccess(restoreFails);
    expect(restoreFails.steps[0]!.outputs['cache-hit']).toBe('false');
    expect(errors(restoreFails)).toEqual([]);
    expect(stepOutput(restoreFails)).toContain(
      'Warning: Failed to restore: downloadCache failed: Cache service responded with 500',
    );

    cache.inject({ fail: 'save', at: 'blob' });
    const saveFails = await runner.job({ version: '17.2.8', binaries: 'tbot tsh' });
    expectSuccess(saveFails);
    expect(errors(saveFails)).toEqual([]);
    expect(stepOutput(saveFails)).toContain('Warning: Failed to save: injected fault');
    expect(cache.entries()).toEqual(saved);
  }, 120_000);

  it('costs nothing and says nothing without a cache service (self-hosted, other CIs)', async () => {
    const runner = await hostedRunner();
    const withCache = await runner.job({ version: '17.2.8' }, { ...double.env });
    const without = await runner.job({ version: '17.2.8', cache: 'false' }, { ...double.env });
    expectSuccess(withCache);
    expectSuccess(without);
    expect(withCache.steps[0]!.outputs['cache-hit']).toBe('false');
    expect(withCache.annotations).toEqual([]);
    expect(stepOutput(withCache).filter((l) => /cache|warning/i.test(l))).toEqual([]);
    // `@actions/cache` alone would spend ~10 s per call retrying a missing service URL.
    expect(withCache.steps[0]!.durationMs).toBeLessThan(without.steps[0]!.durationMs + 2_000);
    expect(cache.requests).toEqual([]);
  });

  // The bundle keeps class names (esbuild `keepNames`): `@actions/cache` tells a lost
  // reservation race (`ReserveCacheError`, logged as info) from a real failure by name.
  it('does not warn when another job is already saving the same entry', async () => {
    const runner = await hostedRunner();
    // Job A reserves the entry but never commits it: as if it were still uploading.
    cache.inject({ fail: 'save', at: 'FinalizeCacheEntryUpload', status: 400 });
    expectSuccess(await runner.job({ version: '16.5.4' }));
    expect(cache.entries()).toEqual([]);
    cache.inject(null);
    const b = await runner.job({ version: '16.5.4' });
    expectSuccess(b);
    expect(rpcs().slice(-2)).toEqual(['GetCacheEntryDownloadURL', 'CreateCacheEntry']);
    expect(cache.requests.at(-1)!.status).toBe(409);
    expect(errors(b)).toEqual([]);
    expect(warnings(b)).toEqual([]);
    expect(b.log).toMatch(
      /^Failed to save: Unable to reserve cache .* another job may be creating this cache\.$/m,
    );
  });

  // The cache service also matches keys by prefix; keys end in ';' so that `...-tbot` never
  // matches `...-tbot+tctl+tsh` and a job pays for one source only.
  it('never pays for both the cache archive and the tarball', async () => {
    const runner = await hostedRunner();
    const artifact = 'teleport-v17.2.8-linux-amd64-bin.tar.gz';
    expectSuccess(await runner.job({ version: '17.2.8' }));
    const [archives, tarballs] = [archiveGets(), tarballGets(artifact)];
    const job = await runner.job({ version: '17.2.8', binaries: 'tbot' });
    expectSuccess(job);
    expect(job.steps[0]!.outputs['cache-hit']).toBe('false');
    expect(job.log).not.toContain('Cache hit for restore-key');
    expect({
      archives: archiveGets() - archives,
      tarballs: tarballGets(artifact) - tarballs,
    }).toEqual({ archives: 0, tarballs: 1 });
  });

  // Anyone whose workflow runs in the repository can save an entry under the key setup uses.
  // Each entry here is saved from a slot tampered with after a clean install.
  const tamperings: Array<[string, (slot: string) => Promise<void>, RegExp]> = [
    [
      'a replaced tbot',
      (slot) => writeFile(join(slot, 'tbot'), '#!/bin/sh\necho pwned\n'),
      /\(tbot has SHA-256 [0-9a-f]{64}, recorded [0-9a-f]{64}\)/,
    ],
    [
      'a record of another archive',
      async (slot) => {
        const record = JSON.parse(await readFile(`${slot}.complete`, 'utf8'));
        await writeFile(
          `${slot}.complete`,
          JSON.stringify({ ...record, archiveSha256: 'e'.repeat(64) }),
        );
      },
      /\(recorded archive SHA-256 e{64}, expected [0-9a-f]{64}\)/,
    ],
    ['no record', (slot) => writeFile(`${slot}.complete`, ''), /\(no SHA-256 record\)/],
  ];
  it.each(tamperings)(
    'refuses a restored entry with %s: warns, downloads, verifies',
    async (_l, tamper, why) => {
      const runner = await hostedRunner();
      const artifact = 'teleport-v17.1.0-linux-amd64-bin.tar.gz';
      const key =
        'teleport-actions-teleport-17.1.0-linux-amd64-fdpass-teleport+tbot+tctl+teleport+teleport-update+tsh;';
      // Job A installs and records the SHA-256s, but its own save is refused, so the entry
      // under the key is the tampered one.
      cache.inject({ fail: 'save', at: 'CreateCacheEntry', status: 400 });
      const a = await runner.job({ version: '17.1.0' });
      cache.inject(null);
      expectSuccess(a);
      expect(cache.entries()).toEqual([]);
      const slot = a.steps[0]!.outputs.path!;
      await tamper(slot);
      await saveEntry(runner.workspace, [slot, `${slot}.complete`], key);
      expect(cache.entries().map((e) => e.key)).toEqual([key]);

      const before = tarballGets(artifact);
      const b = await runner.job({ version: '17.1.0' });
      expectSuccess(b);
      expect(archiveGets()).toBe(1); // restored, then refused
      expect(b.steps[0]!.outputs['cache-hit']).toBe('false');
      expect(tarballGets(artifact)).toBe(before + 1);
      expect(b.summary).toContain('SHA-256 verified');
      expect(errors(b)).toEqual([]);
      const refused = warnings(b).map((w) => w.message);
      expect(refused).toHaveLength(1);
      expect(refused[0]).toMatch(
        /^The Actions cache entry teleport-actions-teleport-17\.1\.0-linux-amd64-fdpass-teleport\+tbot\+tctl\+teleport\+teleport-update\+tsh; does not match the published archive /,
      );
      expect(refused[0]).toMatch(why);
      const { stdout } = await exec(join(b.steps[0]!.outputs.path!, 'tbot'), ['version']);
      expect(stdout).toMatch(/^Teleport v17\.1\.0 git:/);
    },
  );
});

/** Saves `paths` under `key` with `@actions/cache` itself, as another workflow could. */
async function saveEntry(workspace: string, paths: string[], key: string) {
  await mkdir(workspace, { recursive: true });
  const script = `import('@actions/cache').then((c) => c.saveCache(${JSON.stringify(paths)}, ${JSON.stringify(key)})).then((id) => { if (!(id > 0)) process.exit(3); })`;
  await exec(process.execPath, ['-e', script], {
    cwd: repoRoot,
    env: { ...process.env, ...cache.env, GITHUB_WORKSPACE: workspace, RUNNER_TEMP: workspace },
  });
}
