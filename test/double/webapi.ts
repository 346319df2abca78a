// Bodies of the proxy's unauthenticated web API, teleport-behaviour.md §5.1 (/webapi/find) and §5.2
// (/webapi/ping): webclient.PingResponse as a Teleport proxy serialises it.

export type ProxyEdition = 'oss' | 'ent' | 'community';

/** The proxy's settings with every default applied. */
export interface ProxySettings {
  /** `localhost:<port>`: the proxy's public address. */
  addr: string;
  clusterName: string;
  serverVersion: string;
  toolsVersion: string;
  toolsAutoUpdate: boolean;
  edition: ProxyEdition;
  fips: boolean;
  legacy: boolean;
}

/** teleport.MinClientSemVersion: the previous major with the `-aa` pre-release (teleport-behaviour.md §5.1). */
export function minClientVersion(serverVersion: string): string {
  const major = Number.parseInt(serverVersion.split('.')[0] ?? '', 10);
  return `${Math.max(0, major - 1)}.0.0-aa`;
}

function signatureSuite(s: ProxySettings): string {
  return s.fips ? 'fips-v1' : 'balanced-v1';
}

/**
 * `proxy` settings. The double runs in TLS-routing mode (everything multiplexed on the web
 * port), so every public address is the web address; listen addresses are illustrative.
 */
function proxySettings(s: ProxySettings) {
  return {
    kube: { enabled: true, public_addr: s.addr, listen_addr: '0.0.0.0:3026' },
    ssh: {
      listen_addr: '0.0.0.0:3023',
      tunnel_listen_addr: '0.0.0.0:3024',
      web_listen_addr: '0.0.0.0:3080',
      public_addr: s.addr,
      ssh_public_addr: s.addr,
      ssh_tunnel_public_addr: s.addr,
      dial_timeout: 0,
    },
    db: {
      postgres_listen_addr: '0.0.0.0:3080',
      postgres_public_addr: s.addr,
      mysql_listen_addr: '0.0.0.0:3036',
      mysql_public_addr: s.addr,
      mongo_listen_addr: '0.0.0.0:3080',
      mongo_public_addr: s.addr,
    },
    tls_routing_enabled: true,
  };
}

/**
 * The fields shared by find and ping. teleport-behaviour.md §5.1: `server_version` has no `v`; legacy proxies
 * (before 17.0.1 / 16.4.10 / 15.4.24) have no `auto_update`, and no `edition`/`fips` either.
 */
function common(s: ProxySettings, auth: Record<string, unknown>, automaticUpgrades: boolean) {
  const body: Record<string, unknown> = {
    auth,
    proxy: proxySettings(s),
    server_version: s.serverVersion,
    min_client_version: minClientVersion(s.serverVersion),
    cluster_name: s.clusterName,
    automatic_upgrades: automaticUpgrades,
  };
  if (s.legacy) return body;
  body.edition = s.edition;
  body.fips = s.fips;
  body.auto_update = {
    tools_version: s.toolsVersion,
    tools_auto_update: s.toolsAutoUpdate,
    agent_version: s.serverVersion,
    agent_auto_update: false,
    agent_update_jitter_seconds: 60,
  };
  return body;
}

/**
 * teleport-behaviour.md §5.1: find fills only `auth.signature_algorithm_suite`; the AuthenticationSettings
 * fields without omitempty still appear as zero values. `automatic_upgrades` is always false.
 */
export function findResponse(s: ProxySettings): Record<string, unknown> {
  const auth: Record<string, unknown> = {
    type: '',
    private_key_policy: '',
    piv_slot: '',
    piv_pin_cache_duration: 0,
    has_motd: false,
    default_session_ttl: 0,
  };
  if (!s.legacy) auth.signature_algorithm_suite = signatureSuite(s);
  return common(s, auth, false);
}

/** teleport-behaviour.md §5.2: ping carries the full auth settings of the (local) auth connector. */
export function pingResponse(s: ProxySettings): Record<string, unknown> {
  const auth: Record<string, unknown> = {
    type: 'local',
    second_factor: 'on',
    preferred_local_mfa: 'webauthn',
    local: { name: '' },
    webauthn: { rp_id: s.addr.replace(/:\d+$/, '') },
    private_key_policy: 'none',
    // Device trust is an Enterprise feature.
    device_trust: { disabled: s.edition !== 'ent' },
    has_motd: false,
    load_all_cas: false,
    default_session_ttl: 12 * 3600 * 1e9, // Go time.Duration, in nanoseconds
  };
  if (!s.legacy) auth.signature_algorithm_suite = signatureSuite(s);
  return common(s, auth, false);
}
