// BotConfig.CheckAndSetDefaults and the per-service checks, with tbot's messages (teleport-behaviour.md §2.3,
// §2.4, §2.5; lib/tbot/config/*.go and lib/tbot/services/*/ in v18), and preRunChecks
// (lib/tbot/tbot.go).
import type { BuildInfo, Features } from '../build';
import { TbotError } from '../errors';
import { log } from '../log';
import { HOUR, MINUTE } from './duration';
import type { BotConfig, Destination, ServiceConfig } from './types';

export const DEFAULT_CERTIFICATE_TTL = 60 * MINUTE;
export const DEFAULT_RENEWAL_INTERVAL = 20 * MINUTE;
/** MaxRenewableCertTTL (teleport-behaviour.md §2.3). */
export const MAX_CERT_TTL = 24 * HOUR;

const bad = (m: string) => new TbotError(m);

function checkDestination(d: Destination | undefined): void {
  if (!d) throw bad('no destination configured for output');
  try {
    if (d.type === 'directory') {
      if (!d.path) throw bad('destination path must not be empty');
      if (d.symlinks && !['try-secure', 'secure', 'insecure'].includes(d.symlinks)) {
        throw bad(`invalid symlinks mode: "${d.symlinks}"`);
      }
      if (d.acls && !['try', 'off', 'required'].includes(d.acls)) {
        throw bad(`invalid acls mode: "${d.acls}"`);
      }
    } else if (d.type === 'kubernetes_secret' && !d.name) {
      throw bad('name must not be empty');
    }
  } catch (err) {
    throw (err as TbotError).wrap('validating destination');
  }
}

function checkLifetime(s: ServiceConfig): void {
  const ttl = s.credential_ttl;
  const interval = s.renewal_interval;
  if ((ttl === undefined) !== (interval === undefined)) {
    throw bad('credential_ttl and renewal_interval must both be specified if either is');
  }
  if (ttl !== undefined && ttl < 0) throw bad('credential_ttl must be positive');
  if (interval !== undefined && interval < 0) throw bad('renewal_interval must be positive');
}

function checkService(s: ServiceConfig): void {
  const needsDestination = !['database-tunnel', 'application-tunnel', 'application-proxy'].includes(
    s.type,
  );
  if (needsDestination) checkDestination(s.destination);
  checkLifetime(s);
  switch (s.type) {
    case 'identity': {
      const mode = s.ssh_config ?? '';
      if (mode === '') s.ssh_config = 'on';
      else if (mode !== 'on' && mode !== 'off') {
        throw bad(`ssh_config: unrecognized value "${mode}"`);
      }
      break;
    }
    case 'application':
      if (!s.app_name) throw bad('app_name must not be empty');
      break;
    case 'database':
      if (!s.service) throw bad('service must not be empty');
      if (s.format && !['tls', 'mongo', 'cockroach'].includes(s.format)) {
        throw bad(`unrecognized format (${s.format})`);
      }
      break;
    case 'kubernetes':
      if (!s.kubernetes_cluster) throw bad('kubernetes_cluster must not be empty');
      break;
    case 'kubernetes/v2': {
      const selectors = s.selectors ?? [];
      if (selectors.length === 0) throw bad('at least one selector must be provided');
      for (const sel of selectors) {
        const hasName = !!sel.name;
        const hasLabels = !!sel.labels && Object.keys(sel.labels).length > 0;
        if (!hasName && !hasLabels) {
          throw bad(`selectors: one of 'name' and 'labels' must be specified`);
        }
        if (hasName && hasLabels) {
          throw bad(`selectors: only one of 'name' and 'labels' may be specified`);
        }
      }
      break;
    }
    case 'database-tunnel':
      if (!s.listen) throw bad('listen: should not be empty');
      if (!s.service) throw bad('service: should not be empty');
      if (!s.database) throw bad('database: should not be empty');
      if (!s.username) throw bad('username: should not be empty');
      break;
    case 'application-tunnel':
      if (!s.listen) throw bad('listen: should not be empty');
      if (!s.app_name) throw bad('app_name: should not be empty');
      break;
    case 'application-proxy':
      if (!s.listen) throw bad('listen: should not be empty');
      break;
    default:
      break;
  }
}

