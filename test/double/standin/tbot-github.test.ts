// The stand-in tbot against the auth double, GitHub join (teleport-behaviour.md §4.1, §4.2): the happy path from
// a CDN tarball to a command run by real ssh on the real sshd, and every denial a user can hit,
// each with its message on stderr and exit 1 (teleport-behaviour.md §1.6).
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Double, startDouble } from '../index';
import { nowSec } from '../oidc';
import { requireSsh } from '../ssh/preflight';
import { ensureLoginUser } from '../ssh/users';
import { cleanEnv, extractTbot, run, writeTbot } from './test-helpers';

const LOGIN = 'ci-standin';
const TOKEN = `kind: token
version: v2
metadata:
  name: github-bot
spec:
  roles: [Bot]
  join_method: github
  bot_name: ci
  github:
    allow:
      - repository: octo-org/octo-repo
        ref: refs/heads/main
`;

let work: string;
let double: Double;
let tbot: string;

beforeAll(async () => {
  await requireSsh();
  work = await mkdtemp(path.join(tmpdir(), 'standin-github-'));
  double = await startDouble({ auth: true, cacheDir: path.join(work, 'cache') });
  const auth = double.auth!;
  auth.addRole({ name: 'ci-ssh', logins: [LOGIN] });
  auth.addRole({ name: 'admin', logins: ['root'] });
  auth.addBot({ name: 'ci', roles: ['ci-ssh'] });
  auth.addToken(TOKEN);
  await ensureLoginUser(LOGIN);
  tbot = await writeTbot(work, '17.4.2');
}, 120_000);

afterAll(async () => {
  await double?.close();
  await rm(work, { recursive: true, force: true });
});

let n = 0;
async function config(body: string): Promise<string> {
  const file = path.join(work, `tbot-${++n}.yaml`);
  await writeFile(file, body);
  return file;
}

function identityConfig(out: string, extra = ''): string {
  return `version: v2
proxy_server: ${double.proxy.addr}
onboarding:
  join_method: github
  token: github-bot
storage:
  type: memory
oneshot: true
outputs:
  - type: identity
    destination:
      type: directory
      path: ${out}
${extra}`;
}

const env = (extra: Record<string, string | undefined> = {}) =>
  cleanEnv({ ...double.env, ...double.auth!.github.env(), ...extra });

function errorLine(stderr: string): string {
  const at = stderr.indexOf('ERROR: ');
  return at < 0 ? '' : stderr.slice(at);
}

