// The packed orb run by the CircleCI interpreter against a fake `teleport-ci` (fakes.ts): each
// command calls the right subcommand with the right flags, parameters reach it as values
// (never as shell code), what it appends to $BASH_ENV reaches later steps, and a missing CLI
// fails clearly.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeShellOnlyPath } from '../wrappers/shell-only';
import { type Fakes, makeFakes } from './fakes';
import {
  CircleConfigError,
  type JobResult,
  loadOrb,
  ORB_ALIAS,
  type RunOptions,
  repoRoot,
  runAdhocJob,
  runExample,
  runOrbJob,
  writeExecutable,
} from './interpreter';

const orb = await loadOrb();
const PROXY = 'teleport.example.com:443';

let dir: string;
let fakes: Fakes;
let jobs = 0;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'orb-test-'));
  fakes = await makeFakes(dir);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Each job's scratch folder (BASH_ENV, HOME, scripts) inside the test's folder. */
const jobRoot = () => join(dir, `job-${++jobs}`);

/** Options for a job that finds the fake teleport-ci on PATH. */
const onPath = (extra: RunOptions = {}): RunOptions => ({
  root: jobRoot(),
  pathPrepend: [fakes.binDir],
  ...extra,
  env: { ...fakes.env, ...extra.env },
});

/** Runs orb commands as the steps of one config job (in a workflow with a context). */
function runSteps(steps: unknown[], opts: RunOptions, context: string | null = 'teleport-access') {
  const job = { executor: `${ORB_ALIAS}/default`, steps };
  return runAdhocJob(orb, job, { ...opts, ...(context ? { context } : {}) });
}

function describeFailure(result: JobResult): string {
  return result.steps
    .map((s) => `--- ${s.name} [${s.status} ${s.exitCode}]\n${s.output}`)
    .join('\n');
}

function expectSuccess(result: JobResult): void {
  if (!result.success) expect.fail(`job failed:\n${describeFailure(result)}`);
}

