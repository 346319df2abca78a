import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import { readIssuedIdentity } from './certificate';

describe('reading the issued certificate', () => {
  it('finds the bot, its roles (subject O) and the expiry', async () => {
    const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
    const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
    const expires = new Date(Date.UTC(2030, 0, 2, 3, 4, 5));
    const cert = await x509.X509CertificateGenerator.createSelfSigned(
      {
        name: 'CN=bot-github-bot, O=ci-ssh, O=ci-kube',
        notBefore: new Date(),
        notAfter: expires,
        keys,
        signingAlgorithm: alg,
      },
      webcrypto,
    );
    const path = join(await mkdtemp(join(tmpdir(), 'cert-')), 'tlscert');
    await writeFile(path, cert.toString('pem'));
    expect(await readIssuedIdentity(path)).toEqual({
      user: 'bot-github-bot',
      bot: 'github-bot',
      roles: ['ci-ssh', 'ci-kube'],
      expires,
    });
  });
});
