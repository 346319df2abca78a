// GitLab and CircleCI joins (teleport-behaviour.md §4.1, §4.2: audience = cluster name / organization ID), and
// the Kubernetes outputs driving the real kubectl against the Kubernetes API double (teleport-behaviour.md §3).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Double, startDouble } from '../index';
import { type KubeApi, kubectl, startKubeApi } from '../kube';
import { CIRCLECI_DEFAULTS, DEFAULT_CIRCLECI_ORG_ID } from '../oidc';
import { cleanEnv, run, writeTbot } from './test-helpers';

let work: string;
let double: Double;
let kube: KubeApi;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'standin-platforms-'));
  double = await startDouble({ auth: { sshd: false }, cacheDir: path.join(work, 'cache') });
  const auth = double.auth!;
  auth.addRole({ name: 'deploy', logins: ['ci-standin'] });
  auth.addRole({
    name: 'kube-read',
    kube_clusters: ['prod', 'staging'],
    kubernetes_groups: ['prod-readers'],
  });
  auth.addBot({ name: 'gl', roles: ['deploy', 'kube-read'] });
  auth.addBot({ name: 'cc', roles: ['deploy'] });
  auth.addToken(`kind: token
version: v2
metadata:
  name: gitlab-bot
spec:
  roles: [Bot]
  join_method: gitlab
  bot_name: gl
  gitlab:
    domain: gitlab.example.test
    allow:
      - project_path: my-group/*
        ref_type: branch
`);
  auth.addToken({
    kind: 'token',
    version: 'v2',
    metadata: { name: 'circleci-bot' },
    spec: {
      roles: ['Bot'],
      join_method: 'circleci',
      bot_name: 'cc',
      circleci: {
        organization_id: DEFAULT_CIRCLECI_ORG_ID,
        allow: [
          { project_id: CIRCLECI_DEFAULTS.projectId, context_id: CIRCLECI_DEFAULTS.contextId },
        ],
      },
    },
  });
  kube = await startKubeApi({
    clientCaPem: auth.tls.user.certPem,
    serverCert: await double.ca.issueServerCert([
      '127.0.0.1',
      'localhost',
      'kube-teleport-proxy-alpn.teleport.example.test',
    ]),
    clusters: {
      prod: {
        pods: [{ namespace: 'default', name: 'web-1', phase: 'Running', node: 'node-a' }],
        allowedGroups: ['prod-readers'],
      },
      staging: { pods: [{ namespace: 'apps', name: 'api-1' }], allowedGroups: ['prod-readers'] },
    },
  });
  auth.addKubeCluster({ name: 'prod', apiUrl: kube.urlFor('prod'), caPem: double.ca.certPem });
  auth.addKubeCluster({
    name: 'staging',
    apiUrl: kube.urlFor('staging'),
    caPem: double.ca.certPem,
  });
}, 120_000);

afterAll(async () => {
  await kube?.close();
  await double?.close();
  await rm(work, { recursive: true, force: true });
});

let n = 0;
async function cfgFile(method: string, token: string, services: string, extra = '') {
  const p = path.join(work, `cfg-${++n}.yaml`);
  await writeFile(
    p,
    `version: v2
proxy_server: ${double.proxy.addr}
onboarding:
  join_method: ${method}
  token: ${token}
${extra}storage: { type: memory }
oneshot: true
services:
${services}`,
  );
  return p;
}

const identity = (dir: string) =>
  `  - type: identity\n    destination: { type: directory, path: ${dir} }\n`;

const errorOf = (stderr: string) => stderr.slice(Math.max(0, stderr.indexOf('ERROR: ')));

