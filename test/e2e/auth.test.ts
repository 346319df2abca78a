// End to end: the committed auth actions, run as GitHub runs them, join the Teleport double
// with the job's GitHub ID token (teleport-behaviour.md §4.1, §4.2) and the credentials work in real `ssh` and
// `kubectl` and through real tunnels. Every job's full log is checked for secrets.
import { execFile } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Double, startDouble } from '../double';
import { startKubeApi } from '../double/kube';
import { ensureLoginUser } from '../double/ssh/users';
import type { JobResult } from '../runner';
import { runWorkflow } from '../runner';
import { ID_TOKEN_PERMISSIONS, type WorkflowStep, workflowYaml } from '../runner/workflow-builder';
import { expectOneLineFailure, expectSuccess, runnerFor } from './helpers';

const exec = promisify(execFile);
const LOGIN = 'ci-e2e-actions';
const NODE = 'node-1.teleport.example.test';
let double: Double;
let kube: Awaited<ReturnType<typeof startKubeApi>>;
let app: Server;
let db: Server;
let downPort: number;

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as { port: number }).port;
}

beforeAll(async () => {
  double = await startDouble({ auth: true, proxy: { serverVersion: '17.4.2' } });
  const auth = double.auth!;
  auth.addRole({ name: 'ci-ssh', logins: [LOGIN] });
  auth.addRole({ name: 'ci-k8s', kube_clusters: ['prod'], kubernetes_groups: ['prod-readers'] });
  auth.addRole({
    name: 'ci-apps',
    apps: ['grafana', 'down-app'],
    dbs: ['orders'],
    db_users: ['ci'],
    db_names: ['orders'],
  });
  auth.addBot({ name: 'ci', roles: ['ci-ssh', 'ci-k8s', 'ci-apps'] });
  const token = (name: string, allow: string) =>
    `kind: token\nversion: v2\nmetadata: { name: ${name} }\nspec:\n  roles: [Bot]\n  join_method: github\n  bot_name: ci\n  github:\n    allow:\n      - ${allow}\n`;
  auth.addToken(token('github-bot', '{ repository: octo-org/octo-repo }'));
  auth.addToken(token('github-other-repo', '{ repository: octo-org/deploy-tools }'));
  auth.addToken(
    token('github-release-only', '{ repository: octo-org/octo-repo, ref: refs/heads/release }'),
  );
  await ensureLoginUser(LOGIN);

  kube = await startKubeApi({
    clientCaPem: auth.tls.user.certPem,
    serverCert: await double.ca.issueServerCert([
      '127.0.0.1',
      'localhost',
      'kube-teleport-proxy-alpn.teleport.example.test',
    ]),
    clusters: {
      prod: { pods: [{ namespace: 'default', name: 'web-7d9f' }], allowedGroups: ['prod-readers'] },
    },
  });
  auth.addKubeCluster({ name: 'prod', apiUrl: kube.urlFor('prod'), caPem: double.ca.certPem });

  // A tiny HTTP application and a line-echo "database" behind the tunnels.
  app = createServer((s) =>
    s.once('data', () =>
      s.end('HTTP/1.1 200 OK\r\nContent-Length: 11\r\nConnection: close\r\n\r\ngrafana-ok\n'),
    ),
  );
  db = createServer((s) => s.on('data', (d) => s.write(`orders:${d}`)));
  auth.addApp({ name: 'grafana', uri: `127.0.0.1:${await listen(app)}` });
  auth.addDatabase({ name: 'orders', protocol: 'postgres', uri: `127.0.0.1:${await listen(db)}` });
  const closed = createServer();
  downPort = await listen(closed);
  await new Promise((r) => closed.close(r));
  auth.addApp({ name: 'down-app', uri: `127.0.0.1:${downPort}` });
});
afterAll(async () => {
  await Promise.all([
    double?.close(),
    kube?.close(),
    new Promise((r) => app?.close(r)),
    new Promise((r) => db?.close(r)),
  ]);
});

function workflow(steps: WorkflowStep[], version = '17.4.2'): string {
  return workflowYaml(steps, { setupVersion: version, permissions: ID_TOKEN_PERMISSIONS });
}

const teleport = { proxy: '${{ vars.TELEPORT_PROXY }}', token: 'github-bot' };

