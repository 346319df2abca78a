// The Kubernetes objects the double serves, in the JSON shapes the real API server uses:
// Pod/PodList, Namespace/NamespaceList, their server-side `Table` renderings (what `kubectl get`
// prints), discovery documents (legacy and aggregated v2), `/version` and `Status` errors.

import { createHash } from 'node:crypto';

export interface PodSpec {
  namespace: string;
  name: string;
  /** Pod phase (default `Running`); also the STATUS column. */
  phase?: string;
  /** spec.nodeName (the NODE column of `-o wide`). */
  node?: string;
  /** Creation time (default: an hour before the server started). */
  createdAt?: Date;
}

export interface ClusterSpec {
  /** Namespaces (default `default`, `kube-node-lease`, `kube-public`, `kube-system`); the
   * namespaces of `pods` are added. */
  namespaces?: string[];
  pods?: PodSpec[];
  /** Groups (besides `system:masters`) allowed to read pods and namespaces. */
  allowedGroups?: string[];
}

export const DEFAULT_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

type Json = Record<string, unknown>;

export interface ClusterState {
  name: string;
  namespaces: Json[];
  pods: Json[];
  allowedGroups: string[];
}

function uid(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('/')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** RFC 3339 in seconds, as metav1.Time marshals. */
export function k8sTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function buildCluster(name: string, spec: ClusterSpec, startedAt: Date): ClusterState {
  const born = new Date(startedAt.getTime() - 3600_000);
  const nsNames = new Set(spec.namespaces ?? DEFAULT_NAMESPACES);
  for (const p of spec.pods ?? []) nsNames.add(p.namespace);
  let rv = 100;
  const namespaces = [...nsNames].sort().map((ns) => ({
    kind: 'Namespace',
    apiVersion: 'v1',
    metadata: {
      name: ns,
      uid: uid(name, 'ns', ns),
      resourceVersion: String(rv++),
      creationTimestamp: k8sTime(born),
      labels: { 'kubernetes.io/metadata.name': ns },
    },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  }));
  const pods = [...(spec.pods ?? [])]
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name))
    .map((p, i) => podObject(name, p, born, String(rv++), i));
  return { name, namespaces, pods, allowedGroups: spec.allowedGroups ?? [] };
}

function podObject(cluster: string, p: PodSpec, born: Date, rv: string, index: number): Json {
  const phase = p.phase ?? 'Running';
  const running = phase === 'Running';
  const created = k8sTime(p.createdAt ?? born);
  const container = { name: 'main', image: 'registry.k8s.io/pause:3.10' };
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: {
      name: p.name,
      namespace: p.namespace,
      uid: uid(cluster, 'pod', p.namespace, p.name),
      resourceVersion: rv,
      creationTimestamp: created,
    },
    spec: {
      containers: [{ ...container, imagePullPolicy: 'IfNotPresent' }],
      restartPolicy: 'Always',
      ...(p.node !== undefined ? { nodeName: p.node } : {}),
    },
    status: {
      phase,
      conditions: [
        { type: 'Ready', status: running ? 'True' : 'False', lastTransitionTime: created },
      ],
      ...(running ? { podIP: `10.244.0.${(index % 250) + 2}` } : {}),
      startTime: created,
      containerStatuses: [
        {
          ...container,
          imageID: '',
          ready: running,
          started: running,
          restartCount: 0,
          state: running ? { running: { startedAt: created } } : { waiting: { reason: phase } },
        },
      ],
    },
  };
}

/** A list as the API server returns it: items carry no kind/apiVersion. */
export function list(kind: string, items: Json[]): Json {
  return {
    kind,
    apiVersion: 'v1',
    metadata: { resourceVersion: '1000' },
    items: items.map(({ kind: _k, apiVersion: _a, ...rest }) => rest),
  };
}

// ---- Tables (server-side printing, `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`) ----

