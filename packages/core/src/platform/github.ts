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
  const request = async (audience: string) => {
    const { ID_TOKEN_TIMEOUT_MS, requestGithubIdToken } = await load();
    return requestGithubIdToken(env, audience, opts.idTokenTimeoutMs ?? ID_TOKEN_TIMEOUT_MS);
  };
  // One request made ahead of its use, taken by the first getIDToken for that audience.
  let prefetched: { audience: string; token: Promise<string> } | undefined;
  return {
    ...githubPlatformWith(env, (audience) => {
      if (prefetched?.audience === audience) {
        const { token } = prefetched;
        prefetched = undefined;
        return token;
      }
      return request(audience);
    }),
    // A failure to load is reported by the request that needs it.
    preloadIDToken: () => void load().catch(() => {}),
    prefetchIDToken(audience) {
      // Without the runner's variables there is nothing to fetch: the preflight says so.
      if (!env.ACTIONS_ID_TOKEN_REQUEST_URL || !env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) return;
      const token = request(audience);
      token.catch(() => {}); // reported by the getIDToken that takes it
      prefetched = { audience, token };
    },
  };
}
