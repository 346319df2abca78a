/**
 * What a GitLab job spends in the wrapper beyond the tarball download and tbot's own run, with
 * the standalone teleport-ci already downloaded (a later step, or a restored `cache:`): the
 * `find-teleport-ci.sh` fragment stamped as a release stamps it (it re-hashes the 120 MB
 * executable before every use), `teleport-ci setup` on a warm tool cache, and
 * `teleport-ci cleanup` — in a PATH without Node.js, as in an image that has none.
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stampFragment } from '../../scripts/gen-wrappers';
import { makeShellOnlyPath } from '../wrappers/shell-only';
import type { StandaloneCli } from '../wrappers/standalone-release';
import { type Command, timeCommand } from './measure';

const RELEASE = '1.0.0';

export interface GitlabJob {
  /** The wrapper's commands, with SHA-256 by `openssl` when the image has it, else `sha256sum`. */
  command(hash: 'openssl' | 'sha256sum'): Command;
}

/** Prepares a job home with the binary "already downloaded" and a warm tool cache. */
export async function prepareGitlabJob(opts: {
  repoRoot: string;
  scratch: string;
  cli: StandaloneCli;
  /** The double's env (CDN base URL, its CA for Node.js). */
  env: Record<string, string>;
  proxy: string;
  version: string;
}): Promise<GitlabJob> {
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
  await copyFile(opts.cli.path, join(downloads, `teleport-ci-${RELEASE}-linux-amd64`));
  const paths = {
    openssl: await makeShellOnlyPath(join(opts.scratch, 'path-openssl'), {
      extra: ['tar', 'gzip', 'openssl'],
    }),
    sha256sum: await makeShellOnlyPath(join(opts.scratch, 'path-sha256sum'), {
      extra: ['tar', 'gzip'],
    }),
  };
  const envFor = (hash: 'openssl' | 'sha256sum'): NodeJS.ProcessEnv => ({
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
  const command = (hash: 'openssl' | 'sha256sum'): Command => ({
    argv: [join(paths[hash], 'sh'), '-c', script],
    env: envFor(hash),
  });
  // Warm the tool cache (the first setup downloads the tarball), and prove the script works.
  await timeCommand(command('openssl'));
  return { command };
}
