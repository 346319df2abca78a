// End to end: the committed auth actions, run as GitHub runs them against the Teleport double,
// then used the way their consumers use them: `tsh` with the identity file the `auth` action
// exports (TELEPORT_IDENTITY_FILE / TELEPORT_PROXY; teleport-behaviour.md §3 "identity file"), and `auth-k8s`
// with `kubernetes-labels` (the kubernetes/v2 output's label selectors, teleport-behaviour.md §2.5) in real
// `kubectl`. Every job's full log is checked for secrets.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Double, startDouble } from '../double';
import { startKubeApi } from '../double/kube';
import { ensureLoginUser } from '../double/ssh/users';
import type { JobResult } from '../runner';
import { runWorkflow } from '../runner';
import { ID_TOKEN_PERMISSIONS, type WorkflowStep, workflowYaml } from '../runner/workflow-builder';
import { expectSuccess, runnerFor } from './helpers';

const exec = promisify(execFile);
const LOGIN = 'ci-e2e-tsh';
const TC = 'teleport.example.test';
let double: Double;
let kube: Awaited<ReturnType<typeof startKubeApi>>;

beforeAll(async () => {
  double = await startDouble({ auth: true, proxy: { serverVersion: '17.4.2' } });
  const auth = double.auth!;
  auth.addRole({ name: 'ci-ssh', logins: [LOGIN] });
  auth.addRole({
    name: 'ci-k8s',
    kubernetes_labels: { env: ['prod', 'dev'] },
    kubernetes_groups: ['readers'],
  });
  auth.addBot({ name: 'ci', roles: ['ci-ssh', 'ci-k8s'] });
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
  await ensureLoginUser(LOGIN);

  kube = await startKubeApi({
    clientCaPem: auth.tls.user.certPem,
    serverCert: await double.ca.issueServerCert([
      '127.0.0.1',
      'localhost',
      `kube-teleport-proxy-alpn.${TC}`,
    ]),
    clusters: {
      'prod-east': {
        pods: [{ namespace: 'default', name: 'web-east' }],
        allowedGroups: ['readers'],
      },
      'prod-west': {
        pods: [{ namespace: 'default', name: 'web-west' }],
        allowedGroups: ['readers'],
      },
      'dev-1': { pods: [{ namespace: 'default', name: 'web-dev' }], allowedGroups: ['readers'] },
    },
  });
  const add = (name: string, env: string) =>
    auth.addKubeCluster({
      name,
      apiUrl: kube.urlFor(name),
      caPem: double.ca.certPem,
      labels: { env },
    });
  add('prod-east', 'prod');
  add('prod-west', 'prod');
  add('dev-1', 'dev');
});
afterAll(async () => {
  await Promise.all([double?.close(), kube?.close()]);
});

function workflow(steps: WorkflowStep[], version = '17.4.2'): string {
  return workflowYaml(steps, { setupVersion: version, permissions: ID_TOKEN_PERMISSIONS });
}

// biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub `${{ }}` expression, not a JS template
const teleport = { proxy: '${{ vars.TELEPORT_PROXY }}', token: 'github-bot' };

async function run(
  steps: WorkflowStep[],
  opts: { version?: string; runId?: string } = {},
): Promise<JobResult> {
  const token = double.github!.env();
  const job = await runWorkflow(
    workflow(steps, opts.version),
    await runnerFor(double, {
      idToken: {
        url: token.ACTIONS_ID_TOKEN_REQUEST_URL,
        token: token.ACTIONS_ID_TOKEN_REQUEST_TOKEN,
      },
      vars: { TELEPORT_PROXY: double.proxy.addr },
      env: { ...double.env, GITHUB_RUN_ID: opts.runId ?? String(Date.now()) },
    }),
  );
  expectNoSecrets(job);
  return job;
}

/**
 * No ID token, private key, or certificate body anywhere in what the job printed, unmasked.
 * `::add-mask::` commands are how a step registers a secret with the runner, which consumes
 * them and never shows them; every other line must be clean without relying on masking.
 */
function expectNoSecrets(job: JobResult): void {
  const printed = job.rawLog
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
  expect(printed).not.toMatch(/eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,}/);
  expect(printed).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
  expect(printed).not.toMatch(/-----BEGIN CERTIFICATE-----/);
  expect(printed).not.toMatch(/-cert-v01@openssh\.com AAAA/);
  for (const jwt of double.github!.issued) expect(printed).not.toContain(jwt.split('.')[2]);
}

describe('auth: tsh with the exported identity file', () => {
  it('tsh ls lists node-1 and tsh ssh runs a command on it', async () => {
    const runId = `tsh-${Date.now()}`;
    const job = await run(
      [
        { uses: './packages/auth', id: 'auth', with: teleport },
        // No -i/--proxy: tsh reads TELEPORT_IDENTITY_FILE and TELEPORT_PROXY, as real tsh does.
        { run: 'tsh ls' },
        { run: `tsh ssh ${LOGIN}@node-1 "echo $GITHUB_RUN_ID >> ~/run_log"` },
      ],
      { runId },
    );
    expectSuccess(job);
    expect(job.env.TELEPORT_IDENTITY_FILE).toBe(job.steps[1]!.outputs['identity-file']);
    expect(job.env.TELEPORT_PROXY).toBe(double.proxy.addr);
    const ls = job.steps[2]!.log;
    expect(ls).toMatch(/Node Name +Address +Labels/);
    expect(ls).toMatch(/^\s*node-1 +127\.0\.0\.1:\d+/m);
    const { stdout } = await exec('bash', ['-c', `tail -n 1 ~${LOGIN}/run_log`]);
    expect(stdout.trim()).toBe(runId);
    expect(double.auth!.tunnels.at(-1)).toMatchObject({
      target: 'ssh',
      name: `node-1.${TC}`,
      bot: 'ci',
      ok: true,
    });
  });
});

describe('auth-k8s: kubernetes-labels (kubernetes/v2 label selectors)', () => {
  it('tbot 18.6.4: one context per prod cluster, and kubectl reaches them', async () => {
    const job = await run(
      [
        {
          uses: './packages/auth-k8s',
          id: 'auth',
          with: { ...teleport, 'kubernetes-labels': 'env=prod' },
        },
        { run: 'kubectl config get-contexts -o name' },
        {
          run: `kubectl --context ${TC}-prod-west get pods -o name --request-timeout=20s`,
        },
      ],
      { version: '18.6.4' },
    );
    expectSuccess(job);
    expect(job.log).toContain('Using tbot 18.6.4');
    expect(job.env.KUBECONFIG).toBe(job.steps[1]!.outputs.kubeconfig);
    const contexts = job.steps[2]!.log;
    expect(contexts).toMatch(new RegExp(`^\\s*${TC}-prod-east$`, 'm'));
    expect(contexts).toMatch(new RegExp(`^\\s*${TC}-prod-west$`, 'm'));
    expect(contexts).not.toContain('dev-1');
    expect(job.steps[3]!.log).toContain('pod/web-west');
    expect(kube.requests.at(-1)).toMatchObject({ cluster: 'prod-west', user: 'bot-ci' });
  });
});
