import { describe, expect, it } from 'vitest';
import type { Output } from './config';
import { checkConfigured, checkRegistrationSecretEnv } from './requirements';

const labels: Output = {
  type: 'kubernetes/v2',
  destination: { type: 'memory' },
  selectors: [{ labels: { env: 'prod' } }],
};

describe('what the configured outputs need of tbot (teleport-behaviour.md §2.5, §7)', () => {
  it('kubernetes/v2 has no roles: roles with kubernetes-labels are refused', () => {
    expect(() => checkConfigured('18.6.4', ['ci-k8s'], [labels], 'auth-k8s')).toThrow(
      "Input 'roles': cannot be combined with 'kubernetes-labels'",
    );
    expect(() => checkConfigured('18.6.4', [], [labels], 'auth-k8s')).not.toThrow();
    // 17.2.1 rejects the output itself (#52830: from 17.2.7).
    expect(() => checkConfigured('17.2.1', [], [labels], 'auth-k8s')).toThrow('from 17.2.7');
  });

  it('application-proxy from 18.2.3 (#59587), named by the action', () => {
    const proxy = [{ type: 'application-proxy' as const, listen: 'tcp://127.0.0.1:8080' }];
    expect(() => checkConfigured('18.2.2', [], proxy, 'application-proxy')).toThrow(
      "Input 'application-proxy' needs the application-proxy service, which tbot has from 18.2.3; this job has tbot 18.2.2",
    );
    expect(() => checkConfigured('18.2.3', [], proxy, 'application-proxy')).not.toThrow();
  });

  it('TBOT_REGISTRATION_SECRET is read from 18.2.10 (#59620)', () => {
    const env = { TBOT_REGISTRATION_SECRET: 's' };
    expect(() => checkRegistrationSecretEnv(env, '18.2.9', 'bound_keypair')).toThrow(
      'TBOT_REGISTRATION_SECRET is read by tbot from 18.2.10; this job has tbot 18.2.9',
    );
    expect(() => checkRegistrationSecretEnv(env, '18.2.10', 'bound_keypair')).not.toThrow();
    expect(() => checkRegistrationSecretEnv({}, '18.0.0', 'bound_keypair')).not.toThrow();
    expect(() => checkRegistrationSecretEnv(env, '17.4.2', 'gitlab')).not.toThrow();
  });
});
