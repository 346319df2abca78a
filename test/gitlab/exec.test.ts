/**
 * Runs the components' jobs with gitlab-ci-local's shell executor (the execute stage), against a
 * fake `teleport-ci` that records what it was asked and prints `export` lines like the real
 * `--print-env`. gitlab-ci-local does not mint ID tokens: TBOT_GITLAB_JWT comes in as a variable.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cliVersion } from '../../scripts/gen-wrappers';
import { startNpmRegistry } from '../wrappers/npm-registry';
import { type ComponentRepo, type FakeCli, makeComponentRepo, makeFakeCli } from './harness';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ0ZWxlcG9ydC5leGFtcGxlLmNvbSJ9.c2lnbmF0dXJlLWZha2U';
const CONNECTION = {
  cluster: 'teleport.example.com',
  proxy: 'teleport.example.com:443',
  token: 'gitlab-demo',
};

let repo: ComponentRepo;
let base: string;
let fake: FakeCli;
let tmp: string;
let counter = 0;

beforeAll(async () => {
  repo = await makeComponentRepo();
  base = dirname(repo.dir);
  fake = await makeFakeCli(base);
});
afterAll(async () => {
  await repo?.cleanup();
});
beforeEach(async () => {
  await writeFile(fake.log, '');
  counter += 1;
  tmp = join(base, `tmp${counter}`);
  await mkdir(tmp);
});

async function pipeline(doc: Record<string, unknown> | string): Promise<string> {
  return repo.writePipeline(doc, `pipelines/exec${counter}.yml`);
}

/** A PATH with node and the system tools but no workspace `node_modules/.bin`. */
function cleanPath(...first: string[]): string {
  return [...first, dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(
    delimiter,
  );
}

/** Runs one job; TMPDIR is a fresh folder, so the credentials folder can be checked after. */
function runJob(
  job: string,
  file: string,
  opts: {
    variables?: Record<string, string>;
    env?: NodeJS.ProcessEnv;
    image?: boolean;
    asGitLab?: boolean;
  } = {},
) {
  return repo.run([job], {
    file,
    forceShellExecutor: opts.image,
    asGitLab: opts.asGitLab,
    variables: { TBOT_GITLAB_JWT: JWT, ...opts.variables },
    env: { TMPDIR: tmp, PATH: cleanPath(), ...opts.env },
  });
}

function teleportCalls(calls: Awaited<ReturnType<FakeCli['calls']>>) {
  return calls.filter((c) => c.tool === 'teleport-ci');
}

describe('.teleport:ssh in a user job (shell executor, CLI from TELEPORT_CI_BIN)', () => {
  it('joins with the job token, hands the ssh config to the script, cleans up after', async () => {
    const file = await pipeline({
      include: [
        {
          component: repo.component('teleport'),
          inputs: { ...CONNECTION, version: '17.4.2', roles: 'access', certificate_ttl: '30m' },
        },
      ],
      deploy: {
        extends: '.teleport:ssh',
        script: [
          'echo "ssh-config=$TELEPORT_SSH_CONFIG"',
          'echo "identity=$TELEPORT_CI_IDENTITY_FILE"',
          'test -r "$TELEPORT_SSH_CONFIG" && test -r "$TELEPORT_CI_KNOWN_HOSTS"',
          'echo "mode=$(stat -c %a "$(dirname "$TELEPORT_SSH_CONFIG")")"',
          'tsh version',
        ],
      },
    });
    const r = await runJob('deploy', file, {
      variables: { TELEPORT_CI_BIN: fake.bin },
      asGitLab: true,
    });
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/PASS\s+deploy/);
    expect(r.output).not.toContain('Avoid overriding predefined variables');

    const calls = teleportCalls(await fake.calls());
    expect(calls.map((c) => c.argv[0])).toEqual(['setup', 'auth-ssh', 'cleanup']);
    const [setup, auth, cleanup] = calls;
    expect(setup!.argv).toEqual([
      'setup',
      '--version',
      '17.4.2',
      '--proxy',
      'teleport.example.com:443',
      '--print-env',
    ]);
    // The CLI makes the credentials folder (a new private one); the job names none.
    const dest = /ssh-config=(\S+)\/ssh_config/.exec(r.output)?.[1] ?? '';
    expect(dest.startsWith(`${tmp}/teleport-ci-`)).toBe(true);
    expect(auth!.argv).toEqual([
      'auth-ssh',
      '--proxy',
      'teleport.example.com:443',
      '--join-method',
      'gitlab',
      '--roles',
      'access',
      '--certificate-ttl',
      '30m',
      '--print-env',
    ]);
    // The join token's name travels in the environment, never on the command line (`ps`).
    expect(auth!.env.TELEPORT_BOT_TOKEN).toBe('gitlab-demo');
    // tbot reads the ID token from the environment: the CLI must see it.
    expect(auth!.env.TBOT_GITLAB_JWT).toBe(JWT);
    expect(auth!.env.GITLAB_CI).toBe('true');
    expect(cleanup!.argv).toEqual(['cleanup']);
    // teleport-ci keeps its downloads in the project folder, where `cache:` can save them.
    expect(auth!.env.TELEPORT_CI_HOME).toMatch(/\/\.teleport-ci$/);
    expect(auth!.env.TELEPORT_CI_TOOL_CACHE).toBe(`${auth!.env.TELEPORT_CI_HOME}/tools`);
    expect(r.output).toContain(`Deleted the credentials in ${dest}`);

    // The job's script saw what the before_script exported.
    expect(r.output).toContain(`ssh-config=${dest}/ssh_config`);
    expect(r.output).toContain(`identity=${dest}/identity`);
    expect(r.output).toContain('mode=700');
    expect(r.output).toContain('fake tsh version'); // setup's PATH reached the script
    // Never printed; the credentials folder is gone after the job.
    expect(r.output).not.toContain(JWT);
    expect(existsSync(dest)).toBe(false);
  });

  it('a failing teleport-ci command fails the job before the script runs', async () => {
    const file = await pipeline({
      include: [{ component: repo.component('teleport'), inputs: CONNECTION }],
      deploy: { extends: '.teleport:ssh', script: ['echo SCRIPT-RAN'] },
    });
    for (const failing of ['setup', 'auth-ssh']) {
      await writeFile(fake.log, '');
      const r = await runJob('deploy', file, {
        variables: { TELEPORT_CI_BIN: fake.bin },
        env: { FAKE_TELEPORT_CI_FAIL: failing },
      });
      expect(r.code, r.output).not.toBe(0);
      expect(r.output).toMatch(/FAIL\s+deploy/);
      expect(r.output).toContain(`teleport-ci: ${failing} failed`);
      expect(r.output).not.toContain('SCRIPT-RAN');
      // after_script still cleans up.
      const calls = teleportCalls(await fake.calls()).map((c) => c.argv[0]);
      expect(calls.at(-1)).toBe('cleanup');
    }
  });

  it('without TBOT_GITLAB_JWT (gitlab-ci-local mints none) the CLI stops the job', async () => {
    const file = await pipeline({
      include: [{ component: repo.component('teleport'), inputs: CONNECTION }],
      deploy: { extends: '.teleport:ssh', script: ['echo SCRIPT-RAN'] },
    });
    const r = await repo.run(['deploy'], {
      file,
      variables: { TELEPORT_CI_BIN: fake.bin },
      env: { TMPDIR: tmp, PATH: cleanPath() },
    });
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('TBOT_GITLAB_JWT is not set');
    expect(r.output).not.toContain('SCRIPT-RAN');
  });

  it("keeps working with the user's own before_script via !reference", async () => {
    const file = await pipeline(
      [
        'include:',
        `  - component: ${repo.component('teleport')}`,
        '    inputs: { cluster: teleport.example.com, proxy: teleport.example.com:443, token: gitlab-demo }',
        'deploy:',
        '  extends: .teleport:ssh',
        '  before_script:',
        '    - !reference [.teleport:ssh, before_script]',
        '    - echo "mine sees $TELEPORT_SSH_CONFIG"',
        '  script:',
        '    - echo done',
        '',
      ].join('\n'),
    );
    const r = await runJob('deploy', file, { variables: { TELEPORT_CI_BIN: fake.bin } });
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/mine sees \S+\/ssh_config/);
  });
});

