import { UserError } from '../errors';
import type { CiPlatform } from '../platform/platform';

/**
 * Azure DevOps: tbot requests the token itself with the pipeline's access token, so there
 * are no claims to show yet; only the variables it needs are checked.
 */
export async function azureDevopsPreflight(platform: CiPlatform): Promise<undefined> {
  const missing = ['SYSTEM_ACCESSTOKEN', 'SYSTEM_OIDCREQUESTURI'].filter((v) => !platform.env[v]);
  if (missing.length > 0) {
    throw new UserError(
      `${missing.join(' and ')} not set: map 'SYSTEM_ACCESSTOKEN: $(System.AccessToken)' into the step's env and use a pipeline with an Azure service connection that allows OIDC`,
    );
  }
  return undefined;
}