describe('GitHub join, happy path (teleport-behaviour.md §3, §4.1)', () => {
  it('joins from the CDN tarball, writes the identity file set, and real ssh runs a command', async () => {
    const auth = double.auth!;
    const built = await double.cdn.tarball({
      version: '17.4.2',
      edition: 'oss',
      os: 'linux',
      arch: 'amd64',
    });
    const bin = await extractTbot(built.path, work);
    const out = path.join(work, 'happy');
    const r = await run(bin, ['start', '-c', await config(identityConfig(out))], { env: env() });
    expect(r.stderr).not.toContain('ERROR');
    expect(r.code).toBe(0);

    // The runner's token endpoint saw tbot's request: audience and headers of teleport-behaviour.md §4.1.
    const req = auth.github.requests.at(-1);
    expect(req).toMatchObject({
      audience: 'teleport.cluster.local',
      authorized: true,
      status: 200,
      accept: 'application/json; api-version=2.0',
    });
    expect(auth.joins.at(-1)).toMatchObject({ ok: true, bot: 'ci', joinMethod: 'github' });

    for (const file of [
      'key',
      'key.pub',
      'key-cert.pub',
      'tlscert',
      'identity',
      'teleport-host-ca.crt',
      'teleport-user-ca.crt',
      'teleport-database-ca.crt',
      'known_hosts',
      'ssh_config',
      '.write-test',
    ]) {
      const s = await stat(path.join(out, file));
      expect(s.mode & 0o777, file).toBe(0o600);
    }
    expect((await stat(out)).mode & 0o777).toBe(0o700);

    // The identity file, in the order of teleport-behaviour.md §3.
    const identity = await readFile(path.join(out, 'identity'), 'utf8');
    const key = await readFile(path.join(out, 'key'), 'utf8');
    const sshCert = (await readFile(path.join(out, 'key-cert.pub'), 'utf8')).trim();
    const tlsCert = await readFile(path.join(out, 'tlscert'), 'utf8');
    expect(identity).toBe(
      `${key}${sshCert}\n${tlsCert}@cert-authority teleport.example.test,*.teleport.example.test ${auth.ssh.host.publicKey} type=host\n${auth.tls.host.certPem}`,
    );
    expect(key).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n/);
    expect(sshCert).toMatch(/^ecdsa-sha2-nistp256-cert-v01@openssh\.com /);
    expect(await readFile(path.join(out, 'known_hosts'), 'utf8')).toBe(
      `@cert-authority localhost,teleport.example.test,*.teleport.example.test ${auth.ssh.host.publicKey} type=host\n`,
    );
    const sshConfig = await readFile(path.join(out, 'ssh_config'), 'utf8');
    expect(sshConfig).toContain(
      `ProxyCommand '${bin}' ssh-proxy-command --destination-dir='${out}' --proxy-server='${double.proxy.addr}' --cluster='teleport.example.test' --tls-routing --no-connection-upgrade --resume --user=%r --host=%h --port=%p`,
    );
    expect(sshConfig).toContain('Host *.teleport.example.test !localhost\n    Port 3022\n');

    // The certificate the auth issued: principals from the role's logins, CN bot-ci, O = roles.
    const certInfo = await run('ssh-keygen', ['-L', '-f', path.join(out, 'key-cert.pub')]);
    expect(certInfo.stdout).toContain(`Key ID: "bot-ci"`);
    expect(certInfo.stdout).toMatch(new RegExp(`Principals: \\n\\s+${LOGIN}\\n`));
    const x509 = await run('openssl', [
      'x509',
      '-noout',
      '-subject',
      '-in',
      path.join(out, 'tlscert'),
    ]);
    expect(x509.stdout).toMatch(/CN ?= ?bot-ci, O ?= ?ci-ssh/);

    // Real ssh, host trusted only through tbot's known_hosts, through the stand-in's ProxyCommand.
    const home = `/home/${LOGIN}`;
    const before = await readFile(`${home}/run_log`, 'utf8').catch(() => '');
    const ssh = await run(
      'ssh',
      [
        '-F',
        path.join(out, 'ssh_config'),
        '-o',
        'BatchMode=yes',
        '-o',
        'GlobalKnownHostsFile=/dev/null',
        '-o',
        'StrictHostKeyChecking=yes',
        `${LOGIN}@${auth.node.fqdn}`,
        'echo standin-github >> ~/run_log',
      ],
      { env: env(), timeoutMs: 30_000 },
    );
    expect(ssh.stderr).toBe('');
    expect(ssh.code).toBe(0);
    const after = await readFile(`${home}/run_log`, 'utf8');
    expect(after.slice(before.length)).toBe('standin-github\n');
    expect(auth.tunnels.at(-1)).toMatchObject({ target: 'ssh', name: auth.node.fqdn, ok: true });
  });

  it('refuses a login the roles do not grant (sshd checks the principals)', async () => {
    const out = path.join(work, 'principal');
    const r = await run(tbot, ['start', '-c', await config(identityConfig(out))], { env: env() });
    expect(r.code).toBe(0);
    const ssh = await run(
      'ssh',
      [
        '-F',
        path.join(out, 'ssh_config'),
        '-o',
        'BatchMode=yes',
        `root@${double.auth!.node.fqdn}`,
        'true',
      ],
      { env: env(), timeoutMs: 30_000 },
    );
    expect(ssh.code).toBe(255);
    expect(ssh.stderr).toContain('Permission denied (publickey)');
  });
});

