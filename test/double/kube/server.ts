// A Kubernetes API double: an HTTPS server speaking enough of the API for the real `kubectl`
// (`version`, `get pods [-n ns | -A] [-o name|json|wide]`, `get pod <name>`, `get namespaces`),
// reached the way a Teleport proxy exposes kube clusters to tbot's kubeconfig (teleport-behaviour.md §3):
// `https://<host>:<port>/v1/teleport/<b64url teleport cluster>/<b64url kube cluster>`.
// Clients authenticate with an X.509 client certificate from `clientCaPem` (user = CN,
// groups = O values, like the API server's x509 authenticator).

// @peculiar/x509 resolves its services through tsyringe, which needs a Reflect polyfill that
// must be evaluated before the library itself.
import 'reflect-metadata';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import * as x509 from '@peculiar/x509';
import { KUBE_CLUSTER_OID } from './client-ca';
import {
  API_GROUP_LIST,
  API_RESOURCE_LIST,
  aggregatedDiscovery,
  apiVersions,
  buildCluster,
  type ClusterSpec,
  type ClusterState,
  forbidden,
  type IncludeObject,
  list,
  notFound,
  PATH_NOT_FOUND,
  status,
  table,
  UNAUTHORIZED,
  versionInfo,
} from './objects';

/** The Teleport cluster name used in path-routed URLs unless told otherwise (same as the
 * proxy double's default). */
export const DEFAULT_TELEPORT_CLUSTER = 'teleport.example.test';
/** Reported by `/version`. Also picks the kubectl the gcloud kubectl dispatcher runs (README). */
export const DEFAULT_SERVER_VERSION = 'v1.32.4';

export interface KubeApiOptions {
  /** PEM of the CA(s) whose client certificates are accepted. */
  clientCaPem: string;
  /** The server certificate. Its SANs must cover the host kubectl dials, or the kubeconfig's
   * `tls-server-name` (e.g. `kube-teleport-proxy-alpn.<teleport cluster>`) when it sets one. */
  serverCert: { certPem: string; keyPem: string };
  /** Kube clusters by name. */
  clusters: Record<string, ClusterSpec>;
  /** Listen address (default 127.0.0.1, random port). */
  host?: string;
  /** The Teleport cluster in path-routed URLs (default `teleport.example.test`). */
  teleportCluster?: string;
  /** `gitVersion` reported by `/version` (default v1.32.4). */
  serverVersion?: string;
  /** Serve aggregated discovery when asked for it (default true, like API servers ≥ 1.30);
   * false answers discovery with the legacy documents only, as older servers do. */
  aggregatedDiscovery?: boolean;
}

export interface KubeRequest {
  /** The kube cluster the request was routed to ('' when none). */
  cluster: string;
  method: string;
  /** Path within the cluster, without the routing prefix, e.g. `/api/v1/namespaces/x/pods`. */
  path: string;
  /** Query string without `?` ('' when none). */
  query: string;
  accept?: string;
  userAgent?: string;
  /** SNI the client sent (kubeconfig `tls-server-name`, or the URL's host name). */
  serverName?: string;
  /** Authenticated user (client certificate CN). */
  user?: string;
  /** Authenticated groups (client certificate O values). */
  groups?: string[];
  status: number;
}

export interface KubeApi {
  /** `https://<host>:<port>`: what tbot's v1 `kubernetes` output writes as `server`. */
  baseUrl: string;
  port: number;
  /** The `server` URL for a kube cluster, in tbot v2's path-routed shape. */
  urlFor(cluster: string, teleportCluster?: string): string;
  requests: KubeRequest[];
  close(): Promise<void>;
}

interface Identity {
  user: string;
  groups: string[];
  kubeCluster?: string;
}

/** base64url without padding: how tbot encodes names in the path (`encodePathComponent`). */
export function encodePathComponent(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64url');
}

function decodePathComponent(s: string): string | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) return undefined;
  return Buffer.from(s, 'base64url').toString('utf8');
}

function identityOf(socket: TLSSocket): Identity | undefined {
  if (!socket.authorized) return undefined;
  const peer = socket.getPeerX509Certificate();
  if (!peer) return undefined;
  const cert = new x509.X509Certificate(peer.raw);
  const user = cert.subjectName.getField('CN')[0];
  if (user === undefined) return undefined;
  return {
    user,
    groups: cert.subjectName.getField('O'),
    kubeCluster: cert.subjectName.getField(KUBE_CLUSTER_OID)[0],
  };
}

interface Media {
  type: string;
  params: Record<string, string>;
}

