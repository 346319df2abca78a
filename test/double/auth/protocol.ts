// The wire protocol between the stand-in tbot and the auth double, carried by the proxy double's
// HTTPS port (real tbot speaks gRPC through the proxy, which the double does not emulate).
// Shared by both sides: the stand-in's bundle imports this file (types and constants only).
// See README.md "Protocol".

/** Join (no client certificate): exchange a CI ID token for the bot identity. */
export const JOIN_PATH = '/v1/double/join';
/** Per-output certificates (mutual TLS with the bot identity). */
export const CERTS_PATH = '/v1/double/certs';
/** Tunnels (mutual TLS, HTTP Upgrade): SSH to a node, TCP to an app or a database. */
export const TUNNEL_PATH = '/v1/double/tunnel';
/** The `Upgrade` token of tunnel requests. */
export const TUNNEL_UPGRADE = 'teleport-double-tunnel';

export interface JoinRequest {
  /** The token resource name (onboarding.token). */
  token: string;
  /** The join method tbot is configured with (onboarding.join_method). */
  join_method: string;
  /** The platform ID token (github, gitlab, circleci). */
  id_token?: string;
  /** `ecdsa-sha2-nistp256 AAAA...`: what the SSH certificate certifies. */
  ssh_public_key: string;
  /** SPKI PEM of the same key: what the X.509 certificate certifies. */
  tls_public_key: string;
  /** Requested bot certificate lifetime; the auth caps it (MaxRenewableCertTTL, 24 h). */
  ttl_seconds: number;
  /** The stand-in's version, for the auth's records. */
  tbot_version?: string;
  /** `bound_keypair`: the answer to a challenge from BOUND_KEYPAIR_CHALLENGE_PATH. */
  bound_keypair?: BoundKeypairJoinParams;
}

/**
 * `bound_keypair` join, step 1 (no client certificate): ask for a challenge. Real tbot gets it
 * inside the join's gRPC stream (RegisterUsingBoundKeypairMethod); the double uses two requests.
 */
export const BOUND_KEYPAIR_CHALLENGE_PATH = '/v1/double/join/bound-keypair/challenge';

export interface BoundKeypairChallengeRequest {
  token: string;
  /** The client's bound keypair public key (`ecdsa-sha2-nistp256 AAAA...`). */
  public_key: string;
}

export interface BoundKeypairChallengeResponse {
  /** Quote it back in the join (single use, valid one minute). */
  challenge_id: string;
  /**
   * The key the server wants the challenge signed with: the bound key once one is bound, else
   * `onboarding.initial_public_key`, else the key the client presented (registration secret).
   */
  public_key: string;
  /** The JSON challenge document (iss, aud, sub, iat, nbf, exp, nonce). */
  challenge: string;
}

export interface BoundKeypairJoinParams {
  challenge_id: string;
  /** Compact JWS (ES256) whose payload is the challenge document, signed with the bound key. */
  challenge_response: string;
  /** The client's bound public key (what a registration-secret join binds). */
  public_key: string;
  /** First join only (TBOT_REGISTRATION_SECRET / onboarding.bound_keypair.registration_secret). */
  registration_secret?: string;
  /** The bot instance of a still valid identity: a rejoin that consumes no recovery. */
  bot_instance_id?: string;
  /** The join state the previous join returned (required after the first join). */
  join_state?: string;
}

export interface CertAuthorities {
  cluster_name: string;
  /** PEM of each TLS CA (teleport-behaviour.md §3: teleport-user-ca.crt etc.). */
  tls_user: string;
  tls_host: string;
  tls_db: string;
  /** `<type> <base64>` public keys of the SSH CAs. */
  ssh_user: string[];
  ssh_host: string[];
  /**
   * The host CAs of trusted leaf clusters: GetCertAuthorities(HostCA) returns them beside the
   * root's own, so they reach the identity file and the CA files.
   */
  remote?: Array<{ cluster_name: string; ssh_host: string[]; tls_host: string }>;
}

