// End to end: the packed orb's own example (`deploy_with_job`, the `teleport/deploy_over_ssh`
// job in a workflow with a context), run by the CircleCI interpreter with the committed
// `teleport-ci` bundle against the Teleport double. The job installs the tools from the
// double's CDN, joins with the CircleCI OIDC token the double's issuer minted, and a step runs
// real `ssh` to the double's node. Without a context CircleCI issues no token, and the CLI says
// so. Every step's output is checked for secrets.
import { execFile } from 'node:child_process';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Double, startDouble } from '../double';
import { CIRCLECI_DEFAULTS } from '../double/oidc/claims';
import { ensureLoginUser } from '../double/ssh/users';
import {
  type ConfigDef,
  type JobResult,
  loadOrb,
  ORB_ALIAS,
  repoRoot,
  runConfigJob,
  writeExecutable,
} from './interpreter';

const exec = promisify(execFile);
const CLI = join(repoRoot, 'packages', 'cli', 'dist', 'teleport-ci.cjs');
const LOGIN = 'ci-circle-e2e';
const NODE = 'node-1.teleport.example.test';
const TOKEN = 'circleci-bot';
const EXAMPLE = 'deploy_with_job';
const JOB = `${ORB_ALIAS}/deploy_over_ssh`;

const orb = await loadOrb();
let double: Double;
let dir: string;
let teleportCi: string;
let jobs = 0;