describe('orb commands call teleport-ci', () => {
  it('setup: `teleport-ci setup` with the version and proxy', async () => {
    const result = await runSteps([{ 'teleport/setup': { proxy: PROXY } }], onPath());
    expectSuccess(result);
    expect(result.steps.map((s) => [s.name, s.status])).toEqual([
      ["Restore teleport-ci and Teleport's tools", 'skipped'],
      ['Find or install teleport-ci', 'success'],
      ['Install Teleport (tbot, tsh, tctl)', 'success'],
      ['List what the teleport-ci cache holds', 'success'],
      ["Save teleport-ci and Teleport's tools", 'skipped'],
    ]);
    const [call] = await fakes.calls('teleport-ci');
    expect(call?.argv).toEqual([
      'setup',
      '--version=auto',
      `--proxy=${PROXY}`,
      `--write-env=${call?.env.BASH_ENV}`,
    ]);
    expect(call?.env.TELEPORT_CI_BIN).toBe(fakes.teleportCi);
    expect(result.bashEnv).toContain(`export TELEPORT_CI_BIN='${fakes.teleportCi}'\n`);
  });

  it('setup: a fixed version without a proxy', async () => {
    const result = await runSteps([{ 'teleport/setup': { version: '17.4.2' } }], onPath());
    expectSuccess(result);
    const [call] = await fakes.calls('teleport-ci');
    expect(call?.argv.slice(0, 2)).toEqual(['setup', '--version=17.4.2']);
    expect(call?.argv.some((a) => a.startsWith('--proxy'))).toBe(false);
  });

  it.each([
    ['auth', 'auth'],
    ['auth_ssh', 'auth-ssh'],
    ['auth_k8s', 'auth-k8s'],
  ])('%s: `teleport-ci %s` with the required flags only', async (command, subcommand) => {
    const result = await runSteps(
      [{ [`teleport/${command}`]: { proxy: PROXY, token: 'circleci-bot' } }],
      onPath({ oidc: { token: 'oidc.jwt.here' } }),
    );
    expectSuccess(result);
    const [call] = await fakes.calls('teleport-ci');
    expect(call?.argv).toEqual([
      subcommand,
      `--proxy=${PROXY}`,
      '--join-method=circleci',
      `--write-env=${call?.env.BASH_ENV}`,
    ]);
    // The join token's name travels in the environment, never on the command line (`ps`).
    expect(call?.env.TELEPORT_BOT_TOKEN).toBe('circleci-bot');
    expect(call?.env.CIRCLECI).toBe('true');
    expect(call?.env.CIRCLE_OIDC_TOKEN).toBe('oidc.jwt.here');
  });

  // The fake only records: the real CLI refuses a cluster and labels together.
  it('auth_k8s: every optional flag', async () => {
    const result = await runSteps(
      [
        {
          'teleport/auth_k8s': {
            proxy: PROXY,
            token: 'circleci-bot',
            join_method: 'token',
            certificate_ttl: '30m',
            roles: 'deployer,viewer',
            out: '/tmp/creds',
            kubernetes_cluster: 'production',
            kubernetes_labels: 'env=prod,team=web',
          },
        },
      ],
      onPath(),
    );
    expectSuccess(result);
    const [call] = await fakes.calls('teleport-ci');
    expect(call?.argv).toEqual([
      'auth-k8s',
      `--proxy=${PROXY}`,
      '--join-method=token',
      '--certificate-ttl=30m',
      '--roles=deployer,viewer',
      '--out=/tmp/creds',
      '--kubernetes-cluster=production',
      '--kubernetes-labels=env=prod,team=web',
      `--write-env=${call?.env.BASH_ENV}`,
    ]);
  });

  it('cleanup: `teleport-ci cleanup`, and nothing when the CLI never got installed', async () => {
    const result = await runSteps(['teleport/cleanup'], onPath());
    expectSuccess(result);
    expect((await fakes.calls('teleport-ci')).map((c) => c.argv)).toEqual([['cleanup']]);
    const none = await runSteps(['teleport/cleanup'], {
      root: jobRoot(),
      inherit: [],
      env: { PATH: '/nonexistent' },
      circleciCli: false,
    });
    expectSuccess(none);
    expect(none.steps[0]?.stdout).toContain('nothing to clean up');
  });
});

