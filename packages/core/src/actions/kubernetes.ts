import { join } from 'node:path';
import type { AuthAction } from '../auth/run-auth';
import { InputError } from '../errors';
import type { Output } from '../tbot/config';
import { requireFeature } from '../tbot/features';

/** Parses `key=value` pairs separated by commas or new lines. */
export function parseLabels(raw: string, input: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of raw
    .split(/[,\n]+/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^([^=\s]+)=(\S*)$/.exec(pair);
    if (!match)
      throw new InputError(input, `'${pair}' is not key=value: use e.g. env=prod,team=platform`);
    labels[match[1]!] = match[2]!;
  }
  return labels;
}

/** `auth-k8s`: a kubeconfig for `kubectl`, exported as KUBECONFIG (as the official action). */
export function authK8sAction(version: string): AuthAction {
  let cluster = '';
  let labels: Record<string, string> = {};
  return {
    name: 'auth-k8s',
    version,
    readInputs(platform) {
      cluster = platform.getInput('kubernetes-cluster');
      labels = parseLabels(platform.getInput('kubernetes-labels'), 'kubernetes-labels');
      const hasLabels = Object.keys(labels).length > 0;
      if (!cluster && !hasLabels) {
        throw new InputError(
          'kubernetes-cluster',
          "is required: name the Teleport Kubernetes cluster (or select clusters with 'kubernetes-labels')",
        );
      }
      if (cluster && hasLabels) {
        throw new InputError(
          'kubernetes-labels',
          "cannot be combined with 'kubernetes-cluster': use one of them",
        );
      }
    },
    check(tbot) {
      if (!cluster) requireFeature(tbot.version, 'kubernetesV2', 'kubernetes-labels');
    },
    configure({ dir, inputs }) {
      const destination = { type: 'directory', path: dir } as const;
      let output: Output;
      if (cluster) {
        output = {
          type: 'kubernetes',
          destination,
          roles: inputs.roles,
          kubernetes_cluster: cluster,
        };
      } else {
        output = { type: 'kubernetes/v2', destination, selectors: [{ labels }] };
      }
      return { outputs: [output] };
    },
    async publish({ platform, dir, inputs }) {
      const kubeconfig = join(dir, 'kubeconfig.yaml');
      platform.setOutput('kubeconfig', kubeconfig);
      platform.setOutput('identity-file', join(dir, 'identity'));
      if (!inputs.disableEnvVars) platform.exportVariable('KUBECONFIG', kubeconfig);
      return [['kubeconfig', kubeconfig]];
    },
  };
}
