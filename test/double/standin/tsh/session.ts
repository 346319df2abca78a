// What every networked stand-in tsh command starts from: the identity file (-i /
// TELEPORT_IDENTITY_FILE) and the proxy (--proxy / TELEPORT_PROXY). Real tsh also works from a
// `tsh login` profile; the stand-in only knows identity files (what CI uses, teleport-behaviour.md §3).

import { TbotError } from '../tbot/errors';
import type { ClientCert, Endpoint } from '../tbot/net/client';
import { str, type TshArgs } from './cli';
import { clusterOf, type Identity, readIdentityFile } from './identity';

export interface Session {
  id: Identity;
  ep: Endpoint;
  cert: ClientCert;
  cluster: string;
  /** The proxy's host name without the port. */
  proxyHost: string;
}

export async function openSession(p: TshArgs): Promise<Session> {
  const path = str(p, 'identity');
  if (!path) {
    // Real tsh: "Not logged in." when there is neither a profile nor an identity file.
    throw new TbotError(
      'Not logged in. (this Teleport double stand-in of tsh only reads identity files: pass -i/--identity or set TELEPORT_IDENTITY_FILE)',
    );
  }
  const proxy = str(p, 'proxy');
  if (!proxy) {
    // paraphrase: an identity file carries no proxy address.
    throw new TbotError('--proxy must be set when using an identity file (or set TELEPORT_PROXY)');
  }
  const id = await readIdentityFile(path);
  if (!id.privateKey || !id.tlsCert) {
    // paraphrase (lib/client/identityfile: the TLS certificate is needed for the proxy).
    throw new TbotError(`identity file ${path} has no TLS certificate: it cannot be used with tsh`);
  }
  const proxyHost = proxy
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/:\d+$/, '')
    .replace(/^\[|\]$/g, '');
  return {
    id,
    ep: { addr: proxy, insecure: p.flags.insecure === true },
    cert: { keyPem: id.privateKey, certPem: id.tlsCert },
    cluster: str(p, 'cluster') || clusterOf(id),
    proxyHost,
  };
}
