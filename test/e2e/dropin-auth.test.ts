// End to end: workflows written for the official `teleport-actions/*` auth and tunnel
// actions run unchanged against the committed bundles and the Teleport double (the official
// actions' `action.yml` and `common/lib/tbot.ts` are the reference).
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Double, startDouble } from '../double';
import type { JobResult } from '../runner';
import { runWorkflow } from '../runner';
import { ID_TOKEN_PERMISSIONS, type WorkflowStep, workflowYaml } from '../runner/workflow-builder';
import { expectSuccess, runnerFor } from './helpers';

let double: Double;
let app: Server;

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as { port: number }).port;
}

beforeAll(async () => {
  double = await startDouble({ auth: true, proxy: { serverVersion: '18.6.4' } });
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
