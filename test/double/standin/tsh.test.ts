// The stand-in tsh with an identity file (teleport-behaviour.md §3 "identity file"): `tsh ls` over mutual TLS to
// the auth double, `tsh ssh` through the REAL OpenSSH client to the real sshd, `tsh proxy ssh` as
// its ProxyCommand, and tsh-like `ERROR: ...` / exit 1 for expired, foreign or missing
// identities (teleport-behaviour.md §1.6). The identity files come from the stand-in tbot's GitHub join.
import { createPublicKey } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createX509Ca } from '../auth/x509';
import { type Double, startDouble } from '../index';
import { requireSsh } from '../ssh/preflight';
import { ensureLoginUser } from '../ssh/users';
import { cleanEnv, run, writeTbot, writeTsh } from './test-helpers';
import { parseTsh } from './tsh/cli';
import { nodesTable, sortedLabels } from './tsh/commands/ls';
import { parseTarget } from './tsh/commands/proxy-ssh';
import { clusterOf, decodeIdentityFile, knownHostsFrom } from './tsh/identity';

const LOGIN = 'ci-standin-tsh';
const CLUSTER = 'teleport.example.test';

let work: string;
let double: Double;
let tsh: string;
/** Identity files: roles `ci-ssh` (every node), `prod-only` (env=prod nodes), `nothing`. */
const ids = { all: '', prod: '', none: '' };

beforeAll(async () => {
  await requireSsh();
  work = await mkdtemp(path.join(tmpdir(), 'standin-tsh-'));
  double = await startDouble({ auth: true, cacheDir: path.join(work, 'cache') });
  const auth = double.auth!;
  auth.addRole({ name: 'ci-ssh', logins: [LOGIN] });
  auth.addRole({ name: 'prod-only', logins: [LOGIN], node_labels: { env: 'prod' } });
  auth.addRole({ name: 'nothing', node_labels: { env: 'none' } });
  auth.addBot({ name: 'ci', roles: ['ci-ssh', 'prod-only', 'nothing'] });
  auth.addToken(`kind: token
version: v2
metadata: { name: github-bot }
spec:
  roles: [Bot]
  join_method: github
  bot_name: ci
  github:
    allow:
      - repository: octo-org/octo-repo
`);
  auth.addNode({
    hostname: 'db-1',
    addr: '10.0.0.7:3022',
    labels: { env: 'prod', 'teleport.dev/origin': 'config', 'example.com/team': 'data' },
  });
  await ensureLoginUser(LOGIN);
  const tbot = await writeTbot(work, '18.6.4');
  tsh = await writeTsh(work, '18.6.4');
  const output = (dir: string, roles?: string) =>
    `  - type: identity\n    destination: { type: directory, path: ${dir} }\n${roles ? `    roles: [${roles}]\n` : ''}`;
  const cfg = path.join(work, 'tbot.yaml');
  await writeFile(
    cfg,
    `version: v2
proxy_server: ${double.proxy.addr}
onboarding: { join_method: github, token: github-bot }
storage: { type: memory }
oneshot: true
services:
${output(path.join(work, 'all'), 'ci-ssh')}${output(path.join(work, 'prod'), 'prod-only')}${output(path.join(work, 'none'), 'nothing')}`,
  );
  const r = await run(tbot, ['start', '-c', cfg], {
    env: cleanEnv({ ...double.env, ...auth.github.env() }),
  });
  expect(r.code, r.stderr).toBe(0);
  ids.all = path.join(work, 'all', 'identity');
  ids.prod = path.join(work, 'prod', 'identity');
  ids.none = path.join(work, 'none', 'identity');
}, 120_000);

afterAll(async () => {
  await double?.close();
  await rm(work, { recursive: true, force: true });
});

const env = (extra: Record<string, string | undefined> = {}) =>
  cleanEnv({ ...double.env, ...extra });
const tshRun = (args: string[], extra: Record<string, string | undefined> = {}) =>
  run(tsh, args, { env: env(extra), timeoutMs: 60_000 });
