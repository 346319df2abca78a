import { join } from 'node:path';
import type { AuthAction } from '../auth/run-auth';
import { parseBooleanInput } from '../inputs';
import { requireFeature } from '../tbot/features';

/** `auth`: an identity file for `tsh`/`tctl`, exported as TELEPORT_* (as the official action). */
export function authAction(version: string): AuthAction {
  let allowReissue = false;
  return {
    name: 'auth',
    version,
    readInputs(platform) {
      allowReissue = parseBooleanInput(platform, 'allow-reissue', false);
    },
    check(tbot) {
      if (allowReissue) requireFeature(tbot.version, 'allowReissue', 'allow-reissue');
    },
    configure({ dir, inputs }) {
      return {
        outputs: [
          {
            type: 'identity',
            destination: { type: 'directory', path: dir },
            roles: inputs.roles,
            ...(allowReissue ? { allow_reissue: true } : {}),
          },
        ],
      };
    },
    async publish({ platform, dir, inputs }) {
      const identity = join(dir, 'identity');
      platform.setOutput('identity-file', identity);
      platform.setOutput('ssh-config', join(dir, 'ssh_config'));
      if (!inputs.disableEnvVars) {
        platform.exportVariable('TELEPORT_PROXY', inputs.proxy.hostPort);
        platform.exportVariable('TELEPORT_AUTH_SERVER', inputs.proxy.hostPort);
        platform.exportVariable('TELEPORT_IDENTITY_FILE', identity);
      }
      return [['Identity file', identity]];
    },
  };
}

/** `auth-ssh`: an OpenSSH client config (`ssh -F`), with known_hosts and the certificate. */
export function authSshAction(version: string): AuthAction {
  return {
    name: 'auth-ssh',
    version,
    readInputs() {},
    configure({ dir, inputs }) {
      return {
        outputs: [
          {
            type: 'identity',
            destination: { type: 'directory', path: dir },
            roles: inputs.roles,
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
