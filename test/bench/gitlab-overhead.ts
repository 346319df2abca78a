/**
 * What a GitLab job spends in the wrapper beyond the tarball download and tbot's own run, with
 * the standalone teleport-ci already downloaded: the `find-teleport-ci.sh` fragment stamped as
 * a release stamps it, `teleport-ci setup` on a warm tool cache, and `teleport-ci cleanup` — in
 * a PATH without Node.js, as in an image that has none. Two cases, each with SHA-256 by
 * `openssl` and by `sha256sum`:
 *
 * - first use in a job, the executable restored from a `cache:` (a new file beside the record
 *   saved with it): the fragment hashes the 127 MB file once and records it;
 * - each later use in the job (a later script, `after_script`): the record matches, no hash.
 *
 * `npx tsx test/bench/gitlab-overhead.ts [--quick]` runs these rows alone; `npm run bench` runs
 * them with the others.
 */
import { copyFile, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stampFragment } from '../../scripts/gen-wrappers';
import { repoRoot } from '../../scripts/repo-root';
import { startDouble } from '../double';
import { nodeForRuntime } from '../runner/node-runtimes';
import { makeShellOnlyPath } from '../wrappers/shell-only';
import { type StandaloneCli, standaloneCli } from '../wrappers/standalone-release';
import { type Command, paired, type Row, table, timeCommand } from './measure';

const RELEASE = '1.0.0';
const HASHERS = ['openssl', 'sha256sum'] as const;
type Hasher = (typeof HASHERS)[number];

export interface GitlabJob {
  /** The wrapper's commands, with SHA-256 by `openssl` when the image has it, else `sha256sum`. */
  command(hash: Hasher): Command;
  /** Puts a fresh copy of the executable (and the record saved with it) in place, as a CI cache
   * restore does: the next use hashes it once. */
  restoreFromCache(): Promise<void>;
}

export interface GitlabJobOptions {
  repoRoot: string;
  scratch: string;
  cli: StandaloneCli;
  /** The double's env (CDN base URL, its CA for Node.js). */
  env: Record<string, string>;
  proxy: string;
  version: string;
}

/** Prepares a job home with the binary "already downloaded" and a warm tool cache. */
export async function prepareGitlabJob(opts: GitlabJobOptions): Promise<GitlabJob> {
  const fragment = stampFragment(
    await readFile(join(opts.repoRoot, 'packages', 'cli', 'sh', 'find-teleport-ci.sh'), 'utf8'),
    {
      version: RELEASE,
      url: 'https://releases.invalid/unused',
      sha256: { 'linux-amd64': opts.cli.sha256, 'linux-arm64': '' },
    },
  );
  const fragmentPath = join(opts.scratch, 'find-teleport-ci.sh');
  await writeFile(fragmentPath, fragment);
  const home = join(opts.scratch, 'home');
  const ciHome = join(home, '.cache', 'teleport-ci');
  const downloads = join(ciHome, 'downloads');
  await mkdir(downloads, { recursive: true, mode: 0o700 });
  const kept = join(downloads, `teleport-ci-${RELEASE}-linux-amd64`);
  await copyFile(opts.cli.path, kept);
  const paths = {
    openssl: await makeShellOnlyPath(join(opts.scratch, 'path-openssl'), {
      extra: ['tar', 'gzip', 'openssl'],
    }),
    sha256sum: await makeShellOnlyPath(join(opts.scratch, 'path-sha256sum'), {
      extra: ['tar', 'gzip'],
    }),
  };
  const envFor = (hash: Hasher): NodeJS.ProcessEnv => ({
    ...opts.env,
    PATH: paths[hash],
    HOME: home,
    GITLAB_CI: 'true',
    CI_JOB_ID: '1',
    RUNNER_TEMP: join(opts.scratch, 'tmp'),
  });
  await mkdir(join(opts.scratch, 'tmp'), { recursive: true });
  const script = [
    `. '${fragmentPath}'`,
    'teleport_ci_find || exit 1',
    `teleport_env="$("$TELEPORT_CI" setup --version '${opts.version}' --proxy '${opts.proxy}' --print-env)" || exit $?`,
    'eval "$teleport_env"',
    '"$TELEPORT_CI" cleanup',
  ].join('\n');
  const command = (hash: Hasher): Command => ({
    argv: [join(paths[hash], 'sh'), '-c', script],
    env: envFor(hash),
  });
  // Warm the tool cache (the first setup downloads the tarball), prove the script works, and
  // leave the record a cache would save beside the executable.
  await timeCommand(command('openssl'));
  const saved = join(opts.scratch, 'saved.verified');
  await copyFile(`${kept}.verified`, saved);
  const restoreFromCache = async () => {
    for (const [from, to] of [
      [opts.cli.path, kept],
      [saved, `${kept}.verified`],
    ] as const) {
      await copyFile(from, `${to}.restoring`);
      await rename(`${to}.restoring`, to);
    }
  };
  return { command, restoreFromCache };
}

/** The GitLab rows of `npm run bench`: each case and hasher, paired with `floor`. */
export async function gitlabOverheadRows(
  opts: GitlabJobOptions & {
    runs: number;
    floor: { name: string; run: () => Promise<number> };
  },
): Promise<Row[]> {
  const job = await prepareGitlabJob(opts);
  const rows: Row[] = [];
  const steps = '`setup` (warm), `cleanup`';
  for (const hash of HASHERS) {
    rows.push(
      await paired(
        `GitLab job, first use (restored from cache: one hash, \`${hash}\`), ${steps}`,
        opts.runs,
        async () => {
          await job.restoreFromCache();
          return timeCommand(job.command(hash));
        },
        opts.floor,
        '<= 0.3 s',
      ),
    );
  }
  for (const hash of HASHERS) {
    await timeCommand(job.command(hash)); // this job's first use: hashes and records
    rows.push(
      await paired(
        `GitLab job, each later use (record, no hash; \`${hash}\` image), ${steps}`,
        opts.runs,
        () => timeCommand(job.command(hash)),
        opts.floor,
        '<= 0.3 s',
      ),
    );
  }
  return rows;
}

// Run alone: the same rows, floor and tarball as `npm run bench`.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const quick = process.argv.includes('--quick');
  const version = '17.4.2';
  const node24 = nodeForRuntime('node24');
  const scratch = await mkdtemp(join(tmpdir(), 'bench-gitlab-'));
  const cli = await standaloneCli();
  const double = await startDouble({
    size: 'bench',
    auth: true,
    proxy: { serverVersion: version },
  });
  try {
    await double.cdn.tarball({
      version,
      edition: 'oss',
      os: 'linux',
      arch: 'amd64',
      size: 'bench',
    });
    const rows = await gitlabOverheadRows({
      repoRoot,
      scratch,
      cli,
      env: double.env,
      proxy: double.proxy.addr,
      version,
      runs: Number(process.env.BENCH_WARM_RUNS ?? (quick ? 3 : 10)),
      floor: { name: 'Node.js 24 `-e 0`', run: () => timeCommand({ argv: [node24, '-e', '0'] }) },
    });
    console.log(table(rows));
  } finally {
    await double.close();
    await rm(scratch, { recursive: true, force: true });
  }
}
