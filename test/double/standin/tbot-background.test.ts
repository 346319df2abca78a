// The stand-in tbot in background mode (teleport-behaviour.md §1.6, §2.5, §5.4): diagnostics (/livez, /readyz,
// /wait), an application tunnel to a tiny HTTP service and a database tunnel to a tiny TCP
// service, the unhealthy report when a target is down, renewal on SIGHUP, exit on SIGTERM.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, request, type Server } from 'node:http';
import { connect, createServer, type Server as NetServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Double, startDouble } from '../index';
import { type Background, cleanEnv, run, startTbot, writeTbot } from './test-helpers';

let work: string;
let double: Double;
let app: Server;
let db: NetServer;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function listen(server: Server | NetServer): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Sends `line` over TCP and resolves with everything received until the server closes. */
function tcpExchange(port: number, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: '127.0.0.1', port });
    let got = '';
    sock.on('data', (d: Buffer) => {
      got += d.toString();
    });
    sock.on('error', reject);
    sock.on('close', () => resolve(got));
    sock.on('connect', () => sock.end(line));
  });
}

async function waitFor<T>(fn: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'standin-bg-'));
  double = await startDouble({ auth: { sshd: false }, cacheDir: path.join(work, 'cache') });
  app = createHttpServer((_req, res) => res.end('hello from grafana\n'));
  db = createServer((sock) => {
    sock.once('data', (d: Buffer) => sock.end(`db got: ${d.toString()}`));
  });
  const [appPort, dbPort, downPort] = [await listen(app), await listen(db), await freePort()];
  const auth = double.auth!;
  auth.addApp({ name: 'grafana', uri: `http://127.0.0.1:${appPort}` });
  auth.addDatabase({ name: 'pg', protocol: 'postgres', uri: `127.0.0.1:${dbPort}` });
  auth.addDatabase({ name: 'pg-down', protocol: 'postgres', uri: `127.0.0.1:${downPort}` });
  auth.addRole({
    name: 'svc',
    logins: ['ci-standin'],
    apps: ['grafana'],
    dbs: ['pg', 'pg-down'],
    db_users: ['app'],
    db_names: ['appdb'],
  });
  auth.addBot({ name: 'svc', roles: ['svc'] });
  auth.addToken({
    kind: 'token',
    version: 'v2',
    metadata: { name: 'svc-bot' },
    spec: {
      roles: ['Bot'],
      join_method: 'github',
      bot_name: 'svc',
      github: { allow: [{ repository_owner: 'octo-org' }] },
    },
  });
}, 120_000);

afterAll(async () => {
  await double?.close();
  app?.close();
  db?.close();
  await rm(work, { recursive: true, force: true });
});

const env = () => cleanEnv({ ...double.env, ...double.auth!.github.env() });

