// The auth double's inventory listings on the proxy (README "Protocol"): `GET /v1/double/nodes`
// (what the stand-in `tsh ls` shows) and `GET /v1/double/kube-clusters?labels=` (what the
// stand-in tbot's kubernetes/v2 label selectors query). Mutual TLS with any certificate the
// auth issued; each sees what its roles allow.
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Double, startDouble } from '../index';
import { generateKeyPair } from '../standin/tbot/keys';
import {
  CERTS_PATH,
  JOIN_PATH,
  KUBE_CLUSTERS_PATH,
  type KubeClustersResponse,
  NODES_PATH,
  type NodesResponse,
} from './protocol';
import { createX509Ca } from './x509';

let work: string;
let double: Double;
let botCert: { key: string; cert: string };

type Cert = { key: string; cert: string };

function https(p: string, cert?: Cert, method = 'GET', body?: unknown) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(`${double.proxy.url}${p}`, {
      method,
      ca: double.ca.certPem,
      agent: false,
      ...(cert ?? {}),
      headers: payload ? { 'content-type': 'application/json' } : {},
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d: Buffer) => {
        text += d.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** An output certificate for a role subset, minted with the bot certificate. */
async function outputCert(roles: string[]): Promise<Cert> {
  const key = await generateKeyPair();
  const r = await https(CERTS_PATH, botCert, 'POST', {
    ssh_public_key: key.sshPublicKey,
    tls_public_key: key.tlsPublicKeyPem,
    ttl_seconds: 600,
    roles,
  });
  expect(r.status, r.body).toBe(200);
  return { key: key.privateKeyPem, cert: JSON.parse(r.body).identity.tls_cert };
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'auth-listing-'));
  double = await startDouble({ auth: { sshd: false }, cacheDir: path.join(work, 'cache') });
  const auth = double.auth!;
  auth.addRole({ name: 'ssh', logins: ['ci'] });
  auth.addRole({ name: 'prod-nodes', logins: ['ci'], node_labels: { env: 'prod' } });
  auth.addRole({ name: 'kube', kube_clusters: ['prod-a', 'prod-b', 'dev'] });
  auth.addRole({ name: 'kube-labels', kubernetes_labels: { team: 'web' } });
  auth.addBot({ name: 'ci', roles: ['ssh', 'prod-nodes', 'kube', 'kube-labels'] });
  auth.addNode({ hostname: 'web-2', addr: '10.0.0.2:3022', labels: { env: 'prod' } });
  auth.addNode({ hostname: 'build-1', addr: '10.0.0.9:3022', labels: { env: 'ci' } });
  const kube = (name: string, labels: Record<string, string>) =>
    auth.addKubeCluster({ name, apiUrl: `https://127.0.0.1:1/${name}`, caPem: 'CA', labels });
  kube('prod-b', { env: 'prod', team: 'web' });
  kube('prod-a', { env: 'prod' });
  kube('dev', { env: 'dev' });
  kube('secret', { env: 'prod' }); // no role allows it
  kube('web-staging', { env: 'staging', team: 'web' }); // allowed by labels only
  auth.addToken({
    kind: 'token',
    version: 'v2',
    metadata: { name: 'once' },
    spec: { roles: ['Bot'], join_method: 'token', bot_name: 'ci' },
  });
  const key = await generateKeyPair();
  const r = await https(JOIN_PATH, undefined, 'POST', {
    token: 'once',
    join_method: 'token',
    ssh_public_key: key.sshPublicKey,
    tls_public_key: key.tlsPublicKeyPem,
    ttl_seconds: 600,
  });
  expect(r.status, r.body).toBe(200);
  botCert = { key: key.privateKeyPem, cert: JSON.parse(r.body).identity.tls_cert };
}, 60_000);

afterAll(async () => {
  await double?.close();
  await rm(work, { recursive: true, force: true });
});

