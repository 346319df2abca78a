// FromCLIConf (lib/tbot/config/config.go, teleport-behaviour.md §1.2): read the file given with -c (or the
// base64 TBOT_CONFIG), then let command-line values override it, then validate the result
// ("validating merged bot config"). The `start <kind>` forms (17+) add one service.
import { readFile } from 'node:fs/promises';
import type { Features } from '../build';
import type { Parsed } from '../cli/parse';
import { TbotError, wrap } from '../errors';
import { log } from '../log';
import { readConfig } from './read';
import { type BotConfig, type Destination, emptyConfig, type ServiceConfig } from './types';
import { checkAndSetDefaults } from './validate';

/** destinationFromURI: `file:///p` or a bare path, `memory://`, `kubernetes-secret:///name`. */
export function destinationFromUri(text: string, what = '--data-dir'): Destination {
  let url: URL | undefined;
  try {
    url = /^[a-z][a-z0-9+.-]*:/i.test(text) ? new URL(text) : undefined;
  } catch (err) {
    throw wrap(err, `parsing ${what}`);
  }
  if (!url) return { type: 'directory', path: text };
  switch (url.protocol) {
    case 'file:':
      if (url.host !== '')
        throw new TbotError('file-backed data storage must be on the local host');
      return { type: 'directory', path: decodeURIComponent(url.pathname) };
    case 'memory:':
      if (url.host !== '' || (url.pathname !== '' && url.pathname !== '/')) {
        throw new TbotError('memory-backed data storage should not have host or path specified');
      }
      return { type: 'memory' };
    case 'kubernetes-secret:':
      return { type: 'kubernetes_secret', name: url.pathname.replace(/^\/+/, '') };
    default:
      throw new TbotError('unrecognized data storage scheme');
  }
}

const overriding = () => log.warn('TBOT', 'CLI parameters are overriding configuration');

