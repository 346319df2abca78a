import { UserError } from '../errors';
import type { CiPlatform } from '../platform/platform';
import type { ProxyAddress } from '../proxy/address';
import { findCluster } from '../proxy/find';
import { audiences } from './claims';
import { explainClaims, type JoinPreflight, readEnvToken } from './id-token';

/** Where tbot reads GitLab's ID token (teleport-behaviour.md §4.1). */
export const GITLAB_TOKEN_VARIABLE = 'TBOT_GITLAB_JWT';

/** The claims a `gitlab` join token's allow rules can match (teleport-behaviour.md §4.2). */
export const GITLAB_RULE_CLAIMS = [
  'project_path',
  'namespace_path',
  'ref',
  'ref_type',
  'ref_protected',
  'environment',
  'pipeline_source',
  'user_login',
  'user_id',
  'sub',
  'aud',
] as const;

/**
 * GitLab puts the token the job declared in `id_tokens:` into the environment. Its audience
 * must be the cluster's name (teleport-behaviour.md §4.2): checked against the cluster now, not after
 * tbot's join is refused.
 */
export async function gitlabPreflight(
  platform: CiPlatform,
  proxy: ProxyAddress,
): Promise<JoinPreflight> {
  const claims = readEnvToken(
    platform,
    GITLAB_TOKEN_VARIABLE,
    `declare it in the job: 'id_tokens: { ${GITLAB_TOKEN_VARIABLE}: { aud: <your Teleport cluster name> } }'`,
  );
  const cluster = await findCluster(proxy, platform.log);
  if (cluster.clusterName && !audiences(claims).includes(cluster.clusterName)) {
    throw new UserError(
      `${GITLAB_TOKEN_VARIABLE} has audience ${JSON.stringify(claims.aud)}, but the cluster at ${proxy.hostPort} is named '${cluster.clusterName}': set 'id_tokens: { ${GITLAB_TOKEN_VARIABLE}: { aud: ${cluster.clusterName} } }'`,
    );
  }
  return explainClaims(
    platform,
    'GitLab ID token claims (what the join token allow rules match)',
    claims,
    GITLAB_RULE_CLAIMS,
  );
}
