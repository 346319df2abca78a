import { UserError } from '../errors';
import type { CiPlatform } from '../platform/platform';

/**
 * Azure DevOps: tbot requests the token itself with the pipeline's access token (a POST to
 * SYSTEM_OIDCREQUESTURI), so there are no claims to show yet; only the variables it needs are
 * checked (teleport-behaviour.md §4.3).
 */
export async function azureDevopsPreflight(platform: CiPlatform): Promise<undefined> {
  const missing = ['SYSTEM_ACCESSTOKEN', 'SYSTEM_OIDCREQUESTURI'].filter((v) => !platform.env[v]);
  if (missing.length > 0) {
    throw new UserError(
      `${missing.join(' and ')} not set: map 'SYSTEM_ACCESSTOKEN: $(System.AccessToken)' into the step's env (tbot asks the pipeline's own OIDC endpoint: no service connection is needed; the join token's rules match issuer https://vstoken.dev.azure.com/<organization id>, audience api://AzureADTokenExchange and a p://... subject)`,
    );
  }
  return undefined;
}
