import { UserError } from '../errors';
import { findCluster } from '../install/find';
import type { ProxyAddress } from '../install/proxy-address';
import type { CiPlatform } from '../platform/platform';
import { decodeClaims, formatClaims } from './claims';
import { githubPreflight, type JoinPreflight } from './github';

/** Join methods whose ID token a CI platform provides (facts §4.1). */
export type CiJoinMethod = 'github' | 'gitlab' | 'circleci' | 'bitbucket' | 'azure_devops';
export type JoinMethod = CiJoinMethod | 'bound_keypair' | 'token';

export const JOIN_METHODS: readonly JoinMethod[] = [
  'github',
  'gitlab',
  'circleci',
  'bitbucket',
  'azure_devops',
  'bound_keypair',
  'token',
];

/** Claims each platform's allow rules match (facts §4.2), shown when a join is refused. */
const RULE_CLAIMS: Record<'gitlab' | 'circleci' | 'bitbucket', readonly string[]> = {
  gitlab: [
    'project_path',
    'namespace_path',
    'ref',
    'ref_type',
    'ref_protected',
    'environment',
    'pipeline_source',
    'user_login',
    'sub',
    'aud',
  ],
  circleci: ['oidc.circleci.com/project-id', 'oidc.circleci.com/context-ids', 'sub', 'aud'],
  bitbucket: [
    'workspaceUuid',
    'repositoryUuid',
    'branchName',
    'deploymentEnvironmentUuid',
    'sub',
    'aud',
  ],
};

async function showClaims(
  platform: CiPlatform,
  title: string,
  claims: Record<string, unknown>,
  names: readonly string[],
) {
  await platform.group(title, async () => {
    for (const name of names) {
      if (claims[name] !== undefined) platform.log.info(`${name}: ${JSON.stringify(claims[name])}`);
    }
  });
}

/** Reads a token tbot takes from the environment, failing with the platform's fix. */
function envToken(platform: CiPlatform, variable: string, fix: string): Record<string, unknown> {
  const jwt = platform.env[variable];
  if (!jwt) throw new UserError(`${variable} is not set: ${fix}`);
  platform.setSecret(jwt);
  const claims = decodeClaims(jwt);
  if (!claims) throw new UserError(`${variable} does not hold a JWT: ${fix}`);
  return claims;
}

function audiences(claims: Record<string, unknown>): string[] {
  const aud = claims.aud;
  return Array.isArray(aud) ? aud.map(String) : aud === undefined ? [] : [String(aud)];
}

/**
 * Checks, before tbot runs, that the platform's ID token is where tbot will read it and
 * looks right, and shows the claims the join token's allow rules match. Join methods
 * without an ID token (bound_keypair, token) have nothing to check.
 */
export async function joinPreflight(
  platform: CiPlatform,
  method: JoinMethod,
  proxy: ProxyAddress,
): Promise<JoinPreflight | undefined> {
  switch (method) {
    case 'github':
      return githubPreflight(platform);
    case 'gitlab': {
      const fix =
        "declare it in the job: 'id_tokens: { TBOT_GITLAB_JWT: { aud: <your Teleport cluster name> } }'";
      const claims = envToken(platform, 'TBOT_GITLAB_JWT', fix);
      // GitLab tokens must name the cluster as audience (facts §4.2): check it against the
      // cluster's own name now, not after tbot's join is refused.
      const cluster = await findCluster(proxy, platform.log);
      if (cluster.clusterName && !audiences(claims).includes(cluster.clusterName)) {
        throw new UserError(
          `TBOT_GITLAB_JWT has audience ${JSON.stringify(claims.aud)}, but the cluster at ${proxy.hostPort} is named '${cluster.clusterName}': set 'id_tokens: { TBOT_GITLAB_JWT: { aud: ${cluster.clusterName} } }'`,
        );
      }
      await showClaims(
        platform,
        'GitLab ID token claims (what the join token allow rules match)',
        claims,
        RULE_CLAIMS.gitlab,
      );
      return { claims, summary: formatClaims(claims, RULE_CLAIMS.gitlab) };
    }
    case 'circleci': {
      const fix =
        'CircleCI issues OIDC tokens only to jobs that use a context: add a context to this job';
      const claims = envToken(platform, 'CIRCLE_OIDC_TOKEN', fix);
      await showClaims(
        platform,
        'CircleCI ID token claims (what the join token allow rules match)',
        claims,
        RULE_CLAIMS.circleci,
      );
      return { claims, summary: formatClaims(claims, RULE_CLAIMS.circleci) };
    }
    case 'bitbucket': {
      const claims = envToken(
        platform,
        'BITBUCKET_STEP_OIDC_TOKEN',
        "add 'oidc: true' to this step in bitbucket-pipelines.yml",
      );
      await showClaims(platform, 'Bitbucket ID token claims', claims, RULE_CLAIMS.bitbucket);
      return { claims, summary: formatClaims(claims, RULE_CLAIMS.bitbucket) };
    }
    case 'azure_devops': {
      const missing = ['SYSTEM_ACCESSTOKEN', 'SYSTEM_OIDCREQUESTURI'].filter(
        (v) => !platform.env[v],
      );
      if (missing.length > 0) {
        throw new UserError(
          `${missing.join(' and ')} not set: map 'SYSTEM_ACCESSTOKEN: $(System.AccessToken)' into the step's env and use a pipeline with an Azure service connection that allows OIDC`,
        );
      }
      return undefined;
    }
    default:
      return undefined;
  }
}
