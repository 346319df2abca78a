// End to end: every `teleport-ci` credential command's happy path, as a GitLab job runs it
// (TBOT_GITLAB_JWT from the double's GitLab issuer, audience = the cluster name, facts §4.2),
// then `cleanup`, against the Teleport double with its real consumers.
import { execFile, spawn } from 'node:child_process';
import { access, mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Double, startDouble } from '../double';
import { startKubeApi } from '../double/kube';
import { ensureLoginUser } from '../double/ssh/users';
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
function sh(script: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', script], { env: { ...double.env, ...job, CLI } });
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
