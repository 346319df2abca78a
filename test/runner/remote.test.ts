// Remote actions (`owner/repo@ref`, `owner/repo/path@ref`) resolved through a local mapping,
// run from a copy where the runner downloads actions: no network, nothing from the repository.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runAction, runWorkflow } from './index';
import { parseRemoteUses } from './remote';
import { repoRoot, step, tempJobs } from './test-helpers';

const jobOpts = tempJobs();
const execFileAsync = promisify(execFile);
const SHA = '0123456789abcdef0123456789abcdef01234567';
const runnerDir = join(repoRoot, 'test', 'runner');

describe('parseRemoteUses', () => {
  it.each([
    ['teleport-actions/auth@v1', { owner: 'teleport-actions', repo: 'auth', path: '', ref: 'v1' }],
    [
      `octo-org/fork/packages/auth-ssh@${SHA}`,
      { owner: 'octo-org', repo: 'fork', path: 'packages/auth-ssh', ref: SHA },
    ],
    ['o/r/a/b/@feature/x', { owner: 'o', repo: 'r', path: 'a/b', ref: 'feature/x' }],
  ])('%s', (uses, parts) => {
    expect(parseRemoteUses(uses)).toEqual(parts);
  });

  it.each([
    './packages/auth',
    'auth@v1',
    'o/r',
    'o/r@',
    'o/r/../x@v1',
    './packages/x@v1',
    'docker://alpine:3',
    'o/r@a b',
  ])('not remote: %s', (uses) => {
    expect(parseRemoteUses(uses)).toBeUndefined();
  });
});

const wf = (uses: string) => `
on: push
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - id: greet
        uses: ${uses}
        with:
          who: octocat
      - run: echo "\${{ steps.greet.outputs.greeting }}"
`;

describe('mapped remote actions', () => {
  it('runs owner/repo/path@sha from a copy under _actions, with the action_* context', async () => {
    const opts = await jobOpts({ remoteActions: { [`octo-org/runner-kit@${SHA}`]: runnerDir } });
    const job = await runWorkflow(wf(`octo-org/runner-kit/fixtures/inputs@${SHA}`), opts);
    expect(job.status, job.log).toBe('success');
    expect(job.steps[1]!.log).toContain('Hello, octocat!');
    const env = JSON.parse(step(job, 'greet').outputs.env!);
    const downloaded = join(opts.workDir!, '_actions', 'octo-org', 'runner-kit', SHA);
    expect(env).toMatchObject({
      GITHUB_ACTION_PATH: join(downloaded, 'fixtures', 'inputs'),
      GITHUB_ACTION_REPOSITORY: 'octo-org/runner-kit',
      GITHUB_ACTION_REF: SHA,
    });
    expect(step(job, 'greet').log).toContain(`▼ Run octo-org/runner-kit/fixtures/inputs@${SHA}`);
  });

  it('runs owner/repo@ref whose action.yml is at the root; owner/repo match case-insensitively', async () => {
    const opts = await jobOpts({
      remoteActions: { 'Octo-Org/Greeter@v1': join(runnerDir, 'fixtures', 'inputs') },
    });
    const job = await runAction('octo-org/greeter@v1', { who: 'hubot' }, opts);
    expect(job.status, job.log).toBe('success');
    expect(job.steps[0]!.outputs.greeting).toBe('Hello, hubot!');
  });

  it('the copy is what runs: a change to the source after the first use is not seen', async () => {
    const src = await mkdtemp(join(tmpdir(), 'remote-src-'));
    await writeFile(
      join(src, 'action.yml'),
      'name: x\ndescription: x\nruns:\n  using: node20\n  main: main.mjs\n',
    );
    await writeFile(join(src, 'main.mjs'), 'console.log("first copy")\n');
    const opts = await jobOpts({ remoteActions: { 'o/r@v1': src } });
    const job = await runWorkflow(
      `
on: push
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - uses: o/r@v1
      - run: echo 'console.log("changed")' > "${join(src, 'main.mjs')}"
      - uses: o/r@v1
`,
      opts,
    );
    expect(job.status, job.log).toBe('success');
    expect(job.steps[0]!.log).toContain('first copy');
    expect(job.steps[2]!.log).toContain('first copy');
    expect(job.steps[2]!.log).not.toContain('changed');
  });

  it('copies a git work tree as a download holds it: tracked and new files, not what git ignores', async () => {
    const src = await mkdtemp(join(tmpdir(), 'remote-git-'));
    await execFileAsync('git', ['init', '-q', src]);
    await writeFile(join(src, '.gitignore'), 'node_modules/\n.cache/\n');
    await writeFile(
      join(src, 'action.yml'),
      'name: x\ndescription: x\nruns:\n  using: node20\n  main: main.mjs\n',
    );
    await writeFile(join(src, 'main.mjs'), 'console.log("from the copy")\n');
    await execFileAsync('git', ['-C', src, 'add', '.']);
    await writeFile(join(src, 'untracked.txt'), 'not yet committed\n');
    for (const ignored of ['node_modules', '.cache']) {
      await mkdir(join(src, ignored));
      await writeFile(join(src, ignored, 'big.bin'), 'x');
    }
    const opts = await jobOpts({ remoteActions: { 'o/r@v1': src } });
    const job = await runWorkflow(
      `
on: push
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - uses: o/r@v1
`,
      opts,
    );
    expect(job.status, job.log).toBe('success');
    expect(job.steps[0]!.log).toContain('from the copy');
    const copy = join(opts.workDir!, '_actions', 'o', 'r', 'v1');
    expect((await readdir(copy)).sort()).toEqual([
      '.gitignore',
      'action.yml',
      'main.mjs',
      'untracked.txt',
    ]);
  });

  it('fails the step with a one-line reason for an unmapped ref, a missing path or a wrong ref', async () => {
    const opts = await jobOpts({ remoteActions: { [`octo-org/runner-kit@${SHA}`]: runnerDir } });
    const otherRef = await runWorkflow(wf('octo-org/runner-kit/fixtures/inputs@v2'), opts);
    expect(otherRef.status).toBe('failure');
    expect(otherRef.steps[0]!.annotations[0]!.message).toMatch(
      /no copy of 'octo-org\/runner-kit@v2' \(for 'octo-org\/runner-kit\/fixtures\/inputs@v2'\)/,
    );
    const noAction = await runWorkflow(wf(`octo-org/runner-kit/fixtures/nope@${SHA}`), opts);
    expect(noAction.steps[0]!.annotations[0]!.message).toBe(
      `Can't find 'action.yml', 'action.yaml' or 'Dockerfile' for action 'octo-org/runner-kit/fixtures/nope@${SHA}'.`,
    );
  });
});
