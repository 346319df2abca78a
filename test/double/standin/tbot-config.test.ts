// Config parsing, validation and the command line of the stand-in tbot, per version (teleport-behaviour.md §1,
// §2, §7; the version matrix in README.md). Every error: `ERROR: ...` on stderr, exit 1.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Double, startDouble } from '../index';
import { cleanEnv, run, writeTbot } from './test-helpers';

let work: string;
let double: Double;
const bins: Record<string, string> = {};
// The release matrix of teleport-behaviour.md §7: each version sits on one side of a gate.
const VERSIONS = [
  '16.5.4',
  '17.1.0',
  '17.2.1',
  '17.2.7',
  '17.2.8',
  '17.4.2',
  '17.4.6',
  '17.5.1',
  '18.2.2',
  '18.2.3',
  '18.2.9',
  '18.2.10',
  '18.6.4',
];

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'standin-config-'));
  double = await startDouble({ auth: { sshd: false }, cacheDir: path.join(work, 'cache') });
  const auth = double.auth!;
  auth.addRole({ name: 'ci-ssh', logins: ['ci-standin'] });
  auth.addRole({ name: 'web', apps: ['grafana'], dbs: ['pg'], db_users: ['*'], db_names: ['*'] });
  auth.addApp({ name: 'grafana', uri: 'http://127.0.0.1:9' });
  auth.addDatabase({ name: 'pg', protocol: 'postgres', uri: '127.0.0.1:9' });
  auth.addBot({ name: 'ci', roles: ['ci-ssh', 'web'] });
  auth.addToken({
    kind: 'token',
    version: 'v2',
    metadata: { name: 'github-bot' },
    spec: {
      roles: ['Bot'],
      join_method: 'github',
      bot_name: 'ci',
      github: { allow: [{ repository: 'octo-org/octo-repo' }] },
    },
  });
  for (const v of VERSIONS) bins[v] = await writeTbot(work, v);
}, 120_000);

afterAll(async () => {
  await double?.close();
  await rm(work, { recursive: true, force: true });
});

let n = 0;
async function file(body: string): Promise<string> {
  const p = path.join(work, `cfg-${++n}.yaml`);
  await writeFile(p, body);
  return p;
}

const env = (extra: Record<string, string | undefined> = {}) =>
  cleanEnv({ ...double.env, ...double.auth!.github.env(), ...extra });

function base(extra = ''): string {
  return `version: v2
proxy_server: ${double.proxy.addr}
onboarding:
  join_method: github
  token: github-bot
storage:
  type: memory
oneshot: true
${extra}`;
}

async function tbot(
  version: string,
  args: string[],
  extra: Record<string, string | undefined> = {},
) {
  return run(bins[version]!, args, { env: env(extra) });
}

function errorOf(stderr: string): string {
  const at = stderr.indexOf('ERROR: ');
  return at < 0 ? '' : stderr.slice(at);
}

async function fails(version: string, body: string, args: string[] = []) {
  const cfg = await file(body);
  const r = await tbot(version, ['start', '-c', cfg, ...args]);
  expect(r.code, r.stderr).toBe(1);
  return { cfg, error: errorOf(r.stderr) };
}

describe('tbot version (teleport-behaviour.md §1.4)', () => {
  it.each(VERSIONS)('%s prints the one exact line, fast', async (v) => {
    const started = Date.now();
    const r = await tbot(v, ['version']);
    const took = Date.now() - started;
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(
      new RegExp(`^Teleport v${v.replace(/\./g, '\\.')} git:v${v}-0-g[0-9a-f]{7} go1\\.23\\.7\\n$`),
    );
    expect(took).toBeLessThan(1000); // ~90 ms here; generous for loaded CI machines
  });

  it('Enterprise builds say so', async () => {
    const ent = await writeTbot(work, '17.4.2', 'enterprise');
    const r = await run(ent, ['version']);
    expect(r.stdout).toMatch(/^Teleport Enterprise v17\.4\.2 /);
  });
});