interface Column {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

const col = (name: string, description: string, priority = 0, format = ''): Column => ({
  name,
  type: 'string',
  format,
  description,
  priority,
});

const NAME_DESC =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const AGE_DESC =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

const POD_COLUMNS: Column[] = [
  col('Name', NAME_DESC, 0, 'name'),
  col('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
  col('Status', 'The aggregate status of the containers in this pod.'),
  col(
    'Restarts',
    'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
  ),
  col('Age', AGE_DESC),
  col(
    'IP',
    'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.',
    1,
  ),
  col('Node', 'NodeName is a request to schedule this pod onto a specific node.', 1),
  col(
    'Nominated Node',
    'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.',
    1,
  ),
  col(
    'Readiness Gates',
    'If specified, all readiness gates will be evaluated for pod readiness.',
    1,
  ),
];

const NAMESPACE_COLUMNS: Column[] = [
  col('Name', NAME_DESC, 0, 'name'),
  col('Status', 'The status of the namespace'),
  col('Age', AGE_DESC),
];

/** apimachinery's duration.HumanDuration, which fills the AGE column. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

function age(obj: Json, now: Date): string {
  const meta = obj.metadata as { creationTimestamp: string };
  return humanDuration(now.getTime() - Date.parse(meta.creationTimestamp));
}

function podCells(pod: Json, now: Date): unknown[] {
  const meta = pod.metadata as { name: string };
  const spec = pod.spec as { nodeName?: string };
  const status = pod.status as { phase: string; podIP?: string };
  const ready = status.phase === 'Running' ? '1/1' : '0/1';
  return [
    meta.name,
    ready,
    status.phase,
    '0',
    age(pod, now),
    status.podIP ?? '<none>',
    spec.nodeName ?? '<none>',
    '<none>',
    '<none>',
  ];
}

function namespaceCells(ns: Json, now: Date): unknown[] {
  const meta = ns.metadata as { name: string };
  const status = ns.status as { phase: string };
  return [meta.name, status.phase, age(ns, now)];
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** A meta.k8s.io `Table` for pods or namespaces, with row objects per `includeObject`. */
export function table(
  resource: 'pods' | 'namespaces',
  objects: Json[],
  opts: { version: 'v1' | 'v1beta1'; includeObject: IncludeObject; now: Date },
): Json {
  const cells = resource === 'pods' ? podCells : namespaceCells;
  const apiVersion = `meta.k8s.io/${opts.version}`;
  return {
    kind: 'Table',
    apiVersion,
    metadata: { resourceVersion: '1000' },
    columnDefinitions: resource === 'pods' ? POD_COLUMNS : NAMESPACE_COLUMNS,
    rows: objects.map((o) => {
      const row: Json = { cells: cells(o, opts.now) };
      if (opts.includeObject === 'Object') row.object = o;
      else if (opts.includeObject === 'Metadata') {
        row.object = { kind: 'PartialObjectMetadata', apiVersion, metadata: o.metadata };
      }
      return row;
    }),
  };
}

// ---- Discovery ----

const RESOURCES = [
  {
    name: 'namespaces',
    singularName: 'namespace',
    namespaced: false,
    kind: 'Namespace',
    verbs: ['get', 'list'],
    shortNames: ['ns'],
  },
  {
    name: 'pods',
    singularName: 'pod',
    namespaced: true,
    kind: 'Pod',
    verbs: ['get', 'list'],
    shortNames: ['po'],
    categories: ['all'],
  },
];

export function apiVersions(serverAddress: string): Json {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

export const API_GROUP_LIST: Json = { kind: 'APIGroupList', apiVersion: 'v1', groups: [] };

export const API_RESOURCE_LIST: Json = {
  kind: 'APIResourceList',
  groupVersion: 'v1',
  resources: RESOURCES.map((r) => ({ ...r, storageVersionHash: '' })),
};

/** Aggregated discovery (apidiscovery.k8s.io) for `/api` (core group) or `/apis` (none). */
export function aggregatedDiscovery(which: 'api' | 'apis', version: 'v2' | 'v2beta1'): Json {
  const items =
    which === 'apis'
      ? []
      : [
          {
            metadata: { creationTimestamp: null },
            versions: [
              {
                version: 'v1',
                resources: RESOURCES.map((r) => ({
                  resource: r.name,
                  responseKind: { group: '', version: 'v1', kind: r.kind },
                  scope: r.namespaced ? 'Namespaced' : 'Cluster',
                  singularResource: r.singularName,
                  verbs: r.verbs,
                  shortNames: r.shortNames,
                  ...(r.categories ? { categories: r.categories } : {}),
                })),
                freshness: 'Current',
              },
            ],
          },
        ];
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items,
  };
}

export function versionInfo(gitVersion: string): Json {
  const m = /^v(\d+)\.(\d+)/.exec(gitVersion);
  return {
    major: m?.[1] ?? '1',
    minor: m?.[2] ?? '0',
    gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-04-22T16:00:00Z',
    goVersion: 'go1.23.8',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

// ---- Status ----

export function status(
  code: number,
  reason: string,
  message: string,
  details?: { name?: string; kind?: string },
): Json {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

/** The RBAC authorizer's wording, wrapped by apierrors.NewForbidden. */
export function forbidden(opts: {
  user: string;
  verb: string;
  resource: string;
  namespace?: string;
  name?: string;
}): Json {
  const scope =
    opts.namespace !== undefined ? `in the namespace "${opts.namespace}"` : 'at the cluster scope';
  const reason = `User "${opts.user}" cannot ${opts.verb} resource "${opts.resource}" in API group "" ${scope}`;
  const subject = opts.name !== undefined ? `${opts.resource} "${opts.name}"` : opts.resource;
  return status(403, 'Forbidden', `${subject} is forbidden: ${reason}`, {
    ...(opts.name !== undefined ? { name: opts.name } : {}),
    kind: opts.resource,
  });
}

export function notFound(resource: string, name: string): Json {
  return status(404, 'NotFound', `${resource} "${name}" not found`, { name, kind: resource });
}

export const UNAUTHORIZED = status(401, 'Unauthorized', 'Unauthorized');
export const PATH_NOT_FOUND = status(
  404,
  'NotFound',
  'the server could not find the requested resource',
  {},
);