const withId = (id: string, ...args: string[]) => ['-i', id, '--proxy', double.proxy.addr, ...args];

describe('tsh version', () => {
  it('keeps the exact version line (teleport-behaviour.md §1.4)', async () => {
    const r = await tshRun(['version']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^Teleport v18\.6\.4 git:v18\.6\.4-0-g[0-9a-f]{7} go1\.23\.7\n$/);
  });

  it('the CDN tarball carries the same tsh: version and ls work from it', async () => {
    const built = await double.cdn.tarball({
      version: '17.4.2',
      edition: 'oss',
      os: 'linux',
      arch: 'amd64',
    });
    const dest = await mkdtemp(path.join(work, 'x-'));
    expect((await run('tar', ['-xzf', built.path, '-C', dest])).code).toBe(0);
    const bin = path.join(dest, 'teleport', 'tsh');
    expect((await run(bin, ['version'])).stdout).toMatch(/^Teleport v17\.4\.2 git:/);
    const ls = await run(bin, withId(ids.all, 'ls'), { env: env() });
    expect(ls.code, ls.stderr).toBe(0);
    expect(ls.stdout).toMatch(/^node-1 +127\.0\.0\.1:\d+ +$/m);
  });

  it('other commands still answer "not implemented yet" (teleport-behaviour.md §1.6)', async () => {
    for (const args of [['login', '--proxy', 'x'], [], ['apps', 'ls']]) {
      const r = await tshRun(args);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^ERROR: .*not implemented yet by this Teleport double stand-in/);
    }
  });
});