function parseAccept(header: string | undefined): Media[] {
  if (!header) return [{ type: '*/*', params: {} }];
  return header.split(',').map((part) => {
    const [type = '', ...rest] = part.split(';').map((s) => s.trim());
    const params: Record<string, string> = {};
    for (const p of rest) {
      const eq = p.indexOf('=');
      if (eq > 0) params[p.slice(0, eq).toLowerCase()] = p.slice(eq + 1);
    }
    return { type: type.toLowerCase(), params };
  });
}

const isJson = (m: Media) =>
  m.params.as === undefined && ['application/json', 'application/*', '*/*'].includes(m.type);

type Reply = { status: number; body: unknown; contentType?: string };

const json = (body: unknown, code = 200): Reply => ({ status: code, body });

const NOT_ACCEPTABLE = status(
  406,
  'NotAcceptable',
  'only the following media types are accepted: application/json, application/json;as=Table;v=v1;g=meta.k8s.io',
);

export async function startKubeApi(opts: KubeApiOptions): Promise<KubeApi> {
  const host = opts.host ?? '127.0.0.1';
  const teleportCluster = opts.teleportCluster ?? DEFAULT_TELEPORT_CLUSTER;
  const serverVersion = opts.serverVersion ?? DEFAULT_SERVER_VERSION;
  const serveAggregated = opts.aggregatedDiscovery ?? true;
  const startedAt = new Date();
  const clusters = new Map<string, ClusterState>(
    Object.entries(opts.clusters).map(([name, spec]) => [
      name,
      buildCluster(name, spec, startedAt),
    ]),
  );
  const requests: KubeRequest[] = [];
  let baseUrl = '';

  function route(
    pathname: string,
    id: Identity,
  ): { cluster?: ClusterState; rest: string; error?: Reply } {
    const m = /^\/v1\/teleport\/([^/]*)\/([^/]*)(\/.*)?$/.exec(pathname);
    if (m) {
      const tc = decodePathComponent(m[1] ?? '') ?? m[1];
      const kc = decodePathComponent(m[2] ?? '') ?? m[2];
      const rest = m[3] ?? '/';
      if (tc !== teleportCluster) {
        return { rest, error: json(status(404, 'NotFound', `cluster "${tc}" is not found`), 404) };
      }
      const cluster = kc === undefined ? undefined : clusters.get(kc);
      if (!cluster) {
        const msg = `Kubernetes cluster "${kc}" not found`;
        return { rest, error: json(status(404, 'NotFound', msg), 404) };
      }
      return { cluster, rest };
    }
    // tbot v1 shape: no prefix, the kube cluster comes from the certificate (Teleport's
    // 1.3.9999.1.3 subject attribute), or is the only cluster there is.
    const only = clusters.size === 1 ? [...clusters.values()][0] : undefined;
    const cluster = id.kubeCluster !== undefined ? clusters.get(id.kubeCluster) : only;
    if (!cluster) {
      const msg =
        id.kubeCluster !== undefined
          ? `Kubernetes cluster "${id.kubeCluster}" not found`
          : 'no Kubernetes cluster in the path or the client certificate';
      return { rest: pathname, error: json(status(404, 'NotFound', msg), 404) };
    }
    return { cluster, rest: pathname };
  }

  function serve(
    cluster: ClusterState,
    id: Identity,
    method: string,
    rest: string,
    url: URL,
    accept: Media[],
  ): Reply {
    const path = rest.length > 1 ? rest.replace(/\/+$/, '') : rest;
    const q = url.searchParams;

    // Non-resource (discovery) paths: any authenticated user may read them, as the
    // system:discovery / system:public-info-viewer bindings allow on a real cluster.
    if (path === '/version') return json(versionInfo(serverVersion));
    if (path === '/api' || path === '/apis') {
      for (const m of accept) {
        const v = m.params.v;
        if (
          serveAggregated &&
          m.type === 'application/json' &&
          m.params.as === 'APIGroupDiscoveryList' &&
          m.params.g === 'apidiscovery.k8s.io' &&
          (v === 'v2' || v === 'v2beta1')
        ) {
          return {
            status: 200,
            body: aggregatedDiscovery(path === '/api' ? 'api' : 'apis', v),
            contentType: `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`,
          };
        }
        if (isJson(m)) {
          return json(path === '/api' ? apiVersions(new URL(baseUrl).host) : API_GROUP_LIST);
        }
      }
      return json(NOT_ACCEPTABLE, 406);
    }
    if (path === '/api/v1') return json(API_RESOURCE_LIST);

    // Resource paths.
    const r = /^\/api\/v1\/(?:(pods)|namespaces(?:\/([^/]+)(?:\/(pods)(?:\/([^/]+))?)?)?)$/.exec(
      path,
    );
    if (!r) return json(PATH_NOT_FOUND, 404);
    const [, allPods, ns, nsPods, podName] = r;
    const resource = allPods || nsPods ? 'pods' : 'namespaces';
    // For `namespaces/<name>` the request's namespace is the name itself (RequestInfo).
    const name = resource === 'pods' ? podName : ns;
    const namespace = resource === 'pods' ? ns : name;
    const verb = name !== undefined ? 'get' : q.get('watch') ? 'watch' : 'list';

    if (method !== 'GET' && method !== 'HEAD') {
      const msg = 'the server does not allow this method on the requested resource';
      return json(status(405, 'MethodNotAllowed', msg, {}), 405);
    }
    const allowed =
      id.groups.includes('system:masters') ||
      id.groups.some((g) => cluster.allowedGroups.includes(g));
    if (!allowed) {
      return json(forbidden({ user: id.user, verb, resource, namespace, name }), 403);
    }
    if (verb === 'watch') {
      const msg = 'the kube double does not support watch';
      return json(status(405, 'MethodNotAllowed', msg, {}), 405);
    }

    let objects: Record<string, unknown>[];
    if (resource === 'namespaces') {
      objects = cluster.namespaces.filter((o) => name === undefined || metaName(o) === name);
    } else {
      objects = cluster.pods.filter(
        (o) =>
          (ns === undefined || metaNamespace(o) === ns) &&
          (name === undefined || metaName(o) === name),
      );
    }
    if (name !== undefined && objects.length === 0) {
      return json(notFound(resource, name), 404);
    }

    for (const m of accept) {
      const v = m.params.v;
      if (
        m.type === 'application/json' &&
        m.params.as === 'Table' &&
        m.params.g === 'meta.k8s.io' &&
        (v === 'v1' || v === 'v1beta1')
      ) {
        const inc = q.get('includeObject');
        const includeObject: IncludeObject = inc === 'None' || inc === 'Object' ? inc : 'Metadata';
        return {
          status: 200,
          body: table(resource, objects, { version: v, includeObject, now: new Date() }),
          contentType: `application/json;as=Table;v=${v};g=meta.k8s.io`,
        };
      }
      if (isJson(m)) {
        if (name !== undefined) return json(objects[0]);
        return json(list(resource === 'pods' ? 'PodList' : 'NamespaceList', objects));
      }
    }
    return json(NOT_ACCEPTABLE, 406);
  }

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket as TLSSocket;
    const url = new URL(req.url ?? '/', 'https://kube.invalid');
    const method = req.method ?? 'GET';
    const id = identityOf(socket);
    const rec: KubeRequest = {
      cluster: '',
      method,
      path: url.pathname,
      query: url.search.replace(/^\?/, ''),
      accept: req.headers.accept,
      userAgent: req.headers['user-agent'],
      serverName: typeof socket.servername === 'string' ? socket.servername : undefined,
      status: 0,
    };
    let reply: Reply;
    if (!id) {
      reply = json(UNAUTHORIZED, 401);
    } else {
      rec.user = id.user;
      rec.groups = id.groups;
      const routed = route(url.pathname, id);
      rec.path = routed.rest;
      if (routed.cluster) rec.cluster = routed.cluster.name;
      reply =
        routed.error ??
        serve(routed.cluster!, id, method, routed.rest, url, parseAccept(req.headers.accept));
    }
    rec.status = reply.status;
    requests.push(rec);
    const body = JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      'content-type': reply.contentType ?? 'application/json',
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-cache, private',
    });
    res.end(method === 'HEAD' ? undefined : body);
  };

  const server: Server = createServer(
    {
      cert: opts.serverCert.certPem,
      key: opts.serverCert.keyPem,
      ca: opts.clientCaPem,
      requestCert: true,
      // Unverified or missing client certificates still complete the handshake, so they get
      // the API server's 401 Status instead of a TLS alert.
      rejectUnauthorized: false,
    },
    (req, res) => {
      try {
        handler(req, res);
      } catch (err) {
        // A bug in the double must show up as a 500, not as a hung kubectl.
        if (!res.headersSent) {
          const msg = `kube double error: ${err instanceof Error ? err.message : String(err)}`;
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify(status(500, 'InternalError', msg)));
        } else res.destroy();
      }
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    baseUrl,
    port,
    urlFor(cluster: string, tc = teleportCluster) {
      return `${baseUrl}/v1/teleport/${encodePathComponent(tc)}/${encodePathComponent(cluster)}`;
    },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function metaName(o: Record<string, unknown>): string | undefined {
  return (o.metadata as { name?: string } | undefined)?.name;
}

function metaNamespace(o: Record<string, unknown>): string | undefined {
  return (o.metadata as { namespace?: string } | undefined)?.namespace;
}
