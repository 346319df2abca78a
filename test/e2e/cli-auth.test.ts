// End to end: every `teleport-ci` credential command's happy path, as a GitLab job runs it
// (TBOT_GITLAB_JWT from the double's GitLab issuer, audience = the cluster name, teleport-behaviour.md §4.2),
// then `cleanup`, against the Teleport double with its real consumers.
import { execFile, spawn } from 'node:child_process';
import { access, chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Double, startDouble } from '../double';
import { startKubeApi } from '../double/kube';
import { ensureLoginUser } from '../double/ssh/users';
import { runAsRootOk } from '../privileged';
import { repoRoot } from './helpers';

const exec = promisify(execFile);
const CLI = join(repoRoot, 'packages', 'cli', 'dist', 'teleport-ci.cjs');
const LOGIN = 'ci-cli-e2e';
let double: Double;
let kube: Awaited<ReturnType<typeof startKubeApi>>;
let app: Server;
let db: Server;
let job: Record<string, string>;

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as { port: number }).port;
}

beforeAll(async () => {
  double = await startDouble({
    auth: true,
    proxy: { serverVersion: '18.6.4', clusterName: 'teleport.example.test' },
  });
  const auth = double.auth!;
  auth.addRole({ name: 'cli-ssh', logins: [LOGIN] });
  auth.addRole({ name: 'cli-k8s', kube_clusters: ['prod'], kubernetes_groups: ['prod-readers'] });
  auth.addRole({
    name: 'cli-apps',
    apps: ['grafana'],
    dbs: ['orders'],
    db_users: ['ci'],
    db_names: ['orders'],
  });
  auth.addBot({ name: 'cli', roles: ['cli-ssh', 'cli-k8s', 'cli-apps'] });
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
  await ensureLoginUser(LOGIN);
  kube = await startKubeApi({
    clientCaPem: auth.tls.user.certPem,
    serverCert: await double.ca.issueServerCert([
      '127.0.0.1',
      'localhost',
      'kube-teleport-proxy-alpn.teleport.example.test',
    ]),
    clusters: {
      prod: { pods: [{ namespace: 'default', name: 'api-5c' }], allowedGroups: ['prod-readers'] },
    },
  });
  auth.addKubeCluster({ name: 'prod', apiUrl: kube.urlFor('prod'), caPem: double.ca.certPem });
  app = createServer((s) =>
    s.once('data', () =>
      s.end('HTTP/1.1 200 OK\r\nContent-Length: 7\r\nConnection: close\r\n\r\napp-ok\n'),
    ),
  );
  db = createServer((s) => s.on('data', (d) => s.write(`db:${d}`)));
  auth.addApp({ name: 'grafana', uri: `127.0.0.1:${await listen(app)}` });
  auth.addDatabase({ name: 'orders', protocol: 'postgres', uri: `127.0.0.1:${await listen(db)}` });

  const issuer = auth.issuers.gitlab;
  const jwt = await issuer.mint(issuer.claims({ projectPath: 'group/deploy' }), {
    audience: 'teleport.example.test',
  });
  const home = await mkdtemp(join(tmpdir(), 'cli-gitlab-'));
  job = {
    HOME: home,
    TMPDIR: home,
    GITLAB_CI: 'true',
    CI_JOB_ID: String(Date.now()),
    TBOT_GITLAB_JWT: jwt,
  };
  // The job's tools, as its before_script would install them.
  const { stdout } = await exec(CLI, ['setup', '--version', '18.6.4', '--print-env'], {
    env: { PATH: process.env.PATH, ...double.env, ...job },
  });
  job.PATH = `${/export PATH='([^']+)'/.exec(stdout)![1]}:${process.env.PATH}`;
});
afterAll(async () => {
  await Promise.all([
    double?.close(),
    kube?.close(),
    new Promise((r) => app?.close(r)),
    new Promise((r) => db?.close(r)),
  ]);
});

