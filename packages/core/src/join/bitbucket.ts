import type { CiPlatform } from '../platform/platform';
import { explainClaims, type JoinPreflight, readEnvToken } from './id-token';

/** The claims a `bitbucket` join token's allow rules can match (teleport-behaviour.md §4.2). */
export const BITBUCKET_RULE_CLAIMS = [
  'workspaceUuid',
  'repositoryUuid',
  'branchName',
  'deploymentEnvironmentUuid',
  'sub',
  'aud',
] as const;

/** Bitbucket gives a step its ID token only with `oidc: true` (teleport-behaviour.md §4.1). */
export async function bitbucketPreflight(platform: CiPlatform): Promise<JoinPreflight> {
  const claims = readEnvToken(
    platform,
    'BITBUCKET_STEP_OIDC_TOKEN',
    "add 'oidc: true' to this step in bitbucket-pipelines.yml",
  );
  return explainClaims(platform, 'Bitbucket ID token claims', claims, BITBUCKET_RULE_CLAIMS);
}
