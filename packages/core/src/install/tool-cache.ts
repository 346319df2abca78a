import { randomUUID } from 'node:crypto';
import { access, constants, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * The runner's tool-cache layout (`<root>/<tool>/<version>/<arch>` plus an `<arch>.complete`
 * marker, as `@actions/tool-cache` writes it), filled by an atomic rename rather than
 * tool-cache's copy: a copy of several hundred MB costs seconds, and a rename lets two jobs
 * on one self-hosted runner install the same version at once and leave one good copy.
 */
export interface CacheSlot {
  root: string;
  tool: string;
  version: string;
  arch: string;
}

export function slotDir(slot: CacheSlot): string {
  return join(slot.root, slot.tool, slot.version, slot.arch);
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The binaries present in a cached slot. */
export async function presentBinaries(dir: string, names: readonly string[]): Promise<string[]> {
  const checks = await Promise.all(
    names.map(async (n) => [n, await isExecutable(join(dir, n))] as const),
  );
  return checks.filter(([, ok]) => ok).map(([n]) => n);
}

/** The slot's folder if it is complete and holds every requested binary. */
export async function findInCache(
  slot: CacheSlot,
  binaries: readonly string[],
): Promise<string | undefined> {
  const dir = slotDir(slot);
  try {
    await access(`${dir}.complete`);
  } catch {
    return undefined;
  }
  const present = await presentBinaries(dir, binaries);
  return present.length === binaries.length ? dir : undefined;
}

/** A fresh staging folder on the cache's own file system, so promotion is a rename. */
export function stagingDirFor(slot: CacheSlot): string {
  return join(slot.root, slot.tool, slot.version, `.staging-${randomUUID()}`);
}

/**
 * Moves a verified staging folder into the slot. When another job got there first with
 * everything we need, its copy wins and ours is dropped; a slot missing binaries we need is
 * replaced whole.
 */
export async function promote(staging: string, slot: CacheSlot, binaries: readonly string[]) {
  const dir = slotDir(slot);
  try {
    await rename(staging, dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
    if ((await presentBinaries(dir, binaries)).length === binaries.length) {
      await rm(staging, { recursive: true, force: true });
    } else {
      const old = `${dir}.old-${randomUUID()}`;
      await rename(dir, old);
      await rename(staging, dir);
      await rm(old, { recursive: true, force: true });
    }
  }
  return markComplete(slot);
}

/** Writes the marker `@actions/tool-cache` looks for, once the slot's files are in place. */
export async function markComplete(slot: CacheSlot): Promise<string> {
  const dir = slotDir(slot);
  await writeFile(`${dir}.complete`, '');
  return dir;
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
