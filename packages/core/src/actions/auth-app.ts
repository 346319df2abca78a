import { join } from 'node:path';
import type { AuthAction } from '../auth/run-auth';
import { requiredInput } from '../inputs';

/** `auth-app`: a client certificate for an application behind Teleport. */
export function authAppAction(version: string): AuthAction<{ app: string }> {
  return {
    name: 'auth-app',
    version,
    readInputs: (platform) => ({
      app: requiredInput(
        platform,
        'app',
        'name the Teleport application, as `tsh apps ls` shows it',
      ),
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