async function loadFile(p: Parsed, f: Features): Promise<BotConfig> {
  const configPath = typeof p.flags.config === 'string' ? p.flags.config : '';
  const configString = typeof p.flags['config-string'] === 'string' ? p.flags['config-string'] : '';
  if (configPath && configString) {
    throw new TbotError('cannot specify both config and config-string');
  }
  if (configString) {
    const text = Buffer.from(configString, 'base64').toString('utf8');
    try {
      return readConfig(text, f);
    } catch (err) {
      throw wrap(err, 'loading bot config from string');
    }
  }
  if (!configPath) return emptyConfig();
  let text: string;
  try {
    text = await readFile(configPath, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const cause = e.code === 'ENOENT' ? `open ${configPath}: no such file or directory` : e.message;
    throw new TbotError(cause)
      .wrap(`failed to open file: ${configPath}`)
      .wrap(`loading bot config from path ${configPath}`);
  }
  try {
    return readConfig(text, f);
  } catch (err) {
    throw wrap(err, `loading bot config from path ${configPath}`);
  }
}

function flag(p: Parsed, name: string): string | undefined {
  const v = p.flags[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The service a `start <kind>` / `configure <kind>` form adds (teleport-behaviour.md §1.3). */
function kindService(kind: string, p: Parsed): ServiceConfig {
  const dest = () => {
    const text = flag(p, 'destination') ?? '';
    const d = destinationFromUri(text, '--destination');
    const readers = [
      ...((p.flags['reader-user'] as string[] | undefined) ?? []).map((user) => ({ user })),
      ...((p.flags['reader-group'] as string[] | undefined) ?? []).map((group) => ({ group })),
    ];
    if (readers.length > 0) {
      if (d.type !== 'directory') {
        throw new TbotError(
          '--reader-user and --reader-group are only compatible with file destinations',
        );
      }
      d.readers = readers;
    }
    return d;
  };
  const base = { list: 'services' as const };
  switch (kind) {
    case 'identity':
      return {
        ...base,
        type: 'identity',
        destination: dest(),
        ...(flag(p, 'cluster') ? { cluster: flag(p, 'cluster') } : {}),
        ...(p.flags['allow-reissue'] === true ? { allow_reissue: true } : {}),
      };
    case 'database':
      return {
        ...base,
        type: 'database',
        destination: dest(),
        service: flag(p, 'service'),
        username: flag(p, 'username'),
        database: flag(p, 'database'),
        ...(flag(p, 'format') ? { format: flag(p, 'format') } : {}),
      };
    case 'kubernetes':
      return {
        ...base,
        type: 'kubernetes',
        destination: dest(),
        kubernetes_cluster: flag(p, 'kubernetes-cluster'),
        disable_exec_plugin: p.flags['disable-exec-plugin'] === true,
      };
    case 'kubernetes/v2': {
      const names = (p.flags['name-selector'] as string[] | undefined) ?? [];
      const labels = (p.flags['label-selector'] as string[] | undefined) ?? [];
      if (names.length === 0 && labels.length === 0) {
        throw new TbotError('at least one name-selector or label-selector must be provided');
      }
      return {
        ...base,
        type: 'kubernetes/v2',
        destination: dest(),
        disable_exec_plugin: p.flags['disable-exec-plugin'] === true,
        selectors: [
          ...names.map((name) => ({ name })),
          ...labels.map((l) => ({
            labels: Object.fromEntries(l.split(',').map((kv) => kv.split('=') as [string, string])),
          })),
        ],
      };
    }
    case 'application':
      return {
        ...base,
        type: 'application',
        destination: dest(),
        app_name: flag(p, 'app'),
        specific_tls_naming: p.flags['specific-tls-extensions'] === true,
      };
    case 'application-tunnel':
      return {
        ...base,
        type: 'application-tunnel',
        listen: flag(p, 'listen'),
        app_name: flag(p, 'app'),
      };
    case 'database-tunnel':
      return {
        ...base,
        type: 'database-tunnel',
        listen: flag(p, 'listen'),
        service: flag(p, 'service'),
        username: flag(p, 'username'),
        database: flag(p, 'database'),
      };
    case 'application-proxy':
      return { ...base, type: 'application-proxy', listen: flag(p, 'listen') };
    default:
      throw new TbotError(
        `"tbot start ${kind}" is not implemented by this Teleport double stand-in`,
      );
  }
}

/** The merged, validated config of `tbot start ...` / `tbot configure ...`. */
export async function configFromCli(p: Parsed, f: Features): Promise<BotConfig> {
  const cfg = await loadFile(p, f);
  const kind = p.path[1] && p.path[1] !== 'legacy' ? p.path[1] : undefined;

  if (p.flags.debug === true) cfg.debug = true;
  if (p.flags.oneshot === true) cfg.oneshot = true;
  const auth = flag(p, 'auth-server');
  if (auth) {
    if (cfg.auth_server) overriding();
    cfg.auth_server = auth;
  }
  const proxy = flag(p, 'proxy-server');
  if (proxy) {
    if (cfg.proxy_server) overriding();
    cfg.proxy_server = proxy;
  }
  if (typeof p.flags['certificate-ttl'] === 'number' && p.flags['certificate-ttl'] !== 0) {
    if (cfg.certificate_ttl || cfg.credential_ttl) overriding();
    cfg.certificate_ttl = p.flags['certificate-ttl'];
    cfg.credential_ttl = undefined;
  }
  if (typeof p.flags['renewal-interval'] === 'number' && p.flags['renewal-interval'] !== 0) {
    if (cfg.renewal_interval) overriding();
    cfg.renewal_interval = p.flags['renewal-interval'];
  }
  const dataDir = flag(p, 'data-dir') ?? flag(p, 'storage');
  if (dataDir) {
    if (cfg.storage) overriding();
    cfg.storage = destinationFromUri(dataDir, flag(p, 'data-dir') ? '--data-dir' : '--storage');
  }
  const destinationDir = flag(p, 'destination-dir');
  if (destinationDir) {
    // --destination-dir replaces the configured outputs with one identity output (teleport-behaviour.md §1.2).
    if (cfg.services.some((s) => s.list === 'outputs')) overriding();
    cfg.services = [
      ...cfg.services.filter((s) => s.list !== 'outputs'),
      {
        type: 'identity',
        list: 'outputs',
        destination: { type: 'directory', path: destinationDir },
      },
    ];
  }
  const token = flag(p, 'token');
  const joinMethod = flag(p, 'join-method');
  const pins = (p.flags['ca-pin'] as string[] | undefined) ?? [];
  if (token || joinMethod || (p.explicit.has('ca-pin') && pins.length > 0)) {
    if (Object.keys(cfg.onboarding).length > 0) overriding();
    cfg.onboarding = {
      ...(token ? { token } : {}),
      ...(joinMethod ? { join_method: joinMethod } : {}),
      ...(pins.length > 0 ? { ca_pins: pins } : {}),
    };
  }
  if (p.flags.fips === true) cfg.fips = true;
  const diag = flag(p, 'diag-addr');
  if (diag) {
    if (cfg.diag_addr) overriding();
    cfg.diag_addr = diag;
  }
  if (kind) cfg.services.push(kindService(kind, p));
  try {
    checkAndSetDefaults(cfg, f);
  } catch (err) {
    // v16 wraps (FromCLIConf); v17's LoadConfigWithMutators does not (lib/tbot/cli/cli.go).
    throw f.validatingMergedWrapper ? wrap(err, 'validating merged bot config') : err;
  }
  if (p.flags.insecure === true) cfg.insecure = true;
  return cfg;
}
