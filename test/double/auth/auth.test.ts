// The auth double without tbot: token validation (teleport-behaviour.md §4.2), the join checks in Teleport's
// order, issuance limits, and the mutual-TLS API and tunnels on the proxy.

import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Double, startDouble } from '../index';
import { nowSec } from '../oidc';
import { generateKeyPair, type KeyPair } from '../standin/tbot/keys';
import { CERTS_PATH, JOIN_PATH, TUNNEL_PATH, TUNNEL_UPGRADE } from './protocol';
import { validateToken } from './resources';

let work: string;
let double: Double;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'auth-double-'));
  double = await startDouble({ auth: { sshd: false }, cacheDir: path.join(work, 'cache') });
  const auth = double.auth!;
  auth.addRole({ name: 'dev', logins: ['dev'], apps: ['grafana'] });
  auth.addRole({ name: 'ops', logins: ['ops'], nodes: ['node-2'] });
  auth.addApp({ name: 'grafana', uri: 'http://127.0.0.1:9' });
  auth.addBot({ name: 'ci', roles: ['dev', 'ops'] });
  auth.addToken({
    kind: 'token',
    version: 'v2',
    metadata: { name: 'gh' },
    spec: {
      roles: ['Bot'],
      join_method: 'github',
      bot_name: 'ci',
      github: { allow: [{ repository: 'octo-org/octo-repo', environment: 'prod' }] },
    },
  });
}, 60_000);

afterAll(async () => {
  await double?.close();
  await rm(work, { recursive: true, force: true });
});

const GITHUB_TOKEN = (extra: object) => ({
  kind: 'token',
  version: 'v2',
  metadata: { name: 't' },
  spec: { roles: ['Bot'], join_method: 'github', bot_name: 'ci', ...extra },
});

describe('token resources (teleport-behaviour.md §4.2)', () => {
  it.each([
    [
      GITHUB_TOKEN({ github: { allow: [] } }),
      'the "github" join method requires at least one token allow rule',
    ],
    [
      GITHUB_TOKEN({ github: { allow: [{ workflow: 'ci' }] } }),
      'allow rule for "github" must include at least one of "repository", "repository_owner" or "sub"',
    ],
    [
      {
        ...GITHUB_TOKEN({}),
        spec: { roles: ['Bot'], join_method: 'gitlab', bot_name: 'ci', gitlab: {} },
      },
      'the "gitlab" join method requires defined gitlab allow rules',
    ],
    [
      {
        ...GITHUB_TOKEN({}),
        spec: {
          roles: ['Bot'],
          join_method: 'gitlab',
          bot_name: 'ci',
          gitlab: { allow: [{ ref: 'main' }] },
        },
      },
      `the "gitlab" join method requires allow rules with at least one of ['sub', 'project_path', 'namespace_path', 'ci_config_ref_uri'] to ensure security.`,
    ],
    [
      {
        ...GITHUB_TOKEN({}),
        spec: { roles: ['Bot'], join_method: 'circleci', bot_name: 'ci', circleci: {} },
      },
      `the "circleci" join method requires 'organization_id' to be set`,
    ],
    [
      {
        ...GITHUB_TOKEN({}),
        spec: {
          roles: ['Bot'],
          join_method: 'circleci',
          bot_name: 'ci',
          circleci: { organization_id: 'o', allow: [{}] },
        },
      },
      'allow rule for "circleci" must include at least "project_id" or "context_id"',
    ],
    [
      { ...GITHUB_TOKEN({}), spec: { join_method: 'github' } },
      'provisioning token is missing roles',
    ],
  ])('%#: %s', (token, message) => {
    expect(() => validateToken(token)).toThrow(message);
  });

  it('reads Teleport YAML', () => {
    const t = validateToken(`kind: token
version: v2
metadata:
  name: gl
spec:
  roles: [Bot]
  join_method: gitlab
  bot_name: ci
  gitlab:
    domain: gitlab.example.test
    allow:
      - project_path: group/*
`);
    expect(t.spec.gitlab?.allow?.[0]?.project_path).toBe('group/*');
  });
});

