// The local users the tests need: login users for the sshd double, system users for
// `daemon install`. The one place tests create users; useradd/usermod run as root through
// test/privileged.ts (directly, or through passwordless sudo).
import { mkdir } from 'node:fs/promises';
import { runAsRoot, runAsRootOk } from '../../privileged';
import { createSerializer, run } from './exec';

export interface LoginUser {
  name: string;
  home: string;
}

const NAME_RE = /^[a-z_][a-z0-9_-]{0,31}$/;
/** Cross-process lock (parallel vitest workers run in separate processes). */
const LOCK_DIR = '/run/lock';
const LOCK_FILE = `${LOCK_DIR}/teleport-double-users.lock`;
const serialize = createSerializer();
const WHAT_LOGIN = 'creating the login users of the sshd double (useradd)';

/** /run/lock is world-writable where it exists; where it does not, only root can make it. */
async function ensureLockDir(): Promise<void> {
  try {
    await mkdir(LOCK_DIR, { recursive: true });
  } catch {
    await runAsRootOk('creating /run/lock for user creation', 'mkdir', ['-p', LOCK_DIR]);
  }
}

async function lookup(name: string): Promise<LoginUser | undefined> {
  const r = await run('getent', ['passwd', name]);
  if (r.code === 2) return undefined; // "key not found"
  if (r.code !== 0) throw new Error(`getent passwd ${name} failed: ${r.stderr.trim()}`);
  const fields = r.stdout.trim().split(':');
  const home = fields[5];
  if (!home) throw new Error(`unexpected passwd entry for ${name}: ${r.stdout.trim()}`);
  return { name, home };
}

/**
 * Creates the local user `name` if it does not exist (`useradd -m -s /bin/bash`), then sets its
 * password field to `*` (`usermod -p '*'`): useradd leaves `!` (locked), and sshd with
 * `UsePAM no` refuses locked accounts even for certificate logins. Idempotent; safe from concurrent calls in one process (promise chain) and
 * across processes (`flock` on a lock file, plus tolerating "already exists").
 */
export async function ensureLoginUser(name: string): Promise<LoginUser> {
  if (!NAME_RE.test(name)) throw new Error(`invalid user name ${JSON.stringify(name)}`);
  return serialize(async () => {
    await ensureLockDir();
    const flock = ['-w', '60', LOCK_FILE];
    const existing = await lookup(name);
    if (!existing) {
      let args = ['-m', '-s', '/bin/bash', name];
      for (let attempt = 0; ; attempt++) {
        const r = await runAsRoot(WHAT_LOGIN, 'flock', [...flock, 'useradd', ...args]);
        if (r.code === 0) break;
        // 9: name in use. Either another process won the race (fine), or only a group of that
        // name exists (left over from an earlier userdel): then join that group instead.
        if (r.code === 9) {
          if (await lookup(name)) break;
          if (/group/i.test(r.stderr) && !args.includes('-g')) {
            args = ['-m', '-s', '/bin/bash', '-N', '-g', name, name];
            continue;
          }
        }
        // "cannot lock /etc/passwd; try again later": something outside our flock edits it.
        if (/lock/i.test(r.stderr) && attempt < 20) {
          await new Promise((res) => setTimeout(res, 100));
          continue;
        }
        throw new Error(`useradd ${name} failed (exit ${r.code}): ${r.stderr.trim()}`);
      }
    }
    await runAsRootOk(WHAT_LOGIN, 'flock', [...flock, 'usermod', '-p', '*', name]);
    const user = await lookup(name);
    if (!user) throw new Error(`user ${name} still missing after useradd`);
    // Tests read what the login user wrote (~/run_log); Ubuntu's useradd makes homes 0750.
    await runAsRootOk(WHAT_LOGIN, 'chmod', ['0755', user.home]);
    return user;
  });
}

/**
 * Creates the system user `name` (no home, no login) if it does not exist, as `daemon install`
 * expects its bot and reader users to be. Serialised like `ensureLoginUser`.
 */
export async function ensureSystemUser(name: string): Promise<void> {
  if (!NAME_RE.test(name)) throw new Error(`invalid user name ${JSON.stringify(name)}`);
  await serialize(async () => {
    await ensureLockDir();
    if (await lookup(name)) return;
    const r = await runAsRoot(`creating the system user ${name}`, 'flock', [
      '-w',
      '60',
      LOCK_FILE,
      'useradd',
      '--system',
      name,
    ]);
    if (r.code !== 0 && !(await lookup(name))) {
      throw new Error(`useradd --system ${name} failed (exit ${r.code}): ${r.stderr.trim()}`);
    }
  });
}