describe('v2 parsing: strict top level before 17.2.8 (teleport-behaviour.md §2.1)', () => {
  it('an unknown top-level key names its line and tbot type (16.5.4, 17.1.0, 17.2.7)', async () => {
    for (const v of ['16.5.4', '17.1.0', '17.2.7']) {
      const { cfg, error } = await fails(v, base('unknown_key: 1\n'));
      expect(error, v).toBe(
        `ERROR: loading bot config from path ${cfg}\n\tfailed parsing config file: yaml: unmarshal errors:  line 9: field unknown_key not found in type config.BotConfig\n`,
      );
    }
  });

  it('from 17.2.8 unknown top-level keys are ignored (BotConfig.UnmarshalYAML, config.go@v17.2.8)', async () => {
    for (const v of ['17.2.8', '17.4.2', '18.6.4']) {
      const r = await tbot(v, ['start', '-c', await file(base('unknown_key: 1\n'))]);
      expect(r.code, `${v}: ${r.stderr}`).toBe(0);
    }
  });

  it('an unknown key inside onboarding is strict too before 17.2.8, ignored after', async () => {
    const body = base().replace('  token: github-bot\n', '  token: github-bot\n  tokn: x\n');
    const { error } = await fails('17.1.0', body);
    expect(error).toContain('line 6: field tokn not found in type config.OnboardingConfig');
    const r = await tbot('18.6.4', ['start', '-c', await file(body)]);
    expect(r.code, r.stderr).toBe(0);
  });

  it('collects every unmarshal error, type errors included', async () => {
    const { error } = await fails(
      '17.1.0',
      base('debug: maybe\nfoo: 1\n').replace('oneshot: true', 'oneshot: yes'),
    );
    expect(error).toContain(
      'failed parsing config file: yaml: unmarshal errors:  line 9: cannot unmarshal !!str `maybe` into bool  line 10: field foo not found in type config.BotConfig',
    );
  });

  it('credential_ttl is unknown before 17.2.8 (#52185) and accepted from it (certificate_ttl everywhere)', async () => {
    for (const v of ['16.5.4', '17.1.0', '17.2.7']) {
      const { error } = await fails(v, base('credential_ttl: 30m\n'));
      expect(error, v).toContain('field credential_ttl not found in type config.BotConfig');
    }
    for (const v of ['17.2.8', '17.4.2', '18.6.4']) {
      const r = await tbot(v, ['start', '-c', await file(base('credential_ttl: 30m\n'))]);
      expect(r.code, r.stderr).toBe(0);
    }
    const r = await tbot('17.4.2', ['start', '-c', await file(base('certificate_ttl: 30m\n'))]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Config option certificate_ttl is deprecated');
    const old = await tbot('17.2.7', ['start', '-c', await file(base('certificate_ttl: 30m\n'))]);
    expect(old.code).toBe(0);
    expect(old.stderr).not.toContain('deprecated');
  });

  it('a bad duration is a type error', async () => {
    const { error } = await fails('17.4.2', base('certificate_ttl: 1 hour\n'));
    expect(error).toContain('line 9: cannot unmarshal !!str `1 hour` into time.Duration');
  });

  it.each([['v3', 'unrecognized config version "v3"']])('version: %s', async (version, message) => {
    const { error } = await fails('17.4.2', base().replace('version: v2', `version: ${version}`));
    expect(error).toContain(message);
  });

  it('a missing file', async () => {
    const p = path.join(work, 'missing.yaml');
    const r = await tbot('17.4.2', ['start', '-c', p]);
    expect(r.code).toBe(1);
    expect(errorOf(r.stderr)).toBe(
      `ERROR: loading bot config from path ${p}\n\tfailed to open file: ${p}\n\t\topen ${p}: no such file or directory\n`,
    );
  });

  it('an empty file', async () => {
    const { error } = await fails('17.4.2', '');
    expect(error).toContain('failed parsing config file version: EOF');
  });
});

describe('services and outputs (teleport-behaviour.md §2.5): lenient inside, like yaml.v3 node.Decode', () => {
  const identity = (out: string, extra = '') =>
    `outputs:\n  - type: identity\n    destination:\n      type: directory\n      path: ${out}\n${extra}`;

  it('an unknown output/service type', async () => {
    const bad = 'outputs:\n  - type: frobnicator\n    destination: { type: memory }\n';
    expect((await fails('17.4.2', base(bad))).error).toContain(
      'failed parsing config file: unrecognized output type (frobnicator)',
    );
    expect((await fails('17.4.2', base(bad.replace('outputs', 'services')))).error).toContain(
      'unrecognized service type (frobnicator)',
    );
    expect((await fails('18.6.4', base(bad))).error).toContain(
      'unrecognized service type (frobnicator)',
    );
  });

  it('kubernetes/v2 is unknown before 17.2.7 (#52830: 17.2.0 and 17.2.1 reject it)', async () => {
    const v2 =
      'services:\n  - type: kubernetes/v2\n    selectors: [{ name: a }]\n    destination: { type: memory }\n';
    for (const v of ['17.1.0', '17.2.1']) {
      expect((await fails(v, base(v2))).error, v).toContain(
        'unrecognized service type (kubernetes/v2)',
      );
    }
    // 17.2.7 knows it: the failure comes later, from the auth (no such cluster).
    expect((await fails('17.2.7', base(v2))).error).toContain('kubernetes cluster "a" not found');
  });

  it('ssh_config must be on or off', async () => {
    const out = path.join(work, 'sshcfg');
    const { error } = await fails('17.4.2', base(identity(out, '    ssh_config: maybe\n')));
    // v17 does not wrap config errors (LoadConfigWithMutators, lib/tbot/cli/cli.go); v16 does.
    expect(error).toBe('ERROR: validating service[0]\n\tssh_config: unrecognized value "maybe"\n');
    const v16 = await fails('16.5.4', base(identity(out, '    ssh_config: maybe\n')));
    expect(v16.error).toBe(
      'ERROR: validating merged bot config\n\tvalidating service[0]\n\t\tssh_config: unrecognized value "maybe"\n',
    );
  });

  it('"off" writes no ssh_config or known_hosts', async () => {
    const out = path.join(work, 'sshoff');
    const r = await tbot('17.4.2', [
      'start',
      '-c',
      await file(base(identity(out, '    ssh_config: "off"\n'))),
    ]);
    expect(r.code, r.stderr).toBe(0);
    await expect(readFile(path.join(out, 'ssh_config'))).rejects.toThrow();
    await expect(readFile(path.join(out, 'known_hosts'))).rejects.toThrow();
    expect(await readFile(path.join(out, 'identity'), 'utf8')).toContain('BEGIN EC PRIVATE KEY');
  });

  it('allow_reissue: honoured on 16.5.x (v16 backport #52115) and from 17.2.8 (#52116), ignored on 17.0-17.2.7 (unknown keys in outputs are)', async () => {
    const auth = double.auth!;
    for (const [v, reissuable] of [
      ['16.5.4', true],
      ['17.1.0', false],
      ['17.2.7', false],
      ['17.2.8', true],
    ] as const) {
      const out = path.join(work, `reissue-${v}`);
      const r = await tbot(v, [
        'start',
        '-c',
        await file(base(identity(out, '    allow_reissue: true\n'))),
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(auth.issued.at(-1), v).toMatchObject({ kind: 'output', reissuable });
    }
    // The CLI flag, however, does not exist before 17.2.8 (kingpin is strict).
    const r = await tbot('17.1.0', [
      'start',
      'identity',
      '--destination=/tmp/x',
      '--allow-reissue',
    ]);
    expect(r.code).toBe(1);
    expect(errorOf(r.stderr)).toBe("ERROR: unknown long flag '--allow-reissue'\n");
  });

  it('v18 service names must be unique; before 18 `name` is ignored', async () => {
    const two = `services:
  - type: identity
    name: same
    destination: { type: memory }
  - type: identity
    name: same
    destination: { type: memory }
`;
    expect((await fails('18.6.4', base(two))).error).toContain(
      'validating service[1]\n\tduplicate name: "same"',
    );
    const r = await tbot('17.4.2', ['start', '-c', await file(base(two))]);
    expect(r.code, r.stderr).toBe(0);
  });

  it.each([
    ['application', '    app_name: ""\n', 'app_name must not be empty'],
    ['database', '', 'service must not be empty'],
    ['database', '    service: pg\n    format: sqlite\n', 'unrecognized format (sqlite)'],
    ['kubernetes', '', 'kubernetes_cluster must not be empty'],
  ])('%s output validation', async (type, fields, message) => {
    const body = base(`outputs:\n  - type: ${type}\n    destination: { type: memory }\n${fields}`);
    const { error } = await fails('17.4.2', body);
    expect(error).toBe(`ERROR: validating service[0]\n\t${message}\n`);
  });

  it('tunnel validation', async () => {
    const body = base(
      'services:\n  - type: database-tunnel\n    listen: tcp://127.0.0.1:0\n    service: pg\n    database: app\n',
    );
    expect((await fails('17.4.2', body)).error).toContain('username: should not be empty');
    const app = base('services:\n  - type: application-tunnel\n    app_name: grafana\n');
    expect((await fails('17.4.2', app)).error).toContain('listen: should not be empty');
  });

  it('destinations', async () => {
    const missing = base('outputs:\n  - type: identity\n');
    expect((await fails('17.4.2', missing)).error).toContain(
      'no destination configured for output',
    );
    const unknown = base('outputs:\n  - type: identity\n    destination: { type: s3 }\n');
    expect((await fails('17.4.2', unknown)).error).toContain('unrecognized destination type (s3)');
    const symlinks = base(
      'outputs:\n  - type: identity\n    destination: { type: directory, path: /tmp/x, symlinks: maybe }\n',
    );
    expect((await fails('17.4.2', symlinks)).error).toContain('invalid symlinks mode: "maybe"');
  });

  it('per-service credential_ttl needs renewal_interval (17.2.8+)', async () => {
    const body = base(
      `services:\n  - type: identity\n    credential_ttl: 10m\n    destination: { type: memory }\n`,
    );
    expect((await fails('17.4.2', body)).error).toContain(
      'credential_ttl and renewal_interval must both be specified if either is',
    );
  });
});

describe('validation and preRunChecks (teleport-behaviour.md §2.3)', () => {
  it('both auth_server and proxy_server: refused by 16-17, proxy preferred by 18', async () => {
    const both = base(`auth_server: ${double.proxy.addr}\n`);
    for (const v of ['16.5.4', '17.4.2']) {
      expect((await fails(v, both)).error, v).toBe(
        'ERROR: either a proxy or auth address must be set using --proxy-server, --auth-server or configuration\n',
      );
    }
    const r = await tbot('18.6.4', ['start', '-c', await file(both)]);
    expect(r.code, r.stderr).toBe(0);
  });

  it('no address at all', async () => {
    const body = base().replace(/proxy_server: .*\n/, '');
    expect((await fails('17.4.2', body)).error).toContain(
      'either a proxy or auth address must be set',
    );
  });

  it('join method must be provided', async () => {
    const body = base().replace('  join_method: github\n', '');
    expect((await fails('17.4.2', body)).error).toBe('ERROR: join method must be provided\n');
  });

  it('no token and nothing stored', async () => {
    const body = base().replace('  token: github-bot\n', '');
    expect((await fails('17.4.2', body)).error).toBe(
      'ERROR: no existing identity found on disk or join token configured\n',
    );
  });

  it('an unknown join method (the client-side list)', async () => {
    const body = base().replace('join_method: github', 'join_method: ec2');
    expect((await fails('17.4.2', body)).error).toBe('ERROR: unrecognized join method: "ec2"\n');
    const flag = await tbot('17.4.2', ['start', '--join-method=ec2', '--token=x']);
    expect(errorOf(flag.stderr)).toContain('enum value must be one of azure,');
  });

  it('ca-pin with --insecure, fips on a non-FIPS build', async () => {
    const pins = base('insecure: true\n').replace(
      '  token: github-bot\n',
      '  token: github-bot\n  ca_pins: [sha256:abc]\n',
    );
    expect((await fails('17.4.2', pins)).error).toContain(
      'the option ca-pin is mutually exclusive with --insecure',
    );
    expect((await fails('17.4.2', base('fips: true\n'))).error).toBe(
      'ERROR: fips mode enabled but binary was not compiled with boringcrypto\n',
    );
  });
});

describe('output file sets (teleport-behaviour.md §3)', () => {
  async function names(dir: string): Promise<string[]> {
    const { readdir } = await import('node:fs/promises');
    return (await readdir(dir, { recursive: true })).map(String).sort();
  }
  const ARTIFACTS = ['.write-test', 'key', 'key-cert.pub', 'key.pub', 'tlscert'];
  const CAS = ['teleport-database-ca.crt', 'teleport-host-ca.crt', 'teleport-user-ca.crt'];

  it('application, database formats, and v18 per-cluster ssh files', async () => {
    const d = (n: string) => path.join(work, `files-${n}`);
    const body = base(`services:
  - type: application
    app_name: grafana
    specific_tls_naming: true
    destination: { type: directory, path: ${d('app')} }
  - type: database
    service: pg
    username: app
    database: appdb
    format: tls
    destination: { type: directory, path: ${d('tls')} }
  - type: database
    service: pg
    format: mongo
    destination: { type: directory, path: ${d('mongo')} }
  - type: database
    service: pg
    format: cockroach
    destination: { type: directory, path: ${d('cockroach')} }
  - type: identity
    destination: { type: directory, path: ${d('id18')} }
`);
    const r = await tbot('18.6.4', ['start', '-c', await file(body)]);
    expect(r.code, r.stderr).toBe(0);
    const common = [...ARTIFACTS, ...CAS, 'identity'];
    expect(await names(d('app'))).toEqual([...common, 'tls.cas', 'tls.crt', 'tls.key'].sort());
    expect(await names(d('tls'))).toEqual([...common, 'tls.cas', 'tls.crt', 'tls.key'].sort());
    expect(await names(d('mongo'))).toEqual([...common, 'mongo.cas', 'mongo.crt'].sort());
    expect(await names(d('cockroach'))).toEqual(
      [
        ...common,
        'cockroach',
        'cockroach/ca.crt',
        'cockroach/node.crt',
        'cockroach/node.key',
      ].sort(),
    );
    expect(await names(d('id18'))).toEqual(
      [
        ...common,
        'known_hosts',
        'ssh_config',
        'teleport.example.test.known_hosts',
        'teleport.example.test.ssh_config',
      ].sort(),
    );
    const cluster = await readFile(
      path.join(d('id18'), 'teleport.example.test.ssh_config'),
      'utf8',
    );
    expect(cluster).toMatch(
      new RegExp(
        `^# Cluster-specific ssh_config generated by tbot for cluster 'teleport.example.test' via proxy '${double.proxy.addr}'\nUserKnownHostsFile `,
      ),
    );
    expect(cluster).not.toContain('Host ');
    const route = double.auth!.issued.filter((i) => i.route?.kind === 'db').at(-1);
    expect(route?.route).toEqual({ kind: 'db', name: 'pg' });
  });
});

describe('storage (teleport-behaviour.md §2.3, §3)', () => {
  it('keeps the bot identity in a directory; a run without a token reuses it; the lock', async () => {
    const storage = path.join(work, 'storage');
    const out = path.join(work, 'storage-out');
    const withStorage = (body: string) =>
      body.replace(
        'storage:\n  type: memory\n',
        `storage:\n  type: directory\n  path: ${storage}\n`,
      );
    const outputs = `outputs:\n  - type: identity\n    destination: { type: directory, path: ${out} }\n`;
    const first = await tbot('17.4.2', ['start', '-c', await file(withStorage(base(outputs)))]);
    expect(first.code, first.stderr).toBe(0);
    for (const name of [
      'key',
      'key.pub',
      'key-cert.pub',
      'tlscert',
      'sshcacerts',
      'tlscacerts',
      'tokenhash',
      'lock',
    ]) {
      expect((await readFile(path.join(storage, name))).length, name).toBeGreaterThan(0);
    }
    const joins = double.auth!.joins.length;
    const again = await tbot('17.4.2', [
      'start',
      '-c',
      await file(withStorage(base(outputs)).replace('  token: github-bot\n', '')),
    ]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('Loaded existing bot identity from store');
    expect(double.auth!.joins.length).toBe(joins);
    // A live process holds the lock (this test's own pid stands in for a running tbot).
    await writeFile(path.join(storage, 'lock'), `${process.pid}\n`);
    const locked = await tbot('17.4.2', ['start', '-c', await file(withStorage(base(outputs)))]);
    expect(errorOf(locked.stderr)).toBe(
      'ERROR: Failed to acquire exclusive lock for tbot destination directory - is tbot already running?\n',
    );
  });
});

describe('command line (teleport-behaviour.md §1.1-§1.3)', () => {
  it('legacy flags and env vars drive a join without a config file', async () => {
    const out = path.join(work, 'legacy');
    const r = await tbot(
      '16.5.4',
      [
        'start',
        '--oneshot',
        '--join-method=github',
        `--destination-dir=${out}`,
        '--data-dir=memory://',
      ],
      { TELEPORT_PROXY: double.proxy.addr, TELEPORT_BOT_TOKEN: 'github-bot' },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(await readFile(path.join(out, 'ssh_config'), 'utf8')).toContain('ssh-proxy-command');
  });

  it('TBOT_CONFIG_PATH and --config-string with -c', async () => {
    const cfg = await file(base());
    const r = await tbot('17.4.2', ['start'], { TBOT_CONFIG_PATH: cfg });
    expect(r.code, r.stderr).toBe(0);
    const both = await tbot('17.4.2', ['start', '-c', cfg], {
      TBOT_CONFIG: Buffer.from(base()).toString('base64'),
    });
    expect(errorOf(both.stderr)).toBe('ERROR: cannot specify both config and config-string\n');
  });

  it('start <kind> exists from 17 on', async () => {
    const out = path.join(work, 'kind');
    const args = [
      'start',
      'identity',
      `--destination=${out}`,
      '--join-method=github',
      '--token=github-bot',
      `--proxy-server=${double.proxy.addr}`,
      '--oneshot',
      '--storage=memory://',
    ];
    const r = await tbot('17.4.2', args);
    expect(r.code, r.stderr).toBe(0);
    expect(await readFile(path.join(out, 'identity'), 'utf8')).toContain('CERTIFICATE');
    const old = await tbot('16.5.4', args);
    expect(old.code).toBe(1);
    expect(errorOf(old.stderr)).toBe('ERROR: unexpected identity\n');
    const missing = await tbot('17.4.2', ['start', 'identity', '--oneshot']);
    expect(errorOf(missing.stderr)).toBe('ERROR: required flag --destination not provided\n');
  });

  it('wait exists in 18 only; unknown commands and flags are usage errors', async () => {
    const r = await tbot('17.4.2', ['wait', '--diag-addr=127.0.0.1:1']);
    expect(r.code).toBe(1);
    expect(errorOf(r.stderr)).toBe('ERROR: expected command but got "wait"\n');
    expect(r.stderr).toMatch(/^usage: tbot/);
    const flag = await tbot('18.6.4', ['start', '--frobnicate']);
    expect(errorOf(flag.stderr)).toBe("ERROR: unknown long flag '--frobnicate'\n");
    const none = await tbot('18.6.4', []);
    expect(errorOf(none.stderr)).toBe('ERROR: command not specified\n');
  });

  it('configure prints the merged config', async () => {
    const r = await tbot('17.4.2', ['configure', '-c', await file(base('certificate_ttl: 2h\n'))]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^# tbot config file generated by `configure` command\nversion: v2\n/);
    expect(r.stdout).toContain('credential_ttl: 2h0m0s');
  });

  it('names commands it does not implement', async () => {
    const r = await tbot('18.6.4', ['init', '--destination-dir=/tmp/x']);
    expect(r.code).toBe(1);
    expect(errorOf(r.stderr)).toBe(
      'ERROR: "tbot init" is not implemented by this Teleport double stand-in\n',
    );
  });
});

describe('release gates (teleport-behaviour.md §7; the version matrix in README.md)', () => {
  it('azure_devops joins from 17.5.1 (#54875): refused by the 17.4 client list', async () => {
    const body = base().replace('join_method: github', 'join_method: azure_devops');
    expect((await fails('17.4.6', body)).error).toBe(
      'ERROR: unrecognized join method: "azure_devops"\n',
    );
    // 17.5.1 knows it: the failure comes later, reading the pipeline's token.
    expect((await fails('17.5.1', body)).error).toMatch(/^ERROR: joining with token\n/);
  });

  it('onboarding.gitlab.token_env_var_name from 17.4.6 (#54187): ignored by 17.4.2 (lax top level)', async () => {
    const body = base()
      .replace('join_method: github', 'join_method: gitlab')
      .replace(
        '  token: github-bot\n',
        '  token: gitlab-bot\n  gitlab:\n    token_env_var_name: MY_JWT\n',
      );
    expect((await fails('17.4.2', body)).error).toContain(
      'TBOT_GITLAB_JWT environment variable missing',
    );
    expect((await fails('17.4.6', body)).error).toContain('"MY_JWT" environment variable missing');
  });

  it('the application-proxy service from 18.2.3 (#59587)', async () => {
    const proxy = base('services:\n  - type: application-proxy\n    listen: tcp://127.0.0.1:0\n');
    expect((await fails('18.2.2', proxy)).error).toContain(
      'unrecognized service type (application-proxy)',
    );
    // 18.2.3 knows the type: the config passes and the service runs.
    const known = await tbot('18.2.3', ['start', '-c', await file(proxy)]);
    expect(known.stderr).not.toContain('unrecognized service type');
    expect(known.stderr).not.toContain('not implemented');
  });

  it('TBOT_REGISTRATION_SECRET is read from 18.2.10 (#59620), ignored before', async () => {
    const body = base()
      .replace('join_method: github', 'join_method: bound_keypair')
      .replace('token: github-bot', 'token: no-such-bkp');
    const secret = { TBOT_REGISTRATION_SECRET: 'first-join-secret' };
    const before = await run(bins['18.2.9']!, ['start', '-c', await file(body)], {
      env: env(secret),
    });
    expect(errorOf(before.stderr)).toContain(
      'bound keypair parameters are required: no bound keypair in memory storage and no registration secret (set onboarding.bound_keypair.registration_secret',
    );
    // 18.2.10 takes the secret and asks the cluster, which has no such token.
    const after = await run(bins['18.2.10']!, ['start', '-c', await file(body)], {
      env: env(secret),
    });
    expect(errorOf(after.stderr)).toContain('token expired or not found');
  });

  it('join failures: v17 says `joining with token`; v18 puts its identity service above it', async () => {
    const body = base().replace('token: github-bot', 'token: no-such-token');
    expect((await fails('17.4.2', body)).error).toMatch(
      /^ERROR: joining with token\n\t.*token expired or not found\n$/,
    );
    expect((await fails('18.6.4', body)).error).toMatch(
      /^ERROR: building identity service\n\tinitializing identity service\n\t\tjoining with token\n\t\t\t.*token expired or not found\n$/,
    );
  });

  it('debug logs come from --debug / TBOT_DEBUG only; `debug: true` in the config does not log (§1.1)', async () => {
    const quiet = await tbot('17.4.2', ['start', '-c', await file(base('debug: true\n'))]);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).not.toMatch(/DEBUG/);
    const loud = await tbot('17.4.2', ['start', '-c', await file(base()), '--debug']);
    expect(loud.code, loud.stderr).toBe(0);
    expect(loud.stderr).toMatch(/DEBUG/);
    const env = await tbot('17.4.2', ['start', '-c', await file(base())], { TBOT_DEBUG: 'true' });
    expect(env.stderr).toMatch(/DEBUG/);
  });
});