describe('parameters are values, not code', () => {
  const hostile = (marker: string) => ({
    dollar: `$(touch ${marker}-1)`,
    backtick: `\`touch ${marker}-2\``,
    quote: `'; touch ${marker}-3; rm -rf ~ #`,
    dquote: `"; touch ${marker}-4; echo "`,
    newline: `a\ntouch ${marker}-5`,
    dash: '--join-method=github',
  });

  it.each([true, false])(
    'hostile values reach teleport-ci unchanged and run nothing (circleci env subst: %s)',
    async (circleciCli) => {
      const marker = join(dir, 'pwned');
      const h = hostile(marker);
      const result = await runSteps(
        [
          { 'teleport/setup': { version: h.dollar, proxy: h.backtick } },
          {
            'teleport/auth_k8s': {
              proxy: h.dollar,
              token: h.quote,
              roles: h.dquote,
              certificate_ttl: h.newline,
              out: h.dash,
              kubernetes_cluster: h.backtick,
              kubernetes_labels: h.quote,
              cli_path: '',
            },
          },
        ],
        onPath({ circleciCli }),
      );
      expectSuccess(result);
      const [setup, auth] = await fakes.calls('teleport-ci');
      expect(setup?.argv.slice(0, 3)).toEqual([
        'setup',
        `--version=${h.dollar}`,
        `--proxy=${h.backtick}`,
      ]);
      expect(auth?.env.TELEPORT_BOT_TOKEN).toBe(h.quote);
      expect(auth?.argv.slice(0, 8)).toEqual([
        'auth-k8s',
        `--proxy=${h.dollar}`,
        '--join-method=circleci',
        `--certificate-ttl=${h.newline}`,
        `--roles=${h.dquote}`,
        `--out=${h.dash}`,
        `--kubernetes-cluster=${h.backtick}`,
        `--kubernetes-labels=${h.quote}`,
      ]);
      for (let i = 1; i <= 5; i++) expect(existsSync(`${marker}-${i}`)).toBe(false);
      expect(existsSync(result.home)).toBe(true);
      // The values travel in the steps' environment, not in their code.
      const authStep = result.steps.find((s) => s.name.startsWith('Get a kubeconfig'));
      expect(authStep?.command).not.toContain(marker);
      expect(authStep?.env?.TELEPORT_ORB_STR_TOKEN).toBe(h.quote);
    },
  );

  it('expands $VARIABLES in parameters with circleci env subst (and only those)', async () => {
    const steps = [
      {
        'teleport/auth': {
          proxy: '$TELEPORT_PROXY_ADDR',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a CircleCI value, not JS
          token: '${BOT_TOKEN_NAME}',
          roles: '$(echo injected)',
        },
      },
    ];
    const contexts = {
      'teleport-access': { TELEPORT_PROXY_ADDR: PROXY, BOT_TOKEN_NAME: 'circleci-bot' },
    };
    const result = await runSteps(steps, onPath({ contexts }));
    expectSuccess(result);
    const [call] = await fakes.calls('teleport-ci');
    expect(call?.argv[1]).toBe(`--proxy=${PROXY}`);
    expect(call?.env.TELEPORT_BOT_TOKEN).toBe('circleci-bot');
    expect(call?.argv).toContain('--roles=$(echo injected)');

    // An unset variable expands to nothing: the script says which parameter is empty.
    const unset = await runSteps(steps, onPath());
    expect(unset.success).toBe(false);
    const failed = unset.steps.find((s) => s.status === 'failed');
    expect(failed?.stderr).toContain('teleport orb: proxy is empty');
  });
});

