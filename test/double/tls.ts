// A throwaway certificate authority for the Teleport double. The code under test trusts it
// through NODE_EXTRA_CA_CERTS=<certPath>, and curl through --cacert <certPath>, so the double
// can speak real HTTPS like cdn.teleport.dev and a Teleport proxy do (teleport-behaviour.md §5.3: clients try
// HTTPS first and only fall back to HTTP in insecure mode).
// @peculiar/x509 resolves its services through tsyringe, which needs a Reflect polyfill that
// must be evaluated before the library itself.
import 'reflect-metadata';
import { randomBytes, webcrypto } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import path from 'node:path';
import * as x509 from '@peculiar/x509';

// The lib types here come without the DOM, so take the Web Crypto types from x509's own API.
type X509Crypto = Parameters<typeof x509.cryptoProvider.set>[0];
type KeyPair = x509.X509CertificateCreateSelfSignedParams['keys'];
type PrivateKey = KeyPair['privateKey'];

x509.cryptoProvider.set(webcrypto as unknown as X509Crypto);

export interface ServerCert {
  certPem: string;
  keyPem: string;
}

export interface TestCa {
  certPem: string;
  /** The CA certificate on disk (`<dir>/ca.pem`): for NODE_EXTRA_CA_CERTS and curl --cacert. */
  certPath: string;
  issueServerCert(hosts?: string[]): Promise<ServerCert>;
}

export const DEFAULT_HOSTS = ['localhost', '127.0.0.1', '::1'];

// ECDSA P-256 keeps key generation in the milliseconds, so every run can mint a fresh CA.
const KEY_ALG = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN_ALG = { name: 'ECDSA', hash: 'SHA-256' } as const;
const HOUR = 3600_000;
const DAY = 24 * HOUR;

// X.509 serials must be positive; clearing the top bit of 16 random bytes guarantees it.
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

async function newKeys(): Promise<KeyPair> {
  const pair = await webcrypto.subtle.generateKey(KEY_ALG, true, ['sign', 'verify']);
  return pair as unknown as KeyPair;
}

async function privateKeyPem(key: PrivateKey): Promise<string> {
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', key as unknown as webcrypto.CryptoKey);
  return x509.PemConverter.encode(pkcs8, 'PRIVATE KEY');
}

export async function createTestCa(dir: string): Promise<TestCa> {
  const caKeys = await newKeys();
  const caName = 'CN=Teleport Double Test CA, O=teleport-ci-actions tests';
  // Backdated an hour so a slightly skewed clock on a CI runner cannot reject it.
  const notBefore = new Date(Date.now() - HOUR);
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: caName,
    notBefore,
    notAfter: new Date(Date.now() + 365 * DAY),
    keys: caKeys,
    signingAlgorithm: SIGN_ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign |
          x509.KeyUsageFlags.cRLSign |
          x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const certPem = caCert.toString('pem') + '\n';
  await mkdir(dir, { recursive: true });
  const certPath = path.join(dir, 'ca.pem');
  await writeFile(certPath, certPem);

  async function issueServerCert(hosts: string[] = DEFAULT_HOSTS): Promise<ServerCert> {
    if (hosts.length === 0) throw new Error('issueServerCert: at least one host is required');
    const keys = await newKeys();
    const names = hosts.map((h) => ({
      type: isIP(h) ? ('ip' as const) : ('dns' as const),
      value: h,
    }));
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serialNumber(),
      subject: `CN=${hosts[0]}`,
      issuer: caCert.subject,
      notBefore,
      notAfter: new Date(Date.now() + 30 * DAY),
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      signingAlgorithm: SIGN_ALG,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(names),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
        await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
      ],
    });
    return { certPem: cert.toString('pem') + '\n', keyPem: await privateKeyPem(keys.privateKey) };
  }

  return { certPem, certPath, issueServerCert };
}
