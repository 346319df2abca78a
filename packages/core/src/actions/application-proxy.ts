import type { AuthAction, BackgroundSettings } from '../auth/run-auth';
import { InputError } from '../errors';
import { listInput } from '../inputs';
import { readBackgroundSettings, readListen } from './tunnel-inputs';

interface ApplicationProxySettings {
  listen: URL;
  background: BackgroundSettings;
}

/**
 * `application-proxy`: a local HTTP proxy, served by tbot in the background, through which
 * the job reaches every HTTP application the bot may (`http_proxy=<uri> curl http://<app>/`).
 * tbot's service takes only `listen`: no app name, no roles (it uses all the bot's roles).
 */
export function applicationProxyAction(version: string): AuthAction<ApplicationProxySettings> {
  return {
    name: 'application-proxy',
    version,
    readInputs: (platform) => {
      const listen = readListen(platform, 'tcp://127.0.0.1:8080');
      if (listen.protocol !== 'tcp:') {
        // An HTTP proxy is reached over TCP: http_proxy cannot name a socket.
        throw new InputError(
          'listen',
          `'${listen.href}' is a socket: the application proxy is an HTTP proxy, give tcp://<host>:<port>, e.g. tcp://127.0.0.1:8080`,
        );
      }
      if (listInput(platform, 'roles').length > 0) {
        throw new InputError(
          'roles',
          "the application-proxy service has no roles: it uses all the bot's roles; remove 'roles' (or use application-tunnel, which takes them)",
        );
      }
      return { listen, background: readBackgroundSettings(platform) };
    },
    background: (settings) => settings.background,
    requires: () => [
      { feature: 'applicationProxy', input: 'listen' },
      // Readiness is awaited on tbot's `/wait`, as for the tunnels.
      { feature: 'tunnels', input: 'listen' },
    ],
    configure(_ctx, { listen }) {
      return { outputs: [], services: [{ type: 'application-proxy', listen: listen.href }] };
    },
    async publish({ platform }, { listen }) {
      platform.setOutput('application-proxy-uri', listen.href);
      platform.setOutput('application-proxy-port', listen.port);
      return [['HTTP proxy', `${proxyUrl(listen)} (set http_proxy to reach applications)`]];
    },
  };
}

/** The address clients put in `http_proxy`. */
export function proxyUrl(listen: URL): string {
  return `http://${listen.host}`;
}
