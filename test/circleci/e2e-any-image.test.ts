// End to end in "any image": the orb's `ssh_to_node` example (Teleport's CircleCI guide, in
// `cimg/base:stable`, no Node.js) run by the CircleCI interpreter in an image whose PATH holds
// only sh (busybox, as on Alpine, or dash), the basics, curl, sha256sum, tar and ssh: no node,
// npm or bash. The orb is stamped as a release is (generateWrappers with the served standalone
// teleport-ci's SHA-256) and packed; its first step downloads the real standalone executable
// from a loopback HTTPS "GitHub release", checks it, and the job joins the Teleport double with
// the CircleCI OIDC token and real `ssh` reaches the node. A binary whose bytes differ from the
// stamp is refused and nothing runs; a cache restored by the next job is checked again.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateWrappers } from '../../scripts/gen-wrappers';
import { packOrb } from '../../scripts/pack-orb';
import { type Double, startDouble } from '../double';
import { CIRCLECI_DEFAULTS } from '../double/oidc/claims';
import { ensureLoginUser } from '../double/ssh/users';
import { makeShellOnlyPath } from '../wrappers/shell-only';
import { type ServedRelease, serveRelease } from '../wrappers/standalone-release';
import {
  type ConfigDef,
  type JobResult,
  type OrbDef,
  type RunOptions,
  repoRoot,
  runConfigJob,
  writeExecutable,
} from './interpreter';

const exec = promisify(execFile);
const LOGIN = 'ci-circle-any';
const NODE = 'node-1.teleport.example.test';
const TOKEN = 'circleci-bot';
const BINARY = 'teleport-ci-1.0.0-linux-amd64';

let double: Double;
let release: ServedRelease;
let dir: string;
let orb: OrbDef;
let jobs = 0;

/** The orb as its release packs it: the fragment stamped with the served binary's SHA-256. */
async function releasedOrb(): Promise<OrbDef> {
  const tree = join(dir, 'release-tree');
  const src = join(tree, 'packages', 'circleci', 'src');
  await cp(join(repoRoot, 'packages', 'circleci', 'src'), src, { recursive: true });
  const changed = await generateWrappers(tree, release.stamp, { fragmentRoot: repoRoot });
  expect(changed).toEqual(['packages/circleci/src/scripts/ensure_cli.sh']);
  return parse(packOrb(src)) as OrbDef;
}

beforeAll(async () => {
  double = await startDouble({ auth: true, proxy: { serverVersion: '17.4.2' } });
  const auth = double.auth!;
  auth.addRole({ name: 'ci-circle-any', logins: [LOGIN] });
  auth.addBot({ name: 'circle-any', roles: ['ci-circle-any'] });
  auth.addToken(
    [
      'kind: token',
      'version: v2',
      `metadata: { name: ${TOKEN} }`,
      'spec:',
      '  roles: [Bot]',
      '  join_method: circleci',
      '  bot_name: circle-any',
      '  circleci:',
      `    organization_id: ${CIRCLECI_DEFAULTS.orgId}`,
      '    allow:',
      `      - context_id: ${CIRCLECI_DEFAULTS.contextId}`,
      '',
    ].join('\n'),
  );
  await ensureLoginUser(LOGIN);
  dir = await mkdtemp(join(tmpdir(), 'circleci-any-image-'));
  release = await serveRelease(double.ca);
  orb = await releasedOrb();
}, 600_000);
afterAll(async () => {
  await Promise.all([double?.close(), release?.close()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

/**
 * One of the orb's examples as published, with what a user fills in: the proxy, the node and
 * its login, and any `shell:` for the job.
 */
function example(name: string, line: string, shell?: string): ConfigDef {
  const usage = orb.examples?.[name]?.usage;
  if (!usage) throw new Error(`the orb has no example ${name}`);
  const fill = (value: unknown): unknown => {
    if (typeof value === 'string') {
      return value
        .replaceAll('teleport.example.com:443', double.proxy.addr)
        .replaceAll('root@my-node.teleport.example.com', `${LOGIN}@${NODE}`)
        .replaceAll(
          'deploy@web-1.teleport.example.com ./deploy.sh',
          `${LOGIN}@${NODE} "echo ${line} >> ~/run_log"`,
        )
        .replaceAll('$CIRCLE_BUILD_NUM >> ~/circleci_run_log', `${line} >> ~/run_log`);
    }
    if (Array.isArray(value)) return value.map(fill);
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)]));
    }
    return value;
  };
  const config = fill(usage) as ConfigDef;
  if (shell) for (const job of Object.values(config.jobs ?? {})) job.shell = shell;
  return config;
}

