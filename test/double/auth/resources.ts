// Cluster resources of the auth double: join tokens (`kind: token`, teleport-behaviour.md §4.2), bots, roles and
// the inventory (SSH nodes, Kubernetes clusters, apps, databases). Tokens and roles may be given
// as Teleport YAML or as the same shape in objects; tokens are validated with Teleport's
// messages (api/types/provisioning.go), quoted where the facts quote them, paraphrased (marked
// "paraphrase") elsewhere.
import { parseAllDocuments } from 'yaml';

export type JoinMethod = 'github' | 'gitlab' | 'circleci' | 'token' | 'bound_keypair';

/** Join methods the double verifies; other valid Teleport methods are refused with a clear note. */
export const DOUBLE_JOIN_METHODS: readonly JoinMethod[] = [
  'github',
  'gitlab',
  'circleci',
  'token',
  'bound_keypair',
];

/** lib/boundkeypair RecoveryModes(). */
export const RECOVERY_MODES = ['standard', 'relaxed', 'insecure'] as const;
export type RecoveryMode = (typeof RECOVERY_MODES)[number];

/** `spec.bound_keypair` (ProvisionTokenSpecV2BoundKeypair), the fields the double reads. */
export interface BoundKeypairSpec {
  onboarding?: {
    /** Single-use secret; when neither this nor initial_public_key is set, one is generated. */
    registration_secret?: string;
    /** A preregistered public key (`tbot keypair create`), SSH authorized_keys form. */
    initial_public_key?: string;
    must_register_before?: string;
  };
  recovery?: {
    /** `standard` (default): limit enforced; `relaxed`: not; `insecure`: no join state either. */
    mode?: RecoveryMode | '';
    /** Recoveries allowed (the first join counts as one). */
    limit?: number;
  };
  rotate_after?: string;
}

/** `status.bound_keypair`: server-owned state (what `tctl get token` shows). */
export interface BoundKeypairStatus {
  registration_secret?: string;
  bound_public_key?: string;
  bound_bot_instance_id?: string;
  recovery_count: number;
  last_recovered_at?: string;
}

/** Teleport's join methods (server side), teleport-behaviour.md §2.2 "newest server-side list". */
export const TELEPORT_JOIN_METHODS = [
  'token',
  'ec2',
  'iam',
  'github',
  'circleci',
  'kubernetes',
  'azure',
  'gitlab',
  'gcp',
  'spacelift',
  'tpm',
  'terraform_cloud',
  'bitbucket',
  'oracle',
  'azure_devops',
  'bound_keypair',
  'env0',
] as const;

export interface GithubRule {
  sub?: string;
  repository?: string;
  repository_owner?: string;
  workflow?: string;
  environment?: string;
  actor?: string;
  ref?: string;
  ref_type?: string;
}

export interface GitlabRule {
  sub?: string;
  project_path?: string;
  namespace_path?: string;
  pipeline_source?: string;
  environment?: string;
  ref?: string;
  ref_type?: string;
  user_login?: string;
  user_id?: string;
  user_email?: string;
  ref_protected?: boolean;
  environment_protected?: boolean;
  ci_config_sha?: string;
  ci_config_ref_uri?: string;
  deployment_tier?: string;
  project_visibility?: string;
}

export interface CircleciRule {
  project_id?: string;
  context_id?: string;
}

export interface TokenSpec {
  roles: string[];
  join_method: string;
  bot_name?: string;
  github?: {
    allow?: GithubRule[];
    enterprise_server_host?: string;
    enterprise_slug?: string;
    static_jwks?: string;
  };
  gitlab?: { domain?: string; allow?: GitlabRule[]; static_jwks?: string };
  circleci?: { organization_id?: string; allow?: CircleciRule[] };
  bound_keypair?: BoundKeypairSpec;
}

export interface TokenResource {
  kind: 'token';
  version: 'v2';
  metadata: { name: string; expires?: string };
  spec: TokenSpec;
  /** `bound_keypair` tokens only: the state the auth keeps (a copy; see AuthService). */
  status?: { bound_keypair: BoundKeypairStatus };
}

export interface Bot {
  name: string;
  roles: string[];
}

/** Label selectors: `{ env: 'prod' }`, `{ env: ['prod', 'staging'] }`, `{ '*': '*' }` (all). */
export type Labels = Record<string, string | string[]>;

