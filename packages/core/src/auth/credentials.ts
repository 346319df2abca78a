import { chmodSync, readdirSync } from 'node:fs';
import { chmod, lstat, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { InputError, UserError } from '../errors';
import { fileErrorWords } from '../platform/file-errors';

/**
 * A fresh private folder for one step's credentials (0700), so several auth steps in one
 * job never overwrite each other.
 */
export async function makeCredentialsDir(parent: string, label: string): Promise<string> {
  const dir = await mkdtemp(join(parent, `teleport-${label}-`));
  await chmod(dir, 0o700);
  return dir;
}

/** A folder the user named: created private, or refused if it already holds files. */
export async function useCredentialsDir(dir: string, input = 'out'): Promise<string> {
  const fix = 'name a new or empty folder';
  const info = await lstat(dir).catch(() => undefined);
  if (info && !info.isDirectory()) throw new InputError(input, `${dir} is not a folder: ${fix}`);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new InputError(input, `cannot create ${dir} (${fileErrorWords(err)}): ${fix}`);
  }
  const entries = await readdir(dir).catch((err) => {
    throw new InputError(input, `cannot read ${dir} (${fileErrorWords(err)}): ${fix}`);
  });
  if (entries.length > 0) {
    throw new UserError(`The credentials folder ${dir} is not empty: name a new or empty folder`);
  }
  await chmod(dir, 0o700);
  return dir;
}

/** Tightens every file tbot wrote to 0600 (and folders to 0700); a dozen calls, synchronous. */
export function lockDown(dir: string): void {
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    chmodSync(join(e.parentPath, e.name), e.isDirectory() ? 0o700 : 0o600);
  }
}

export async function removeCredentials(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/**
 * Whether a folder named in state is one a post step may delete: gone already, one the engine
 * made (a real folder, this user's, private: 0700), or something else, which is left alone.
 * The state of `teleport-ci` lives in a private file, so this is a second line: it keeps a
 * stale or damaged state from deleting a home or system folder.
 */
export async function folderKind(
  dir: string,
  home = process.env.HOME,
): Promise<'ours' | 'other' | 'missing'> {
  if (!isAbsolute(dir) || resolve(dir) === '/' || (home && resolve(dir) === resolve(home))) {
    return 'other';
  }
  const info = await lstat(dir).catch(() => undefined);
  if (!info) return 'missing';
  const uid = process.getuid?.();
  const own = uid === undefined || info.uid === uid;
  return info.isDirectory() && own && (info.mode & 0o777) === 0o700 ? 'ours' : 'other';
}
