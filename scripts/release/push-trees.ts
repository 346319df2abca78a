/**
 * Pushes each assembled tree (`release:assemble`'s `<out>/actions/<name>/`, and `<out>/jenkins/`
 * for `jenkins-library`; the manifest's `repositories`) to its own repository as one new commit on `main`, tags it `v1.2.3` and moves the major tag (`v1`) as
 * `planTags` decides.
 *
 *   tsx scripts/release/push-trees.ts --release-dir release --tag v1.2.3 \
 *     --remote 'https://github.com/teleport-actions/{name}.git' [--source-sha SHA] [--dry-run]
 *
 * Safe to re-run after a partial failure: a version tag that already exists with the same
 * files is left alone (only the major tag is fixed up); one with other files is a conflict.
 * Authentication is git's (the release workflow sets up a credential helper).
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { parseReleaseTag, planTags, type TagPlan } from './tags';

const exec = promisify(execFile);

export interface PushTreeOptions {
  /** The assembled tree: action.yml, dist/, README.md, LICENSE, CHANGELOG.md. */
  tree: string;
  /** The action repository's git URL. */
  remote: string;
  tag: string;
  /** Monorepo commit the tree was built from (in the commit message). */
  sourceSha?: string;
  branch?: string;
  author?: { name: string; email: string };
  /** Build the commit and print the plan, push nothing. */
  dryRun?: boolean;
  log?: (line: string) => void;
}

export interface PushTreeResult {
  /** Commit the version tag points to. */
  commit: string;
  /** `created`: new commit and tag; `already-released`: the tag existed with these files. */
  status: 'created' | 'already-released';
  plan: TagPlan;
  /** Major tags actually moved (already-right ones are skipped). */
  moved: string[];
}

const BOT = {
  name: 'github-actions[bot]',
  email: '41898282+github-actions[bot]@users.noreply.github.com',
};

