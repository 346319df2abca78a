// kubernetes/v2 label selectors (teleport-behaviour.md §2.5 `selectors: [{ labels, default_namespace? }]`, the
// kubeconfig shape of teleport-behaviour.md §3) driving the real kubectl against the Kubernetes API double.
// Real tbot (lib/tbot/services/k8s/output_v2.go `fetchAllMatchingKubeClusters`, and its
// TestKubernetesV2OutputService_fetch): a label selector lists the clusters the identity may
// see whose labels match; matches of every selector are deduplicated in order; a label selector
// that matches nothing is NOT an error (only a failed query is, wrapped in `unable to fetch
// clusters with labels map[...]`), so the kubeconfig then has no clusters and no contexts.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Double, startDouble } from '../index';
import { type KubeApi, kubectl, startKubeApi } from '../kube';
import { cleanEnv, run, writeTbot } from './test-helpers';

const TC = 'teleport.example.test';
let work: string;
let double: Double;
let kube: KubeApi;
let tbot: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'standin-kube-labels-'));
  double = await startDouble({ auth: { sshd: false }, cacheDir: path.join(work, 'cache') });
  const auth = double.auth!;
  // The role allows every cluster but `secret`; the selectors do the choosing.
  auth.addRole({
    name: 'kube-read',
    kube_clusters: ['prod-a', 'prod-b', 'dev'],
    kubernetes_groups: ['readers'],
  });
  auth.addRole({ name: 'ssh', logins: ['ci'] });
  auth.addBot({ name: 'ci', roles: ['kube-read', 'ssh'] });
  auth.addToken(`kind: token
version: v2
metadata: { name: github-bot }
spec:
  roles: [Bot]
  join_method: github
  bot_name: ci
  github:
    allow:
      - repository: octo-org/octo-repo
`);
  kube = await startKubeApi({
    clientCaPem: auth.tls.user.certPem,
    serverCert: await double.ca.issueServerCert([
      '127.0.0.1',
      'localhost',
      `kube-teleport-proxy-alpn.${TC}`,
    ]),
    clusters: {
      'prod-a': { pods: [{ namespace: 'default', name: 'web-a' }], allowedGroups: ['readers'] },
      'prod-b': { pods: [{ namespace: 'apps', name: 'api-b' }], allowedGroups: ['readers'] },
      dev: { pods: [{ namespace: 'default', name: 'dev-1' }], allowedGroups: ['readers'] },
      secret: { pods: [{ namespace: 'default', name: 'vault' }], allowedGroups: ['readers'] },
    },
  });
  const add = (name: string, labels: Record<string, string>) =>
    auth.addKubeCluster({ name, apiUrl: kube.urlFor(name), caPem: double.ca.certPem, labels });
  add('prod-b', { env: 'prod', team: 'web' });
  add('prod-a', { env: 'prod' });
  add('dev', { env: 'dev' });
  add('secret', { env: 'prod' });
  tbot = await writeTbot(work, '18.6.4');
}, 120_000);

afterAll(async () => {
  await kube?.close();
  await double?.close();
  await rm(work, { recursive: true, force: true });
});

let n = 0;
async function v2(selectors: string, extra = '') {
  const out = path.join(work, `out-${++n}`);
  const cfg = path.join(work, `tbot-${n}.yaml`);
  await writeFile(
    cfg,
    `version: v2
proxy_server: ${double.proxy.addr}
onboarding: { join_method: github, token: github-bot }
storage: { type: memory }
oneshot: true
services:
  - type: kubernetes/v2
${extra}    selectors:
${selectors}    destination: { type: directory, path: ${out} }
`,
  );
  const r = await run(tbot, ['start', '-c', cfg], {
    env: cleanEnv({ ...double.env, ...double.auth!.github.env() }),
  });
  const file = path.join(out, 'kubeconfig.yaml');
  return { r, out, file };
}

const names = (list: Array<{ name: string }> | null) => (list ?? []).map((c) => c.name);

