import { githubPlatformWith } from './github-core';
import type { CiPlatform } from './platform';

/** GitHub Actions, through `@actions/core` (the runner's file and stdout protocol). */
export function githubPlatform(
  env: NodeJS.ProcessEnv = process.env,
  opts: { idTokenTimeoutMs?: number } = {},
): CiPlatform {
  return githubPlatformWith(env, async (audience) => {
    // Loaded when a token is asked for: its HTTP client is not needed to read inputs.
    const { ID_TOKEN_TIMEOUT_MS, requestGithubIdToken } = await import('./github-id-token');
    return requestGithubIdToken(env, audience, opts.idTokenTimeoutMs ?? ID_TOKEN_TIMEOUT_MS);
  });
}
