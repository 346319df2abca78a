/**
 * `npm run build:bin`: the `teleport-ci` CLI as one executable file per platform, for job
 * images without Node.js. Each is a Node.js 24 binary from the npm registry with the CLI's
 * committed bundle (`packages/cli/dist/teleport-ci.cjs`) injected as a single executable
 * application (Node's SEA: a blob made with `--experimental-sea-config`, put in with
 * `postject`). Written to `dist-bin/` (not committed: each is about 127 MB) with a `.sha256`
 * file in `sha256sum` format beside it; the release attaches both to the GitHub release.
 *
 *   npm run build:bin [-- --out DIR] [-- --only linux-amd64]
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { repoRoot } from './repo-root';

const exec = promisify(execFile);

/** The platforms the standalone CLI is built for: our name, and the npm package's arch. */
export const BIN_TARGETS = [
  { name: 'linux-amd64', nodeArch: 'x64' },
  { name: 'linux-arm64', nodeArch: 'arm64' },
] as const;

export type BinTarget = (typeof BIN_TARGETS)[number];

/** The sentinel Node.js looks for to know it carries an application (its SEA docs). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

export function binaryName(target: BinTarget): string {
  return `teleport-ci-${target.name}`;
}

/** Where `scripts/actions-node` keeps the Node.js 24 binary of an architecture (fetched if missing). */
async function nodeBinary(arch: string): Promise<string> {
  const script = join(repoRoot, 'scripts', 'actions-node');
  await exec('bash', [script, arch]);
  const { stdout } = await exec('bash', [script, '--path', arch]);
  return stdout.trim();
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/**
 * Builds the standalone CLI for `targets` into `outDir`; returns the files written. The blob is
 * made by this machine's Node.js 24 (the same version as every target's); the target of this
 * machine's architecture gets a V8 code cache in it, the others a blob without one.
 */
export async function buildStandaloneCli(
  outDir: string,
  targets: readonly BinTarget[] = BIN_TARGETS,
): Promise<string[]> {
  const work = await mkdtemp(join(tmpdir(), 'teleport-ci-sea-'));
  try {
    const hostArch = process.arch === 'arm64' ? 'arm64' : 'x64';
    // A V8 code cache is only valid for the architecture that made it: the host's target gets
    // one (it starts faster), any other gets a blob without (V8 would reject the cache).
    const blobFor = async (withCodeCache: boolean): Promise<string> => {
      const blob = join(work, `teleport-ci${withCodeCache ? '-cached' : ''}.blob`);
      const config = join(work, `sea-config${withCodeCache ? '-cached' : ''}.json`);
      await writeFile(
        config,
        JSON.stringify({
          main: join(repoRoot, 'packages', 'cli', 'dist', 'teleport-ci.cjs'),
          output: blob,
          disableExperimentalSEAWarning: true,
          useCodeCache: withCodeCache,
          useSnapshot: false,
        }),
      );
      await exec(await nodeBinary(hostArch), ['--experimental-sea-config', config]);
      return blob;
    };
    await mkdir(outDir, { recursive: true });
    const written: string[] = [];
    for (const target of targets) {
      const out = join(outDir, binaryName(target));
      await rm(out, { force: true });
      await copyFile(await nodeBinary(target.nodeArch), out);
      const blob = await blobFor(target.nodeArch === hostArch);
      const postject = join(repoRoot, 'node_modules', '.bin', 'postject');
      await exec(postject, [out, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE], {
        maxBuffer: 16 * 1024 * 1024,
      });
      await exec('chmod', ['755', out]);
      await writeFile(`${out}.sha256`, `${await sha256File(out)}  ${basename(out)}\n`);
      written.push(out, `${out}.sha256`);
    }
    return written;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { out: { type: 'string' }, only: { type: 'string', multiple: true } },
  });
  const targets = values.only
    ? BIN_TARGETS.filter((t) => values.only!.includes(t.name))
    : BIN_TARGETS;
  if (targets.length === 0) {
    console.error(`--only: use ${BIN_TARGETS.map((t) => t.name).join(' or ')}`);
    process.exit(2);
  }
  const files = await buildStandaloneCli(values.out ?? join(repoRoot, 'dist-bin'), targets);
  for (const f of files) console.log(f);
}
