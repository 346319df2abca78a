import type { CiJoinMethod, JoinMethod } from '../platform/join-methods';
import type { CiPlatform } from '../platform/platform';
import type { ProxyAddress } from '../proxy/address';
import { azureDevopsPreflight } from './azure-devops';
import { bitbucketPreflight } from './bitbucket';
import { circleciPreflight } from './circleci';
import { githubPreflight } from './github';
import { gitlabPreflight } from './gitlab';
import type { JoinPreflight, Preflight } from './id-token';

/** Each CI's check of its own ID token, one file each. */
const PREFLIGHTS: Record<CiJoinMethod, Preflight> = {
  github: githubPreflight,
  gitlab: gitlabPreflight,
  circleci: circleciPreflight,
  bitbucket: bitbucketPreflight,
  azure_devops: azureDevopsPreflight,
};

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
  const preflight = PREFLIGHTS[method as CiJoinMethod] as Preflight | undefined;
  return preflight?.(platform, proxy);
}
