// The kube double against the REAL kubectl, with kubeconfigs in tbot's shape (teleport-behaviour.md §3).
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCa, type TestCa } from '../tls';
import { type ClientCa, createClientCa } from './client-ca';
import { type KubeCredentials, tbotKubeconfig } from './kubeconfig';
import { type KubectlOptions, kubectl as runKubectl } from './kubectl';
import { type KubeApi, type KubeRequest, startKubeApi } from './server';

// KUBE_DOUBLE_KUBECTL=<path> runs the suite with another kubectl (e.g. Debian's old 1.20).
const KUBECTL = process.env.KUBE_DOUBLE_KUBECTL || 'kubectl';
const TC = 'teleport.example.test';
const SNI = `kube-teleport-proxy-alpn.${TC}`;

let dir: string;
let ca: TestCa;
let clientCa: ClientCa;
let api: KubeApi;
let admin: { certPem: string; keyPem: string };
let n = 0;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kube-double-'));
  ca = await createTestCa(dir);
  clientCa = await createClientCa();
  // tbot writes tls-server-name kube-teleport-proxy-alpn.<teleport cluster> (TLS routing), so
  // the server certificate must carry it beside the address kubectl dials.
  const serverCert = await ca.issueServerCert(['127.0.0.1', 'localhost', SNI]);
  api = await startKubeApi({
    clientCaPem: clientCa.certPem,
    serverCert,
    clusters: {
      prod: {
        pods: [
          { namespace: 'default', name: 'web-1' },
          { namespace: 'default', name: 'web-2', phase: 'Pending', node: 'node-a' },
          { namespace: 'apps', name: 'api-0', node: 'node-b' },
        ],
        allowedGroups: ['prod-readers'],
      },
      staging: {
        namespaces: ['default', 'staging'],
        pods: [{ namespace: 'staging', name: 'worker-0' }],
      },
    },
  });
  admin = await clientCa.issueClientCert({ cn: 'bot-ci', organizations: ['system:masters'] });
});

afterAll(async () => {
  await api?.close();
  await rm(dir, { recursive: true, force: true });
});

/** A fresh scratch directory with a private HOME (no ~/.kube, no shared discovery cache). */
async function scratch(): Promise<{ dir: string; home: string }> {
  const d = path.join(dir, `run-${++n}`);
  await mkdir(path.join(d, 'home'), { recursive: true });
  return { dir: d, home: path.join(d, 'home') };
}

async function writeKubeconfig(
  at: string,
  credentials: KubeCredentials,
  opts: { tlsServerName?: string | null; clusters?: string[] } = {},
): Promise<string> {
  const file = path.join(at, 'kubeconfig.yaml');
  const yaml = tbotKubeconfig({
    teleportCluster: TC,
    clusters: (opts.clusters ?? ['prod', 'staging']).map((name) => ({
      name,
      server: api.urlFor(name),
    })),
    caPem: ca.certPem,
    tlsServerName: opts.tlsServerName,
    credentials,
  });
  await writeFile(file, yaml, { mode: 0o600 });
  return file;
}

/** kubectl with a tbot-shaped kubeconfig holding `credentials`, in an isolated HOME. */
async function kc(args: string[], credentials: KubeCredentials = admin, home?: string) {
  const s = await scratch();
  const kubeconfig = await writeKubeconfig(s.dir, credentials);
  return kubectl(args, { kubeconfig, home: home ?? s.home });
}

const kubectl = (args: string[], opts: KubectlOptions) =>
  runKubectl(args, { kubectl: KUBECTL, ...opts });

const since = (mark: number) => api.requests.slice(mark);
const resourceRequest = (reqs: KubeRequest[]) => reqs.filter((r) => r.path.startsWith('/api/v1/'));
const lines = (s: string) => s.trim().split('\n');

const UNAUTHORIZED =
  /error: You must be logged in to the server \((Unauthorized|the server has asked for the client to provide credentials)\)/;

