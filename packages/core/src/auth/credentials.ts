import { chmod, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors';

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
export async function useCredentialsDir(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if ((await readdir(dir)).length > 0) {
    throw new UserError(`The credentials folder ${dir} is not empty: name a new or empty folder`);
  }
  await chmod(dir, 0o700);
  return dir;
}

/** Tightens every file tbot wrote to 0600 (and folders to 0700). */
export async function lockDown(dir: string): Promise<void> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  await Promise.all(
    entries.map((e) => chmod(join(e.parentPath, e.name), e.isDirectory() ? 0o700 : 0o600)),
  );
}

export async function removeCredentials(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
