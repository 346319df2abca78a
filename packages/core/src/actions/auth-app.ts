import { join } from 'node:path';
import type { AuthAction } from '../auth/run-auth';
import { readAppInput } from './app-input';

/**
 * `auth-app`: a client certificate for an application behind Teleport. Also shipped as
 * `auth-application`, the official action's name (same inputs and outputs).
 */
export function authAppAction(
  version: string,
  name: 'auth-app' | 'auth-application' = 'auth-app',
): AuthAction<{ app: string }> {
  return {
    name,
    version,
    leafRefused: 'applications',
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
