import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import {
  access,
  constants,
  link,
  lstat,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  rmdir,
  stat,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { UserError } from '../errors';

/**
 * The runner's tool-cache layout (`<root>/<tool>/<version>/<arch>` plus an `<arch>.complete`
 * marker, as `@actions/tool-cache` writes it), filled by atomic renames rather than
 * tool-cache's copy: a copy of several hundred MB costs seconds.
 *
 * Concurrency (self-hosted runners run several jobs on one tool cache): each job downloads
 * into its own staging folder without any lock, then takes `<arch>.lock` (`open` with `wx`)
 * for the few renames that change the slot. One slot per version keeps `path` stable; jobs
 * asking for different binaries add theirs to it file by file (a rename each, atomic), so a
 * binary another job already put on its PATH never disappears. A slot that cannot be trusted
 * (no marker, no record, another archive) is replaced whole by the verified copy.
 *
 * The marker holds the record of what was installed: the published archive's SHA-256 and
 * each binary's, re-checked whenever the slot is reused (tool-cache hit, Actions-cache restore).
 */
export interface CacheSlot {
  root: string;
  tool: string;
  version: string;
  arch: string;
}

/** What the `.complete` marker records (an empty marker, as tool-cache writes it, records nothing). */
export interface SlotRecord {
  archiveSha256: string;
  /** Binary name → lower-case hex SHA-256. */
  binaries: Record<string, string>;
  /**
   * Binary name → the file's identity when it was recorded (device, inode, size, mtime,
   * ctime). Any write, replacement or chmod changes the ctime, which only root can set; an
   * unchanged identity spares hashing ~300 MB on every tool-cache hit.
   */
  identities?: Record<string, string>;
  /** Binaries asked for where present that the archive does not hold. */
  absent?: string[];
}

/**
 * The files a slot must hold for a request: every required one, and each optional one the
 * record does not list as absent from the archive. Undefined when an optional one is neither
 * recorded nor known absent (the slot was filled by a narrower request).
 */
export function expectedFiles(
  record: SlotRecord,
  required: readonly string[],
  optional: readonly string[] = [],
): string[] | undefined {
  const wanted = [...required];
  for (const name of optional) {
    if (record.absent?.includes(name)) continue;
    if (!record.binaries[name] && !record.identities?.[name]) return undefined;
    wanted.push(name);
  }
  return wanted;
}

async function identity(path: string): Promise<string> {
  const st = await lstat(path);
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
}

export function slotDir(slot: CacheSlot): string {
  return join(slot.root, slot.tool, slot.version, slot.arch);
}

export function markerPath(slot: CacheSlot): string {
  return `${slotDir(slot)}.complete`;
}

function versionDir(slot: CacheSlot): string {
  return join(slot.root, slot.tool, slot.version);
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

async function isFolder(path: string): Promise<boolean> {
  return lstat(path).then(
    (st) => st.isDirectory(),
    () => false,
  );
}

/** A regular, executable file (not a symlink, not a folder). */
async function isExecutableFile(path: string): Promise<boolean> {
  try {
    if (!(await lstat(path)).isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The binaries present in a cached slot. */
export async function presentBinaries(dir: string, names: readonly string[]): Promise<string[]> {
  const checks = await Promise.all(
    names.map(async (n) => [n, await isExecutableFile(join(dir, n))] as const),
  );
  return checks.filter(([, ok]) => ok).map(([n]) => n);
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), hash);
  return hash.digest('hex');
}

/** The marker's record; undefined when there is no marker or it records nothing. */
export async function readRecord(slot: CacheSlot): Promise<SlotRecord | undefined> {
  try {
    const parsed = JSON.parse(await readFile(markerPath(slot), 'utf8')) as SlotRecord;
    if (typeof parsed?.archiveSha256 !== 'string' || typeof parsed.binaries !== 'object') {
      return undefined;
    }
    return parsed;
  } catch {
    return undefined;
  }
}

async function writeRecord(slot: CacheSlot, record: SlotRecord): Promise<void> {
  // Written beside and renamed over, so a reader never sees half a record.
  const tmp = join(versionDir(slot), `.record-${OWNER}-${randomUUID()}`);
  await writeFile(tmp, `${JSON.stringify(record)}\n`);
  await rename(tmp, markerPath(slot));
}

/**
 * Why the slot's `binaries` do not match its record (undefined when they all do): a binary
 * missing or not a regular executable, a hash differing from the record, or a record of
 * another archive than `archiveSha256` (when given).
 */
export async function checkAgainstRecord(
  slot: CacheSlot,
  required: readonly string[],
  archiveSha256?: string,
  optional: readonly string[] = [],
): Promise<string | undefined> {
  const record = await readRecord(slot);
  if (!record) return 'no SHA-256 record';
  if (archiveSha256 && record.archiveSha256 !== archiveSha256) {
    return `recorded archive SHA-256 ${record.archiveSha256}, expected ${archiveSha256}`;
  }
  const binaries = expectedFiles(record, required, optional);
  if (!binaries) return `${optional.join(', ')} not recorded`;
  const dir = slotDir(slot);
  const problems = await Promise.all(
    binaries.map(async (name) => {
      const expected = record.binaries[name];
      const recorded = record.identities?.[name];
      if (!expected && !recorded) return `${name} is not recorded`;
      if (!(await isExecutableFile(join(dir, name)))) return `${name} is missing`;
      if (recorded && recorded === (await identity(join(dir, name)))) return undefined;
      if (!expected) return `${name} changed since it was installed`;
      const actual = await sha256File(join(dir, name));
      return actual === expected
        ? undefined
        : `${name} has SHA-256 ${actual}, recorded ${expected}`;
    }),
  );
  return problems.find(Boolean);
}

export interface FindOptions {
  /** Only a slot recorded for this archive counts (a pinned `sha256`). */
  archiveSha256?: string;
  /** Told why a slot that looked complete was not used. */
  warn?: (message: string) => void;
  /** Wanted where the archive has them: present, or recorded as absent from it. */
  optional?: readonly string[];
}

/**
 * The slot's folder if it is complete and holds every requested binary. A slot whose marker
 * records SHA-256s is re-checked (a self-hosted runner's tool cache outlives jobs); a
 * mismatch is a miss, with a warning.
 */
export async function findInCache(
  slot: CacheSlot,
  binaries: readonly string[],
  opts: FindOptions = {},
): Promise<string | undefined> {
  const dir = slotDir(slot);
  if (!(await exists(markerPath(slot)))) return undefined;
  if ((await presentBinaries(dir, binaries)).length !== binaries.length) return undefined;
  const record = await readRecord(slot);
  // Written by another tool: usable only when nothing depends on what it recorded.
  if (!record) return opts.archiveSha256 || opts.optional?.length ? undefined : dir;
  const wanted = expectedFiles(record, binaries, opts.optional);
  if (!wanted || (await presentBinaries(dir, wanted)).length !== wanted.length) return undefined;
  if (!wanted.every((b) => record.binaries[b] || record.identities?.[b])) return undefined;
  const problem = await checkAgainstRecord(slot, binaries, opts.archiveSha256, opts.optional);
  if (!problem) return dir;
  if (!problem.startsWith('recorded archive')) {
    opts.warn?.(
      `The tool cache at ${dir} does not match its record (${problem}); downloading again`,
    );
  }
  return undefined;
}

// Staging and retired folders are named after their owner, so a later install can tell the
// leftovers of a killed job from the work of a live one.
const OWNER = `${process.pid}@${hostname()}`;
const LEFTOVER = /^\.(?:staging|old|record)-(\d+)@(.+)-[0-9a-f-]{36}$/;
/** Leftovers of another host are removed only after this long (its pids mean nothing here). */
const FOREIGN_STALE_MS = 24 * 3600_000;
/** A lock of another host is broken after this long; locks are held for seconds. */
const FOREIGN_LOCK_STALE_MS = 15 * 60_000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function ownerIsGone(owner: string, path: string, foreignStaleMs: number) {
  const at = owner.indexOf('@');
  const pid = Number(owner.slice(0, at));
  if (owner.slice(at + 1) === hostname()) return !(Number.isInteger(pid) && isAlive(pid));
  return olderThan(path, foreignStaleMs);
}

/**
 * Removes a dead job's lock. Moved aside first and read again: if another waiter broke it
 * and took a fresh lock meanwhile, that lock is put back (`link` never overwrites).
 */
async function breakLock(lock: string, deadOwner: string): Promise<void> {
  const aside = `${lock}-${randomUUID()}`;
  try {
    await rename(lock, aside);
  } catch {
    return; // already gone
  }
  if ((await readFile(aside, 'utf8').catch(() => '')) !== deadOwner) {
    await link(aside, lock).catch(() => {});
  }
  await unlink(aside).catch(() => {});
}

async function olderThan(path: string, ms: number): Promise<boolean> {
  try {
    return Date.now() - (await stat(path)).mtimeMs > ms;
  } catch {
    return false;
  }
}

/** A fresh staging folder on the cache's own file system, so promotion is a rename. */
export function stagingDirFor(slot: CacheSlot): string {
  return join(versionDir(slot), `.staging-${OWNER}-${randomUUID()}`);
}

/** Removes staging and retired folders whose job is gone (killed mid-download, say). */
export async function removeLeftovers(slot: CacheSlot): Promise<void> {
  const names = await readdir(versionDir(slot)).catch(() => [] as string[]);
  await Promise.all(
    names.map(async (name) => {
      const m = LEFTOVER.exec(name);
      if (!m) return;
      const path = join(versionDir(slot), name);
      if (await ownerIsGone(`${m[1]}@${m[2]}`, path, FOREIGN_STALE_MS)) {
        await rm(path, { recursive: true, force: true });
      }
    }),
  );
}

export interface LockOptions {
  /** Give up waiting for another job's lock after this long. */
  timeoutMs?: number;
  pollMs?: number;
}

/** Runs `fn` holding the slot's lock file; a lock left by a dead job is broken. */
export async function withSlotLock<T>(
  slot: CacheSlot,
  fn: () => Promise<T>,
  opts: LockOptions = {},
): Promise<T> {
  const lock = `${slotDir(slot)}.lock`;
  const deadline = Date.now() + (opts.timeoutMs ?? 10 * 60_000);
  await mkdir(versionDir(slot), { recursive: true });
  for (;;) {
    try {
      const handle = await open(lock, 'wx');
      await handle.writeFile(OWNER);
      await handle.close();
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // A failed job removes the version folder when it is empty: make it again.
      if (code === 'ENOENT') {
        await mkdir(versionDir(slot), { recursive: true });
        continue;
      }
      if (code !== 'EEXIST') throw err;
    }
    const owner = await readFile(lock, 'utf8').catch(() => '');
    // An empty lock is one being written: its owner gets a moment to finish.
    const gone = owner
      ? await ownerIsGone(owner, lock, FOREIGN_LOCK_STALE_MS)
      : await olderThan(lock, 10_000);
    if (gone) {
      await breakLock(lock, owner);
      continue;
    }
    if (Date.now() > deadline) {
      throw new UserError(
        `The tool cache slot ${slotDir(slot)} is locked by ${owner || 'another job'} (${lock}); if no job is installing Teleport there, delete the lock file`,
      );
    }
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 100));
  }
  try {
    return await fn();
  } finally {
    await unlink(lock).catch(() => {});
  }
}

export interface PromoteOptions {
  /** Also record SHA-256s (for the Actions cache). */
  hash?: boolean;
  /** What to move into a slot kept for the same archive: top-level names (files, bundles, links); `binaries` by default. */
  entries?: readonly string[];
  /** Binaries asked for where present that the archive lacks. */
  absent?: readonly string[];
}

/**
 * Moves a verified staging folder (holding `binaries`, from the archive `archiveSha256`) into
 * the slot, recording the binaries' identities (and, with `hash`, their SHA-256s). A slot recorded for the same archive keeps its other binaries and takes ours,
 * entry by entry; any other slot is replaced whole: the verified copy always wins.
 */
export async function promote(
  staging: string,
  slot: CacheSlot,
  binaries: readonly string[],
  archiveSha256: string,
  opts: PromoteOptions = {},
): Promise<string> {
  // Hashing ~300 MB of binaries costs ~0.4 s of CPU: done only when the slot goes to the
  // Actions cache, whose restores cannot rely on file identities. The archive's hash and the
  // identities guard the tool cache itself.
  const hashes: Record<string, string> = opts.hash
    ? Object.fromEntries(
        await Promise.all(
          binaries.map(async (b) => [b, await sha256File(join(staging, b))] as const),
        ),
      )
    : {};
  const dir = slotDir(slot);
  return withSlotLock(slot, async () => {
    const record = await readRecord(slot);
    if (record?.archiveSha256 === archiveSha256 && (await exists(dir))) {
      for (const e of opts.entries ?? binaries) {
        // A file or link is replaced atomically; a bundle folder cannot be renamed over a
        // full one, so the old copy is moved aside first (its link stays valid throughout
        // except for that moment).
        const target = join(dir, e);
        if (await isFolder(target)) {
          const old = join(versionDir(slot), `.old-${OWNER}-${randomUUID()}`);
          await rename(target, old);
          await rename(join(staging, e), target);
          await rm(old, { recursive: true, force: true });
        } else {
          await rename(join(staging, e), target);
        }
      }
      await writeRecord(slot, {
        archiveSha256,
        binaries: { ...record.binaries, ...hashes },
        identities: { ...record.identities, ...(await identities(dir, binaries)) },
        absent: [...new Set([...(record.absent ?? []), ...(opts.absent ?? [])])],
      });
      await rm(staging, { recursive: true, force: true });
      return dir;
    }
    // Readers see no marker while the folder is swapped, so nobody uses a half-done slot.
    await rm(markerPath(slot), { force: true });
    if (await exists(dir)) {
      const old = join(versionDir(slot), `.old-${OWNER}-${randomUUID()}`);
      await rename(dir, old);
      await rename(staging, dir);
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(staging, dir);
    }
    await writeRecord(slot, {
      archiveSha256,
      binaries: hashes,
      identities: await identities(dir, binaries),
      absent: [...(opts.absent ?? [])],
    });
    return dir;
  });
}

async function identities(dir: string, binaries: readonly string[]) {
  return Object.fromEntries(
    await Promise.all(binaries.map(async (b) => [b, await identity(join(dir, b))] as const)),
  );
}

/** Removes a slot that failed its checks, marker first. */
export async function discardSlot(slot: CacheSlot): Promise<void> {
  await rm(markerPath(slot), { force: true });
  await rm(slotDir(slot), { recursive: true, force: true });
}

/** Removes a failed staging folder and the empty folders made for it. */
export async function discardStaging(staging: string, slot: CacheSlot): Promise<void> {
  await rm(staging, { recursive: true, force: true });
  for (
    let dir = dirname(staging);
    dir.startsWith(slot.root) && dir !== slot.root;
    dir = dirname(dir)
  ) {
    try {
      if ((await readdir(dir)).length > 0) return;
      await rmdir(dir);
    } catch {
      return;
    }
  }
}
