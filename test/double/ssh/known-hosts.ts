// tbot's known_hosts line for a host CA (teleport-behaviour.md §3, `known_hosts`, template_ssh_client.go):
//   @cert-authority <proxyhost>,<cluster>,*.<cluster> <ssh-key> type=host
// OpenSSH reads everything after the key as a comment, so `type=host` is harmless; the tests
// prove a real `ssh` accepts the line (ssh.test.ts).
import type { SshCa } from './ca';
import { publicKeyWithoutComment } from './ca';

export interface KnownHostsOptions {
  /** Proxy host name without port, e.g. `teleport.example.test`. */
  proxyHost: string;
  /** Teleport cluster name, e.g. `teleport.example.test` (often equal to the proxy host). */
  clusterName: string;
}

/** One known_hosts line, without a trailing newline. */
export function knownHostsLine(
  hostCa: Pick<SshCa, 'publicKey'>,
  { proxyHost, clusterName }: KnownHostsOptions,
): string {
  for (const [what, v] of [
    ['proxyHost', proxyHost],
    ['clusterName', clusterName],
  ] as const) {
    if (!v || /[\s,:]/.test(v)) throw new Error(`invalid ${what} ${JSON.stringify(v)}`);
  }
  const key = publicKeyWithoutComment(hostCa.publicKey);
  return `@cert-authority ${proxyHost},${clusterName},*.${clusterName} ${key} type=host`;
}