describe('GitLab join (teleport-behaviour.md §4.1, §4.2)', () => {
  const gitlab = () => double.auth!.issuers.gitlab;

  it('accepts a token whose audience is the cluster name, matching a glob rule', async () => {
    const tbot = await writeTbot(work, '17.4.2');
    const jwt = await gitlab().mint(undefined, { audience: 'teleport.example.test' });
    const out = path.join(work, 'gl');
    const r = await run(
      tbot,
      ['start', '-c', await cfgFile('gitlab', 'gitlab-bot', identity(out))],
      {
        env: cleanEnv({ ...double.env, TBOT_GITLAB_JWT: jwt }),
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(double.auth!.joins.at(-1)).toMatchObject({ ok: true, bot: 'gl', joinMethod: 'gitlab' });
    expect(await readFile(path.join(out, 'identity'), 'utf8')).toContain('CERTIFICATE');
  });

  it('refuses the default GitLab audience (the instance URL)', async () => {
    const tbot = await writeTbot(work, '17.4.2');
    const jwt = await gitlab().mint();
    const r = await run(
      tbot,
      ['start', '-c', await cfgFile('gitlab', 'gitlab-bot', identity(path.join(work, 'gl2')))],
      {
        env: cleanEnv({ ...double.env, TBOT_GITLAB_JWT: jwt }),
      },
    );
    expect(r.code).toBe(1);
    expect(errorOf(r.stderr)).toBe(
      'ERROR: joining with token\n\toidc: expected audience "teleport.example.test" got ["https://gitlab.example.test"]\n',
    );
  });

  it('refuses a project outside the glob', async () => {
    const tbot = await writeTbot(work, '17.4.2');
    const jwt = await gitlab().mint(gitlab().claims({ projectPath: 'other-group/app' }), {
      audience: 'teleport.example.test',
    });
    const r = await run(
      tbot,
      ['start', '-c', await cfgFile('gitlab', 'gitlab-bot', identity(path.join(work, 'gl3')))],
      {
        env: cleanEnv({ ...double.env, TBOT_GITLAB_JWT: jwt }),
      },
    );
    expect(errorOf(r.stderr)).toContain('id token claims did not match any allow rules');
  });

  it('missing TBOT_GITLAB_JWT: unquoted before 17.4.6, quoted (and renamable) from 17.4.6 (#54187)', async () => {
    for (const [v, message] of [
      ['17.4.2', 'TBOT_GITLAB_JWT environment variable missing'],
      ['18.6.4', '"TBOT_GITLAB_JWT" environment variable missing'],
    ] as const) {
      const tbot = await writeTbot(work, v);
      const r = await run(
        tbot,
        [
          'start',
          '-c',
          await cfgFile('gitlab', 'gitlab-bot', identity(path.join(work, `gl-${v}`))),
        ],
        {
          env: cleanEnv(double.env),
        },
      );
      expect(r.code).toBe(1);
      // v18 puts its identity service above `joining with token` (teleport-behaviour.md §2.3).
      const wrapper =
        v === '18.6.4'
          ? 'building identity service\n\tinitializing identity service\n\t\tjoining with token\n\t\t\t'
          : 'joining with token\n\t';
      expect(errorOf(r.stderr)).toBe(`ERROR: ${wrapper}${message}\n`);
    }
    const tbot = await writeTbot(work, '18.6.4');
    const jwt = await gitlab().mint(undefined, { audience: 'teleport.example.test' });
    const cfg = await cfgFile('gitlab', 'gitlab-bot', identity(path.join(work, 'gl-renamed')));
    const text = (await readFile(cfg, 'utf8')).replace(
      '  token: gitlab-bot\n',
      '  token: gitlab-bot\n  gitlab:\n    token_env_var_name: MY_JWT\n',
    );
    await writeFile(cfg, text);
    const r = await run(tbot, ['start', '-c', cfg], {
      env: cleanEnv({ ...double.env, MY_JWT: jwt }),
    });
    expect(r.code, r.stderr).toBe(0);
  });
});

describe('CircleCI join (teleport-behaviour.md §4.1, §4.2)', () => {
  const circleci = () => double.auth!.issuers.circleci;

  it('accepts CIRCLE_OIDC_TOKEN with the organization ID as audience', async () => {
    const tbot = await writeTbot(work, '18.6.4');
    const jwt = await circleci().mint();
    const r = await run(
      tbot,
      ['start', '-c', await cfgFile('circleci', 'circleci-bot', identity(path.join(work, 'cc')))],
      {
        env: cleanEnv({ ...double.env, CIRCLE_OIDC_TOKEN: jwt }),
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(double.auth!.joins.at(-1)).toMatchObject({ ok: true, bot: 'cc' });
  });

  it('refuses another audience, a missing context and a missing token', async () => {
    const tbot = await writeTbot(work, '18.6.4');
    const cfg = await cfgFile('circleci', 'circleci-bot', identity(path.join(work, 'cc2')));
    const go = (env: Record<string, string>) =>
      run(tbot, ['start', '-c', cfg], { env: cleanEnv({ ...double.env, ...env }) });
    const other = await circleci().mint(undefined, { audience: 'teleport.example.test' });
    expect(errorOf((await go({ CIRCLE_OIDC_TOKEN: other })).stderr)).toContain(
      `oidc: expected audience "${DEFAULT_CIRCLECI_ORG_ID}" got ["teleport.example.test"]`,
    );
    const noContext = await circleci().mint(circleci().claims({ contextIds: [] }));
    expect(errorOf((await go({ CIRCLE_OIDC_TOKEN: noContext })).stderr)).toContain(
      'id token claims did not match any allow rules',
    );
    const missing = await go({});
    expect(missing.code).toBe(1);
    expect(errorOf(missing.stderr)).toBe(
      "ERROR: building identity service\n\tinitializing identity service\n\t\tjoining with token\n\t\t\t'CIRCLE_OIDC_TOKEN' must be present to use 'circleci' join method\n",
    );
  });
});

describe('Kubernetes outputs and the real kubectl (teleport-behaviour.md §3)', () => {
  async function gitlabJoin(version: string, services: string) {
    const tbot = await writeTbot(work, version);
    const jwt = await double.auth!.issuers.gitlab.mint(undefined, {
      audience: 'teleport.example.test',
    });
    const r = await run(tbot, ['start', '-c', await cfgFile('gitlab', 'gitlab-bot', services)], {
      env: cleanEnv({ ...double.env, TBOT_GITLAB_JWT: jwt }),
    });
    expect(r.code, r.stderr).toBe(0);
    return tbot;
  }

  it('kubernetes (v1): exec plugin kube credentials, kubectl get pods', async () => {
    const out = path.join(work, 'k8s-v1');
    const tbot = await gitlabJoin(
      '17.4.2',
      `  - type: kubernetes\n    kubernetes_cluster: prod\n    destination: { type: directory, path: ${out} }\n`,
    );
    const config = parse(await readFile(path.join(out, 'kubeconfig.yaml'), 'utf8'));
    expect(config['current-context']).toBe('teleport.example.test-prod');
    expect(config.clusters[0].cluster).toEqual({
      'certificate-authority-data': Buffer.from(double.ca.certPem).toString('base64'),
      server: kube.urlFor('prod'),
      'tls-server-name': 'kube-teleport-proxy-alpn.teleport.example.test',
    });
    expect(config.users).toEqual([
      {
        name: 'teleport.example.test-prod',
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
    const r = await kubectl(['get', 'pods', '-n', 'default', '-o', 'name'], {
      kubeconfig: path.join(out, 'kubeconfig.yaml'),
      home: await mkdtemp(path.join(work, 'home-')),
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('pod/web-1\n');
    expect(kube.requests.at(-1)).toMatchObject({ user: 'bot-gl', groups: ['prod-readers'] });
  });

  it('kubernetes/v2 with disable_exec_plugin: embedded credentials, one context per cluster', async () => {
    const out = path.join(work, 'k8s-v2');
    await gitlabJoin(
      '18.6.4',
      `  - type: kubernetes/v2\n    disable_exec_plugin: true\n    selectors:\n      - name: prod\n      - name: staging\n        default_namespace: apps\n    destination: { type: directory, path: ${out} }\n`,
    );
    const file = path.join(out, 'kubeconfig.yaml');
    const config = parse(await readFile(file, 'utf8'));
    expect(config.contexts.map((c: { name: string }) => c.name)).toEqual([
      'teleport.example.test-prod',
      'teleport.example.test-staging',
    ]);
    expect(config.users[0].name).toBe('teleport.example.test');
    expect(config.users[0].user['client-certificate-data']).toBeTruthy();
    const home = await mkdtemp(path.join(work, 'home-'));
    const staging = await kubectl(
      ['--context', 'teleport.example.test-staging', 'get', 'pods', '-o', 'name'],
      {
        kubeconfig: file,
        home,
      },
    );
    expect(staging.stdout).toBe('pod/api-1\n');
  });

  it('the exec plugin prints an ExecCredential', async () => {
    const out = path.join(work, 'k8s-v1');
    const tbot = await writeTbot(work, '17.4.2');
    const r = await run(tbot, ['kube', 'credentials', `--destination-dir=${out}`]);
    expect(r.code, r.stderr).toBe(0);
    const cred = JSON.parse(r.stdout);
    expect(cred).toMatchObject({
      kind: 'ExecCredential',
      apiVersion: 'client.authentication.k8s.io/v1beta1',
    });
    expect(cred.status.clientCertificateData).toBe(
      await readFile(path.join(out, 'tlscert'), 'utf8'),
    );
    expect(cred.status.clientKeyData).toBe(await readFile(path.join(out, 'key'), 'utf8'));
  });
});
