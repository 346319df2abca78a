import { InputError, UserError } from '../errors';
import { textInput } from '../inputs';
import type { CiPlatform } from '../platform/platform';
import type { ProxyAddress } from '../proxy/address';

/** Teleport cluster names as they reach this check: DNS-like, no spaces or quotes. */
const CLUSTER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * The `cluster` input of the actions that reach applications, databases or Kubernetes
 * clusters. Machine ID reaches none of those in a trusted leaf cluster (Teleport's Machine ID
 * FAQ), and tbot's outputs for them have no cluster field: the input exists so that asking for
 * a leaf cluster fails here, in one line, instead of being ignored (GitHub only warns about an
 * input an action does not declare) or ending in tbot's "not found". Naming the cluster the
 * proxy serves is allowed and changes nothing.
 */
export async function refuseLeafCluster(
  platform: CiPlatform,
  proxy: ProxyAddress,
  reaches: string,
): Promise<void> {
  const cluster = textInput(platform, 'cluster');
  if (!cluster) return;
  if (!CLUSTER_NAME.test(cluster)) {
    throw new InputError(
      'cluster',
      "must be a Teleport cluster name (letters, digits, '.', '_', '-'): leave it empty, Machine ID reaches only the cluster the proxy serves",
    );
  }
  // Loaded here: only a step that sets 'cluster' asks the proxy.
  const { findCluster } = await import('../proxy/find');
  const { clusterName } = await findCluster(proxy, platform.log);
  if (clusterName === cluster) return;
  throw new UserError(
    `Input 'cluster' names '${cluster}', but proxy ${proxy.hostPort} serves ${clusterName ? `'${clusterName}'` : 'another cluster'}: Machine ID cannot reach ${reaches} in a trusted leaf cluster (only SSH nodes there); use that cluster's own proxy with a bot of its own, or leave 'cluster' empty`,
  );
}
