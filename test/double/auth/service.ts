// The auth service double: cluster CAs, resources, the checks Teleport makes on a bot join
// (teleport-behaviour.md §4.2) and on certificate requests, and certificate issuance. Transport (the proxy
// routes and tunnels) lives in routes.ts; this file is pure logic plus signing.
import { createHash, randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { JSONWebKeySet } from 'jose';
import { createSshCa, type SshCa } from '../ssh/ca';
import { checkCircleciRules, checkGithubRules, checkGitlabRules } from './allow-rules';
import { BoundKeypairJoins } from './bound-keypair';
import type {
  BoundKeypairChallengeRequest,
  BoundKeypairChallengeResponse,
  CertAuthorities,
  CertsRequest,
  CertsResponse,
  IssuedIdentity,
  JoinRequest,
  JoinResponse,
  KubeClusterListing,
  NodeListing,
} from './protocol';
import {
  type App,
  allowedBy,
  type Bot,
  type BoundKeypairStatus,
  type Database,
  type KubeCluster,
  type Role,
  type RoleMapping,
  registeredAddr,
  registeredPort,
  type SshNode,
  TeleportError,
  type TokenResource,
  validateRole,
  validateToken,
} from './resources';
import { type Claims, verifyOidc, verifyStaticJwks } from './verify-jwt';
import { createX509Ca, type X509Ca } from './x509';

/** MaxRenewableCertTTL (teleport-behaviour.md §2.3): bot certificates never live longer than 24 h. */
export const MAX_CERT_TTL_SECONDS = 24 * 3600;
/** DefaultCertificateTTL when a request asks for nothing (teleport-behaviour.md §2.2). */
export const DEFAULT_CERT_TTL_SECONDS = 3600;
/** The audience tbot asks GitHub for and Teleport's GitHub validator expects (teleport-behaviour.md §4.2). */
export const GITHUB_AUDIENCE = 'teleport.cluster.local';
export const GITHUB_DEFAULT_ISSUER = 'https://token.actions.githubusercontent.com';
/** lib/tlsca subject attributes: the kube cluster and the Teleport cluster of a route. */
export const KUBE_CLUSTER_OID = '1.3.9999.1.3';
export const TELEPORT_CLUSTER_OID = '1.3.9999.1.7';
/** Teleport puts this principal in every user certificate (also keeps `-n` non-empty). */
export const INTERNAL_PRINCIPAL = '-teleport-internal-join';

export interface TrustedIssuer {
  /** The `iss` value, e.g. https://token.actions.githubusercontent.com. */
  issuerUrl: string;
  /** The issuer's keys (what Teleport fetches through OIDC discovery). */
  jwks(): JSONWebKeySet | Promise<JSONWebKeySet>;
}

export interface AuthOptions {
  /** Where the SSH CA keys live (created if missing). */
  dir: string;
  clusterName: string;
  /** `oss` (default) or `ent`: GHES joins need Enterprise, like the real server. */
  edition?: 'oss' | 'ent' | 'community';
}

/** What a certificate the auth issued stands for (looked up by serial on mutual TLS). */
export interface IssuedRecord {
  serial: string;
  kind: 'bot' | 'output';
  bot: string;
  username: string;
  roles: string[];
  logins: string[];
  route?: CertsRequest['route'];
  reissuable: boolean;
  expires: Date;
  purpose?: string;
  /** Kubernetes groups in O (kube route only). */
  kubeGroups?: string[];
}

/** The root side of a trust relationship (a `remote_cluster` with its `trusted_cluster`). */
export interface LeafCluster {
  name: string;
  /** The leaf's own auth: its CAs, roles and nodes. */
  auth: AuthService;
  /** `metadata.labels` of the remote_cluster resource (what roles' cluster_labels match). */
  labels?: Record<string, string>;
  /** The leaf's trusted_cluster `role_map`: root roles to leaf roles. */
  roleMap: RoleMapping[];
}

/**
 * A session Teleport refuses inside the SSH handshake (RBAC on the node, per-session MFA): the
 * client sees only `Permission denied (publickey)`; `message` is what Teleport logs and puts in
 * its audit event.
 */
export class SshRefused extends TeleportError {
  constructor(
    readonly node: SshNode,
    message: string,
    /** The refusal is the per-session MFA requirement (what tsh's IsMFARequired answers). */
    readonly mfa = false,
  ) {
    super('access-denied', message);
  }
}

/** lib/services/role.go ErrSessionMFARequired. */
export const SESSION_MFA_REQUIRED = 'access to resource requires MFA';

export interface JoinRecord {
  time: Date;
  token: string;
  joinMethod: string;
  ok: boolean;
  bot?: string;
  error?: string;
  claims?: Claims;
}

export interface AuthService {
  clusterName: string;
  tls: { user: X509Ca; host: X509Ca; db: X509Ca };
  ssh: { user: SshCa; host: SshCa };
  /** Trust an OIDC issuer (by its `iss`), as if Teleport could reach its discovery document. */
  trustIssuer(issuer: TrustedIssuer): void;
  /** A `kind: token` resource (YAML or object), validated with Teleport's messages. */
  addToken(resource: string | object): TokenResource;
  removeToken(name: string): void;
  addBot(bot: Bot): Bot;
  addRole(role: string | Role): Role;
  addNode(node: SshNode): SshNode;
  addKubeCluster(cluster: KubeCluster): KubeCluster;
  addApp(app: App): App;
  addDatabase(db: Database): Database;
  /** Trust a leaf cluster: its host CAs reach the bot's CA files, its nodes the proxy's tunnels. */
  addLeafCluster(leaf: LeafCluster): LeafCluster;
  /**
   * The leaf clusters a role set may see (GetRemoteClusters filtered by
   * RoleSet.CheckAccessToRemoteCluster, lib/services/role.go): every unlabelled leaf when no
   * role uses cluster_labels, else the leaves whose labels a role's cluster_labels match.
   */
  visibleLeafClusters(roleNames: string[]): LeafCluster[];
  /**
   * Teleport's decision on an SSH session of `login` on `host` in `cluster` ('' or this cluster:
   * a local node): the node to dial, or TeleportError (not found) / SshRefused (denied inside
   * the SSH handshake: a login no mapped role grants, per-session MFA).
   */
  sshAccess(
    caller: IssuedRecord,
    target: { cluster: string; host: string; port?: string; login: string },
  ): SshNode;
  /** Every join attempt, in order, with the denial message when refused. */
  joins: JoinRecord[];
  /** Every certificate issued, in order. */
  issued: IssuedRecord[];
  cas(): CertAuthorities;
  /** `bound_keypair` tokens: the server-owned status (`status.bound_keypair` of the token). */
  boundKeypairStatus(token: string): BoundKeypairStatus | undefined;
  /** `bound_keypair` join, step 1: a challenge to sign with the bound key. */
  boundKeypairChallenge(req: BoundKeypairChallengeRequest): BoundKeypairChallengeResponse;
  join(req: JoinRequest): Promise<JoinResponse>;
  /** `caller` is the record of the client certificate presented on mutual TLS. */
  certs(caller: IssuedRecord, req: CertsRequest): Promise<CertsResponse>;
  /** The record of a certificate this auth issued (undefined: not ours). */
  lookup(serial: string): IssuedRecord | undefined;
  /**
   * The node a request for `host` and `port` reaches (teleport-behaviour.md §3.3): by host name
   * (short or `<name>.<cluster>`), and by the port it registered unless `port` is empty or `0`.
   * (A node on a reverse tunnel is found by name alone; the double's nodes are all dialled.)
   */
  findNode(host: string, port?: string): SshNode | undefined;
  role(name: string): Role | undefined;
  app(name: string): App | undefined;
  database(name: string): Database | undefined;
  kubeCluster(name: string): KubeCluster | undefined;
  /**
   * The SSH nodes a certificate's roles may see (what `tsh ls` lists), sorted by host name:
   * every node unless a role sets `nodes`/`node_labels` (the same rule as the SSH tunnel).
   */
  listNodes(caller: IssuedRecord): NodeListing[];
  /**
   * The Kubernetes clusters a certificate's roles allow, whose labels carry every `labels`
   * key/value (exact match, like ListResources' label filter), sorted by name.
   */
  listKubeClusters(caller: IssuedRecord, labels?: Record<string, string>): KubeClusterListing[];
  /** Signs an sshd host key with the SSH host CA for the node names (principals). */
  signHostKey(publicKey: string, principals: string[], validSeconds?: number): Promise<string>;
}

const denied = (m: string) => new TeleportError('access-denied', m);
const notFound = (m: string) => new TeleportError('not-found', m);
const badParameter = (m: string) => new TeleportError('bad-parameter', m);

function uniq(values: string[]): string[] {
  return [...new Set(values)];
}

/** A stable UUID-shaped id per host name (Teleport nodes are named by a UUID). */
function nodeId(hostname: string): string {
  const h = createHash('sha256').update(`teleport-double-node:${hostname}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export async function createAuth(opts: AuthOptions): Promise<AuthService> {
  const { clusterName } = opts;
  await mkdir(opts.dir, { recursive: true });
  const [user, host, db, sshUser, sshHost] = await Promise.all([
    createX509Ca('user', clusterName),
    createX509Ca('host', clusterName),
    createX509Ca('db', clusterName),
    createSshCa(path.join(opts.dir, 'ssh-ca'), 'user_ca'),
    createSshCa(path.join(opts.dir, 'ssh-ca'), 'host_ca'),
  ]);

  const issuers = new Map<string, TrustedIssuer>();
  const tokens = new Map<string, TokenResource>();
  const bots = new Map<string, Bot>();
  const roles = new Map<string, Role>();
  const nodes = new Map<string, SshNode>();
  const kubes = new Map<string, KubeCluster>();
  const apps = new Map<string, App>();
  const dbs = new Map<string, Database>();
  const bySerial = new Map<string, IssuedRecord>();
  const joins: JoinRecord[] = [];
  const issued: IssuedRecord[] = [];
  const boundKeypair = new BoundKeypairJoins(clusterName);
  const leaves = new Map<string, LeafCluster>();

  const cas = (): CertAuthorities => ({
    cluster_name: clusterName,
    tls_user: user.certPem,
    tls_host: host.certPem,
    tls_db: db.certPem,
    ssh_user: [sshUser.publicKey],
    ssh_host: [sshHost.publicKey],
    ...(leaves.size > 0
      ? {
          remote: [...leaves.values()].map((leaf) => {
            const theirs = leaf.auth.cas();
            return {
              cluster_name: leaf.name,
              ssh_host: theirs.ssh_host,
              tls_host: theirs.tls_host,
            };
          }),
        }
      : {}),
  });

  function visibleLeafClusters(roleNames: string[]): LeafCluster[] {
    const set = roleNames.flatMap((r) => roles.get(r) ?? []);
    if (set.length === 0) return [];
    const usesLabels = set.some((r) => r.cluster_labels && Object.keys(r.cluster_labels).length);
    return [...leaves.values()].filter((leaf) => {
      const labels = leaf.labels ?? {};
      if (!usesLabels && Object.keys(labels).length === 0) return true;
      return set.some((r) => allowedBy(undefined, r.cluster_labels, { name: leaf.name, labels }));
    });
  }

  /** The leaf roles a trusted_cluster role_map gives a root role set (`*` maps every role). */
  function mapRoles(leaf: LeafCluster, rootRoles: string[]): Role[] {
    const names = uniq(
      leaf.roleMap.flatMap((m) =>
        rootRoles.some((r) => m.remote === '*' || m.remote === r) ? m.local : [],
      ),
    );
    return names.flatMap((n) => leaf.auth.role(n) ?? []);
  }

  /**
   * Node RBAC after the node was found: the roles that grant `login` on it, and per-session
   * MFA (RoleSet.CheckAccess: a granting role with require_session_mfa refuses an identity
   * that did no MFA check, which is every bot identity).
   */
  function checkSession(
    set: Role[],
    node: SshNode,
    who: { username: string; login: string; cluster: string },
    loginsChecked: boolean,
  ) {
    const { login } = who;
    // The node's log line (lib/srv/authhandlers.go), as a real v13.3.8 leaf and root wrote it.
    const refusal = (reason: string) =>
      `user ${who.username}@${clusterName} is not authorized to login as ${login}@${who.cluster}: ${reason}`;
    const resource = { name: node.hostname, labels: node.labels ?? {} };
    const restricted = set.some((r) => r.nodes || r.node_labels);
    const granting = set.filter(
      (r) =>
        (!restricted || allowedBy(r.nodes, r.node_labels, resource)) &&
        (!loginsChecked || (r.logins ?? []).includes(login)),
    );
    if (loginsChecked && granting.length === 0) {
      throw new SshRefused(
        node,
        refusal('access to node denied. User does not have permissions. Confirm SSH login.'),
      );
    }
    if (granting.some((r) => r.require_session_mfa && (r.logins ?? []).includes(login))) {
      throw new SshRefused(node, refusal(SESSION_MFA_REQUIRED), true);
    }
  }

  function expectedIssuer(token: TokenResource): string {
    const spec = token.spec;
    switch (spec.join_method) {
      case 'github': {
        const gh = spec.github ?? {};
        if (gh.enterprise_server_host)
          return `https://${gh.enterprise_server_host}/_services/token`;
        if (gh.enterprise_slug) return `${GITHUB_DEFAULT_ISSUER}/${gh.enterprise_slug}`;
        return GITHUB_DEFAULT_ISSUER;
      }
      case 'gitlab':
        return `https://${spec.gitlab?.domain || 'gitlab.com'}`;
      default:
        return `https://oidc.circleci.com/org/${spec.circleci?.organization_id ?? ''}`;
    }
  }

  async function issuerKeys(issuerUrl: string): Promise<JSONWebKeySet> {
    const issuer = issuers.get(issuerUrl);
    if (!issuer) {
      // What go-oidc's NewProvider reports when discovery cannot be fetched (paraphrase: the
      // real text names the HTTP error).
      throw new TeleportError(
        'unavailable',
        `Get "${issuerUrl}/.well-known/openid-configuration": the Teleport double cannot reach this OIDC issuer (register it with auth.trustIssuer)`,
      );
    }
    return issuer.jwks();
  }

  /** The join-method specific checks (teleport-behaviour.md §4.2); returns the verified claims. */
  async function checkIdToken(token: TokenResource, idToken: string | undefined): Promise<Claims> {
    const method = token.spec.join_method;
    if (!idToken) {
      // lib/auth/join_github.go: "IDToken not provided for Github join request" (and twins).
      const label = { github: 'Github', gitlab: 'GitLab', circleci: 'CircleCI' }[method] ?? method;
      throw badParameter(`IDToken not provided for ${label} join request`);
    }
    if (method === 'github') {
      const gh = token.spec.github ?? {};
      if (gh.enterprise_server_host && opts.edition !== 'ent') {
        throw denied('github enterprise server joining support requires enterprise license');
      }
      const claims = gh.static_jwks
        ? await verifyStaticJwks(idToken, gh.static_jwks, GITHUB_AUDIENCE)
        : await verifyOidc(idToken, {
            issuer: expectedIssuer(token),
            audience: GITHUB_AUDIENCE,
            jwks: await issuerKeys(expectedIssuer(token)),
          });
      checkGithubRules(gh.allow ?? [], claims);
      return claims;
    }
    if (method === 'gitlab') {
      // lib/gitlab/token_validator.go: the audience is the cluster name.
      const claims = await verifyOidc(idToken, {
        issuer: expectedIssuer(token),
        audience: clusterName,
        jwks: await issuerKeys(expectedIssuer(token)),
      });
      checkGitlabRules(token.spec.gitlab?.allow ?? [], claims);
      return claims;
    }
    // circleci: issuer per organization, audience = the organization ID.
    const orgId = token.spec.circleci?.organization_id ?? '';
    const claims = await verifyOidc(idToken, {
      issuer: expectedIssuer(token),
      audience: orgId,
      jwks: await issuerKeys(expectedIssuer(token)),
    });
    checkCircleciRules(token.spec.circleci?.allow ?? [], claims);
    return claims;
  }

  function rolesOf(bot: Bot): Role[] {
    return bot.roles.map((name) => {
      const role = roles.get(name);
      if (!role) throw notFound(`role ${name} is not found`);
      return role;
    });
  }

  function ttlOf(requested: number, cap = MAX_CERT_TTL_SECONDS): number {
    const ttl = requested > 0 ? requested : DEFAULT_CERT_TTL_SECONDS;
    return Math.max(60, Math.min(ttl, MAX_CERT_TTL_SECONDS, cap));
  }

  async function issueIdentity(p: {
    bot: Bot;
    roles: Role[];
    sshPublicKey: string;
    tlsPublicKey: string;
    ttlSeconds: number;
    kind: IssuedRecord['kind'];
    route?: CertsRequest['route'];
    reissuable: boolean;
    purpose?: string;
    kubeGroups?: string[];
  }): Promise<{ identity: IssuedIdentity; record: IssuedRecord }> {
    const username = `bot-${p.bot.name}`;
    const roleNames = p.roles.map((r) => r.name);
    const logins = uniq(p.roles.flatMap((r) => r.logins ?? []));
    const notAfter = new Date(Date.now() + p.ttlSeconds * 1000);
    let sshCert: string;
    try {
      sshCert = await sshUser.signUserKey(p.sshPublicKey, {
        keyId: username,
        principals: [...logins, INTERNAL_PRINCIPAL],
        validSeconds: p.ttlSeconds,
      });
    } catch (err) {
      throw badParameter(`invalid SSH public key: ${(err as Error).message}`);
    }
    const usage = p.route ? `usage:${p.route.kind === 'kube' ? 'kube' : `${p.route.kind}s`}` : '';
    const tls = await user
      .issue({
        publicKeyPem: p.tlsPublicKey,
        commonName: username,
        organizations: p.kubeGroups ?? roleNames,
        organizationalUnits: usage ? [usage] : [],
        // Teleport's subject attributes for the route (lib/tlsca): the kube double reads them.
        ...(p.route?.kind === 'kube'
          ? {
              attributes: { [KUBE_CLUSTER_OID]: p.route.name, [TELEPORT_CLUSTER_OID]: clusterName },
            }
          : {}),
        notAfter,
      })
      .catch((err: Error) => {
        throw badParameter(`invalid TLS public key: ${err.message}`);
      });
    const record: IssuedRecord = {
      serial: tls.serial,
      kind: p.kind,
      bot: p.bot.name,
      username,
      roles: roleNames,
      logins,
      ...(p.route ? { route: p.route } : {}),
      reissuable: p.reissuable,
      expires: notAfter,
      ...(p.purpose ? { purpose: p.purpose } : {}),
      ...(p.kubeGroups ? { kubeGroups: p.kubeGroups } : {}),
    };
    bySerial.set(record.serial.toLowerCase(), record);
    issued.push(record);
    return {
      identity: {
        ssh_cert: sshCert,
        tls_cert: tls.certPem,
        expires: notAfter.toISOString(),
        roles: roleNames,
        logins,
      },
      record,
    };
  }

  const service: AuthService = {
    clusterName,
    tls: { user, host, db },
    ssh: { user: sshUser, host: sshHost },
    joins,
    issued,
    cas,
    trustIssuer(issuer) {
      issuers.set(issuer.issuerUrl.replace(/\/+$/, ''), issuer);
    },
    addToken(resource) {
      const token = validateToken(resource);
      if (token.spec.join_method === 'bound_keypair') {
        token.status = { bound_keypair: boundKeypair.register(token) };
      } else {
        boundKeypair.forget(token.metadata.name);
      }
      tokens.set(token.metadata.name, token);
      return token;
    },
    removeToken(name) {
      tokens.delete(name);
      boundKeypair.forget(name);
    },
    boundKeypairStatus: (name) => boundKeypair.status(name),
    boundKeypairChallenge(req) {
      const token = tokens.get(req.token);
      const expired =
        token?.metadata.expires !== undefined && Date.parse(token.metadata.expires) <= Date.now();
      if (!token || expired) {
        throw denied(`"" can not join the cluster with role "Bot", token expired or not found`);
      }
      if (token.spec.join_method !== 'bound_keypair') {
        throw badParameter('specified join token is not for `bound_keypair` method');
      }
      return boundKeypair.challenge(token, req.public_key);
    },
    addBot(bot) {
      if (!bot.name) throw badParameter('missing parameter Name');
      const copy = { name: bot.name, roles: [...bot.roles] };
      bots.set(bot.name, copy);
      return copy;
    },
    addRole(input) {
      const role = validateRole(input);
      roles.set(role.name, role);
      return role;
    },
    addNode(node) {
      nodes.set(node.hostname, { ...node });
      return node;
    },
    addKubeCluster(cluster) {
      kubes.set(cluster.name, { ...cluster });
      return cluster;
    },
    addApp(app) {
      apps.set(app.name, { ...app });
      return app;
    },
    addDatabase(database) {
      dbs.set(database.name, { ...database });
      return database;
    },
    addLeafCluster(leaf) {
      if (leaf.name === clusterName) throw badParameter('a leaf cluster needs a name of its own');
      leaves.set(leaf.name, leaf);
      return leaf;
    },
    visibleLeafClusters,
    sshAccess(caller, target) {
      const local = !target.cluster || target.cluster === clusterName;
      const leaf = local ? undefined : leaves.get(target.cluster);
      if (!local && (!leaf || !visibleLeafClusters(caller.roles).includes(leaf))) {
        throw notFound(`cluster "${target.cluster}" is not found`); // paraphrase
      }
      // A leaf decides with the roles its role_map gives the certificate's roles.
      const set = leaf
        ? mapRoles(leaf, caller.roles)
        : caller.roles.flatMap((r) => roles.get(r) ?? []);
      const nodeCluster = leaf?.name ?? clusterName;
      const node = (leaf?.auth ?? service).findNode(target.host, target.port);
      const restricted = set.some((r) => r.nodes || r.node_labels);
      const visible =
        node &&
        set.length > 0 &&
        (!restricted ||
          set.some((r) =>
            allowedBy(r.nodes, r.node_labels, { name: node.hostname, labels: node.labels ?? {} }),
          ));
      if (!node || !visible) {
        // paraphrase: Teleport answers as if the node did not exist.
        const onPort = target.port && target.port !== '0' ? ` on port ${target.port}` : '';
        throw notFound(
          `failed to dial target host: no node named "${target.host}"${onPort} in cluster "${nodeCluster}"`,
        );
      }
      // A local node's sshd checks the login against the certificate's principals (the root
      // roles' logins); a leaf's checks them too, after the leaf's roles granted the login.
      checkSession(
        set,
        node,
        { username: caller.username, login: target.login, cluster: nodeCluster },
        leaf !== undefined,
      );
      return node;
    },
    lookup: (serial) => bySerial.get(serial.toLowerCase().replace(/^0+/, '')),
    findNode(hostName, port) {
      const suffix = `.${clusterName}`;
      const short = hostName.endsWith(suffix) ? hostName.slice(0, -suffix.length) : hostName;
      const node = nodes.get(short) ?? nodes.get(hostName);
      if (!node || !port || port === '0') return node;
      return port === registeredPort(node) ? node : undefined;
    },
    role: (name) => roles.get(name),
    app: (name) => apps.get(name),
    database: (name) => dbs.get(name),
    kubeCluster: (name) => kubes.get(name),
    listNodes(caller) {
      const held = caller.roles.flatMap((r) => roles.get(r) ?? []);
      const restricted = held.some((r) => r.nodes || r.node_labels);
      return [...nodes.values()]
        .filter(
          (n) =>
            !restricted ||
            held.some((r) =>
              allowedBy(r.nodes, r.node_labels, { name: n.hostname, labels: n.labels ?? {} }),
            ),
        )
        .sort((a, b) => (a.hostname < b.hostname ? -1 : a.hostname > b.hostname ? 1 : 0))
        .map((n) => ({
          hostname: n.hostname,
          id: nodeId(n.hostname),
          // What the node registered, as tsh lists it (not where the double's sshd listens).
          addr: registeredAddr(n),
          labels: { ...(n.labels ?? {}) },
        }));
    },
    listKubeClusters(caller, labels = {}) {
      const held = caller.roles.flatMap((r) => roles.get(r) ?? []);
      return [...kubes.values()]
        .filter((k) => held.some((r) => allowedBy(r.kube_clusters, r.kubernetes_labels, k)))
        .filter((k) => Object.entries(labels).every(([key, v]) => k.labels?.[key] === v))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .map((k) => ({
          name: k.name,
          labels: { ...(k.labels ?? {}) },
          api_url: k.apiUrl,
          ca_pem: k.caPem,
          tls_server_name:
            k.tlsServerName === undefined
              ? `kube-teleport-proxy-alpn.${clusterName}`
              : k.tlsServerName,
        }));
    },
    signHostKey: (publicKey, principals, validSeconds = 3600) =>
      sshHost.signHostKey(publicKey, { keyId: `host:${principals[0]}`, principals, validSeconds }),

    async join(req) {
      const record: JoinRecord = {
        time: new Date(),
        token: req.token,
        joinMethod: req.join_method,
        ok: false,
      };
      joins.push(record);
      try {
        const token = tokens.get(req.token);
        const expired =
          token?.metadata.expires !== undefined && Date.parse(token.metadata.expires) <= Date.now();
        if (!token || expired) {
          // lib/auth/join.go checkTokenJoinRequestCommon (tbot sends no node name).
          throw denied(`"" can not join the cluster with role "Bot", token expired or not found`);
        }
        if (!token.spec.roles.some((r) => r.toLowerCase() === 'bot')) {
          throw badParameter(
            `node "" [] can not join the cluster, the token does not allow "Bot" role`,
          );
        }
        const method = token.spec.join_method;
        if (req.join_method && req.join_method !== method) {
          // paraphrase: the client-side method and the token's method disagree.
          throw denied(
            `the token "${req.token}" is for the "${method}" join method, but tbot joined with "${req.join_method}": set onboarding.join_method to "${method}"`,
          );
        }
        let claims: Claims | undefined;
        if (method === 'github' || method === 'gitlab' || method === 'circleci') {
          claims = await checkIdToken(token, req.id_token);
          record.claims = claims;
        } else if (method !== 'token' && method !== 'bound_keypair') {
          throw badParameter(
            `the Teleport double does not implement the "${method}" join method (it verifies github, gitlab, circleci, token and bound_keypair)`,
          );
        }
        const botName = token.spec.bot_name ?? '';
        const bot = bots.get(botName);
        if (!bot) throw notFound(`user "bot-${botName}" is not found`); // paraphrase
        const botRoles = rolesOf(bot);
        const ttl = ttlOf(req.ttl_seconds);
        const issue = () =>
          issueIdentity({
            bot,
            roles: botRoles,
            sshPublicKey: req.ssh_public_key,
            tlsPublicKey: req.tls_public_key,
            ttlSeconds: ttl,
            kind: 'bot',
            reissuable: true,
            purpose: 'bot identity',
          });
        if (method === 'bound_keypair') {
          let identity: IssuedIdentity | undefined;
          const outcome = await boundKeypair.join(token, req.bound_keypair, async () => {
            identity = (await issue()).identity;
          });
          record.ok = true;
          record.bot = bot.name;
          return {
            bot_name: bot.name,
            username: `bot-${bot.name}`,
            renewable: true,
            identity: identity as IssuedIdentity,
            cas: cas(),
            bound_keypair: {
              bound_public_key: outcome.boundPublicKey,
              bot_instance_id: outcome.botInstanceId,
              join_state: outcome.joinState,
            },
          };
        }
        const { identity } = await issue();
        // The `token` method is single use (generateCertsBot deletes it) and renewable.
        if (method === 'token') tokens.delete(token.metadata.name);
        record.ok = true;
        record.bot = bot.name;
        return {
          bot_name: bot.name,
          username: `bot-${bot.name}`,
          renewable: method === 'token',
          identity,
          cas: cas(),
        };
      } catch (err) {
        record.error = (err as Error).message;
        throw err;
      }
    },

    async certs(caller, req) {
      if (caller.kind !== 'bot' && !caller.reissuable) {
        // The credentials of an output cannot mint more unless allow_reissue was set.
        throw denied(
          'access denied: the presented certificate cannot be used to reissue certificates (allow_reissue is off)',
        ); // paraphrase
      }
      const bot = bots.get(caller.bot);
      if (!bot) throw notFound(`user "bot-${caller.bot}" is not found`);
      const held = caller.roles;
      const wanted = req.roles && req.roles.length > 0 ? uniq(req.roles) : held;
      const missing = wanted.filter((r) => !held.includes(r));
      if (missing.length > 0) {
        // services.RoleSet.CheckImpersonateRoles (lib/services/role.go).
        throw denied(
          `access denied to '${caller.username}' to impersonate roles '${missing.join(', ')}'`,
        );
      }
      const chosen = wanted.map((name) => {
        const role = roles.get(name);
        if (!role) throw notFound(`role ${name} is not found`);
        return role;
      });
      const remaining = Math.floor((caller.expires.getTime() - Date.now()) / 1000);
      if (remaining <= 0) throw denied('the client certificate has expired');
      const ttl = ttlOf(req.ttl_seconds, remaining);
      const route = req.route;
      const response: Partial<CertsResponse> = {};
      let kubeGroups: string[] | undefined;
      if (route?.kind === 'kube') {
        const cluster = kubes.get(route.name);
        const allowing = cluster
          ? chosen.filter((r) => allowedBy(r.kube_clusters, r.kubernetes_labels, cluster))
          : [];
        if (!cluster || allowing.length === 0) {
          // tbot's kubernetes output looks the cluster up and sees only what its roles allow.
          throw notFound(`kubernetes cluster "${route.name}" not found`);
        }
        kubeGroups = uniq(allowing.flatMap((r) => r.kubernetes_groups ?? []));
        if (kubeGroups.length === 0) {
          // paraphrase of the kube proxy's check: nothing to impersonate in Kubernetes.
          throw denied(
            `your user's Teleport role does not allow Kubernetes access to cluster "${route.name}": kubernetes_groups is empty`,
          );
        }
        response.kube = {
          name: cluster.name,
          api_url: cluster.apiUrl,
          ca_pem: cluster.caPem,
          tls_server_name:
            cluster.tlsServerName === undefined
              ? `kube-teleport-proxy-alpn.${clusterName}`
              : cluster.tlsServerName,
          groups: kubeGroups,
        };
      } else if (route?.kind === 'app') {
        const app = apps.get(route.name);
        if (!app || !chosen.some((r) => allowedBy(r.apps, r.app_labels, app))) {
          throw notFound(`application "${route.name}" not found`); // paraphrase
        }
        response.app = {
          name: app.name,
          uri: app.uri,
          public_addr: app.public_addr ?? `${app.name}.${clusterName}`,
        };
      } else if (route?.kind === 'db') {
        const database = dbs.get(route.name);
        if (!database || !chosen.some((r) => allowedBy(r.dbs, r.db_labels, database))) {
          throw notFound(`database "${route.name}" not found`); // paraphrase
        }
        const users = uniq(chosen.flatMap((r) => r.db_users ?? []));
        if (route.username && !users.includes('*') && !users.includes(route.username)) {
          throw denied(
            `access to db denied. User does not have permissions. Confirm database user and name.`,
          );
        }
        const names = uniq(chosen.flatMap((r) => r.db_names ?? []));
        if (route.database && !names.includes('*') && !names.includes(route.database)) {
          throw denied(
            `access to db denied. User does not have permissions. Confirm database user and name.`,
          );
        }
        response.db = {
          name: database.name,
          protocol: database.protocol,
          uri: database.uri,
          ...(route.username ? { username: route.username } : {}),
          ...(route.database ? { database: route.database } : {}),
        };
      }
      const { identity } = await issueIdentity({
        bot,
        roles: chosen,
        sshPublicKey: req.ssh_public_key,
        tlsPublicKey: req.tls_public_key,
        ttlSeconds: ttl,
        kind: 'output',
        ...(route ? { route } : {}),
        reissuable: req.reissuable === true,
        purpose: req.purpose ?? randomUUID(),
        ...(kubeGroups ? { kubeGroups } : {}),
      });
      const leafNames = visibleLeafClusters(chosen.map((r) => r.name)).map((l) => l.name);
      return {
        ...response,
        identity,
        cas: cas(),
        ...(leafNames.length > 0 ? { leaf_clusters: leafNames } : {}),
      };
    },
  };
  return service;
}
