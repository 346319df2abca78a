// The release trees on their own: `release:assemble` writes each action's repository tree,
// the trees run from a folder outside the monorepo (no node_modules, no sources), through the
// runner emulation as `uses: teleport-actions/<name>@v1`, against the Teleport double. Also the
// fork form `uses: <owner>/<repo>/packages/<name>@<sha>` the README documents.
import { execFile } from 'node:child_process';
import { access, cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleRelease } from '../../scripts/release/assemble';
import { type Double, startDouble } from '../double';
import { ensureLoginUser } from '../double/ssh/users';
import { runAction, runWorkflow } from '../runner';
import { expectOneLineFailure, expectSuccess, repoRoot, runnerFor } from './helpers';

const exec = promisify(execFile);
const LOGIN = 'ci-e2e-release';
const NODE = 'node-1.teleport.example.test';
const FORK_SHA = '5f0c6a1e9d3b7c2a4e8f1b6d0a9c3e7f2b5d8a14';
let double: Double;
let outside: string;
let trees: Record<string, string>;
let names: string[];

/** True when `dir` or one of its parents has a node_modules folder Node could resolve from. */
async function nodeModulesAbove(dir: string): Promise<string | undefined> {
  for (let d = dir; ; d = dirname(d)) {
    const candidate = join(d, 'node_modules');
    if (
      await access(candidate).then(
        () => true,
        () => false,
      )
    )
      return candidate;
    if (dirname(d) === d) return undefined;
  }
}

beforeAll(async () => {
  const work = await mkdtemp(join(tmpdir(), 'release-standalone-'));
  const assembled = await assembleRelease({ out: join(work, 'release'), cli: false });
  // Each tree copied alone, as its own repository would be cloned.
  outside = join(work, 'repos');
  trees = {};
  for (const action of assembled.actions) {
    const dir = join(outside, action.repository);
    await cp(action.dir, dir, { recursive: true });
    trees[`${action.repository}@v1`] = dir;
  }
  names = assembled.actions.map((a) => a.name);

  double = await startDouble({ auth: true, proxy: { serverVersion: '17.4.2' } });
  const auth = double.auth!;
  auth.addRole({ name: 'release-ssh', logins: [LOGIN] });
  auth.addBot({ name: 'release', roles: ['release-ssh'] });
  auth.addToken(
    'kind: token\nversion: v2\nmetadata: { name: github-bot }\nspec:\n  roles: [Bot]\n  join_method: github\n  bot_name: release\n  github:\n    allow:\n      - { repository: octo-org/octo-repo }\n',
  );
  await ensureLoginUser(LOGIN);
}, 180_000);
afterAll(async () => {
  await double?.close();
  if (outside) await rm(dirname(outside), { recursive: true, force: true });
});

/** Runner options whose only source of actions is the copied trees (repoRoot is empty). */
async function standalone(extra: Parameters<typeof runnerFor>[1] = {}) {
  const emptyRepo = await mkdtemp(join(tmpdir(), 'user-repo-'));
  return runnerFor(double, { repoRoot: emptyRepo, remoteActions: trees, ...extra });
}

describe('assembled action trees run standalone', () => {
  it('live outside the monorepo, with no node_modules Node could fall back on', async () => {
    expect(outside.startsWith(repoRoot)).toBe(false);
    expect(await nodeModulesAbove(outside)).toBeUndefined();
    expect(Object.keys(trees).sort()).toEqual(names.map((n) => `teleport-actions/${n}@v1`).sort());
    for (const dir of Object.values(trees)) {
      expect((await readdir(dir)).sort()).toEqual(
        expect.arrayContaining(['LICENSE', 'README.md', 'action.yml', 'dist']),
      );
    }
  });

  it('every action loads its bundles and fails with its one-line missing-input error', async () => {
    for (const name of names) {
      const job = await runAction(`teleport-actions/${name}@v1`, {}, await standalone());
      const input = name === 'setup' ? 'version' : 'proxy';
      expectOneLineFailure(job, new RegExp(`^${name}: Input '${input}': `));
      // Actions with a post step ran it too (it loads dist/post.mjs and its chunks).
      for (const step of job.steps)
        expect(step.rawLog).not.toMatch(/ERR_MODULE_NOT_FOUND|Cannot find/);
    }
  });

  it('setup@v1 then auth-ssh@v1: ssh reaches the node; the post step removes the credentials', async () => {
    const token = double.github!.env();
    const runId = `release-${Date.now()}`;
    const job = await runWorkflow(
      `on: push
permissions:
  id-token: write
  contents: read
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: teleport-actions/setup@v1
        with:
          version: 17.4.2
      - uses: teleport-actions/auth-ssh@v1
        id: auth
        with:
          proxy: \${{ vars.TELEPORT_PROXY }}
          token: github-bot
      - run: ssh -F \${{ steps.auth.outputs.ssh-config }} ${LOGIN}@${NODE} "echo $GITHUB_RUN_ID >> ~/run_log"
`,
      await standalone({
        idToken: {
          url: token.ACTIONS_ID_TOKEN_REQUEST_URL,
          token: token.ACTIONS_ID_TOKEN_REQUEST_TOKEN,
        },
        vars: { TELEPORT_PROXY: double.proxy.addr },
        env: { ...double.env, GITHUB_RUN_ID: runId },
      }),
    );
    expectSuccess(job);
    const { stdout } = await exec('bash', ['-c', `tail -n 1 ~${LOGIN}/run_log`]);
    expect(stdout.trim()).toBe(runId);
    expect(job.log).toContain('▼ Run teleport-actions/auth-ssh@v1');
    const dir = job.steps[1]!.outputs['destination-dir']!;
    await expect(access(dir)).rejects.toThrow(); // post step
  });

  it('a fork pinned by commit: uses: <owner>/<repo>/packages/setup@<sha>', async () => {
    // The fork's checkout at that commit: the repository as committed, without node_modules.
    const job = await runAction(
      `octo-org/teleport-ci-fork/packages/setup@${FORK_SHA}`,
      { version: '17.4.2' },
      await standalone({ remoteActions: { [`octo-org/teleport-ci-fork@${FORK_SHA}`]: repoRoot } }),
    );
    expectSuccess(job);
    expect(job.steps[0]!.outputs.version).toBe('17.4.2');
    const { stdout } = await exec(join(job.steps[0]!.outputs.path!, 'tbot'), ['version']);
    expect(stdout).toMatch(/^Teleport v17\.4\.2 /);
  });
});