describe('kubernetes/v2 label selectors (teleport-behaviour.md §2.5, §3)', () => {
  it('one cluster and context per match the roles allow; kubectl reaches each', async () => {
    const { r, out, file } = await v2('      - labels: { env: prod }\n');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Generated identity for Kubernetes access .*matched_cluster_count:2/);
    const config = parse(await readFile(file, 'utf8'));
    // `secret` carries env=prod but no role allows it; `dev` has other labels.
    expect(names(config.clusters)).toEqual([`${TC}-prod-a`, `${TC}-prod-b`]);
    expect(names(config.contexts)).toEqual([`${TC}-prod-a`, `${TC}-prod-b`]);
    expect(config['current-context']).toBe(`${TC}-prod-a`);
    expect(config.clusters[1].cluster).toEqual({
      'certificate-authority-data': Buffer.from(double.ca.certPem).toString('base64'),
      server: kube.urlFor('prod-b'),
      'tls-server-name': `kube-teleport-proxy-alpn.${TC}`,
    });
    expect(config.users).toEqual([
      {
        name: TC,
        user: {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1beta1',
            args: ['kube', 'credentials', `--destination-dir=${out}`],
            command: tbot,
            env: null,
            provideClusterInfo: false,
          },
        },
      },
    ]);
    const home = await mkdtemp(path.join(work, 'home-'));
    const contexts = await kubectl(['config', 'get-contexts', '-o', 'name'], {
      kubeconfig: file,
      home,
    });
    expect(contexts.stdout).toBe(`${TC}-prod-a\n${TC}-prod-b\n`);
    const a = await kubectl(['get', 'pods', '-o', 'name'], { kubeconfig: file, home });
    expect(a.stdout, a.stderr).toBe('pod/web-a\n');
    const b = await kubectl(
      ['--context', `${TC}-prod-b`, 'get', 'pods', '-n', 'apps', '-o', 'name'],
      {
        kubeconfig: file,
        home,
      },
    );
    expect(b.stdout, b.stderr).toBe('pod/api-b\n');
    expect(kube.requests.at(-1)).toMatchObject({ cluster: 'prod-b', user: 'bot-ci' });
    // One identity for every cluster (teleport-behaviour.md §3: identity and the host CA beside the kubeconfig).
    expect(await readFile(path.join(out, 'teleport-host-ca.crt'), 'utf8')).toBe(
      double.auth!.tls.host.certPem,
    );
  });

  it('every key must match; default_namespace applies to that selector’s matches', async () => {
    const { r, file } = await v2(
      '      - labels: { env: prod, team: web }\n        default_namespace: apps\n',
    );
    expect(r.code, r.stderr).toBe(0);
    const config = parse(await readFile(file, 'utf8'));
    expect(config.contexts).toEqual([
      { context: { cluster: `${TC}-prod-b`, namespace: 'apps', user: TC }, name: `${TC}-prod-b` },
    ]);
    const got = await kubectl(['get', 'pods', '-o', 'name'], {
      kubeconfig: file,
      home: await mkdtemp(path.join(work, 'home-')),
    });
    expect(got.stdout, got.stderr).toBe('pod/api-b\n'); // namespace apps from the context
  });

  it('selectors in order, duplicates once, names and labels mixed', async () => {
    const { r, file } = await v2(
      '      - labels: { team: web }\n        default_namespace: apps\n      - labels: { env: prod }\n      - name: dev\n',
      '    disable_exec_plugin: true\n',
    );
    expect(r.code, r.stderr).toBe(0);
    const config = parse(await readFile(file, 'utf8'));
    expect(names(config.contexts)).toEqual([`${TC}-prod-b`, `${TC}-prod-a`, `${TC}-dev`]);
    expect(config['current-context']).toBe(`${TC}-prod-b`);
    expect(config.contexts[0].context.namespace).toBe('apps');
    expect(config.users[0].user['client-certificate-data']).toBeTruthy();
    const dev = await kubectl(['--context', `${TC}-dev`, 'get', 'pods', '-o', 'name'], {
      kubeconfig: file,
      home: await mkdtemp(path.join(work, 'home-')),
    });
    expect(dev.stdout, dev.stderr).toBe('pod/dev-1\n');
  });

  it('a selector that matches nothing: no error, a kubeconfig without clusters (real tbot)', async () => {
    const { r, out, file } = await v2('      - labels: { env: staging }\n');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('ERROR');
    expect(r.stderr).toMatch(/matched_cluster_count:0/);
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/^clusters: null$/m);
    expect(text).toMatch(/^contexts: null$/m);
    expect(text).toMatch(/^current-context: ""$/m);
    expect(parse(text).users[0].name).toBe(TC);
    expect(await readFile(path.join(out, 'identity'), 'utf8')).toContain('PRIVATE KEY');
    const contexts = await kubectl(['config', 'get-contexts', '-o', 'name'], {
      kubeconfig: file,
      home: await mkdtemp(path.join(work, 'home-')),
    });
    expect(contexts).toMatchObject({ code: 0, stdout: '' });
  });

  it('a name selector that finds nothing is still a hard failure', async () => {
    const { r } = await v2('      - labels: { env: prod }\n      - name: secret\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /unable to fetch cluster "secret" by name\n\t+kubernetes cluster "secret" not found/,
    );
  });
});
