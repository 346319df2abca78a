import { join } from 'node:path';
import type { AuthAction } from '../auth/run-auth';
import { readAppInput } from './app-input';

/** `auth-app`: a client certificate for an application behind Teleport. */
export function authAppAction(version: string): AuthAction<{ app: string }> {
  return {
    name: 'auth-app',
    version,
    readInputs: (platform) => ({
      app: readAppInput(platform),
    }),
    configure({ dir, auth }, { app }) {
      return {
        outputs: [
          {
            type: 'application',
            destination: { type: 'directory', path: dir },
            roles: auth.roles,
            app_name: app,
          },
        ],
      };
    },
    async publish({ platform, dir }) {
      const cert = join(dir, 'tlscert');
      platform.setOutput('certificate-file', cert);
      platform.setOutput('key-file', join(dir, 'key'));
      platform.setOutput('identity-file', join(dir, 'identity'));
      return [
        ['Certificate', cert],
        ['Key', join(dir, 'key')],
      ];
    },
  };
}
