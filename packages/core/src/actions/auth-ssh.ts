import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuthAction } from '../auth/run-auth';
import { sshTroubleshooting } from './ssh-troubleshooting';

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
      // The summary's cluster list only: a config tbot did not write leaves it out.
      let text = '';
      try {
        text = readFileSync(sshConfig, 'utf8');
      } catch {
        // no ssh_config: no cluster row
      }
      const clusters = sshConfigClusters(text);
      const rows: Array<[string, string]> = [['ssh config', sshConfig]];
      if (clusters.length > 0) {
        const [root, ...leaves] = clusters;
        rows.push(['SSH clusters', [root, ...leaves.map((l) => `${l} (trusted leaf)`)].join(', ')]);
        // Every platform's log says it (the CLI has no job summary).
        if (leaves.length > 0) {
          platform.log.info(
            `The ssh config also reaches trusted leaf clusters through ${root}'s proxy: ${leaves.map((l) => `<node>.${l}`).join(', ')}`,
          );
        }
      }
      return rows;
    },
    troubleshooting: sshTroubleshooting,
  };
}

/**
 * The clusters tbot's ssh_config covers, the cluster tbot joined first, then each trusted
 * leaf cluster the bot's roles may see (tbot writes a `Host *.<cluster> <proxy>` block per
 * cluster). Names outside DNS characters are left out: they come from the server and end up
 * in the job summary.
 */
export function sshConfigClusters(sshConfig: string): string[] {
  const names: string[] = [];
  for (const m of sshConfig.matchAll(/^Host \*\.(\S+) (?!!)\S+\s*$/gm)) {
    const name = m[1] ?? '';
    if (/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) && !names.includes(name)) names.push(name);
  }
  return names;
}