describe('tsh ls with an identity file', () => {
  it('prints the nodes the identity may see as tsh does (Node Name, Address, Labels)', async () => {
    const r = await tshRun(withId(ids.all, 'ls'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    // The address node-1 registered (a Teleport SSH service's port), not where its sshd listens.
    const addr = `${double.auth!.sshd!.host}:3022`;
    const w = Math.max('Address'.length, addr.length) + 1;
    const labels = 'env=prod,example.com/team=data,teleport.dev/origin';
    const lw = labels.length + 1;
    expect(r.stdout).toBe(
      [
        `Node Name ${'Address'.padEnd(w)}${'Labels'.padEnd(lw)}`,
        `--------- ${'-'.repeat(w - 1)} ${'-'.repeat(lw - 1)} `,
        `db-1      ${'10.0.0.7:3022'.padEnd(w)}${labels} `,
        `node-1    ${addr.padEnd(w)}${' '.repeat(lw)}`,
        '',
        '',
      ].join('\n'),
    );
  });

  it('reads TELEPORT_IDENTITY_FILE and TELEPORT_PROXY like tsh', async () => {
    const r = await tshRun(['ls', '--format=names'], {
      TELEPORT_IDENTITY_FILE: ids.all,
      TELEPORT_PROXY: double.proxy.addr,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('db-1\nnode-1\n');
  });

  it('filters by labels, and the roles limit what is listed', async () => {
    const filtered = await tshRun(withId(ids.all, 'ls', 'env=prod'));
    expect(filtered.stdout).toMatch(/^db-1 /m);
    expect(filtered.stdout).not.toContain('node-1');
    const prod = await tshRun(withId(ids.prod, 'ls', '-f', 'names'));
    expect(prod.stdout).toBe('db-1\n');
  });

  it('no nodes: the table header, and the hint on stderr', async () => {
    const r = await tshRun(withId(ids.none, 'ls'));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Node Name Address Labels \n--------- ------- ------ \n\n');
    expect(r.stderr).toContain('Not seeing nodes? Either no nodes are available');
  });

  it('-v adds the node ID', async () => {
    const r = await tshRun(withId(ids.all, 'ls', '-v'));
    expect(r.stdout).toMatch(/^Node Name Node ID +Address +Labels +$/m);
    expect(r.stdout).toMatch(/^node-1 +[0-9a-f]{8}-[0-9a-f-]{27} +127\.0\.0\.1:\d+ +$/m);
  });

  it('an expired identity: ERROR and exit 1', async () => {
    const text = await readFile(ids.all, 'utf8');
    const id = decodeIdentityFile(text);
    const publicKeyPem = createPublicKey(id.privateKey)
      .export({ type: 'spki', format: 'pem' })
      .toString();
    const expired = await double.auth!.tls.user.issue({
      publicKeyPem,
      commonName: 'bot-ci',
      organizations: ['ci-ssh'],
      notAfter: new Date(Date.now() - 30_000),
    });
    const file = path.join(work, 'expired-identity');
    await writeFile(file, text.replace(id.tlsCert, expired.certPem), { mode: 0o600 });
    const r = await tshRun(withId(file, 'ls'));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'ERROR: access denied: the client certificate was rejected (CERT_HAS_EXPIRED)\n',
    );
  });

  it('an identity from another cluster: ERROR and exit 1', async () => {
    const text = await readFile(ids.all, 'utf8');
    const id = decodeIdentityFile(text);
    const foreignCa = await createX509Ca('user', CLUSTER);
    const foreign = await foreignCa.issue({
      publicKeyPem: createPublicKey(id.privateKey)
        .export({ type: 'spki', format: 'pem' })
        .toString(),
      commonName: 'bot-ci',
      organizations: ['ci-ssh'],
      notAfter: new Date(Date.now() + 600_000),
    });
    const file = path.join(work, 'foreign-identity');
    await writeFile(file, text.replace(id.tlsCert, foreign.certPem), { mode: 0o600 });
    const r = await tshRun(withId(file, 'ls'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ERROR: access denied: the client certificate was rejected \(/);
  });

  it('no identity, no proxy, a missing file, a bad flag', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['ls'], /^ERROR: Not logged in\./],
      [['-i', ids.all, 'ls'], /^ERROR: --proxy must be set when using an identity file/],
      [
        withId(path.join(work, 'nope'), 'ls'),
        /^ERROR: open .*\/nope: no such file or directory\n$/,
      ],
      [['ls', '--nope'], /^ERROR: unknown long flag '--nope'\n$/],
      [withId(ids.all, 'ls', '--format', 'xml'), /^ERROR: unsupported format "xml"\n$/],
    ];
    for (const [args, want] of cases) {
      const r = await tshRun(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(want);
    }
  });
});

describe('tsh ssh with an identity file: the real OpenSSH client', () => {
  it('runs the command on the node; the private temp dir is removed', async () => {
    const tmp = await mkdtemp(path.join(work, 'tmp-'));
    const marker = `tsh-${Date.now()}`;
    const r = await tshRun(
      withId(ids.all, 'ssh', `${LOGIN}@node-1`, 'echo', marker, '>>', '~/run_log', '&&', 'whoami'),
      { TMPDIR: tmp },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${LOGIN}\n`);
    const home = (await run('getent', ['passwd', LOGIN])).stdout.split(':')[5] ?? '';
    expect((await readFile(path.join(home, 'run_log'), 'utf8')).trim().split('\n').at(-1)).toBe(
      marker,
    );
    expect(await readdir(tmp)).toEqual([]);
    expect(double.auth!.tunnels.at(-1)).toMatchObject({
      target: 'ssh',
      name: `node-1.${CLUSTER}`,
      ok: true,
    });
  });

  it("exits with the remote command's code; -l and TELEPORT_* work too", async () => {
    const r = await tshRun(['ssh', '-l', LOGIN, 'node-1', 'exit 7'], {
      TELEPORT_IDENTITY_FILE: ids.all,
      TELEPORT_PROXY: double.proxy.addr,
    });
    expect(r.code).toBe(7);
  });

  it("a login the certificate does not carry: the node refuses, in tsh's words (exit 1)", async () => {
    const r = await tshRun(withId(ids.all, 'ssh', 'root@node-1', 'true'));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('ERROR: access denied to root connecting to node-1:0\n');
  });

  it('a node the roles exclude, and an unknown node: the proxy refuses the tunnel', async () => {
    const r = await tshRun(withId(ids.none, 'ssh', `${LOGIN}@node-1`, 'true'));
    expect(r.code).toBe(255);
    expect(r.stderr).toContain(
      `ERROR: failed to dial target host: no node named "node-1.${CLUSTER}"`,
    );
    const unknown = await tshRun(withId(ids.all, 'ssh', `${LOGIN}@nope`, 'true'));
    expect(unknown.code).toBe(255);
    expect(unknown.stderr).toContain('no node named "nope.teleport.example.test"');
  });
});

describe('pieces', () => {
  it('decodes an identity file like api/identityfile (teleport-behaviour.md §3 order)', async () => {
    const text = await readFile(ids.all, 'utf8');
    const id = decodeIdentityFile(text, ids.all);
    expect(id.privateKey).toMatch(
      /^-----BEGIN EC PRIVATE KEY-----\n[\s\S]*-----END EC PRIVATE KEY-----\n$/,
    );
    expect(id.sshCert).toMatch(/^ecdsa-sha2-nistp256-cert-v01@openssh\.com AAAA\S+( .*)?\n$/);
    expect(id.tlsCert).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(id.sshCas).toEqual([
      `@cert-authority ${CLUSTER},*.${CLUSTER} ${double.auth!.ssh.host.publicKey} type=host\n`,
    ]);
    expect(id.tlsCas).toEqual([double.auth!.tls.host.certPem]);
    expect(clusterOf(id)).toBe(CLUSTER);
    expect(knownHostsFrom(id, 'localhost')).toBe(
      `@cert-authority localhost,${CLUSTER},*.${CLUSTER} ${double.auth!.ssh.host.publicKey} type=host\n`,
    );
    expect(() => decodeIdentityFile('-----BEGIN EC PRIVATE KEY-----\nabc\n')).toThrow(
      'invalid PEM block (fragment)',
    );
  });

  it('labels sort like tsh: plain, namespaced, teleport.dev/', () => {
    expect(sortedLabels({ 'teleport.dev/origin': 'x', b: '2', 'a.io/z': '1', a: '1' })).toBe(
      'a=1,b=2,a.io/z=1,teleport.dev/origin',
    );
  });

  it('truncates the Labels column to the terminal width (80 without a terminal)', () => {
    const labels: Record<string, string> = {};
    for (let i = 0; i < 12; i++) labels[`key${i}`] = `value-${i}`;
    const out = nodesTable([{ hostname: 'n', id: 'x', addr: '10.0.0.1:3022', labels }], false, 80);
    const row = out.split('\n')[2] ?? '';
    // Node Name (9 + 1) and Address (13 + 1) leave 80 - 24 - 4 = 52 characters, then "...".
    expect(row).toBe(`n         10.0.0.1:3022 ${sortedLabels(labels).slice(0, 52)}... `);
  });

  it('parses tsh command lines (not interspersed after the ssh host)', () => {
    expect(parseTsh(['ssh', '-p', '22', 'me@h', 'ls', '-l'], {})).toMatchObject({
      command: 'ssh',
      flags: { port: '22' },
      args: ['me@h', 'ls', '-l'],
    });
    expect(parseTsh(['--proxy=p:3080', 'proxy', 'ssh', '--cluster', 'c', 'u@h:3022'], {})).toEqual({
      command: 'proxy ssh',
      flags: { proxy: 'p:3080', cluster: 'c' },
      args: ['u@h:3022'],
    });
    expect(parseTsh(['ls'], { TELEPORT_IDENTITY_FILE: '/id', TELEPORT_PROXY: 'p:1' })).toEqual({
      command: 'ls',
      flags: { identity: '/id', proxy: 'p:1' },
      args: [],
    });
    expect(parseTarget('u@node-1.c:3022')).toEqual({ user: 'u', host: 'node-1.c', port: '3022' });
  });
});
