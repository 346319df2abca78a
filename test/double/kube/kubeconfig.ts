// Kubeconfigs in the shape tbot writes for its `kubernetes` (v1) and `kubernetes/v2` outputs
// (teleport-behaviour.md §3; goldens under gravitational/teleport lib/tbot/services/k8s/testdata), so tests and
// the stand-in tbot can point real kubectl at the kube double.
//
// v2: one cluster + context per kube cluster, named `<teleport>-<kube>`, server
//     `<proxy>/v1/teleport/<b64url teleport>/<b64url kube>`, all sharing ONE user named
//     `<teleport>`; current-context is the first cluster.
// v1: a single kube cluster; cluster, context and user all named `<teleport>-<kube>`, server is
//     the bare proxy URL (the kube cluster travels in the client certificate).
// Both: `tls-server-name: kube-teleport-proxy-alpn.<teleport>` (TLS routing) and
// `certificate-authority-data`; the user is the exec plugin
// `<tbot> kube credentials --destination-dir=<dir>` or, with `disable_exec_plugin`, embedded
// `client-certificate-data` / `client-key-data`.

import { stringify } from 'yaml';

export type KubeCredentials =
  | { certPem: string; keyPem: string }
  | { exec: { command: string; destinationDir: string } };

export interface TbotKubeconfigOptions {
  teleportCluster: string;
  /** Kube clusters in output order; `server` is e.g. `kubeApi.urlFor(name)` (v2) or
   * `kubeApi.baseUrl` (v1). */
  clusters: Array<{ name: string; server: string; namespace?: string }>;
  /** PEM for certificate-authority-data (the CA that issued the kube double's server cert). */
  caPem: string;
  /** Default `kube-teleport-proxy-alpn.<teleportCluster>`; `null` leaves it out (no TLS routing). */
  tlsServerName?: string | null;
  credentials: KubeCredentials;
  /** Default `v2`. v1 takes exactly one cluster. */
  shape?: 'v1' | 'v2';
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/** The kubeconfig YAML (keys in clientcmd.Write's order). */
export function tbotKubeconfig(opts: TbotKubeconfigOptions): string {
  const shape = opts.shape ?? 'v2';
  if (opts.clusters.length === 0) throw new Error('tbotKubeconfig: no clusters');
  if (shape === 'v1' && opts.clusters.length !== 1) {
    throw new Error('tbotKubeconfig: the v1 shape holds exactly one kube cluster');
  }
  const tc = opts.teleportCluster;
  const tlsServerName =
    opts.tlsServerName === undefined ? `kube-teleport-proxy-alpn.${tc}` : opts.tlsServerName;
  const contextName = (kube: string) => `${tc}-${kube}`;
  const userName = shape === 'v2' ? tc : contextName(opts.clusters[0]!.name);

  const user =
    'exec' in opts.credentials
      ? {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1beta1',
            args: [
              'kube',
              'credentials',
              `--destination-dir=${opts.credentials.exec.destinationDir}`,
            ],
            command: opts.credentials.exec.command,
            env: null,
            provideClusterInfo: false,
          },
        }
      : {
          'client-certificate-data': b64(opts.credentials.certPem),
          'client-key-data': b64(opts.credentials.keyPem),
        };

  const doc = {
    apiVersion: 'v1',
    clusters: opts.clusters.map((c) => ({
      cluster: {
        'certificate-authority-data': b64(opts.caPem),
        server: c.server,
        ...(tlsServerName ? { 'tls-server-name': tlsServerName } : {}),
      },
      name: contextName(c.name),
    })),
    contexts: opts.clusters.map((c) => ({
      context: {
        cluster: contextName(c.name),
        ...(c.namespace ? { namespace: c.namespace } : {}),
        user: userName,
      },
      name: contextName(c.name),
    })),
    'current-context': contextName(opts.clusters[0]!.name),
    kind: 'Config',
    preferences: {},
    users: [{ name: userName, user }],
  };
  return stringify(doc, { lineWidth: 0 });
}

/**
 * What `tbot kube credentials --destination-dir=<dir>` prints: an ExecCredential
 * (client.authentication.k8s.io/v1beta1) with the PEM client certificate and key.
 */
export function execCredential(certPem: string, keyPem: string, expires?: Date): string {
  return JSON.stringify({
    kind: 'ExecCredential',
    apiVersion: 'client.authentication.k8s.io/v1beta1',
    spec: { interactive: false },
    status: {
      ...(expires ? { expirationTimestamp: expires.toISOString().replace(/\.\d{3}Z$/, 'Z') } : {}),
      clientCertificateData: certPem,
      clientKeyData: keyPem,
    },
  });
}
