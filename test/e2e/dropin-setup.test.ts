// End to end: workflows written for the official `teleport-actions/*` actions run unchanged
// against the committed `setup` bundle and the Teleport double (the official actions'
// `action.yml` and `common/lib` are the reference).
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Double, startDouble } from '../double';
import { runAction, runWorkflow } from '../runner';
import { expectOneLineFailure, expectSuccess, filesUnder, runnerFor } from './helpers';

let double: Double;

beforeAll(async () => {
  double = await startDouble({ proxy: { serverVersion: '17.4.2', toolsVersion: '17.4.2' } });
});
afterAll(async () => {
  await double?.close();
});

describe('booleans as the official actions write them', () => {
  it("reads '1' (with spaces) as true, like the official actions", async () => {
    const job = await runAction(
      'packages/setup',
      { version: '17.4.2', enterprise: ' 1 ', cache: '0' },
      await runnerFor(double),
    );
    expectSuccess(job);
    expect(job.steps[0]!.outputs.edition).toBe('enterprise');
  });

  it('refuses a word that is no boolean instead of reading it as false', async () => {
    const opts = await runnerFor(double);
    const job = await runAction('packages/setup', { version: '17.4.2', enterprise: 'yes' }, opts);
    expectOneLineFailure(
      job,
      /^setup: Input 'enterprise': 'yes' is not one of 'true', 'false', '1' or '0'/,
    );
    expect(await filesUnder(opts.toolCache!)).toEqual([]);
  });
});

const tarballGets = (name: string) =>
  double.cdn.requests.filter((r) => r.method === 'GET' && r.path === `/${name}`).length;

describe('setup installs the whole tarball, as the official action does', () => {
  it('a workflow calls teleport, tctl and tsh after setup', async () => {
    const job = await runWorkflow(
      `
on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: ./packages/setup
        with:
          version: auto
          proxy: \${{ vars.TELEPORT_PROXY }}
      - run: |
          teleport version
          tctl version
          tsh version
          teleport-update version
          command -v fdpass-teleport
`,
      await runnerFor(double, { vars: { TELEPORT_PROXY: double.proxy.addr } }),
    );
    expectSuccess(job);
    expect(job.steps[1]!.log).toMatch(/Teleport v17\.4\.2 git:/);
  });

  it('installs what a release ships: no teleport-update in a v16 tarball, and a second job hits the tool cache', async () => {
    const opts = await runnerFor(double);
    const artifact = 'teleport-v16.5.4-linux-amd64-bin.tar.gz';
    const before = tarballGets(artifact);
    const first = await runAction('packages/setup', { version: '16.5.4' }, opts);
    expectSuccess(first);
    const dir = first.steps[0]!.outputs.path!;
    expect((await readdir(dir)).sort()).toEqual([
      'fdpass-teleport',
      'tbot',
      'tctl',
      'teleport',
      'tsh',
    ]);
    expect(first.summary).toContain('(teleport, tbot, tsh, tctl, fdpass-teleport)');
    // The record says the archive lacks teleport-update: the cached slot is complete.
    const second = await runAction('packages/setup', { version: '16.5.4', cache: 'false' }, opts);
    expectSuccess(second);
    expect(second.steps[0]!.outputs['cache-hit']).toBe('true');
    expect(tarballGets(artifact)).toBe(before + 1);
  });

  it('a narrowed first install does not satisfy a later whole-tarball one', async () => {
    const opts = await runnerFor(double);
    expectSuccess(await runAction('packages/setup', { version: '17.4.2', binaries: 'tbot' }, opts));
    const all = await runAction('packages/setup', { version: '17.4.2' }, opts);
    expectSuccess(all);
    expect(all.steps[0]!.outputs['cache-hit']).toBe('false');
    expect(await readdir(all.steps[0]!.outputs.path!)).toContain('teleport-update');
  });

  it('names a binary the tarball lacks when it was asked for by name', async () => {
    const opts = await runnerFor(double);
    const job = await runAction(
      'packages/setup',
      { version: '16.5.4', binaries: 'tbot teleport-update' },
      opts,
    );
    expectOneLineFailure(
      job,
      /^setup: The tarball \S+ has no teleport\/teleport-update: check 'binaries'/,
    );
  });
});

describe('macOS: tsh and tctl from the app bundles of v17+ darwin tarballs', () => {
  it('installs the bundles and links tsh/tctl on PATH into them', async () => {
    const opts = await runnerFor(double, { runnerOs: 'macOS' });
    const job = await runWorkflow(
      `
on: push
jobs:
  deploy:
    runs-on: macos-latest
    steps:
      - uses: ./packages/setup
        id: teleport
        with:
          version: 17.4.2
      - run: |
          tsh version
          tctl version
          teleport version
`,
      opts,
    );
    expectSuccess(job);
    const dir = job.steps[0]!.outputs.path!;
    expect(dir).toBe(join(opts.toolCache!, 'teleport', '17.4.2', 'amd64'));
    expect(job.summary).toContain('teleport-v17.4.2-darwin-amd64-bin.tar.gz');
    expect((await readdir(dir)).sort()).toEqual([
      'fdpass-teleport',
      'tbot',
      'tctl',
      'tctl.app',
      'teleport',
      'teleport-update',
      'tsh',
      'tsh.app',
    ]);
    for (const name of ['tsh', 'tctl']) {
      expect((await lstat(join(dir, name))).isSymbolicLink()).toBe(true);
      expect(await readlink(join(dir, name))).toBe(`${name}.app/Contents/MacOS/${name}`);
      // The whole bundle, not only its binary: the binary needs its bundle to run.
      expect(await readdir(join(dir, `${name}.app`, 'Contents'))).toContain('Info.plist');
    }
    expect(job.steps[1]!.log).toMatch(/Teleport v17\.4\.2 git:/);

    // A second job finds the bundles and their links in the tool cache.
    const again = await runAction('packages/setup', { version: '17.4.2' }, opts);
    expectSuccess(again);
    expect(again.steps[0]!.outputs['cache-hit']).toBe('true');
  });

  it('takes bare tsh/tctl from a v16 darwin tarball', async () => {
    const opts = await runnerFor(double, { runnerOs: 'macOS' });
    const job = await runAction(
      'packages/setup',
      { version: '16.5.4', binaries: 'tsh tctl' },
      opts,
    );
    expectSuccess(job);
    const dir = job.steps[0]!.outputs.path!;
    expect((await readdir(dir)).sort()).toEqual(['tctl', 'tsh']);
    expect((await lstat(join(dir, 'tsh'))).isFile()).toBe(true);
  });
});
