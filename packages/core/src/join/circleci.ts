import type { CiPlatform } from '../platform/platform';
import { explainClaims, type JoinPreflight, readEnvToken } from './id-token';

/** The claims a `circleci` join token's allow rules can match (teleport-behaviour.md §4.2). */
export const CIRCLECI_RULE_CLAIMS = [
  'oidc.circleci.com/project-id',
  'oidc.circleci.com/context-ids',
  'sub',
  'aud',
] as const;

/** CircleCI puts its ID token in CIRCLE_OIDC_TOKEN, where tbot reads it (teleport-behaviour.md §4.1). */
export async function circleciPreflight(platform: CiPlatform): Promise<JoinPreflight> {
  const claims = readEnvToken(
    platform,
    'CIRCLE_OIDC_TOKEN',
    'CircleCI issues OIDC tokens only to jobs that use a context: add a context to this job',
  );
  return explainClaims(
    platform,
    'CircleCI ID token claims (what the join token allow rules match)',
    claims,
    CIRCLECI_RULE_CLAIMS,
  );
}