interface ImageJob {
  shell?: 'busybox' | 'dash';
  jobShell?: string;
  example?: string;
  opts?: RunOptions;
}

async function runInImage(job: ImageJob = {}): Promise<{ result: JobResult; line: string }> {
  const root = join(dir, `job-${++jobs}`);
  const imageBin = await makeShellOnlyPath(join(root, 'image-bin'), {
    shell: job.shell ?? 'busybox',
    extra: ['ssh', 'tar', 'gzip'],
  });
  const line = `circleci-any-image-${Date.now()}-${jobs}`;
  const config = example(job.example ?? 'ssh_to_node', line, job.jobShell);
  const jwt = await double.auth!.issuers.circleci.mint();
  const result = await runConfigJob(config, orb, {
    root,
    inherit: [],
    imageBin,
    env: {
      ...double.env, // NODE_EXTRA_CA_CERTS (the standalone CLI), TELEPORT_CDN_BASE_URL
      CURL_CA_BUNDLE: double.ca.certPath, // curl, downloading the standalone CLI
      TELEPORT_DOUBLE_NODE: process.execPath, // the double's tbot stand-in, in a Node-less PATH
      LANG: 'C.UTF-8',
    },
    oidc: { token: jwt },
    stepTimeoutMs: 120_000,
    ...job.opts,
  });
  const printed = result.steps.map((s) => s.output).join('\n');
  expect(printed).not.toContain(jwt.split('.')[2]);
  expect(printed).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
  return { result, line };
}

function describeJob(result: JobResult): string {
  return result.steps
    .map((s) => `--- ${s.name} [${s.status} ${s.exitCode}]\n${s.output}`)
    .join('\n');
}

async function lastRunLogLine(): Promise<string> {
  const { stdout } = await exec('sh', ['-c', `tail -n 1 ~${LOGIN}/run_log`]);
  return stdout.trim();
}

const downloads = (result: JobResult) => join(result.home, '.cache', 'teleport-ci', 'downloads');
const binaryRequests = () =>
  release.server.requests.filter((p) => p.endsWith('/teleport-ci-linux-amd64')).length;