describe('joins (teleport-behaviour.md §4.2): Teleport checks and wording', () => {
  let key: KeyPair;
  beforeAll(async () => {
    key = await generateKeyPair();
  });
  const join = (token: string, idToken: string, method = 'github') =>
    double.auth!.join({
      token,
      join_method: method,
      id_token: idToken,
      ssh_public_key: key.sshPublicKey,
      tls_public_key: key.tlsPublicKeyPem,
      ttl_seconds: 7 * 24 * 3600,
    });
  const mint = (claims: object, opts: object = {}) =>
    double.auth!.issuers.github.mint(
      double.auth!.issuers.github.claims({ environment: 'prod', ...claims }),
      { audience: 'teleport.cluster.local', ...opts },
    );

  it('issues the bot identity: TTL capped at 24 h, principals from the roles', async () => {
    const res = await join('gh', await mint({}));
    expect(res).toMatchObject({ bot_name: 'ci', username: 'bot-ci', renewable: false });
    const ttl = Date.parse(res.identity.expires) - Date.now();
    expect(ttl).toBeGreaterThan(23.9 * 3600_000);
    expect(ttl).toBeLessThanOrEqual(24 * 3600_000);
    expect(res.identity.logins).toEqual(['dev', 'ops']);
    expect(res.identity.roles).toEqual(['dev', 'ops']);
  });

  it('a claim outside the rule (environment), an nbf in the future', async () => {
    await expect(join('gh', await mint({ environment: 'staging' }))).rejects.toThrow(
      'id token claims did not match any allow rules',
    );
    await expect(join('gh', await mint({}, { notBefore: nowSec() + 600 }))).rejects.toThrow(
      'token not before in future',
    );
  });

  it('an expired token resource counts as not found', async () => {
    double.auth!.addToken({
      ...GITHUB_TOKEN({ github: { allow: [{ repository: 'octo-org/octo-repo' }] } }),
      metadata: { name: 'old', expires: '2020-01-01T00:00:00Z' },
    });
    await expect(join('old', await mint({}))).rejects.toThrow(
      '"" can not join the cluster with role "Bot", token expired or not found',
    );
  });

  it('GHES needs Enterprise; static_jwks skips discovery (go-jose wording)', async () => {
    const auth = double.auth!;
    auth.addToken({
      ...GITHUB_TOKEN({
        github: {
          enterprise_server_host: 'ghes.example.test',
          allow: [{ repository: 'octo-org/octo-repo' }],
        },
      }),
      metadata: { name: 'ghes' },
    });
    await expect(join('ghes', await mint({}))).rejects.toThrow(
      'github enterprise server joining support requires enterprise license',
    );
    const jwks = JSON.stringify(auth.issuers.github.jwks());
    auth.addToken({
      ...GITHUB_TOKEN({
        github: { static_jwks: jwks, allow: [{ repository: 'octo-org/octo-repo' }] },
      }),
      metadata: { name: 'static' },
    });
    await expect(
      join('static', await mint({ iss: 'https://ghes.example.test/_services/token' })),
    ).resolves.toMatchObject({ bot_name: 'ci' });
    await expect(join('static', await mint({}, { audience: 'x' }))).rejects.toThrow(
      'validating standard claims: go-jose/go-jose/jwt: validation failed, invalid audience claim (aud)',
    );
  });

  it('the token join method is single use and renewable', async () => {
    double.auth!.addToken({
      kind: 'token',
      version: 'v2',
      metadata: { name: 'secret-1' },
      spec: { roles: ['Bot'], join_method: 'token', bot_name: 'ci' },
    });
    await expect(join('secret-1', '', 'token')).resolves.toMatchObject({ renewable: true });
    await expect(join('secret-1', '', 'token')).rejects.toThrow('token expired or not found');
  });

  it('records every attempt', () => {
    const failed = double.auth!.joins.filter((j) => !j.ok);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0]?.error).toBeTruthy();
  });
});

