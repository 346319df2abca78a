// End to end: workflows written for the official `teleport-actions/*` auth and tunnel
// actions run unchanged against the committed bundles and the Teleport double (the official
// actions' `action.yml` and `common/lib/tbot.ts` are the reference).
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Double, startDouble } from '../double';
import { DEFAULT_VERSIONS } from '../double/cdn';
import type { JobResult } from '../runner';
import { runWorkflow } from '../runner';
import { ID_TOKEN_PERMISSIONS, type WorkflowStep, workflowYaml } from '../runner/workflow-builder';
import { expectOneLineFailure, expectSuccess, runnerFor } from './helpers';

let double: Double;
let app: Server;

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as { port: number }).port;
}

beforeAll(async () => {
  double = await startDouble({
    auth: true,
    proxy: { serverVersion: '18.6.4' },
    // 18.1.0: a v18 tbot older than the application-proxy service.
    versions: [...DEFAULT_VERSIONS, '18.1.0'],
  });
  const auth = double.auth!;
  auth.addRole({ name: 'ci-apps', apps: ['grafana'] });
  auth.addRole({ name: 'ci-ssh', logins: ['ci-dropin'] });
  auth.addBot({ name: 'ci', roles: ['ci-apps', 'ci-ssh'] });
  auth.addToken(
    'kind: token\nversion: v2\nmetadata: { name: github-bot }\nspec:\n  roles: [Bot]\n  join_method: github\n  bot_name: ci\n  github:\n    allow:\n      - { repository: octo-org/octo-repo }\n',
  );
  app = createServer((s) =>
    s.once('data', () =>
      s.end('HTTP/1.1 200 OK\r\nContent-Length: 11\r\nConnection: close\r\n\r\ngrafana-ok\n'),
    ),
  );
  auth.addApp({ name: 'grafana', uri: `127.0.0.1:${await listen(app)}` });
});
afterAll(async () => {
  await Promise.all([double?.close(), new Promise((r) => app?.close(r))]);
});

const teleport = { proxy: '${{ vars.TELEPORT_PROXY }}', token: 'github-bot' };

async function run(steps: WorkflowStep[], version = '18.6.4'): Promise<JobResult> {
  const token = double.github!.env();
  return runWorkflow(
    workflowYaml(steps, { setupVersion: version, permissions: ID_TOKEN_PERMISSIONS }),
    await runnerFor(double, {
      idToken: {
        url: token.ACTIONS_ID_TOKEN_REQUEST_URL,
        token: token.ACTIONS_ID_TOKEN_REQUEST_TOKEN,
      },
      vars: { TELEPORT_PROXY: double.proxy.addr },
      env: { ...double.env, GITHUB_RUN_ID: String(Date.now()) },
    }),
  );
}

describe('tunnels output diag-addr and log-path, as the official actions', () => {
  it('application-tunnel: a later step checks /readyz at diag-addr and reads log-path', async () => {
    const job = await run([
      {
        uses: './packages/application-tunnel',
        id: 'tunnel',
        with: {
          ...teleport,
          app: 'grafana',
          listen: 'tcp://127.0.0.1:18090',
          'diag-port': '57311',
        },
      },
      {
        run: [
          'test "${{ steps.tunnel.outputs.diag-addr }}" = 127.0.0.1:57311',
          'curl -fsS "http://${{ steps.tunnel.outputs.diag-addr }}/readyz"',
          'test -f "${{ steps.tunnel.outputs.log-path }}"',
          'curl -fsS http://127.0.0.1:18090/',
        ].join('\n'),
      },
    ]);
    expectSuccess(job);
    expect(job.steps[2]!.log).toContain('grafana-ok');
    expect(job.steps[1]!.outputs['log-path']).toMatch(/teleport-application-tunnel-tbot-.*\/\S+$/);
  });
});

describe('one ssh config variable on every platform', () => {
  it('auth-ssh exports TELEPORT_SSH_CONFIG, as the GitLab component names it', async () => {
    const job = await run([
      { uses: './packages/auth-ssh', id: 'ssh', with: teleport },
      {
        run: 'test "$TELEPORT_SSH_CONFIG" = "${{ steps.ssh.outputs.ssh-config }}" && grep -c "^Host " "$TELEPORT_SSH_CONFIG"',
      },
      { uses: './packages/auth-ssh', id: 'quiet', with: { ...teleport, 'disable-env-vars': '1' } },
    ]);
    expectSuccess(job);
    expect(job.env.TELEPORT_SSH_CONFIG).toBe(job.steps[1]!.outputs['ssh-config']);
    expect(job.steps[3]!.outputs['ssh-config']).not.toBe(job.steps[1]!.outputs['ssh-config']);
  });
});

describe('application-proxy, as the official action (tbot application-proxy service)', () => {
  it('a later step reaches the application by name through http_proxy; outputs as the official action', async () => {
    const job = await run([
      {
        uses: './packages/application-proxy',
        id: 'apps',
        with: { ...teleport, listen: 'tcp://127.0.0.1:18091', 'diag-port': '57312' },
      },
      {
        run: [
          'test "${{ steps.apps.outputs.application-proxy-uri }}" = tcp://127.0.0.1:18091',
          'test "${{ steps.apps.outputs.diag-addr }}" = 127.0.0.1:57312',
          'test -f "${{ steps.apps.outputs.log-path }}"',
          'http_proxy=http://127.0.0.1:${{ steps.apps.outputs.application-proxy-port }} curl -fsS http://grafana/api/health',
        ].join('\n'),
      },
    ]);
    expectSuccess(job);
    expect(job.steps[1]!.outputs['application-proxy-port']).toBe('18091');
    expect(job.steps[2]!.log).toContain('grafana-ok');
    const post = job.steps.filter((s) => s.phase === 'post').map((s) => s.log);
    expect(post.join('\n')).toMatch(/Stopped tbot \(pid \d+\)/);
  });

  it('refuses roles, which the service does not take, before anything runs', async () => {
    const job = await run([
      {
        uses: './packages/application-proxy',
        with: { ...teleport, listen: 'tcp://127.0.0.1:18092', roles: 'ci-apps' },
      },
    ]);
    expectOneLineFailure(
      job,
      /^application-proxy: Input 'roles': the application-proxy service has no roles/,
    );
  });

  it('refuses a tbot older than the service (18.2.3, #59587) naming the minimum', async () => {
    const job = await run(
      [
        {
          uses: './packages/application-proxy',
          with: { ...teleport, listen: 'tcp://127.0.0.1:18093' },
        },
      ],
      '18.1.0',
    );
    expectOneLineFailure(
      job,
      /^application-proxy: Input 'listen' needs the application-proxy service, which tbot has from 18\.2\.3; this job has tbot 18\.1\.0/,
    );
  });
});

describe('auth-application: the official name of auth-app', () => {
  it('the same inputs and outputs as auth-app, a certificate routed to the application', async () => {
    const job = await run(
      [
        { uses: './packages/auth-application', id: 'a', with: { ...teleport, app: 'grafana' } },
        { uses: './packages/auth-app', id: 'b', with: { ...teleport, app: 'grafana' } },
      ],
      '17.4.2',
    );
    expectSuccess(job);
    const [a, b] = [job.steps[1]!.outputs, job.steps[2]!.outputs];
    expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
    expect(a['certificate-file']).toMatch(/teleport-auth-application-.*\/tlscert$/);
    const routed = double.auth!.issued.filter(
      (i) => (i as { route?: { name?: string } }).route?.name === 'grafana',
    );
    expect(routed.length).toBeGreaterThanOrEqual(2);
  });
});
