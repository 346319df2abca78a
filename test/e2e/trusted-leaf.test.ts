// End to end: a root cluster and a trusted leaf cluster (Machine ID FAQ, "Can MWI be used with
// Trusted Clusters?": SSH to leaf nodes works; applications, databases and Kubernetes clusters in
// a leaf do not), and per-session MFA on the bot's roles ("Can MWI be used with per-session
// MFA?": the credentials are issued but every session is refused). The leaf's node is a real
// sshd trusting the root's user CA; the real ssh client and the stand-in tsh reach it through
// the root's proxy with the credentials the GitHub actions and the CLI write.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Double, startDouble } from '../double';
import { ensureLoginUser } from '../double/ssh/users';
import type { JobResult } from '../runner';
import { runWorkflow } from '../runner';
import { ID_TOKEN_PERMISSIONS, type WorkflowStep, workflowYaml } from '../runner/workflow-builder';
import { expectOneLineFailure, expectSuccess, repoRoot, runnerFor } from './helpers';

const exec = promisify(execFile);
const CLI = join(repoRoot, 'packages', 'cli', 'dist', 'teleport-ci.cjs');
const ROOT = 'root.example.test';
const LEAF = 'leaf.example.test';
const LOGIN = 'ci-leaf-login';
const MFA_LOGIN = 'ci-mfa-login';
let double: Double;
// A workflow expression, written as GitHub reads it (not a template string).
// biome-ignore lint/suspicious/noTemplateCurlyInString: GitHub's ${{ }} syntax
const proxyVar = { proxy: '${{ vars.TELEPORT_PROXY }}' };

beforeAll(async () => {
  double = await startDouble({
    auth: {
      leaf: {
        name: LEAF,
        // The leaf's trusted_cluster maps the root's ci-ssh role onto its own leaf-ssh role.
        roleMap: [
          { remote: 'ci-ssh', local: ['leaf-ssh'] },
          { remote: 'ci-mfa', local: ['leaf-mfa'] },
        ],
      },
    },
    proxy: { serverVersion: '18.6.4', clusterName: ROOT },
  });
  const auth = double.auth!;
  const leaf = auth.leaf!.auth;
  auth.addRole({ name: 'ci-ssh', logins: [LOGIN] });
  leaf.addRole({ name: 'leaf-ssh', logins: [LOGIN] });
  // Per-session MFA on the role the second bot impersonates, in both clusters.
  auth.addRole(`kind: role
version: v7
metadata: { name: ci-mfa }
spec:
  options: { require_session_mfa: true }
  allow: { logins: [${MFA_LOGIN}] }
`);
  leaf.addRole(`kind: role
version: v7
metadata: { name: leaf-mfa }
spec:
  options: { require_session_mfa: true }
  allow: { logins: [${MFA_LOGIN}] }
`);
  auth.addBot({ name: 'ci', roles: ['ci-ssh'] });
  auth.addBot({ name: 'ci-mfa', roles: ['ci-mfa'] });
  for (const bot of ['ci', 'ci-mfa']) {
    auth.addToken(`kind: token
version: v2
metadata: { name: github-${bot} }
spec:
  roles: [Bot]
  join_method: github
  bot_name: ${bot}
  github:
    allow:
      - repository: octo-org/octo-repo
`);
    auth.addToken(`kind: token
version: v2
metadata: { name: gitlab-${bot} }
spec:
  roles: [Bot]
  join_method: gitlab
  bot_name: ${bot}
  gitlab:
    domain: gitlab.example.test
    allow:
      - project_path: group/deploy
`);
  }
  await ensureLoginUser(LOGIN);
  await ensureLoginUser(MFA_LOGIN);
});
afterAll(async () => {
  await double?.close();
});