/**
 * The double's role model: a simplified Teleport role (only `allow`, no deny, no traits, no
 * templates). Access to a resource: its name is in the list (`'*'` = any), or its labels match
 * the selector (every key must match; `'*'` matches any key or value).
 */
export interface Role {
  name: string;
  /** SSH logins: the principals of the SSH certificate (sshd checks them). */
  logins?: string[];
  /** O of the Kubernetes client certificate: the groups a Kubernetes API sees. */
  kubernetes_groups?: string[];
  kubernetes_users?: string[];
  kubernetes_labels?: Labels;
  /** Kubernetes clusters by name (the double's shortcut for labels). */
  kube_clusters?: string[];
  app_labels?: Labels;
  apps?: string[];
  db_labels?: Labels;
  dbs?: string[];
  db_users?: string[];
  db_names?: string[];
  /** SSH nodes by host name (default: every node; sshd still checks logins). */
  node_labels?: Labels;
  nodes?: string[];
  /** Trusted leaf clusters this role may see (`allow.cluster_labels`). */
  cluster_labels?: Labels;
  /**
   * `options.require_session_mfa: true`: every session on a resource this role grants needs a
   * fresh MFA check, which a bot cannot pass (the Machine ID FAQ).
   */
  require_session_mfa?: boolean;
}

/** One `role_map` entry of a `trusted_cluster` resource: root role(s) to leaf roles. */
export interface RoleMapping {
  /** A root cluster role name, or `*` for every role. */
  remote: string;
  local: string[];
}

export interface SshNode {
  /** Short host name, e.g. `node-1`; reachable as `node-1.<cluster>`. */
  hostname: string;
  /** `host:port` of the real sshd: where the proxy dials. */
  addr: string;
  /**
   * The port in the address the node registered with (Teleport's `spec.addr`), `3022` (a
   * Teleport SSH service's) unless set: the proxy finds a node by host name and this port
   * (teleport-behaviour.md §3.3). The double's sshd listens elsewhere (`addr`).
   */
  registeredPort?: string;
  labels?: Record<string, string>;
  /**
   * `host:port` where the same sshd refuses every login: the tunnel sends a connection Teleport
   * would refuse there, so the real ssh client ends with Teleport's `Permission denied
   * (publickey)` instead of a dropped connection.
   */
  refuseAddr?: string;
}

/** The port a node registered (`3022`, a Teleport SSH service's, unless set). */
export function registeredPort(node: SshNode): string {
  return node.registeredPort ?? '3022';
}

/** The address a node registered, as `tsh ls` lists it: its host, with `registeredPort`. */
export function registeredAddr(node: SshNode): string {
  return `${node.addr.slice(0, node.addr.lastIndexOf(':'))}:${registeredPort(node)}`;
}

export interface KubeCluster {
  name: string;
  /** The Kubernetes API the kubeconfig points at (https://127.0.0.1:<port>). */
  apiUrl: string;
  /** The API server's CA (certificate-authority-data). */
  caPem: string;
  /**
   * The kubeconfig's `tls-server-name`: default `kube-teleport-proxy-alpn.<cluster>` (what tbot
   * writes with TLS routing; the API's server certificate must then carry that DNS name);
   * null leaves it out.
   */
  tlsServerName?: string | null;
  labels?: Record<string, string>;
}

export interface App {
  name: string;
  /** `http://127.0.0.1:<port>` or `tcp://127.0.0.1:<port>`: where the proxy connects. */
  uri: string;
  public_addr?: string;
  labels?: Record<string, string>;
}

export interface Database {
  name: string;
  protocol: string;
  /** `127.0.0.1:<port>` (or `postgres://127.0.0.1:<port>`...): where the proxy connects. */
  uri: string;
  labels?: Record<string, string>;
}

/** A resource error with Teleport's message (bad parameter / not found / access denied). */
export class TeleportError extends Error {
  constructor(
    readonly kind: 'bad-parameter' | 'not-found' | 'access-denied' | 'unavailable',
    message: string,
  ) {
    super(message);
  }

  get status(): number {
    return { 'bad-parameter': 400, 'not-found': 404, 'access-denied': 403, unavailable: 502 }[
      this.kind
    ];
  }
}

