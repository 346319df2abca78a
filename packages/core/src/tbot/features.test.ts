import { describe, expect, it } from 'vitest';
import {
  type Feature,
  firstRelease,
  requireFeature,
  requireJoinMethod,
  supports,
} from './features';

// Each row: the release that first has the feature and its source (teleport-behaviour.md §7), then
// versions without and with it. The versions are the release lines a job may install.
const MATRIX: Array<{ feature: Feature; source: string; without: string[]; with: string[] }> = [
  {
    feature: 'allowReissue',
    // v16 backport gravitational/teleport#52115 (before 16.5.0); v17 #52116 in 17.2.8.
    source: '16.5.0 (v16 backport #52115), 17.2.8 (#52116)',
    without: ['15.4.24', '16.4.7', '17.0.0', '17.2.1', '17.2.7'],
    with: ['16.5.0', '16.5.4', '17.2.8', '17.4.2', '17.5.1', '18.0.0', '18.6.4'],
  },
  {
    feature: 'kubernetesV2',
    // #52830: "partway through v17 (v17.2.7)"; 17.2.0/17.2.1 reject `kubernetes/v2`.
    source: '17.2.7 (#52830)',
    without: ['16.5.4', '17.2.0', '17.2.1'],
    with: ['17.2.7', '17.2.8', '17.4.2', '18.0.0'],
  },
  {
    feature: 'azureDevopsJoin',
    source: '17.5.1 (#54875, CHANGELOG.md 17.5.1)',
    without: ['16.5.4', '17.4.6', '17.5.0'],
    with: ['17.5.1', '17.6.0', '18.0.0'],
  },
  {
    feature: 'boundKeypairJoin',
    source: '18.0.0 (#55380)',
    without: ['16.5.4', '17.5.1', '17.7.3'],
    with: ['18.0.0', '18.6.4', '19.0.0'],
  },
  {
    feature: 'applicationProxy',
    source: '18.2.3 (#59587)',
    without: ['17.5.1', '18.0.0', '18.2.2'],
    with: ['18.2.3', '18.6.4'],
  },
  {
    feature: 'registrationSecretEnv',
    source: '18.2.10 (#59620)',
    without: ['18.0.0', '18.2.9'],
    with: ['18.2.10', '18.6.4'],
  },
  {
    feature: 'tunnels',
    source: '18.6.4 (#62191, /wait)',
    without: ['17.5.1', '18.6.3'],
    with: ['18.6.4', '19.0.0'],
  },
];

describe('tbot features by release line (teleport-behaviour.md §7)', () => {
  it.each(MATRIX)('$feature from $source', ({ feature, without, with: having }) => {
    for (const v of without) expect(supports(v, feature), v).toBe(false);
    for (const v of having) expect(supports(v, feature), v).toBe(true);
  });

  it('names the input, the installed version and the first release on its line', () => {
    expect(() => requireFeature('17.2.1', 'allowReissue', 'allow-reissue')).toThrow(
      "Input 'allow-reissue' needs allow_reissue, which tbot has from 17.2.8; this job has tbot 17.2.1: install 17.2.8 or newer with teleport-actions/setup",
    );
    // On v16 the backport is the first release; before v16 the earliest line's release.
    expect(firstRelease('16.4.7', 'allowReissue')).toBe('16.5.0');
    expect(firstRelease('15.4.24', 'allowReissue')).toBe('16.5.0');
    expect(() => requireFeature('16.5.4', 'allowReissue', 'allow-reissue')).not.toThrow();
    expect(() => requireFeature('17.2.1', 'kubernetesV2', 'kubernetes-labels')).toThrow(
      "Input 'kubernetes-labels' needs the kubernetes/v2 output (selectors), which tbot has from 17.2.7; this job has tbot 17.2.1",
    );
  });

  it('refuses a join method the installed tbot lacks, before anything runs', () => {
    expect(() => requireJoinMethod('17.4.2', 'azure_devops', 'join-method')).toThrow(
      "Input 'join-method' needs the azure_devops join method, which tbot has from 17.5.1; this job has tbot 17.4.2: install 17.5.1 or newer with teleport-actions/setup",
    );
    expect(() => requireJoinMethod('17.5.1', 'azure_devops', 'join-method')).not.toThrow();
    expect(() => requireJoinMethod('17.5.1', 'bound_keypair', 'join-method')).toThrow(
      'which tbot has from 18.0.0; this job has tbot 17.5.1',
    );
    for (const m of ['github', 'gitlab', 'circleci', 'token'] as const) {
      expect(() => requireJoinMethod('16.5.4', m, 'join-method')).not.toThrow();
    }
  });
});
