import type { AuthAction, BackgroundSettings } from '../auth/run-auth';
import { readAppInput } from './app-input';
import { readBackgroundSettings, readListen } from './tunnel-inputs';

interface ApplicationTunnelSettings {
  app: string;
  listen: URL;
  background: BackgroundSettings;
}

/** `application-tunnel`: a local port to an application, served by tbot in the background. */
export function applicationTunnelAction(version: string): AuthAction<ApplicationTunnelSettings> {
  return {
    name: 'application-tunnel',
    version,
    leafRefused: 'applications',
    readInputs: (platform) => ({
      app: readAppInput(platform),
      listen: readListen(platform, 'tcp://127.0.0.1:8080'),
      background: readBackgroundSettings(platform),
    }),
    background: (settings) => settings.background,
    requires: () => [{ feature: 'tunnels', input: 'app' }],
    configure({ auth }, { app, listen }) {
      return {
        outputs: [],
        services: [
          { type: 'application-tunnel', listen: listen.href, app_name: app, roles: auth.roles },
        ],
      };
    },
    async publish({ platform }, { app, listen }) {
      platform.setOutput('application-tunnel-uri', listen.href);
      platform.setOutput('application-tunnel-port', listen.port);
      return [['Tunnel', `${listen.href} → ${app}`]];
    },
  };
}