const bad = (m: string) => new TeleportError('bad-parameter', m);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses one YAML document (or takes an object) into a plain object. */
export function parseResource(input: string | object): Record<string, unknown> {
  if (typeof input !== 'string') return structuredClone(input) as Record<string, unknown>;
  const docs = parseAllDocuments(input);
  if (!Array.isArray(docs) || docs.length !== 1) {
    throw bad('expected exactly one YAML document');
  }
  const doc = docs[0];
  if (!doc || doc.errors.length > 0) {
    throw bad(`failed to parse resource: ${doc?.errors[0]?.message ?? 'empty document'}`);
  }
  const value = doc.toJS() as unknown;
  if (!isRecord(value)) throw bad('resource must be a YAML mapping');
  return value;
}

function hasScheme(host: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(host) || host.includes('/');
}

/**
 * Validates a `kind: token` resource like ProvisionTokenV2.CheckAndSetDefaults (teleport-behaviour.md §4.2).
 * Throws a TeleportError with Teleport's message.
 */
export function validateToken(input: string | object): TokenResource {
  const raw = parseResource(input);
  if (raw.kind !== undefined && raw.kind !== 'token') {
    throw bad(`expected a resource of kind "token", got "${String(raw.kind)}"`); // paraphrase
  }
  if (raw.version !== undefined && raw.version !== 'v2') {
    throw bad(`unsupported token resource version "${String(raw.version)}", use v2`); // paraphrase
  }
  const metadata = isRecord(raw.metadata) ? raw.metadata : {};
  const name = metadata.name;
  if (typeof name !== 'string' || name === '') throw bad('missing parameter Name');
  const spec = (isRecord(raw.spec) ? raw.spec : {}) as unknown as TokenSpec;
  const roles = Array.isArray(spec.roles) ? spec.roles.map(String) : [];
  if (roles.length === 0) throw bad('provisioning token is missing roles');
  const joinMethod = spec.join_method ?? 'token';
  if (!(TELEPORT_JOIN_METHODS as readonly string[]).includes(joinMethod)) {
    throw bad(`unknown join method "${joinMethod}"`);
  }
  if (roles.some((r) => r.toLowerCase() === 'bot') && !spec.bot_name) {
    throw bad('token with "Bot" role must set bot_name'); // paraphrase
  }
  switch (joinMethod) {
    case 'github': {
      const gh = spec.github ?? {};
      const allow = gh.allow ?? [];
      if (allow.length === 0) {
        throw bad('the "github" join method requires at least one token allow rule');
      }
      for (const rule of allow) {
        if (!rule.repository && !rule.repository_owner && !rule.sub) {
          throw bad(
            'allow rule for "github" must include at least one of "repository", "repository_owner" or "sub"',
          );
        }
      }
      if (gh.enterprise_server_host && hasScheme(gh.enterprise_server_host)) {
        throw bad(
          `enterprise_server_host should not contain the scheme or path: "${gh.enterprise_server_host}"`,
        ); // paraphrase
      }
      if (gh.enterprise_server_host && gh.enterprise_slug) {
        throw bad('"enterprise_slug" cannot be used with "enterprise_server_host"'); // paraphrase
      }
      break;
    }
    case 'gitlab': {
      const gl = spec.gitlab ?? {};
      const allow = gl.allow ?? [];
      if (allow.length === 0) {
        throw bad('the "gitlab" join method requires defined gitlab allow rules');
      }
      for (const rule of allow) {
        if (!rule.sub && !rule.project_path && !rule.namespace_path && !rule.ci_config_ref_uri) {
          throw bad(
            `the "gitlab" join method requires allow rules with at least one of ['sub', 'project_path', 'namespace_path', 'ci_config_ref_uri'] to ensure security.`,
          );
        }
      }
      if (gl.domain && hasScheme(gl.domain)) {
        throw bad(`domain should not contain the scheme or path: "${gl.domain}"`); // paraphrase
      }
      break;
    }
    case 'circleci': {
      const cc = spec.circleci ?? {};
      if (!cc.organization_id) {
        throw bad(`the "circleci" join method requires 'organization_id' to be set`);
      }
      for (const rule of cc.allow ?? []) {
        if (!rule.project_id && !rule.context_id) {
          throw bad('allow rule for "circleci" must include at least "project_id" or "context_id"');
        }
      }
      break;
    }
    case 'bound_keypair': {
      // lib/auth/join_bound_keypair.go CreateBoundKeypairToken / validateBoundKeypairTokenSpec.
      const raw: unknown = spec.bound_keypair;
      if (!isRecord(raw)) throw bad('bound_keypair token requires non-nil spec.bound_keypair');
      const bk = raw as BoundKeypairSpec;
      if (!isRecord(bk.recovery)) throw bad('spec.bound_keypair.recovery: field is required');
      const mode = String(bk.recovery.mode ?? '');
      if (mode !== '' && !(RECOVERY_MODES as readonly string[]).includes(mode)) {
        // boundkeypair.ParseRecoveryMode (paraphrase)
        throw bad(
          `parsing recovery mode: invalid recovery mode "${mode}", expected one of ${RECOVERY_MODES.join(', ')}`,
        );
      }
      const limit: unknown = bk.recovery.limit;
      if (limit !== undefined && (!Number.isInteger(limit) || (limit as number) < 0)) {
        throw bad(
          `spec.bound_keypair.recovery.limit: must be a non-negative integer, got ${JSON.stringify(limit)}`,
        ); // paraphrase (a uint32 in Teleport)
      }
      const onboarding = bk.onboarding ?? {};
      if (!isRecord(onboarding)) throw bad('spec.bound_keypair.onboarding must be a mapping'); // paraphrase
      break;
    }
    default:
      break;
  }
  return {
    kind: 'token',
    version: 'v2',
    metadata: {
      name,
      ...(typeof metadata.expires === 'string' ? { expires: metadata.expires } : {}),
    },
    spec: { ...spec, roles, join_method: joinMethod },
  };
}

