import { HttpClient } from '@actions/http-client';
import { BearerCredentialHandler } from '@actions/http-client/lib/auth';

/** How long the runner's ID token service may take to answer. */
export const ID_TOKEN_TIMEOUT_MS = 60_000;

/**
 * Asks the runner's ID token service for a token with this audience, as `@actions/core` does
 * (same client, so proxies apply), but bounded: without a limit a service that never answers
 * holds the step until the platform's own step timeout (6 hours on GitHub).
 */
export async function requestGithubIdToken(
  env: NodeJS.ProcessEnv,
  audience: string,
  timeoutMs = ID_TOKEN_TIMEOUT_MS,
): Promise<string> {
  const url = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const bearer = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!url || !bearer) throw new Error('ACTIONS_ID_TOKEN_REQUEST_URL or _TOKEN is unset');
  const client = new HttpClient('teleport-actions', [new BearerCredentialHandler(bearer)], {
    socketTimeout: timeoutMs,
    allowRetries: false,
  });
  const waited = `GitHub's ID token service (ACTIONS_ID_TOKEN_REQUEST_URL) did not answer within ${Math.round(timeoutMs / 100) / 10}s`;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(waited)), timeoutMs);
  });
  try {
    const res = await Promise.race([
      client.getJson<{ value?: string }>(`${url}&audience=${encodeURIComponent(audience)}`),
      deadline,
    ]).catch((err: Error) => {
      // http-client's idle timeout says only "Request timeout: <path>".
      throw /^Request timeout/.test(err.message) ? new Error(waited) : err;
    });
    const token = res.result?.value;
    if (!token) throw new Error(`its answer (HTTP ${res.statusCode}) held no ID token`);
    return token;
  } finally {
    clearTimeout(timer);
    client.dispose();
  }
}
