/**
 * withTeleport end to end: the Groovy step (stand-in Pipeline runtime) runs the real CLI bundle,
 * which installs the stand-in tbot from the Teleport double's CDN, joins its auth with a
 * single-use `token` join token, and the build's `ssh` reaches the double's node. The build log
 * is checked for secrets, and the block's variables and folder are gone afterwards.
 *
 * "Any agent": the same on an agent without Node.js, whose `sh` steps see only a POSIX shell and
 * a few tools (no node, npm or bash): the step downloads the standalone teleport-ci from a
 * release (served over HTTPS), checks it against the SHA-256 stamped into the library's
 * resource, and runs it; a tampered download is refused and nothing runs.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stampFragment } from '../../scripts/gen-wrappers';
import { type Double, startDouble } from '../double';
import { ensureLoginUser } from '../double/ssh/users';
import { makeShellOnlyPath } from '../wrappers/shell-only';
import { type ServedRelease, serveRelease } from '../wrappers/standalone-release';
import {
  type BuildResult,
  CLI_BUNDLE,
  groovyArgs,
  groovyProblem,
  LIBRARY,
  leftovers,
  result,
  runPipeline,
  type Sandbox,
  SKIP_GROOVY,
  sandbox,
} from './harness';

const exec = promisify(execFile);
const sha256Of = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const LOGIN = 'ci-jenkins-e2e';
const NODE = 'node-1.teleport.example.test';
const BOT = 'ci-jenkins';
/** The single-use join token's name is its secret. */
const TOKEN = `jenkins-e2e-${process.pid}-${Date.now().toString(36)}`;

let double: Double;
let release: ServedRelease | undefined;

/**
 * No private key, certificate body or SSH certificate anywhere in the build log, and not the
 * `token` join secret either (Jenkins traces sh commands with -x).
 */
function expectNoSecrets(b: BuildResult): void {
  expect(b.log).not.toContain(TOKEN);
  expect(b.log).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
  expect(b.log).not.toMatch(/-----BEGIN CERTIFICATE-----/);
  expect(b.log).not.toMatch(/-cert-v01@openssh\.com AAAA/);
  expect(b.log).not.toMatch(/\bMII[A-Za-z0-9+/]{40,}/); // base64 DER (key or certificate)
}

async function gone(path: string): Promise<boolean> {
  return access(path).then(
    () => false,
    () => true,
  );
}

/** A build on an agent: the double's CA and CDN, and a tool cache of its own. */
function build(s: Sandbox, pipeline: string): Promise<BuildResult> {
  return runPipeline(s, pipeline, {
    env: {
      ...double.env,
      XDG_CACHE_HOME: join(s.root, 'cache'),
      JENKINS_URL: 'https://jenkins.example.com/',
      BUILD_TAG: `jenkins-deploy-${Date.now()}`,
    },
    timeoutMs: 120_000,
  });
}

function withTeleport(body: string): string {
  const options = groovyArgs({
    proxy: double.proxy.addr,
    token: TOKEN,
    joinMethod: 'token',
    kind: 'auth-ssh',
    version: '17.4.2',
    cliPath: CLI_BUNDLE,
  });
  return `withTeleport(${options}) {\n${body}\n}`;
}

/** Records the names of the TELEPORT* variables the shell sees. */
const RECORD_VARS = (name: string) =>
  `sh 'env | grep -o "^TELEPORT[A-Z_]*" | sort > "$RESULTS/${name}" || true'`;

const describeGroovy = SKIP_GROOVY ? describe.skip : describe;

