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
    // CircleCI issues it to jobs without a context too; a context only adds `context-ids`
    // for allow rules on context_id (teleport-behaviour.md §4.3).
    "CircleCI issues it to every job of the project's own pipelines, with or without a context; a build of a forked pull request gets it only if the project's settings pass secrets to forked builds",
  );
  return explainClaims(
    platform,
    'CircleCI ID token claims (what the join token allow rules match)',
    claims,
    CIRCLECI_RULE_CLAIMS,
  );
}