describe('finding teleport-ci', () => {
  it('uses a teleport-ci on PATH (and .teleport:image with --force-shell-executor)', async () => {
    const file = await pipeline({
      include: [
        {
          component: repo.component('teleport'),
          inputs: { ...CONNECTION, image: 'registry.example.com/node:20' },
        },
      ],
      audit: {
        extends: ['.teleport:auth', '.teleport:image'],
        script: [
          'echo "identity=$TELEPORT_IDENTITY_FILE proxy=$TELEPORT_PROXY auth=$TELEPORT_AUTH_SERVER"',
          'echo "cli=$TELEPORT_CI"',
        ],
      },
    });
    const r = await runJob('audit', file, { image: true, env: { PATH: cleanPath(fake.dir) } });
    expect(r.code, r.output).toBe(0);
    const [setup, auth] = teleportCalls(await fake.calls());
    expect(setup!.argv.slice(0, 3)).toEqual(['setup', '--version', 'auto']);
    expect(auth!.argv.slice(0, 5)).toEqual([
      'auth',
      '--proxy',
      'teleport.example.com:443',
      '--join-method',
      'gitlab',
    ]);
    expect(auth!.env.TELEPORT_BOT_TOKEN).toBe('gitlab-demo');
    expect(auth!.argv).not.toContain('--roles');
    expect(auth!.argv).not.toContain('--certificate-ttl');
    expect(r.output).toMatch(
      /identity=\S+\/identity proxy=teleport\.example\.com:443 auth=teleport\.example\.com:443/,
    );
    expect(r.output).toContain(`cli=${fake.bin}`);
  });

  it('with Node.js, installs the pinned npm package once for the whole job', async () => {
    const registry = await startNpmRegistry(await cliVersion(), await readFile(fake.bin, 'utf8'));
    try {
      const file = await pipeline({
        include: [
          { component: repo.component('teleport'), inputs: { ...CONNECTION, setup: false } },
        ],
        deploy: { extends: '.teleport:ssh', script: ['echo "cfg=$TELEPORT_SSH_CONFIG"'] },
      });
      const r = await runJob('deploy', file, {
        env: {
          npm_config_registry: `${registry.url}/`,
          npm_config_cache: join(tmp, 'npm-cache'),
          npm_config_update_notifier: 'false',
        },
      });
      expect(r.code, r.output).toBe(0);
      expect(r.output).toMatch(
        /teleport-ci: installing @teleport-actions\/cli@\d+\.\d+\.\d+ with npm into \S+\/\.teleport-ci\/npm\//,
      );
      // before_script installs it; after_script finds that install.
      expect(registry.tarballRequests()).toBe(1);
      // setup: false skips the install of Teleport's tools.
      expect(teleportCalls(await fake.calls()).map((c) => c.argv[0])).toEqual([
        'auth-ssh',
        'cleanup',
      ]);
      expect(r.output).toMatch(/cfg=\S+\/ssh_config/);
    } finally {
      await registry.close();
    }
  });

  it('says what to do when the image has neither teleport-ci nor Node.js', async () => {
    // Every tool of the system PATH (gitlab-ci-local needs git, rsync, awk ...) but Node.js.
    const bin = join(tmp, 'no-node-bin');
    await mkdir(bin);
    const hidden = new Set(['node', 'nodejs', 'npx', 'npm', 'corepack', 'teleport-ci']);
    for (const dir of cleanPath().split(delimiter)) {
      const names = await readdir(dir).catch(() => [] as string[]);
      for (const name of names) {
        if (hidden.has(name) || existsSync(join(bin, name))) continue;
        await symlink(join(dir, name), join(bin, name));
      }
    }
    const file = await pipeline({
      include: [{ component: repo.component('teleport'), inputs: CONNECTION }],
      deploy: { extends: '.teleport:ssh', script: ['echo SCRIPT-RAN'] },
    });
    const r = await runJob('deploy', file, { env: { PATH: bin } });
    expect(r.code).not.toBe(0);
    // The repository's copy of the component pins no checksum: only a release downloads.
    expect(r.output).toContain(
      'teleport-ci: this copy of the wrapper is not a release, so no checksum is pinned for the standalone teleport-ci: use a released version, an image with Node.js 20 or later, or set TELEPORT_CI_BIN',
    );
    expect(r.output).not.toContain('SCRIPT-RAN');
  });
});

