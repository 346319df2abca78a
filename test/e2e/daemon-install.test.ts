// End to end: `teleport-ci daemon install` on a Jenkins agent (as root), then the first join the
// installed service makes, run as the service's own user with the unit's own command line,
// against the Teleport double: bound_keypair (v18, teleport-behaviour.md §7 #55380) with the token's
// registration secret written into tbot.yaml (§2.2), and an ExecStart the bot user can run.
import { spawn, spawnSync } from 'node:child_process';
import { chmod, copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Double, startDouble } from '../double';
import { ensureSystemUser } from '../double/ssh/users';
import { writeTbot } from '../double/standin/test-helpers';
import { rootCommand } from '../privileged';
import { repoRoot } from './helpers';

const CLI = join(repoRoot, 'packages', 'cli', 'dist', 'teleport-ci.cjs');
const SECRET = 'agent-first-join-secret';
const BOT_USER = 'tbot-agent';
const READER = 'jenkins-agent';
let double: Double;
let root: string;
let tbot: string;

beforeAll(async () => {
  double = await startDouble({
    auth: { sshd: false },
    proxy: { serverVersion: '18.6.4', clusterName: 'teleport.example.test' },
  });
  const auth = double.auth!;
  auth.addRole({ name: 'agent-ssh', logins: ['agent'] });
  auth.addBot({ name: 'agent', roles: ['agent-ssh'] });
  auth.addToken(`kind: token
version: v2
metadata: { name: agent-bkp }
spec:
  roles: [Bot]
  join_method: bound_keypair
  bot_name: agent
  bound_keypair:
    onboarding:
      registration_secret: ${SECRET}
    recovery:
      mode: standard
`);
  for (const user of [BOT_USER, READER]) await ensureSystemUser(user);
  // A folder every user may traverse (mkdtemp makes it 0700), as /etc and /opt are.
  root = await mkdtemp(join(tmpdir(), 'daemon-join-'));
  await chmod(root, 0o755);
  // The tbot found by daemon install sits in a private folder, as root's tool cache does.
  tbot = await writeTbot(await mkdtemp(join(tmpdir(), 'root-cache-')), '18.6.4');
}, 120_000);

afterAll(async () => {
  await double?.close();
  await rm(root, { recursive: true, force: true });
});

// daemon install and runuser need root: directly, or through passwordless sudo (test/privileged.ts).
const AS_ROOT = 'daemon install and runuser (system users, root-owned files)';

function asRoot(cmd: string, args: string[], env: Record<string, string | undefined>) {
  const vars = Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined),
  );
  const c = rootCommand(AS_ROOT, cmd, args, vars);
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(c.file, c.args, { env: { PATH: process.env.PATH } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

const paths = () => ({
  out: join(root, 'machine-id'),
  data: join(root, 'bot'),
  config: join(root, 'etc', 'tbot.yaml'),
  unit: join(root, 'systemd', 'tbot.service'),
  bin: join(root, 'lib', 'teleport-ci'),
});

describe('daemon install, then the service joins (bound_keypair)', () => {
  it('installs a unit systemd-analyze accepts, whose tbot the bot user can run', async () => {
    const p = paths();
    const install = await asRoot(
      process.execPath,
      [
        CLI,
        'daemon',
        'install',
        ...['--proxy', double.proxy.addr, '--token', 'agent-bkp', '--tbot', tbot],
        ...['--out', p.out, '--data-dir', p.data, '--config', p.config, '--unit', p.unit],
        ...['--bin-dir', p.bin, '--bot-user', BOT_USER, '--reader-user', READER],
      ],
      { PATH: process.env.PATH, HOME: root, TBOT_REGISTRATION_SECRET: SECRET },
    );
    expect(install.code, install.out).toBe(0);
    expect(install.out).not.toContain(SECRET);
    const unit = await readFile(p.unit, 'utf8');
    expect(unit).toContain(`ExecStart=${p.bin}/tbot start -c ${p.config}\n`);
    // The tbot found stays private; the service's copy is readable and runnable by the bot user.
    const asBot = await asRoot('runuser', ['-u', BOT_USER, '--', `${p.bin}/tbot`, 'version'], {
      PATH: process.env.PATH,
    });
    expect(asBot.out).toMatch(/^Teleport v18\.6\.4 /);
    const analyze = spawnSync('systemd-analyze', ['verify', p.unit], { encoding: 'utf8' });
    expect(analyze.stderr).not.toContain(p.unit.split('/').at(-1));
    expect(analyze.status).toBe(0);
  });

  it('the first join succeeds with the written secret, as the bot user; the reader reads the identity', async () => {
    const p = paths();
    const unit = await readFile(p.unit, 'utf8');
    const command = /^ExecStart=(.*)$/m.exec(unit)![1]!.split(' ');
    // The double's CA, where the bot user can read it (a real proxy has a public certificate).
    const ca = join(root, 'double-ca.pem');
    await copyFile(double.env.NODE_EXTRA_CA_CERTS!, ca);
    await chmod(ca, 0o644);
    const first = await asRoot(
      'runuser',
      ['-u', BOT_USER, '--', 'env', `NODE_EXTRA_CA_CERTS=${ca}`, ...command, '--oneshot'],
      { PATH: process.env.PATH },
    );
    expect(first.code, first.out).toBe(0);
    expect(double.auth!.joins.at(-1)).toMatchObject({ token: 'agent-bkp', ok: true });
    const read = await asRoot(
      'runuser',
      ['-u', READER, '--', 'head', '-c', '10', join(p.out, 'tlscert')],
      {
        PATH: process.env.PATH,
      },
    );
    expect(read).toEqual({ code: 0, out: '-----BEGIN' });
  });
});
