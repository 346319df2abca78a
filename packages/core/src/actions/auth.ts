import { join } from 'node:path';
import type { AuthAction } from '../auth/run-auth';
import { parseBooleanInput, textInput } from '../inputs';
import { sshTroubleshooting } from './ssh-troubleshooting';

/** `auth`: an identity file for `tsh`/`tctl`, exported as TELEPORT_* (as the official action). */
export function authAction(version: string): AuthAction<{ allowReissue: boolean }> {
  return {
    name: 'auth',
    version,
    readInputs: (platform) => ({
      allowReissue: parseBooleanInput(platform, 'allow-reissue', false),
    }),
    requires: ({ allowReissue }) =>
      allowReissue ? [{ feature: 'allowReissue', input: 'allow-reissue' }] : [],
    configure({ dir, auth }, { allowReissue }) {
      return {
        outputs: [
          {
            type: 'identity',
            destination: { type: 'directory', path: dir },
            roles: auth.roles,
            ...(allowReissue ? { allow_reissue: true } : {}),
          },
        ],
      };
    },
    async publish({ platform, dir, auth }) {
      const identity = join(dir, 'identity');
      platform.setOutput('identity-file', identity);
      platform.setOutput('ssh-config', join(dir, 'ssh_config'));
      if (!auth.disableEnvVars) {
        // As the user wrote it (the official action does the same): `teleport.example.com`
        // stays without the `:443` tbot is given, so a later `tsh` sees the address the
        // workflow names.
        const written = textInput(platform, 'proxy') || auth.proxy.hostPort;
        platform.exportVariable('TELEPORT_PROXY', written);
        platform.exportVariable('TELEPORT_AUTH_SERVER', written);
        platform.exportVariable('TELEPORT_IDENTITY_FILE', identity);
      }
      return [['Identity file', identity]];
    },
    troubleshooting: sshTroubleshooting,
  };
}