describe('.teleport:kubernetes', () => {
  it('exports KUBECONFIG for the kubernetes_cluster input', async () => {
    const file = await pipeline({
      include: [
        {
          component: repo.component('teleport'),
          inputs: { ...CONNECTION, kubernetes_cluster: 'prod-k8s' },
        },
      ],
      kube: { extends: '.teleport:kubernetes', script: ['echo "kubeconfig=$KUBECONFIG"'] },
    });
    const r = await runJob('kube', file, { variables: { TELEPORT_CI_BIN: fake.bin } });
    expect(r.code, r.output).toBe(0);
    const auth = teleportCalls(await fake.calls()).find((c) => c.argv[0] === 'auth-k8s')!;
    expect(auth.argv).toEqual(expect.arrayContaining(['--kubernetes-cluster', 'prod-k8s']));
    expect(r.output).toMatch(/kubeconfig=\S+\/kubeconfig\.yaml/);
  });
});

describe('.teleport:kubernetes by labels, and the tunnel templates', () => {
  it('kubernetes_labels replaces kubernetes_cluster', async () => {
    const file = await pipeline({
      include: [
        {
          component: repo.component('teleport'),
          inputs: { ...CONNECTION, kubernetes_labels: 'env=prod,team=web' },
        },
      ],
      kube: { extends: '.teleport:kubernetes', script: ['echo "kubeconfig=$KUBECONFIG"'] },
    });
    const r = await runJob('kube', file, { variables: { TELEPORT_CI_BIN: fake.bin } });
    expect(r.code, r.output).toBe(0);
    const auth = teleportCalls(await fake.calls()).find((c) => c.argv[0] === 'auth-k8s')!;
    expect(auth.argv).toEqual(expect.arrayContaining(['--kubernetes-labels', 'env=prod,team=web']));
    expect(auth.argv).not.toContain('--kubernetes-cluster');
  });

  it('.teleport:database-tunnel opens the tunnel for the job and closes it after', async () => {
    const file = await pipeline({
      include: [
        {
          component: repo.component('teleport'),
          inputs: {
            ...CONNECTION,
            setup: false,
            database_service: 'orders',
            database_name: 'orders',
            database_username: 'ci',
            database_listen: 'tcp://127.0.0.1:15432',
          },
        },
      ],
      migrate: {
        extends: '.teleport:database-tunnel',
        script: [
          'echo "db=$TELEPORT_CI_DATABASE_TUNNEL_URI port=$TELEPORT_CI_DATABASE_TUNNEL_PORT"',
        ],
      },
    });
    const r = await runJob('migrate', file, { variables: { TELEPORT_CI_BIN: fake.bin } });
    expect(r.code, r.output).toBe(0);
    const calls = teleportCalls(await fake.calls());
    expect(calls.map((c) => c.argv)).toEqual([
      [
        'database-tunnel',
        '--proxy',
        'teleport.example.com:443',
        '--join-method',
        'gitlab',
        '--service',
        'orders',
        '--database',
        'orders',
        '--username',
        'ci',
        '--listen',
        'tcp://127.0.0.1:15432',
        '--print-env',
      ],
      ['cleanup'],
    ]);
    expect(r.output).toContain('db=tcp://127.0.0.1:15432 port=15432');
  });

  it('.teleport:application-tunnel passes app and app_listen', async () => {
    const file = await pipeline({
      include: [
        {
          component: repo.component('teleport'),
          inputs: { ...CONNECTION, setup: false, app: 'grafana' },
        },
      ],
      check: {
        extends: '.teleport:application-tunnel',
        script: ['echo "app=$TELEPORT_CI_APPLICATION_TUNNEL_URI"'],
      },
    });
    const r = await runJob('check', file, { variables: { TELEPORT_CI_BIN: fake.bin } });
    expect(r.code, r.output).toBe(0);
    const tunnel = teleportCalls(await fake.calls())[0]!;
    expect(tunnel.argv.slice(0, 1)).toEqual(['application-tunnel']);
    expect(tunnel.argv).toEqual(
      expect.arrayContaining(['--app', 'grafana', '--listen', 'tcp://127.0.0.1:8080']),
    );
    expect(r.output).toContain('app=tcp://127.0.0.1:8080');
  });
});

