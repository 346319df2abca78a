// Generates one output (teleport-behaviour.md §2.5, §3): asks the auth double for certificates scoped to the
// output's roles and route, then writes the output's file set into its destination.
import {
  CERTS_PATH,
  type CertsRequest,
  type CertsResponse,
  KUBE_CLUSTERS_PATH,
  type KubeClusterListing,
  type KubeClustersResponse,
  type Route,
} from '../../../auth/protocol';
import type { Features } from '../build';
import type { BotConfig, ServiceConfig } from '../config/types';
import { TbotError, wrap } from '../errors';
import { type BotIdentity, clientCert, seconds } from '../join/bot-identity';
import { generateKeyPair, type KeyPair } from '../keys';
import { log } from '../log';
import { type Endpoint, requestJson } from '../net/client';
import { writerFor } from './destination';
import { type KubeTarget, kubeconfig } from './kube';
import {
  artifactFiles,
  type Certs,
  caFiles,
  clusterKnownHosts,
  clusterSshConfig,
  databaseFormatFiles,
  identityFile,
  knownHosts,
  type ProxyInfo,
  sshConfig,
  tlsTriple,
} from './templates';

export interface OutputContext {
  cfg: BotConfig;
  f: Features;
  ep: Endpoint;
  proxy: ProxyInfo;
  tbotPath: string;
}

/** The name shown in logs and /readyz: `name` (v18), else `<type>-<n>`. */
export function serviceName(s: ServiceConfig, index: number): string {
  return s.name || `${s.type.replace('/', '-')}-${index + 1}`;
}

/** Certificates for one output or tunnel, scoped by roles and route. */
export async function issueCerts(
  ctx: OutputContext,
  bot: BotIdentity,
  s: ServiceConfig,
  route: Route | undefined,
  purpose: string,
): Promise<{ certs: Certs; res: CertsResponse; key: KeyPair }> {
  const key = await generateKeyPair();
  const ttl = s.credential_ttl ?? ctx.cfg.credential_ttl ?? 3600e9;
  const req: CertsRequest = {
    ssh_public_key: key.sshPublicKey,
    tls_public_key: key.tlsPublicKeyPem,
    ttl_seconds: seconds(ttl),
    ...(s.roles && s.roles.length > 0 ? { roles: s.roles } : {}),
    ...(route ? { route } : {}),
    ...(s.allow_reissue ? { reissuable: true } : {}),
    purpose,
  };
  const res = await requestJson<CertsResponse>(ctx.ep, 'POST', CERTS_PATH, req, clientCert(bot));
  return {
    key,
    res,
    certs: { key, sshCert: res.identity.ssh_cert, tlsCert: res.identity.tls_cert, cas: res.cas },
  };
}

function routeOf(s: ServiceConfig): Route | undefined {
  switch (s.type) {
    case 'application':
    case 'application-tunnel':
      return { kind: 'app', name: s.app_name ?? '' };
    case 'database':
    case 'database-tunnel':
      return {
        kind: 'db',
        name: s.service ?? '',
        ...(s.username ? { username: s.username } : {}),
        ...(s.database ? { database: s.database } : {}),
      };
    case 'kubernetes':
      return { kind: 'kube', name: s.kubernetes_cluster ?? '' };
    default:
      return undefined;
  }
}

export { routeOf };

/** Go's `%v` of a map[string]string: `map[env:prod team:a]` (keys sorted). */
function goMap(labels: Record<string, string>): string {
  const keys = Object.keys(labels).sort();
  return `map[${keys.map((k) => `${k}:${labels[k]}`).join(' ')}]`;
}

/**
 * kubernetes/v2 (teleport-behaviour.md §2.5; lib/tbot/services/k8s/output_v2.go `fetchAllMatchingKubeClusters`):
 * selectors in order, a name selector must find its cluster (hard fail), a label selector adds
 * every cluster the bot's roles may see whose labels match (ListResources with `Labels`, sorted
 * by name), possibly none; duplicates keep their first place, and a cluster's namespace is the
 * first non-empty `default_namespace` of a selector that matched it. One identity serves every
 * cluster. A label selector that matches nothing is not an error: the kubeconfig then has no
 * clusters or contexts (real tbot logs `matched_cluster_count` 0 and writes it all the same).
 */
