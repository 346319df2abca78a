// A fresh key for every identity, as tbot makes one (teleport-behaviour.md §3: "the same key serves SSH and
// TLS"): ECDSA P-256, written as a PEM `EC PRIVATE KEY`, with its OpenSSH public key line for
// the SSH certificate and its SPKI PEM for the X.509 certificate.
import { generateKeyPair as generate, type KeyObject } from 'node:crypto';

export interface KeyPair {
  /** `key`: PEM (SEC1, `BEGIN EC PRIVATE KEY`), readable by ssh and by TLS stacks. */
  privateKeyPem: string;
  /** `key.pub`: `ecdsa-sha2-nistp256 AAAA...`. */
  sshPublicKey: string;
  /** SPKI PEM (`BEGIN PUBLIC KEY`). */
  tlsPublicKeyPem: string;
}

function sshString(buf: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(buf.length);
  return Buffer.concat([len, buf]);
}

/** The OpenSSH wire blob of an ECDSA P-256 public key (RFC 5656). */
export function sshPublicKeyOf(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' });
  const x = Buffer.from(String(jwk.x), 'base64url');
  const y = Buffer.from(String(jwk.y), 'base64url');
  const blob = Buffer.concat([
    sshString(Buffer.from('ecdsa-sha2-nistp256')),
    sshString(Buffer.from('nistp256')),
    sshString(Buffer.concat([Buffer.from([4]), x, y])),
  ]);
  return `ecdsa-sha2-nistp256 ${blob.toString('base64')}`;
}

/**
 * Asynchronous on purpose: the synchronous variant was seen to hang now and then (main thread
 * in a futex wait, presumably OpenSSL's lazy initialisation racing the thread pool).
 */
export async function generateKeyPair(): Promise<KeyPair> {
  const { privateKey, publicKey } = await new Promise<{
    privateKey: KeyObject;
    publicKey: KeyObject;
  }>((resolve, reject) =>
    generate('ec', { namedCurve: 'prime256v1' }, (err, pub, priv) =>
      err ? reject(err) : resolve({ publicKey: pub, privateKey: priv }),
    ),
  );
  return {
    privateKeyPem: privateKey.export({ type: 'sec1', format: 'pem' }).toString(),
    sshPublicKey: sshPublicKeyOf(publicKey),
    tlsPublicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