describe('results reach later steps through $BASH_ENV', () => {
  it('deploy_over_ssh: setup, auth_ssh, your steps (which see the exports), cleanup', async () => {
    const result = await runOrbJob(
      orb,
      'deploy_over_ssh',
      {
        proxy: PROXY,
        token: 'circleci-bot',
        steps: [
          {
            run: {
              name: 'Deploy',
              command:
                'echo "config=$TELEPORT_CI_SSH_CONFIG setup=$TELEPORT_CI_VERSION"\nssh -F "$TELEPORT_CI_SSH_CONFIG" deploy@web-1.teleport.example.com ./deploy.sh',
            },
          },
        ],
      },
      { ...onPath({ oidc: { token: 'oidc.jwt.here' } }), context: 'teleport-access' },
    );
    expectSuccess(result);
    expect(result.steps.map((s) => [s.origin, s.name, s.status])).toEqual([
      ['teleport/deploy_over_ssh', 'checkout', 'skipped'],
      ['teleport/setup', "Restore teleport-ci and Teleport's tools", 'skipped'],
      ['teleport/setup', 'Find or install teleport-ci', 'success'],
      ['teleport/setup', 'Install Teleport (tbot, tsh, tctl)', 'success'],
      ['teleport/setup', 'List what the teleport-ci cache holds', 'success'],
      ['teleport/setup', "Save teleport-ci and Teleport's tools", 'skipped'],
      ['teleport/auth_ssh', 'Find or install teleport-ci', 'success'],
      ['teleport/auth_ssh', 'Get an OpenSSH config for Teleport nodes', 'success'],
      ['workflow', 'Deploy', 'success'],
      ['teleport/cleanup', 'Delete Teleport credentials', 'success'],
    ]);
    expect(result.steps.find((s) => s.name === 'Deploy')?.stdout).toBe(
      'config=/tmp/teleport/ssh_config setup=17.4.2\n',
    );
    const calls = await fakes.calls();
    expect(calls.map((c) => [c.program, c.argv[0]])).toEqual([
      ['teleport-ci', 'setup'],
      ['teleport-ci', 'auth-ssh'],
      ['ssh', '-F'],
      ['teleport-ci', 'cleanup'],
    ]);
    expect(calls[1]?.argv).toContain('--out=/tmp/teleport');
    expect(calls[2]?.argv).toEqual([
      '-F',
      '/tmp/teleport/ssh_config',
      'deploy@web-1.teleport.example.com',
      './deploy.sh',
    ]);
  });

  it('deploy_over_ssh: a failing join skips your steps but still cleans up', async () => {
    const result = await runOrbJob(
      orb,
      'deploy_over_ssh',
      {
        proxy: PROXY,
        token: 'circleci-bot',
        install_tools: false,
        checkout: false,
        steps: [{ run: { name: 'Deploy', command: 'echo deploying' } }],
      },
      onPath({
        env: {
          FAKE_TELEPORT_CI_FAIL: 'auth-ssh',
          FAKE_TELEPORT_CI_MESSAGE:
            'auth-ssh: CIRCLE_OIDC_TOKEN is not set: CircleCI issues OIDC tokens only to jobs that use a context: add a context to this job',
        },
      }),
    );
    expect(result.success).toBe(false);
    expect(result.steps.map((s) => [s.name, s.status])).toEqual([
      ['Find or install teleport-ci', 'success'],
      ['Get an OpenSSH config for Teleport nodes', 'failed'],
      ['Deploy', 'skipped'],
      ['Delete Teleport credentials', 'success'],
    ]);
    expect(result.steps[1]?.stderr).toContain(
      'teleport-ci: auth-ssh: CIRCLE_OIDC_TOKEN is not set',
    );
  });

  it('the OIDC token reaches teleport-ci with or without a context; a build without one gets none', async () => {
    const steps = [{ 'teleport/auth_ssh': { proxy: PROXY, token: 'circleci-bot' } }];
    await runSteps(steps, onPath({ oidc: { token: 'jwt' } }), null);
    await runSteps(steps, onPath({ oidc: { token: 'jwt' } }), 'teleport-access');
    await runSteps(steps, onPath({}), null); // a forked pull request's build without secrets
    const calls = await fakes.calls('teleport-ci');
    expect(calls.map((c) => c.env.CIRCLE_OIDC_TOKEN)).toEqual(['jwt', 'jwt', undefined]);
  });
});

