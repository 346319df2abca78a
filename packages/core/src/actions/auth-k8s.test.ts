import { describe, expect, it } from 'vitest';
import { parseLabels } from './auth-k8s';

describe('action inputs', () => {
  it('parses Kubernetes labels', () => {
    expect(parseLabels('env=prod, team=platform', 'kubernetes-labels')).toEqual({
      env: 'prod',
      team: 'platform',
    });
    expect(() => parseLabels('prod', 'kubernetes-labels')).toThrow(
      /^Input 'kubernetes-labels': 'prod' is not key=value/,
    );
  });
});
