import { lstat, readlink, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Target } from './target';

/**
 * Where a binary sits in the tarball (below its top folder) and in the installed folder.
 * From v17 the macOS tarballs carry `tsh` and `tctl` as signed app bundles
 * (`tsh.app/Contents/MacOS/tsh`): the binary needs its bundle (its provisioning profile)
 * to run, so the bundle is installed whole and a symbolic link `tsh` on PATH points into it.
 */
export interface Placement {
  name: string;
  /** The archive member below the top folder: a file, or a bundle folder. */
  member: string;
  /** The executable, relative to the installed folder. */
  file: string;
  /** A link of this name beside the bundle, pointing at `file`. */
  link?: string;
}

const BUNDLED = ['tsh', 'tctl'];

export function placementOf(name: string, version: string, target: Target): Placement {
  const major = Number.parseInt(version.split('.')[0] ?? '', 10);
  if (target.os === 'darwin' && major >= 17 && BUNDLED.includes(name)) {
    return { name, member: `${name}.app`, file: `${name}.app/Contents/MacOS/${name}`, link: name };
  }
  return { name, member: name, file: name };
}

/** Creates the links of bundled binaries in `dir`. */
export async function linkBundles(dir: string, placements: readonly Placement[]): Promise<void> {
  for (const p of placements) if (p.link) await symlink(p.file, join(dir, p.link));
}

/** Whether every bundled binary's link in `dir` exists and points where it should. */
export async function bundleLinksIntact(
  dir: string,
  placements: readonly Placement[],
): Promise<boolean> {
  for (const p of placements) {
    if (!p.link) continue;
    const path = join(dir, p.link);
    try {
      if (!(await lstat(path)).isSymbolicLink() || (await readlink(path)) !== p.file) return false;
    } catch {
      return false;
    }
  }
  return true;
}
