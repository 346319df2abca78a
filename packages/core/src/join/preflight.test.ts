import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { testPlatform } from '../platform/test-platform';
import { parseProxyAddress } from '../proxy/address';
import { githubPreflight } from './github';
import { joinPreflight } from './preflight';

const proxy = parseProxyAddress('teleport.example.com:443');

/** An unsigned-looking but well-formed JWT with these claims (preflights decode, never verify). */
async function jwt(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode('a key the preflight never sees'));
}

describe('GitHub join preflight (teleport-behaviour.md §4.1)', () => {
  it('names the missing permission before tbot runs', async () => {
    await expect(githubPreflight(testPlatform())).rejects.toThrow(
      "This job cannot request a GitHub ID token (ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN unset): add 'permissions: id-token: write' to the job or workflow; pull requests from forks and Dependabot never get one",
    );
  });

  it('asks for the audience tbot uses, masks the token and shows the claims', async () => {
    const token = await jwt({ repository: 'octo-org/octo-repo', ref: 'refs/heads/main', aud: 'x' });
    const audiences: string[] = [];
    const platform = testPlatform({
      env: { ACTIONS_ID_TOKEN_REQUEST_URL: 'http://x/?a', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't' },
      getIDToken: async (audience) => {
        audiences.push(audience);
        return token;
      },
    });
    const result = await joinPreflight(platform, 'github', proxy);
    expect(audiences).toEqual(['teleport.cluster.local']);
    expect(platform.secrets).toEqual([token]);
    expect(result?.summary).toBe('repository=octo-org/octo-repo, ref=refs/heads/main');
    expect(platform.lines).toEqual([
      'group: GitHub ID token claims (what the join token allow rules match)',
      'info: repository: octo-org/octo-repo',
      'info: ref: refs/heads/main',
    ]);
  });

  it('says why the runner refused a token', async () => {
    const platform = testPlatform({
      env: { ACTIONS_ID_TOKEN_REQUEST_URL: 'http://x/?a', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't' },
      getIDToken: async () => Promise.reject(new Error('HTTP 403')),
    });
    await expect(joinPreflight(platform, 'github', proxy)).rejects.toThrow(
      'Could not get a GitHub ID token for audience teleport.cluster.local: HTTP 403',
    );
  });
});

describe('ID tokens in the environment (teleport-behaviour.md §4.1, §4.2)', () => {
  it.each([
    ['gitlab', 'TBOT_GITLAB_JWT', /declare it in the job: 'id_tokens:/],
    // No context is needed (only for context_id rules), teleport-behaviour.md §4.3.
    [
      'circleci',
      'CIRCLE_OIDC_TOKEN',
      /issues it to every job of the project's own pipelines, with or without a context/,
    ],
    ['bitbucket', 'BITBUCKET_STEP_OIDC_TOKEN', /add 'oidc: true' to this step/],
  ] as const)('%s: a missing %s names the fix', async (method, variable, fix) => {
    const missing = joinPreflight(testPlatform(), method, proxy);
    await expect(missing).rejects.toThrow(`${variable} is not set: `);
    await expect(joinPreflight(testPlatform(), method, proxy)).rejects.toThrow(fix);
    const garbled = testPlatform({ env: { [variable]: 'not-a-jwt' } });
    await expect(joinPreflight(garbled, method, proxy)).rejects.toThrow(
      `${variable} does not hold a JWT`,
    );
    expect(garbled.secrets).toEqual(['not-a-jwt']);
  });

  it('shows every CI the claims the same way: strings as they are, the rest as JSON', async () => {
    const token = await jwt({
      'oidc.circleci.com/project-id': 'p-1',
      'oidc.circleci.com/context-ids': ['c-1', 'c-2'],
      sub: 'org/o/project/p-1/user/u',
    });
    const platform = testPlatform({ env: { CIRCLE_OIDC_TOKEN: token } });
    const result = await joinPreflight(platform, 'circleci', proxy);
    expect(platform.lines).toEqual([
      'group: CircleCI ID token claims (what the join token allow rules match)',
      'info: oidc.circleci.com/project-id: p-1',
      'info: oidc.circleci.com/context-ids: ["c-1","c-2"]',
      'info: sub: org/o/project/p-1/user/u',
    ]);
    expect(result?.summary).toBe(
      'oidc.circleci.com/project-id=p-1, oidc.circleci.com/context-ids=["c-1","c-2"], sub=org/o/project/p-1/user/u',
    );
    expect(platform.secrets).toEqual([token]);
  });

  it('Azure DevOps needs the access token mapped into the step', async () => {
    await expect(joinPreflight(testPlatform(), 'azure_devops', proxy)).rejects.toThrow(
      /^SYSTEM_ACCESSTOKEN and SYSTEM_OIDCREQUESTURI not set: map 'SYSTEM_ACCESSTOKEN: \$\(System\.AccessToken\)' into the step's env \(tbot asks the pipeline's own OIDC endpoint: no service connection is needed; .*audience api:\/\/AzureADTokenExchange and a p:\/\/\.\.\. subject\)$/,
    );
    const ready = testPlatform({
      env: { SYSTEM_ACCESSTOKEN: 'a', SYSTEM_OIDCREQUESTURI: 'https://x' },
    });
    await expect(joinPreflight(ready, 'azure_devops', proxy)).resolves.toBeUndefined();
  });

  it('has nothing to check for joins without an ID token', async () => {
    for (const method of ['token', 'bound_keypair'] as const) {
      const platform = testPlatform();
      await expect(joinPreflight(platform, method, proxy)).resolves.toBeUndefined();
      expect(platform.lines).toEqual([]);
    }
  });
});