beforeAll(async () => {
  double = await startDouble({ auth: true, proxy: { serverVersion: '17.4.2' } });
  const auth = double.auth!;
  auth.addRole({ name: 'ci-circle-ssh', logins: [LOGIN] });
  auth.addBot({ name: 'circle', roles: ['ci-circle-ssh'] });
  auth.addToken(
    [
      'kind: token',
      'version: v2',
      `metadata: { name: ${TOKEN} }`,
      'spec:',
      '  roles: [Bot]',
      '  join_method: circleci',
      '  bot_name: circle',
      '  circleci:',
      `    organization_id: ${CIRCLECI_DEFAULTS.orgId}`,
      '    allow:',
      `      - context_id: ${CIRCLECI_DEFAULTS.contextId}`,
      '',
    ].join('\n'),
  );
  await ensureLoginUser(LOGIN);
  dir = await mkdtemp(join(tmpdir(), 'circleci-e2e-'));
  // TELEPORT_CI_BIN must name an executable file: `node <repo>/packages/cli/dist/teleport-ci.cjs`.
  teleportCi = await writeExecutable(
    join(dir, 'bin'),
    'teleport-ci',
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"\n`,
  );
}, 120_000);
afterAll(async () => {
  await double?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/**
 * The orb's `deploy_with_job` example as published, with only what a user fills in changed:
 * the proxy (from the context, as `$TELEPORT_PROXY_ADDR`), the token, the credentials folder
 * and the steps. `context: null` drops the workflow entry's context.
 */
function exampleConfig(steps: unknown[], out: string, context?: null): ConfigDef {
  const usage = structuredClone(orb.examples?.[EXAMPLE]?.usage);
  if (!usage) throw new Error(`the orb has no example ${EXAMPLE}`);
  const entries = Object.values(usage.workflows ?? {})[0]?.jobs ?? [];
  const entry = entries
    .map((e) => (typeof e === 'object' && e !== null ? (e as Record<string, unknown>)[JOB] : null))
    .find((e) => e);
  if (!entry) throw new Error(`the ${EXAMPLE} example has no ${JOB} workflow entry`);
  const fields = entry as Record<string, unknown>;
  expect(fields.context).toBe('teleport-access');
  Object.assign(fields, { proxy: '$TELEPORT_PROXY_ADDR', token: TOKEN, out, steps });
  if (context === null) {
    delete fields.context;
    fields.proxy = double.proxy.addr;
  }
  return usage;
}

async function runExampleJob(
  steps: unknown[],
  opts: { context?: null; noToken?: boolean } = {},
): Promise<{ result: JobResult; out: string; jwt: string }> {
  const root = join(dir, `job-${++jobs}`);
  const out = join(root, 'teleport');
  const jwt = await double.auth!.issuers.circleci.mint();
  const result = await runConfigJob(exampleConfig(steps, out, opts.context), orb, {
    root,
    env: { ...double.env, TELEPORT_CI_BIN: teleportCi },
    contexts: { 'teleport-access': { TELEPORT_PROXY_ADDR: double.proxy.addr } },
    ...(opts.noToken ? {} : { oidc: { token: jwt } }),
    stepTimeoutMs: 90_000,
  });
  expectNoSecrets(result, jwt);
  return { result, out, jwt };
}

function describeJob(result: JobResult): string {
  return result.steps
    .map((s) => `--- ${s.name} [${s.status} ${s.exitCode}]\n${s.output}`)
    .join('\n');
}

/** No JWT, private key or certificate body in anything a step printed. */
function expectNoSecrets(result: JobResult, jwt: string): void {
  const printed = result.steps.map((s) => s.output).join('\n');
  expect(printed).not.toMatch(/eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,}/);
  expect(printed).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
  expect(printed).not.toMatch(/-----BEGIN CERTIFICATE-----/);
  expect(printed).not.toMatch(/-cert-v01@openssh\.com AAAA/);
  expect(printed).not.toContain(jwt.split('.')[2]);
}

async function gone(path: string): Promise<boolean> {
  return access(path).then(
    () => false,
    () => true,
  );
}

describe('the orb against the Teleport double (real teleport-ci, tbot stand-in, sshd)', () => {
  it('deploy_with_job: joins with CIRCLE_OIDC_TOKEN and a step runs real ssh on the node', async () => {
    const line = `circleci-e2e-${Date.now()}-${process.pid}`;
    const { result, out } = await runExampleJob([
      {
        run: {
          name: 'Log this run on the node',
          command: `ssh -F "$TELEPORT_CI_SSH_CONFIG" ${LOGIN}@${NODE} "echo ${line} >> ~/run_log"`,
        },
      },
    ]);
    if (!result.success) expect.fail(`job failed:\n${describeJob(result)}`);
    expect(result.steps.map((s) => [s.name, s.status])).toEqual([
      ['checkout', 'skipped'],
      ["Restore teleport-ci and Teleport's tools", 'skipped'],
      ['Find or install teleport-ci', 'success'],
      ['Install Teleport (tbot, tsh, tctl)', 'success'],
      ['List what the teleport-ci cache holds', 'success'],
      ["Save teleport-ci and Teleport's tools", 'skipped'],
      ['Find or install teleport-ci', 'success'],
      ['Get an OpenSSH config for Teleport nodes', 'success'],
      ['Log this run on the node', 'success'],
      ['Delete Teleport credentials', 'success'],
    ]);
    const { stdout } = await exec('bash', ['-c', `tail -n 1 ~${LOGIN}/run_log`]);
    expect(stdout.trim()).toBe(line);
    expect(result.bashEnv).toContain(
      `export TELEPORT_CI_SSH_CONFIG='${join(out, 'ssh_config')}'\n`,
    );
    expect(double.auth!.joins.at(-1)).toMatchObject({
      token: TOKEN,
      joinMethod: 'circleci',
      ok: true,
    });
    expect(await gone(out)).toBe(true); // the cleanup step
  }, 180_000);

  it('without a context the job still gets CIRCLE_OIDC_TOKEN and joins (a context is needed only for context_id rules)', async () => {
    const { result } = await runExampleJob(
      [
        {
          run: {
            name: 'On the node',
            command: `ssh -F "$TELEPORT_SSH_CONFIG" ${LOGIN}@${NODE} true`,
          },
        },
      ],
      { context: null },
    );
    expect(result.success, describeJob(result)).toBe(true);
    expect(result.steps.find((s) => s.name === 'On the node')?.status).toBe('success');
  }, 180_000);

  it('a build with no token (a forked pull request without secrets) fails with what to change', async () => {
    const { result } = await runExampleJob(
      [
        {
          run: {
            name: 'Must not run',
            command: `ssh -F "$TELEPORT_CI_SSH_CONFIG" ${LOGIN}@${NODE} true`,
          },
        },
      ],
      { context: null, noToken: true },
    );
    expect(result.success).toBe(false);
    const auth = result.steps.find((s) => s.name === 'Get an OpenSSH config for Teleport nodes');
    expect(auth?.status).toBe('failed');
    expect(auth?.env?.CIRCLE_OIDC_TOKEN).toBeUndefined();
    expect(auth?.stderr).toContain(
      "CIRCLE_OIDC_TOKEN is not set: CircleCI issues it to every job of the project's own pipelines, with or without a context; a build of a forked pull request gets it only if the project's settings pass secrets to forked builds",
    );
    expect(result.steps.find((s) => s.name === 'Must not run')?.status).toBe('skipped');
    expect(result.steps.at(-1)).toMatchObject({
      name: 'Delete Teleport credentials',
      status: 'success',
    });
  }, 180_000);
});
