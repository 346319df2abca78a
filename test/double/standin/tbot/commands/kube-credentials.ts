// `tbot kube credentials --destination-dir=<dir>`: the kubeconfig exec plugin (teleport-behaviour.md §3). Prints
// a client.authentication.k8s.io/v1beta1 ExecCredential with the output's `tlscert` and `key`
// (the artifacts every output gets), or those of its `identity` file.
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Parsed } from '../cli/parse';
import { TbotError } from '../errors';

const PEM = /-----BEGIN ([A-Z ]+)-----[\s\S]*?-----END \1-----\n?/g;

export async function kubeCredentials(p: Parsed): Promise<void> {
  const dir = String(p.flags['destination-dir'] ?? '');
  let text: string;
  try {
    const [cert, key] = await Promise.all([
      readFile(path.join(dir, 'tlscert'), 'utf8'),
      readFile(path.join(dir, 'key'), 'utf8'),
    ]);
    text = `${key}${cert}`;
  } catch {
    try {
      text = await readFile(path.join(dir, 'identity'), 'utf8');
    } catch (err) {
      throw new TbotError(`loading identity from ${dir}: ${(err as Error).message}`);
    }
  }
  const blocks = [...text.matchAll(PEM)].map((m) => ({ type: m[1] ?? '', pem: m[0] }));
  const key = blocks.find((b) => b.type.endsWith('PRIVATE KEY'));
  const cert = blocks.find((b) => b.type === 'CERTIFICATE');
  if (!key || !cert) throw new TbotError(`no key or certificate in ${path.join(dir, 'identity')}`);
  const expires = new Date(new X509Certificate(cert.pem).validTo).toISOString();
  const credential = {
    kind: 'ExecCredential',
    apiVersion: 'client.authentication.k8s.io/v1beta1',
    spec: { interactive: false },
    status: {
      expirationTimestamp: expires.replace(/\.\d{3}Z$/, 'Z'),
      clientCertificateData: cert.pem,
      clientKeyData: key.pem,
    },
  };
  process.stdout.write(`${JSON.stringify(credential)}\n`);
}
