// Client key pairs made by the real `ssh-keygen`, for a stand-in tbot to write `key`, `key.pub`
// (and, once signed, `key-cert.pub`) into a destination directory (teleport-behaviour.md §3).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SshKeyType } from './ca';
import { runOk } from './exec';

export interface KeyPair {
  /** The private key file's text; `ssh -i` reads it. ECDSA/RSA: PEM; ed25519: OpenSSH format. */
  privateKeyPem: string;
  /** `<type> <base64> <comment>` (authorized_keys format, as in tbot's `key.pub`). */
  publicKey: string;
}

/**
 * Generates a key pair with ssh-keygen in a temp directory under `dir` (default: the OS temp
 * dir) and removes the files again. The default, ECDSA P-256 in PEM (`BEGIN EC PRIVATE KEY`),
 * matches tbot's `key`: a PEM key that serves both SSH and TLS (teleport-behaviour.md §3), so the same text can
 * also be loaded with node:crypto `createPrivateKey` to issue the `tlscert`. ssh-keygen cannot
 * write ed25519 keys as PEM; with 'ed25519' the key is in OpenSSH format (`ssh -i` reads both).
 */
export async function generateKeyPair(
  dir?: string,
  keyType: SshKeyType = 'ecdsa',
): Promise<KeyPair> {
  const tmp = await mkdtemp(join(dir ?? tmpdir(), '.keygen-'));
  try {
    const file = join(tmp, 'key');
    const typeArgs =
      keyType === 'ecdsa'
        ? ['-t', 'ecdsa', '-b', '256', '-m', 'PEM']
        : keyType === 'rsa'
          ? ['-t', 'rsa', '-b', '2048', '-m', 'PEM']
          : ['-t', 'ed25519'];
    await runOk('ssh-keygen', [
      '-q',
      ...typeArgs,
      '-N',
      '',
      '-C',
      'tbot@teleport-double',
      '-f',
      file,
    ]);
    const [privateKeyPem, publicKey] = await Promise.all([
      readFile(file, 'utf8'),
      readFile(`${file}.pub`, 'utf8'),
    ]);
    return { privateKeyPem, publicKey: publicKey.trim() };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
