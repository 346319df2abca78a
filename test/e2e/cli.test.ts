// End to end: the committed `teleport-ci` bundle, as a GitLab, CircleCI or Jenkins job runs it,
// against the Teleport double (teleport-behaviour.md §4.1 for where each CI's token is read).
import { execFile, spawn, spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Double, startDouble } from '../double';
import { ensureSystemUser } from '../double/ssh/users';
import { rootCommand, runAsRootOk } from '../privileged';
import { repoRoot } from './helpers';

const exec = promisify(execFile);
const CLI = join(repoRoot, 'packages', 'cli', 'dist', 'teleport-ci.cjs');
let double: Double;

beforeAll(async () => {
  double = await startDouble({
    proxy: { serverVersion: '17.4.2', clusterName: 'teleport.example.test' },
  });
});
afterAll(async () => {
  await double?.close();
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI with a clean job environment (no host variables leak in); with `asRoot` (what
 * needs it), as root through test/privileged.ts, as `sudo teleport-ci daemon install` is run.
 */
function cli(args: string[], env: Record<string, string>, asRoot?: string): Promise<Run> {
  const jobEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: env.HOME ?? tmpdir(),
    ...double.env,
    ...env,
  };
  const command = asRoot ? rootCommand(asRoot, CLI, args, jobEnv) : { file: CLI, args };
  return new Promise((resolve) => {
    const child = spawn(command.file, command.args, { env: jobEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

type Ci = 'gitlab' | 'circleci' | 'jenkins' | 'bitbucket' | 'azure';

async function jobEnv(ci: Ci): Promise<Record<string, string>> {
  const home = await mkdtemp(join(tmpdir(), `cli-${ci}-`));
  const base = { HOME: home, TMPDIR: home };
  if (ci === 'gitlab') return { ...base, GITLAB_CI: 'true', CI_JOB_ID: '42' };
  if (ci === 'circleci')
    return {
      ...base,
      CIRCLECI: 'true',
      CIRCLE_WORKFLOW_JOB_ID: 'j1',
      BASH_ENV: join(home, 'bash_env'),
    };
  if (ci === 'bitbucket')
    return { ...base, BITBUCKET_BUILD_NUMBER: '12', BITBUCKET_STEP_UUID: '{s}' };
  if (ci === 'azure') return { ...base, TF_BUILD: 'True', BUILD_BUILDID: '99' };
  return { ...base, JENKINS_URL: 'https://jenkins.example.test/', BUILD_TAG: 'jenkins-deploy-7' };
}

/** A JWT-shaped token (unsigned is fine: the preflight decodes, the cluster verifies). */
function fakeJwt(claims: Record<string, unknown>): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}.c2ln`;
}

describe('teleport-ci help and usage errors', () => {
  it('lists the commands and shows examples per command', async () => {
    const main = await cli(['--help'], {});
    expect(main.code).toBe(0);
    for (const c of [
      'setup',
      'auth',
      'auth-ssh',
      'auth-k8s',
      'auth-app',
      'database-tunnel',
      'application-tunnel',
      'cleanup',
    ]) {
      expect(main.stdout).toContain(`  ${c} `);
      const help = await cli([c, '--help'], {});
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Examples:');
      expect(help.stdout).toContain(`teleport-ci ${c}`);
    }
  });
  it.each([
    [['deploy'], /^teleport-ci: unknown command 'deploy': run 'teleport-ci --help' for the list$/],
    [
      ['auth', '--proxi', 'x'],
      /^teleport-ci: auth: unknown flag '--proxi': see 'teleport-ci auth --help'$/,
    ],
    [['setup'], /^teleport-ci: setup: --version: is empty/],
    [
      ['setup', '--version', '17.4'],
      /^teleport-ci: setup: --version: '17\.4' is not a full version/,
    ],
    [
      ['setup', '--version', 'auto'],
      /^teleport-ci: setup: --proxy: is required with 'version: auto'/,
    ],
    [['auth', '--proxy', 'teleport.example.test:443'], /^teleport-ci: auth: --token: is required/],
  ])('%j fails in one line', async (args, message) => {
    const run = await cli(args, await jobEnv('gitlab'));
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stdout).toBe('');
  });
});

describe('teleport-ci setup', () => {
  it('names flags, not inputs, when the proxy is unreachable (after its retries)', async () => {
    const run = await cli(
      ['setup', '--version', 'auto', '--proxy', 'localhost:1'],
      await jobEnv('gitlab'),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/retrying \(attempt 2\)/);
    expect(run.stderr.trim().split('\n').at(-1)).toBe(
      'teleport-ci: setup: Could not reach proxy localhost:1: connection refused; check --proxy and that the runner can reach it',
    );
  });
  it('installs verified tools, and --print-env puts them on PATH for eval', async () => {
    const env = await jobEnv('gitlab');
    const script = `set -e
eval "$('${CLI}' setup --version auto --proxy '${double.proxy.addr}' --print-env)"
tbot version
echo "version=$TELEPORT_CI_VERSION path=$TELEPORT_CI_PATH"`;
    const { stdout, stderr } = await exec('bash', ['-c', script], {
      env: { PATH: process.env.PATH, ...double.env, ...env },
    });
    expect(stdout).toMatch(/^Teleport v17\.4\.2 git:/m);
    expect(stdout).toContain(
      `version=17.4.2 path=${join(env.HOME!, '.cache', 'teleport-ci', 'tools', 'teleport', '17.4.2', 'amd64')}`,
    );
    expect(stderr).toContain('SHA-256 verified');
  });
  it('reaches a proxy at an IPv6 address ([::1]:port) for version auto', async () => {
    const port = double.proxy.addr.split(':').at(-1);
    const run = await cli(['setup', '--version', 'auto', '--proxy', `[::1]:${port}`], {
      ...(await jobEnv('gitlab')),
      ...double.env,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`Proxy [::1]:${port}: cluster`);
    expect(run.stderr).toContain('SHA-256 verified');
  });
  it("shows a hostile proxy's cluster name without its escapes or workflow commands", async () => {
    const hostile = await startDouble({
      proxy: {
        serverVersion: '17.4.2',
        clusterName: 'evil\n::set-output name=pwned::1\x1b[2K\x1b[31mred\u2028::add-path::/tmp',
      },
    });
    try {
      const run = await cli(
        ['setup', '--version', 'auto', '--proxy', hostile.proxy.addr, '--print-env'],
        { ...(await jobEnv('gitlab')), ...hostile.env },
      );
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain('cluster evil?::set-output name=pwned::1red?::add-path::/tmp,');
      expect(run.stderr).not.toContain('\x1b');
      expect(run.stderr).not.toMatch(/^\s*::/m);
      expect(run.stdout).not.toContain('pwned');
    } finally {
      await hostile.close();
    }
  });
  it('--write-env naming a folder fails in plain words, not errno', async () => {
    const env = await jobEnv('gitlab');
    const run = await cli(['setup', '--version', '17.4.2', '--write-env', env.HOME!], env);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n').at(-1)).toBe(
      `teleport-ci: setup: --write-env: cannot write to ${env.HOME} (it is a folder, not a file): name a file`,
    );
  });
  it('on CircleCI, appends to $BASH_ENV for later steps', async () => {
    const env = await jobEnv('circleci');
    const run = await cli(['setup', '--version', '17.4.2'], env);
    expect(run.code).toBe(0);
    const bashEnv = await readFile(env.BASH_ENV!, 'utf8');
    expect(bashEnv).toContain("export TELEPORT_CI_VERSION='17.4.2'");
    expect(bashEnv).toMatch(/^export PATH='.*\/teleport\/17\.4\.2\/amd64':"\$PATH"$/m);
  });
  it('writes a GitLab dotenv file on request', async () => {
    const env = await jobEnv('gitlab');
    const file = join(env.HOME!, 'teleport.env');
    const run = await cli(
      ['setup', '--version', '17.4.2', '--write-env', file, '--env-format', 'dotenv'],
      env,
    );
    expect(run.code).toBe(0);
    expect(await readFile(file, 'utf8')).toMatch(/^TELEPORT_CI_VERSION=17\.4\.2$/m);
  });
});

/** A job env with the stand-in tbot installed by `teleport-ci setup` on PATH. */
async function withTbot(ci: Ci) {
  return withTbotAt(ci, '17.4.2');
}

async function withTbotAt(ci: Ci, version: string) {
  const env = await jobEnv(ci);
  const setup = await cli(['setup', '--version', version, '--print-env'], env);
  expect(setup.code).toBe(0);
  const path = /export PATH='([^']+)'/.exec(setup.stdout)![1]!;
  return { ...env, PATH: `${path}:${process.env.PATH}` };
}

describe('teleport-ci preflight per CI (before tbot runs)', () => {
  const args = ['auth-ssh', '--proxy', '', '--token', 'ci-bot'];

  it('GitLab: a missing id_tokens entry', async () => {
    const env = await withTbot('gitlab');
    const run = await cli(
      args.map((a) => a || double.proxy.addr),
      env,
    );
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n').at(-1)).toBe(
      "teleport-ci: auth-ssh: TBOT_GITLAB_JWT is not set: declare it in the job: 'id_tokens: { TBOT_GITLAB_JWT: { aud: <your Teleport cluster name> } }'",
    );
  });
  it('GitLab: a token for another audience names the cluster', async () => {
    const env = await withTbot('gitlab');
    const jwt = fakeJwt({
      aud: 'https://gitlab.example.test',
      project_path: 'group/project',
      ref: 'main',
    });
    const run = await cli(
      args.map((a) => a || double.proxy.addr),
      { ...env, TBOT_GITLAB_JWT: jwt },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `TBOT_GITLAB_JWT has audience "https://gitlab.example.test", but the cluster at ${double.proxy.addr} is named 'teleport.example.test': set 'id_tokens: { TBOT_GITLAB_JWT: { aud: teleport.example.test } }'`,
    );
    expect(run.stderr).not.toContain(jwt);
  });
  it('CircleCI: no CIRCLE_OIDC_TOKEN (a context is not what is missing, §4.3)', async () => {
    const env = await withTbot('circleci');
    const run = await cli(
      args.map((a) => a || double.proxy.addr),
      env,
    );
    expect(run.stderr.trim().split('\n').at(-1)).toBe(
      "teleport-ci: auth-ssh: CIRCLE_OIDC_TOKEN is not set: CircleCI issues it to every job of the project's own pipelines, with or without a context; a build of a forked pull request gets it only if the project's settings pass secrets to forked builds",
    );
  });
  it('Jenkins: asks for a join method', async () => {
    const env = await withTbot('jenkins');
    const run = await cli(
      args.map((a) => a || double.proxy.addr),
      env,
    );
    expect(run.stderr.trim()).toBe(
      'teleport-ci: auth-ssh: --join-method is required on jenkins (no CI ID token to use): e.g. --join-method bound_keypair',
    );
  });
  it('Bitbucket: a step without oidc: true', async () => {
    const env = await withTbot('bitbucket');
    const run = await cli(
      args.map((a) => a || double.proxy.addr),
      env,
    );
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n').at(-1)).toBe(
      "teleport-ci: auth-ssh: BITBUCKET_STEP_OIDC_TOKEN is not set: add 'oidc: true' to this step in bitbucket-pipelines.yml",
    );
  });
  it('Azure DevOps: no access token mapped into the step', async () => {
    // azure_devops joins from 17.5.1 (#54875): a 17.4.2 tbot is refused before this check.
    const env = await withTbotAt('azure', '18.6.4');
    const run = await cli(
      args.map((a) => a || double.proxy.addr),
      env,
    );
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n').at(-1)).toBe(
      "teleport-ci: auth-ssh: SYSTEM_ACCESSTOKEN and SYSTEM_OIDCREQUESTURI not set: map 'SYSTEM_ACCESSTOKEN: $(System.AccessToken)' into the step's env (tbot asks the pipeline's own OIDC endpoint: no service connection is needed; the join token's rules match issuer https://vstoken.dev.azure.com/<organization id>, audience api://AzureADTokenExchange and a p://... subject)",
    );
  });
  it('cleanup with nothing to do', async () => {
    const run = await cli(['cleanup'], await jobEnv('gitlab'));
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Nothing to clean up.');
  });
});

describe('progress on a terminal', () => {
  /** Runs the CLI under a real pseudo-terminal (util-linux `script`), as a person would. */
  async function onTerminal(args: string[], env: Record<string, string>) {
    const command = [CLI, ...args].map((a) => `'${a}'`).join(' ');
    const options = { env: { PATH: process.env.PATH, ...double.env, ...env, TERM: 'xterm' } };
    // `script -e` exits with the command's code; the output is what matters here.
    return exec('script', ['-qec', command, '/dev/null'], options).then(
      (r) => r.stdout,
      (err: { stdout?: string }) => err.stdout ?? '',
    );
  }

  it('draws one bar redrawn in place on a terminal, in colour unless NO_COLOR', async () => {
    double.cdn.inject({ kind: 'slow-body', bytesPerSecond: 60_000, times: 2 });
    const env = await jobEnv('gitlab');
    const out = await onTerminal(['setup', '--version', '17.1.0', '--proxy', 'localhost:1'], env);
    // A refused proxy ends in a red 'teleport-ci:' on a terminal...
    expect(out).toContain('\x1b[31mteleport-ci:\x1b[0m');
    const bar = await onTerminal(['setup', '--version', '17.1.0'], await jobEnv('gitlab'));
    double.cdn.clearFaults();
    expect(bar).toMatch(/\r\[#* *\] \d+% [\d.]+\/[\d.]+ MB [\d.]+ MB\/s/);
    expect(bar).toMatch(/\r\[#{30}\] 100% /);
    expect(bar).not.toContain('Downloading:');
    const plain = await onTerminal(['setup', '--version', '17.1.0', '--proxy', 'localhost:1'], {
      ...env,
      NO_COLOR: '1',
    });
    expect(plain).not.toMatch(/\x1b\[/);
  });

  it('plain lines in CI logs, no colour codes when NO_COLOR or not a terminal', async () => {
    const run = await cli(['setup', '--version', '16.5.4'], {
      ...(await jobEnv('gitlab')),
      NO_COLOR: '1',
    });
    expect(run.code).toBe(0);
    expect(run.stderr).not.toMatch(/\x1b\[/);
    expect(run.stderr).not.toContain('\r');
  });
});

describe('teleport-ci daemon install (Jenkins agents)', () => {
  // The real installs run as root (directly or through passwordless sudo), as users run them.
  const AS_ROOT = 'teleport-ci daemon install (creates system users, chowns, setfacl)';
  // bound_keypair (the default) is v18 (teleport-behaviour.md §7, #55380) and its first join needs the
  // token's registration secret (§2.2): a Jenkins agent's tbot and the secret daemon install reads.
  const SECRET = 'jenkins-first-join-secret';
  const withTbot = async (ci: Ci) => ({
    ...(await withTbotAt(ci, '18.6.4')),
    TBOT_REGISTRATION_SECRET: SECRET,
  });
  it('--dry-run prints the tbot config, the systemd unit and the commands, changing nothing', async () => {
    const env = await withTbot('jenkins');
    const run = await cli(
      [
        'daemon',
        'install',
        '--proxy',
        'teleport.example.test:443',
        '--token',
        'jenkins-bot',
        '--dry-run',
      ],
      env,
    );
    expect(run.code).toBe(0);
    const [config, unit] = run.stdout.split(/^# .*$/m).slice(1);
    const tbotYaml = parse(config!);
    expect(tbotYaml).toMatchObject({
      version: 'v2',
      proxy_server: 'teleport.example.test:443',
      onboarding: {
        join_method: 'bound_keypair',
        token: 'jenkins-bot',
        bound_keypair: { registration_secret: 'NOT-SHOWN-from-TBOT_REGISTRATION_SECRET' },
      },
      storage: { type: 'directory', path: '/var/lib/teleport/bot' },
      oneshot: false,
      services: [{ type: 'identity', destination: { type: 'directory', path: '/opt/machine-id' } }],
    });
    expect(run.stdout).not.toContain(SECRET);
    expect(unit).toMatch(
      /^ExecStart=\/usr\/local\/lib\/teleport-ci\/tbot start -c \/etc\/tbot\.yaml$/m,
    );
    expect(unit).toContain('User=teleport');
    expect(run.stdout).toContain('setfacl -m u:jenkins:rX /opt/machine-id');
    await expect(exec('test', ['-e', '/etc/tbot.yaml'])).rejects.toThrow();
  });

  it('installs for real: files, owner and the reader ACL', async () => {
    const env = await withTbot('jenkins');
    for (const user of ['tbot-svc', 'jenkins-ci']) await ensureSystemUser(user);
    const root = await mkdtemp(join(tmpdir(), 'daemon-'));
    const paths = {
      out: join(root, 'machine-id'),
      data: join(root, 'bot'),
      config: join(root, 'etc', 'tbot.yaml'),
      unit: join(root, 'systemd', 'tbot.service'),
    };
    const run = await cli(
      [
        'daemon',
        'install',
        '--proxy',
        'teleport.example.test:443',
        '--token',
        'jenkins-bot',
        '--out',
        paths.out,
        '--data-dir',
        paths.data,
        '--config',
        paths.config,
        '--unit',
        paths.unit,
        '--bin-dir',
        join(root, 'bin'),
        '--bot-user',
        'tbot-svc',
        '--reader-user',
        'jenkins-ci',
      ],
      env,
      AS_ROOT,
    );
    expect(run.stderr).toContain(`credentials will appear in ${paths.out}`);
    expect(run.code).toBe(0);
    // tbot.yaml is the bot user's alone (0600): read it as root.
    const config = (await runAsRootOk(AS_ROOT, 'cat', [paths.config])).stdout;
    expect(parse(config).services[0].destination.path).toBe(paths.out);
    expect(await readFile(paths.unit, 'utf8')).toContain(`ExecStart=`);
    const { stdout: owner } = await exec('stat', ['-c', '%U %a', paths.out, paths.data]);
    expect(owner.trim().split('\n')).toEqual(['tbot-svc 750', 'tbot-svc 700']);
    const { stdout: acl } = await exec('getfacl', ['-p', paths.out]);
    expect(acl).toMatch(/^user:jenkins-ci:r-x$/m);
    expect(acl).toMatch(/^default:user:jenkins-ci:r-x$/m);
  });

  it('writes tbot.yaml owner-only even over an existing world-readable file', async () => {
    const env = await withTbot('jenkins');
    for (const user of ['tbot-svc', 'jenkins-ci']) await ensureSystemUser(user);
    const root = await mkdtemp(join(tmpdir(), 'daemon-'));
    const config = join(root, 'tbot.yaml');
    const unit = join(root, 'tbot.service');
    await writeFile(config, 'old: 1\n', { mode: 0o644 });
    await chmod(config, 0o644);
    await writeFile(unit, '', { mode: 0o600 });
    const args = [
      ...['--out', join(root, 'out'), '--data-dir', join(root, 'bot')],
      ...['--bin-dir', join(root, 'bin')],
    ];
    const run = await cli(
      [
        'daemon',
        'install',
        '--proxy',
        'teleport.example.test:443',
        '--token',
        'jenkins-bot',
        ...args,
        '--config',
        config,
        '--unit',
        unit,
        '--bot-user',
        'tbot-svc',
        '--reader-user',
        'jenkins-ci',
      ],
      env,
      AS_ROOT,
    );
    expect(run.code).toBe(0);
    const { stdout } = await exec('stat', ['-c', '%a %U', config, unit]);
    expect(stdout.trim().split('\n')).toEqual(['600 tbot-svc', '644 root']);
    expect((await runAsRootOk(AS_ROOT, 'cat', [config])).stdout).toContain('token: jenkins-bot');
    expect((await readdir(root)).sort()).toEqual([
      'bin',
      'bot',
      'out',
      'tbot.service',
      'tbot.yaml',
    ]);
  });

  it.each([
    ['config', '/etc/tbot.yaml\nExecStartPre=/bin/touch /tmp/pwned', 'U+000A'],
    ['config', '/etc/tbot%i.yaml', "'%'"],
    ['config', '/etc/my tbot.yaml', 'U+0020'],
    ['config', '/etc/$HOME.yaml', "'$'"],
    ['bot-user', 'teleport\nExecStartPre=/bin/id', 'U+000A'],
    ['bot-user', 'tele port', 'U+0020'],
    ['bot-user', 'tele%nport', "'%'"],
  ])('refuses --%s %j, which would inject into the systemd unit', async (flag, value, shown) => {
    const env = await withTbot('jenkins');
    const run = await cli(
      [
        'daemon',
        'install',
        '--proxy',
        'teleport.example.test:443',
        '--token',
        't',
        `--${flag}`,
        value,
        '--dry-run',
      ],
      env,
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const last = run.stderr.trim().split('\n');
    expect(last).toHaveLength(1);
    // A new line is refused as any control character is; the rest as unit syntax.
    expect(last[0]).toBe(
      shown === 'U+000A'
        ? `teleport-ci: daemon: --${flag}: holds a control character or line separator (U+000A): give it on one line, in plain characters`
        : `teleport-ci: daemon: --${flag}: holds ${shown}, which the systemd unit would read as syntax: use a path or name of letters, digits and . _ - / @ + : , =`,
    );
  });

  const analyze = spawnSync('systemd-analyze', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!analyze) console.warn('skipped: systemd-analyze is not installed (apt-get install systemd)');
  it.skipIf(!analyze)('the generated unit passes systemd-analyze verify', async () => {
    const env = await withTbot('jenkins');
    const run = await cli(
      [
        'daemon',
        'install',
        '--proxy',
        'teleport.example.test:443',
        '--token',
        't',
        '--bot-user',
        'root',
        // Where a real install copies tbot to: here, where setup put it (dry-run copies nothing).
        '--bin-dir',
        env.PATH.split(':')[0]!,
        '--dry-run',
      ],
      env,
    );
    expect(run.code).toBe(0);
    const unit = run.stdout.split(/^# .*$/m)[2]!.trim();
    const dir = await mkdtemp(join(tmpdir(), 'unit-'));
    await writeFile(join(dir, 'tbot-ci-check.service'), `${unit}\n`);
    const check = spawnSync('systemd-analyze', ['verify', join(dir, 'tbot-ci-check.service')], {
      encoding: 'utf8',
    });
    expect(check.stderr).not.toMatch(/tbot-ci-check\.service/);
    expect(check.status).toBe(0);
  });

  it('refuses a user that does not exist', async () => {
    const env = await withTbot('jenkins');
    const root = await mkdtemp(join(tmpdir(), 'daemon-'));
    const run = await cli(
      [
        'daemon',
        'install',
        '--proxy',
        'teleport.example.test:443',
        '--token',
        't',
        '--config',
        join(root, 'c.yaml'),
        '--unit',
        join(root, 'u'),
        '--reader-user',
        'no-such-user-xyz',
      ],
      env,
      AS_ROOT,
    );
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(
      /^teleport-ci: daemon: --(bot|reader)-user: user '\S+' does not exist: create it first/,
    );
  });
});