describe('background mode (18.6.4)', () => {
  let bot: Background;
  let diag: string;
  let appTunnel: number;
  let dbTunnel: number;
  let downTunnel: number;
  let tbot: string;

  beforeAll(async () => {
    tbot = await writeTbot(work, '18.6.4');
    [appTunnel, dbTunnel, downTunnel] = [await freePort(), await freePort(), await freePort()];
    diag = `127.0.0.1:${await freePort()}`;
    const cfg = path.join(work, 'bg.yaml');
    await writeFile(
      cfg,
      `version: v2
proxy_server: ${double.proxy.addr}
onboarding: { join_method: github, token: svc-bot }
storage: { type: memory }
diag_addr: ${diag}
services:
  - type: application-tunnel
    name: grafana-tunnel
    listen: tcp://127.0.0.1:${appTunnel}
    app_name: grafana
  - type: database-tunnel
    name: pg-tunnel
    listen: tcp://127.0.0.1:${dbTunnel}
    service: pg
    database: appdb
    username: app
  - type: database-tunnel
    name: down-tunnel
    listen: tcp://127.0.0.1:${downTunnel}
    service: pg-down
    database: appdb
    username: app
  - type: identity
    name: id
    destination: { type: directory, path: ${path.join(work, 'bg-id')} }
`,
    );
    bot = startTbot(tbot, ['start', '-c', cfg], env());
  });

  afterAll(async () => {
    bot?.kill('SIGKILL');
  });

  it('/wait answers once every service reported; /readyz and /livez', async () => {
    const waited = await waitFor(() => get(`http://${diag}/wait`));
    expect(waited.status).toBe(200);
    expect(JSON.parse(waited.body)).toEqual({
      status: 'healthy',
      services: {
        identity: { status: 'healthy' },
        'grafana-tunnel': { status: 'healthy' },
        'pg-tunnel': { status: 'healthy' },
        'down-tunnel': { status: 'healthy' },
        id: { status: 'healthy' },
      },
    });
    // /livez is plain `OK` (teleport-behaviour.md §5.4, the diagnostics service reference).
    expect(await get(`http://${diag}/livez`)).toEqual({ status: 200, body: 'OK' });
    expect((await get(`http://${diag}/readyz/pg-tunnel`)).body).toBe('{"status":"healthy"}\n');
    const missing = await get(`http://${diag}/readyz/nope`);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toEqual({ error: 'Service named "nope" not found.' });
  });

  it('tbot wait (18) succeeds against a ready bot', async () => {
    const r = await run(tbot, ['wait', `--diag-addr=${diag}`, '--service=grafana-tunnel'], {
      env: env(),
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('the application tunnel reaches the app through the proxy', async () => {
    const r = await get(`http://127.0.0.1:${appTunnel}/`);
    expect(r).toEqual({ status: 200, body: 'hello from grafana\n' });
    expect(double.auth!.tunnels.at(-1)).toMatchObject({ target: 'app', name: 'grafana', ok: true });
  });

  it('the database tunnel reaches the database through the proxy', async () => {
    const got = await tcpExchange(dbTunnel, 'SELECT 1');
    expect(got).toBe('db got: SELECT 1');
    expect(double.auth!.tunnels.at(-1)).toMatchObject({ target: 'db', name: 'pg', ok: true });
  });

  it('a target that is down: the connection fails and the service turns unhealthy', async () => {
    expect(await tcpExchange(downTunnel, 'SELECT 1')).toBe('');
    const ready = await waitFor(async () => {
      const r = await get(`http://${diag}/readyz/down-tunnel`);
      return r.status === 503 ? r : undefined;
    });
    const body = JSON.parse(ready.body) as { status: string; reason: string };
    expect(body.status).toBe('unhealthy');
    // The overall status is only healthy or unhealthy (readyz.go OverallStatus, §5.4).
    const overall = await get(`http://${diag}/readyz`);
    expect(overall.status).toBe(503);
    expect((JSON.parse(overall.body) as { status: string }).status).toBe('unhealthy');
    expect(body.reason).toMatch(
      /^failed to connect to database "pg-down" at 127\.0\.0\.1:\d+: connect ECONNREFUSED/,
    );
    const all = await get(`http://${diag}/readyz`);
    expect(all.status).toBe(503);
    expect(JSON.parse(all.body).status).toBe('unhealthy');
    const wait = await run(tbot, ['wait', `--diag-addr=${diag}`], { env: env() });
    expect(wait.code).toBe(1);
    expect(wait.stderr).toContain('ERROR: tbot is unhealthy');
  });

  it('renews on SIGHUP (joining again) and stops on SIGTERM', async () => {
    const joins = double.auth!.joins.length;
    bot.kill('SIGHUP');
    await waitFor(async () => (double.auth!.joins.length > joins ? true : undefined));
    bot.kill('SIGTERM');
    expect(await bot.exited).toEqual({ code: 0, signal: null });
    await expect(get(`http://${diag}/livez`)).rejects.toThrow();
    await expect(tcpExchange(appTunnel, 'x')).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('versions and oneshot', () => {
  it('17.4.2 has /readyz but no /wait', async () => {
    const tbot = await writeTbot(work, '17.4.2');
    const diag = `127.0.0.1:${await freePort()}`;
    const bot = startTbot(
      tbot,
      [
        'start',
        '--join-method=github',
        '--token=svc-bot',
        `--proxy-server=${double.proxy.addr}`,
        '--data-dir=memory://',
        `--diag-addr=${diag}`,
        `--destination-dir=${path.join(work, 'v17')}`,
      ],
      env(),
    );
    try {
      const ready = await waitFor(async () => {
        const r = await get(`http://${diag}/readyz`);
        return r.status === 200 ? r : undefined;
      });
      expect(JSON.parse(ready.body).services).toEqual({
        identity: { status: 'healthy' },
        'identity-1': { status: 'healthy' },
      });
      expect((await get(`http://${diag}/wait`)).status).toBe(404);
    } finally {
      bot.kill('SIGINT');
      expect((await bot.exited).code).toBe(0);
    }
  });

  it('oneshot skips the tunnels and exits 0', async () => {
    const tbot = await writeTbot(work, '18.6.4');
    const port = await freePort();
    const cfg = path.join(work, 'oneshot.yaml');
    await writeFile(
      cfg,
      `version: v2
proxy_server: ${double.proxy.addr}
onboarding: { join_method: github, token: svc-bot }
storage: { type: memory }
oneshot: true
services:
  - type: database-tunnel
    listen: tcp://127.0.0.1:${port}
    service: pg
    database: appdb
    username: app
`,
    );
    const r = await run(tbot, ['start', '-c', cfg, '--debug'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Service does not support oneshot mode, ignoring');
    await expect(tcpExchange(port, 'x')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('a database the role does not allow (user not in db_users)', async () => {
    const tbot = await writeTbot(work, '18.6.4');
    const r = await run(
      tbot,
      [
        'start',
        'database',
        '--destination=memory://',
        '--service=pg',
        '--username=postgres',
        '--database=appdb',
        '--join-method=github',
        '--token=svc-bot',
        `--proxy-server=${double.proxy.addr}`,
        '--oneshot',
        '--storage=memory://',
      ],
      { env: env() },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'access to db denied. User does not have permissions. Confirm database user and name.',
    );
  });
});
