import {
  type AuthAction,
  applicationProxyAction,
  applicationTunnelAction,
  authAction,
  authAppAction,
  authK8sAction,
  authSshAction,
  databaseTunnelAction,
  parseJoinMethodInput,
  runAuth,
  UserError,
} from '@teleport-actions/core/teleport-ci';
import pkg from '../../package.json' with { type: 'json' };
import type { CommandContext } from '../command-context';
import { deliverResults } from '../results';

/** The commands that mirror an auth action, by name. */
export const AUTH_ACTIONS: Record<string, (version: string) => AuthAction> = {
  auth: authAction,
  'auth-ssh': authSshAction,
  'auth-k8s': authK8sAction,
  'auth-app': authAppAction,
  'auth-application': (version) => authAppAction(version, 'auth-application'),
  'database-tunnel': databaseTunnelAction,
  'application-tunnel': applicationTunnelAction,
  'application-proxy': applicationProxyAction,
};

/** `teleport-ci auth|auth-ssh|...`: the action's flow, then its results to the job. */
export async function runAuthCommand(ctx: CommandContext): Promise<void> {
  const { command, platform, ci } = ctx;
  const method = platform.getInput('join-method') || ci.joinMethod;
  if (!method) {
    throw new UserError(
      `--join-method is required on ${ci.name === 'local' ? 'this machine' : ci.name} (no CI ID token to use): e.g. --join-method bound_keypair`,
    );
  }
  parseJoinMethodInput(method);
  await runAuth(platform, AUTH_ACTIONS[command]!(pkg.version));
  await deliverResults(ctx);
}
