// The push step against local bare repositories standing in for teleport-actions/<name>:
// commits, version tags and the major tag as a series of releases leaves them.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLsRemote, pushActionTree } from './push-trees';

const exec = promisify(execFile);
let base: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'push-trees-'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await exec('git', args, { cwd })).stdout.trim();
}

async function bareRepo(name: string): Promise<string> {
  const dir = join(base, `${name}.git`);
  await exec('git', ['init', '-q', '--bare', '-b', 'main', dir]);
  return dir;
}

/** An assembled tree whose bundle says which version it is. */
async function tree(version: string, extra: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(base, 'tree-'));
  await mkdir(join(dir, 'dist'));
  await writeFile(join(dir, 'action.yml'), 'runs:\n  using: node24\n  main: dist/main.mjs\n');
  await writeFile(join(dir, 'dist', 'main.mjs'), `// @teleport-actions/auth ${version}\n`);
  for (const [file, text] of Object.entries(extra)) await writeFile(join(dir, file), text);
  return dir;
}

const quiet = { log: () => {} };
const tagCommit = (repo: string, tag: string) => git(repo, 'rev-parse', `${tag}^{commit}`);

describe('pushActionTree', () => {
  it('releases v1.0.0, v1.1.0, an rc and an old-line patch: v1 follows the newest stable', async () => {
    const remote = await bareRepo('auth');
    const first = await pushActionTree({
      ...quiet,
      tree: await tree('1.0.0', { 'README.md': 'one' }),
      remote,
      tag: 'v1.0.0',
      sourceSha: 'abc123',
    });
    expect(first).toMatchObject({ status: 'created', moved: ['v1'] });
    expect(await tagCommit(remote, 'v1')).toBe(first.commit);
    expect(await git(remote, 'rev-parse', 'main')).toBe(first.commit);
    expect(await git(remote, 'cat-file', '-t', 'v1.0.0')).toBe('tag'); // annotated
    expect(await git(remote, 'log', '-1', '--format=%s|%an', 'main')).toBe(
      'v1.0.0 from teleport-actions/root@abc123|github-actions[bot]',
    );
    expect((await git(remote, 'ls-tree', '-r', '--name-only', 'main')).split('\n')).toEqual([
      'README.md',
      'action.yml',
      'dist/main.mjs',
    ]);

    // The next tree drops README.md: the commit has exactly the new tree, on top of main.
    const second = await pushActionTree({
      ...quiet,
      tree: await tree('1.1.0'),
      remote,
      tag: 'v1.1.0',
    });
    expect(second.moved).toEqual(['v1']);
    expect(await git(remote, 'rev-parse', `${second.commit}^`)).toBe(first.commit);
    expect(await git(remote, 'ls-tree', '-r', '--name-only', 'v1')).toBe(
      'action.yml\ndist/main.mjs',
    );

    const rc = await pushActionTree({
      ...quiet,
      tree: await tree('1.2.0-rc.1'),
      remote,
      tag: 'v1.2.0-rc.1',
    });
    expect(rc.moved).toEqual([]);
    expect(await tagCommit(remote, 'v1')).toBe(second.commit);
    expect(await tagCommit(remote, 'v1.2.0-rc.1')).toBe(rc.commit);

    const stable = await pushActionTree({
      ...quiet,
      tree: await tree('1.2.0'),
      remote,
      tag: 'v1.2.0',
    });
    expect(await tagCommit(remote, 'v1')).toBe(stable.commit);
    const patch = await pushActionTree({
      ...quiet,
      tree: await tree('1.1.1'),
      remote,
      tag: 'v1.1.1',
    });
    expect(patch.plan.reason).toBe('v1 stays on v1.2.0, which is newer than v1.1.1');
    expect(await tagCommit(remote, 'v1')).toBe(stable.commit);
    expect(await tagCommit(remote, 'v1.1.1')).toBe(patch.commit);
  });

  it('a re-run with the same files fixes the major tag only; other files are a conflict', async () => {
    const remote = await bareRepo('setup');
    const done = await pushActionTree({
      ...quiet,
      tree: await tree('1.0.0'),
      remote,
      tag: 'v1.0.0',
    });
    // As if the first run died between the version tag and the major tag.
    await git(remote, 'tag', '-d', 'v1');
    const again = await pushActionTree({
      ...quiet,
      tree: await tree('1.0.0'),
      remote,
      tag: 'v1.0.0',
    });
    expect(again).toMatchObject({ status: 'already-released', commit: done.commit, moved: ['v1'] });
    expect(await tagCommit(remote, 'v1')).toBe(done.commit);
    const third = await pushActionTree({
      ...quiet,
      tree: await tree('1.0.0'),
      remote,
      tag: 'v1.0.0',
    });
    expect(third.moved).toEqual([]);

    await expect(
      pushActionTree({
        ...quiet,
        tree: await tree('1.0.0', { extra: 'x' }),
        remote,
        tag: 'v1.0.0',
      }),
    ).rejects.toThrow(/already has v1\.0\.0 with other files: release tags are immutable/);
  });

  it('a dry run pushes nothing', async () => {
    const remote = await bareRepo('auth-ssh');
    const lines: string[] = [];
    const result = await pushActionTree({
      tree: await tree('1.0.0'),
      remote,
      tag: 'v1.0.0',
      dryRun: true,
      log: (l) => lines.push(l),
    });
    expect(result.moved).toEqual(['v1']);
    expect(await git(remote, 'tag', '--list')).toBe('');
    expect(lines.at(-1)).toBe(`dry run: nothing pushed to ${remote}`);
  });

  it('refuses a bad tag before touching the remote', async () => {
    await expect(
      pushActionTree({ ...quiet, tree: base, remote: join(base, 'none.git'), tag: '1.0.0' }),
    ).rejects.toThrow(/release tag '1\.0\.0' is not a version tag/);
  });
});

describe('parseLsRemote', () => {
  it('peels annotated tags to their commit', () => {
    const refs = parseLsRemote(
      'c1\tHEAD\nc1\trefs/heads/main\nt1\trefs/tags/v1.0.0\nc1\trefs/tags/v1.0.0^{}\nc1\trefs/tags/v1\n',
    );
    expect(refs.get('refs/tags/v1.0.0')).toBe('c1');
    expect(refs.get('refs/tags/v1')).toBe('c1');
    expect(refs.get('refs/heads/main')).toBe('c1');
  });
});
