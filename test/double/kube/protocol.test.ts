// The kube double's HTTP behaviour, below kubectl: content negotiation, routing and Status
// bodies, checked with node's https client and client certificates.

import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCa, type TestCa } from '../tls';
import { type ClientCa, type ClientCert, createClientCa } from './client-ca';
import { humanDuration } from './objects';
import { encodePathComponent, type KubeApi, startKubeApi } from './server';

let dir: string;
let ca: TestCa;
let clientCa: ClientCa;
let api: KubeApi;
let admin: ClientCert;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kube-proto-'));
  ca = await createTestCa(dir);
  clientCa = await createClientCa();
  api = await startKubeApi({
    clientCaPem: clientCa.certPem,
    serverCert: await ca.issueServerCert(['127.0.0.1']),
    clusters: {
      a: { pods: [{ namespace: 'default', name: 'p1' }] },
      b: { namespaces: ['only'] },
    },
  });
  admin = await clientCa.issueClientCert({ cn: 'root', organizations: ['system:masters'] });
});

afterAll(async () => {
  await api?.close();
  await rm(dir, { recursive: true, force: true });
});

interface Res {
  status: number;
  contentType: string | undefined;
  body: Record<string, unknown>;
}

function get(url: string, opts: { cert?: ClientCert; accept?: string } = {}): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        ca: ca.certPem,
        cert: opts.cert?.certPem,
        key: opts.cert?.keyPem,
        headers: opts.accept ? { accept: opts.accept } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers['content-type'],
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('routing and authentication', () => {
  it('401 Status without a client certificate', async () => {
    const r = await get(`${api.urlFor('a')}/version`);
    expect(r.status).toBe(401);
    expect(r.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
  });

  it('urlFor uses tbot v2 path routing: /v1/teleport/<b64url teleport>/<b64url kube>', async () => {
    expect(api.urlFor('a')).toBe(
      `${api.baseUrl}/v1/teleport/${encodePathComponent('teleport.example.test')}/YQ`,
    );
    expect(encodePathComponent('loooong-kube?')).not.toMatch(/[=+/]/);
    const r = await get(`${api.urlFor('b')}/api/v1/namespaces`, { cert: admin });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      kind: 'NamespaceList',
      items: [{ metadata: { name: 'only' } }],
    });
    expect(api.requests.at(-1)).toMatchObject({ cluster: 'b', path: '/api/v1/namespaces' });
  });

  it('unknown kube cluster, teleport cluster or path: 404 Status', async () => {
    const noKube = await get(`${api.urlFor('zzz')}/api`, { cert: admin });
    expect(noKube.status).toBe(404);
    expect(noKube.body.message).toBe('Kubernetes cluster "zzz" not found');
    const noTc = await get(`${api.urlFor('a', 'elsewhere')}/api`, { cert: admin });
    expect(noTc.status).toBe(404);
    const noPath = await get(`${api.urlFor('a')}/apis/apps/v1/deployments`, { cert: admin });
    expect(noPath.status).toBe(404);
    expect(noPath.body).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      message: 'the server could not find the requested resource',
    });
    // Two clusters and no kube cluster in the certificate: a prefix-less path cannot be routed.
    expect((await get(`${api.baseUrl}/api/v1/pods`, { cert: admin })).status).toBe(404);
  });
});

describe('content negotiation', () => {
  it('aggregated discovery when asked, with its content type; legacy otherwise', async () => {
    const agg = await get(`${api.urlFor('a')}/api`, {
      cert: admin,
      accept:
        'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
    });
    expect(agg.contentType).toBe(
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
    );
    expect(agg.body).toMatchObject({
      kind: 'APIGroupDiscoveryList',
      items: [
        {
          versions: [
            { version: 'v1', resources: [{ resource: 'namespaces' }, { resource: 'pods' }] },
          ],
        },
      ],
    });
    const legacy = await get(`${api.urlFor('a')}/api`, { cert: admin });
    expect(legacy.body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    expect((await get(`${api.urlFor('a')}/api/v1`, { cert: admin })).body).toMatchObject({
      kind: 'APIResourceList',
      groupVersion: 'v1',
    });
  });

  it('Table for as=Table (v1 or v1beta1), PodList for JSON, 406 for protobuf only', async () => {
    const url = `${api.urlFor('a')}/api/v1/namespaces/default/pods`;
    const t = await get(url, {
      cert: admin,
      accept: 'application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json',
    });
    expect(t.contentType).toBe('application/json;as=Table;v=v1beta1;g=meta.k8s.io');
    expect(t.body).toMatchObject({
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1beta1',
      rows: [
        {
          cells: ['p1', '1/1', 'Running', '0', '60m', '10.244.0.2', '<none>', '<none>', '<none>'],
          object: { kind: 'PartialObjectMetadata', metadata: { name: 'p1', namespace: 'default' } },
        },
      ],
    });
    const full = await get(`${url}?includeObject=Object`, {
      cert: admin,
      accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
    });
    expect(full.body).toMatchObject({ rows: [{ object: { kind: 'Pod' } }] });
    const plain = await get(url, { cert: admin, accept: 'application/json' });
    expect(plain.body).toMatchObject({ kind: 'PodList', items: [{ metadata: { name: 'p1' } }] });
    const proto = await get(url, { cert: admin, accept: 'application/vnd.kubernetes.protobuf' });
    expect(proto.status).toBe(406);
  });
});

it('humanDuration matches apimachinery', () => {
  expect(humanDuration(5_000)).toBe('5s');
  expect(humanDuration(119_000)).toBe('119s');
  expect(humanDuration(150_000)).toBe('2m30s');
  expect(humanDuration(3_600_000)).toBe('60m');
  expect(humanDuration(4 * 3_600_000)).toBe('4h');
  expect(humanDuration(30 * 3_600_000)).toBe('30h');
  expect(humanDuration(3 * 86_400_000 + 3_600_000)).toBe('3d1h');
  expect(humanDuration(100 * 86_400_000)).toBe('100d');
});
