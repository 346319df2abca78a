import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getIDToken } from '@actions/core';
import { decodeJwt } from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { TELEPORT_GITHUB_AUDIENCE } from './claims';
import { type GithubTokenEndpoint, startGithubTokenEndpoint } from './github-token-endpoint';
import { type Issuer, startIssuer } from './issuer';
import { selfSignedCert } from './test-cert';

const ENV_KEYS = ['ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'] as const;

describe('GitHub token endpoint (plain HTTP)', () => {
  let issuer: Issuer<'github'>;
  let endpoint: GithubTokenEndpoint;
  const saved: Partial<Record<string, string>> = {};

  beforeAll(async () => {
    issuer = await startIssuer({ platform: 'github' });
    endpoint = await startGithubTokenEndpoint(issuer);
    for (const k of ENV_KEYS) saved[k] = process.env[k];
  });
  afterAll(async () => {
    await endpoint.close();
    await issuer.close();
  });
  beforeEach(() => {
    Object.assign(process.env, endpoint.env());
    endpoint.requests.length = 0;
    // getIDToken prints `::debug::` and `::add-mask::<jwt>` workflow commands to stdout.
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    for (const k of ENV_KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  it('has a runner-like request URL with a query string', () => {
    expect(endpoint.requestUrl).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/_apis\/distributedtask\/.+\/idtoken\?api-version=2\.0$/,
    );
    expect(endpoint.requestToken.length).toBeGreaterThan(20);
  });

  it('serves @actions/core getIDToken with the requested audience', async () => {
    const jwt = await getIDToken(TELEPORT_GITHUB_AUDIENCE);
    const claims = await issuer.verify(jwt, { audience: TELEPORT_GITHUB_AUDIENCE });
    expect(claims.aud).toBe(TELEPORT_GITHUB_AUDIENCE);
    expect(claims.sub).toBe('repo:octo-org/octo-repo:ref:refs/heads/main');
    expect(endpoint.requests).toEqual([
      expect.objectContaining({
        audience: TELEPORT_GITHUB_AUDIENCE,
        authorized: true,
        status: 200,
      }),
    ]);
    expect(endpoint.issued.at(-1)).toBe(jwt);
  });

  it("defaults the audience to the owner's URL", async () => {
    const jwt = await getIDToken();
    expect(decodeJwt(jwt).aud).toBe('https://github.com/octo-org');
    expect(endpoint.requests[0]).not.toHaveProperty('audience');
  });

  it('follows the mutable claim input', async () => {
    endpoint.claims.repository = 'acme/app';
    endpoint.claims.environment = 'prod';
    try {
      const claims = decodeJwt(await getIDToken());
      expect(claims.sub).toBe('repo:acme/app:environment:prod');
      expect(claims.aud).toBe('https://github.com/acme');
    } finally {
      endpoint.claims = {};
    }
  });

  it('speaks tbot’s request shape (teleport-behaviour.md §4.1)', async () => {
    const res = await fetch(`${endpoint.requestUrl}&audience=teleport.cluster.local`, {
      headers: {
        Authorization: `Bearer ${endpoint.requestToken}`,
        Accept: 'application/json; api-version=2.0',
        'Content-Type': 'application/json',
      },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { value: string };
    expect(decodeJwt(body.value).aud).toBe('teleport.cluster.local');
    expect(endpoint.requests[0]).toMatchObject({ accept: 'application/json; api-version=2.0' });
  });

  it('answers 401 to a wrong bearer, with a JSON body that has no value', async () => {
    process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = 'wrong';
    await expect(getIDToken('a')).rejects.toThrow(/401/);
    expect(endpoint.requests).toEqual([
      expect.objectContaining({ authorized: false, status: 401 }),
    ]);
    const res = await fetch(`${endpoint.requestUrl}&audience=a`);
    expect(res.status).toBe(401);
    expect(await res.json()).not.toHaveProperty('value');
  });

  it('injected 503s are retried by @actions/core', async () => {
    endpoint.inject({ status: 503, times: 2 });
    const jwt = await getIDToken('a');
    expect(decodeJwt(jwt).aud).toBe('a');
    expect(endpoint.requests.map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it('an injected 500 fails at once, then the endpoint recovers', async () => {
    endpoint.inject({ status: 500, times: 1 });
    await expect(getIDToken('a')).rejects.toThrow(/500/);
    expect(endpoint.requests.map((r) => r.status)).toEqual([500]);
    await expect(getIDToken('a')).resolves.toMatch(/^ey/);
  });

  it('answers 404 off the token path', async () => {
    const res = await fetch(`${endpoint.url}/other?api-version=2.0`, {
      headers: { Authorization: `Bearer ${endpoint.requestToken}` },
    });
    expect(res.status).toBe(404);
  });
});

describe('GitHub token endpoint (HTTPS)', () => {
  it('serves the real @actions/core in a child process trusting the cert', async () => {
    const tls = await selfSignedCert();
    const issuer = await startIssuer({ platform: 'github' });
    const endpoint = await startGithubTokenEndpoint(issuer, { tls });
    const dir = await mkdtemp(join(tmpdir(), 'oidc-https-'));
    try {
      expect(endpoint.requestUrl.startsWith('https://127.0.0.1:')).toBe(true);
      const caFile = join(dir, 'ca.pem');
      await writeFile(caFile, tls.certPem);
      // NODE_EXTRA_CA_CERTS is read only at process start, hence the child process.
      const script =
        "import { getIDToken } from '@actions/core';" +
        "const t = await getIDToken('teleport.cluster.local');" +
        "process.stderr.write('TOKEN=' + t + '\\n');";
      const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>(
        (resolve, reject) => {
          const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
            cwd: process.cwd(),
            env: { ...process.env, ...endpoint.env(), NODE_EXTRA_CA_CERTS: caFile },
            stdio: ['ignore', 'ignore', 'pipe'],
          });
          let err = '';
          child.stderr.setEncoding('utf8');
          child.stderr.on('data', (d: string) => {
            err += d;
          });
          child.on('error', reject);
          child.on('close', (c) => resolve({ code: c, stderr: err }));
        },
      );
      expect(code, stderr).toBe(0);
      const jwt = /TOKEN=(\S+)/.exec(stderr)?.[1] ?? '';
      const claims = await issuer.verify(jwt, { audience: TELEPORT_GITHUB_AUDIENCE });
      expect(claims.aud).toBe(TELEPORT_GITHUB_AUDIENCE);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await endpoint.close();
      await issuer.close();
    }
  });
});