describe('client certificate embedded in the kubeconfig (disable_exec_plugin)', () => {
  it('kubectl get pods -n default lists the pods of the context cluster as a table', async () => {
    const mark = api.requests.length;
    const r = await kc(['get', 'pods', '-n', 'default']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    expect(out[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(out[1]).toMatch(/^web-1\s+1\/1\s+Running\s+0\s+60m$/);
    expect(out[2]).toMatch(/^web-2\s+0\/1\s+Pending\s+0\s+60m$/);
    expect(out).toHaveLength(3);

    const list = resourceRequest(since(mark));
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      cluster: 'prod',
      method: 'GET',
      path: '/api/v1/namespaces/default/pods',
      user: 'bot-ci',
      groups: ['system:masters'],
      status: 200,
      serverName: SNI,
    });
    expect(list[0]?.accept).toContain('application/json;as=Table;v=v1;g=meta.k8s.io');
  });

  it('get pods -A adds the NAMESPACE column; get namespaces; -o wide', async () => {
    const all = await kc(['get', 'pods', '-A']);
    expect(all.code).toBe(0);
    expect(lines(all.stdout)).toEqual([
      expect.stringMatching(/^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/),
      expect.stringMatching(/^apps\s+api-0\s+1\/1\s+Running/),
      expect.stringMatching(/^default\s+web-1\s+1\/1\s+Running/),
      expect.stringMatching(/^default\s+web-2\s+0\/1\s+Pending/),
    ]);

    const ns = await kc(['get', 'namespaces']);
    expect(ns.code).toBe(0);
    expect(lines(ns.stdout).map((l) => l.split(/\s+/).slice(0, 2))).toEqual([
      ['NAME', 'STATUS'],
      ['apps', 'Active'],
      ['default', 'Active'],
      ['kube-node-lease', 'Active'],
      ['kube-public', 'Active'],
      ['kube-system', 'Active'],
    ]);

    const wide = await kc(['get', 'pod', 'web-2', '-n', 'default', '-o', 'wide']);
    expect(wide.code).toBe(0);
    expect(lines(wide.stdout)[0]).toMatch(/NODE\s+NOMINATED NODE\s+READINESS GATES$/);
    expect(lines(wide.stdout)[1]).toMatch(/^web-2\s+0\/1\s+Pending\s+0\s+60m\s+<none>\s+node-a\s/);
  });

  it('-o name and -o json (plain lists, no Table)', async () => {
    const mark = api.requests.length;
    const names = await kc(['get', 'pods', '-n', 'default', '-o', 'name']);
    expect(names.code).toBe(0);
    expect(names.stdout).toBe('pod/web-1\npod/web-2\n');
    expect(resourceRequest(since(mark))[0]?.accept).toBe('application/json');

    const j = await kc(['get', 'pods', '-A', '-o', 'json']);
    expect(j.code).toBe(0);
    const doc = JSON.parse(j.stdout) as {
      kind: string;
      items: Array<{ kind: string; metadata: { name: string; namespace: string } }>;
    };
    expect(doc.kind).toBe('List');
    expect(doc.items.map((i) => `${i.kind} ${i.metadata.namespace}/${i.metadata.name}`)).toEqual([
      'Pod apps/api-0',
      'Pod default/web-1',
      'Pod default/web-2',
    ]);

    const one = await kc(['get', 'pod', 'api-0', '-n', 'apps', '-o', 'json']);
    expect(JSON.parse(one.stdout)).toMatchObject({
      kind: 'Pod',
      metadata: { name: 'api-0', namespace: 'apps' },
      spec: { nodeName: 'node-b' },
      status: { phase: 'Running' },
    });
  });

  it('an unknown pod is a NotFound Status', async () => {
    const r = await kc(['get', 'pod', 'nope', '-n', 'default']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Error from server (NotFound): pods "nope" not found');
  });

  it('kubectl version shows the server version', async () => {
    const r = await kc(['version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Client Version: /m);
    // kubectl < 1.28 prints the whole version.Info struct.
    expect(r.stdout).toMatch(
      /^Server Version: (v1\.32\.4|version\.Info\{.*GitVersion:"v1\.32\.4")/m,
    );
  });

  it('each context reaches its own kube cluster through the path prefix', async () => {
    const mark = api.requests.length;
    const r = await kc(['--context', `${TC}-staging`, 'get', 'pods', '-n', 'staging']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^worker-0\s+1\/1\s+Running/m);
    expect(resourceRequest(since(mark))[0]).toMatchObject({
      cluster: 'staging',
      path: '/api/v1/namespaces/staging/pods',
    });
  });
});

describe('exec plugin (tbot kube credentials --destination-dir=<dir>)', () => {
  it('kubectl runs the plugin and authenticates with the ExecCredential it prints', async () => {
    const s = await scratch();
    const dest = path.join(s.dir, 'tbot-out');
    await mkdir(dest);
    const bot = await clientCa.issueClientCert({ cn: 'bot-exec', organizations: ['prod-readers'] });
    // What tbot leaves in the destination (teleport-behaviour.md §3): `tlscert` and `key`.
    await writeFile(path.join(dest, 'tlscert'), bot.certPem);
    await writeFile(path.join(dest, 'key'), bot.keyPem, { mode: 0o600 });
    const tbot = path.join(s.dir, 'tbot');
    await writeFile(
      tbot,
      `#!${process.execPath}
const fs = require('node:fs');
const path = require('node:path');
const args = process.argv.slice(2);
const dirArg = args.find((a) => a.startsWith('--destination-dir='));
if (args[0] !== 'kube' || args[1] !== 'credentials' || !dirArg) {
  console.error('usage: tbot kube credentials --destination-dir=<dir>');
  process.exit(2);
}
const dir = dirArg.slice('--destination-dir='.length);
fs.appendFileSync(path.join(dir, 'calls.log'), JSON.stringify({ args, info: process.env.KUBERNETES_EXEC_INFO }) + '\\n');
process.stdout.write(JSON.stringify({
  kind: 'ExecCredential',
  apiVersion: 'client.authentication.k8s.io/v1beta1',
  status: {
    clientCertificateData: fs.readFileSync(path.join(dir, 'tlscert'), 'utf8'),
    clientKeyData: fs.readFileSync(path.join(dir, 'key'), 'utf8'),
  },
}));
`,
    );
    await chmod(tbot, 0o755);
    const kubeconfig = await writeKubeconfig(s.dir, {
      exec: { command: tbot, destinationDir: dest },
    });
    expect(await readFile(kubeconfig, 'utf8')).toContain(
      'apiVersion: client.authentication.k8s.io/v1beta1',
    );

    const mark = api.requests.length;
    const r = await kubectl(['get', 'pods', '-n', 'default', '-o', 'name'], {
      kubeconfig,
      home: s.home,
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('pod/web-1\npod/web-2\n');
    expect(resourceRequest(since(mark))[0]).toMatchObject({
      cluster: 'prod',
      user: 'bot-exec',
      groups: ['prod-readers'],
      status: 200,
    });
    const calls = lines(await readFile(path.join(dest, 'calls.log'), 'utf8')).map(
      (l) => JSON.parse(l) as { args: string[]; info: string },
    );
    expect(calls.length).toBeGreaterThanOrEqual(1);
    expect(calls[0]?.args).toEqual(['kube', 'credentials', `--destination-dir=${dest}`]);
    expect(JSON.parse(calls[0]?.info ?? '{}')).toMatchObject({
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      kind: 'ExecCredential',
    });
  });
});

describe('authentication failures', () => {
  it('a client certificate from a foreign CA is Unauthorized', async () => {
    const foreign = await (await createClientCa()).issueClientCert({
      cn: 'bot-ci',
      organizations: ['system:masters'],
    });
    const mark = api.requests.length;
    const r = await kc(['get', 'pods', '-n', 'default'], foreign);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(UNAUTHORIZED);
    const reqs = since(mark);
    expect(reqs.length).toBeGreaterThan(0);
    for (const q of reqs) {
      expect(q.status).toBe(401);
      expect(q.user).toBeUndefined();
    }
  });

  it('no client certificate at all, or an expired one, is Unauthorized', async () => {
    const s = await scratch();
    const kubeconfig = path.join(s.dir, 'kubeconfig.yaml');
    // Same kubeconfig shape, but the user has a bearer token instead of a certificate (with no
    // credentials at all kubectl prompts for a username on stdin, and fails with "error: EOF").
    const yaml = (await readFile(await writeKubeconfig(s.dir, admin), 'utf8')).replace(
      /users:\n[\s\S]*$/,
      `users:\n  - name: ${TC}\n    user:\n      token: not-a-certificate\n`,
    );
    await writeFile(kubeconfig, yaml);
    const none = await kubectl(['get', 'pods'], { kubeconfig, home: s.home });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(UNAUTHORIZED);
    expect(api.requests.at(-1)?.status).toBe(401);
    expect(api.requests.at(-1)?.user).toBeUndefined();

    const expired = await clientCa.issueClientCert({
      cn: 'bot-ci',
      organizations: ['system:masters'],
      ttl: -60,
    });
    const r = await kc(['get', 'pods'], expired);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(UNAUTHORIZED);
  });

  it('with discovery cached, the 401 on the list itself reads "(Unauthorized)"', async () => {
    // kubectl words a 401 met during discovery generically ("the server has asked for the
    // client to provide credentials"); a 401 on the resource request shows the Status message.
    const { home } = await scratch();
    expect((await kc(['get', 'pods'], admin, home)).code).toBe(0);
    const foreign = await (await createClientCa()).issueClientCert({ cn: 'x' });
    const r = await kc(['get', 'pods'], foreign, home);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: You must be logged in to the server (Unauthorized)');
  });
});

describe('authorization', () => {
  it('a group that is neither system:masters nor allowed gets the RBAC forbidden message', async () => {
    const dev = await clientCa.issueClientCert({ cn: 'dev-bot', organizations: ['devs'] });
    const r = await kc(['get', 'pods', '-n', 'default'], dev);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'Error from server (Forbidden): pods is forbidden: User "dev-bot" cannot list resource "pods" in API group "" in the namespace "default"',
    );
    const all = await kc(['get', 'pods', '-A'], dev);
    expect(all.stderr).toContain(
      'Error from server (Forbidden): pods is forbidden: User "dev-bot" cannot list resource "pods" in API group "" at the cluster scope',
    );
    const one = await kc(['get', 'pod', 'web-1', '-n', 'default'], dev);
    expect(one.stderr).toContain(
      'Error from server (Forbidden): pods "web-1" is forbidden: User "dev-bot" cannot get resource "pods" in API group "" in the namespace "default"',
    );
    const ns = await kc(['get', 'namespaces'], dev);
    expect(ns.stderr).toContain(
      'Error from server (Forbidden): namespaces is forbidden: User "dev-bot" cannot list resource "namespaces" in API group "" at the cluster scope',
    );
  });

  it('allowedGroups grants a cluster, and only that cluster', async () => {
    const reader = await clientCa.issueClientCert({
      cn: 'reader',
      organizations: ['prod-readers'],
    });
    const prod = await kc(['get', 'pods', '-n', 'default', '-o', 'name'], reader);
    expect(prod.stdout).toBe('pod/web-1\npod/web-2\n');
    const staging = await kc(
      ['--context', `${TC}-staging`, 'get', 'pods', '-n', 'staging'],
      reader,
    );
    expect(staging.code).toBe(1);
    expect(staging.stderr).toContain(
      'Error from server (Forbidden): pods is forbidden: User "reader"',
    );
  });
});

describe('tls-server-name (TLS routing)', () => {
  it('kubectl sends it as SNI and verifies the server certificate against it', async () => {
    const mark = api.requests.length;
    const r = await kc(['get', 'namespaces', '-o', 'name']);
    expect(r.code).toBe(0);
    const reqs = since(mark);
    expect(reqs.length).toBeGreaterThan(0);
    for (const q of reqs) expect(q.serverName).toBe(SNI);

    // A server whose certificate lacks kube-teleport-proxy-alpn.<cluster> is refused by kubectl.
    const other = await startKubeApi({
      clientCaPem: clientCa.certPem,
      serverCert: await ca.issueServerCert(['127.0.0.1', 'localhost']),
      clusters: { prod: {} },
    });
    try {
      const s = await scratch();
      const kubeconfig = path.join(s.dir, 'kubeconfig.yaml');
      await writeFile(
        kubeconfig,
        tbotKubeconfig({
          teleportCluster: TC,
          clusters: [{ name: 'prod', server: other.urlFor('prod') }],
          caPem: ca.certPem,
          credentials: admin,
        }),
      );
      const bad = await kubectl(['get', 'pods'], { kubeconfig, home: s.home });
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain(`certificate is valid for localhost, not ${SNI}`);
      expect(other.requests).toHaveLength(0);
    } finally {
      await other.close();
    }
  });

  it('without tls-server-name kubectl checks the URL host instead (no SNI for an IP)', async () => {
    const s = await scratch();
    const kubeconfig = await writeKubeconfig(s.dir, admin, { tlsServerName: null });
    const mark = api.requests.length;
    const r = await kubectl(['get', 'pods', '-n', 'default', '-o', 'name'], {
      kubeconfig,
      home: s.home,
    });
    expect(r.code).toBe(0);
    expect(since(mark).every((q) => q.serverName === undefined)).toBe(true);
  });
});

describe('other shapes', () => {
  it('tbot v1 shape: bare proxy URL, kube cluster taken from the certificate', async () => {
    const s = await scratch();
    const cert = await clientCa.issueClientCert({
      cn: 'bot-v1',
      organizations: ['system:masters'],
      kubeCluster: 'staging',
      teleportCluster: TC,
    });
    const kubeconfig = path.join(s.dir, 'kubeconfig.yaml');
    await writeFile(
      kubeconfig,
      tbotKubeconfig({
        shape: 'v1',
        teleportCluster: TC,
        clusters: [{ name: 'staging', server: api.baseUrl }],
        caPem: ca.certPem,
        credentials: cert,
      }),
    );
    const mark = api.requests.length;
    const r = await kubectl(['get', 'pods', '-A', '-o', 'name'], { kubeconfig, home: s.home });
    expect(r.stdout).toBe('pod/worker-0\n');
    expect(resourceRequest(since(mark))[0]).toMatchObject({ cluster: 'staging', user: 'bot-v1' });
  });

  it('legacy discovery only (aggregatedDiscovery: false): kubectl falls back to /api/v1', async () => {
    const legacy = await startKubeApi({
      clientCaPem: clientCa.certPem,
      serverCert: await ca.issueServerCert(['127.0.0.1', SNI]),
      clusters: { prod: { pods: [{ namespace: 'default', name: 'solo' }] } },
      aggregatedDiscovery: false,
    });
    try {
      const s = await scratch();
      const kubeconfig = path.join(s.dir, 'kubeconfig.yaml');
      await writeFile(
        kubeconfig,
        tbotKubeconfig({
          teleportCluster: TC,
          clusters: [{ name: 'prod', server: legacy.urlFor('prod') }],
          caPem: ca.certPem,
          credentials: admin,
        }),
      );
      const r = await kubectl(['get', 'pods'], { kubeconfig, home: s.home });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^solo\s+1\/1\s+Running/m);
      expect(legacy.requests.map((q) => q.path)).toContain('/api/v1');
    } finally {
      await legacy.close();
    }
  });
});

describe('the gcloud kubectl dispatcher (when /usr/bin/kubectl is one)', () => {
  it('runs the kubectl.1.<minor> matching /version, and its default otherwise', async () => {
    const client = await runKubectl(['version', '--client'], {
      kubectl: KUBECTL,
      kubeconfig: '/dev/null',
      home: (await scratch()).home,
    });
    if (!client.stdout.includes('-dispatcher')) return; // a plain kubectl: nothing to check
    for (const [serverVersion, agent] of [
      ['v1.29.3', /^kubectl\/v1\.29\./],
      ['v1.45.0', /^kubectl\/v1\.\d+\.\d+ /],
    ] as const) {
      const other = await startKubeApi({
        clientCaPem: clientCa.certPem,
        serverCert: await ca.issueServerCert(['127.0.0.1', SNI]),
        clusters: { prod: { pods: [{ namespace: 'default', name: 'p' }] } },
        serverVersion,
      });
      try {
        const s = await scratch();
        const kubeconfig = path.join(s.dir, 'kubeconfig.yaml');
        await writeFile(
          kubeconfig,
          tbotKubeconfig({
            teleportCluster: TC,
            clusters: [{ name: 'prod', server: other.urlFor('prod') }],
            caPem: ca.certPem,
            credentials: admin,
          }),
        );
        const r = await kubectl(['get', 'pods', '-o', 'name'], { kubeconfig, home: s.home });
        expect(r.stdout).toBe('pod/p\n');
        // The dispatcher asks /version itself (5 s timeout), then execs the chosen kubectl.
        expect(other.requests[0]).toMatchObject({
          path: '/version',
          userAgent: expect.stringMatching(/^kubectl-dispatcher\//),
        });
        expect(other.requests.at(-1)?.userAgent).toMatch(agent);
      } finally {
        await other.close();
      }
    }
  });
});
