import { join } from 'node:path';
import type { AuthAction } from '../auth/run-auth';

/** The variable naming the OpenSSH config for `ssh -F`, on every platform. */
export const SSH_CONFIG_VARIABLE = 'TELEPORT_SSH_CONFIG';

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
    async publish({ platform, dir, auth }) {
      const sshConfig = join(dir, 'ssh_config');
      platform.setOutput('ssh-config', sshConfig);
      // One name on every platform (the GitLab component's too); the CLI also keeps the
      // output's own TELEPORT_CI_SSH_CONFIG.
      if (!auth.disableEnvVars) platform.exportVariable(SSH_CONFIG_VARIABLE, sshConfig);
      platform.setOutput('known-hosts', join(dir, 'known_hosts'));
      platform.setOutput('identity-file', join(dir, 'identity'));
      return [['ssh config', sshConfig]];
    },
  };
}
