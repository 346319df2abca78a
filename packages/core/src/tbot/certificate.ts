import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';

export interface IssuedIdentity {
  /** The Teleport user the certificate is for (`bot-<name>`). */
  user: string;
  bot?: string;
  /** Teleport puts the identity's roles in the subject's O (Organization) values. */
  roles: string[];
  expires: Date;
}

/** Reads who and until when from the X.509 certificate tbot wrote (`tlscert`). */
export async function readIssuedIdentity(tlscertPath: string): Promise<IssuedIdentity> {
  const cert = new X509Certificate(await readFile(tlscertPath));
  const fields = cert.subject.split('\n').map((l) => l.split('=') as [string, string]);
  const user = fields.find(([k]) => k === 'CN')?.[1] ?? '';
  const roles = fields
    .filter(([k]) => k === 'O')
    .flatMap(([, v]) => v.split('+'))
    .filter(Boolean);
  return {
    user,
    bot: user.startsWith('bot-') ? user.slice(4) : undefined,
    roles,
    expires: new Date(cert.validTo),
  };
}
