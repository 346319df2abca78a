import { join } from 'node:path';
import type { AuthAction } from '../auth/run-auth';

/** `auth-ssh`: an OpenSSH client config (`ssh -F`), with known_hosts and the certificate. */
export function authSshAction(version: string): AuthAction<undefined> {
  return {
    name: 'auth-ssh',
    version,
    readInputs: () => undefined,
    configure({ dir, auth }) {
      return {
        outputs: [
          {
            type: 'identity',
            destination: { type: 'directory', path: dir },
            roles: auth.roles,
            ssh_config: 'on',
          },
        ],
      };
    },
    async publish({ platform, dir }) {
      const sshConfig = join(dir, 'ssh_config');
      platform.setOutput('ssh-config', sshConfig);
      platform.setOutput('known-hosts', join(dir, 'known_hosts'));
      platform.setOutput('identity-file', join(dir, 'identity'));
      return [['ssh config', sshConfig]];
    },
  };
}
