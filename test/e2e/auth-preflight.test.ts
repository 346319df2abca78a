// End to end: what the auth actions check before tbot runs, through the committed bundles.
// The stand-in tbot comes from the double's tarballs via `setup`, as in a user's job.
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Double, startDouble } from '../double';
import { runWorkflow } from '../runner';
import { workflowYaml } from '../runner/workflow-builder';
import { expectOneLineFailure, runnerFor } from './helpers';

let double: Double;
beforeAll(async () => {
  double = await startDouble();
});
afterAll(async () => {
  await double?.close();
});

/** A workflow: setup with `version`, then one auth action with `with`. */
function workflow(opts: {
  version: string;
  action: string;
  with: Record<string, string>;
  permissions?: string;
}) {
  return workflowYaml([{ uses: `./packages/${opts.action}`, id: 'auth', with: opts.with }], {
    setupVersion: opts.version,
    permissions: opts.permissions,
  });
}

const auth = { proxy: 'teleport.example.test:443', token: 'github-bot' };

describe('auth actions refuse early, with the fix', () => {
  it('without the id-token permission', async () => {
    const job = await runWorkflow(
      workflow({ version: '17.4.2', action: 'auth', with: auth }),
      await runnerFor(double),
    );
    expectOneLineFailure(
      job,
      /^auth: This job cannot request a GitHub ID token \(ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN unset\): add 'permissions: id-token: write' to the job or workflow; pull requests from forks and Dependabot never get one$/,
    );
  });

  // (16.5.4 has allow_reissue, a v16 backport: its gate is tested at 17.2.1 in tbot-releases.test.ts.)
  it.each([
    [
      'auth-k8s',
      { ...auth, 'kubernetes-labels': 'env=prod' },
      "Input 'kubernetes-labels' needs the kubernetes/v2 output (selectors), which tbot has from 17.2.7; this job has tbot 16.5.4",
    ],
    [
      'database-tunnel',
      { ...auth, service: 'db', database: 'd', username: 'u', listen: 'tcp://127.0.0.1:15432' },
      "Input 'service' needs database and application tunnels with readiness, which tbot has from 18.6.4; this job has tbot 16.5.4",
    ],
  ])(
    '%s: when tbot is too old for an input, naming the minimum',
    async (action, inputs, message) => {
      const opts = await runnerFor(double);
      const job = await runWorkflow(
        workflow({
          version: '16.5.4',
          action,
          with: inputs,
          permissions: 'permissions:\n  id-token: write',
        }),
        { ...opts, idToken: { url: 'http://127.0.0.1:9/token?x=1', token: 'unused' } },
      );
      const error = expectOneLineFailure(job, new RegExp(`^${action}: `));
      expect(error).toContain(message);
      // Refused before anything was written.
      expect(
        (await readdir(job.workDir, { recursive: true })).filter((p) =>
          String(p).includes('teleport-'),
        ),
      ).toEqual([]);
    },
  );

  it.each([
    ['auth', { ...auth, token: 'github-bot\u2028insecure:\u2028  true' }, 'token', 'U+2028'],
    [
      'auth-k8s',
      { ...auth, 'kubernetes-cluster': 'prod\u0085insecure: true' },
      'kubernetes-cluster',
      'U+0085',
    ],
    ['auth-app', { ...auth, app: 'grafana\u2029- type: identity' }, 'app', 'U+2029'],
  ])(
    "%s: a value that would break out of tbot's config (YAML 1.1 line breaks)",
    async (action, inputs, input, code) => {
      const job = await runWorkflow(
        workflow({
          version: '17.4.2',
          action,
          with: inputs,
          permissions: 'permissions:\n  id-token: write',
        }),
        await runnerFor(double),
      );
      expectOneLineFailure(
        job,
        new RegExp(
          `^${action}: Input '${input}': holds a control character or line separator \\(${code.replace('+', '\\+')}\\): give it on one line, in plain characters$`,
        ),
      );
    },
  );

  it('when tbot is not installed', async () => {
    const job = await runWorkflow(
      `
on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: ./packages/auth
        with:
          proxy: teleport.example.test:443
          token: github-bot
`,
      await runnerFor(double, { env: { ...double.env, PATH: '/usr/bin:/bin' } }),
    );
    // The job has no id-token permission either: tbot's absence is the error to fix first.
    expectOneLineFailure(
      job,
      /^auth: tbot was not found on PATH: add 'uses: teleport-actions\/setup@v1'/,
    );
    // Nothing was made while tbot was being looked for.
    expect(
      (await readdir(job.workDir, { recursive: true })).filter((p) =>
        String(p).includes('teleport-'),
      ),
    ).toEqual([]);
  });

  it.each([
    ['auth', { token: 'github-bot' }, /^auth: Input 'proxy': is required/],
    [
      'auth',
      { proxy: 'https://teleport.example.test', token: 'x' },
      /^auth: Input 'proxy': .* has a URL scheme/,
    ],
    ['auth', { proxy: 'p:443' }, /^auth: Input 'token': is required/],
    ['auth-k8s', auth, /^auth-k8s: Input 'kubernetes-cluster': is required/],
    ['auth-app', auth, /^auth-app: Input 'app': is required/],
    [
      'application-tunnel',
      { ...auth, app: 'grafana', listen: 'localhost:8080' },
      /^application-tunnel: Input 'listen': 'localhost:8080'/,
    ],
    [
      'database-tunnel',
      { ...auth, service: 'db', listen: 'tcp://127.0.0.1:5432' },
      /^database-tunnel: Input 'database': is required/,
    ],
    [
      'auth',
      { ...auth, 'certificate-ttl': 'an hour' },
      /^auth: Input 'certificate-ttl': 'an hour' is not a duration/,
    ],
  ])('%s with bad input %j', async (action, inputs, message) => {
    const job = await runWorkflow(
      workflow({ version: '17.4.2', action, with: inputs }),
      await runnerFor(double),
    );
    expectOneLineFailure(job, message);
  });
});
