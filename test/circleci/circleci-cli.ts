/**
 * CircleCI's own CLI (`circleci`, a Go program) built from the Go module proxy, to compare
 * `circleci orb pack` with scripts/pack-orb.ts. Built once into
 * `.tmp/circleci-cli/<version>/circleci`, so test files and later runs share it: about 5
 * minutes on 2 cores with empty Go module and build caches, about 6 seconds when they are warm
 * (a fresh clone on a machine that built it before).
 *
 * The version is the newest v0.1 release: the v1.0 releases build against `clikit`, a nested
 * module of the same repository that the Go module proxy does not serve, and the proxy lists
 * no versions of the module, so `go install ...@latest` fails and `go install` of an exact
 * version fails on its deprecation check. `go mod download` of the exact version and `go build`
 * inside it work.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../scripts/repo-root';

const exec = promisify(execFile);
export const CIRCLECI_CLI_MODULE = 'github.com/CircleCI-Public/circleci-cli';
export const CIRCLECI_CLI_VERSION = 'v0.1.47860';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Why the CLI cannot be built here, or undefined when the Go toolchain is there. */
export async function goMissing(): Promise<string | undefined> {
  try {
    await exec('go', ['version']);
    return undefined;
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') {
      return 'the Go toolchain is not installed (Debian: apt-get install golang-go): circleci orb pack is built from the Go module proxy';
    }
    throw err;
  }
}

/** The path of the built `circleci`, building it on first use. */
export async function circleciCli(): Promise<string> {
  const root = join(repoRoot, '.tmp', 'circleci-cli');
  const dir = join(root, CIRCLECI_CLI_VERSION);
  const path = join(dir, 'circleci');
  const lock = `${dir}.lock`;
  await mkdir(root, { recursive: true });
  for (let waited = 0; !existsSync(path); waited += 1) {
    try {
      await mkdir(lock); // one builder at a time, across processes
    } catch {
      if (waited > 1800) throw new Error(`${lock} is held for 15 minutes: remove it`);
      await sleep(500);
      continue;
    }
    try {
      if (!existsSync(path)) {
        const module = `${CIRCLECI_CLI_MODULE}@${CIRCLECI_CLI_VERSION}`;
        const { stdout } = await exec('go', ['mod', 'download', '-json', module], {
          maxBuffer: 1 << 20,
        });
        const source = (JSON.parse(stdout) as { Dir?: string }).Dir;
        if (!source) throw new Error(`go mod download ${module} gave no folder`);
        const staging = `${dir}.building`;
        await rm(staging, { recursive: true, force: true });
        await mkdir(staging, { recursive: true });
        await exec('go', ['build', '-o', join(staging, 'circleci'), '.'], {
          cwd: source,
          timeout: 20 * 60_000,
          maxBuffer: 16 << 20,
        });
        await rename(staging, dir);
      }
    } finally {
      await rm(lock, { recursive: true, force: true });
    }
  }
  return path;
}
