/**
 * The standalone teleport-ci (linux-amd64) as a release serves it, for the "any image" tests:
 * built once from the committed CLI bundle with `scripts/build-bin.ts` and kept under
 * `.tmp/standalone-cli/<hash of bundle and Node.js version>/`, so test files running at the same
 * time (and later runs) share one build. `serveRelease()` puts it behind a loopback HTTPS
 * server at `/v<version>/teleport-ci-linux-amd64`, with its `.sha256`, as a GitHub release does.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { BIN_TARGETS, binaryName, buildStandaloneCli, sha256File } from '../../scripts/build-bin';
import type { ReleaseStamp } from '../../scripts/gen-wrappers';
import { repoRoot } from '../../scripts/repo-root';
import type { TestCa } from '../double';
import { type FileServer, startFileServer } from './serve-files';

const AMD64 = BIN_TARGETS.find((t) => t.name === 'linux-amd64')!;

export interface StandaloneCli {
  path: string;
  sha256: string;
}

async function buildKey(): Promise<string> {
  const bundle = await readFile(join(repoRoot, 'packages', 'cli', 'dist', 'teleport-ci.cjs'));
  const pkg = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8'));
  return createHash('sha256')
    .update(bundle)
    .update(String(pkg.config?.node24))
    .digest('hex')
    .slice(0, 16);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The amd64 standalone CLI of the committed bundle, built on first use. */
export async function standaloneCli(): Promise<StandaloneCli> {
  const root = join(repoRoot, '.tmp', 'standalone-cli');
  const dir = join(root, await buildKey());
  const path = join(dir, binaryName(AMD64));
  const lock = `${dir}.lock`;
  await mkdir(root, { recursive: true });
  for (let waited = 0; !existsSync(path); waited += 1) {
    try {
      await mkdir(lock); // one builder at a time, across processes
    } catch {
      if (waited > 600) throw new Error(`${lock} is held for 5 minutes: remove it`);
      await sleep(500);
      continue;
    }
    try {
      if (!existsSync(path)) {
        const staging = `${dir}.building`;
        await rm(staging, { recursive: true, force: true });
        await buildStandaloneCli(staging, [AMD64]);
        await rename(staging, dir);
      }
    } finally {
      await rm(lock, { recursive: true, force: true });
    }
  }
  return { path, sha256: await sha256File(path) };
}

export interface ServedRelease {
  server: FileServer;
  version: string;
  /** What the wrappers of this release carry: the served URL and the binary's checksum. */
  stamp: ReleaseStamp;
  cli: StandaloneCli;
  close(): Promise<void>;
}

/** Serves the standalone CLI over HTTPS (certificate from `ca`) as release `version`. */
export async function serveRelease(ca: TestCa, version = '1.0.0'): Promise<ServedRelease> {
  const cli = await standaloneCli();
  const server = await startFileServer({ ca });
  const name = binaryName(AMD64);
  server.serve(`/v${version}/${name}`, await readFile(cli.path));
  server.serve(`/v${version}/${name}.sha256`, `${cli.sha256}  ${name}\n`, 'text/plain');
  return {
    server,
    version,
    cli,
    stamp: {
      version,
      url: `${server.url}/v${version}`,
      // No arm64 build here: a job that asks for it fails the checksum, as it should.
      sha256: { 'linux-amd64': cli.sha256, 'linux-arm64': '0'.repeat(64) },
    },
    close: () => server.close(),
  };
}
