import { InputError, UserError } from '../errors';
import type { Output, Service } from './config';
import { FEATURES, requireFeature, supports } from './features';

/**
 * What the configured outputs and services need of tbot, checked before it runs: a safety net
 * under each action's own `requires` (an output tbot does not know is silently dropped or
 * refused, teleport-behaviour.md §2.1, §7).
 */
export function checkConfigured(
  tbotVersion: string,
  roles: string[],
  items: Array<Output | Service>,
  action: string,
): void {
  for (const item of items) {
    if (item.type === 'kubernetes/v2') {
      requireFeature(tbotVersion, 'kubernetesV2', 'kubernetes-labels');
      // kubernetes/v2 has no `roles` field: tbot would use every role of the bot (§2.5).
      if (roles.length > 0) {
        throw new InputError(
          'roles',
          "cannot be combined with 'kubernetes-labels': tbot's kubernetes/v2 output has no roles and uses all of the bot's roles; remove 'roles', or name one cluster with 'kubernetes-cluster'",
        );
      }
    }
    if (item.type === 'identity' && item.allow_reissue) {
      requireFeature(tbotVersion, 'allowReissue', 'allow-reissue');
    }
    if (item.type === 'application-proxy') requireFeature(tbotVersion, 'applicationProxy', action);
  }
}

/**
 * A bound_keypair registration secret in TBOT_REGISTRATION_SECRET is read only from 18.2.10
 * (teleport-behaviour.md §2.2): an older tbot ignores it and its first join fails for want of one.
 */
export function checkRegistrationSecretEnv(
  env: NodeJS.ProcessEnv,
  tbotVersion: string,
  method: string,
): void {
  if (method !== 'bound_keypair' || !env.TBOT_REGISTRATION_SECRET) return;
  if (supports(tbotVersion, 'registrationSecretEnv')) return;
  const since = FEATURES.registrationSecretEnv.since[0];
  throw new UserError(
    `TBOT_REGISTRATION_SECRET is read by tbot from ${since}; this job has tbot ${tbotVersion}, which would ignore it: install ${since} or newer, or register a keypair made with 'tbot keypair create' in advance`,
  );
}
