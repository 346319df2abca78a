import type { AuthAction, BackgroundSettings } from '../auth/run-auth';
import { requiredInput } from '../inputs';
import { readBackgroundSettings, readListen } from './tunnel-inputs';

interface DatabaseTunnelSettings {
  listen: URL;
  service: string;
  database: string;
  username: string;
  background: BackgroundSettings;
}

/** `database-tunnel`: a local port to a database, served by tbot in the background. */
export function databaseTunnelAction(version: string): AuthAction<DatabaseTunnelSettings> {
  return {
    name: 'database-tunnel',
    version,
    leafRefused: 'databases',
    readInputs: (platform) => ({
      listen: readListen(platform, 'tcp://127.0.0.1:5432'),
      service: requiredInput(
        platform,
        'service',
        'name the Teleport database, as `tsh db ls` shows it',
      ),
      database: requiredInput(
        platform,
        'database',
        'name the database to connect to inside the database server',
      ),
      username: requiredInput(platform, 'username', 'name the database user to connect as'),
      background: readBackgroundSettings(platform),
    }),
    background: (settings) => settings.background,
    requires: () => [{ feature: 'tunnels', input: 'service' }],
    configure({ auth }, { listen, service, database, username }) {
      return {
        outputs: [],
        services: [
          {
            type: 'database-tunnel',
            listen: listen.href,
            service,
            database,
            username,
            roles: auth.roles,
          },
        ],
      };
    },
    async publish({ platform }, { listen, service, database, username }) {
      platform.setOutput('database-tunnel-uri', listen.href);
      platform.setOutput('database-tunnel-port', listen.port);
      return [['Tunnel', `${listen.href} → ${service}/${database} as ${username}`]];
    },
  };
}