function https(
  method: string,
  p: string,
  opts: { body?: unknown; cert?: { key: string; cert: string }; upgrade?: boolean } = {},
): Promise<{ status: number; body: string; upgraded: boolean }> {
  return new Promise((resolve, reject) => {
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const req = request(`${double.proxy.url}${p}`, {
      method,
      ca: double.ca.certPem,
      agent: false,
      ...(opts.cert ?? {}),
      headers: {
        ...(payload ? { 'content-type': 'application/json' } : {}),
        ...(opts.upgrade ? { connection: 'Upgrade', upgrade: TUNNEL_UPGRADE } : {}),
      },
    });
    req.on('upgrade', (_res, socket) => {
      socket.destroy();
      resolve({ status: 101, body: '', upgraded: true });
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, upgraded: false }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

describe('the API on the proxy: mutual TLS', () => {
  let key: KeyPair;
  let botCert: { key: string; cert: string };

  beforeAll(async () => {
    key = await generateKeyPair();
    const idToken = await double.auth!.issuers.github.mint(
      double.auth!.issuers.github.claims({ environment: 'prod' }),
      { audience: 'teleport.cluster.local' },
    );
    const r = await https('POST', JOIN_PATH, {
      body: {
        token: 'gh',
        join_method: 'github',
        id_token: idToken,
        ssh_public_key: key.sshPublicKey,
        tls_public_key: key.tlsPublicKeyPem,
        ttl_seconds: 600,
      },
    });
    expect(r.status).toBe(200);
    botCert = { key: key.privateKeyPem, cert: JSON.parse(r.body).identity.tls_cert };
  });

  const certsBody = (extra: object = {}) => ({
    ssh_public_key: key.sshPublicKey,
    tls_public_key: key.tlsPublicKeyPem,
    ttl_seconds: 3600,
    ...extra,
  });

  it('denies a join with Teleport error JSON', async () => {
    const r = await https('POST', JOIN_PATH, {
      body: { token: 'nope', join_method: 'github', ...certsBody() },
    });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body)).toEqual({
      error: { message: '"" can not join the cluster with role "Bot", token expired or not found' },
    });
  });

  it('certificate requests need the bot certificate; TTL is capped by the bot identity', async () => {
    expect((await https('POST', CERTS_PATH, { body: certsBody() })).status).toBe(403);
    const ok = await https('POST', CERTS_PATH, { body: certsBody(), cert: botCert });
    expect(ok.status).toBe(200);
    const expires = Date.parse(JSON.parse(ok.body).identity.expires);
    expect(expires - Date.now()).toBeLessThanOrEqual(600_000);
  });

  it('a role subset, an app route, and an app the roles do not allow', async () => {
    const sub = await https('POST', CERTS_PATH, {
      body: certsBody({ roles: ['dev'] }),
      cert: botCert,
    });
    expect(JSON.parse(sub.body).identity.logins).toEqual(['dev']);
    const app = await https('POST', CERTS_PATH, {
      body: certsBody({ route: { kind: 'app', name: 'grafana' } }),
      cert: botCert,
    });
    expect(JSON.parse(app.body).app).toMatchObject({
      name: 'grafana',
      public_addr: 'grafana.teleport.example.test',
    });
    const nope = await https('POST', CERTS_PATH, {
      body: certsBody({ route: { kind: 'app', name: 'vault' } }),
      cert: botCert,
    });
    expect(nope.status).toBe(404);
    expect(JSON.parse(nope.body).error.message).toBe('application "vault" not found');
  });

  it('output certificates cannot reissue unless allow_reissue', async () => {
    const out = await https('POST', CERTS_PATH, { body: certsBody(), cert: botCert });
    const outCert = { key: key.privateKeyPem, cert: JSON.parse(out.body).identity.tls_cert };
    const again = await https('POST', CERTS_PATH, { body: certsBody(), cert: outCert });
    expect(again.status).toBe(403);
    const re = await https('POST', CERTS_PATH, {
      body: certsBody({ reissuable: true }),
      cert: botCert,
    });
    const reCert = { key: key.privateKeyPem, cert: JSON.parse(re.body).identity.tls_cert };
    expect((await https('POST', CERTS_PATH, { body: certsBody(), cert: reCert })).status).toBe(200);
  });

  it('tunnels: no certificate, an unknown node, a node the roles exclude, a non-app cert', async () => {
    const q = (s: string) => `${TUNNEL_PATH}?${s}`;
    const none = await https('GET', q('target=ssh&host=node-1.teleport.example.test&port=3022'), {
      upgrade: true,
    });
    expect(none.status).toBe(403);
    double.auth!.addNode({ hostname: 'node-1', addr: '127.0.0.1:9' });
    double.auth!.addNode({ hostname: 'node-2', addr: '127.0.0.1:9' });
    const unknown = await https('GET', q('target=ssh&host=node-9.teleport.example.test'), {
      upgrade: true,
      cert: botCert,
    });
    expect(JSON.parse(unknown.body).error.message).toBe(
      'failed to dial target host: no node named "node-9.teleport.example.test" in cluster "teleport.example.test"',
    );
    // The `ops` role restricts nodes to node-2: node-1 is invisible.
    const hidden = await https('GET', q('target=ssh&host=node-1.teleport.example.test'), {
      upgrade: true,
      cert: botCert,
    });
    expect(hidden.status).toBe(404);
    // node-2 is allowed but nothing listens there: the proxy says why.
    const down = await https('GET', q('target=ssh&host=node-2.teleport.example.test'), {
      upgrade: true,
      cert: botCert,
    });
    expect(down.status).toBe(502);
    expect(JSON.parse(down.body).error.message).toMatch(
      /^failed to connect to node "node-2" at 127\.0\.0\.1:9: /,
    );
    const app = await https('GET', q('target=app&name=grafana'), { upgrade: true, cert: botCert });
    expect(JSON.parse(app.body).error.message).toBe(
      'access denied: the client certificate is not for application "grafana"',
    );
  });
});