async function git(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  try {
    const { stdout } = await exec('git', args, {
      cwd,
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout.trim();
  } catch (err) {
    const stderr = String((err as { stderr?: string }).stderr ?? err).trim();
    throw new Error(`git ${args[0]} failed: ${stderr.split('\n').slice(-3).join(' ')}`);
  }
}

/** `refs/...` → commit (annotated tags peeled) from `git ls-remote`. */
export function parseLsRemote(text: string): Map<string, string> {
  const refs = new Map<string, string>();
  const lines = text.split('\n').filter(Boolean);
  for (const line of lines) {
    const [sha, ref] = line.split('\t');
    if (!sha || !ref || ref.endsWith('^{}')) continue;
    refs.set(ref, sha);
  }
  for (const line of lines) {
    const [sha, ref] = line.split('\t');
    if (sha && ref?.endsWith('^{}')) refs.set(ref.slice(0, -3), sha);
  }
  return refs;
}

export async function pushActionTree(opts: PushTreeOptions): Promise<PushTreeResult> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const branch = opts.branch ?? 'main';
  const author = opts.author ?? BOT;
  const release = parseReleaseTag(opts.tag);
  const work = await mkdtemp(join(tmpdir(), 'release-tree-'));
  try {
    await git(work, ['init', '-q', '-b', branch]);
    const refs = parseLsRemote(await git(work, ['ls-remote', opts.remote]));
    const tags = [...refs.keys()]
      .filter((r) => r.startsWith('refs/tags/'))
      .map((r) => r.slice('refs/tags/'.length));
    const others = tags.filter((t) => t !== release.tag);
    const plan = planTags(release.tag, others);

    // The commit: the tree exactly as assembled, on top of the repository's branch.
    const head = refs.get(`refs/heads/${branch}`);
    if (head) {
      await git(work, ['fetch', '-q', '--depth', '1', opts.remote, `refs/heads/${branch}`]);
      await git(work, ['reset', '-q', '--soft', 'FETCH_HEAD']);
    }
    await cp(opts.tree, work, { recursive: true });
    await git(work, ['add', '-A']);
    const tree = await git(work, ['write-tree']);
    const env = {
      GIT_AUTHOR_NAME: author.name,
      GIT_AUTHOR_EMAIL: author.email,
      GIT_COMMITTER_NAME: author.name,
      GIT_COMMITTER_EMAIL: author.email,
    };
    const source = opts.sourceSha ? ` from teleport-actions/root@${opts.sourceSha}` : '';

    let commit: string;
    let status: PushTreeResult['status'];
    if (tags.includes(release.tag)) {
      await git(work, [
        'fetch',
        '-q',
        '--depth',
        '1',
        opts.remote,
        `refs/tags/${release.tag}:refs/tags/${release.tag}`,
      ]);
      const released = await git(work, ['rev-parse', `refs/tags/${release.tag}^{tree}`]);
      if (released !== tree) {
        throw new Error(
          `${opts.remote} already has ${release.tag} with other files: release tags are immutable, cut the next version`,
        );
      }
      commit = await git(work, ['rev-parse', `refs/tags/${release.tag}^{commit}`]);
      status = 'already-released';
      log(`${release.tag} is already released with these files at ${commit.slice(0, 12)}`);
    } else {
      commit = await git(
        work,
        ['commit-tree', tree, ...(head ? ['-p', 'HEAD'] : []), '-m', `${release.tag}${source}`],
        env,
      );
      await git(work, ['tag', '-a', release.tag, commit, '-m', `${release.tag}${source}`], env);
      status = 'created';
      log(`${release.tag}: commit ${commit.slice(0, 12)} on ${branch}`);
      if (!opts.dryRun) {
        await git(work, [
          'push',
          '-q',
          '--atomic',
          opts.remote,
          `${commit}:refs/heads/${branch}`,
          `refs/tags/${release.tag}`,
        ]);
      }
    }

    log(plan.reason);
    const moved: string[] = [];
    for (const major of plan.move) {
      if (refs.get(`refs/tags/${major}`) === commit) continue;
      moved.push(major);
      if (!opts.dryRun) {
        await git(work, ['push', '-q', '--force', opts.remote, `${commit}:refs/tags/${major}`]);
      }
    }
    if (opts.dryRun) log(`dry run: nothing pushed to ${opts.remote}`);
    return { commit, status, plan, moved };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

interface Manifest {
  tag: string | null;
  actions: { name: string; repository: string }[];
  /** Every tree to push (actions and the Jenkins library), relative to the release folder. */
  repositories?: { name: string; dir: string }[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'release-dir': { type: 'string' },
      tag: { type: 'string' },
      remote: { type: 'string' },
      'source-sha': { type: 'string' },
      'dry-run': { type: 'boolean' },
    },
  });
  const dir = values['release-dir'];
  const template = values.remote;
  if (!dir || !values.tag || !template?.includes('{name}')) {
    throw new Error(
      `usage: push-trees.ts --release-dir <dir> --tag v1.2.3 --remote 'https://github.com/teleport-actions/{name}.git' [--source-sha SHA] [--dry-run]`,
    );
  }
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  if (manifest.tag !== values.tag) {
    throw new Error(
      `${dir} was assembled for ${manifest.tag ?? 'no tag'}, not ${values.tag}: run release:assemble with --tag ${values.tag}`,
    );
  }
  const trees =
    manifest.repositories ??
    manifest.actions.map((a) => ({ name: a.name, dir: `actions/${a.name}` }));
  for (const { name, dir: treeDir } of trees) {
    const remote = template.replaceAll('{name}', name);
    const result = await pushActionTree({
      tree: resolve(dir, treeDir),
      remote,
      tag: values.tag,
      sourceSha: values['source-sha'],
      dryRun: values['dry-run'],
      log: (line) => console.log(`${name}: ${line}`),
    });
    if (result.moved.length > 0) console.log(`${name}: moved ${result.moved.join(', ')}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(`push-trees: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