function strings(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw bad(`expected a list of strings, got ${JSON.stringify(v)}`);
  return v.map(String);
}

function labels(v: unknown): Labels | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isRecord(v)) throw bad(`expected a label map, got ${JSON.stringify(v)}`);
  return v as Labels;
}

/**
 * A role from the double's object form, or from Teleport role YAML (`kind: role`, reading only
 * `spec.allow` fields of the same names).
 */
export function validateRole(input: string | object): Role {
  const raw = parseResource(input);
  let name: unknown = raw.name;
  let fields: Record<string, unknown> = raw;
  if (raw.kind !== undefined) {
    if (raw.kind !== 'role') throw bad(`expected a resource of kind "role", got "${raw.kind}"`);
    name = isRecord(raw.metadata) ? raw.metadata.name : undefined;
    const spec = isRecord(raw.spec) ? raw.spec : {};
    fields = isRecord(spec.allow) ? spec.allow : {};
  }
  if (typeof name !== 'string' || name === '') throw bad('missing parameter Name');
  const role: Role = { name };
  const options = raw.kind !== undefined && isRecord(raw.spec) ? raw.spec.options : raw.options;
  const mfa = isRecord(options) ? options.require_session_mfa : raw.require_session_mfa;
  if (mfa !== undefined && mfa !== null) {
    // RequireMFAType also takes strings (hardware_key, ...); the double models the boolean.
    if (typeof mfa !== 'boolean') {
      throw bad(`require_session_mfa: expected true or false, got ${JSON.stringify(mfa)}`);
    }
    if (mfa) role.require_session_mfa = true;
  }
  const lists = [
    'logins',
    'kubernetes_groups',
    'kubernetes_users',
    'kube_clusters',
    'apps',
    'dbs',
    'db_users',
    'db_names',
    'nodes',
  ] as const;
  for (const key of lists) {
    const v = strings(fields[key]);
    if (v) role[key] = v;
  }
  for (const key of [
    'kubernetes_labels',
    'app_labels',
    'db_labels',
    'node_labels',
    'cluster_labels',
  ] as const) {
    const v = labels(fields[key]);
    if (v) role[key] = v;
  }
  return role;
}

/** Whether a resource (name + labels) is allowed by a name list and/or label selector. */
export function allowedBy(
  names: string[] | undefined,
  selector: Labels | undefined,
  resource: { name: string; labels?: Record<string, string> },
): boolean {
  if (names?.some((n) => n === '*' || n === resource.name)) return true;
  if (!selector || Object.keys(selector).length === 0) return false;
  const have = resource.labels ?? {};
  return Object.entries(selector).every(([key, want]) => {
    const values = Array.isArray(want) ? want : [want];
    if (key === '*') return values.includes('*');
    const actual = have[key];
    if (actual === undefined) return false;
    return values.some((v) => v === '*' || v === actual);
  });
}