/** BotConfig.CheckAndSetDefaults (wrapped by the caller as "validating merged bot config"). */
export function checkAndSetDefaults(cfg: BotConfig, f: Features): void {
  if (cfg.storage?.type === 'directory' || cfg.storage?.type === 'kubernetes_secret') {
    checkDestination(cfg.storage);
  }
  cfg.storage ??= { type: 'directory', path: '/var/lib/teleport/bot' };
  const names = new Set<string>();
  cfg.services.forEach((s, i) => {
    try {
      checkService(s);
      if (f.serviceNames && s.name) {
        if (names.has(s.name)) throw bad(`duplicate name: "${s.name}"`);
        names.add(s.name);
      }
    } catch (err) {
      throw (err as TbotError).wrap(`validating service[${i}]`);
    }
  });
  if (cfg.certificate_ttl !== undefined && cfg.certificate_ttl < 0) {
    throw bad(
      f.credentialTtl ? 'credential_ttl must be positive' : 'certificate_ttl must be positive',
    );
  }
  if (cfg.credential_ttl !== undefined && cfg.credential_ttl < 0) {
    throw bad('credential_ttl must be positive');
  }
  if (cfg.renewal_interval !== undefined && cfg.renewal_interval < 0) {
    throw bad('renewal_interval must be positive');
  }
  if (f.credentialTtl && cfg.certificate_ttl !== undefined) {
    log.warn(
      'TBOT',
      'Config option certificate_ttl is deprecated and will be removed in a future release. Please use credential_ttl instead.',
    );
    cfg.credential_ttl ??= cfg.certificate_ttl;
  }
  const ttl = cfg.credential_ttl ?? cfg.certificate_ttl ?? DEFAULT_CERTIFICATE_TTL;
  cfg.credential_ttl = ttl;
  cfg.certificate_ttl = ttl;
  cfg.renewal_interval ??= DEFAULT_RENEWAL_INTERVAL;
  const method = cfg.onboarding.join_method ?? '';
  if (method !== '' && !f.joinMethods.includes(method)) {
    throw bad(`unrecognized join method: "${method}"`);
  }
  const pins = cfg.onboarding.ca_pins ?? [];
  if (cfg.insecure) {
    if (pins.length > 0) throw bad('the option ca-pin is mutually exclusive with --insecure');
    if (cfg.onboarding.ca_path)
      throw bad('the option ca-path is mutually exclusive with --insecure');
  } else if (pins.length > 0 && cfg.onboarding.ca_path) {
    throw bad('the options ca-pin and ca-path are mutually exclusive');
  }
  if (!cfg.oneshot && cfg.renewal_interval > ttl) {
    log.warn(
      'TBOT',
      `${f.credentialTtl ? 'Credential' : 'Certificate'} TTL is shorter than the renewal interval. This is likely an invalid configuration. Increase the ${f.credentialTtl ? 'credential' : 'certificate'} TTL or decrease the renewal interval`,
    );
  }
  if (ttl > MAX_CERT_TTL) {
    log.warn(
      'TBOT',
      'Requested certificate TTL exceeds the maximum TTL allowed and will likely be reduced by the Teleport server',
    );
  }
}

/** The proxy (or auth) address tbot dials, after preRunChecks. */
export interface Address {
  addr: string;
  kind: 'proxy' | 'auth';
}

/** Bot.preRunChecks (lib/tbot/tbot.go): address, FIPS, join method. */
export function preRunChecks(cfg: BotConfig, build: BuildInfo, f: Features): Address {
  let address: Address | undefined;
  if (cfg.auth_server && cfg.proxy_server) {
    // v15-v17: Address() reports "unspecified" for both (teleport-behaviour.md §2.3); v18 prefers the proxy.
    if (!f.rejectBothAddresses) address = { addr: cfg.proxy_server, kind: 'proxy' };
  } else if (cfg.proxy_server) {
    address = { addr: cfg.proxy_server, kind: 'proxy' };
  } else if (cfg.auth_server) {
    address = { addr: cfg.auth_server, kind: 'auth' };
  }
  if (!address) {
    throw bad(
      'either a proxy or auth address must be set using --proxy-server, --auth-server or configuration',
    );
  }
  if (process.env.TBOT_USE_PROXY_ADDR === 'yes' && !cfg.proxy_server) {
    throw bad(
      'TBOT_USE_PROXY_ADDR requires that a proxy address is set using --proxy-server or proxy_server',
    );
  }
  if (cfg.fips && build.edition !== 'fips') {
    throw bad('fips mode enabled but binary was not compiled with boringcrypto');
  }
  if (!cfg.onboarding.join_method) throw bad('join method must be provided');
  return address;
}
