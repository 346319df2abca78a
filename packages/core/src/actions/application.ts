import { join } from 'node:path';
import { requiredInput } from '../auth/inputs';
import type { AuthAction } from '../auth/run-auth';

/** `auth-app`: a client certificate for an application behind Teleport. */
export function authAppAction(version: string): AuthAction {
  let app = '';
  return {
    name: 'auth-app',
    version,
    readInputs(platform) {
      app = requiredInput(
        platform,
        'app',
        'name the Teleport application, as `tsh apps ls` shows it',
      );
    },
    configure({ dir, inputs }) {
      return {
        outputs: [
          {
            type: 'application',
            destination: { type: 'directory', path: dir },
            roles: inputs.roles,
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