describe('.teleport:application-proxy', () => {
  it('runs application-proxy on app_proxy_listen for the job, and cleans up after', async () => {
    const file = await pipeline({
      include: [
        {
          component: repo.component('teleport'),
          inputs: { ...CONNECTION, setup: false, app_proxy_listen: 'tcp://127.0.0.1:18080' },
        },
      ],
      probe: {
        extends: '.teleport:application-proxy',
        script: ['echo "proxy=$TELEPORT_CI_APPLICATION_PROXY_URI"'],
      },
    });
    const r = await runJob('probe', file, { variables: { TELEPORT_CI_BIN: fake.bin } });
    expect(r.code, r.output).toBe(0);
    const calls = teleportCalls(await fake.calls()).map((c) => c.argv);
    expect(calls[0]).toEqual([
      'application-proxy',
      '--proxy',
      'teleport.example.com:443',
      '--join-method',
      'gitlab',
      '--listen',
      'tcp://127.0.0.1:18080',
      '--print-env',
    ]);
    expect(calls[1]).toEqual(['cleanup']);
    expect(r.output).toContain('proxy=tcp://127.0.0.1:18080');
  });
});

describe('ssh component', () => {
  it('runs the command on <host>.<cluster> with the ssh config (image job, forced shell)', async () => {
    const file = await pipeline({
      include: [
        {
          component: repo.component('ssh'),
          inputs: {
            ...CONNECTION,
            job_name: 'restart',
            host: 'node1',
            login: 'root',
            command: 'systemctl restart app --job $CI_JOB_NAME',
          },
        },
      ],
      stages: ['deploy'],
    });
    const r = await runJob('restart', file, {
      image: true,
      variables: { TELEPORT_CI_BIN: fake.bin },
      env: { PATH: cleanPath(fake.dir) }, // the fake `ssh` lives beside the fake CLI
    });
    expect(r.code, r.output).toBe(0);
    const calls = await fake.calls();
    const ssh = calls.find((c) => c.tool === 'ssh')!;
    const dest = /Deleted the credentials in (\S+)/.exec(r.output)?.[1];
    expect(ssh.argv).toEqual([
      '-F',
      `${dest}/ssh_config`,
      'root@node1.teleport.example.com',
      'systemctl restart app --job restart',
    ]);
    expect(ssh.env.TBOT_GITLAB_JWT).toBe(JWT);
    expect(r.output).not.toContain(JWT);
  });
});
