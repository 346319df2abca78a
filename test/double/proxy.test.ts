import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProxyOptions, type ProxyServer, startProxy } from './proxy';
import { curl, httpsRequest } from './test-helpers';
import { createTestCa, type TestCa } from './tls';

let dir: string;
let ca: TestCa;
const started: ProxyServer[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'double-proxy-'));
  ca = await createTestCa(dir);
});
afterAll(async () => {
  await Promise.all(started.map((p) => p.close()));
  await rm(dir, { recursive: true, force: true });
});

async function proxy(opts: Partial<ProxyOptions> = {}): Promise<ProxyServer> {
  const p = await startProxy({ ca, ...opts });
  started.push(p);
  return p;
}

async function getJson(p: ProxyServer, route: string) {
  const r = await httpsRequest(`${p.url}${route}`, ca.certPem);
  expect(r.headers['content-type']).toBe('application/json');
  return { status: r.status, body: JSON.parse(r.text) as Record<string, unknown> };
}

describe('GET /webapi/find (teleport-behaviour.md §5.1)', () => {
  it('answers a modern proxy with the full shape', async () => {
    const p = await proxy();
    expect(p.addr).toMatch(/^localhost:\d+$/);
    expect(p.url).toBe(`https://${p.addr}`);
    const { status, body } = await getJson(p, '/webapi/find');
    expect(status).toBe(200);
    expect(body).toEqual({
      auth: {
        type: '',
        private_key_policy: '',
        piv_slot: '',
        piv_pin_cache_duration: 0,
        has_motd: false,
        default_session_ttl: 0,
        signature_algorithm_suite: 'balanced-v1',
      },
      proxy: {
        kube: { enabled: true, public_addr: p.addr, listen_addr: '0.0.0.0:3026' },
        ssh: {
          listen_addr: '0.0.0.0:3023',
          tunnel_listen_addr: '0.0.0.0:3024',
          web_listen_addr: '0.0.0.0:3080',
          public_addr: p.addr,
          ssh_public_addr: p.addr,
          ssh_tunnel_public_addr: p.addr,
          dial_timeout: 0,
        },
        db: {
          postgres_listen_addr: '0.0.0.0:3080',
          postgres_public_addr: p.addr,
          mysql_listen_addr: '0.0.0.0:3036',
          mysql_public_addr: p.addr,
          mongo_listen_addr: '0.0.0.0:3080',
          mongo_public_addr: p.addr,
        },
        tls_routing_enabled: true,
      },
      server_version: '17.4.2',
      min_client_version: '16.0.0-aa',
      cluster_name: 'teleport.example.test',
      automatic_upgrades: false,
      edition: 'oss',
      fips: false,
      auto_update: {
        tools_version: '17.4.2',
        tools_auto_update: false,
        agent_version: '17.4.2',
        agent_auto_update: false,
        agent_update_jitter_seconds: 60,
      },
    });
  });

  it('reports a separate tools version without v, and the cluster name', async () => {
    const p = await proxy({
      serverVersion: 'v18.6.4',
      toolsVersion: 'v17.2.8',
      clusterName: 'acme.test',
    });
    const { body } = await getJson(p, '/webapi/find?group=prod');
    expect(body).toMatchObject({
      server_version: '18.6.4',
      min_client_version: '17.0.0-aa',
      cluster_name: 'acme.test',
      auto_update: { tools_version: '17.2.8', agent_version: '18.6.4' },
    });
  });

  it('legacy: no auto_update, edition or fips', async () => {
    const p = await proxy({ legacy: true, serverVersion: '16.4.9' });
    const { body } = await getJson(p, '/webapi/find');
    expect(body).not.toHaveProperty('auto_update');
    expect(body).not.toHaveProperty('edition');
    expect(body).not.toHaveProperty('fips');
    expect(body).not.toHaveProperty('auth.signature_algorithm_suite');
    expect(body).toMatchObject({ server_version: '16.4.9', automatic_upgrades: false });
  });

  it.each<[string, Partial<ProxyOptions>, Record<string, unknown>]>([
    ['enterprise', { edition: 'ent' }, { edition: 'ent', fips: false }],
    ['community', { edition: 'community' }, { edition: 'community', fips: false }],
    [
      'FIPS',
      { fips: true },
      {
        edition: 'ent',
        fips: true,
        auth: expect.objectContaining({ signature_algorithm_suite: 'fips-v1' }),
      },
    ],
  ])('%s build', async (_label, opts, expected) => {
    const p = await proxy(opts);
    const { body } = await getJson(p, '/webapi/find');
    expect(body).toMatchObject(expected);
    expect(body).toHaveProperty('auto_update.tools_version', '17.4.2');
  });

  it('html: every path is an HTML page, as from a web server that is not Teleport', async () => {
    const p = await proxy({ html: true });
    for (const route of ['/webapi/find', '/', '/anything']) {
      const r = await httpsRequest(`${p.url}${route}`, ca.certPem);
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toMatch(/^text\/html/);
      expect(r.text).toMatch(/^<!DOCTYPE html>/);
      expect(() => JSON.parse(r.text)).toThrow();
    }
  });

  it('is reachable with curl --cacert at the addr a user types', async () => {
    const p = await proxy();
    const r = await curl(ca.certPath, '-f', `https://${p.addr}/webapi/find`);
    expect(JSON.parse(r.stdout)).toHaveProperty('auto_update.tools_version', '17.4.2');
  });
});