async function kubeV2(
  ctx: OutputContext,
  bot: BotIdentity,
  s: ServiceConfig,
  name: string,
  dir: string,
): Promise<Record<string, string>> {
  const selectors = s.selectors ?? [];
  if (selectors.length === 0) throw new TbotError('at least one selector must be provided');
  const clusters: KubeTarget[] = [];
  const add = (k: CertsResponse['kube'] | KubeClusterListing, namespace?: string) => {
    if (!k) return;
    const seen = clusters.find((c) => c.name === k.name);
    if (seen) {
      if (!seen.namespace && namespace) seen.namespace = namespace;
      return;
    }
    clusters.push({
      name: k.name,
      apiUrl: k.api_url,
      caPem: k.ca_pem,
      tlsServerName: k.tls_server_name,
      ...(namespace ? { namespace } : {}),
    });
  };
  // The certificate the kubeconfig uses: the first name selector's, else one routed to the first
  // match (the double's kube API reads the Kubernetes groups from it, see auth/README.md).
  let issued: Awaited<ReturnType<typeof issueCerts>> | undefined;
  for (const sel of selectors) {
    if (sel.name) {
      // A certificate routed to the cluster checks that the roles allow it (name selectors have
      // always worked this way in the stand-in).
      const r = await issueCerts(ctx, bot, s, { kind: 'kube', name: sel.name }, name).catch(
        (err: unknown) => {
          throw wrap(err, `unable to fetch cluster "${sel.name}" by name`);
        },
      );
      issued ??= r;
      add(r.res.kube, sel.default_namespace);
      continue;
    }
    const labels = sel.labels ?? {};
    let found: KubeClustersResponse;
    try {
      found = await requestJson<KubeClustersResponse>(
        ctx.ep,
        'GET',
        `${KUBE_CLUSTERS_PATH}?${new URLSearchParams({ labels: JSON.stringify(labels) })}`,
        undefined,
        clientCert(bot),
      );
    } catch (err) {
      throw wrap(err, `unable to fetch clusters with labels ${goMap(labels)}`);
    }
    for (const k of found.kube_clusters) add(k, sel.default_namespace);
  }
  const first = clusters[0];
  issued ??= await issueCerts(
    ctx,
    bot,
    s,
    first ? { kind: 'kube', name: first.name } : undefined,
    name,
  );
  log.info('TBOT:KUBE', 'Generated identity for Kubernetes access', {
    service: name,
    matched_cluster_count: clusters.length,
  });
  return {
    ...artifactFiles(issued.certs),
    'kubeconfig.yaml': kubeconfig({
      shape: 'v2',
      teleportCluster: issued.certs.cas.cluster_name,
      clusters,
      tbotPath: ctx.tbotPath,
      dir,
      ...(s.disable_exec_plugin
        ? { embedded: { certPem: issued.certs.tlsCert, keyPem: issued.key.privateKeyPem } }
        : {}),
      ...(s.context_name_template ? { contextTemplate: s.context_name_template } : {}),
    }),
    identity: identityFile(issued.certs),
    ...caFiles(issued.certs, ['host']),
  };
}

/** Runs one output service once (a renewal). */
export async function runOutput(
  ctx: OutputContext,
  bot: BotIdentity,
  s: ServiceConfig,
  name: string,
): Promise<void> {
  if (!s.destination) throw new TbotError('no destination configured for output');
  const writer = writerFor(s.destination);
  await writer.init();
  const dir = writer.dir ?? '';
  let files: Record<string, string>;
  if (s.type === 'kubernetes/v2') {
    files = await kubeV2(ctx, bot, s, name, dir);
  } else {
    const { certs, res, key } = await issueCerts(ctx, bot, s, routeOf(s), name);
    switch (s.type) {
      case 'identity': {
        files = { ...artifactFiles(certs), identity: identityFile(certs), ...caFiles(certs) };
        // The root, then every leaf cluster the output's roles may see (getClusterNames).
        const clusters = [certs.cas.cluster_name, ...(res.leaf_clusters ?? [])];
        if (s.cluster && !clusters.includes(s.cluster)) {
          // paraphrase: real tbot asks for certificates routed to the cluster and fails.
          throw new TbotError(`cluster "${s.cluster}" is not found`);
        }
        if (s.ssh_config !== 'off') {
          files.known_hosts = knownHosts(certs, ctx.proxy, clusters);
          if (writer.dir) {
            const o = {
              tbotPath: ctx.tbotPath,
              dir,
              proxy: ctx.proxy,
              legacy:
                ctx.f.legacySshProxyMode &&
                process.env.TBOT_SSH_CONFIG_PROXY_COMMAND_MODE === 'legacy',
            };
            files.ssh_config = sshConfig(o, clusters);
            if (ctx.f.perClusterSshFiles) {
              for (const cluster of clusters) {
                files[`${cluster}.ssh_config`] = clusterSshConfig(o, cluster);
                files[`${cluster}.known_hosts`] = clusterKnownHosts(certs, ctx.proxy, cluster);
              }
            }
          }
        }
        break;
      }
      case 'application':
        files = { ...artifactFiles(certs), identity: identityFile(certs), ...caFiles(certs) };
        if (s.specific_tls_naming) Object.assign(files, tlsTriple(certs, certs.cas.tls_host));
        break;
      case 'database':
        files = {
          ...artifactFiles(certs),
          identity: identityFile(certs),
          ...caFiles(certs),
          ...databaseFormatFiles(certs, s.format),
        };
        break;
      case 'kubernetes': {
        const k = res.kube;
        if (!k) throw new TbotError(`kubernetes cluster "${s.kubernetes_cluster}" not found`);
        files = {
          ...artifactFiles(certs),
          'kubeconfig.yaml': kubeconfig({
            shape: 'v1',
            teleportCluster: certs.cas.cluster_name,
            clusters: [
              {
                name: k.name,
                apiUrl: k.api_url,
                caPem: k.ca_pem,
                tlsServerName: k.tls_server_name,
              },
            ],
            tbotPath: ctx.tbotPath,
            dir,
            ...(s.disable_exec_plugin
              ? { embedded: { certPem: certs.tlsCert, keyPem: key.privateKeyPem } }
              : {}),
          }),
          identity: identityFile(certs),
          ...caFiles(certs),
        };
        break;
      }
      default:
        throw new TbotError(
          `the "${s.type}" output is not implemented by this Teleport double stand-in`,
        );
    }
  }
  for (const [file, data] of Object.entries(files)) await writer.write(file, data);
  log.info('TBOT:OUTPUT', 'Generated output', { service: name, destination: writer.description });
}
