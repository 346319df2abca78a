// The CLI as npm publishes it: `npm pack`, installed offline into empty prefixes the three ways
// users get it (a project install, the CircleCI orb's `npm install --global --prefix`, the GitLab
// templates' `npx --package=@teleport-actions/cli@<v> -- teleport-ci`), then a GitLab-style
// auth against the Teleport double with the installed copy.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packCli } from '../../scripts/release/assemble';
import { type Double, startDouble } from '../double';
import { ensureLoginUser } from '../double/ssh/users';
import { repoRoot } from './helpers';

const exec = promisify(execFile);
const LOGIN = 'ci-cli-pack';
const cliPackage = JSON.parse(
  await readFile(join(repoRoot, 'packages', 'cli', 'package.json'), 'utf8'),
) as Record<string, unknown> & { version: string };
let work: string;
let tarball: string;
let installed: string;
let double: Double;

/** npm, offline, with a private cache, from a folder outside the repository. */
function npm(args: string[], cwd: string) {
  return exec(
    'npm',
    [...args, '--offline', '--no-audit', '--no-fund', '--cache', join(work, 'npm-cache')],
    {
      cwd,
      env: { PATH: process.env.PATH, HOME: work },
    },
  );
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'cli-pack-'));
  tarball = await packCli(repoRoot, join(work, 'pack'));
  const prefix = join(work, 'project');
  await exec('mkdir', [prefix]);
  await npm(['install', '--prefix', prefix, tarball], work);
  installed = join(prefix, 'node_modules', '.bin', 'teleport-ci');

  double = await startDouble({
    auth: true,
    proxy: { serverVersion: '18.6.4', clusterName: 'teleport.example.test' },
  });
  const auth = double.auth!;
  auth.addRole({ name: 'pack-ssh', logins: [LOGIN] });
  auth.addBot({ name: 'pack', roles: ['pack-ssh'] });
  auth.addToken(`kind: token
version: v2
metadata: { name: gitlab-bot }
spec:
  roles: [Bot]
  join_method: gitlab
  bot_name: pack
  gitlab:
    domain: gitlab.example.test
    allow:
      - project_path: group/deploy
`);
  await ensureLoginUser(LOGIN);
}, 180_000);
afterAll(async () => {
  await double?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('npm pack of @teleport-actions/cli', () => {
  it('holds the bundle, its third-party notices, README, LICENSE and package.json only, with no dependencies', async () => {
    const { stdout } = await exec('tar', ['tzf', tarball]);
    expect(stdout.trim().split('\n').sort()).toEqual([
      'package/LICENSE',
      'package/README.md',
      'package/dist/THIRD-PARTY-NOTICES.md',
      'package/dist/teleport-ci.cjs',
      'package/package.json',
    ]);
    const size = (await stat(tarball)).size;
    console.log(`@teleport-actions/cli tarball: ${size} bytes (${(size / 1024).toFixed(1)} KiB)`);
    expect(size).toBeLessThan(150 * 1024);
    const published = JSON.parse(
      (await exec('tar', ['xzOf', tarball, 'package/package.json'])).stdout,
    );
    expect(published).toMatchObject({
      name: '@teleport-actions/cli',
      license: 'Apache-2.0',
      bin: { 'teleport-ci': 'dist/teleport-ci.cjs' },
      engines: { node: '>=20' },
      repository: { type: 'git', directory: 'packages/cli' },
      publishConfig: { access: 'public', provenance: true },
    });
    expect(published.private).toBeUndefined();
    expect(published.dependencies).toBeUndefined();
  });

  it('installed into an empty prefix: teleport-ci --help and --version', async () => {
    const help = await exec(installed, ['--help'], { cwd: work });
    expect(help.stdout).toMatch(/teleport-ci/);
    expect(help.stdout).toMatch(/\bauth\b/);
    const version = await exec(installed, ['--version'], { cwd: work });
    expect(version.stdout.trim()).toBe(`teleport-ci ${cliPackage.version}`);
    // Nothing but the package itself was installed.
    const modules = await readdir(join(work, 'project', 'node_modules'));
    expect(modules.filter((m) => !m.startsWith('.'))).toEqual(['@teleport-actions']);
  });

  it("installs as the CircleCI orb does (--global --prefix) and runs as the GitLab templates' npx does", async () => {
    const orbPrefix = join(work, 'orb');
    await npm(['install', '--global', '--prefix', orbPrefix, tarball], work);
    const orb = await exec(join(orbPrefix, 'bin', 'teleport-ci'), ['--version']);
    expect(orb.stdout.trim()).toBe(`teleport-ci ${cliPackage.version}`);
    const npx = await exec(
      'npx',
      [
        '--offline',
        '--cache',
        join(work, 'npm-cache'),
        '--yes',
        `--package=${tarball}`,
        '--',
        'teleport-ci',
        '--version',
      ],
      { cwd: work, env: { PATH: process.env.PATH, HOME: work } },
    );
    expect(npx.stdout.trim()).toBe(`teleport-ci ${cliPackage.version}`);
  });

  it('the installed copy joins as a GitLab job: setup, then auth, then tsh and ssh use it', async () => {
    const issuer = double.auth!.issuers.gitlab;
    const jwt = await issuer.mint(issuer.claims({ projectPath: 'group/deploy' }), {
      audience: 'teleport.example.test',
    });
    const home = await mkdtemp(join(work, 'job-'));
    const script = `set -e
eval "$("$CLI" setup --version 18.6.4 --print-env)"
eval "$("$CLI" auth --proxy "$PROXY" --token gitlab-bot --print-env)"
tsh ls | grep -c node-1
ssh -F "$(dirname "$TELEPORT_IDENTITY_FILE")/ssh_config" ${LOGIN}@node-1.teleport.example.test echo ssh-ok`;
    const { code, out } = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn('bash', ['-c', script], {
        cwd: home,
        env: {
          PATH: process.env.PATH,
          ...double.env,
          HOME: home,
          TMPDIR: home,
          GITLAB_CI: 'true',
          CI_JOB_ID: String(Date.now()),
          TBOT_GITLAB_JWT: jwt,
          CLI: installed,
          PROXY: double.proxy.addr,
        },
      });
      let text = '';
      child.stdout.on('data', (d) => (text += d));
      child.stderr.on('data', (d) => (text += d));
      child.on('close', (c) => resolve({ code: c, out: text }));
    });
    expect(code, out).toBe(0);
    expect(out).toMatch(/^1$/m);
    expect(out).toContain('ssh-ok');
    expect(out).not.toContain(jwt.split('.')[2]);
    expect(out).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
  });
});