describe('finding or fetching teleport-ci (the shared find-teleport-ci.sh)', () => {
  // An Alpine-like image: busybox sh and the basics only, no teleport-ci, Node.js, npm or bash,
  // so steps run with CircleCI's fallback `/bin/sh -eo pipefail`.
  const bare = async (extra: RunOptions = {}): Promise<RunOptions> => {
    const root = jobRoot();
    return {
      root,
      inherit: [],
      imageBin: await makeShellOnlyPath(join(root, 'image-bin'), { shell: 'busybox' }),
      ...extra,
      env: { ...fakes.env, ...extra.env },
    };
  };
  const setup = [{ 'teleport/setup': { proxy: PROXY } }];

  it('refuses to download a standalone CLI that no release checksum pins (an unreleased orb)', async () => {
    const result = await runSteps(setup, await bare());
    expect(result.success).toBe(false);
    expect(result.steps.map((s) => s.status)).toEqual([
      'skipped',
      'failed',
      'skipped',
      'skipped',
      'skipped',
    ]);
    expect(result.steps[1]?.stderr).toBe(
      'teleport-ci: this copy of the wrapper is not a release, so no checksum is pinned for the standalone teleport-ci: use a released version, an image with Node.js 20 or later, or set TELEPORT_CI_BIN\n',
    );
  });

  it('fails clearly when TELEPORT_CI_BIN points nowhere', async () => {
    const nope = join(dir, 'nope');
    const result = await runSteps(setup, await bare({ env: { TELEPORT_CI_BIN: nope } }));
    expect(result.steps[1]?.stderr).toBe(
      `teleport-ci: TELEPORT_CI_BIN is '${nope}', which is not an executable file: give the path of teleport-ci, or unset it\n`,
    );
  });

  it('uses TELEPORT_CI_BIN when set, and the cli_path parameter before it', async () => {
    const env = await bare({ env: { TELEPORT_CI_BIN: fakes.teleportCi } });
    const result = await runSteps(setup, env);
    expectSuccess(result);
    expect((await fakes.calls('teleport-ci')).length).toBe(1);

    const other = await writeExecutable(
      join(dir, 'other'),
      'teleport-ci',
      '#!/bin/sh\necho "other $1"\n',
    );
    const steps = [{ 'teleport/setup': { proxy: PROXY, cli_path: other } }];
    const withPath = await runSteps(
      steps,
      await bare({ env: { TELEPORT_CI_BIN: fakes.teleportCi } }),
    );
    expectSuccess(withPath);
    expect(withPath.steps[2]?.stdout).toBe('other setup\n');
    expect(withPath.bashEnv).toContain(`export TELEPORT_CI_BIN='${other}'\n`);
    expect((await fakes.calls('teleport-ci')).length).toBe(1);
  });

  it('records a path with quotes in $BASH_ENV so sh reads it back unchanged', async () => {
    const odd = join(dir, 'it\'s a "dir" `x` \\');
    const bin = await writeExecutable(odd, 'teleport-ci', '#!/bin/sh\necho "odd $1"\n');
    const steps = [{ 'teleport/setup': { version: '17.4.2', cli_path: bin } }];
    const result = await runSteps(steps, await bare());
    expectSuccess(result);
    expect(result.steps[2]?.stdout).toBe('odd setup\n');
  });

  it("installs @teleport-actions/cli at the orb release's version with npm when Node.js is there", async () => {
    const result = await runSteps(setup, await bare({ pathPrepend: [fakes.npmDir] }));
    expectSuccess(result);
    const [npm] = await fakes.calls('npm');
    const prefix = join(result.home, '.cache', 'teleport-ci', 'npm', '1.0.0');
    expect(npm?.argv).toEqual([
      'install',
      '--prefix',
      prefix,
      '--no-save',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      '@teleport-actions/cli@1.0.0',
    ]);
    const [cli] = await fakes.calls('teleport-ci');
    expect(cli?.env.TELEPORT_CI_BIN).toBe(join(prefix, 'node_modules', '.bin', 'teleport-ci'));
  });

  it('fails clearly when npm cannot install the CLI', async () => {
    const result = await runSteps(
      setup,
      await bare({ pathPrepend: [fakes.npmDir], env: { FAKE_NPM_FAIL: '1' } }),
    );
    expect(result.success).toBe(false);
    expect(result.steps[1]?.output).toContain('npm ERR! 404');
    expect(result.steps[1]?.stderr).toContain(
      'teleport-ci: npm could not install @teleport-actions/cli@1.0.0',
    );
  });

  it('refuses a cli_download_url that is not http(s)', async () => {
    const steps = [{ 'teleport/setup': { proxy: PROXY, cli_download_url: 'ftp://mirror/x' } }];
    const result = await runSteps(steps, await bare());
    expect(result.steps[1]?.stderr).toBe(
      "teleport orb: cli_download_url 'ftp://mirror/x' is not an http(s) URL: give the folder that holds teleport-ci-linux-amd64, e.g. a mirror of the release's assets.\n",
    );
  });
});