/** Runs a shell script in the job's environment; returns its output. */
function sh(
  script: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', script], { env: { ...double.env, ...job, CLI, ...env } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

const FLAGS = '--proxy "$PROXY" --token gitlab-bot';

function noSecrets(out: string): void {
  expect(out).not.toContain(job.TBOT_GITLAB_JWT!.split('.')[2]);
  expect(out).not.toMatch(
    /-----BEGIN [A-Z ]*PRIVATE KEY-----|-----BEGIN CERTIFICATE-----|-cert-v01@openssh\.com AAAA/,
  );
}

describe('teleport-ci credential commands on GitLab', () => {
  it('auth: TELEPORT_IDENTITY_FILE for tsh', async () => {
    const { code, out } = await sh(`set -e; PROXY='${double.proxy.addr}'
eval "$("$CLI" auth ${FLAGS} --print-env)"
tsh ls | grep -c node-1`);
    expect(code, out).toBe(0);
    expect(out).toMatch(/^1$/m);
    expect(out).toMatch(/project_path: group\/deploy\n/); // the claims, shown as on GitHub
    noSecrets(out);
  });

  it('auth-k8s: KUBECONFIG for kubectl', async () => {
    const { code, out } = await sh(`set -e; PROXY='${double.proxy.addr}'
eval "$("$CLI" auth-k8s ${FLAGS} --kubernetes-cluster prod --print-env)"
kubectl get pods -o name --request-timeout=20s`);
    expect(code, out).toBe(0);
    expect(out).toContain('pod/api-5c');
    noSecrets(out);
  });

  it('auth-app: a certificate for the application', async () => {
    const { code, out } = await sh(`set -e; PROXY='${double.proxy.addr}'
eval "$("$CLI" auth-app ${FLAGS} --app grafana --print-env)"
openssl x509 -noout -subject -in "$TELEPORT_CI_CERTIFICATE_FILE"`);
    expect(code, out).toBe(0);
    expect(out).toMatch(/subject=.*bot-cli/);
    noSecrets(out);
  });

  it('tunnels stay up after the command, and cleanup stops them and deletes everything', async () => {
    const { code, out } = await sh(`set -e; PROXY='${double.proxy.addr}'
eval "$("$CLI" application-tunnel ${FLAGS} --app grafana --listen tcp://127.0.0.1:18181 --diag-port 57401 --print-env)"
eval "$("$CLI" database-tunnel ${FLAGS} --service orders --database orders --username ci --listen tcp://127.0.0.1:15433 --diag-port 57402 --print-env)"
curl -fsS http://127.0.0.1:18181/
node -e "const s=require('net').connect(15433,'127.0.0.1',()=>s.end('ping'));s.pipe(process.stdout)"; echo
echo "DIRS $TELEPORT_CI_DESTINATION_DIR"
ps -eo args | grep -q "[t]bot start -c $TMPDIR" && echo "TBOT RUNNING BEFORE CLEANUP"
"$CLI" cleanup
ps -eo args | grep -q "[t]bot start -c $TMPDIR" && echo "TBOT STILL RUNNING" || true`);
    expect(code, out).toBe(0);
    expect(out).toContain('app-ok');
    expect(out).toContain('db:ping');
    expect(out).toMatch(/Stopped tbot \(pid \d+\)/);
    expect(out).toContain('TBOT RUNNING BEFORE CLEANUP');
    expect(out).not.toContain('TBOT STILL RUNNING');
    const dir = /DIRS (\S+)/.exec(out)![1]!;
    await expect(access(dir)).rejects.toThrow();
    noSecrets(out);
  });
});

// A tbot that misbehaves (the stand-in's TBOT_DOUBLE_FAULT): the command fails, saying what
// happened, and prints no variables pointing at missing credentials.
describe('a misbehaving tbot', () => {
  it('exits 0 without writing anything: --print-env fails and prints nothing', async () => {
    const { code, out } = await sh(
      `PROXY='${double.proxy.addr}'; "$CLI" auth-k8s ${FLAGS} --kubernetes-cluster prod --print-env`,
      { TBOT_DOUBLE_FAULT: 'exit-0-no-output' },
    );
    expect(code, out).toBe(1);
    expect(out).not.toContain('export ');
    expect(out.trim().split('\n').at(-1)).toMatch(
      /^teleport-ci: auth-k8s: tbot exited successfully but did not write its kubernetes output: \/\S+ lacks 7 of 7 files \(key, key\.pub, key-cert\.pub, \.\.\.\); run the step in debug mode to see tbot's log$/,
    );
  });

  it('hangs: stopped at --timeout-ms, with what was waited for, and no tbot left', async () => {
    const { code, out } = await sh(
      `PROXY='${double.proxy.addr}'; "$CLI" auth ${FLAGS} --timeout-ms 1500 --print-env; echo "EXIT $?"
echo "LEFT $(ps -eo args | grep -c "[t]bot start -c $TMPDIR")"`,
      { TBOT_DOUBLE_FAULT: 'hang' },
    );
    expect(out).toContain('EXIT 1');
    expect(out).toContain('LEFT 0');
    expect(out).not.toContain('export ');
    expect(out).toMatch(
      /^teleport-ci: auth: tbot did not finish joining the cluster and writing the credentials within 1\.5s, so it was stopped \(raise --timeout-ms if it needs longer\)$/m,
    );
    expect(code).toBe(0);
  });

  it('dies of a signal: the signal is named', async () => {
    const { code, out } = await sh(
      `PROXY='${double.proxy.addr}'; "$CLI" auth ${FLAGS} --print-env`,
      {
        TBOT_DOUBLE_FAULT: 'segv',
      },
    );
    expect(code, out).toBe(1);
    expect(out.trim().split('\n').at(-1)).toBe(
      'teleport-ci: auth: tbot failed: it was killed by SIGSEGV',
    );
  });

  it.each(['0', '0x10', '1e3', '1.5', '3600001'])('refuses --timeout-ms %s', async (value) => {
    const { code, out } = await sh(
      `PROXY='${double.proxy.addr}'; "$CLI" auth ${FLAGS} --timeout-ms ${value} --print-env`,
    );
    expect(code, out).toBe(1);
    expect(out.trim().split('\n').at(-1)).toBe(
      `teleport-ci: auth: --timeout-ms: '${value}' is not a whole number from 1 to 3600000`,
    );
  });

  it("ignores TBOT_CONFIG in the job's environment (tbot would refuse it with -c)", async () => {
    const { code, out } = await sh(
      `set -e; PROXY='${double.proxy.addr}'
eval "$("$CLI" auth ${FLAGS} --print-env)"; test -s "$TELEPORT_IDENTITY_FILE" && echo IDENTITY OK`,
      { TBOT_CONFIG: 'version: v2\nproxy_server: elsewhere.example:443\n' },
    );
    expect(code, out).toBe(0);
    expect(out).toContain('IDENTITY OK');
  });
});

// Hardening: the job's state is the CLI's own, every run is undone, and nothing in the state
// is trusted blindly (a stale or planted pid, folder or log).
describe('cleanup undoes every run of this job, and only what this job did', () => {
  const newJob = () => ({
    CI_JOB_ID: `state-${Date.now()}-${Math.random().toString(36).slice(2)}`,
  });

  it('a command run twice: both runs cleaned up, no tbot and no join secret left', async () => {
    const { code, out } = await sh(
      `set -e; PROXY='${double.proxy.addr}'
eval "$("$CLI" auth-ssh ${FLAGS} --print-env)"; echo "FIRST $TELEPORT_CI_DESTINATION_DIR"
eval "$("$CLI" auth-ssh ${FLAGS} --print-env)"; echo "SECOND $TELEPORT_CI_DESTINATION_DIR"
"$CLI" database-tunnel ${FLAGS} --service orders --database orders --username ci --listen tcp://127.0.0.1:15441 --diag-port 57411
"$CLI" database-tunnel ${FLAGS} --service orders --database orders --username ci --listen tcp://127.0.0.1:15442 --diag-port 57412
echo "TBOTS $(ps -eo args | grep -c "[t]bot start -c $TMPDIR")"
"$CLI" cleanup
echo "AFTER $(ps -eo args | grep -c "[t]bot start -c $TMPDIR" || true)"
echo "CONFIGS $(find "$TMPDIR" -name tbot.yaml | wc -l)"`,
      newJob(),
    );
    expect(code, out).toBe(0);
    expect(out).toContain('TBOTS 2');
    expect(out.match(/Stopped tbot \(pid \d+\)/g)).toHaveLength(2);
    expect(out).toContain('AFTER 0');
    expect(out).toContain('CONFIGS 0');
    for (const label of ['FIRST', 'SECOND']) {
      const dir = new RegExp(`${label} (\\S+)`).exec(out)![1]!;
      await expect(access(dir)).rejects.toThrow();
    }
    // Each run's own folder: two identity outputs, two tunnels.
    expect(out.match(/Deleted the credentials in/g)).toHaveLength(4);
    noSecrets(out);
  });

  it('a tunnel refuses a diagnostics port something else answers on (its readiness would lie)', async () => {
    const squatter = createServer((s) => {
      s.on('error', () => {}); // the probe hangs up at once
      s.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    });
    const port = await listen(squatter);
    try {
      const { code, out } = await sh(
        `"$CLI" database-tunnel ${FLAGS} --service orders --database orders --username ci --listen tcp://127.0.0.1:15443 --diag-port ${port}`,
        { ...newJob(), PROXY: double.proxy.addr },
      );
      expect(code, out).toBe(1);
      expect(out.trim().split('\n').at(-1)).toBe(
        `teleport-ci: database-tunnel: Something already listens on 127.0.0.1:${port}, where tbot's diagnostics would answer (another tunnel in this job?): give this step its own --diag-port`,
      );
    } finally {
      squatter.close();
    }
  });

  it('ignores a state file planted at the old shared path', async () => {
    const ids = newJob();
    const victim = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });
    const planted = join(tmpdir(), `teleport-ci-state-gitlab-${ids.CI_JOB_ID}.json`);
    await writeFile(
      planted,
      JSON.stringify({
        'database-tunnel': { 'tbot-pid': String(victim.pid), 'tbot-log': '/etc/shadow' },
      }),
    );
    try {
      const { code, out } = await sh('"$CLI" cleanup', { ...ids, TMPDIR: tmpdir() });
      expect(code, out).toBe(0);
      expect(out).toContain('Nothing to clean up.');
      expect(() => process.kill(victim.pid!, 0)).not.toThrow();
      const shadow = await runAsRootOk('reading /etc/shadow (it must not show)', 'head', [
        '-n1',
        '/etc/shadow',
      ]);
      expect(out).not.toContain(shadow.stdout.trim());
    } finally {
      victim.kill();
    }
  });

  it('does not signal, print or delete what this job did not make, even when its state says so', async () => {
    const ids = newJob();
    const stateDir = await mkdtemp(join(tmpdir(), 'cli-state-'));
    const victim = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });
    const shared = await mkdtemp(join(tmpdir(), 'shared-'));
    await chmod(shared, 0o755);
    await writeFile(
      join(stateDir, `gitlab-${ids.CI_JOB_ID}.json`),
      JSON.stringify({
        version: 1,
        runs: [
          {
            command: 'database-tunnel',
            state: {
              'tbot-pid': String(victim.pid),
              'tbot-work-dir': '/etc',
              'tbot-log': '/etc/shadow',
              'credentials-dir': shared,
            },
          },
          { command: 'auth', state: { 'tbot-pid': '1', 'credentials-dir': job.HOME! } },
        ],
      }),
    );
    try {
      const { code, out } = await sh('"$CLI" cleanup', { ...ids, TELEPORT_CI_STATE_DIR: stateDir });
      expect(code, out).toBe(0);
      expect(out).toContain(
        `Not stopping process ${victim.pid}: it is not the tbot this job started`,
      );
      expect(out).toContain(`Not deleting /etc: it is not a private folder this job made`);
      expect(out).toContain(`Not deleting ${shared}: it is not a private folder this job made`);
      expect(out).toContain(`Not deleting ${job.HOME}: it is not a private folder this job made`);
      expect(out).not.toContain('tbot log');
      expect(() => process.kill(victim.pid!, 0)).not.toThrow();
      await access(shared);
      await access('/etc/hostname');
      await access(job.HOME!);
    } finally {
      victim.kill();
    }
  });

  it('refuses a state folder another user made or may enter, naming the fix', async () => {
    const base = await mkdtemp(join(tmpdir(), 'cli-state-'));
    const theirs = join(base, 'theirs');
    await mkdir(theirs, { mode: 0o700 });
    await runAsRootOk('giving a folder to another user', 'chown', ['65534:65534', theirs]);
    const open = join(base, 'open');
    await mkdir(open);
    await chmod(open, 0o777);
    for (const [dir, why] of [
      [theirs, 'belongs to another user (uid 65534)'],
      [open, 'is open to other users (mode 777)'],
    ] as const) {
      const { code, out } = await sh(
        `"$CLI" auth-ssh --proxy '${double.proxy.addr}' --token gitlab-bot`,
        { ...newJob(), TELEPORT_CI_STATE_DIR: dir },
      );
      expect(code, out).toBe(1);
      expect(out.trim().split('\n').at(-1)).toBe(
        `teleport-ci: auth-ssh: The state folder ${dir} ${why}: remove it, or name a private folder of your own with TELEPORT_CI_STATE_DIR`,
      );
      const cleanup = await sh('"$CLI" cleanup', { ...newJob(), TELEPORT_CI_STATE_DIR: dir });
      expect(cleanup.code).toBe(1);
    }
  });
});
