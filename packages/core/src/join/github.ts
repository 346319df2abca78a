import { UserError } from '../errors';
import type { CiPlatform } from '../platform/platform';
import { decodeClaims } from './claims';
import { GITHUB_AUDIENCE } from './github-audience';
import { explainClaims, type JoinPreflight } from './id-token';

export { GITHUB_AUDIENCE };

/** The claims a `github` join token's allow rules can match (teleport-behaviour.md §4.2). */
export const GITHUB_RULE_CLAIMS = [
  'repository',
  'repository_owner',
  'workflow',
  'environment',
  'ref',
  'ref_type',
  'actor',
  'sub',
] as const;

/**
 * GitHub hands out ID tokens on request: checks the job may ask for one, fetches one with
 * tbot's audience (masked by the platform), and shows the claims Teleport matches, so a
 * denied join can be fixed in one look.
 */
export async function githubPreflight(platform: CiPlatform): Promise<JoinPreflight> {
  const missing = ['ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'].filter(
    (name) => !platform.env[name],
  );
  if (missing.length > 0) {
    throw new UserError(
      `This job cannot request a GitHub ID token (${missing.join(' and ')} unset): add 'permissions: id-token: write' to the job or workflow; pull requests from forks and Dependabot never get one`,
    );
  }
  let jwt: string;
  try {
    jwt = await platform.getIDToken(GITHUB_AUDIENCE);
  } catch (err) {
    throw new UserError(
      `Could not get a GitHub ID token for audience ${GITHUB_AUDIENCE}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  platform.setSecret(jwt);
  return explainClaims(
    platform,
    'GitHub ID token claims (what the join token allow rules match)',
    decodeClaims(jwt) ?? {},
    GITHUB_RULE_CLAIMS,
  );
}
