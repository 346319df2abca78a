// A small client-certificate authority for the Kubernetes API double. In the real wiring the
// client CA is the double's Teleport TLS user CA (made elsewhere); this one lets the kube
// double's own tests mint client certificates shaped like Teleport's: CN = user, O = groups,
// plus Teleport's subject attributes for the target kube cluster (OID 1.3.9999.1.3) and the
// Teleport cluster (1.3.9999.1.7) when asked (gravitational/teleport lib/tlsca/ca.go).

// @peculiar/x509 resolves its services through tsyringe, which needs a Reflect polyfill that
// must be evaluated before the library itself.
import 'reflect-metadata';
import { randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

type X509Crypto = Parameters<typeof x509.cryptoProvider.set>[0];
type KeyPair = x509.X509CertificateCreateSelfSignedParams['keys'];
type PrivateKey = KeyPair['privateKey'];

x509.cryptoProvider.set(webcrypto as unknown as X509Crypto);

/** Teleport's subject attribute naming the target Kubernetes cluster. */
export const KUBE_CLUSTER_OID = '1.3.9999.1.3';
/** Teleport's subject attribute naming the Teleport cluster the identity comes from. */
export const TELEPORT_CLUSTER_OID = '1.3.9999.1.7';

export interface ClientCertOptions {
  /** Subject CN: the Kubernetes user name. */
  cn: string;
  /** Subject O values: the Kubernetes groups (e.g. `system:masters`). */
  organizations?: string[];
  /** Lifetime in seconds from now (default 3600). Negative gives an already expired cert. */
  ttl?: number;
  /** Adds Teleport's kube-cluster subject attribute (routes v1-shaped, prefix-less URLs). */
  kubeCluster?: string;
  /** Adds Teleport's teleport-cluster subject attribute. */
  teleportCluster?: string;
}

export interface ClientCert {
  certPem: string;
  /** PKCS#8 `PRIVATE KEY` PEM (kubectl's client-key-data accepts it). */
  keyPem: string;
}

export interface ClientCa {
  certPem: string;
  keyPem: string;
  issueClientCert(opts: ClientCertOptions): Promise<ClientCert>;
}

const EC_KEY = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const EC_SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;
const HOUR = 3600_000;

function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

async function newKeys(): Promise<KeyPair> {
  return (await webcrypto.subtle.generateKey(EC_KEY, true, ['sign', 'verify'])) as KeyPair;
}

async function privateKeyPem(key: PrivateKey): Promise<string> {
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', key as unknown as webcrypto.CryptoKey);
  return x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') + '\n';
}

function subjectFor(opts: ClientCertOptions): x509.JsonName {
  const name: x509.JsonName = [{ CN: [opts.cn] }];
  for (const o of opts.organizations ?? []) name.push({ O: [o] });
  if (opts.kubeCluster !== undefined) name.push({ [KUBE_CLUSTER_OID]: [opts.kubeCluster] });
  if (opts.teleportCluster !== undefined) {
    name.push({ [TELEPORT_CLUSTER_OID]: [opts.teleportCluster] });
  }
  return name;
}

function makeCa(
  caCert: x509.X509Certificate,
  caKey: PrivateKey,
  signingAlgorithm: Algorithm,
  keyPem: string,
): ClientCa {
  async function issueClientCert(opts: ClientCertOptions): Promise<ClientCert> {
    const keys = await newKeys();
    const now = Date.now();
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serialNumber(),
      subject: subjectFor(opts),
      issuer: caCert.subject,
      // Backdated so a slightly skewed clock cannot reject it, like tls.ts does.
      notBefore: new Date(now - HOUR),
      notAfter: new Date(now + (opts.ttl ?? 3600) * 1000),
      publicKey: keys.publicKey,
      signingKey: caKey,
      signingAlgorithm,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
          true,
        ),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
        await x509.AuthorityKeyIdentifierExtension.create(caCert),
      ],
    });
    return { certPem: cert.toString('pem') + '\n', keyPem: await privateKeyPem(keys.privateKey) };
  }
  return { certPem: caCert.toString('pem') + '\n', keyPem, issueClientCert };
}

type Algorithm = x509.X509CertificateCreateParams['signingAlgorithm'];

/** A fresh ECDSA P-256 client CA, valid for a day. */
export async function createClientCa(opts: { name?: string } = {}): Promise<ClientCa> {
  const keys = await newKeys();
  const now = Date.now();
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: opts.name ?? 'CN=Kube Double Client CA, O=teleport-ci-actions tests',
    notBefore: new Date(now - HOUR),
    notAfter: new Date(now + 24 * HOUR),
    keys,
    signingAlgorithm: EC_SIGN,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign |
          x509.KeyUsageFlags.cRLSign |
          x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return makeCa(caCert, keys.privateKey, EC_SIGN, await privateKeyPem(keys.privateKey));
}

/**
 * Wraps an existing CA (certificate + PKCS#8 key PEM, ECDSA or RSA) so it can issue client
 * certificates: e.g. the Teleport double's user CA, when its key is at hand.
 */
export async function clientCaFromPem(certPem: string, keyPem: string): Promise<ClientCa> {
  const caCert = new x509.X509Certificate(certPem);
  const pubAlg = caCert.publicKey.algorithm as { name: string; namedCurve?: string };
  let importAlg: Algorithm & { name: string };
  let signAlg: Algorithm;
  if (pubAlg.name === 'ECDSA') {
    const curve = pubAlg.namedCurve ?? 'P-256';
    const hash = curve === 'P-384' ? 'SHA-384' : curve === 'P-521' ? 'SHA-512' : 'SHA-256';
    importAlg = { name: 'ECDSA', namedCurve: curve } as Algorithm & { name: string };
    signAlg = { name: 'ECDSA', hash } as Algorithm;
  } else if (pubAlg.name === 'RSASSA-PKCS1-v1_5') {
    importAlg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as Algorithm & { name: string };
    signAlg = importAlg;
  } else {
    throw new Error(`clientCaFromPem: unsupported CA key algorithm ${pubAlg.name}`);
  }
  const der = x509.PemConverter.decodeFirst(keyPem);
  const key = await webcrypto.subtle.importKey(
    'pkcs8',
    der,
    importAlg as unknown as webcrypto.EcKeyImportParams,
    true,
    ['sign'],
  );
  return makeCa(caCert, key as unknown as PrivateKey, signAlg, keyPem);
}