describe('GitHub join denials (teleport-behaviour.md §4.1, §4.2): message on stderr, exit 1', () => {
  async function deny(extra: Record<string, string | undefined>, cfg?: string) {
    const out = path.join(work, `deny-${n}`);
    const r = await run(tbot, ['start', '-c', await config(cfg ?? identityConfig(out))], {
      env: env(extra),
      timeoutMs: 30_000,
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    return errorLine(r.stderr);
  }

  it('wrong repository: no allow rule matched', async () => {
    const gh = double.auth!.github;
    gh.claims = { repository: 'evil-org/octo-repo' };
    try {
      expect(await deny({})).toBe(
        'ERROR: joining with token\n\tid token claims did not match any allow rules\n',
      );
    } finally {
      gh.claims = {};
    }
  });

  it('wrong ref: no allow rule matched', async () => {
    const gh = double.auth!.github;
    gh.claims = { ref: 'refs/heads/feature' };
    try {
      expect(await deny({})).toContain('id token claims did not match any allow rules');
    } finally {
      gh.claims = {};
    }
  });

  it('expired ID token', async () => {
    const gh = double.auth!.github;
    gh.claims = { now: nowSec() - 3600, lifetimeSec: 300 };
    try {
      expect(await deny({})).toMatch(
        /^ERROR: joining with token\n\toidc: token is expired \(Token Expiry: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000 UTC\)\n$/,
      );
    } finally {
      gh.claims = {};
    }
  });

  it('wrong audience (a token minted for another audience)', async () => {
    const { issuers, github } = double.auth!;
    const jwt = await issuers.github.mint(undefined, { audience: 'https://github.com/octo-org' });
    github.inject({ status: 200, times: 1, body: { value: jwt } });
    expect(await deny({})).toContain(
      'oidc: expected audience "teleport.cluster.local" got ["https://github.com/octo-org"]',
    );
  });

  it('bad signature and wrong issuer', async () => {
    const { issuers, github } = double.auth!;
    const forged = await issuers.github.mint(undefined, {
      audience: 'teleport.cluster.local',
      signWith: 'foreign-key',
    });
    github.inject({ status: 200, times: 1, body: { value: forged } });
    expect(await deny({})).toContain(
      'failed to verify signature: failed to verify id token signature',
    );
    const other = await issuers.github.mint(
      { iss: 'https://token.actions.example.com' },
      { audience: 'teleport.cluster.local' },
    );
    github.inject({ status: 200, times: 1, body: { value: other } });
    expect(await deny({})).toContain(
      'oidc: id token issued by a different provider, expected "https://token.actions.githubusercontent.com" got "https://token.actions.example.com"',
    );
  });

  it('unknown join token', async () => {
    const out = path.join(work, 'unknown-token');
    const cfg = identityConfig(out).replace('token: github-bot', 'token: no-such-token');
    expect(await deny({}, cfg)).toBe(
      'ERROR: joining with token\n\t"" can not join the cluster with role "Bot", token expired or not found\n',
    );
  });

  it('a join method the token is not for', async () => {
    const out = path.join(work, 'wrong-method');
    const cfg = identityConfig(out).replace('join_method: github', 'join_method: gitlab');
    const msg = await deny({ TBOT_GITLAB_JWT: 'x.y.z' }, cfg);
    expect(msg).toContain('the token "github-bot" is for the "github" join method');
  });

  it.each([
    ['ACTIONS_ID_TOKEN_REQUEST_URL', { ACTIONS_ID_TOKEN_REQUEST_URL: undefined }],
    ['ACTIONS_ID_TOKEN_REQUEST_TOKEN', { ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined }],
  ])('missing %s (no id-token: write permission)', async (name, extra) => {
    expect(await deny(extra)).toBe(
      `ERROR: joining with token\n\t${name} environment variable missing\n`,
    );
  });

  it('a bad request token: the endpoint answers without an ID token', async () => {
    expect(await deny({ ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'wrong' })).toContain(
      'response did not include ID token',
    );
  });

  it('an output asking for a role the bot does not hold', async () => {
    const out = path.join(work, 'role');
    const msg = await deny({}, identityConfig(out, '    roles: [admin]\n'));
    expect(msg).toContain("access denied to 'bot-ci' to impersonate roles 'admin'");
  });

  it('an unknown Kubernetes cluster', async () => {
    const out = path.join(work, 'kube');
    const cfg = `version: v2
proxy_server: ${double.proxy.addr}
onboarding: { join_method: github, token: github-bot }
storage: { type: memory }
oneshot: true
services:
  - type: kubernetes
    kubernetes_cluster: nope
    destination: { type: directory, path: ${out} }
`;
    expect(await deny({}, cfg)).toContain('kubernetes cluster "nope" not found');
  });
});