describe('GET /v1/double/nodes', () => {
  it('needs a certificate the auth issued', async () => {
    const none = await https(NODES_PATH);
    expect(none.status).toBe(403);
    expect(JSON.parse(none.body).error.message).toMatch(/^access denied: /);
    const foreignCa = await createX509Ca('user', 'teleport.example.test');
    const key = await generateKeyPair();
    const foreign = await foreignCa.issue({
      publicKeyPem: key.tlsPublicKeyPem,
      commonName: 'bot-ci',
      organizations: ['ssh'],
      notAfter: new Date(Date.now() + 600_000),
    });
    const r = await https(NODES_PATH, { key: key.privateKeyPem, cert: foreign.certPem });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body).error.message).toMatch(
      /^access denied: the client certificate was rejected/,
    );
  });

  it('lists every node, sorted, with a stable id, when no role restricts nodes', async () => {
    const r = await https(NODES_PATH, await outputCert(['ssh']));
    expect(r.status).toBe(200);
    const { nodes } = JSON.parse(r.body) as NodesResponse;
    expect(nodes.map((n) => [n.hostname, n.addr, n.labels])).toEqual([
      ['build-1', '10.0.0.9:3022', { env: 'ci' }],
      ['web-2', '10.0.0.2:3022', { env: 'prod' }],
    ]);
    expect(nodes[0]?.id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const again = JSON.parse((await https(NODES_PATH, botCert)).body) as NodesResponse;
    expect(again.nodes.find((n) => n.hostname === 'web-2')?.id).toBe(nodes[1]?.id);
  });

  it('a role with node_labels limits the list (the same rule as the SSH tunnel)', async () => {
    const r = await https(NODES_PATH, await outputCert(['prod-nodes']));
    expect((JSON.parse(r.body) as NodesResponse).nodes.map((n) => n.hostname)).toEqual(['web-2']);
    // The bot identity holds both roles: prod-nodes restricts, and ssh grants nothing extra.
    const bot = JSON.parse((await https(NODES_PATH, botCert)).body) as NodesResponse;
    expect(bot.nodes.map((n) => n.hostname)).toEqual(['web-2']);
  });
});

describe('GET /v1/double/kube-clusters', () => {
  const list = async (cert: Cert, labels?: Record<string, string>) => {
    const q = labels ? `?labels=${encodeURIComponent(JSON.stringify(labels))}` : '';
    const r = await https(`${KUBE_CLUSTERS_PATH}${q}`, cert);
    expect(r.status, r.body).toBe(200);
    return (JSON.parse(r.body) as KubeClustersResponse).kube_clusters;
  };

  it('lists what the roles allow (names or labels), sorted by name, with the kubeconfig fields', async () => {
    const all = await list(botCert);
    expect(all.map((k) => k.name)).toEqual(['dev', 'prod-a', 'prod-b', 'web-staging']);
    expect(all[1]).toEqual({
      name: 'prod-a',
      labels: { env: 'prod' },
      api_url: 'https://127.0.0.1:1/prod-a',
      ca_pem: 'CA',
      tls_server_name: 'kube-teleport-proxy-alpn.teleport.example.test',
    });
  });

  it('filters by labels: every key must match exactly', async () => {
    expect((await list(botCert, { env: 'prod' })).map((k) => k.name)).toEqual(['prod-a', 'prod-b']);
    expect((await list(botCert, { env: 'prod', team: 'web' })).map((k) => k.name)).toEqual([
      'prod-b',
    ]);
    expect(await list(botCert, { env: 'nowhere' })).toEqual([]);
  });

  it('an output certificate sees only its roles', async () => {
    const cert = await outputCert(['kube-labels']);
    expect((await list(cert)).map((k) => k.name)).toEqual(['prod-b', 'web-staging']);
    expect(await list(await outputCert(['ssh']))).toEqual([]);
  });

  it('refuses a labels parameter that is not a JSON object of strings', async () => {
    for (const bad of ['nope', '["env"]', '{"env":1}']) {
      const r = await https(`${KUBE_CLUSTERS_PATH}?labels=${encodeURIComponent(bad)}`, botCert);
      expect(r.status).toBe(400);
      expect(JSON.parse(r.body).error.message).toBe('labels must be a JSON object of strings');
    }
  });
});
