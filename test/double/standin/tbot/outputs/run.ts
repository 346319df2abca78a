// Generates one output (facts §2.5, §3): asks the auth double for certificates scoped to the
// output's roles and route, then writes the output's file set into its destination.
import {
  CERTS_PATH,
  type CertsRequest,
  type CertsResponse,
  type Route,
} from '../../../auth/protocol';
import type { Features } from '../build';
import type { BotConfig, ServiceConfig } from '../config/types';
import { TbotError } from '../errors';
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

/** kubernetes/v2 (facts §2.5): one cluster per name selector, one identity for them all. */
async function kubeV2(
  ctx: OutputContext,
  bot: BotIdentity,
  s: ServiceConfig,
  name: string,
  dir: string,
): Promise<Record<string, string>> {
  const selectors = s.selectors ?? [];
  if (selectors.some((sel) => sel.labels)) {
    throw new TbotError(
      'kubernetes/v2 label selectors are not implemented by this Teleport double stand-in (use name selectors)',
    );
  }
  const names = selectors.flatMap((sel) => (sel.name ? [sel.name] : []));
  const first = names[0];
  if (!first) throw new TbotError('at least one selector must be provided');
  // One certificate (kube groups in O) routed to the first cluster; the others are checked.
  const issued = await issueCerts(ctx, bot, s, { kind: 'kube', name: first }, name);
  const clusters: KubeTarget[] = [];
  for (const [i, sel] of selectors.entries()) {
    const k =
      i === 0
        ? issued.res.kube
        : (await issueCerts(ctx, bot, s, { kind: 'kube', name: sel.name ?? '' }, name)).res.kube;
    if (!k) continue;
    clusters.push({
      name: k.name,
      apiUrl: k.api_url,
      caPem: k.ca_pem,
      tlsServerName: k.tls_server_name,
      ...(sel.default_namespace ? { namespace: sel.default_namespace } : {}),
    });
  }
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
        if (s.cluster && s.cluster !== certs.cas.cluster_name) {
          log.warn('TBOT', 'The double has no leaf clusters; cluster is ignored', {
            cluster: s.cluster,
          });
        }
        if (s.ssh_config !== 'off') {
          const cluster = certs.cas.cluster_name;
          files.known_hosts = knownHosts(certs, ctx.proxy);
          if (writer.dir) {
            const o = {
              tbotPath: ctx.tbotPath,
              dir,
              proxy: ctx.proxy,
              legacy:
                ctx.f.legacySshProxyMode &&
                process.env.TBOT_SSH_CONFIG_PROXY_COMMAND_MODE === 'legacy',
            };
            files.ssh_config = sshConfig(o, [cluster]);
            if (ctx.f.perClusterSshFiles) {
              files[`${cluster}.ssh_config`] = clusterSshConfig(o, cluster);
              files[`${cluster}.known_hosts`] = files.known_hosts;
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
