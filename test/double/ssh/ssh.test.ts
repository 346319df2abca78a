// End-to-end: the real OpenSSH client logs in to a real sshd with what the double issues, using
// tbot's file layout (teleport-behaviour.md §3: key, key.pub, key-cert.pub, known_hosts).
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSshCa, type SignUserKeyOptions, type SshCa } from './ca';
import { runSsh, type SshRunOptions } from './client';
import { run } from './exec';
import { generateKeyPair } from './keys';
import { knownHostsLine } from './known-hosts';
import { proxyCommand } from './pipe';
import { requireSsh } from './preflight';
import { type Sshd, startSshd } from './sshd';
import { ensureLoginUser, type LoginUser } from './users';

const CLUSTER = 'teleport.example.test';
const PROXY_HOST = 'teleport.example.test';
const NODE = `node-1.${CLUSTER}`;

let tmp: string;
let userCa: SshCa;
let hostCa: SshCa;
let rogueHostCa: SshCa;
let sshd: Sshd | undefined;
let login: LoginUser;
let other: LoginUser;

beforeAll(requireSsh);

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'ssh-double-'));
  [userCa, hostCa, rogueHostCa, login, other] = await Promise.all([
    createSshCa(join(tmp, 'ca'), 'user-ca'),
    createSshCa(join(tmp, 'ca'), 'host-ca'),
    createSshCa(join(tmp, 'ca'), 'rogue-host-ca'),
    ensureLoginUser('ci-login'),
    ensureLoginUser('ci-other'),
  ]);
  sshd = await startSshd({
    dir: join(tmp, 'sshd'),
    userCa,
    hostCa,
    hostnames: [NODE, 'node-1', 'localhost'],
  });
});