describeGroovy('withTeleport with the real CLI against the Teleport double', () => {
  beforeAll(async () => {
    const problem = groovyProblem();
    if (problem) throw new Error(problem);
    double = await startDouble({ auth: true, proxy: { serverVersion: '17.4.2' } });
    const auth = double.auth!;
    auth.addRole({ name: 'ci-jenkins-ssh', logins: [LOGIN] });
    auth.addBot({ name: BOT, roles: ['ci-jenkins-ssh'] });
    auth.addToken({
      kind: 'token',
      version: 'v2',
      metadata: { name: TOKEN },
      spec: { roles: ['Bot'], join_method: 'token', bot_name: BOT },
    });
    await ensureLoginUser(LOGIN);
  }, 120_000);
  afterAll(async () => {
    await release?.close();
    await double?.close();
  });

  it('auth-ssh: ssh from the block reaches the node; variables and folder are gone after', async () => {
    const s = await sandbox();
    const line = `jenkins-e2e-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const b = await build(
      s,
      `${RECORD_VARS('before')}
${withTeleport(`  ${RECORD_VARS('inside')}
  sh 'printf %s "$TELEPORT_CI_SSH_CONFIG" > "$RESULTS/ssh-config"'
  sh 'ssh -F "$TELEPORT_CI_SSH_CONFIG" ${LOGIN}@${NODE} "echo ${line} >> ~/run_log"'`)}
${RECORD_VARS('after')}
echo "AFTER: TELEPORT_CI_SSH_CONFIG=\${env.TELEPORT_CI_SSH_CONFIG}"`,
    );
    expect(b.log, b.log).toMatch(/Finished: SUCCESS\s*$/);
    expect(b.code).toBe(0);

    // The node ran the command as the role's login.
    const { stdout } = await exec('bash', ['-c', `tail -n 1 ~${LOGIN}/run_log`]);
    expect(stdout.trim()).toBe(line);
    expect(double.auth!.joins.filter((j) => j.token === TOKEN)).toMatchObject([
      { ok: true, joinMethod: 'token', bot: BOT },
    ]);

    // The variables existed inside the block only.
    // (The agent's own TELEPORT_CDN_BASE_URL is there before, inside and after.)
    const before = await result(s, 'before');
    expect(before?.trim()).toBe('TELEPORT_CDN_BASE_URL');
    expect(await result(s, 'inside')).toContain('TELEPORT_CI_SSH_CONFIG');
    expect(await result(s, 'after')).toBe(before);
    expect(b.log).toContain('AFTER: TELEPORT_CI_SSH_CONFIG=null');

    // The block's folder (the SSH config's home) is deleted, and nothing is left in WORKSPACE_TMP.
    const config = (await result(s, 'ssh-config')) ?? '';
    expect(config.startsWith(`${s.workspaceTmp}/teleport-ci.`), config).toBe(true);
    expect(await gone(config)).toBe(true);
    expect(await leftovers(s)).toEqual([]);
    expect(b.log).toMatch(/teleport-ci\.cjs cleanup --state-file=\S+\/state\.json/);

    expectNoSecrets(b);
  }, 180_000);

  it('a consumed token fails the next build with Teleport’s message, and still cleans up', async () => {
    // The first test's build consumed the token (single use).
    expect(double.auth!.joins.some((j) => j.token === TOKEN && j.ok)).toBe(true);
    const s = await sandbox();
    const b = await build(s, withTeleport(`  echo 'BODY RAN'`));
    expect(b.log, b.log).toMatch(/Finished: FAILURE\s*$/);
    expect(b.code).toBe(1);
    expect(b.log).not.toContain('BODY RAN');
    const error = /^ERROR: (.*)$/m.exec(b.log)?.[1] ?? '';
    expect(error, b.log).toMatch(
      /^withTeleport: teleport-ci: auth-ssh: tbot could not join: (?:.*: )?joining with token: .*token expired or not found\. The cluster has no join token by that name \(or it expired\): check --token against 'tctl tokens ls'$/,
    );
    // The CLI's own line was shown live, before cleanup and the build's error.
    expect(b.log.indexOf('teleport-ci: auth-ssh: tbot could not join')).toBeLessThan(
      b.log.indexOf('teleport-ci.cjs cleanup'),
    );
    expect(double.auth!.joins.filter((j) => j.token === TOKEN).at(-1)).toMatchObject({
      ok: false,
      error: expect.stringContaining('token expired or not found'),
    });
    expect(b.log).toMatch(/teleport-ci\.cjs cleanup --state-file=\S+\/state\.json/);
    expect(await leftovers(s)).toEqual([]);
    expectNoSecrets(b);
  }, 180_000);

  it('bound_keypair: the first build registers with the secret, the next joins with the kept keypair only', async () => {
    const SECRET = `reg-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
    double.auth!.addToken({
      kind: 'token',
      version: 'v2',
      metadata: { name: 'jenkins-agent' },
      spec: {
        roles: ['Bot'],
        join_method: 'bound_keypair',
        bot_name: BOT,
        // relaxed: builds further apart than the credential TTL still rejoin.
        bound_keypair: {
          onboarding: { registration_secret: SECRET },
          recovery: { mode: 'relaxed' },
        },
      },
    });
    const dataDir = await mkdtemp(join(tmpdir(), 'jenkins-agent-tbot-'));
    const pipeline = (line: string, withSecret: boolean) => {
      const options = groovyArgs({
        proxy: double.proxy.addr,
        token: 'jenkins-agent',
        joinMethod: 'bound_keypair',
        dataDir,
        ...(withSecret ? { registrationSecretCredentialsId: 'tbot-registration' } : {}),
        kind: 'auth-ssh',
        version: '18.6.4',
        cliPath: CLI_BUNDLE,
      });
      return `withTeleport(${options}) {\n  sh 'ssh -F "$TELEPORT_CI_SSH_CONFIG" ${LOGIN}@${NODE} "echo ${line} >> ~/run_log"'\n}`;
    };
    for (const [n, withSecret] of [
      [1, true],
      [2, false],
    ] as const) {
      const s = await sandbox();
      const line = `jenkins-bk-${n}-${Date.now()}`;
      const b = await runPipeline(s, pipeline(line, withSecret), {
        env: {
          ...double.env,
          XDG_CACHE_HOME: join(s.root, 'cache'),
          JENKINS_URL: 'https://jenkins.example.com/',
          BUILD_TAG: `jenkins-deploy-bk-${n}`,
        },
        credentials: withSecret ? { 'tbot-registration': SECRET } : {},
        timeoutMs: 120_000,
      });
      expect(b.log, b.log).toMatch(/Finished: SUCCESS\s*$/);
      const { stdout } = await exec('bash', ['-c', `tail -n 1 ~${LOGIN}/run_log`]);
      expect(stdout.trim()).toBe(line);
      expect(b.log).not.toContain(SECRET);
      expectNoSecrets(b);
    }
    expect(double.auth!.joins.filter((j) => j.token === 'jenkins-agent').map((j) => j.ok)).toEqual([
      true,
      true,
    ]);
  }, 240_000);
  /**
   * The library as a release ships it: vars/ as in the repository, the resource stamped with
   * the served release's checksums. Its default download URL leads nowhere, so only
   * `cliDownloadUrl` can make the download work.
   */
  async function releasedLibrary(root: string, served: ServedRelease): Promise<string> {
    const library = join(root, 'library');
    await mkdir(join(library, 'resources', 'teleport'), { recursive: true });
    await symlink(join(LIBRARY, 'vars'), join(library, 'vars'));
    const resource = 'resources/teleport/find-teleport-ci.sh';
    const stamp = { ...served.stamp, url: 'https://127.0.0.1:9/not-the-release' };
    await writeFile(
      join(library, resource),
      stampFragment(await readFile(join(LIBRARY, resource), 'utf8'), stamp),
    );
    return library;
  }

  /** A build on a Node-less agent: its sh steps' PATH holds a shell and a few tools only. */
  async function buildOnBareAgent(s: Sandbox, pipeline: string): Promise<BuildResult> {
    release ??= await serveRelease(double.ca);
    const agentPath = await makeShellOnlyPath(join(s.root, 'agent-bin'), {
      shell: 'dash',
      download: 'curl',
      extra: ['tar', 'gzip', 'tee', 'ssh'],
    });
    return runPipeline(s, pipeline, {
      library: await releasedLibrary(s.root, release),
      agentPath,
      env: {
        ...double.env,
        // curl (the download) and the standalone CLI trust the double's CA.
        CURL_CA_BUNDLE: double.ca.certPath,
        // The stand-in tbot is a sh/JS polyglot: it needs a node, which the agent does not have.
        TELEPORT_DOUBLE_NODE: process.execPath,
        XDG_CACHE_HOME: join(s.root, 'cache'),
        BUILD_TAG: `jenkins-bare-${Date.now()}`,
      },
      timeoutMs: 180_000,
    });
  }

  function bareAgentStep(token: string, body: string): string {
    const options = groovyArgs({
      proxy: double.proxy.addr,
      token,
      joinMethod: 'token',
      kind: 'auth-ssh',
      version: '17.4.2',
      cliDownloadUrl: release!.stamp.url,
    });
    return `withTeleport(${options}) {\n${body}\n}`;
  }

  function addJoinToken(name: string): void {
    double.auth!.addToken({
      kind: 'token',
      version: 'v2',
      metadata: { name },
      spec: { roles: ['Bot'], join_method: 'token', bot_name: BOT },
    });
  }

  it('an agent without Node.js: downloads the standalone CLI, checks it, joins, and ssh reaches the node', async () => {
    release ??= await serveRelease(double.ca);
    const token = `jenkins-bare-${process.pid}-${Date.now().toString(36)}`;
    addJoinToken(token);
    const s = await sandbox();
    const line = `jenkins-bare-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const asked = release.server.requests.length;
    const b = await buildOnBareAgent(
      s,
      `${bareAgentStep(
        token,
        `  sh 'for t in node npm npx bash; do if command -v "$t"; then exit 1; fi; done; echo "NO NODE, NPM, NPX OR BASH"'
  sh 'ssh -F "$TELEPORT_CI_SSH_CONFIG" ${LOGIN}@${NODE} "echo ${line} >> ~/run_log"'`,
      )}`,
    );
    expect(b.log, b.log).toMatch(/Finished: SUCCESS\s*$/);
    expect(b.log).toContain('NO NODE, NPM, NPX OR BASH');

    // The CLI came from cliDownloadUrl, once, and that file is what ran, cleanup included.
    const url = `${release.stamp.url}/teleport-ci-linux-amd64`;
    expect(b.log).toContain(`teleport-ci: downloading ${url}`);
    expect(release.server.requests.slice(asked)).toEqual([
      `/v${release.version}/teleport-ci-linux-amd64`,
    ]);
    const downloaded = join(
      s.root,
      'cache',
      'teleport-ci',
      'downloads',
      `teleport-ci-${release.version}-linux-amd64`,
    );
    expect(b.log).toContain(`${downloaded} cleanup --state-file=`);

    const { stdout } = await exec('bash', ['-c', `tail -n 1 ~${LOGIN}/run_log`]);
    expect(stdout.trim()).toBe(line);
    expect(double.auth!.joins.filter((j) => j.token === token)).toMatchObject([
      { ok: true, joinMethod: 'token', bot: BOT },
    ]);
    expect(await leftovers(s)).toEqual([]);
    expect(b.log).not.toContain(token);
    expectNoSecrets(b);
  }, 600_000);

  it('an agent without Node.js: a tampered download is refused and nothing runs', async () => {
    release ??= await serveRelease(double.ca);
    const token = `jenkins-tampered-${process.pid}-${Date.now().toString(36)}`;
    addJoinToken(token);
    const path = `/v${release.version}/teleport-ci-linux-amd64`;
    const genuine = await readFile(release.cli.path);
    const tampered = Buffer.from(genuine);
    tampered.writeUInt8(tampered.readUInt8(tampered.length - 1) ^ 0xff, tampered.length - 1);
    release.server.serve(path, tampered);
    try {
      const s = await sandbox();
      const b = await buildOnBareAgent(s, bareAgentStep(token, `  echo 'BODY RAN'`));
      expect(b.log, b.log).toMatch(/Finished: FAILURE\s*$/);
      const error = /^ERROR: (.*)$/m.exec(b.log)?.[1] ?? '';
      expect(error).toBe(
        `withTeleport: teleport-ci: the file at ${release.stamp.url}/teleport-ci-linux-amd64 has SHA-256 ${await sha256Of(tampered)}, not the ${release.cli.sha256} this release pins: nothing was run; check cliDownloadUrl (a mirror must serve this release's teleport-ci ${release.version})`,
      );
      expect(b.log).not.toContain('BODY RAN');
      // Nothing ran: no CLI step, no join, no executable kept.
      expect(b.log).not.toMatch(/\[Pipeline\] sh \(teleport-ci /);
      expect(double.auth!.joins.filter((j) => j.token === token)).toEqual([]);
      const downloads = join(s.root, 'cache', 'teleport-ci', 'downloads');
      expect(await readdir(downloads)).toEqual([]);
      expect(await leftovers(s)).toEqual([]);
    } finally {
      release.server.serve(path, genuine);
    }
  }, 600_000);
});
