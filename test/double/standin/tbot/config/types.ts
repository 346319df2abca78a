// The bot config (teleport-behaviour.md §2.2) as the stand-in holds it after decoding. Durations are Go
// nanoseconds; `services` holds `services:` then `outputs:` (teleport-behaviour.md §2.2: outputs are appended).

export type Destination =
  | {
      type: 'directory';
      path: string;
      symlinks?: string;
      acls?: string;
      readers?: Array<{ user?: string; group?: string }>;
    }
  | { type: 'memory' }
  | { type: 'kubernetes_secret'; name: string; namespace?: string };

export interface KubeSelector {
  name?: string;
  labels?: Record<string, string>;
  default_namespace?: string;
}

export interface ServiceConfig {
  type: string;
  /** Where it was declared, for messages: `services` or `outputs`. */
  list: 'services' | 'outputs';
  name?: string;
  destination?: Destination;
  roles?: string[];
  credential_ttl?: number;
  renewal_interval?: number;
  // identity
  cluster?: string;
  ssh_config?: string;
  allow_reissue?: boolean;
  // application
  app_name?: string;
  specific_tls_naming?: boolean;
  // database
  service?: string;
  database?: string;
  username?: string;
  format?: string;
  // kubernetes, kubernetes/v2
  kubernetes_cluster?: string;
  disable_exec_plugin?: boolean;
  selectors?: KubeSelector[];
  context_name_template?: string;
  // tunnels, application-proxy
  listen?: string;
  // ssh_host
  principals?: string[];
  // ssh-multiplexer
  enable_resumption?: boolean;
  proxy_command?: string[];
  proxy_templates_path?: string;
}

export interface Onboarding {
  token?: string;
  join_method?: string;
  ca_pins?: string[];
  ca_path?: string;
  azure?: { client_id?: string };
  terraform?: { audience_tag?: string };
  gitlab?: { token_env_var_name?: string };
  /** v18 (`BoundKeypairOnboardingConfig`). */
  bound_keypair?: {
    registration_secret?: string;
    registration_secret_path?: string;
    static_private_key_path?: string;
  };
}

export interface BotConfig {
  version: string;
  onboarding: Onboarding;
  storage?: Destination;
  services: ServiceConfig[];
  debug: boolean;
  auth_server?: string;
  proxy_server?: string;
  certificate_ttl?: number;
  credential_ttl?: number;
  renewal_interval?: number;
  oneshot: boolean;
  fips: boolean;
  diag_addr?: string;
  insecure: boolean;
}

export function emptyConfig(): BotConfig {
  return {
    version: 'v2',
    onboarding: {},
    services: [],
    debug: false,
    oneshot: false,
    fips: false,
    insecure: false,
  };
}

/** Service types the stand-in knows by version; `implemented` ones it can also run. */
export const OUTPUT_TYPES = [
  'identity',
  'application',
  'database',
  'kubernetes',
  'kubernetes/v2',
  'ssh_host',
  'spiffe-svid',
  'workload-identity-x509',
  'workload-identity-jwt',
] as const;

export const SERVICE_TYPES = [
  'database-tunnel',
  'application-tunnel',
  'application-proxy',
  'ssh-multiplexer',
  'spiffe-workload-api',
  'workload-identity-api',
  'workload-identity-aws-roles-anywhere',
] as const;

/** Types the stand-in can run; the others parse and validate, then fail at start. */
export const IMPLEMENTED_TYPES = new Set([
  'identity',
  'application',
  'database',
  'kubernetes',
  'kubernetes/v2',
  'database-tunnel',
  'application-tunnel',
  'application-proxy',
]);

/** Services that do nothing in oneshot mode (teleport-behaviour.md §2.5 "Oneshot behaviour"). */
export const NOT_ONESHOT = new Set([
  'database-tunnel',
  'application-tunnel',
  'application-proxy',
  'ssh-multiplexer',
  'spiffe-workload-api',
  'workload-identity-api',
]);
