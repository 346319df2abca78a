import { requiredInput } from '../auth/inputs';
import type { AuthAction } from '../auth/run-auth';
import { InputError } from '../errors';
import type { CiPlatform } from '../platform/platform';
import { requireFeature } from '../tbot/features';

const DEFAULT_DIAG_PORT = 57263; // the official actions' default (facts §5.4)
const DEFAULT_TIMEOUT_MS = 30_000;

/** A `listen` URI: `tcp://host:port` (or `unix:///path`). */
export function parseListen(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError('listen', `'${raw}' is not a URI: use e.g. tcp://127.0.0.1:5432`);
  }
  if (url.protocol === 'unix:') return url;
  if (url.protocol !== 'tcp:' || !url.port || url.pathname.replace(/\/$/, '') !== '') {
    throw new InputError(
      'listen',
      `'${raw}' must be tcp://<host>:<port> or unix:///<path>, e.g. tcp://127.0.0.1:5432`,
    );
  }
  return url;
}

function intInput(platform: CiPlatform, name: string, fallback: number, max: number): number {
  const raw = platform.getInput(name);
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > max) {
    throw new InputError(name, `'${raw}' is not a whole number from 0 to ${max}`);
  }
  return n;
}

function backgroundSettings(platform: CiPlatform) {
  const port = intInput(platform, 'diag-port', DEFAULT_DIAG_PORT, 65535);
  return {
    diagAddr: `127.0.0.1:${port}`,
    timeoutMs: intInput(platform, 'timeout-ms', DEFAULT_TIMEOUT_MS, 3_600_000),
  };
}

/** `database-tunnel`: a local port to a database, served by tbot in the background. */
export function databaseTunnelAction(version: string): AuthAction {
  let listen: URL;
  let service = '';
  let database = '';
  let username = '';
  return {
    name: 'database-tunnel',
    version,
    readInputs(platform) {
      listen = parseListen(
        requiredInput(platform, 'listen', 'give a local address, e.g. tcp://127.0.0.1:5432'),
      );
      service = requiredInput(
        platform,
        'service',
        'name the Teleport database, as `tsh db ls` shows it',
      );
      database = requiredInput(
        platform,
        'database',
        'name the database to connect to inside the database server',
      );
      username = requiredInput(platform, 'username', 'name the database user to connect as');
      backgroundSettings(platform);
    },
    background: backgroundSettings,
    check(tbot) {
      requireFeature(tbot.version, 'tunnels', 'service');
    },
    configure({ inputs }) {
      return {
        outputs: [],
        services: [
          {
            type: 'database-tunnel',
            listen: listen.href,
            service,
            database,
            username,
            roles: inputs.roles,
          },
        ],
      };
    },
    async publish({ platform }) {
      platform.setOutput('database-tunnel-uri', listen.href);
      platform.setOutput('database-tunnel-port', listen.port);
      return [['Tunnel', `${listen.href} → ${service}/${database} as ${username}`]];
    },
  };
}

/** `application-tunnel`: a local port to an application, served by tbot in the background. */
export function applicationTunnelAction(version: string): AuthAction {
  let listen: URL;
  let app = '';
  return {
    name: 'application-tunnel',
    version,
    readInputs(platform) {
      app = requiredInput(
        platform,
        'app',
        'name the Teleport application, as `tsh apps ls` shows it',
      );
      listen = parseListen(
        requiredInput(platform, 'listen', 'give a local address, e.g. tcp://127.0.0.1:8080'),
      );
      backgroundSettings(platform);
    },
    background: backgroundSettings,
    check(tbot) {
      requireFeature(tbot.version, 'tunnels', 'app');
    },
    configure({ inputs }) {
      return {
        outputs: [],
        services: [
          { type: 'application-tunnel', listen: listen.href, app_name: app, roles: inputs.roles },
        ],
      };
    },
    async publish({ platform }) {
      platform.setOutput('application-tunnel-uri', listen.href);
      platform.setOutput('application-tunnel-port', listen.port);
      return [['Tunnel', `${listen.href} → ${app}`]];
    },
  };
}
