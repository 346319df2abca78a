// End to end: `teleport-ci` (the committed single-file bundle) as a drop-in for the official
// actions' behaviour on other CIs, against the Teleport double.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Double, startDouble } from '../double';
import { repoRoot } from './helpers';

const exec = promisify(execFile);
const CLI = join(repoRoot, 'packages', 'cli', 'dist', 'teleport-ci.cjs');
let double: Double;
let app: Server;
/** A GitLab job's environment with tbot 18.6.4 on PATH, joining with a GitLab ID token. */
const job: Record<string, string> = {};

beforeAll(async () => {
  double = await startDouble({
    auth: true,
    proxy: {
      serverVersion: '17.4.2',
      toolsVersion: '17.2.8',
      clusterName: 'teleport.example.test',
    },
  });
  const auth = double.auth!;
  auth.addRole({ name: 'cli-apps', apps: ['grafana'] });
  auth.addRole({ name: 'cli-ssh', logins: ['ci-dropin'] });
  auth.addBot({ name: 'cli', roles: ['cli-apps', 'cli-ssh'] });
  auth.addToken(`kind: token
version: v2
metadata: { name: gitlab-bot }
spec:
  roles: [Bot]
  join_method: gitlab
  bot_name: cli
  gitlab:
    domain: gitlab.example.test
    allow:
      - project_path: group/deploy
`);
  app = createServer((s) =>
    s.once('data', () =>
      s.end('HTTP/1.1 200 OK\r\nContent-Length: 7\r\nConnection: close\r\n\r\napp-ok\n'),
    ),
  );
  await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
  auth.addApp({ name: 'grafana', uri: `127.0.0.1:${(app.address() as { port: number }).port}` });
  const issuer = auth.issuers.gitlab;
  const jwt = await issuer.mint(issuer.claims({ projectPath: 'group/deploy' }), {
    audience: 'teleport.example.test',
  });
  const home = await mkdtemp(join(tmpdir(), 'cli-dropin-gitlab-'));
  Object.assign(job, {
    HOME: home,
    TMPDIR: home,
    GITLAB_CI: 'true',
    CI_JOB_ID: String(Date.now()),
    TBOT_GITLAB_JWT: jwt,
  });
  const { stdout } = await exec(CLI, ['setup', '--version', '18.6.4', '--print-env'], {
    env: { PATH: process.env.PATH, ...double.env, ...job },
  });
  job.PATH = `${/export PATH='([^']+)'/.exec(stdout)![1]}:${process.env.PATH}`;
});
afterAll(async () => {
  await Promise.all([double?.close(), new Promise((r) => app?.close(r))]);
});

/** Runs a shell script in the GitLab job's environment; returns its output. */
function sh(script: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', script], {
      env: { ...double.env, ...job, CLI, PROXY: double.proxy.addr },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in a fresh GitLab-like job environment (no host variables leak in). */
async function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const home = await mkdtemp(join(tmpdir(), 'cli-dropin-'));
  return new Promise((resolve) => {
    const child = spawn(CLI, args, {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: home,
        TMPDIR: home,
        GITLAB_CI: 'true',
        CI_JOB_ID: '7',
        ...double.env,
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('teleport-ci setup defaults to version auto when a proxy is known', () => {
  it('--proxy alone installs the version the cluster asks for', async () => {
    const run = await cli(['setup', '--proxy', double.proxy.addr, '--print-env']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("No --version given: installing what the proxy asks for ('auto')");
    expect(run.stdout).toContain("export TELEPORT_CI_VERSION='17.2.8'"); // auto_update.tools_version
  });
  it('TELEPORT_PROXY alone does too', async () => {
    const run = await cli(['setup', '--print-env'], { TELEPORT_PROXY: double.proxy.addr });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("export TELEPORT_CI_VERSION='17.2.8'");
  });
  it('an explicit version still wins', async () => {
    const run = await cli([
      'setup',
      '--proxy',
      double.proxy.addr,
      '--version',
      '17.4.2',
      '--print-env',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("export TELEPORT_CI_VERSION='17.4.2'");
  });
});

describe('the drop-in commands on GitLab', () => {
  it('application-proxy: http_proxy reaches the application by name; cleanup stops tbot', async () => {
    const { code, out } = await sh(`set -e
eval "$("$CLI" application-proxy --proxy "$PROXY" --token gitlab-bot --listen tcp://127.0.0.1:18191 --diag-port 57411 --print-env)"
echo "URI=$TELEPORT_CI_APPLICATION_PROXY_URI DIAG=$TELEPORT_CI_DIAG_ADDR"
test -f "$TELEPORT_CI_LOG_PATH"
http_proxy=http://127.0.0.1:$TELEPORT_CI_APPLICATION_PROXY_PORT curl -fsS http://grafana/
"$CLI" cleanup`);
    expect(code, out).toBe(0);
    expect(out).toContain('URI=tcp://127.0.0.1:18191 DIAG=127.0.0.1:57411');
    expect(out).toContain('app-ok');
    expect(out).toMatch(/Stopped tbot \(pid \d+\)/);
  });

  it('auth-application: the same certificate outputs as auth-app', async () => {
    const { code, out } = await sh(`set -e
eval "$("$CLI" auth-application --proxy "$PROXY" --token gitlab-bot --app grafana --print-env)"
openssl x509 -noout -subject -in "$TELEPORT_CI_CERTIFICATE_FILE"
test -f "$TELEPORT_CI_KEY_FILE"`);
    expect(code, out).toBe(0);
    expect(out).toMatch(/subject=.*bot-cli/);
  });

  it("auth-ssh: TELEPORT_SSH_CONFIG, the GitLab component's name, and TELEPORT_CI_SSH_CONFIG", async () => {
    const { code, out } = await sh(`set -e
eval "$("$CLI" auth-ssh --proxy "$PROXY" --token gitlab-bot --print-env)"
test "$TELEPORT_SSH_CONFIG" = "$TELEPORT_CI_SSH_CONFIG" && grep -c "^Host " "$TELEPORT_SSH_CONFIG"`);
    expect(code, out).toBe(0);
    expect(out).toMatch(/^[1-9]\d*$/m);
  });
});
