// Builds Teleport-like release tarballs (teleport-behaviour.md §6.3) once and caches them on disk. The system
// `tar` writes the archive (no hand-written tar format); node's zlib gzips it on the thread
// pool while we hash it, so a 180 MiB bench tarball costs one pass.
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import {
  chmod,
  mkdir,
  mkdtemp,
  open,
  readFile,
  rename,
  rm,
  stat,
  utimes,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGzip } from 'node:zlib';
import { artifactName, type TarballSpec } from './artifact';
import { type TarballEntry, tarballEntries } from './layout';
import { writePadding } from './padding';
import { PADDING_CLOSE } from './standin';

export type { Arch, Edition, Os, TarballSize, TarballSpec } from './artifact';
export { artifactName, parseArtifactName } from './artifact';
export { standinProgram } from './standin';

export interface BuiltTarball {
  /** The tarball on disk; its base name is the CDN artifact name. */
  path: string;
  sha256: string;
  bytes: number;
  /** The artifact file name, e.g. `teleport-v17.4.2-linux-amd64-bin.tar.gz`. */
  name: string;
  /** `<path>.sha256`, holding {@link sha256Text}. */
  sha256Path: string;
  /** sha256sum format, teleport-behaviour.md §6.2: `<64 hex>  <artifact file name>\n`. */
  sha256Text: string;
}

// Bump to invalidate every cached tarball when the build itself (not the content) changes.
const BUILD_FORMAT = 1;
// A fixed mtime for every entry (2025-01-01T00:00:00Z) keeps the archives reproducible.
const MTIME = 1735689600;

/** sha256sum's line for a file, teleport-behaviour.md §6.2. */
export function checksumText(sha256: string, fileName: string): string {
  return `${sha256}  ${fileName}\n`;
}

const inFlight = new Map<string, Promise<BuiltTarball>>();

/**
 * Returns the tarball for `spec`, building it under `cacheDir` the first time. The cache
 * entry is a directory named after the spec and a hash of every entry's content, built under
 * a temporary name and renamed into place, so concurrent builders (even in other processes)
 * never see a half-written tarball.
 */
export function buildTarball(spec: TarballSpec, cacheDir: string): Promise<BuiltTarball> {
  const entries = tarballEntries(spec);
  const name = artifactName(spec);
  const key = createHash('sha256')
    .update(JSON.stringify({ BUILD_FORMAT, entries }))
    .digest('hex')
    .slice(0, 12);
  const dir = path.join(
    path.resolve(cacheDir),
    `${name.replace(/\.tar\.gz$/, '')}.${spec.size}.${key}`,
  );
  let pending = inFlight.get(dir);
  if (!pending) {
    pending = (async () => (await readCached(dir, name)) ?? build(entries, dir, name))();
    inFlight.set(dir, pending);
    // The map only joins concurrent callers; afterwards the disk is the truth (a cleared
    // cache is rebuilt, a failed build retried).
    pending.then(
      () => inFlight.delete(dir),
      () => inFlight.delete(dir),
    );
  }
  return pending;
}

async function readCached(dir: string, name: string): Promise<BuiltTarball | undefined> {
  const file = path.join(dir, name);
  try {
    const [info, sha256Text] = await Promise.all([stat(file), readFile(`${file}.sha256`, 'utf8')]);
    return {
      path: file,
      name,
      bytes: info.size,
      sha256: sha256Text.slice(0, 64),
      sha256Path: `${file}.sha256`,
      sha256Text,
    };
  } catch {
    return undefined;
  }
}

async function build(entries: TarballEntry[], dir: string, name: string): Promise<BuiltTarball> {
  await mkdir(path.dirname(dir), { recursive: true });
  const work = await mkdtemp(path.join(path.dirname(dir), '.build-'));
  try {
    const staging = path.join(work, 'staging');
    const out = path.join(work, 'out');
    await mkdir(out);
    const members = await stage(staging, entries, name);
    const file = path.join(out, name);
    const { sha256, bytes } = await tarGz(staging, members, file);
    const sha256Text = checksumText(sha256, name);
    await writeFile(`${file}.sha256`, sha256Text);
    try {
      await rename(out, dir);
    } catch (err) {
      // Another builder won the race; its result is just as good.
      const existing = await readCached(dir, name);
      if (existing) return existing;
      throw err;
    }
    const final = path.join(dir, name);
    return { path: final, name, sha256, bytes, sha256Path: `${final}.sha256`, sha256Text };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Writes the entries under `root`; returns all archive members (directories too), sorted. */
async function stage(root: string, entries: TarballEntry[], seedPrefix: string): Promise<string[]> {
  const dirs = new Set<string>();
  for (const entry of entries) {
    for (let d = path.posix.dirname(entry.path); d !== '.'; d = path.posix.dirname(d)) dirs.add(d);
  }
  for (const d of dirs) {
    await mkdir(path.join(root, d), { recursive: true });
    await chmod(path.join(root, d), 0o755); // explicit: independent of the umask
  }
  for (const entry of entries) await writeEntry(root, entry, `${seedPrefix}/${entry.path}`);
  const members = [...dirs, ...entries.map((e) => e.path)].sort();
  for (const m of members) await utimes(path.join(root, m), MTIME, MTIME);
  return members;
}

async function writeEntry(root: string, entry: TarballEntry, seed: string): Promise<void> {
  const file = path.join(root, entry.path);
  const fh = await open(file, 'w', entry.mode);
  try {
    await fh.writeFile(entry.content);
    if (entry.padding !== undefined) {
      await writePadding(fh, entry.padding, seed);
      await fh.write(PADDING_CLOSE);
    }
    await fh.chmod(entry.mode);
  } finally {
    await fh.close();
  }
}

let ownerFlags: Promise<string[]> | undefined;

/** Root-owned members: GNU tar and bsdtar (macOS) spell this differently. */
function tarOwnerFlags(): Promise<string[]> {
  ownerFlags ??= promisify(execFile)('tar', ['--version']).then(
    ({ stdout }) =>
      stdout.includes('GNU tar')
        ? ['--owner=0', '--group=0', '--numeric-owner']
        : ['--uid', '0', '--gid', '0'],
    () => [],
  );
  return ownerFlags;
}

async function tarGz(
  cwd: string,
  members: string[],
  outFile: string,
): Promise<{ sha256: string; bytes: number }> {
  const flags = await tarOwnerFlags();
  // --no-recursion with an explicit sorted member list gives a stable order on every tar.
  const tar = spawn('tar', ['-c', '-f', '-', '--no-recursion', ...flags, '-C', cwd, ...members], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  tar.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<void>((resolve, reject) => {
    tar.on('error', reject);
    tar.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`tar exited with ${code}: ${stderr.trim()}`)),
    );
  });
  const hash = createHash('sha256');
  let bytes = 0;
  await Promise.all([
    pipeline(
      tar.stdout,
      createGzip({ level: 6 }),
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          hash.update(chunk);
          bytes += chunk.length;
          yield chunk;
        }
      },
      createWriteStream(outFile),
    ),
    exited,
  ]);
  return { sha256: hash.digest('hex'), bytes };
}
