// Checks that the real OpenSSH programs exist, so SSH tests fail with a clear message instead of
// a confusing ENOENT. CI installs the packages (README.md), so absence is a failure, never a skip.
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { PRIVILEGE_FIX, rootAccess } from '../../privileged';

export const SSHD_PATH = '/usr/sbin/sshd';
export const INSTALL_HINT =
  'install openssh-server (apt-get install -y openssh-server; see test/double/ssh/README.md)';

async function executable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function onPath(cmd: string, pathVar: string): Promise<boolean> {
  const dirs = pathVar.split(delimiter).filter(Boolean);
  for (const d of dirs) if (await executable(join(d, cmd))) return true;
  return false;
}

/**
 * `ok` when `ssh`, `ssh-keygen` (on PATH) and `/usr/sbin/sshd` exist, plus what the rest of the
 * double needs: `useradd`/`usermod` (passwd), `flock` (util-linux) and root, directly or through
 * passwordless sudo (test/privileged.ts).
 */
export async function sshAvailable(
  /** For tests of this check: another PATH and sshd location. */
  where: { path?: string; sshdPath?: string } = {},
): Promise<{ ok: boolean; missing: string[] }> {
  const missing: string[] = [];
  const pathVar = where.path ?? process.env.PATH ?? '';
  for (const cmd of ['ssh', 'ssh-keygen', 'getent', 'flock']) {
    if (!(await onPath(cmd, pathVar))) missing.push(cmd);
  }
  const sshd = where.sshdPath ?? SSHD_PATH;
  if (!(await executable(sshd))) missing.push(sshd);
  for (const p of ['/usr/sbin/useradd', '/usr/sbin/usermod']) {
    if (!(await executable(p))) missing.push(p);
  }
  const root = rootAccess();
  if (root.how === 'none') {
    missing.push(`root, to run sshd and useradd (${PRIVILEGE_FIX}; here: ${root.why})`);
  }
  return { ok: missing.length === 0, missing };
}

/** The error test files fail with when something is missing. */
export function sshMissingError(missing: string[]): Error {
  // The install hint only when a program is missing, not only root.
  const hint = missing.some((m) => !m.startsWith('root,')) ? ` ${INSTALL_HINT}` : '';
  return new Error(`SSH tests need: ${missing.join(', ')}.${hint}`);
}

/** For `beforeAll(requireSsh)` in test files: throws a clear error when something is missing. */
export async function requireSsh(): Promise<void> {
  const { ok, missing } = await sshAvailable();
  if (!ok) throw sshMissingError(missing);
}