afterAll(async () => {
  await sshd?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** Writes a tbot-like destination directory and returns its path. */
async function tbotDir(
  name: string,
  cert: Omit<SignUserKeyOptions, 'keyId'>,
  knownHostsCa: SshCa = hostCa,
  keyType: 'ecdsa' | 'ed25519' = 'ecdsa',
): Promise<string> {
  const dir = join(tmp, name);
  await mkdir(dir, { recursive: true });
  const kp = await generateKeyPair(tmp, keyType);
  const certLine = await userCa.signUserKey(kp.publicKey, { keyId: `bot-${name}`, ...cert });
  await writeFile(join(dir, 'key'), kp.privateKeyPem, { mode: 0o600 });
  await chmod(join(dir, 'key'), 0o600);
  await writeFile(join(dir, 'key.pub'), `${kp.publicKey}\n`);
  await writeFile(join(dir, 'key-cert.pub'), `${certLine}\n`);
  const line = knownHostsLine(knownHostsCa, { proxyHost: PROXY_HOST, clusterName: CLUSTER });
  await writeFile(join(dir, 'known_hosts'), `${line}\n`);
  return dir;
}

function direct(dir: string, user: string, extra: Partial<SshRunOptions> = {}): SshRunOptions {
  if (!sshd) throw new Error('sshd not started');
  return {
    identityFile: join(dir, 'key'),
    knownHostsFile: join(dir, 'known_hosts'),
    user,
    host: sshd.host,
    port: sshd.port,
    hostKeyAlias: NODE, // the host certificate's principal is what ssh checks
    command: 'echo hello >> ~/run_log',
    ...extra,
  };
}

async function helloCount(user: LoginUser): Promise<number> {
  const text = await readFile(join(user.home, 'run_log'), 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l === 'hello').length;
}

describe('real ssh against real sshd with certificates from the double', () => {
  it('logs in with key + key-cert.pub and the @cert-authority ... type=host known_hosts line', async () => {
    const dir = await tbotDir('ok', { principals: ['ci-login'], validSeconds: 600 });
    const before = await helloCount(login);
    const r = await runSsh(direct(dir, 'ci-login', { extraOptions: ['LogLevel=DEBUG1'] }));
    expect(r.code, r.stderr).toBe(0);
    expect(await helloCount(login)).toBe(before + 1);
    // The host was verified through the CA line (trailing `type=host` read as a comment).
    expect(r.stderr).toMatch(/Server host certificate: ssh-ed25519-cert-v01@openssh\.com/);
    expect(r.stderr).toContain(
      `Host '${NODE}' is known and matches the ED25519-CERT host certificate`,
    );
    expect(r.stderr).not.toMatch(/bad key|invalid|ignoring/i);
    expect(sshd!.logs()).toMatch(/Accepted publickey for ci-login from 127\.0\.0\.1 .*ID bot-ok/);
  });

  it('also works with an ed25519 key (OpenSSH format) and an explicit CertificateFile', async () => {
    const dir = await tbotDir(
      'ed',
      { principals: ['ci-login'], validSeconds: 600 },
      hostCa,
      'ed25519',
    );
    const r = await runSsh(
      direct(dir, 'ci-login', { certificateFile: join(dir, 'key-cert.pub'), command: 'id -un' }),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('ci-login');
  });

  it('refuses a certificate whose principals do not include the login', async () => {
    expect(other.name).toBe('ci-other');
    const dir = await tbotDir('wrong-principal', { principals: ['ci-other'], validSeconds: 600 });
    const before = await helloCount(login);
    const r = await runSsh(direct(dir, 'ci-login'));
    expect(r.code).toBe(255);
    expect(r.stderr).toContain('Permission denied (publickey)');
    expect(await helloCount(login)).toBe(before);
    expect(sshd!.logs()).toMatch(/Certificate invalid: name is not a listed principal/);
    // ...while the same certificate is fine for the login it names.
    const ok = await runSsh(direct(dir, 'ci-other', { command: 'true' }));
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('refuses an expired certificate', async () => {
    const dir = await tbotDir('expired', {
      principals: ['ci-login'],
      validSeconds: 3600,
      validFrom: new Date(Date.now() - 2 * 3600_000),
    });
    const r = await runSsh(direct(dir, 'ci-login'));
    expect(r.code).toBe(255);
    expect(r.stderr).toContain('Permission denied (publickey)');
    expect(sshd!.logs()).toMatch(/Certificate invalid: expired/);
  });

  it('refuses a host whose certificate comes from a CA not in known_hosts', async () => {
    const dir = await tbotDir(
      'rogue',
      { principals: ['ci-login'], validSeconds: 600 },
      rogueHostCa,
    );
    const r = await runSsh(direct(dir, 'ci-login'));
    expect(r.code).toBe(255);
    expect(r.stderr).toContain('Host key verification failed.');
  });

  it('refuses a host name that is not a principal of the host certificate', async () => {
    const dir = await tbotDir('other-node', { principals: ['ci-login'], validSeconds: 600 });
    // node-2.<cluster> matches *.<cluster> in known_hosts, but the certificate names node-1.
    const r = await runSsh(direct(dir, 'ci-login', { hostKeyAlias: `node-2.${CLUSTER}` }));
    expect(r.code).toBe(255);
    expect(r.stderr).toContain('Host key verification failed.');
  });

  it('connects through a ProxyCommand (pipe.ts), checking the node name as tbot ssh_config does', async () => {
    const dir = await tbotDir('proxy', { principals: ['ci-login'], validSeconds: 600 });
    const before = await helloCount(login);
    const r = await runSsh(
      direct(dir, 'ci-login', {
        host: NODE, // never resolved: the ProxyCommand makes the connection
        hostKeyAlias: undefined,
        proxyCommand: proxyCommand(sshd!.host, sshd!.port),
      }),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(await helloCount(login)).toBe(before + 1);
  });

  it('known_hosts line is found by ssh-keygen -F for the node, the cluster and the proxy', async () => {
    const dir = await tbotDir('lookup', { principals: ['ci-login'], validSeconds: 600 });
    for (const name of [NODE, CLUSTER, PROXY_HOST]) {
      const r = await run('ssh-keygen', ['-F', name, '-f', join(dir, 'known_hosts')]);
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toContain('type=host');
    }
    const miss = await run('ssh-keygen', [
      '-F',
      'node-1.elsewhere.test',
      '-f',
      join(dir, 'known_hosts'),
    ]);
    expect(miss.code).toBe(1);
  });
});