async function run(
  steps: WorkflowStep[],
  opts: { version?: string; debug?: boolean; runId?: string; env?: Record<string, string> } = {},
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
      env: { ...double.env, GITHUB_RUN_ID: opts.runId ?? String(Date.now()), ...opts.env },
      debug: opts.debug,
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

async function gone(path: string): Promise<boolean> {
  return access(path).then(
    () => false,
    () => true,
  );
}

async function tbotProcesses(workDir: string): Promise<string> {
  const { stdout } = await exec('ps', ['-eo', 'args']);
  return stdout
    .split('\n')
    .filter((l) => l.includes(workDir) && l.includes('tbot'))
    .join('\n');
}

describe('happy paths with the real consumers', () => {
  it('auth-ssh: ssh runs a command and the node sees it; post step removes the credentials', async () => {
    const runId = `run-${Date.now()}`;
    const job = await run(
      [
        { uses: './packages/auth-ssh', id: 'auth', with: teleport },
        {
          run: `ssh -F \${{ steps.auth.outputs.ssh-config }} ${LOGIN}@${NODE} "echo $GITHUB_RUN_ID >> ~/run_log"`,
        },
      ],
      { runId },
    );
    expectSuccess(job);
    const { stdout } = await exec('bash', ['-c', `tail -n 1 ~${LOGIN}/run_log`]);
    expect(stdout.trim()).toBe(runId);
    const dir = job.steps[1]!.outputs['destination-dir']!;
    expect(job.steps[1]!.outputs['ssh-config']).toBe(join(dir, 'ssh_config'));
    expect(job.summary).toMatch(/\| Bot \| `ci` \|/);
    expect(job.summary).toMatch(/\| Roles \| `ci-ssh`, `ci-k8s`, `ci-apps` \|/);
    expect(job.summary).toMatch(/\| Expires \| \d{4}-\d\d-\d\dT/);
    expect(job.log).toMatch(/▼ GitHub ID token claims[\s\S]*repository: octo-org\/octo-repo/);
    expect(await gone(dir)).toBe(true); // post step
    expect(job.steps.at(-1)!.log).toContain(`Deleted the credentials in ${dir}`);
  });

  it('auth-ssh: the proxy finds a node by name and registered port; an OpenSSH node on 22 needs -p 22', async () => {
    const auth = double.auth!;
    const node = auth.findNode(NODE)!;
    const marker = `port-22-${Date.now()}`;
    // node-1 as an OpenSSH (agentless) node registers its sshd's port, 22 (teleport-behaviour.md §3.3).
    auth.addNode({ ...node, registeredPort: '22' });
    try {
      const job = await run([
        { uses: './packages/auth-ssh', id: 'auth', with: teleport },
        {
          run: [
            `if ssh -F \${{ steps.auth.outputs.ssh-config }} ${LOGIN}@${NODE} true; then echo REACHED-ON-3022; fi`,
            `ssh -F \${{ steps.auth.outputs.ssh-config }} -p 22 ${LOGIN}@${NODE} "echo ${marker} >> ~/run_log"`,
          ].join('\n'),
        },
      ]);
      expectSuccess(job);
      expect(job.steps[2]!.log).not.toMatch(/^REACHED-ON-3022$/m);
      expect(job.steps[2]!.log).toContain('failed to dial target host');
      const { stdout } = await exec('bash', ['-c', `tail -n 1 ~${LOGIN}/run_log`]);
      expect(stdout.trim()).toBe(marker);
      const tries = auth.tunnels.filter((t) => t.name === NODE).slice(-2);
      expect(tries[0]!.error).toBe(
        `failed to dial target host: no node named "${NODE}" on port 3022 in cluster "teleport.example.test"`,
      );
      expect(tries[1]!.ok).toBe(true);
    } finally {
      auth.addNode(node);
    }
  });

  it('auth: tsh-style identity file and TELEPORT_* variables for later steps', async () => {
    const job = await run([
      { uses: './packages/auth', id: 'auth', with: teleport },
      {
        run: [
          'test "$TELEPORT_PROXY" = "${{ vars.TELEPORT_PROXY }}" && test "$TELEPORT_AUTH_SERVER" = "$TELEPORT_PROXY"',
          'test "$TELEPORT_IDENTITY_FILE" = "${{ steps.auth.outputs.identity-file }}"',
          // What tsh reads from an identity file: the key, the SSH certificate, the TLS certificate.
          'grep -c -- "-cert-v01@openssh.com" "$TELEPORT_IDENTITY_FILE"',
          'openssl x509 -noout -subject < "$TELEPORT_IDENTITY_FILE"',
          'stat -c "%a" "$TELEPORT_IDENTITY_FILE" "$(dirname "$TELEPORT_IDENTITY_FILE")"',
        ].join('\n'),
      },
    ]);
    expectSuccess(job);
    const out = job.steps[2]!.log;
    expect(out).toMatch(/^1$/m);
    expect(out).toMatch(/subject=CN\s*=\s*bot-ci/);
    expect(out).toMatch(/^600\n700$/m);
    expect(job.env.TELEPORT_IDENTITY_FILE).toBe(job.steps[1]!.outputs['identity-file']);
  });

  it('auth-k8s: kubectl get pods lists what the cluster holds', async () => {
    const job = await run([
      {
        uses: './packages/auth-k8s',
        id: 'auth',
        with: { ...teleport, 'kubernetes-cluster': 'prod' },
      },
      { run: 'kubectl get pods -n default -o name --request-timeout=20s' },
    ]);
    expectSuccess(job);
    expect(job.steps[2]!.log).toContain('pod/web-7d9f');
    expect(job.env.KUBECONFIG).toBe(job.steps[1]!.outputs.kubeconfig);
  });

  it('auth-app: a client certificate routed to the application', async () => {
    const job = await run([
      { uses: './packages/auth-app', id: 'auth', with: { ...teleport, app: 'grafana' } },
    ]);
    expectSuccess(job);
    expect(job.steps[1]!.outputs['certificate-file']).toMatch(/\/tlscert$/);
    expect(double.auth!.issued.at(-1)).toMatchObject({
      kind: 'output',
      route: expect.objectContaining({ name: 'grafana' }),
    });
  });

  it('application-tunnel and database-tunnel: requests go through; post step stops tbot', async () => {
    const job = await run(
      [
        {
          uses: './packages/application-tunnel',
          id: 'app',
          with: {
            ...teleport,
            app: 'grafana',
            listen: 'tcp://127.0.0.1:18080',
            'diag-port': '57301',
          },
        },
        {
          uses: './packages/database-tunnel',
          id: 'db',
          with: {
            ...teleport,
            service: 'orders',
            database: 'orders',
            username: 'ci',
            listen: 'tcp://127.0.0.1:15432',
            'diag-port': '57302',
          },
        },
        { run: 'curl -fsS http://127.0.0.1:${{ steps.app.outputs.application-tunnel-port }}/' },
        {
          run: `node -e "const s=require('net').connect(\${{ steps.db.outputs.database-tunnel-port }},'127.0.0.1',()=>s.end('select 1'));s.pipe(process.stdout)"`,
        },
      ],
      { version: '18.6.4' },
    );
    expectSuccess(job);
    expect(job.steps[3]!.log).toContain('grafana-ok');
    expect(job.steps[4]!.log).toContain('orders:select 1');
    expect(await tbotProcesses(job.workDir)).toBe('');
    expect(
      job.steps
        .filter((s) => s.phase === 'post')
        .map((s) => s.log)
        .join('\n'),
    ).toMatch(/Stopped tbot \(pid \d+\)/);
  });

  it('two auth steps in one job keep separate credentials', async () => {
    const job = await run([
      {
        uses: './packages/auth',
        id: 'admin',
        with: { ...teleport, roles: 'ci-ssh', 'disable-env-vars': 'true' },
      },
      {
        uses: './packages/auth-k8s',
        id: 'k8s',
        with: { ...teleport, 'kubernetes-cluster': 'prod' },
      },
      {
        run: 'ls "${{ steps.admin.outputs.destination-dir }}" "${{ steps.k8s.outputs.destination-dir }}" >/dev/null && kubectl get pods -o name --request-timeout=20s',
      },
    ]);
    expectSuccess(job);
    const dirs = [
      job.steps[1]!.outputs['destination-dir'],
      job.steps[2]!.outputs['destination-dir'],
    ];
    expect(new Set(dirs).size).toBe(2);
    expect(job.env.TELEPORT_IDENTITY_FILE).toBeUndefined(); // disable-env-vars
    expect(job.summary).toMatch(/### Teleport auth\n[\s\S]*\| Roles \| `ci-ssh` \|/);
    for (const d of dirs) expect(await gone(d!)).toBe(true);
  });
});

describe('the version matrix of the stand-in tbot', () => {
  it.each(['16.5.4', '17.1.0', '18.6.4'])('tbot %s: auth-ssh reaches the node', async (version) => {
    const runId = `matrix-${version}-${Date.now()}`;
    const job = await run(
      [
        { uses: './packages/auth-ssh', id: 'auth', with: teleport },
        {
          run: `ssh -F \${{ steps.auth.outputs.ssh-config }} ${LOGIN}@${NODE} "echo $GITHUB_RUN_ID >> ~/run_log"`,
        },
      ],
      { version, runId },
    );
    expectSuccess(job);
    expect(job.log).toContain(`Using tbot ${version}`);
    const { stdout } = await exec('bash', ['-c', `tail -n 1 ~${LOGIN}/run_log`]);
    expect(stdout.trim()).toBe(runId);
  });
});

describe('denials say what to change', () => {
  it.each([
    ['a token for another repository', 'github-other-repo', /repository=octo-org\/octo-repo/],
    ['a token for another ref', 'github-release-only', /ref=refs\/heads\/main/],
  ])('%s', async (_label, token, claim) => {
    const job = await run([{ uses: './packages/auth', with: { ...teleport, token } }]);
    const message = expectOneLineFailure(
      job,
      new RegExp(
        `^auth: tbot could not join with token '${token}': joining with token: id token claims did not match any allow rules\\. This job's ID token has `,
      ),
    );
    expect(message).toMatch(claim);
    expect(message).toMatch(/: compare them with the token's allow rules$/);
  });

  it.each([
    [
      'an expired ID token',
      { audience: 'teleport.cluster.local', expiresInSec: -120 },
      /oidc: token is expired/,
    ],
    [
      'an ID token for another audience',
      { audience: 'https://github.com/octo-org' },
      /oidc: expected audience "teleport\.cluster\.local" got \["https:\/\/github\.com\/octo-org"\]/,
    ],
  ])('%s', async (_label, mint, reason) => {
    const jwt = await double.auth!.issuers.github.mint(undefined, mint);
    double.github!.inject({ status: 200, times: 2, body: { value: jwt } });
    const job = await run([{ uses: './packages/auth', with: teleport }]);
    const message = expectOneLineFailure(
      job,
      /^auth: tbot could not join with token 'github-bot': /,
    );
    expect(message).toMatch(reason);
  });

  it('an unknown join token', async () => {
    const job = await run([
      { uses: './packages/auth', with: { ...teleport, token: 'no-such-token' } },
    ]);
    expectOneLineFailure(
      job,
      /^auth: tbot could not join with token 'no-such-token': .*token expired or not found/,
    );
  });

  it('a role the bot does not hold', async () => {
    const job = await run([{ uses: './packages/auth', with: { ...teleport, roles: 'admin' } }]);
    expectOneLineFailure(job, /access denied to 'bot-ci' to impersonate roles 'admin'/);
  });

  it('an unknown Kubernetes cluster', async () => {
    const job = await run([
      { uses: './packages/auth-k8s', with: { ...teleport, 'kubernetes-cluster': 'staging' } },
    ]);
    expectOneLineFailure(job, /kubernetes cluster "staging" not found/);
  });

  it('a tunnel whose target is down: the request fails and the post step shows why', async () => {
    const job = await run(
      [
        {
          uses: './packages/application-tunnel',
          with: {
            ...teleport,
            app: 'down-app',
            listen: 'tcp://127.0.0.1:18081',
            'diag-port': '57303',
          },
        },
        { run: 'curl -sS --max-time 10 http://127.0.0.1:18081/' },
      ],
      { version: '18.6.4' },
    );
    expect(job.status).toBe('failure');
    expect(job.steps[2]!.status).toBe('failure');
    const post = job.steps
      .filter((s) => s.phase === 'post')
      .map((s) => s.log)
      .join('\n');
    expect(post).toMatch(
      /▼ tbot log[\s\S]*failed to connect to application "down-app" at 127\.0\.0\.1:\d+: connect ECONNREFUSED/,
    );
    expect(await tbotProcesses(job.workDir)).toBe('');
  });

  it('a tbot that never becomes ready (timeout)', async () => {
    const job = await run(
      [
        {
          uses: './packages/application-tunnel',
          id: 'app',
          with: {
            ...teleport,
            app: 'grafana',
            listen: 'tcp://127.0.0.1:18082',
            'diag-port': '57304',
            'timeout-ms': '1',
          },
        },
      ],
      { version: '18.6.4' },
    );
    expectOneLineFailure(
      job,
      /^application-tunnel: tbot did not become ready within 1 ms \(raise 'timeout-ms' if it needs longer\)/,
    );
    expect(await tbotProcesses(job.workDir)).toBe('');
  });

  it('a tbot that exits 0 without writing anything fails the step', async () => {
    const job = await run([{ uses: './packages/auth', id: 'auth', with: teleport }], {
      env: { TBOT_DOUBLE_FAULT: 'exit-0-no-output' },
    });
    expectOneLineFailure(
      job,
      /^auth: tbot exited successfully but did not write its identity output: \/\S+ lacks 10 of 10 files \(key, key\.pub, key-cert\.pub, \.\.\.\); run the step in debug mode to see tbot's log$/,
    );
    expect(job.steps[1]!.outputs['identity-file']).toBeUndefined();
  });

  it('debug mode shows tbot output but still no secrets', async () => {
    const job = await run([{ uses: './packages/auth', with: teleport }], { debug: true });
    expectSuccess(job);
    expect(job.log).toMatch(/tbot: /);
  });
});

it('keeps credentials with cleanup: false', async () => {
  const job = await run([
    { uses: './packages/auth', id: 'auth', with: { ...teleport, cleanup: 'false' } },
  ]);
  expectSuccess(job);
  const dir = job.steps[1]!.outputs['destination-dir']!;
  expect(await readFile(join(dir, 'identity'), 'utf8')).toContain('PRIVATE KEY');
  expect(job.log).toContain(`Kept the credentials in ${dir} ('cleanup: false')`);
});
