import { join } from 'node:path';
import type { AuthAction } from '../auth/run-auth';
import { InputError } from '../errors';
import { multiLineInput, textInput } from '../inputs';
import type { Output } from '../tbot/config';

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

/** One cluster by name, or every cluster whose labels match. */
type K8sSettings = { cluster: string } | { labels: Record<string, string> };

/** `auth-k8s`: a kubeconfig for `kubectl`, exported as KUBECONFIG (as the official action). */
export function authK8sAction(version: string): AuthAction<K8sSettings> {
  return {
    name: 'auth-k8s',
    version,
    leafRefused: 'Kubernetes clusters',
    readInputs(platform) {
      const cluster = textInput(platform, 'kubernetes-cluster');
      const labels = parseLabels(
        multiLineInput(platform, 'kubernetes-labels'),
        'kubernetes-labels',
      );
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
      return cluster ? { cluster } : { labels };
    },
    requires: (settings) =>
      'labels' in settings ? [{ feature: 'kubernetesV2', input: 'kubernetes-labels' }] : [],
    configure({ dir, auth }, settings) {
      const destination = { type: 'directory', path: dir } as const;
      const output: Output =
        'cluster' in settings
          ? {
              type: 'kubernetes',
              destination,
              roles: auth.roles,
              kubernetes_cluster: settings.cluster,
            }
          : { type: 'kubernetes/v2', destination, selectors: [{ labels: settings.labels }] };
      return { outputs: [output] };
    },
    async publish({ platform, dir, auth }) {
      const kubeconfig = join(dir, 'kubeconfig.yaml');
      platform.setOutput('kubeconfig', kubeconfig);
      platform.setOutput('identity-file', join(dir, 'identity'));
      if (!auth.disableEnvVars) platform.exportVariable('KUBECONFIG', kubeconfig);
      return [['kubeconfig', kubeconfig]];
    },
  };
}