describe('the orb in an image without Node.js or bash (standalone teleport-ci)', () => {
  it.each([
    ['busybox', undefined],
    // dash has no `-o pipefail`, so CircleCI's fallback `/bin/sh -eo pipefail` fails there: a
    // job in a Debian image without bash names its shell.
    ['dash', '/bin/sh -e'],
  ] as const)(
    'ssh_to_node under %s sh: downloads, verifies, joins, ssh reaches the node',
    async (shell, jobShell) => {
      const before = binaryRequests();
      const { result, line } = await runInImage({ shell, ...(jobShell ? { jobShell } : {}) });
      if (!result.success) expect.fail(`job failed:\n${describeJob(result)}`);
      expect(result.steps.map((s) => [s.name, s.status])).toEqual([
        ["Restore teleport-ci and Teleport's tools", 'skipped'],
        ['Find or install teleport-ci', 'success'],
        ['Install Teleport (tbot, tsh, tctl)', 'success'],
        ['List what the teleport-ci cache holds', 'success'],
        ["Save teleport-ci and Teleport's tools", 'skipped'],
        ['Find or install teleport-ci', 'success'],
        ['Get an OpenSSH config for Teleport nodes', 'success'],
        ['Log this run on the node', 'success'],
        ['Delete Teleport credentials', 'success'],
      ]);
      const kept = join(downloads(result), BINARY);
      expect(result.steps[1]?.stderr).toContain(
        `teleport-ci: downloading ${release.stamp.url}/teleport-ci-linux-amd64`,
      );
      expect(result.steps[1]?.stdout).toBe(`Using teleport-ci at ${kept}\n`);
      expect(result.bashEnv).toContain(`export TELEPORT_CI_BIN='${kept}'\n`);
      // One download per job: the auth command's step finds and re-checks the kept copy.
      expect(binaryRequests()).toBe(before + 1);
      expect(result.steps[5]?.stderr).toBe('');
      expect(await lastRunLogLine()).toBe(line);
      expect(double.auth!.joins.at(-1)).toMatchObject({
        token: TOKEN,
        joinMethod: 'circleci',
        ok: true,
      });
    },
    300_000,
  );

  it('refuses a binary whose bytes differ from the stamp: nothing runs, nothing is kept', async () => {
    const mirror = '/mirror/v1.0.0';
    const served = await readFile(release.cli.path);
    const tampered = Buffer.concat([
      served.subarray(0, served.length - 1),
      Buffer.from([served.at(-1)! ^ 1]),
    ]);
    release.server.serve(`${mirror}/teleport-ci-linux-amd64`, tampered);
    const marker = join(dir, 'tampered-marker');
    const config = example('ssh_to_node', 'never');
    const steps = Object.values(config.jobs ?? {})[0]!.steps as Record<
      string,
      Record<string, unknown>
    >[];
    Object.assign(steps[0]!['teleport/setup']!, {
      cli_download_url: `${release.server.url}${mirror}`,
    });
    steps.splice(2, 0, { run: { name: 'Must not run', command: `touch '${marker}'` } });
    const jobRoot = join(dir, `job-${++jobs}`);
    const imageBin = await makeShellOnlyPath(join(jobRoot, 'image-bin'), {
      shell: 'busybox',
      extra: ['ssh', 'tar', 'gzip'],
    });
    const result = await runConfigJob(config, orb, {
      root: jobRoot,
      inherit: [],
      imageBin,
      env: {
        ...double.env,
        CURL_CA_BUNDLE: double.ca.certPath,
        TELEPORT_DOUBLE_NODE: process.execPath,
      },
      oidc: { token: await double.auth!.issuers.circleci.mint() },
    });
    expect(result.success).toBe(false);
    const find = result.steps.find((s) => s.name === 'Find or install teleport-ci');
    expect(find?.status).toBe('failed');
    expect(find?.stderr.trim().split('\n').at(-1)).toBe(
      `teleport-ci: the file at ${release.server.url}${mirror}/teleport-ci-linux-amd64 has SHA-256 ${createHash('sha256').update(tampered).digest('hex')}, not the ${release.cli.sha256} this release pins: nothing was run; check TELEPORT_CI_DOWNLOAD_URL (a mirror must serve this release's teleport-ci 1.0.0)`,
    );
    expect(result.steps.filter((s) => s.status === 'success').map((s) => s.name)).toEqual([
      'Delete Teleport credentials', // when: always, and nothing to clean up
    ]);
    expect(result.steps.find((s) => s.name === 'Delete Teleport credentials')?.stdout).toContain(
      'nothing to clean up',
    );
    expect(await readdir(downloads(result))).toEqual([]);
    expect(result.bashEnv).toBe('');
    expect(existsSync(marker)).toBe(false);
  }, 300_000);

  it("alpine_image: the job's login sh reads BASH_ENV=/etc/profile, so your step sees the orb's exports", async () => {
    // `apk add` is the image's business: a stand-in that installs nothing (the host's glibc
    // lets the standalone CLI run, which on real Alpine needs `apk add nodejs npm` instead).
    const apkDir = join(dir, 'apk-bin');
    await writeExecutable(apkDir, 'apk', '#!/bin/sh\necho "apk (stand-in): $*"\n');
    const { result, line } = await runInImage({
      example: 'alpine_image',
      opts: { pathPrepend: [apkDir] },
    });
    if (!result.success) expect.fail(`job failed:\n${describeJob(result)}`);
    const step = result.steps.find((s) => s.name === 'Run the deploy script on the node');
    expect(step?.env?.BASH_ENV).toBe(join(result.root, 'etc', 'profile'));
    expect(await readFile(join(result.root, 'etc', 'profile'), 'utf8')).toContain(
      'export TELEPORT_CI_SSH_CONFIG=',
    );
    expect(await lastRunLogLine()).toBe(line);

    // Without BASH_ENV=/etc/profile, sh never reads the exports: the step has no ssh config.
    const bare = structuredClone(orb);
    const usage = bare.examples!.alpine_image!.usage;
    delete (Object.values(usage.jobs!)[0] as { environment?: unknown }).environment;
    orb = bare;
    try {
      const without = await runInImage({
        example: 'alpine_image',
        opts: { pathPrepend: [apkDir] },
      });
      expect(
        without.result.steps.find((s) => s.name === 'Run the deploy script on the node'),
      ).toMatchObject({
        status: 'failed',
      });
    } finally {
      orb = await releasedOrb();
    }
  }, 300_000);

  it('the next job restores the cache, checks the binary again, and downloads nothing', async () => {
    // Jobs of one project share a HOME path (/home/circleci) and a cache store; each starts
    // from a fresh container, which here means an emptied HOME.
    const cacheDir = join(dir, 'cache-store');
    const home = join(dir, 'cache-home');
    const fresh = async () => rm(home, { recursive: true, force: true });
    const first = await runInImage({ opts: { cacheDir, home } });
    if (!first.result.success) expect.fail(`first job failed:\n${describeJob(first.result)}`);
    expect(first.result.steps[0]?.output).toBe('No cache is found for any of the keys\n');
    expect(first.result.steps[4]?.output).toMatch(
      /^Stored cache with key teleport-ci-v1-arch1-linux-/,
    );

    await fresh();
    const before = binaryRequests();
    const second = await runInImage({ opts: { cacheDir, home } });
    if (!second.result.success) expect.fail(`second job failed:\n${describeJob(second.result)}`);
    expect(second.result.steps[0]?.output).toMatch(/^Found a cache from key teleport-ci-v1-/);
    expect(second.result.steps[1]?.stderr).toBe(''); // no download: the pinned SHA-256 matched
    expect(second.result.steps[4]?.output).toMatch(
      /^Skipping cache generation, cache already exists/,
    );
    expect(binaryRequests()).toBe(before);
    expect(await lastRunLogLine()).toBe(second.line);

    // Whoever could save the cache could have written it: a changed binary is not run, the
    // release's file is downloaded again (and checked).
    const [key] = await readdir(cacheDir);
    const cached = join(cacheDir, key!, downloads(second.result), BINARY);
    await writeFile(cached, '#!/bin/sh\necho "not teleport-ci" >&2\nexit 0\n', { mode: 0o755 });
    await fresh();
    const third = await runInImage({ opts: { cacheDir, home } });
    if (!third.result.success) expect.fail(`third job failed:\n${describeJob(third.result)}`);
    expect(third.result.steps[1]?.stderr).toContain(
      `teleport-ci: ${join(downloads(third.result), BINARY)} does not match the pinned SHA-256: downloading it again`,
    );
    expect(describeJob(third.result)).not.toContain('not teleport-ci');
    expect(binaryRequests()).toBe(before + 1);
    expect(await lastRunLogLine()).toBe(third.line);
  }, 600_000);
});