export interface IssuedIdentity {
  /** key-cert.pub line. */
  ssh_cert: string;
  /** tlscert PEM. */
  tls_cert: string;
  /** ISO time the certificates expire. */
  expires: string;
  roles: string[];
  logins: string[];
}

export interface JoinResponse {
  bot_name: string;
  /** `bot-<name>`. */
  username: string;
  /** Delegated joins (github, gitlab, circleci) are not renewable: tbot joins again. */
  renewable: boolean;
  identity: IssuedIdentity;
  cas: CertAuthorities;
  /** `bound_keypair` joins: what the client keeps in its storage for the next join. */
  bound_keypair?: {
    bound_public_key: string;
    bot_instance_id: string;
    join_state: string;
  };
}

export type Route =
  | { kind: 'kube'; name: string }
  | { kind: 'app'; name: string }
  | { kind: 'db'; name: string; username?: string; database?: string };

export interface CertsRequest {
  ssh_public_key: string;
  tls_public_key: string;
  ttl_seconds: number;
  /** Role subset; empty or absent: every role of the bot. */
  roles?: string[];
  route?: Route;
  /** identity output `allow_reissue`. */
  reissuable?: boolean;
  /** Service or output name, for the auth's records. */
  purpose?: string;
}

export interface CertsResponse {
  identity: IssuedIdentity;
  cas: CertAuthorities;
  kube?: {
    name: string;
    api_url: string;
    ca_pem: string;
    /** kubeconfig `tls-server-name`; null: none. */
    tls_server_name: string | null;
    groups: string[];
  };
  app?: { name: string; uri: string; public_addr: string };
  db?: { name: string; protocol: string; uri: string; username?: string; database?: string };
  /**
   * Leaf clusters the certificate's roles may see (GetRemoteClusters as the impersonated
   * identity): the extra clusters of the identity output's ssh_config and known_hosts.
   */
  leaf_clusters?: string[];
}

/** Tunnel query parameters: `target=ssh&host=node-1.<cluster>&port=3022&login=<%r>`,
 * `target=app&name=<app>`, `target=db&name=<service>`. */
export type TunnelTarget = 'ssh' | 'app' | 'db';

/** Every error answer: Teleport's web API error shape. */
export interface ErrorBody {
  error: { message: string };
}

/** Inventory listing (mutual TLS with any certificate the auth issued): what `tsh ls` shows. */
export const NODES_PATH = '/v1/double/nodes';
/**
 * Kubernetes clusters the certificate's roles may see, optionally filtered by `?labels=<JSON
 * object>` (exact match of every key, like ListResources' label filter): what tbot's
 * `kubernetes/v2` label selectors query.
 */
export const KUBE_CLUSTERS_PATH = '/v1/double/kube-clusters';

export interface NodeListing {
  /** Short host name (`node-1`). */
  hostname: string;
  /** Stable per host name, shaped like Teleport's node UUID. */
  id: string;
  /** `host:port` of the node's sshd. */
  addr: string;
  labels: Record<string, string>;
}

/**
 * Whether a session on an SSH node needs per-session MFA (Teleport's IsMFARequired, which tsh
 * asks before it dials): POST `{ cluster, host, login }` with the identity's certificate.
 */
export const MFA_REQUIRED_PATH = '/v1/double/mfa-required';

export interface MfaRequiredRequest {
  /** Empty: the root cluster. */
  cluster: string;
  host: string;
  login: string;
}

export interface MfaRequiredResponse {
  required: boolean;
}

export interface NodesResponse {
  /** Sorted by host name. */
  nodes: NodeListing[];
}

export interface KubeClusterListing {
  name: string;
  labels: Record<string, string>;
  api_url: string;
  ca_pem: string;
  /** kubeconfig `tls-server-name`; null: none. */
  tls_server_name: string | null;
}

export interface KubeClustersResponse {
  /** Sorted by name. */
  kube_clusters: KubeClusterListing[];
}
