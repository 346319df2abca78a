// An SSH certificate authority backed by the real `ssh-keygen`, so the certificates the Teleport
// double issues are byte-for-byte what OpenSSH itself produces and checks.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createSerializer, runOk } from './exec';

export type SshKeyType = 'ed25519' | 'ecdsa' | 'rsa';

export interface SignUserKeyOptions {
  /** Certificate key ID (`ssh-keygen -I`); sshd logs it on login. */
  keyId: string;
  /** Logins the certificate allows (`-n`). sshd's default rule: the login must be listed. */
  principals: string[];
  validSeconds: number;
  /**
   * Start of validity. Default: 60 s ago (clock skew margin), and the end is then
   * now + validSeconds. When given, the end is validFrom + validSeconds, so a start far enough
   * in the past yields an already expired certificate.
   */
  validFrom?: Date;
}

export interface SignHostKeyOptions {
  keyId: string;
  /** Host names the certificate is valid for; ssh checks the name it connects to (or HostKeyAlias). */
  principals: string[];
  validSeconds: number;
  validFrom?: Date;
}

export interface SshCa {
  name: string;
  privateKeyPath: string;
  /** `<type> <base64>`, no comment: what goes into TrustedUserCAKeys and @cert-authority lines. */
  publicKey: string;
  /** Returns the certificate line (authorized_keys format, as in tbot's `key-cert.pub`). */
  signUserKey(pubKey: string, opts: SignUserKeyOptions): Promise<string>;
  /** Returns the host certificate line (what sshd's HostCertificate file holds). */
  signHostKey(pubKey: string, opts: SignHostKeyOptions): Promise<string>;
}

const NAME_RE = /^[A-Za-z0-9._-]+$/;

/** Strips the comment from an OpenSSH public key line: `<type> <base64> [comment]`. */
export function publicKeyWithoutComment(line: string): string {
  const [type, blob] = line.trim().split(/\s+/);
  if (!type || !blob) throw new Error(`not an OpenSSH public key line: ${JSON.stringify(line)}`);
  return `${type} ${blob}`;
}

/** `YYYYMMDDHHMMSS` in UTC; ssh-keygen reads it in local time, so we run it with TZ=UTC0. */
function keygenTime(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return (
    p(d.getUTCFullYear(), 4) +
    p(d.getUTCMonth() + 1) +
    p(d.getUTCDate()) +
    p(d.getUTCHours()) +
    p(d.getUTCMinutes()) +
    p(d.getUTCSeconds())
  );
}

function validity(validSeconds: number, validFrom: Date | undefined): string {
  if (!Number.isFinite(validSeconds) || validSeconds <= 0) {
    throw new Error(`validSeconds must be a positive number, got ${validSeconds}`);
  }
  const now = Date.now();
  const from = validFrom ? validFrom.getTime() : now - 60_000;
  const to = (validFrom ? from : now) + validSeconds * 1000;
  return `${keygenTime(new Date(from))}:${keygenTime(new Date(to))}`;
}

function checkPrincipals(principals: string[]): void {
  if (principals.length === 0) {
    // ssh-keygen without -n makes a certificate valid for ANY principal; never do that by accident.
    throw new Error('at least one principal is required');
  }
  for (const p of principals) {
    if (!p || /[,\s]/.test(p)) throw new Error(`invalid principal ${JSON.stringify(p)}`);
  }
}

/**
 * Creates a CA key pair `<dir>/<name>` (+ `.pub`) with `ssh-keygen`. Default key type ed25519
 * (Teleport's current suites use Ed25519 SSH CAs; pass 'rsa' to mimic the legacy suite).
 */
export async function createSshCa(
  dir: string,
  name: string,
  keyType: SshKeyType = 'ed25519',
): Promise<SshCa> {
  if (!NAME_RE.test(name)) throw new Error(`invalid CA name ${JSON.stringify(name)}`);
  const absDir = resolve(dir);
  await mkdir(absDir, { recursive: true });
  const privateKeyPath = join(absDir, name);
  const typeArgs =
    keyType === 'ecdsa'
      ? ['-t', 'ecdsa', '-b', '256']
      : keyType === 'rsa'
        ? ['-t', 'rsa', '-b', '3072']
        : ['-t', 'ed25519'];
  await rm(privateKeyPath, { force: true });
  await rm(`${privateKeyPath}.pub`, { force: true });
  await runOk('ssh-keygen', [
    '-q',
    ...typeArgs,
    '-N',
    '',
    '-C',
    `${name}@teleport-double`,
    '-f',
    privateKeyPath,
  ]);
  const publicKey = publicKeyWithoutComment(await readFile(`${privateKeyPath}.pub`, 'utf8'));

  // One signing at a time per CA: keeps serial numbers ordered and ssh-keygen runs bounded.
  // Each call also uses its own temp directory, so even unserialized calls could not collide.
  const serialize = createSerializer();
  let serial = 0;

  const sign = async (
    kind: 'user' | 'host',
    pubKey: string,
    opts: { keyId: string; principals: string[]; validSeconds: number; validFrom?: Date },
  ): Promise<string> => {
    checkPrincipals(opts.principals);
    const v = validity(opts.validSeconds, opts.validFrom);
    const keyLine = pubKey.trim();
    if (!/^\S+ \S+/.test(keyLine) || keyLine.includes('\n')) {
      throw new Error(`not a single OpenSSH public key line: ${JSON.stringify(pubKey)}`);
    }
    return serialize(async () => {
      serial += 1;
      const tmp = await mkdtemp(join(absDir, `.sign-${name}-`));
      try {
        const keyFile = join(tmp, 'key.pub');
        await writeFile(keyFile, `${keyLine}\n`, { mode: 0o600 });
        await runOk(
          'ssh-keygen',
          [
            '-q',
            '-s',
            privateKeyPath,
            ...(kind === 'host' ? ['-h'] : []),
            '-I',
            opts.keyId,
            '-n',
            opts.principals.join(','),
            '-V',
            v,
            '-z',
            String(serial),
            keyFile,
          ],
          { env: { ...process.env, TZ: 'UTC0' } },
        );
        return (await readFile(join(tmp, 'key-cert.pub'), 'utf8')).trim();
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
    });
  };

  return {
    name,
    privateKeyPath,
    publicKey,
    signUserKey: (pubKey, opts) => sign('user', pubKey, opts),
    signHostKey: (pubKey, opts) => sign('host', pubKey, opts),
  };
}