async function github(steps: WorkflowStep[]): Promise<JobResult> {
  const token = double.github!.env();
  return runWorkflow(
    workflowYaml(steps, { setupVersion: '18.6.4', permissions: ID_TOKEN_PERMISSIONS }),
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

/** Runs a shell script as a GitLab job would (TBOT_GITLAB_JWT for the cluster's audience). */
async function gitlabJob(script: string): Promise<{ code: number | null; out: string }> {
  const issuer = double.auth!.issuers.gitlab;
  const jwt = await issuer.mint(issuer.claims({ projectPath: 'group/deploy' }), { audience: ROOT });
  const home = await mkdtemp(join(tmpdir(), 'leaf-gitlab-'));
  const env: Record<string, string> = {
    ...(double.env as Record<string, string>),
    PATH: process.env.PATH ?? '',
    HOME: home,
    TMPDIR: home,
    GITLAB_CI: 'true',
    CI_JOB_ID: String(Date.now()),
    TBOT_GITLAB_JWT: jwt,
    CLI,
    PROXY: double.proxy.addr,
  };
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', script], { env });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

async function lastRunLog(login: string): Promise<string> {
  const { stdout } = await exec('bash', ['-c', `tail -n 1 ~${login}/run_log`]);
  return stdout.trim();
}

const tunnelsTo = (host: string) => double.auth!.tunnels.filter((t) => t.name === host);

describe('trusted leaf cluster', () => {
  it('GitHub auth-ssh: ssh reaches a node in the leaf and one in the root with the same ssh_config', async () => {
    const marker = `leaf-${Date.now()}`;
    const job = await github([
      {
        uses: './packages/auth-ssh',
        id: 'auth',
        with: { ...proxyVar, token: 'github-ci' },
      },
      {
        run: [
          `ssh -F "$TELEPORT_SSH_CONFIG" ${LOGIN}@node-1.${LEAF} "echo ${marker} >> ~/run_log"`,
          `ssh -F "$TELEPORT_SSH_CONFIG" ${LOGIN}@node-1.${ROOT} true`,
          `grep -c '^Host \\*\\.' "$TELEPORT_SSH_CONFIG"`,
        ].join('\n'),
      },
    ]);
    expectSuccess(job);
    expect(await lastRunLog(LOGIN)).toBe(marker);
    // One block pair per cluster: the root's and the leaf's.
    expect(job.steps[2]!.log).toMatch(/^4$/m);
    expect(job.summary).toContain(`| SSH clusters | \`${ROOT}, ${LEAF} (trusted leaf)\` |`);
    expect(job.log).toContain(
      `The ssh config also reaches trusted leaf clusters through ${ROOT}'s proxy: <node>.${LEAF}`,
    );
    expect(tunnelsTo(`node-1.${LEAF}`).at(-1)).toMatchObject({ cluster: LEAF, ok: true });
  });

  it('the CLI as a GitLab job: tsh --cluster reaches the leaf node with the identity file', async () => {
    const marker = `tsh-leaf-${Date.now()}`;
    const r = await gitlabJob(`set -e
eval "$("$CLI" setup --version 18.6.4 --print-env)"
eval "$("$CLI" auth --proxy "$PROXY" --token gitlab-ci --print-env)"
tsh -i "$TELEPORT_IDENTITY_FILE" --proxy "$PROXY" --cluster ${LEAF} ssh ${LOGIN}@node-1 "echo ${marker} >> ~/run_log"
"$CLI" cleanup`);
    expect(r.code, r.out).toBe(0);
    expect(await lastRunLog(LOGIN)).toBe(marker);
  });

  it('a login the leaf maps to no role: the leaf node refuses (Permission denied), the reason is logged', async () => {
    const job = await github([
      {
        uses: './packages/auth-ssh',
        with: { ...proxyVar, token: 'github-ci' },
      },
      { run: `ssh -F "$TELEPORT_SSH_CONFIG" root@node-1.${LEAF} true` },
    ]);
    expect(job.status).toBe('failure');
    expect(job.steps[2]!.log).toContain('Permission denied (publickey)');
    // Teleport's node log line, as a real leaf writes it.
    expect(tunnelsTo(`node-1.${LEAF}`).at(-1)!.error).toBe(
      `user bot-ci@${ROOT} is not authorized to login as root@${LEAF}: access to node denied. User does not have permissions. Confirm SSH login.`,
    );
  });
});

describe('per-session MFA on the roles the bot impersonates', () => {
  it('ssh through the ssh_config: Permission denied, and Teleport logs "access to resource requires MFA"', async () => {
    const job = await github([
      {
        uses: './packages/auth-ssh',
        with: { ...proxyVar, token: 'github-ci-mfa' },
      },
      { run: `ssh -F "$TELEPORT_SSH_CONFIG" ${MFA_LOGIN}@node-1.${ROOT} true` },
    ]);
    expect(job.status).toBe('failure');
    expect(job.steps[2]!.log).toContain('Permission denied (publickey)');
    expect(tunnelsTo(`node-1.${ROOT}`).at(-1)!.error).toBe(
      `user bot-ci-mfa@${ROOT} is not authorized to login as ${MFA_LOGIN}@${ROOT}: access to resource requires MFA`,
    );
  });

  it("tsh as a GitLab job: Teleport's no-MFA-device message, for the leaf node too", async () => {
    const r = await gitlabJob(`eval "$("$CLI" setup --version 18.6.4 --print-env)"
eval "$("$CLI" auth --proxy "$PROXY" --token gitlab-ci-mfa --print-env)"
tsh -i "$TELEPORT_IDENTITY_FILE" --proxy "$PROXY" --cluster ${LEAF} ssh ${MFA_LOGIN}@node-1 true
echo "exit=$?"
"$CLI" cleanup`);
    expect(r.out).toContain(
      "ERROR: MFA is required to access this resource but user has no MFA devices; use 'tsh mfa add' to register MFA devices",
    );
    expect(r.out).toMatch(/^exit=1$/m);
  });
});

describe('what Machine ID does not reach in a leaf cluster', () => {
  it('auth-app for an application that lives in the leaf: one line that says why', async () => {
    double.auth!.leaf!.auth.addApp({ name: 'leaf-grafana', uri: '127.0.0.1:9' });
    const job = await github([
      {
        uses: './packages/auth-app',
        with: { ...proxyVar, token: 'github-ci', app: 'leaf-grafana' },
      },
    ]);
    expectOneLineFailure(job, /application named "leaf-grafana".*trusted leaf cluster/);
  });

  it.each([
    ['auth-app', { app: 'leaf-grafana' }, 'applications'],
    ['auth-k8s', { 'kubernetes-cluster': 'leaf-prod' }, 'Kubernetes clusters'],
    [
      'database-tunnel',
      { service: 'leaf-db', database: 'd', username: 'u', listen: 'tcp://127.0.0.1:15432' },
      'databases',
    ],
  ])('%s with cluster: <the leaf>: refused before tbot runs', async (action, inputs, reaches) => {
    const before = double.auth!.joins.length;
    const job = await github([
      {
        uses: `./packages/${action}`,
        with: { ...proxyVar, token: 'github-ci', cluster: LEAF, ...inputs },
      },
    ]);
    expectOneLineFailure(
      job,
      new RegExp(
        `: Input 'cluster' names '${LEAF}', but proxy \\S+ serves '${ROOT}': Machine ID cannot reach ${reaches} in a trusted leaf cluster \\(only SSH nodes there\\)`,
      ),
    );
    expect(double.auth!.joins.length).toBe(before); // tbot never ran
  });

  it("cluster: the proxy's own cluster changes nothing", async () => {
    double.auth!.addApp({ name: 'root-app', uri: '127.0.0.1:9' });
    double.auth!.addRole({ name: 'ci-root-app', apps: ['root-app'] });
    double.auth!.addBot({ name: 'ci', roles: ['ci-ssh', 'ci-root-app'] });
    const job = await github([
      {
        uses: './packages/auth-app',
        with: { ...proxyVar, token: 'github-ci', cluster: ROOT, app: 'root-app' },
      },
    ]);
    expectSuccess(job);
  });

  it('the CLI: --cluster with a leaf name is refused the same way, a bad name names the flag', async () => {
    const r = await gitlabJob(`eval "$("$CLI" setup --version 18.6.4 --print-env)"
"$CLI" auth-app --proxy "$PROXY" --token gitlab-ci --app x --cluster ${LEAF}; echo "exit=$?"
"$CLI" auth-app --proxy "$PROXY" --token gitlab-ci --app x --cluster 'a b'; echo "exit=$?"`);
    expect(r.out).toMatch(
      new RegExp(
        `^teleport-ci: auth-app: --cluster names '${LEAF}', but proxy .* serves '${ROOT}': Machine ID cannot reach applications in a trusted leaf cluster.* or leave --cluster empty$`,
        'm',
      ),
    );
    expect(r.out).toMatch(/^teleport-ci: auth-app: --cluster: must be a Teleport cluster name/m);
    expect(r.out.match(/^exit=1$/gm)).toHaveLength(2);
  });
});

// The files are what real tbot writes: checked here once against the golden form.
describe('the identity output for a root with a leaf', () => {
  it('ssh_config, known_hosts and the per-cluster v18 files cover both clusters', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'leaf-files-')), 'copy');
    const job = await github([
      {
        uses: './packages/auth-ssh',
        id: 'auth',
        with: { ...proxyVar, token: 'github-ci' },
      },
      { run: `cp -r "$(dirname "$TELEPORT_SSH_CONFIG")" ${dir}` },
    ]);
    expectSuccess(job);
    const config = await readFile(join(dir, 'ssh_config'), 'utf8');
    expect(config).toContain(`Host *.${LEAF} ${new URL(`https://${double.proxy.addr}`).hostname}`);
    expect(config).toContain(`--cluster='${LEAF}'`);
    const known = await readFile(join(dir, 'known_hosts'), 'utf8');
    expect(known).toMatch(new RegExp(`,${LEAF.replace(/\./g, '\\.')},\\*\\.`));
    await expect(readFile(join(dir, `${LEAF}.ssh_config`), 'utf8')).resolves.toContain(
      `--cluster='${LEAF}'`,
    );
    await expect(readFile(join(dir, `${LEAF}.known_hosts`), 'utf8')).resolves.toContain(
      `,${LEAF},*.${LEAF} `,
    );
  });
});

describe('the job summary explains a refused ssh', () => {
  it('names the roles in the credentials and the per-session MFA work-around', async () => {
    const job = await github([
      {
        uses: './packages/auth-ssh',
        with: { ...proxyVar, token: 'github-ci-mfa' },
      },
    ]);
    expectSuccess(job);
    expect(job.summary).toContain('<details><summary>If ssh or tsh is refused</summary>');
    expect(job.summary).toMatch(
      /`access to resource requires MFA`.*`ci-mfa` \(or the cluster's auth preference\) requires per-session MFA.*not on the ones the bot impersonates/,
    );
  });
});