describe('CircleCI-style errors for wrong arguments', () => {
  const compile = async (job: string, args: Record<string, unknown>) => {
    try {
      await runOrbJob(orb, job, args, onPath());
    } catch (err) {
      if (err instanceof CircleConfigError) return err.message;
      throw err;
    }
    return 'no error';
  };
  const steps = [{ run: { name: 'x', command: 'true' } }];

  it('unexpected, missing, wrongly typed and non-enum arguments', async () => {
    expect(await compile('deploy_over_ssh', { proxy: PROXY, token: 't', steps, host: 'x' })).toBe(
      "Error calling job: 'teleport/deploy_over_ssh'\nUnexpected argument(s): host",
    );
    expect(await compile('deploy_over_ssh', { proxy: PROXY })).toBe(
      "Error calling job: 'teleport/deploy_over_ssh'\nMissing required argument(s): token, steps",
    );
    expect(
      await compile('deploy_over_ssh', { proxy: PROXY, token: 't', steps, install_tools: 'no' }),
    ).toMatch(/Type error for argument install_tools: expected type: boolean, actual value: "no"/);
    const enumError = await runSteps(
      [{ 'teleport/auth': { proxy: PROXY, token: 't', join_method: 'github' } }],
      onPath(),
    ).catch((e: Error) => e.message);
    expect(enumError).toBe(
      'Error calling workflow: \'adhoc\'\nError calling job: \'job\'\nError calling command: \'teleport/auth\'\nType error for argument join_method: expected type: enum ("circleci" "token"), actual value: "github" (type string)',
    );
  });
});

describe('usage examples', () => {
  const contexts = { 'teleport-access': { TELEPORT_PROXY_ADDR: PROXY } };

  it.each(Object.keys(orb.examples ?? {}))('%s runs with the fake CLI and tools', async (name) => {
    // An Alpine example runs in busybox sh, as on Alpine (the host's /bin/sh may be dash).
    const alpine = /"image":"alpine/.test(JSON.stringify(orb.examples?.[name]?.usage));
    const imageBin = alpine
      ? await makeShellOnlyPath(join(dir, 'alpine-bin'), { shell: 'busybox' })
      : undefined;
    const result = await runExample(
      orb,
      name,
      onPath({ contexts, oidc: { token: 'jwt' }, ...(imageBin ? { imageBin } : {}) }),
    );
    expectSuccess(result);
    // An image's package manager (alpine_image's `apk add`) is a recording fake too.
    const programs = (await fakes.calls()).map((c) => c.program).filter((p) => p !== 'apk');
    expect(programs[0]).toBe('teleport-ci');
    expect(programs.length).toBeGreaterThan(1);
  });
});

describe('with the real teleport-ci (packages/cli/dist)', () => {
  const cliBundle = join(repoRoot, 'packages', 'cli', 'dist', 'teleport-ci.cjs');

  it('takes every flag the orb passes, explains a missing context, and cleans up', async () => {
    const bin = await writeExecutable(
      join(dir, 'real-cli'),
      'teleport-ci',
      `#!/bin/bash\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(cliBundle)} "$@"\n`,
    );
    // The CLI checks tbot's version before the OIDC token: a tbot that only says its version.
    const tbotDir = join(dir, 'tbot-bin');
    await writeExecutable(
      tbotDir,
      'tbot',
      '#!/bin/bash\necho "Teleport v17.4.2 git:v17.4.2-0-g0 go1.22.5"\n',
    );
    const result = await runSteps(
      [
        {
          'teleport/auth_k8s': {
            proxy: PROXY,
            token: 'circleci-bot',
            certificate_ttl: '30m',
            roles: 'deployer',
            out: join(dir, 'creds'),
            kubernetes_cluster: 'production',
          },
        },
        'teleport/cleanup',
      ],
      { root: jobRoot(), pathPrepend: [tbotDir], env: { TELEPORT_CI_BIN: bin } },
      null, // no context: CircleCI issues no OIDC token
    );
    expect(result.steps.map((s) => [s.name, s.status])).toEqual([
      ['Find or install teleport-ci', 'success'],
      ['Get a kubeconfig for Kubernetes through Teleport', 'failed'],
      ['Delete Teleport credentials', 'success'],
    ]);
    expect(result.steps[1]?.stderr).toContain(
      "teleport-ci: auth-k8s: CIRCLE_OIDC_TOKEN is not set: CircleCI issues it to every job of the project's own pipelines, with or without a context; a build of a forked pull request gets it only if the project's settings pass secrets to forked builds",
    );
  });
});
