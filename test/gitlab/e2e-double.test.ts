/**
 * End to end on GitLab: gitlab-ci-local runs a pipeline that includes the `ssh` component from
 * this checkout (`include: component: ...@<HEAD sha>`), with the real `teleport-ci` bundle
 * (TELEPORT_CI_BIN) against the Teleport double. gitlab-ci-local mints no ID tokens, so
 * TBOT_GITLAB_JWT is minted by the double's GitLab issuer and passed as a variable. The job's
 * `script` runs real `ssh` to the double's sshd; the job's output is checked for secrets.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Double, startDouble } from '../double';
import { ensureLoginUser } from '../double/ssh/users';
import { type ComponentRepo, type ExecResult, makeComponentRepo, repoRoot } from './harness';

const execP = promisify(execFile);
const LOGIN = 'ci-gitlab-e2e';
const CLUSTER = 'teleport.example.test';
const CLI = join(repoRoot, 'packages', 'cli', 'dist', 'teleport-ci.cjs');

let double: Double;
let repo: ComponentRepo;
let counter = 0;

beforeAll(async () => {
  double = await startDouble({ auth: true, proxy: { serverVersion: '17.4.2' } });
  repo = await makeComponentRepo();
  const auth = double.auth!;
  auth.addRole({ name: 'ci-gitlab-ssh', logins: [LOGIN] });
  auth.addBot({ name: 'ci-gitlab', roles: ['ci-gitlab-ssh'] });
  auth.addToken(`kind: token
version: v2
metadata: { name: gitlab-bot }
spec:
  roles: [Bot]
  join_method: gitlab
  bot_name: ci-gitlab
  gitlab:
    domain: gitlab.example.test
    allow:
      - project_path: ${repo.projectPath}
`);
  await ensureLoginUser(LOGIN);
}, 120_000);
afterAll(async () => {
  await Promise.all([double?.close(), repo?.cleanup()]);
});

/** A PATH with node and the system tools (real `ssh`) but no workspace `node_modules/.bin`. */
function cleanPath(): string {
  return [dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(delimiter);
}

/** Runs the `ssh` component's job with the real CLI, the double's env and `jwt`. */
async function runSshJob(jwt: string, command: string): Promise<ExecResult & { tmp: string }> {
  counter += 1;
  const tmp = join(dirname(repo.dir), `e2e-tmp${counter}`);
  await mkdir(tmp);
  const file = await repo.writePipeline(
    {
      include: [
        {
          component: repo.component('ssh'),
          inputs: {
            cluster: CLUSTER,
            proxy: double.proxy.addr,
            token: 'gitlab-bot',
            version: '17.4.2',
            host: 'node-1',
            login: LOGIN,
            command,
          },
        },
      ],
      stages: ['deploy'],
    },
    `pipelines/e2e${counter}.yml`,
  );
  const r = await repo.run(['teleport-ssh'], {
    file,
    asGitLab: true,
    forceShellExecutor: true, // the component's job has `image: node:20-bookworm`
    variables: { TBOT_GITLAB_JWT: jwt, TELEPORT_CI_BIN: `${process.execPath} ${CLI}` },
    env: { ...double.env, TMPDIR: tmp, PATH: cleanPath() },
    timeoutMs: 180_000,
  });
  return { ...r, tmp };
}

/** No ID token, private key or certificate body in what the job printed. */
function expectNoSecrets(output: string, jwt: string): void {
  expect(output).not.toMatch(/eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,}/);
  expect(output).not.toContain(jwt.split('.')[2]);
  expect(output).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
  expect(output).not.toMatch(/-----BEGIN CERTIFICATE-----/);
  expect(output).not.toMatch(/-cert-v01@openssh\.com AAAA/);
}

function gitlabJwt(audience: string): Promise<string> {
  const issuer = double.auth!.issuers.gitlab;
  return issuer.mint(issuer.claims({ projectPath: repo.projectPath }), { audience });
}

describe('ssh component with the real teleport-ci against the Teleport double', () => {
  it('joins with the GitLab ID token and the job runs a command on the node over real ssh', async () => {
    const marker = `gitlab-e2e-${Date.now()}`;
    const jwt = await gitlabJwt(CLUSTER);
    const r = await runSshJob(jwt, `echo $CI_JOB_ID-${marker} >> ~/run_log`);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/PASS\s+teleport-ssh/);
    expectNoSecrets(r.output, jwt);

    const { stdout } = await execP('bash', ['-c', `tail -n 1 ~${LOGIN}/run_log`]);
    const line = stdout.trim();
    expect(line).toMatch(new RegExp(`^\\d+-${marker}$`)); // CI_JOB_ID expanded by GitLab
    // after_script removed this job's credentials folder.
    const jobId = line.split('-')[0];
    const dest = join(r.tmp, `teleport-ci-${jobId}`);
    expect(r.output).toContain(`Deleted the credentials in ${dest}`);
    expect(existsSync(dest)).toBe(false);
    expect(double.auth!.joins.at(-1)).toMatchObject({
      ok: true,
      bot: 'ci-gitlab',
      joinMethod: 'gitlab',
    });
  });

  it('a token with the wrong audience fails the job with the preflight message', async () => {
    const marker = `gitlab-e2e-wrong-aud-${Date.now()}`;
    const jwt = await gitlabJwt('https://gitlab.example.test');
    const joins = double.auth!.joins.length;
    const r = await runSshJob(jwt, `echo ${marker} >> ~/run_log`);
    expect(r.code, r.output).not.toBe(0);
    expect(r.output).toMatch(/FAIL\s+teleport-ssh/);
    expect(r.output).toContain(
      `TBOT_GITLAB_JWT has audience "https://gitlab.example.test", but the cluster at ${double.proxy.addr} is named '${CLUSTER}': set 'id_tokens: { TBOT_GITLAB_JWT: { aud: ${CLUSTER} } }'`,
    );
    expectNoSecrets(r.output, jwt);
    expect(double.auth!.joins.length).toBe(joins); // tbot never tried
    const { stdout } = await execP('bash', ['-c', `cat ~${LOGIN}/run_log 2>/dev/null || true`]);
    expect(stdout).not.toContain(marker);
  });
});
