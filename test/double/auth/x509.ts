// The Teleport cluster's X.509 certificate authorities (user, host, database), built with
// @peculiar/x509 on Web Crypto. The user CA signs the bot's client certificates: the proxy
// double checks them on mutual TLS, and a Kubernetes API double trusts the same CA (README).
// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect polyfill first.
import 'reflect-metadata';
import { randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

type X509Crypto = Parameters<typeof x509.cryptoProvider.set>[0];
type KeyPair = x509.X509CertificateCreateSelfSignedParams['keys'];

x509.cryptoProvider.set(webcrypto as unknown as X509Crypto);

const KEY_ALG = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN_ALG = { name: 'ECDSA', hash: 'SHA-256' } as const;
const HOUR = 3600_000;

export type CaKind = 'user' | 'host' | 'db';

export interface IssueClientCertOptions {
  /** The subject's public key: SPKI PEM (`BEGIN PUBLIC KEY`), as the stand-in tbot sends it. */
  publicKeyPem: string;
  commonName: string;
  /** One `O` attribute each (Teleport: the roles; a Kubernetes route: the kubernetes_groups). */
  organizations: string[];
  /** One `OU` attribute each (the double's usage markers, e.g. `usage:kube`). */
  organizationalUnits?: string[];
  /** Extra subject attributes by OID (Teleport's route attributes, lib/tlsca). */
  attributes?: Record<string, string>;
  notAfter: Date;
  serverAuth?: boolean;
  dnsNames?: string[];
}

export interface IssuedCert {
  certPem: string;
  /** Lower-case hex without leading zeros, as node's X509Certificate.serialNumber gives it (upper-cased there). */
  serial: string;
  notAfter: Date;
}

export interface X509Ca {
  kind: CaKind;
  certPem: string;
  issue(opts: IssueClientCertOptions): Promise<IssuedCert>;
}

function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x10; // positive, and no leading zero byte
  return bytes.toString('hex');
}

function name(
  cn: string,
  o: string[],
  ou: string[] = [],
  attributes: Record<string, string> = {},
): x509.JsonName {
  return [
    { CN: [cn] },
    ...o.map((v) => ({ O: [v] })),
    ...ou.map((v) => ({ OU: [v] })),
    ...Object.entries(attributes).map(([oid, v]) => ({ [oid]: [v] })),
  ];
}

/** A self-signed CA named like Teleport's (`CN=<cluster>, O=<cluster>`), valid for a year. */
export async function createX509Ca(kind: CaKind, clusterName: string): Promise<X509Ca> {
  const keys = (await webcrypto.subtle.generateKey(KEY_ALG, true, [
    'sign',
    'verify',
  ])) as unknown as KeyPair;
  // Teleport's CA subjects are CN=<cluster>, O=<cluster>; the serial tells the three apart.
  const notBefore = new Date(Date.now() - HOUR);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: name(clusterName, [clusterName], [`teleport-double ${kind} CA`]),
    notBefore,
    notAfter: new Date(Date.now() + 365 * 24 * HOUR),
    keys,
    signingAlgorithm: SIGN_ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign |
          x509.KeyUsageFlags.cRLSign |
          x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const certPem = ca.toString('pem') + '\n';

  async function issue(o: IssueClientCertOptions): Promise<IssuedCert> {
    const publicKey = new x509.PublicKey(o.publicKeyPem);
    const serial = serialNumber();
    const usages = [x509.ExtendedKeyUsage.clientAuth];
    if (o.serverAuth) usages.push(x509.ExtendedKeyUsage.serverAuth);
    const extensions: x509.Extension[] = [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.ExtendedKeyUsageExtension(usages),
      await x509.AuthorityKeyIdentifierExtension.create(keys.publicKey),
    ];
    if (o.dnsNames && o.dnsNames.length > 0) {
      extensions.push(
        new x509.SubjectAlternativeNameExtension(
          o.dnsNames.map((value) => ({ type: 'dns' as const, value })),
        ),
      );
    }
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serial,
      subject: name(o.commonName, o.organizations, o.organizationalUnits, o.attributes),
      issuer: ca.subject,
      notBefore: new Date(Date.now() - 60_000),
      notAfter: o.notAfter,
      publicKey,
      signingKey: keys.privateKey,
      signingAlgorithm: SIGN_ALG,
      extensions,
    });
    return {
      certPem: cert.toString('pem') + '\n',
      serial: serial.replace(/^0+/, ''),
      notAfter: o.notAfter,
    };
  }

  return { kind, certPem, issue };
}
