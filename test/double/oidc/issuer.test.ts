import https from 'node:https';
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CIRCLECI_ORG_ID, TELEPORT_GITHUB_AUDIENCE } from './claims';
import { type Issuer, startIssuer } from './issuer';
import { selfSignedCert } from './test-cert';

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('startIssuer (github)', () => {
  let issuer: Issuer<'github'>;
  beforeAll(async () => {
    issuer = await startIssuer({ platform: 'github' });
  });
  afterAll(() => issuer.close());

  it('serves discovery naming the real issuer and a reachable JWKS', async () => {
    expect(issuer.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(issuer.issuerUrl).toBe('https://token.actions.githubusercontent.com');
    const { status, body } = await getJson(`${issuer.url}/.well-known/openid-configuration`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      issuer: 'https://token.actions.githubusercontent.com',
      jwks_uri: `${issuer.url}/.well-known/jwks`,
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['id_token'],
      subject_types_supported: ['public', 'pairwise'],
    });
    expect(body.claims_supported).toEqual(
      expect.arrayContaining(['sub', 'repository', 'job_workflow_ref', 'runner_environment']),
    );
    const jwks = await getJson(body.jwks_uri as string);
    expect(jwks.body).toEqual(issuer.jwks());
    expect(issuer.jwks().keys[0]).toMatchObject({
      kty: 'RSA',
      alg: 'RS256',
      use: 'sig',
      kid: issuer.kid,
    });
    expect(issuer.jwks().keys[0]).not.toHaveProperty('d');
  });

  it('mints tokens that jose verifies through the discovered remote JWKS', async () => {
    const jwt = await issuer.mint(undefined, { audience: TELEPORT_GITHUB_AUDIENCE });
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'RS256', typ: 'JWT', kid: issuer.kid });
    const { body } = await getJson(issuer.discoveryUrl);
    const keys = createRemoteJWKSet(new URL(body.jwks_uri as string));
    const { payload } = await jwtVerify(jwt, keys, {
      issuer: body.issuer as string,
      audience: TELEPORT_GITHUB_AUDIENCE,
      algorithms: ['RS256'],
    });
    expect(payload).toMatchObject({
      iss: 'https://token.actions.githubusercontent.com',
      aud: TELEPORT_GITHUB_AUDIENCE,
      sub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
    });
    expect(issuer.requests.some((r) => r.path === '/.well-known/jwks' && r.status === 200)).toBe(
      true,
    );
  });

  it('applies claim overrides and consistent variants', async () => {
    const jwt = await issuer.mint(issuer.claims({ repository: 'o/r', environment: 'prod' }), {
      audience: 'x',
    });
    const claims = await issuer.verify(jwt, { audience: 'x' });
    expect(claims.sub).toBe('repo:o/r:environment:prod');
    expect(claims.environment).toBe('prod');
    expect(claims.iss).toBe(issuer.issuerUrl);
    const other = await issuer.verify(await issuer.mint({ actor: 'mallory' }), {
      audience: 'https://github.com/octo-org',
    });
    expect(other.actor).toBe('mallory');
    expect(other.jti).not.toBe(claims.jti);
  });

  it('rejects an expired token with jose expiry error', async () => {
    const jwt = await issuer.mint(undefined, { audience: 'a', expiresInSec: -60 });
    const err = await issuer.verify(jwt, { audience: 'a' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(errors.JWTExpired);
    expect((err as errors.JWTExpired).code).toBe('ERR_JWT_EXPIRED');
  });

  it('rejects a token that is not yet valid, or for another audience', async () => {
    const now = Math.floor(Date.now() / 1000);
    const future = await issuer.mint(undefined, { audience: 'a', notBefore: now + 600 });
    const err = await issuer.verify(future, { audience: 'a' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(errors.JWTClaimValidationFailed);
    expect((err as errors.JWTClaimValidationFailed).claim).toBe('nbf');

    const jwt = await issuer.mint(undefined, { audience: 'a' });
    const aud = await issuer.verify(jwt, { audience: 'b' }).catch((e: unknown) => e);
    expect((aud as errors.JWTClaimValidationFailed).claim).toBe('aud');
  });

  it('rejects a token signed by a key outside the JWKS', async () => {
    const keys = createRemoteJWKSet(new URL(issuer.jwksUri));
    const forged = await issuer.mint(undefined, { audience: 'a', signWith: 'foreign-key' });
    expect(decodeProtectedHeader(forged).kid).toBe(issuer.kid);
    await expect(jwtVerify(forged, keys, { audience: 'a' })).rejects.toBeInstanceOf(
      errors.JWSSignatureVerificationFailed,
    );
    const unknownKid = await issuer.mint(undefined, {
      audience: 'a',
      signWith: 'foreign-key',
      kid: 'other',
    });
    await expect(jwtVerify(unknownKid, keys, { audience: 'a' })).rejects.toBeInstanceOf(
      errors.JWKSNoMatchingKey,
    );
    await expect(issuer.verify(forged, { audience: 'a' })).rejects.toThrow();
  });

  it('answers 404 for unknown paths and 405 for other methods', async () => {
    expect((await fetch(`${issuer.url}/nope`)).status).toBe(404);
    expect((await fetch(issuer.jwksUri, { method: 'POST' })).status).toBe(405);
  });
});

describe('startIssuer (gitlab, circleci, self-consistent)', () => {
  it('gitlab: keys at /oauth/discovery/keys, audience = cluster name', async () => {
    const issuer = await startIssuer({
      platform: 'gitlab',
      claims: { audience: 'teleport.example.test' },
    });
    try {
      expect(issuer.issuerUrl).toBe('https://gitlab.example.test');
      expect(issuer.jwksUri).toBe(`${issuer.url}/oauth/discovery/keys`);
      const { body } = await getJson(issuer.discoveryUrl);
      expect(body).toMatchObject({
        issuer: 'https://gitlab.example.test',
        jwks_uri: issuer.jwksUri,
        id_token_signing_alg_values_supported: ['RS256'],
      });
      const jwt = await issuer.mint();
      const { payload } = await jwtVerify(jwt, createRemoteJWKSet(new URL(issuer.jwksUri)), {
        issuer: 'https://gitlab.example.test',
        audience: 'teleport.example.test', // teleport-behaviour.md §4.2: GitLab audience is the cluster name
      });
      expect(payload.sub).toBe('project_path:my-group/my-project:ref_type:branch:ref:main');
    } finally {
      await issuer.close();
    }
  });

  it('circleci: discovery and jwks-pub.json under /org/<org-id>, audience = org id', async () => {
    const issuer = await startIssuer({ platform: 'circleci' });
    try {
      expect(issuer.issuerUrl).toBe(`https://oidc.circleci.com/org/${DEFAULT_CIRCLECI_ORG_ID}`);
      expect(issuer.discoveryUrl).toBe(
        `${issuer.url}/org/${DEFAULT_CIRCLECI_ORG_ID}/.well-known/openid-configuration`,
      );
      expect(issuer.jwksUri).toBe(
        `${issuer.url}/org/${DEFAULT_CIRCLECI_ORG_ID}/.well-known/jwks-pub.json`,
      );
      const { body } = await getJson(issuer.discoveryUrl);
      expect(body.issuer).toBe(issuer.issuerUrl);
      const jwt = await issuer.mint();
      const { payload } = await jwtVerify(jwt, createRemoteJWKSet(new URL(issuer.jwksUri)), {
        issuer: issuer.issuerUrl,
        audience: DEFAULT_CIRCLECI_ORG_ID, // teleport-behaviour.md §4.2: CircleCI audience is the org id
      });
      expect(payload['oidc.circleci.com/org-id']).toBe(DEFAULT_CIRCLECI_ORG_ID);
    } finally {
      await issuer.close();
    }
  });

  it('self-consistent mode: the issuer URL is where the server listens', async () => {
    const issuer = await startIssuer({
      platform: 'circleci',
      issuerUrl: (url) => `${url}/org/abc`,
      claims: { orgId: 'abc' },
    });
    try {
      expect(issuer.issuerUrl).toBe(`${issuer.url}/org/abc`);
      const { body } = await getJson(`${issuer.issuerUrl}/.well-known/openid-configuration`);
      expect(body.issuer).toBe(issuer.issuerUrl);
      expect(body.jwks_uri).toBe(`${issuer.issuerUrl}/.well-known/jwks-pub.json`);
      const claims = await issuer.verify(await issuer.mint(), { audience: 'abc' });
      expect(claims.iss).toBe(issuer.issuerUrl);
    } finally {
      await issuer.close();
    }
  });

  it('serves HTTPS when given a certificate', async () => {
    const tls = await selfSignedCert();
    const issuer = await startIssuer({ platform: 'github', tls });
    try {
      expect(issuer.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const body = await new Promise<string>((resolve, reject) => {
        https
          .get(issuer.discoveryUrl, { ca: tls.certPem }, (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              text += chunk;
            });
            res.on('end', () => resolve(text));
          })
          .on('error', reject);
      });
      expect(JSON.parse(body)).toMatchObject({ jwks_uri: `${issuer.url}/.well-known/jwks` });
    } finally {
      await issuer.close();
    }
  });
});
