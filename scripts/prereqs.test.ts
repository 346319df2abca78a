// scripts/prereqs against a fake machine: a PATH holding only a temp folder, where each needed
// program is a stub or absent, absolute paths live under a fake root (PREREQS_ROOT), and
// `apt-get`, `sudo` and `id` are fakes that log what they are asked and make the packages'
// programs appear. The real script, run by the real bash.

import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

const execFileP = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('./prereqs', import.meta.url));
const BASH = '/bin/bash';
// Real programs the script (env, mktemp, rm, tail) and the fake apt-get (mkdir, dirname, chmod)
// use; everything else on PATH is the test's.
const REAL_TOOLS = ['env', 'mktemp', 'rm', 'tail', 'mkdir', 'dirname', 'chmod'];

interface Need {
  what: string;
  pkg: string;
}

interface Machine {
  dir: string;
  bin: string;
  root: string;
  log: string;
}

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

const FAKE_APT = `#!/bin/sh
set -e
echo "DEBIAN_FRONTEND=$DEBIAN_FRONTEND apt-get $*" >> "$FAKE_LOG"
if [ -n "$APT_FAILS" ]; then echo "E: Unable to locate package $APT_FAILS" >&2; exit 100; fi
[ "$1" = install ] || exit 0
shift
[ -n "$APT_INSTALLS_NOTHING" ] && exit 0
for pkg in "$@"; do
  case $pkg in -*) continue ;; esac
  while read -r what p; do
    [ "$p" = "$pkg" ] || continue
    case $what in
    /*) mkdir -p "$(dirname "$FAKE_ROOT$what")"; printf '#!/bin/sh\\n' > "$FAKE_ROOT$what"; chmod +x "$FAKE_ROOT$what" ;;
    *) printf '#!/bin/sh\\n' > "$FAKE_BIN/$what"; chmod +x "$FAKE_BIN/$what" ;;
    esac
  done < "$FAKE_NEEDS"
done
`;

// Knows every package except those in APT_LACKS.
const FAKE_APT_CACHE = `#!/bin/sh
[ "$1" = show ] || exit 100
for lacking in $APT_LACKS; do [ "$2" = "$lacking" ] && exit 100; done
echo "Package: $2"
`;

const FAKE_SUDO = `#!/bin/sh
[ "$1" = -n ] && shift
if [ -n "$SUDO_WANTS_PASSWORD" ]; then echo "sudo: a password is required" >&2; exit 1; fi
[ "$1" = true ] && exit 0
echo "sudo $*" >> "$FAKE_LOG"
exec "$@"
`;

const FAKE_ID = `#!/bin/sh
[ "$1" = -u ] && echo "\${FAKE_UID:-0}"
`;

let demoNeeds: Need[];
let testNeeds: Need[];
const machines: string[] = [];

async function listNeeds(run: string): Promise<Need[]> {
  const { stdout } = await execFileP(BASH, [SCRIPT, '--list', run]);
  return stdout
    .trim()
    .split('\n')
    .map((line) => {
      const [what = '', pkg = ''] = line.split(' ');
      return { what, pkg };
    });
}

async function writeExecutable(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
  await chmod(path, 0o755);
}

/** A machine with every test need present except `absent`, plus apt-get (unless `noApt`). */
async function machine(absent: string[], opts: { noApt?: boolean; sudo?: boolean } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'prereqs-'));
  machines.push(dir);
  const m: Machine = { dir, bin: join(dir, 'bin'), root: join(dir, 'root'), log: join(dir, 'log') };
  await mkdir(m.bin, { recursive: true });
  await writeFile(m.log, '');
  for (const tool of REAL_TOOLS) {
    const { stdout } = await execFileP(BASH, ['-c', `command -v ${tool}`]);
    await symlink(stdout.trim(), join(m.bin, tool));
  }
  for (const { what } of testNeeds) {
    if (absent.includes(what)) continue;
    const path = what.startsWith('/') ? join(m.root, what) : join(m.bin, what);
    await writeExecutable(path, '#!/bin/sh\n');
  }
  if (!opts.noApt) {
    await writeExecutable(join(m.bin, 'apt-get'), FAKE_APT);
    await writeExecutable(join(m.bin, 'apt-cache'), FAKE_APT_CACHE);
  }
  if (opts.sudo !== false) await writeExecutable(join(m.bin, 'sudo'), FAKE_SUDO);
  await writeExecutable(join(m.bin, 'id'), FAKE_ID);
  await writeFile(join(dir, 'needs'), `${testNeeds.map((n) => `${n.what} ${n.pkg}`).join('\n')}\n`);
  return m;
}

