// Reads a Teleport identity file the way tsh does (api/identityfile `decodeIdentityFile`, facts
// §3 "identity file"): lines with an SSH certificate type first word are the SSH certificate,
// `@cert-authority` lines are SSH host CAs, and PEM blocks are placed by order: the first is the
// private key, the second the TLS certificate, every further one a TLS CA. When the file holds no
// SSH certificate, `<path>-cert.pub` is read instead (identityfile.ReadFile).
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { TbotError } from '../tbot/errors';

export interface Identity {
  path: string;
  /** PEM (the same key serves SSH and TLS, teleport-behaviour.md §3). */
  privateKey: string;
  /** `<type>-cert-v01@openssh.com AAAA...` */
  sshCert: string;
  /** PEM, or '' when the file has none. */
  tlsCert: string;
  /** `@cert-authority <cluster>,*.<cluster> <key> type=host` lines. */
  sshCas: string[];
  tlsCas: string[];
}

/** sshutils.IsSSHCertType: the OpenSSH certificate key types. */
const SSH_CERT_TYPES = new Set(
  [
    'ssh-rsa',
    'ssh-dss',
    'ecdsa-sha2-nistp256',
    'ecdsa-sha2-nistp384',
    'ecdsa-sha2-nistp521',
    'ssh-ed25519',
    'sk-ecdsa-sha2-nistp256@openssh.com',
    'sk-ssh-ed25519@openssh.com',
    'rsa-sha2-256',
    'rsa-sha2-512',
  ].map((t) => `${t.replace(/@openssh\.com$/, '')}-cert-v01@openssh.com`),
);

function isSshCert(line: string): boolean {
  return SSH_CERT_TYPES.has(line.split(' ')[0] ?? '');
}

/** decodeIdentityFile: the parts of an identity file, by the rules above. */
export function decodeIdentityFile(text: string, path = ''): Identity {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const id: Identity = { path, privateKey: '', sshCert: '', tlsCert: '', sshCas: [], tlsCas: [] };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (isSshCert(line)) {
      id.sshCert = `${line}\n`;
    } else if (line.startsWith('@cert-authority')) {
      id.sshCas.push(`${line}\n`);
    } else if (line.startsWith('-----BEGIN')) {
      let block = '';
      for (;;) {
        const current = lines[i] ?? '';
        block += `${current}\n`;
        if (current.startsWith('-----END')) break;
        i++;
        if (i >= lines.length) throw new TbotError('invalid PEM block (fragment)');
      }
      if (!id.privateKey) id.privateKey = block;
      else if (!id.tlsCert) id.tlsCert = block;
      else id.tlsCas.push(block);
    }
  }
  return id;
}

/** identityfile.ReadFile. */
export async function readIdentityFile(path: string): Promise<Identity> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new TbotError(goFsError(err, path));
  }
  const id = decodeIdentityFile(text, path);
  if (!id.sshCert) {
    const certPath = `${path}-cert.pub`;
    try {
      id.sshCert = await readFile(certPath, 'utf8');
    } catch (err) {
      throw new TbotError(goFsError(err, certPath)).wrap(
        `could not find SSH cert in the identity file or ${certPath}`,
      );
    }
  }
  return id;
}

/** Go's *PathError text for the common cases (`open <p>: no such file or directory`). */
function goFsError(err: unknown, path: string): string {
  const code = (err as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'no such file or directory'
      : code === 'EACCES'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'is a directory'
          : ((err as Error).message ?? String(err));
  return `open ${path}: ${why}`;
}

/**
 * The Teleport cluster of an identity: the TLS certificate's issuer CN (Teleport's CAs are named
 * `CN=<cluster>`), else its first SSH host CA line. The CA lines alone cannot tell: they are
 * sorted by cluster name and include trusted leaf clusters'.
 */
export function clusterOf(id: Identity): string {
  if (id.tlsCert) {
    try {
      const cn = /(?:^|\n)CN=([^\n]+)/.exec(new X509Certificate(id.tlsCert).issuer)?.[1];
      if (cn) return cn;
    } catch {
      // not a certificate: the TLS handshake reports it
    }
  }
  for (const ca of id.sshCas) {
    const first = ca.split(/\s+/)[1]?.split(',')[0];
    if (first) return first;
  }
  return '';
}

/**
 * The identity's `@cert-authority` lines in known_hosts form (teleport-behaviour.md §3 `known_hosts`):
 * `@cert-authority <proxyhost>,<cluster>,*.<cluster> <key> type=host`.
 */
export function knownHostsFrom(id: Identity, proxyHost: string): string {
  return id.sshCas
    .map((line) => {
      const [marker, patterns = '', ...rest] = line.trim().split(/\s+/);
      const hosts = patterns.split(',').filter(Boolean);
      if (proxyHost && !hosts.includes(proxyHost)) hosts.unshift(proxyHost);
      return `${[marker, hosts.join(','), ...rest].join(' ')}\n`;
    })
    .join('');
}
