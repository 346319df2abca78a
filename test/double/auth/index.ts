// The auth double (README.md): cluster CAs, tokens, bots, roles, inventory, join checks and
// issuance (service.ts), carried by the proxy double (routes.ts), and the wiring that
// startDouble({ auth }) uses (startAuthDouble).
import path from 'node:path';
import {
  type GithubTokenEndpoint,
  type Issuer,
  startGithubTokenEndpoint,
  startIssuer,
} from '../oidc';
import type { ProxyServer } from '../proxy';
import { type Sshd, startSshd } from '../ssh/sshd';
import type { TestCa } from '../tls';
import type { RoleMapping } from './resources';
import { mountAuth, type TunnelRecord } from './routes';
import { type AuthService, createAuth, type LeafCluster } from './service';

export * from './protocol';
export * from './resources';
export { hostPortOf, mountAuth, type TunnelRecord } from './routes';
export * from './service';
export { createX509Ca, type X509Ca } from './x509';

export interface AuthDoubleOptions {
  /** Start a real sshd registered as node `nodeName` (default true; needs root + OpenSSH). */
  sshd?: boolean;
  /** Short host name of that node (default `node-1`; reachable as `node-1.<cluster>`). */
  nodeName?: string;
  /**
   * A trusted leaf cluster (its own auth and CAs) with a node behind a real sshd that trusts
   * the root's user CA; the root sees it as a remote cluster. Roles of the leaf are added on
   * `auth.leaf.auth` like the root's; `roleMap` is the leaf's trusted_cluster role_map.
   */
  leaf?: {
    name: string;
    labels?: Record<string, string>;
    roleMap?: RoleMapping[];
    /** Short host name of the leaf's node (default `node-1`: `node-1.<leaf>`). */
    nodeName?: string;
  };
}

/** The leaf cluster of startDouble({ auth: { leaf } }). */
export interface LeafDouble extends LeafCluster {
  sshd: Sshd;
  node: { hostname: string; fqdn: string };
}

/** The auth double with the pieces around it, as startDouble({ auth }) exposes them. */
export interface AuthDouble extends AuthService {
  /** Every tunnel the proxy was asked for (SSH, app, database). */
  tunnels: TunnelRecord[];
  /** OIDC issuers the auth trusts: GitHub (real issuer URL), GitLab (`https://gitlab.example.test`,
   * token `domain: gitlab.example.test`), CircleCI (`https://oidc.circleci.com/org/<org>`). */
  issuers: { github: Issuer<'github'>; gitlab: Issuer<'gitlab'>; circleci: Issuer<'circleci'> };
  /** The GitHub runner's ID token endpoint (HTTPS); `env()` gives ACTIONS_ID_TOKEN_REQUEST_*. */
  github: GithubTokenEndpoint;
  /** The sshd behind node `node.hostname` (undefined with `sshd: false`). */
  sshd?: Sshd;
  node: { hostname: string; fqdn: string };
  /** The trusted leaf cluster, when asked for. */
  leaf?: LeafDouble;
  /** Stops the sshd, token endpoint and issuers (the proxy belongs to the double). */
  close(): Promise<void>;
}

export async function startAuthDouble(p: {
  dir: string;
  ca: TestCa;
  clusterName: string;
  edition?: 'oss' | 'ent' | 'community';
  /** Starts the proxy that carries the auth (it must trust `clientCaPems` for mutual TLS). */
  startProxy(clientCaPems: string[]): Promise<ProxyServer>;
  opts: AuthDoubleOptions;
}): Promise<{ auth: AuthDouble; proxy: ProxyServer }> {
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const c of closers.splice(0).reverse()) await c().catch(() => undefined);
  };
  try {
    const service = await createAuth({
      dir: path.join(p.dir, 'auth'),
      clusterName: p.clusterName,
      ...(p.edition ? { edition: p.edition } : {}),
    });
    const proxy = await p.startProxy([service.tls.user.certPem]);
    const { tunnels } = mountAuth(proxy, service);
    const [github, gitlab, circleci] = await Promise.all([
      startIssuer({ platform: 'github' }),
      startIssuer({ platform: 'gitlab' }),
      startIssuer({ platform: 'circleci' }),
    ]);
    closers.push(
      () => github.close(),
      () => gitlab.close(),
      () => circleci.close(),
    );
    for (const issuer of [github, gitlab, circleci]) {
      service.trustIssuer({ issuerUrl: issuer.issuerUrl, jwks: () => issuer.jwks() });
    }
    const endpoint = await startGithubTokenEndpoint(github, { tls: await p.ca.issueServerCert() });
    closers.push(() => endpoint.close());
    const hostname = p.opts.nodeName ?? 'node-1';
    const fqdn = `${hostname}.${p.clusterName}`;
    let sshd: Sshd | undefined;
    if (p.opts.sshd !== false) {
      sshd = await startSshd({
        dir: path.join(p.dir, 'sshd'),
        userCa: service.ssh.user,
        hostCa: service.ssh.host,
        hostnames: [fqdn, hostname],
      });
      closers.push(() => sshd?.close() ?? Promise.resolve());
      service.addNode({
        hostname,
        addr: `${sshd.host}:${sshd.port}`,
        refuseAddr: `${sshd.host}:${sshd.refusePort}`,
      });
    }
    let leaf: LeafDouble | undefined;
    if (p.opts.leaf) {
      const o = p.opts.leaf;
      const leafAuth = await createAuth({
        dir: path.join(p.dir, 'leaf-auth'),
        clusterName: o.name,
      });
      const leafHost = o.nodeName ?? 'node-1';
      const leafFqdn = `${leafHost}.${o.name}`;
      const leafSshd = await startSshd({
        dir: path.join(p.dir, 'leaf-sshd'),
        userCa: leafAuth.ssh.user,
        extraUserCaKeys: [service.ssh.user.publicKey],
        hostCa: leafAuth.ssh.host,
        hostnames: [leafFqdn, leafHost],
      });
      closers.push(() => leafSshd.close());
      leafAuth.addNode({
        hostname: leafHost,
        addr: `${leafSshd.host}:${leafSshd.port}`,
        refuseAddr: `${leafSshd.host}:${leafSshd.refusePort}`,
      });
      const trusted = service.addLeafCluster({
        name: o.name,
        auth: leafAuth,
        ...(o.labels ? { labels: o.labels } : {}),
        roleMap: o.roleMap ?? [],
      });
      leaf = Object.assign(trusted, {
        sshd: leafSshd,
        node: { hostname: leafHost, fqdn: leafFqdn },
      });
    }
    const auth: AuthDouble = Object.assign(service, {
      tunnels,
      issuers: { github, gitlab, circleci },
      github: endpoint,
      ...(sshd ? { sshd } : {}),
      node: { hostname, fqdn },
      ...(leaf ? { leaf } : {}),
      close,
    });
    return { auth, proxy };
  } catch (err) {
    await close();
    throw err;
  }
}
