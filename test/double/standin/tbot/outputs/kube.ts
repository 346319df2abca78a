// kubeconfig.yaml for kubernetes (v1) and kubernetes/v2 outputs (teleport-behaviour.md §3; the goldens under
// lib/tbot/services/k8s/testdata, shape shared with test/double/kube/kubeconfig.ts):
// - v1: one kube cluster; cluster, context and user all named `<teleport>-<kube>`;
// - v2: one cluster and context per kube cluster (context_name_template, default
//   `{{.ClusterName}}-{{.KubeName}}`), all sharing one user named `<teleport>`;
// - both: `current-context` = the first; `certificate-authority-data`; `tls-server-name`
//   (`kube-teleport-proxy-alpn.<teleport>` unless the inventory says otherwise); the user runs
//   `<tbot> kube credentials --destination-dir=<dir>` unless disable_exec_plugin embeds the
//   certificate and key.
// The double has no Kubernetes proxy: `server` is the inventory's `apiUrl` (the kube double).
import { stringify } from 'yaml';

export interface KubeTarget {
  name: string;
  apiUrl: string;
  caPem: string;
  /** null: no tls-server-name. */
  tlsServerName: string | null;
  namespace?: string;
}

export interface KubeconfigOptions {
  shape: 'v1' | 'v2';
  teleportCluster: string;
  clusters: KubeTarget[];
  tbotPath: string;
  dir: string;
  /** Embed the credentials instead of the exec plugin (disable_exec_plugin). */
  embedded?: { certPem: string; keyPem: string };
  /** kubernetes/v2 context_name_template. */
  contextTemplate?: string;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

export function contextName(template: string, cluster: string, kube: string): string {
  return template
    .replace(/\{\{\s*\.ClusterName\s*\}\}/g, cluster)
    .replace(/\{\{\s*\.KubeName\s*\}\}/g, kube);
}

export function kubeconfig(o: KubeconfigOptions): string {
  const tc = o.teleportCluster;
  const template = (o.shape === 'v2' && o.contextTemplate) || '{{.ClusterName}}-{{.KubeName}}';
  const entries = o.clusters.map((k) => ({ kube: k, name: contextName(template, tc, k.name) }));
  const userName = o.shape === 'v2' ? tc : (entries[0]?.name ?? tc);
  const user = o.embedded
    ? {
        'client-certificate-data': b64(o.embedded.certPem),
        'client-key-data': b64(o.embedded.keyPem),
      }
    : {
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1beta1',
          args: ['kube', 'credentials', `--destination-dir=${o.dir}`],
          command: o.tbotPath,
          env: null,
          provideClusterInfo: false,
        },
      };
  // clientcmd.Write renders an empty list as null (a kubernetes/v2 label selector that matched
  // nothing): `clusters: null`, `contexts: null`, `current-context: ""`.
  const orNull = <T>(list: T[]): T[] | null => (list.length > 0 ? list : null);
  const doc = {
    apiVersion: 'v1',
    clusters: orNull(
      entries.map((e) => ({
        cluster: {
          'certificate-authority-data': b64(e.kube.caPem),
          server: e.kube.apiUrl,
          ...(e.kube.tlsServerName ? { 'tls-server-name': e.kube.tlsServerName } : {}),
        },
        name: e.name,
      })),
    ),
    contexts: orNull(
      entries.map((e) => ({
        context: {
          cluster: e.name,
          ...(e.kube.namespace ? { namespace: e.kube.namespace } : {}),
          user: userName,
        },
        name: e.name,
      })),
    ),
    'current-context': entries[0]?.name ?? '',
    kind: 'Config',
    preferences: {},
    users: [{ name: userName, user }],
  };
  return stringify(doc, { lineWidth: 0 });
}
