import { githubPlatformWith } from './github-core';
import type { CiPlatform } from './platform';

/** GitHub Actions, through `@actions/core` (the runner's file and stdout protocol). */
export function githubPlatform(
  env: NodeJS.ProcessEnv = process.env,
  opts: { idTokenTimeoutMs?: number } = {},
): CiPlatform {
  // Loaded when a token is asked for (or preloaded just before): its HTTP client is not needed
  // to read inputs.
  let client: Promise<typeof import('./github-id-token')> | undefined;
  const load = () => {
    client ??= import('./github-id-token');
    return client;
  };
  return {
    ...githubPlatformWith(env, async (audience) => {
      const { ID_TOKEN_TIMEOUT_MS, requestGithubIdToken } = await load();
      return requestGithubIdToken(env, audience, opts.idTokenTimeoutMs ?? ID_TOKEN_TIMEOUT_MS);
    }),
    // A failure to load is reported by the request that needs it.
    preloadIDToken: () => void load().catch(() => {}),
  };
}
