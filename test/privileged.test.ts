// The helper every root-needing test goes through: runs as root directly or through
// passwordless sudo, stops what it started, and says in one line what to do when it cannot.
// Needs root, directly or through passwordless sudo (it checks that it gets it).
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../scripts/repo-root';
import { run } from './double/ssh/exec';
import {
  PRIVILEGE_FIX,
  probeRootAccess,
  requireRoot,
  rootAccess,
  rootCommand,
  runAsRootOk,
  spawnAsRoot,
} from './privileged';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function fakeSudo(script: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fake-sudo-'));
  dirs.push(dir);
  const path = join(dir, 'sudo');
  await writeFile(path, `#!/bin/sh\n${script}\n`);
  await chmod(path, 0o755);
  return path;
}

/** Whether a process runs, and as which real uid (from /proc). */
async function processUid(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  const m = status && /^Uid:\s+(\d+)/m.exec(status);
  return m ? Number(m[1]) : undefined;
}

describe('probeRootAccess', () => {
  it('as uid 0: root, sudo never asked', () => {
    expect(probeRootAccess(0, '/nonexistent/sudo')).toEqual({ how: 'root' });
  });

  it('as another uid: sudo when `sudo -n true` succeeds', async () => {
    expect(probeRootAccess(1000, await fakeSudo('exit 0'))).toEqual({ how: 'sudo' });
  });

  it("when sudo wants a password: one line with the fix and sudo's reason", async () => {
    const sudo = await fakeSudo('echo "sudo: a password is required" >&2; exit 1');
    const access = probeRootAccess(1000, sudo);
    expect(access).toEqual({ how: 'none', why: 'sudo: a password is required' });
    expect(() => requireRoot('starting sshd', access)).toThrow(
      new Error(
        'starting sshd needs root: run as root or give this user passwordless sudo (sudo: a password is required)',
      ),
    );
  });

  it('without sudo: the same line, saying sudo cannot run', () => {
    const access = probeRootAccess(1000, '/nonexistent/sudo');
    expect(access.how).toBe('none');
    expect(() => requireRoot('useradd', access)).toThrow(
      /^useradd needs root: run as root or give this user passwordless sudo \(\/nonexistent\/sudo cannot run: .*ENOENT/,
    );
    expect(PRIVILEGE_FIX).toBe('run as root or give this user passwordless sudo');
  });
});

describe('on this machine', () => {
  it('reaches root (the suite needs it: run as root or with passwordless sudo)', async () => {
    const how = requireRoot('the privileged tests');
    expect(['root', 'sudo']).toContain(how);
    expect(how === 'root').toBe(process.getuid?.() === 0);
    const { stdout } = await runAsRootOk('test', 'id', ['-u']);
    expect(stdout.trim()).toBe('0');
  });

  it('passes variables to the command through sudo (sudo resets the environment)', async () => {
    const c = rootCommand('test', 'sh', ['-c', 'echo "$(id -u) $PROBE"'], { PROBE: 'a b=c' });
    expect(c.file).toBe(rootAccess().how === 'root' ? 'env' : 'sudo');
    const { stdout } = await run(c.file, c.args);
    expect(stdout).toBe('0 a b=c\n');
  });

  it('starts a program as root, knows its own pid and stops it', async () => {
    const p = spawnAsRoot('test', 'sleep', ['300']);
    const exited = new Promise<void>((r) => p.child.once('exit', () => r()));
    const pid = await p.pid;
    expect(await processUid(pid)).toBe(0);
    expect(await readFile(`/proc/${pid}/comm`, 'utf8')).toBe('sleep\n');
    await p.kill('SIGTERM');
    await exited;
    expect(await processUid(pid)).toBeUndefined();
  });

  it('stops it synchronously too (for process exit)', async () => {
    const p = spawnAsRoot('test', 'sleep', ['300']);
    const exited = new Promise<void>((r) => p.child.once('exit', () => r()));
    const pid = await p.pid;
    p.killSync('SIGKILL');
    await exited;
    expect(await processUid(pid)).toBeUndefined();
  });
});

/**
 * A privileged command run directly (not through test/privileged.ts): `chown()`, a spawned
 * useradd/userdel/usermod/groupadd/chown/setcap/runuser/sudo, sshd, or a read of /etc/shadow.
 */
const DIRECT =
  /\b(?:exec|execFile|execFileSync|execSync|spawn|spawnSync|run|runOk|execP|sh)\(\s*['"`](?:sudo|useradd|userdel|usermod|groupadd|chown|setcap|runuser|\/usr\/sbin\/sshd)\b|\bchown\(|spawn\(SSHD_PATH|readFile\(\s*['"]\/etc\/shadow/;

describe('every privileged command goes through test/privileged.ts', () => {
  it('the check finds a direct one', () => {
    expect(DIRECT.test("await run('userdel', ['-r', NAME]);")).toBe(true);
    expect(DIRECT.test('await chown(dir, 65534, 65534);')).toBe(true);
    expect(DIRECT.test("spawn(SSHD_PATH, ['-D'])")).toBe(true);
    expect(DIRECT.test("await run('runuser', ['-u', BOT, '--', 'id']);")).toBe(true);
    expect(DIRECT.test("await runAsRoot(WHAT, 'userdel', ['-r', NAME]);")).toBe(false);
  });

  it('no test or script runs one directly', async () => {
    const found: string[] = [];
    for (const top of ['test', 'scripts']) {
      for (const name of await readdir(join(repoRoot, top), { recursive: true })) {
        const file = join(top, name);
        if (!file.endsWith('.ts') || file.startsWith(join('test', 'privileged.'))) continue;
        const lines = (await readFile(join(repoRoot, file), 'utf8')).split('\n');
        lines.forEach((l, i) => {
          if (DIRECT.test(l)) found.push(`${file}:${i + 1}: ${l.trim()}`);
        });
      }
    }
    expect(found).toEqual([]);
  });
});
