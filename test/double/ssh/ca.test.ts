// Unit-level checks of the CA, key and known_hosts helpers against ssh-keygen's own reading.
import { createPrivateKey } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSshCa, type SshCa } from './ca';
import { runOk } from './exec';
import { generateKeyPair } from './keys';
import { knownHostsLine } from './known-hosts';
import { requireSsh, sshAvailable, sshMissingError } from './preflight';

let tmp: string;
let ca: SshCa;

beforeAll(requireSsh);

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'ssh-ca-'));
  ca = await createSshCa(join(tmp, 'ca'), 'user-ca');
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** `ssh-keygen -L` of a certificate line, in UTC. */
async function inspect(cert: string): Promise<string> {
  const f = join(await mkdtemp(join(tmp, 'inspect-')), 'c-cert.pub');
  await writeFile(f, `${cert}\n`);
  return (await runOk('ssh-keygen', ['-L', '-f', f], { env: { ...process.env, TZ: 'UTC0' } }))
    .stdout;
}

describe('createSshCa', () => {
  it('has a comment-free public key usable in TrustedUserCAKeys / @cert-authority', () => {
    expect(ca.publicKey).toMatch(/^ssh-ed25519 AAAA[0-9A-Za-z+/=]+$/);
    expect(ca.privateKeyPath).toBe(join(tmp, 'ca', 'user-ca'));
  });

  it('signs a user key with key ID, principals and validity', async () => {
    const kp = await generateKeyPair(tmp);
    const from = new Date('2030-01-02T03:04:05Z');
    const cert = await ca.signUserKey(kp.publicKey, {
      keyId: 'bot-ci',
      principals: ['ci-login', 'deploy'],
      validSeconds: 7200,
      validFrom: from,
    });
    expect(cert).toMatch(/^ecdsa-sha2-nistp256-cert-v01@openssh\.com AAAA\S+ /);
    const info = await inspect(cert);
    expect(info).toContain('user certificate');
    expect(info).toContain('Key ID: "bot-ci"');
    expect(info).toMatch(/Principals: \n\s+ci-login\n\s+deploy\n/);
    expect(info).toContain('Valid: from 2030-01-02T03:04:05 to 2030-01-02T05:04:05');
    expect(info).toContain('permit-pty');
  });

  it('signs host keys as host certificates', async () => {
    const kp = await generateKeyPair(tmp, 'ed25519');
    const cert = await ca.signHostKey(kp.publicKey, {
      keyId: 'host:node-1',
      principals: ['node-1.teleport.example.test', 'node-1'],
      validSeconds: 60,
    });
    const info = await inspect(cert);
    expect(info).toContain('host certificate');
    expect(info).toMatch(/Principals: \n\s+node-1\.teleport\.example\.test\n\s+node-1\n/);
  });

  it('handles concurrent signing with distinct serials and cleans up its temp files', async () => {
    const kp = await generateKeyPair(tmp);
    const certs = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        ca.signUserKey(kp.publicKey, { keyId: `k${i}`, principals: ['u'], validSeconds: 60 }),
      ),
    );
    const serials = await Promise.all(
      certs.map(async (c) => /Serial: (\d+)/.exec(await inspect(c))?.[1]),
    );
    expect(new Set(serials).size).toBe(6);
    expect((await readdir(join(tmp, 'ca'))).sort()).toEqual(['user-ca', 'user-ca.pub']);
  });

  it('refuses an empty principal list (ssh-keygen would make a cert valid for anyone)', async () => {
    const kp = await generateKeyPair(tmp);
    await expect(
      ca.signUserKey(kp.publicKey, { keyId: 'x', principals: [], validSeconds: 60 }),
    ).rejects.toThrow(/principal/);
  });
});

describe('generateKeyPair', () => {
  it('defaults to a PEM ECDSA key (tbot `key`: one key for SSH and TLS) that node:crypto reads', async () => {
    const kp = await generateKeyPair();
    expect(kp.privateKeyPem).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n/);
    expect(kp.publicKey).toMatch(/^ecdsa-sha2-nistp256 AAAA/);
    expect(createPrivateKey(kp.privateKeyPem).asymmetricKeyType).toBe('ec');
  });

  it('can make ed25519 keys (OpenSSH format)', async () => {
    const kp = await generateKeyPair(tmp, 'ed25519');
    expect(kp.privateKeyPem).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
    expect(kp.publicKey).toMatch(/^ssh-ed25519 AAAA/);
  });
});

describe('knownHostsLine', () => {
  it("produces tbot's exact form (teleport-behaviour.md §3)", () => {
    const line = knownHostsLine(
      { publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIabc comment' },
      { proxyHost: 'proxy.example.test', clusterName: 'example.test' },
    );
    expect(line).toBe(
      '@cert-authority proxy.example.test,example.test,*.example.test ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIabc type=host',
    );
  });
});

describe('sshAvailable', () => {
  it('finds ssh, ssh-keygen and sshd on the host', async () => {
    expect(await sshAvailable()).toEqual({ ok: true, missing: [] });
  });

  it('names what is missing and says to install openssh-server', async () => {
    const where = { path: '/nonexistent', sshdPath: '/nonexistent/sshd' };
    const r = await sshAvailable(where);
    expect(r.ok).toBe(false);
    expect(r.missing).toEqual(expect.arrayContaining(['ssh', 'ssh-keygen', '/nonexistent/sshd']));
    expect(sshMissingError(r.missing).message).toMatch(
      /^SSH tests need: ssh, ssh-keygen, .*install openssh-server/,
    );
  });
});