async function run(m: Machine, run: string, env: Record<string, string> = {}): Promise<RunResult> {
  try {
    const { stdout, stderr } = await execFileP(BASH, [SCRIPT, run], {
      env: {
        PATH: m.bin,
        PREREQS_ROOT: m.root,
        FAKE_ROOT: m.root,
        FAKE_BIN: m.bin,
        FAKE_LOG: m.log,
        FAKE_NEEDS: join(m.dir, 'needs'),
        ...env,
      },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const aptLog = async (m: Machine) => (await readFile(m.log, 'utf8')).trim();

beforeAll(async () => {
  demoNeeds = await listNeeds('demo');
  testNeeds = await listNeeds('test');
});

afterEach(async () => {
  await Promise.all(machines.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('scripts/prereqs', () => {
  it('lists per run: the demo needs sshd and ssh, the tests need those and more', () => {
    const demo = demoNeeds.map((n) => n.what);
    expect(demo).toEqual(expect.arrayContaining(['/usr/sbin/sshd', 'ssh', 'ssh-keygen']));
    expect(demo).not.toContain('groovy');
    expect(testNeeds.map((n) => n.what)).toEqual(
      expect.arrayContaining([
        ...demo,
        'groovy',
        'java',
        'shellcheck',
        'rsync',
        'setfacl',
        'kubectl',
        'git',
        'curl',
      ]),
    );
    expect(testNeeds.find((n) => n.what === '/usr/sbin/sshd')?.pkg).toBe('openssh-server');
  });

  it('with everything present: prints nothing and never calls apt-get or sudo', async () => {
    const m = await machine([]);
    for (const r of ['demo', 'test']) {
      expect(await run(m, r)).toEqual({ code: 0, stdout: '', stderr: '' });
    }
    expect(await aptLog(m)).toBe('');
  });

  it('as root: installs the missing packages, names each, then a second run installs nothing', async () => {
    const m = await machine(['/usr/sbin/sshd', 'ssh', 'ssh-keygen', 'groovy']);
    const first = await run(m, 'demo');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(
      'scripts/prereqs: installing openssh-server (for /usr/sbin/sshd)\n' +
        'scripts/prereqs: installing openssh-client (for ssh, ssh-keygen)\n',
    );
    expect(first.stdout).not.toContain('groovy'); // the demo does not need it
    expect((await aptLog(m)).split('\n')).toEqual([
      'DEBIAN_FRONTEND=noninteractive apt-get update -q',
      'DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends openssh-server openssh-client',
    ]);

    const again = await run(m, 'demo');
    expect(again).toEqual({ code: 0, stdout: '', stderr: '' });
    expect((await aptLog(m)).split('\n')).toHaveLength(2);

    const tests = await run(m, 'test');
    expect(tests.stdout).toContain('installing groovy (for groovy)');
    expect(await aptLog(m)).toMatch(/apt-get install -y -q --no-install-recommends groovy$/);
  });

  it('not root, passwordless sudo: installs through sudo', async () => {
    const m = await machine(['shellcheck', 'setfacl', 'getfacl']);
    const r = await run(m, 'test', { FAKE_UID: '1000' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('installing shellcheck (for shellcheck)');
    expect(r.stdout).toContain('installing acl (for setfacl, getfacl)');
    expect(await aptLog(m)).toContain(
      'sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends shellcheck acl',
    );
  });

  it('not root, sudo wants a password: one line with the exact command, nothing installed', async () => {
    const m = await machine(['/usr/sbin/sshd', 'groovy']);
    const r = await run(m, 'test', { FAKE_UID: '1000', SUDO_WANTS_PASSWORD: '1' });
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'Missing: /usr/sbin/sshd, groovy. Install them: sudo apt-get install -y openssh-server groovy\n',
    });
    expect(await aptLog(m)).toBe('');
  });

  it('not root and no sudo: one line saying to run the command as root', async () => {
    const m = await machine(['rsync'], { sudo: false });
    const r = await run(m, 'test', { FAKE_UID: '1000' });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Missing: rsync. Install them as root: apt-get install -y rsync\n');
  });

  it('without apt-get (not Debian or Ubuntu): one line naming what is missing', async () => {
    const m = await machine(['kubectl'], { noApt: true });
    const r = await run(m, 'test');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'Missing: kubectl. This script installs them on Debian or Ubuntu only; install the packages that provide them (Debian: kubernetes-client).\n',
    );
  });

  it('apt-get fails: shows its error and the command to run', async () => {
    const m = await machine(['groovy']);
    const r = await run(m, 'test', { APT_FAILS: 'groovy' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('E: Unable to locate package groovy');
    expect(r.stderr).toContain(
      'scripts/prereqs: apt-get failed (above). Install them: apt-get install -y groovy',
    );
  });

  it('a package the archive lacks: installs the others, then says what to provide another way', async () => {
    const m = await machine(['kubectl', 'groovy']);
    const r = await run(m, 'test', { APT_LACKS: 'kubernetes-client' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('installing groovy (for groovy)');
    expect(r.stdout).not.toContain('installing kubernetes-client');
    expect(await aptLog(m)).toMatch(/apt-get install -y -q --no-install-recommends groovy$/);
    expect(r.stderr).toBe(
      "scripts/prereqs: this machine's package archive has no kubernetes-client: install kubectl another way, then run again.\n",
    );
  });

  it('a package that did not bring its program: says what is still missing', async () => {
    const m = await machine(['java']);
    const r = await run(m, 'test', { APT_INSTALLS_NOTHING: '1' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'still missing after the install: java (packages: default-jre-headless)',
    );
  });

  it('an unknown run: says which runs exist', async () => {
    const m = await machine([]);
    const r = await run(m, 'bench');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("scripts/prereqs: unknown run 'bench': use 'demo' or 'test'.\n");
  });

  it('passes shellcheck', async () => {
    // shellcheck is one of the test needs, so `npm test` has installed it.
    const { stdout } = await execFileP('shellcheck', ['--shell=bash', '--severity=style', SCRIPT]);
    expect(stdout).toBe('');
  });
});