describe('GET /webapi/ping (teleport-behaviour.md §5.2)', () => {
  it('carries the full auth settings', async () => {
    const p = await proxy();
    const { status, body } = await getJson(p, '/webapi/ping');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      auth: {
        type: 'local',
        second_factor: 'on',
        local: { name: '' },
        private_key_policy: 'none',
        device_trust: { disabled: true },
        has_motd: false,
        load_all_cas: false,
        signature_algorithm_suite: 'balanced-v1',
      },
      server_version: '17.4.2',
      automatic_upgrades: false,
      auto_update: { tools_version: '17.4.2' },
    });
  });

  it('per connector: local works, others are a 400 error JSON', async () => {
    const p = await proxy();
    expect((await getJson(p, '/webapi/ping/local')).status).toBe(200);
    const bad = await getJson(p, '/webapi/ping/github');
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ error: { message: expect.stringContaining('github') } });
  });
});

describe('router', () => {
  it('404s unknown paths and 405s wrong methods with Teleport error JSON', async () => {
    const p = await proxy();
    const missing = await getJson(p, '/webapi/nope');
    expect(missing).toEqual({ status: 404, body: { error: { message: expect.any(String) } } });
    const post = await httpsRequest(`${p.url}/webapi/find`, ca.certPem, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET');
    expect(JSON.parse(post.text)).toEqual({ error: { message: expect.any(String) } });
  });

  it('takes new routes, with params and JSON bodies', async () => {
    const p = await proxy();
    p.addRoute('POST', '/v1/webapi/host/:kind', async (ctx) => {
      ctx.json(200, {
        kind: ctx.params.kind,
        got: await ctx.readJson(),
        cluster: ctx.settings.clusterName,
      });
    });
    const r = await httpsRequest(`${p.url}/v1/webapi/host/credentials`, ca.certPem, {
      method: 'POST',
      body: '{"token":"abc"}',
    });
    expect(JSON.parse(r.text)).toEqual({
      kind: 'credentials',
      got: { token: 'abc' },
      cluster: 'teleport.example.test',
    });
  });

  it('update() changes the answers from the next request on', async () => {
    const p = await proxy();
    p.update({ serverVersion: '18.6.4', legacy: true });
    const { body } = await getJson(p, '/webapi/find');
    expect(body.server_version).toBe('18.6.4');
    expect(body).not.toHaveProperty('auto_update');
    p.update({ legacy: false, html: true });
    const html = await httpsRequest(`${p.url}/webapi/find`, ca.certPem);
    expect(html.text).toMatch(/^<!DOCTYPE html>/);
  });

  it('logs requests', async () => {
    const p = await proxy();
    await getJson(p, '/webapi/find?group=a');
    await getJson(p, '/webapi/ping');
    expect(p.requests).toEqual([
      { method: 'GET', path: '/webapi/find?group=a' },
      { method: 'GET', path: '/webapi/ping' },
    ]);
  });
});
